"""Queries beyond run-now: async query tasks (create, status, results), queries encoded in a URL,
filter value suggestions, and the one database connection."""

from __future__ import annotations

import asyncio
import json
import secrets
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import queries
from .errors import ApiProblem, invalid
from .model import EXPLORES, MODEL, QueryError, explore_fields

MAX_TASKS = 200  # the oldest finished tasks are forgotten beyond this
SUGGESTION_LIMIT = 100
CONNECTION = {"name": "demo", "host": None, "port": None, "username": None, "password": None, "has_password": False,
              "uses_oauth": False, "database": "demo.sqlite", "schema": None, "dialect_name": "sqlite",
              "db_timezone": "UTC", "query_timezone": "UTC", "max_connections": 4, "pdts_enabled": False,
              "ssl": False, "verify_ssl": False, "example": True, "created_at": "2026-01-01T00:00:00.000+00:00",
              "user_id": "1", "snippets": [], "managed": False, "can": {"index": True, "show": True}}


class QueryRoutes:
    def __init__(self, api):
        self.api, self.state = api, api.state
        self.tasks: dict[str, dict] = {}  # id -> QueryTask JSON
        self.results: dict[str, tuple[str, str, str]] = {}  # id -> (owner id, content type, text)
        self.running: set[asyncio.Task] = set()

    def handlers(self) -> dict:
        return {"create_query_task": self.create_task, "query_task": self.task, "query_task_results": self.task_results,
                "run_url_encoded_query": self.run_url_encoded, "model_fieldname_suggestions": self.suggestions,
                "all_connections": self.connections, "connection": self.connection}

    # --- async query tasks ---------------------------------------------------------------------
    async def create_task(self, request: Request) -> Response:
        user, body = self.api.user(request), await self.api.json_body(request)
        query = self.api.referenced(self.state.queries, body, "query_id")
        self.api.may_run(user, query)
        if body["result_format"] not in queries.FORMATS:
            raise invalid("result_format", f"must be one of {', '.join(queries.FORMATS)}")
        task_id = secrets.token_hex(16)
        task = {"id": task_id, "query_id": query["id"], "query": query, "result_format": body["result_format"],
                "status": "added", "source": body.get("source"), "runtime": None, "generate_links": False,
                "force_production": True, "cache": True, "server_table_calcs": False, "cache_only": False,
                "rebuild_pdts": False, "path_prefix": None, "cache_key": None, "result_source": None,
                "look_id": body.get("look_id"), "dashboard_id": body.get("dashboard_id"), "can": {}}
        limit = request.query_params.get("limit")
        with self.state.lock:
            self._forget_old()
            self.tasks[task_id] = task
            self.results[task_id] = (user["id"], "", "")
        job = asyncio.create_task(self._work(task, int(limit) if limit else None))
        self.running.add(job)
        job.add_done_callback(self.running.discard)
        return self.api.answer(request, task)

    async def _work(self, task: dict, limit: int | None) -> None:
        started = time.monotonic()
        task["status"] = "running"
        owner = self.results[task["id"]][0]
        try:
            kind, text = await run_in_threadpool(queries.run, self.state.db_path, task["query"],
                                                 task["result_format"], self.state.today, limit)
            task["status"] = "complete"
        except (QueryError, ValueError, OverflowError) as exc:
            kind, text = "application/json", json.dumps({"errors": [{"message": str(exc)}]})
            task["status"] = "error"
        task["runtime"] = round(time.monotonic() - started, 3)
        self.results[task["id"]] = (owner, kind, text)

    def _forget_old(self) -> None:
        finished = [t for t in self.tasks.values() if t["status"] in ("complete", "error")]
        for old in finished[:max(0, len(self.tasks) - MAX_TASKS + 1)]:
            self.tasks.pop(old["id"]), self.results.pop(old["id"], None)

    def _own_task(self, request: Request) -> dict:
        user, task_id = self.api.user(request), request.path_params["query_task_id"]
        task = self.tasks.get(task_id)
        if task is None or (self.results[task_id][0] != user["id"] and not self.state.is_admin(user)):
            raise ApiProblem(404, "Not found")
        return task

    async def task(self, request: Request) -> Response:
        return self.api.answer(request, self._own_task(request))

    async def task_results(self, request: Request) -> Response:
        """200 with the result in the task's format when done; 202 while it runs (Looker's contract)."""
        task = self._own_task(request)
        if task["status"] not in ("complete", "error"):
            return JSONResponse("The query is not finished.", status_code=202)
        _, kind, text = self.results[task["id"]]
        return Response(text, media_type=kind)

    # --- a query in the URL ------------------------------------------------------------------------
    async def run_url_encoded(self, request: Request) -> Response:
        """/queries/models/{model}/views/{view}/run/{format}?fields=a,b&f[a]=x&sorts=a desc&limit=10&pivots=b"""
        p = request.query_params

        def listed(key: str) -> list[str]:
            return [item.strip() for item in (p.get(key) or "").split(",") if item.strip()]

        body = {"model": request.path_params["model_name"], "view": request.path_params["view_name"],
                "fields": listed("fields"), "sorts": listed("sorts"), "pivots": listed("pivots") or None,
                "filters": {key[2:-1]: value for key, value in p.items() if key.startswith("f[") and key.endswith("]")},
                "limit": p.get("limit") or "500", "total": p.get("total") == "true"}
        self.api.may_explore(self.api.user(request), body)
        return await self.api.run(request, body, request.path_params["result_format"])

    # --- suggestions -------------------------------------------------------------------------------
    async def suggestions(self, request: Request) -> Response:
        """Distinct values of a dimension starting with (or containing, with %) `term`, as filter suggestions."""
        model, view, field = (request.path_params[k] for k in ("model_name", "view_name", "field_name"))
        user = self.api.user(request)
        self.api.require(user, "access_data")
        self.api.require_model(user, model)
        if model != MODEL or view not in EXPLORES:
            raise ApiProblem(404, "Not found")
        name = field if "." in field else f"{view}.{field}"
        known = explore_fields(view).get(name)
        if known is None or known.kind != "dimension":
            raise ApiProblem(404, "Not found")
        term = request.query_params.get("term") or ""
        body = {"model": model, "view": view, "fields": [name], "sorts": [name], "limit": str(SUGGESTION_LIMIT + 1),
                "filters": {name: (term if "%" in term else term + "%")} if term and known.type == "string" else {}}
        _, text = await run_in_threadpool(queries.run, self.state.db_path, body, "json", self.state.today)
        values = [str(row[name]) for row in json.loads(text) if row[name] is not None]
        return JSONResponse({"suggestions": values[:SUGGESTION_LIMIT], "error": None, "from_cache": False,
                             "hit_limit": len(values) > SUGGESTION_LIMIT, "used_calcite_materialization": False})

    # --- connections --------------------------------------------------------------------------------
    async def connections(self, request: Request) -> Response:
        self.api.admin(request)
        return self.api.answer(request, [CONNECTION])

    async def connection(self, request: Request) -> Response:
        self.api.admin(request)
        if request.path_params["connection_name"] != CONNECTION["name"]:
            raise ApiProblem(404, "Not found")
        return self.api.answer(request, CONNECTION)

