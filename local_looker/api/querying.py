"""Queries: create and read them, run them now (by id, inline, or encoded in a URL) or as async query
tasks, filter value suggestions, and the one database connection."""

from __future__ import annotations

import asyncio
import functools
import json
import secrets
import time

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from .. import access, activity, queries, seed
from ..errors import ApiProblem, invalid
from ..model import ACTIVITY_MODEL, MAX_ROW_LIMIT, MODELS, QueryError, compile_query, explore_fields
from .context import Ctx

MAX_TASKS = 200  # the oldest finished tasks are forgotten beyond this
SUGGESTION_LIMIT = 100
CONNECTION = {"name": "demo", "host": None, "port": None, "username": None, "password": None, "has_password": False,
              "uses_oauth": False, "database": "demo.sqlite", "schema": None, "dialect_name": "sqlite",
              "db_timezone": "UTC", "query_timezone": "UTC", "max_connections": 4, "pdts_enabled": False,
              "ssl": False, "verify_ssl": False, "example": True, "created_at": "2026-01-01T00:00:00.000+00:00",
              "user_id": "1", "snippets": [], "managed": False, "can": {"index": True, "show": True}}


# --- the rules every way of running shares ----------------------------------------------------------
def _may_use_model(ctx: Ctx, model) -> None:
    """A role's model set grants a model; System Activity is granted by a permission instead, as on Looker."""
    if model == ACTIVITY_MODEL:
        ctx.require("see_system_activity")
    else:
        ctx.require_model(model)


def may_explore(ctx: Ctx, body: dict) -> None:
    ctx.require("explore")
    if body.get("model"):
        _may_use_model(ctx, body["model"])


def may_create_query(ctx: Ctx, body: dict) -> None:
    """`explore`, or a dashboard tile's query with its dashboard filters changed (access.is_filtered_tile)."""
    if ctx.state.can(ctx.user, "explore") or not isinstance(body.get("fields"), list):
        return may_explore(ctx, body)
    tiles = [e for d in ctx.visible_dashboards() for e in d["dashboard_elements"]]
    if not access.is_filtered_tile(body, tiles):
        return may_explore(ctx, body)
    may_run(ctx, body)


def may_run(ctx: Ctx, query: dict) -> None:
    ctx.require("access_data")
    _may_use_model(ctx, query["model"])


def database(ctx: Ctx, model: str):
    """What opens the database a model's queries run on: the demo's file, or a copy of the instance's own
    content for System Activity (taken now, on the event loop, so a worker thread needs no lock)."""
    if model == ACTIVITY_MODEL:
        return functools.partial(activity.connect, activity.rows(ctx.state))
    return functools.partial(queries.connect_file, ctx.state.db_path)


# What a query may carry that changes its results and the local Looker cannot compute: refused (422
# "unsupported"), never dropped, so no answer is silently other than Looker's.
UNSUPPORTED = {
    "filter_expression": "custom filter expressions; use filters instead",
    "dynamic_fields": "custom fields and table calculations (dynamic_fields)",
    "subtotals": "subtotals",
    "row_total": "row totals",
}
# Query fields Looker stores and answers as written (the spec's writable ones the local Looker does not
# evaluate beyond keeping them): a created query reads back with them.
KEPT_AS_WRITTEN = ("fill_fields", "column_limit", "filter_config", "visible_ui_sections", "query_timezone")
EMPTY = (None, "", [], {}, "[]")


def check(ctx: Ctx, body: dict) -> None:
    """Compile the query body now, as Looker validates it: a 404 for an unknown model or explore, else a 422."""
    for name, what in UNSUPPORTED.items():
        if body.get(name) not in EMPTY:
            raise invalid(name, f"the local Looker cannot compute {what}", "unsupported")
    try:
        compile_query(body, ctx.state.today)
    except QueryError as exc:
        if exc.code == "not_found":
            raise ApiProblem(404, str(exc))
        raise invalid(exc.field, str(exc), exc.code)


async def run(ctx: Ctx, body: dict, fmt: str) -> Response:
    """The result of a query body in `fmt`, from the results cache unless `cache=false`."""
    if fmt not in queries.FORMATS:
        raise ApiProblem(400, f"Unsupported result format '{fmt}'. Use one of: {', '.join(queries.FORMATS)}")
    check(ctx, body)
    limit = ctx.query.get("limit")
    if limit is not None and not -1 <= int(limit) <= MAX_ROW_LIMIT:
        raise ApiProblem(400, f"Query parameter 'limit' must be -1 (no limit) or 0 to {MAX_ROW_LIMIT}.")
    limit = int(limit) if limit else None
    state = ctx.state
    cacheable = body["model"] != ACTIVITY_MODEL  # System Activity answers what the instance holds now
    key = state.results.key(body, fmt, limit, state.today)
    cached = state.results.get(key) if cacheable and ctx.query.get("cache") != "false" else None
    if cached is not None:
        return Response(cached[1], media_type=cached[0])
    # in a worker thread, so concurrent queries overlap as they do on a real Looker
    state.stats["query_runs"] += 1
    content_type, text = await run_in_threadpool(queries.run, database(ctx, body["model"]), body, fmt, state.today,
                                                 limit)
    if cacheable:
        state.results.put(key, content_type, text)
    return Response(text, media_type=content_type)


