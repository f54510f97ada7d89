"""API 4.0 endpoints over the demo database, in Looker's JSON shapes.

Handlers read top to bottom: authenticate, look the object up, answer.
Every answer deserializes into the official looker_sdk 4.0 models.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import access, contract, queries
from .errors import ApiProblem, invalid, parse_json, problem_response
from .model import EXPLORE_LABELS, EXPLORES, MAX_ROW_LIMIT, MODEL, VIEWS, QueryError, explore_fields
from .origins import normalize_entry
from .state import State

API_VERSION = "4.0"
LOOKER_VERSION = contract.spec()["info"]["x-looker-release-version"]  # the release whose spec this Looker follows
PUBLIC_OPERATIONS = {"login", "versions"}  # everything else needs a token first, as on Looker


def _user_json(user: dict) -> dict:
    return {
        "id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"],
        "display_name": f"{user['first_name']} {user['last_name']}", "email": user["email"],
        "is_disabled": False, "locale": "en", "avatar_url": None, "avatar_url_without_sizing": None,
        "home_folder_id": "1", "personal_folder_id": user.get("personal_folder_id"),
        "role_ids": list(user["role_ids"]), "group_ids": access.user_groups(user), "verified_looker_employee": False,
        "presumed_looker_employee": False, "ui_state": None, "embed_group_folder_id": None,
        "is_service_account": False, "models_dir_validated": None, "url": f"/api/4.0/users/{user['id']}",
        "can": {"show": True, "index": True, "show_details": True, "index_details": True, "sudo": False},
        "credentials_email": {"email": user["email"], "is_disabled": False, "type": "email",
                              "logged_in_at": None, "created_at": "2026-01-01T00:00:00.000+00:00"},
    }


class Api:
    def __init__(self, state: State):
        self.state = state
        self.handlers = self._handlers()
        self._swagger: bytes | None = None

    def _handlers(self) -> dict:
        """operationId -> handler; every other operation in the spec answers 501 naming itself."""
        from .admin_routes import AdminRoutes
        from .content_routes import ContentRoutes
        from .oauth_routes import OAuth
        from .query_routes import QueryRoutes

        oauth = OAuth(self.state)
        return {
            "versions": self.versions, "login": oauth.api_login, "logout": oauth.logout,
            "me": self.me, "all_users": self.all_users, "user": self.user_by_id,
            "get_setting": self.get_setting, "set_setting": self.set_setting,
            "all_oauth_client_apps": self.oauth_apps, "oauth_client_app": self.oauth_app,
            "register_oauth_client_app": self.oauth_app, "update_oauth_client_app": self.oauth_app,
            "delete_oauth_client_app": self.oauth_app,
            "all_lookml_models": self.lookml_models, "lookml_model": self.lookml_model,
            "lookml_model_explore": self.explore,
            "create_query": self.create_query, "query": self.query, "query_for_slug": self.query_for_slug,
            "run_query": self.run_query, "run_inline_query": self.run_inline_query,
            "all_looks": self.all_looks, "create_look": self.create_look, "search_looks": self.search_looks,
            "look": self.look, "update_look": self.look, "delete_look": self.look, "run_look": self.run_look,
            "all_dashboards": self.all_dashboards, "search_dashboards": self.search_dashboards,
            "dashboard": self.dashboard, "dashboard_dashboard_elements": self.dashboard_elements,
            "dashboard_dashboard_filters": self.dashboard_filters,
            "all_folders": self.all_folders, "search_folders": self.search_folders, "folder": self.folder,
            "folder_children": self.folder_children, "folder_looks": self.folder_looks,
            "folder_dashboards": self.folder_dashboards, "folder_children_search": self.folder_children_search,
            "folder_parent": self.folder_parent, "folder_ancestors": self.folder_ancestors,
            **AdminRoutes(self).handlers(), **ContentRoutes(self).handlers(), **QueryRoutes(self).handlers(),
        }

    # --- dispatch: the spec decides what exists -----------------------------------------------
    async def dispatch(self, request: Request) -> Response:
        """/api/4.0/...: find the spec operation, check its parameters and body, run its handler
        (or answer 501 naming it), and in validation mode check the answer against the spec."""
        method, path = request.method, "/" + request.path_params["path"]
        op, path_params, allowed = contract.match(method, path)
        doc_path = op.doc_path if op else path
        try:
            if op is None and allowed:
                raise ApiProblem(405, f"{method} is not allowed here; this path answers {', '.join(allowed)}.",
                                 headers={"Allow": ", ".join(allowed)})
            if op is None:
                raise ApiProblem(404, "Not found")
            if op.id not in PUBLIC_OPERATIONS:
                self.user(request)
            self._check_parameters(op, request)
            request.scope["path_params"] = path_params
            request.state.body = await self._checked_body(op, request)
            handler = self.handlers.get(op.id)
            if handler is None:
                raise ApiProblem(501, f"{op.id} ({op.method} /api/4.0{op.path}) is not implemented by the "
                                      "local Looker.")
            response = await handler(request)
        except ApiProblem as exc:
            response = problem_response(exc, method, doc_path)
        if op is not None and self.state.settings.validate_responses:
            self._record_violations(op, request, response)
        return response

    def _check_parameters(self, op: contract.Operation, request: Request) -> None:
        problems = contract.parameter_problems(op, dict(request.query_params))
        if problems:
            raise ApiProblem(400, "; ".join(f"Query parameter '{name}' {problem}" for name, problem in problems))

    async def _checked_body(self, op: contract.Operation, request: Request):
        schema = op.body_schema
        if schema is None:
            return None
        raw = await request.body()
        if not raw.strip():
            if op.body_required:
                raise invalid("body", "A JSON body is required.", "missing_field")
            return None
        body = parse_json(raw)
        if body is None and op.body_required:
            raise invalid("body", "A JSON body is required, not null.", "missing_field")
        problems = contract.violations(schema, body, answer=False, whole=op.method in ("POST", "PUT"))
        if problems:
            raise ApiProblem(422, "Validation Failed", [(field, "invalid", f"{field} {problem}")
                                                        for field, problem in problems[:20]])
        return body

    def _record_violations(self, op: contract.Operation, request: Request, response: Response) -> None:
        schema = op.response_schema(response.status_code)
        if schema is None or schema.get("type") == "string" or not response.headers.get(
                "content-type", "").startswith("application/json"):
            return  # undeclared, or a result "string" whose text happens to be JSON (run_query and friends)
        try:
            value = json.loads(response.body)
        except ValueError:
            found = [("body", "is not JSON")]
        else:
            found = contract.violations(schema, value, whole="fields" not in request.query_params)
        with self.state.lock:
            self.state.violations += [{"operation": op.id, "status": response.status_code, "field": field,
                                       "problem": problem} for field, problem in found[:20]]

    # --- helpers ---------------------------------------------------------------
    def user(self, request: Request) -> dict:
        header = request.headers.get("authorization", "")
        token = header.split(" ", 1)[1].strip() if " " in header else ""
        with self.state.lock:
            user = self.state.user_for_token(token) if token else None
            if token and token not in self.state.grants:
                self.state.stats["unknown_tokens"] += 1  # a token this Looker never issued (or revoked)
        if user is None:
            raise ApiProblem(401, "Requires authentication.")
        return user

    def admin(self, request: Request) -> dict:
        user = self.user(request)
        if not self.state.is_admin(user):
            raise ApiProblem(403, "Forbidden: this call requires the admin role.")
        return user

    async def json_body(self, request: Request) -> dict:
        body = getattr(request.state, "body", None)
        if body is None:
            return {}
        if not isinstance(body, dict):
            raise invalid("body", "The JSON body must be an object.")
        return body

    @staticmethod
    def pick(items: list[dict], request: Request) -> list[dict]:
        """Apply `fields=` (a comma list) like Looker does."""
        wanted = request.query_params.get("fields")
        if not wanted:
            return items
        keep = {f.strip() for f in wanted.split(",")}
        return [{k: v for k, v in item.items() if k in keep} for item in items]

    def answer(self, request: Request, data) -> JSONResponse:
        if isinstance(data, list):
            return JSONResponse(self.pick(data, request))
        return JSONResponse(self.pick([data], request)[0])

    def get_or_404(self, table: dict, key: str, what: str) -> dict:
        item = table.get(str(key))
        if item is None or item.get("deleted"):
            raise ApiProblem(404, "Not found")
        return item

    # --- permissions (the rules live in access.py) ----------------------------------
    def require(self, user: dict, permission: str) -> None:
        if not self.state.can(user, permission):
            raise ApiProblem(403, f"Forbidden: your roles do not grant '{permission}'.")

    def require_model(self, user: dict, model) -> None:
        if model not in access.models(self.state.access, user):
            raise ApiProblem(403, f"Forbidden: your roles give no access to the model '{str(model)[:80]}'.")

    def visible(self, user: dict, item: dict) -> bool:
        return self.state.folder_access(user, item["folder_id"]) is not None

    def viewable(self, user: dict, table: dict, key: str) -> dict:
        """The content item if it exists and its folder lets `user` see it; 404 otherwise (as Looker hides it)."""
        item = self.get_or_404(table, key, "content")
        if not self.visible(user, item):
            raise ApiProblem(404, "Not found")
        return item

    def require_edit(self, user: dict, folder_id) -> None:
        self.require(user, "save_content")
        if self.state.folder_access(user, folder_id) != "edit":
            raise ApiProblem(403, "Forbidden: you cannot edit content in this folder.")

    # --- session, users, settings -----------------------------------------------
    async def versions(self, request: Request) -> Response:
        s = self.state.settings
        return JSONResponse({
            "looker_release_version": LOOKER_VERSION,
            "current_version": {"version": API_VERSION, "full_version": f"{API_VERSION}.0", "status": "current",
                                "swagger_url": f"{s.api_url}/api/4.0/swagger.json"},
            "supported_versions": [{"version": API_VERSION, "full_version": f"{API_VERSION}.0", "status": "current",
                                    "swagger_url": f"{s.api_url}/api/4.0/swagger.json"}],
            "api_server_url": s.api_url,
            "web_server_url": s.ui_url,
        })

    async def swagger(self, request: Request) -> Response:
        """What the official API 4.0 spec describes (public, like Looker's), pointed at this server."""
        if self._swagger is None:
            s = self.state.settings
            self._swagger = json.dumps({**contract.without_prose(), "host": s.api_url.split("://", 1)[1],
                                        "schemes": [s.api_url.split(":", 1)[0]]}).encode()
        return Response(self._swagger, media_type="application/json")

    async def me(self, request: Request) -> Response:
        return self.answer(request, _user_json(self.user(request)))

    async def all_users(self, request: Request) -> Response:
        self.require(self.user(request), "see_users")
        p = request.query_params  # Looker's paging: limit and offset
        offset, limit = int(p.get("offset", 0)), int(p.get("limit", len(self.state.users)))
        if offset < 0 or limit < 0:
            raise ApiProblem(400, "Query parameters 'offset' and 'limit' cannot be negative.")
        users = list(self.state.users.values())[offset:offset + limit]
        return self.answer(request, [_user_json(u) for u in users])

    async def user_by_id(self, request: Request) -> Response:
        me = self.user(request)
        if request.path_params["user_id"] != me["id"]:
            self.require(me, "see_users")
        return self.answer(request, _user_json(self.get_or_404(self.state.users, request.path_params["user_id"],
                                                               "user")))

    async def get_setting(self, request: Request) -> Response:
        self.admin(request)
        return self.answer(request, self.state.setting)

    async def set_setting(self, request: Request) -> Response:
        """PATCH /setting. A bad value is refused whole (422) so nothing half-applies and CORS keeps working."""
        self.admin(request)
        body = await self.json_body(request)
        changes = {key: value for key, value in body.items() if key in self.state.setting and key != "embed_config"}
        embed = self._embed_config_changes(body["embed_config"]) if "embed_config" in body else {}
        with self.state.lock:
            self.state.setting.update(changes)
            self.state.setting["embed_config"].update(embed)
        return self.answer(request, self.state.setting)

    @staticmethod
    def _embed_config_changes(value) -> dict:
        if not isinstance(value, dict):
            raise invalid("embed_config", "must be an object (EmbedConfig)")
        problems = contract.violations({"$ref": "#/definitions/EmbedConfig"}, value, "embed_config", answer=False)
        if problems:
            raise ApiProblem(422, "Validation Failed", [(f, "invalid", f"{f} {p}") for f, p in problems[:20]])
        changes = {k: v for k, v in value.items() if k in contract.resolve({"$ref": "#/definitions/EmbedConfig"})
                   ["properties"]}
        if "domain_allowlist" in changes:
            entries = changes["domain_allowlist"]
            if entries is None:
                raise invalid("embed_config.domain_allowlist", "must be a list of origins ([] allows none)")
            try:
                changes["domain_allowlist"] = [normalize_entry(entry) for entry in entries]
            except ValueError as exc:
                raise invalid("embed_config.domain_allowlist", str(exc))
        return changes

    # --- OAuth client apps (admin) ------------------------------------------------
    async def oauth_apps(self, request: Request) -> Response:
        self.admin(request)
        return self.answer(request, list(self.state.apps.values()))

    async def oauth_app(self, request: Request) -> Response:
        self.admin(request)
        guid = request.path_params["client_guid"]
        if request.method == "GET":
            return self.answer(request, self.get_or_404(self.state.apps, guid, "app"))
        if request.method == "DELETE":
            with self.state.lock:
                if self.state.apps.pop(guid, None) is None:
                    raise ApiProblem(404, "Not found")
                self.state.revoke_client(guid)
            return Response(status_code=204)
        body = await self.json_body(request)
        with self.state.lock:
            if request.method == "POST":
                if guid in self.state.apps:
                    raise ApiProblem(409, "An OAuth client app with this client_guid already exists")
                missing = [f for f in ("redirect_uri", "display_name") if not body.get(f)]
                if missing:
                    raise ApiProblem(422, "Validation Failed",
                                     [(f, "missing_field", f"{f} is required.") for f in missing])
                app = {"client_guid": guid, "redirect_uri": body["redirect_uri"],
                       "display_name": body["display_name"], "description": body.get("description", ""),
                       "enabled": bool(body.get("enabled", True)), "group_id": body.get("group_id"),
                       "tokens_invalid_before": dt.datetime.now(dt.timezone.utc).isoformat(),
                       "activated_users": [], "can": {}}
                self.state.apps[guid] = app
            else:  # PATCH
                app = self.get_or_404(self.state.apps, guid, "app")
                for key in ("redirect_uri", "display_name", "description", "enabled", "group_id"):
                    if key in body:
                        app[key] = body[key]
                if not app["enabled"]:
                    self.state.revoke_client(guid)
        return self.answer(request, app)

    # --- LookML metadata ---------------------------------------------------------
    def _model_json(self) -> dict:
        return {"name": MODEL, "label": "The Look", "project_name": MODEL, "unlimited_db_connections": False,
                "has_content": True, "allowed_db_connection_names": ["demo"],
                "explores": [{"name": e, "label": EXPLORE_LABELS[e], "description": None, "group_label": "The Look",
                              "hidden": False} for e in EXPLORES],
                "can": {"index": True, "show": True}}

    async def lookml_models(self, request: Request) -> Response:
        self.user(request)
        return self.answer(request, [self._model_json()])

    async def lookml_model(self, request: Request) -> Response:
        self.user(request)
        if request.path_params["lookml_model_name"] != MODEL:
            raise ApiProblem(404, "Not found")
        return self.answer(request, self._model_json())

    async def explore(self, request: Request) -> Response:
        self.user(request)
        name = request.path_params["explore_name"]
        if request.path_params["lookml_model_name"] != MODEL or name not in EXPLORES:
            raise ApiProblem(404, "Not found")
        fields = explore_fields(name)
        metas = [f.metadata(VIEWS[f.view]["label"]) for f in fields.values()]
        base, joins = EXPLORES[name]
        return self.answer(request, {
            "id": f"{MODEL}::{name}", "name": name, "label": EXPLORE_LABELS[name], "model_name": MODEL,
            "view_name": base, "description": None, "hidden": False, "group_label": "The Look",
            "connection_name": "demo", "null_sort_treatment": "low", "files": [], "tags": [],
            "fields": {"dimensions": [m for m in metas if m["category"] == "dimension"],
                       "measures": [m for m in metas if m["category"] == "measure"],
                       "filters": [], "parameters": []},
            "joins": [{"name": v, "dependent_fields": [], "fields": [], "foreign_key": None, "from": None,
                       "outer_only": False, "relationship": "many_to_one", "required_joins": [], "sql_foreign_key": None,
                       "sql_on": sql.split(" ON ", 1)[1], "sql_table_name": None, "type": "left_outer", "view_label": None}
                      for v, sql in joins],
            "scopes": [base] + [v for v, _ in joins], "can_total": True, "can_save": True, "can_explain": False,
            "can_pivot_in_db": True, "can_subtotal": True, "has_timezone_support": True,
            "supports_cost_estimate": False, "always_filter": [], "conditionally_filter": [],
            "index_fields": [], "sets": [], "access_filters": [], "aliases": [],
        })

    # --- queries ----------------------------------------------------------------
    def _new_query(self, body: dict) -> dict:
        from .seed import query as make_query

        for required in ("model", "view"):
            if not body.get(required):
                raise invalid(required, f"{required} is required.", "missing_field")
        self._compile(body)  # validate now, like Looker does on create
        with self.state.lock:
            qid = self.state.next_query_id
            self.state.next_query_id += 1
            query = make_query(qid, body["view"], list(body.get("fields") or []), dict(body.get("filters") or {}),
                               list(body.get("sorts") or []), str(body.get("limit") or "500"),
                               body.get("pivots"), (body.get("vis_config") or {}).get("type", "looker_grid"),
                               bool(body.get("total")))
            query["model"] = body["model"]
            query["slug"] = secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")
            query["client_id"] = secrets.token_hex(11)
            query["vis_config"] = body.get("vis_config") or query["vis_config"]
            query["share_url"] = f"{self.state.settings.ui_url}/x/{query['slug']}"
            self.state.queries[query["id"]] = query
        return query

    def _compile(self, body: dict) -> None:
        try:
            from .model import compile_query

            compile_query(body, self.state.today)
        except QueryError as exc:
            if exc.code == "not_found":
                raise ApiProblem(404, str(exc))
            raise invalid(exc.field, str(exc), exc.code)

    async def run(self, request: Request, body: dict, fmt: str) -> Response:
        if fmt not in queries.FORMATS:
            raise ApiProblem(400, f"Unsupported result format '{fmt}'. Use one of: {', '.join(queries.FORMATS)}")
        self._compile(body)
        limit = request.query_params.get("limit")
        if limit is not None and not -1 <= int(limit) <= MAX_ROW_LIMIT:
            raise ApiProblem(400, f"Query parameter 'limit' must be -1 (no limit) or 0 to {MAX_ROW_LIMIT}.")
        limit = int(limit) if limit else None
        key = self.state.results.key(body, fmt, limit, self.state.today)
        cached = self.state.results.get(key) if request.query_params.get("cache") != "false" else None
        if cached is not None:
            return Response(cached[1], media_type=cached[0])
        # in a worker thread, so concurrent queries overlap as they do on a real Looker
        self.state.stats["query_runs"] += 1
        content_type, text = await run_in_threadpool(queries.run, self.state.db_path, body, fmt, self.state.today,
                                                     limit)
        self.state.results.put(key, content_type, text)
        return Response(text, media_type=content_type)

    async def create_query(self, request: Request) -> Response:
        body = await self.json_body(request)
        self.may_create_query(self.user(request), body)
        return self.answer(request, self._new_query(body))

    def may_create_query(self, user: dict, body: dict) -> None:
        """`explore`, or a dashboard tile's query with its dashboard filters changed (access.py)."""
        if self.state.can(user, "explore") or not isinstance(body.get("fields"), list):
            return self.may_explore(user, body)
        tiles = [e for d in self.visible_dashboards(user) for e in d["dashboard_elements"]]
        if not access.is_filtered_tile(body, tiles):
            return self.may_explore(user, body)
        self.may_run(user, body)

    def may_explore(self, user: dict, body: dict) -> None:
        self.require(user, "explore")
        if body.get("model"):
            self.require_model(user, body["model"])

    def may_run(self, user: dict, query: dict) -> None:
        self.require(user, "access_data")
        self.require_model(user, query["model"])

    async def query(self, request: Request) -> Response:
        self.user(request)
        return self.answer(request, self.get_or_404(self.state.queries, request.path_params["query_id"], "query"))

    async def query_for_slug(self, request: Request) -> Response:
        self.user(request)
        slug = request.path_params["slug"]
        match = next((q for q in self.state.queries.values() if q["slug"] == slug), None)
        if match is None:
            raise ApiProblem(404, "Not found")
        return self.answer(request, match)

    async def run_query(self, request: Request) -> Response:
        query = self.get_or_404(self.state.queries, request.path_params["query_id"], "query")
        self.may_run(self.user(request), query)
        return await self.run(request, query, request.path_params["result_format"])

    async def run_inline_query(self, request: Request) -> Response:
        body = await self.json_body(request)
        self.may_explore(self.user(request), body)
        return await self.run(request, body, request.path_params["result_format"])

    # --- looks ------------------------------------------------------------------
    def visible_looks(self, user: dict) -> list[dict]:
        if not self.state.can(user, "see_looks"):
            return []
        return [lk for lk in self.state.looks.values() if not lk["deleted"] and self.visible(user, lk)]

    async def all_looks(self, request: Request) -> Response:
        looks = self.visible_looks(self.user(request))
        return self.answer(request, [contract.declared("Look", lk) for lk in looks])

    async def search_looks(self, request: Request) -> Response:
        looks = self._search(self.visible_looks(self.user(request)), request)
        return self.answer(request, [contract.declared("Look", lk) for lk in looks])

    def _search(self, items: list[dict], request: Request) -> list[dict]:
        """Looker's search: exact match, or '%' wildcards (case-insensitive) on title; folder_id; sorts; paging."""
        p = request.query_params
        result = [i for i in items if not i.get("deleted")]
        title = p.get("title")
        if title:
            if "%" in title:
                parts = [s.lower() for s in title.split("%")]
                result = [i for i in result if all(s in i["title"].lower() for s in parts)]
            else:
                result = [i for i in result if i["title"].lower() == title.lower()]
        if p.get("folder_id"):
            result = [i for i in result if i["folder_id"] == p["folder_id"]]
        if p.get("id"):
            result = [i for i in result if i["id"] == p["id"]]
        if p.get("sorts"):
            field, _, direction = p["sorts"].partition(" ")
            result.sort(key=lambda i: str(i.get(field, "")), reverse=direction.strip().lower() == "desc")
        offset, limit = int(p.get("offset", 0)), int(p.get("limit", 1000))
        if offset < 0 or limit < 0:
            raise ApiProblem(400, "Query parameters 'offset' and 'limit' cannot be negative.")
        return result[offset:offset + limit]

    async def look(self, request: Request) -> Response:
        user = self.user(request)
        look_id = request.path_params["look_id"]
        if request.method == "GET":
            return self.answer(request, self.viewable(user, self.state.looks, look_id))
        with self.state.lock:
            look = self.viewable(user, self.state.looks, look_id)
            self.require_edit(user, look["folder_id"])
            body = await self.json_body(request)
            if "folder_id" in body:
                self.require_edit(user, body["folder_id"])
            if request.method == "DELETE":
                look["deleted"] = True
                return Response(status_code=204)
            self._update_look(look, body)
        return self.answer(request, look)

    def _update_look(self, look: dict, body: dict) -> None:
        """Check every part first, then change the Look: a refused update changes nothing."""
        query = self.referenced(self.state.queries, body, "query_id") if "query_id" in body else None
        folder = self.referenced(self.state.folders, body, "folder_id") if "folder_id" in body else None
        for key in ("title", "description", "is_run_on_load", "public"):
            if key in body:
                look[key] = body[key]
        if query is not None:
            look["query"], look["query_id"] = query, query["id"]
        if folder is not None:
            look["folder_id"], look["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
        look["updated_at"] = dt.datetime.now(dt.timezone.utc).isoformat()

    @staticmethod
    def referenced(table: dict, body: dict, field: str) -> dict:
        """The object a body field names, or a 422 naming the field."""
        if body.get(field) is None:
            raise invalid(field, f"{field} is required.", "missing_field")
        item = table.get(str(body[field]))
        if item is None or item.get("deleted"):
            raise invalid(field, f"{field} {str(body[field])[:40]} does not exist", "not_found")
        return item

    async def create_look(self, request: Request) -> Response:
        user = self.user(request)
        body = await self.json_body(request)
        errors = [(f, "missing_field", f"{f} is required.") for f in ("title", "query_id", "folder_id")
                  if not body.get(f)]
        errors += [(f, "invalid", f"{f} must be a string.") for f in ("title", "description")
                   if body.get(f) and not isinstance(body[f], str)]
        errors += [(f, "invalid", f"{f} must be true or false.") for f in ("is_run_on_load", "public")
                   if f in body and not isinstance(body[f], bool)]
        if errors:
            raise ApiProblem(422, "Validation Failed", errors)
        from .seed import look as make_look

        with self.state.lock:  # who may save comes before what exists there: a refusal tells nothing
            query = self.referenced(self.state.queries, body, "query_id")
            folder = self.referenced(self.state.folders, body, "folder_id")
            self.require_edit(user, folder["id"])
            if any(lk["title"] == body["title"] and lk["folder_id"] == folder["id"] and not lk["deleted"]
                   for lk in self.state.looks.values()):
                raise ApiProblem(409, "A look with this title already exists in that folder")
            new_id = max(int(k) for k in self.state.looks) + 1
            look = make_look(new_id, body["title"], query, folder, body.get("description") or "")
            look["user_id"] = user["id"]
            for key in ("is_run_on_load", "public"):
                look[key] = body.get(key, look[key])
            self.state.looks[look["id"]] = look
        return self.answer(request, look)

    async def run_look(self, request: Request) -> Response:
        user = self.user(request)
        look = self.viewable(user, self.state.looks, request.path_params["look_id"])
        self.may_run(user, look["query"])
        return await self.run(request, look["query"], request.path_params["result_format"])

    # --- dashboards ---------------------------------------------------------------
    def visible_dashboards(self, user: dict) -> list[dict]:
        if not self.state.can(user, "see_user_dashboards"):
            return []
        return [d for d in self.state.dashboards.values() if not d["deleted"] and self.visible(user, d)]

    async def all_dashboards(self, request: Request) -> Response:
        return self.answer(request, [self._dashboard_base(d) for d in self.visible_dashboards(self.user(request))])

    @staticmethod
    def _dashboard_base(d: dict) -> dict:
        return contract.declared("DashboardBase", d)

    async def search_dashboards(self, request: Request) -> Response:
        return self.answer(request, self._search(self.visible_dashboards(self.user(request)), request))

    def board(self, request: Request) -> dict:
        return self.viewable(self.user(request), self.state.dashboards, request.path_params["dashboard_id"])

    async def dashboard(self, request: Request) -> Response:
        return self.answer(request, self.board(request))

    async def dashboard_elements(self, request: Request) -> Response:
        return self.answer(request, self.board(request)["dashboard_elements"])

    async def dashboard_filters(self, request: Request) -> Response:
        return self.answer(request, self.board(request)["dashboard_filters"])

    # --- folders ------------------------------------------------------------------
    def folder_json(self, folder: dict) -> dict:
        out = copy.deepcopy(folder)
        out["child_count"] = sum(1 for f in self.state.folders.values() if f["parent_id"] == folder["id"])
        return out

    def _visible_folders(self, user: dict) -> list[dict]:
        return [f for f in self.state.folders.values() if self.state.folder_access(user, f["id"]) is not None]

    def folder_of(self, request: Request) -> dict:
        folder = self.get_or_404(self.state.folders, request.path_params["folder_id"], "folder")
        if self.state.folder_access(self.user(request), folder["id"]) is None:
            raise ApiProblem(404, "Not found")
        return folder

    async def all_folders(self, request: Request) -> Response:
        return self.answer(request, [self.folder_json(f) for f in self._visible_folders(self.user(request))])

    @staticmethod
    def _folder_matches(folder: dict, p) -> bool:
        name = (p.get("name") or "").lower()
        return ((not name or all(part in folder["name"].lower() for part in name.split("%")))
                and (not p.get("parent_id") or folder["parent_id"] == p["parent_id"])
                and (not p.get("id") or folder["id"] == p["id"]))

    async def search_folders(self, request: Request) -> Response:
        found = [f for f in self._visible_folders(self.user(request)) if self._folder_matches(f, request.query_params)]
        return self.answer(request, [self.folder_json(f) for f in found])

    async def folder(self, request: Request) -> Response:
        return self.answer(request, self.folder_json(self.folder_of(request)))

    async def folder_children(self, request: Request) -> Response:
        fid = self.folder_of(request)["id"]
        return self.answer(request, [self.folder_json(f) for f in self._visible_folders(self.user(request))
                                     if f["parent_id"] == fid])

    async def folder_children_search(self, request: Request) -> Response:
        fid = self.folder_of(request)["id"]
        return self.answer(request, [self.folder_json(f) for f in self._visible_folders(self.user(request))
                                     if f["parent_id"] == fid and self._folder_matches(f, request.query_params)])

    async def folder_parent(self, request: Request) -> Response:
        folder = self.folder_of(request)
        if folder["parent_id"] is None:
            raise ApiProblem(404, "Not found")
        return self.answer(request, self.folder_json(self.state.folders[folder["parent_id"]]))

    async def folder_ancestors(self, request: Request) -> Response:
        """From the root down to the folder's parent, as Looker lists them."""
        folder, chain = self.folder_of(request), []
        while folder["parent_id"] is not None and folder["parent_id"] not in {f["id"] for f in chain}:
            folder = self.state.folders[folder["parent_id"]]
            chain.insert(0, folder)
        return self.answer(request, [self.folder_json(f) for f in chain])

    async def folder_looks(self, request: Request) -> Response:
        fid = self.folder_of(request)["id"]
        return self.answer(request, [lk for lk in self.visible_looks(self.user(request)) if lk["folder_id"] == fid])

    async def folder_dashboards(self, request: Request) -> Response:
        fid = self.folder_of(request)["id"]
        return self.answer(request, [self._dashboard_base(d) for d in self.visible_dashboards(self.user(request))
                                     if d["folder_id"] == fid])
