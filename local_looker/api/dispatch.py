"""/api/4.0/...: the spec decides what exists. Find the operation, authenticate, check its query
parameters and body, hand a `Ctx` to the handler its operation id maps to (or answer 501 naming it),
and in validation mode check the answer against the spec. Also /versions and swagger.json."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import contract
from ..errors import ApiProblem, invalid, parse_json, problem_response
from ..oauth_routes import OAuth
from ..state import State
from . import admin, appearance, attributes, content, dashboards, folders, lookml, looks, querying, roles, users
from .context import Ctx, Store

API_VERSION = "4.0"
LOOKER_VERSION = contract.spec()["info"]["x-looker-release-version"]  # the release whose spec this Looker follows
PUBLIC_OPERATIONS = {"login", "versions"}  # everything else needs a token first, as on Looker
AREAS = (users, roles, attributes, admin, appearance, lookml, querying, looks, dashboards, folders, content)


class Dispatcher:
    def __init__(self, state: State, oauth: OAuth):
        self.state, self.store = state, Store(state)
        self.store.attributes.update(attributes.seeded())
        self._swagger: bytes | None = None
        self.handlers = {"versions": lambda ctx: self.versions(ctx.request),
                         "login": lambda ctx: oauth.api_login(ctx.request),
                         "logout": lambda ctx: oauth.logout(ctx.request)}
        for area in AREAS:
            self.handlers.update(area.HANDLERS)

    async def dispatch(self, request: Request) -> Response:
        method, path = request.method, "/" + request.path_params["path"]
        op, path_params, allowed = contract.match(method, path)
        doc_path = op.doc_path if op else path
        try:
            if op is None and allowed:
                raise ApiProblem(405, f"{method} is not allowed here; this path answers {', '.join(allowed)}.",
                                 headers={"Allow": ", ".join(allowed)})
            if op is None:
                raise ApiProblem(404, "Not found")
            request.scope["path_params"] = path_params
            ctx = Ctx(request, self.state, self.store, path_params, None)
            if op.id not in PUBLIC_OPERATIONS:
                ctx.user  # noqa: B018 — authenticates (401) before anything else is looked at
            self._check_parameters(op, request)
            ctx.body = await self._checked_body(op, request)
            handler = self.handlers.get(op.id)
            if handler is None:
                raise ApiProblem(501, f"{op.id} ({op.method} /api/4.0{op.path}) is not implemented by the "
                                      "local Looker.")
            response = await handler(ctx)
        except ApiProblem as exc:
            response = problem_response(exc, method, doc_path)
        if op is not None and self.state.settings.validate_responses:
            self._record_violations(op, request, response)
        return response

    @staticmethod
    def _check_parameters(op: contract.Operation, request: Request) -> None:
        problems = contract.parameter_problems(op, dict(request.query_params))
        if problems:
            raise ApiProblem(400, "; ".join(f"Query parameter '{name}' {problem}" for name, problem in problems))

    @staticmethod
    async def _checked_body(op: contract.Operation, request: Request):
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
        return contract.as_declared(schema, body)

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

    # --- outside /api/4.0 as well --------------------------------------------------------------------------
    async def versions(self, request: Request) -> Response:
        """Both URLs, without a token (docs/REAL_LOOKER.md#versions)."""
        s = self.state.settings
        current = {"version": API_VERSION, "full_version": f"{API_VERSION}.0", "status": "current",
                   "swagger_url": f"{s.api_url}/api/4.0/swagger.json"}
        return JSONResponse({"looker_release_version": LOOKER_VERSION, "current_version": current,
                             "supported_versions": [current], "api_server_url": s.api_url,
                             "web_server_url": s.ui_url})

    async def swagger(self, request: Request) -> Response:
        """What the official API 4.0 spec describes (public, like Looker's), pointed at this server."""
        if self._swagger is None:
            s = self.state.settings
            self._swagger = json.dumps({**contract.without_prose(), "host": s.api_url.split("://", 1)[1],
                                        "schemes": [s.api_url.split(":", 1)[0]]}).encode()
        return Response(self._swagger, media_type="application/json")