# --- saved queries ----------------------------------------------------------------------------------
def _new_query(ctx: Ctx, body: dict) -> dict:
    for required in ("model", "view"):
        if not body.get(required):
            raise invalid(required, f"{required} is required.", "missing_field")
    check(ctx, body)  # validate now, like Looker does on create
    state = ctx.state
    client_id = body.get("client_id")
    if client_id is not None and not (isinstance(client_id, str) and len(client_id) == 22 and client_id.isalnum()
                                      and client_id.isascii()):
        raise invalid("client_id", "client_id must be a unique 22 character alphanumeric string", "invalid")
    with state.lock:
        if client_id is not None and any(q["client_id"] == client_id for q in state.queries.values()):
            raise invalid("client_id", "client_id must be unique: a query already has this one", "already_exists")
        qid = state.next_query_id
        state.next_query_id += 1
        query = seed.query(qid, body["view"], list(body.get("fields") or []), dict(body.get("filters") or {}),
                           list(body.get("sorts") or []), str(body.get("limit") or "500"),
                           body.get("pivots"), (body.get("vis_config") or {}).get("type", "looker_grid"),
                           bool(body.get("total")))
        query["model"] = body["model"]
        query["filter_expression"] = body.get("filter_expression")
        query["slug"] = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
        query["client_id"] = body.get("client_id") or secrets.token_hex(11)
        query.update({name: body[name] for name in KEPT_AS_WRITTEN if body.get(name) is not None})
        query["vis_config"] = body.get("vis_config") or query["vis_config"]
        query["share_url"] = f"{state.settings.ui_url}/x/{query['slug']}"
        state.queries[query["id"]] = query
    return query


async def create_query(ctx: Ctx) -> Response:
    body = ctx.json_body()
    may_create_query(ctx, body)
    return ctx.answer(_new_query(ctx, body))


async def query(ctx: Ctx) -> Response:
    return ctx.answer(ctx.get_or_404(ctx.state.queries, ctx.params["query_id"]))


async def query_for_slug(ctx: Ctx) -> Response:
    slug = ctx.params["slug"]
    match = next((q for q in ctx.state.queries.values() if q["slug"] == slug), None)
    if match is None:
        raise ApiProblem(404, "Not found")
    return ctx.answer(match)


async def run_query(ctx: Ctx) -> Response:
    saved = ctx.get_or_404(ctx.state.queries, ctx.params["query_id"])
    may_run(ctx, saved)
    return await run(ctx, saved, ctx.params["result_format"])


async def run_inline_query(ctx: Ctx) -> Response:
    body = ctx.json_body()
    may_explore(ctx, body)
    return await run(ctx, body, ctx.params["result_format"])


async def run_url_encoded_query(ctx: Ctx) -> Response:
    """/queries/models/{model}/views/{view}/run/{format}?fields=a,b&f[a]=x&sorts=a desc&limit=10&pivots=b"""
    p = ctx.query

    def listed(key: str) -> list[str]:
        return [item.strip() for item in (p.get(key) or "").split(",") if item.strip()]

    body = {"model": ctx.params["model_name"], "view": ctx.params["view_name"],
            "fields": listed("fields"), "sorts": listed("sorts"), "pivots": listed("pivots") or None,
            "filters": {key[2:-1]: value for key, value in p.items() if key.startswith("f[") and key.endswith("]")},
            "limit": p.get("limit") or "500", "total": p.get("total") == "true"}
    may_explore(ctx, body)
    return await run(ctx, body, ctx.params["result_format"])


# --- async query tasks ----------------------------------------------------------------------------------
async def create_query_task(ctx: Ctx) -> Response:
    body, store = ctx.json_body(), ctx.store
    saved = ctx.referenced(ctx.state.queries, body, "query_id")
    may_run(ctx, saved)
    if body["result_format"] not in queries.FORMATS:
        raise invalid("result_format", f"must be one of {', '.join(queries.FORMATS)}")
    task_id = secrets.token_hex(16)
    task = {"id": task_id, "query_id": saved["id"], "query": saved, "result_format": body["result_format"],
            "status": "added", "source": body.get("source"), "runtime": None, "generate_links": False,
            "force_production": True, "cache": True, "server_table_calcs": False, "cache_only": False,
            "rebuild_pdts": False, "path_prefix": None, "cache_key": None, "result_source": None,
            "look_id": body.get("look_id"), "dashboard_id": body.get("dashboard_id"), "can": {}}
    limit = ctx.query.get("limit")
    with ctx.state.lock:
        _forget_old(store)
        store.tasks[task_id] = task
        store.task_results[task_id] = (ctx.user["id"], "", "")
    job = asyncio.create_task(_work(ctx, task, int(limit) if limit else None))
    store.running.add(job)
    job.add_done_callback(store.running.discard)
    return ctx.answer(task)


async def _work(ctx: Ctx, task: dict, limit: int | None) -> None:
    started, store = time.monotonic(), ctx.store
    task["status"] = "running"
    owner = store.task_results[task["id"]][0]
    try:
        kind, text = await run_in_threadpool(queries.run, database(ctx, task["query"]["model"]), task["query"],
                                             task["result_format"], ctx.state.today, limit)
        task["status"] = "complete"
    except (QueryError, ValueError, OverflowError) as exc:
        kind, text = "application/json", json.dumps({"errors": [{"message": str(exc)}]})
        task["status"] = "error"
    task["runtime"] = round(time.monotonic() - started, 3)
    store.task_results[task["id"]] = (owner, kind, text)


def _forget_old(store) -> None:
    finished = [t for t in store.tasks.values() if t["status"] in ("complete", "error")]
    for old in finished[:max(0, len(store.tasks) - MAX_TASKS + 1)]:
        store.tasks.pop(old["id"]), store.task_results.pop(old["id"], None)


def _own_task(ctx: Ctx) -> dict:
    task_id = ctx.params["query_task_id"]
    task = ctx.store.tasks.get(task_id)
    if task is None or (ctx.store.task_results[task_id][0] != ctx.user["id"] and not ctx.state.is_admin(ctx.user)):
        raise ApiProblem(404, "Not found")
    return task


async def query_task(ctx: Ctx) -> Response:
    return ctx.answer(_own_task(ctx))


async def query_task_results(ctx: Ctx) -> Response:
    """200 with the result in the task's format when done; 202 while it runs (Looker's contract)."""
    task = _own_task(ctx)
    if task["status"] not in ("complete", "error"):
        return JSONResponse("The query is not finished.", status_code=202)
    _, kind, text = ctx.store.task_results[task["id"]]
    return Response(text, media_type=kind)


# --- suggestions ------------------------------------------------------------------------------------------
async def model_fieldname_suggestions(ctx: Ctx) -> Response:
    """Distinct values of a dimension starting with (or containing, with %) `term`, as filter suggestions."""
    model, view, field = (ctx.params[k] for k in ("model_name", "view_name", "field_name"))
    ctx.require("access_data")
    _may_use_model(ctx, model)
    if view not in MODELS.get(model, {}):
        raise ApiProblem(404, "Not found")
    name = field if "." in field else f"{view}.{field}"
    known = explore_fields(view, model).get(name)
    if known is None or known.kind != "dimension":
        raise ApiProblem(404, "Not found")
    term = ctx.query.get("term") or ""
    body = {"model": model, "view": view, "fields": [name], "sorts": [name], "limit": str(SUGGESTION_LIMIT + 1),
            "filters": {name: (term if "%" in term else term + "%")} if term and known.type == "string" else {}}
    _, text = await run_in_threadpool(queries.run, database(ctx, model), body, "json", ctx.state.today)
    values = [str(row[name]) for row in json.loads(text) if row[name] is not None]
    return JSONResponse({"suggestions": values[:SUGGESTION_LIMIT], "error": None, "from_cache": False,
                         "hit_limit": len(values) > SUGGESTION_LIMIT, "used_calcite_materialization": False})


# --- connections ------------------------------------------------------------------------------------------
async def all_connections(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer([CONNECTION])


async def connection(ctx: Ctx) -> Response:
    ctx.admin()
    if ctx.params["connection_name"] != CONNECTION["name"]:
        raise ApiProblem(404, "Not found")
    return ctx.answer(CONNECTION)


HANDLERS = {
    "create_query": create_query, "query": query, "query_for_slug": query_for_slug, "run_query": run_query,
    "run_inline_query": run_inline_query, "run_url_encoded_query": run_url_encoded_query,
    "create_query_task": create_query_task, "query_task": query_task, "query_task_results": query_task_results,
    "model_fieldname_suggestions": model_fieldname_suggestions,
    "all_connections": all_connections, "connection": connection,
}
