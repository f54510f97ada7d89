"""The local Looker's two hosts, wired up: routes, CORS from the allowlist, faults.

UI host: /auth, /login, /auth/decide, /versions.
API host: /api/token, /api/logout, /login, /versions, /api/4.0/..., and
/_local/... switches for tests (loopback only, never CORS-enabled).
"""

from __future__ import annotations

import asyncio
import random
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .api_routes import Api, ApiProblem, problem_response
from .data import database
from .oauth_routes import OAuth
from .state import Faults, Settings, State

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, Accept, X-Looker-AppId, X-Requested-With"
EXPOSED = "Retry-After, Content-Disposition, X-Request-Id"
EXPOSED_WITHOUT_RETRY_AFTER = "Content-Disposition, X-Request-Id"  # the fault `expose_retry_after: false`


class Cors:
    """CORS headers only for origins on the embedded domain allowlist; never '*'."""

    def __init__(self, app, state: State):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/_local"):
            return await self.app(scope, receive, send)
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        origin = headers.get("origin")
        allowed = origin is not None and self.state.allowed_origin(origin)
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            response = Response(status_code=204 if allowed else 403)
            if allowed:
                response.headers.update({
                    "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": CORS_METHODS,
                    "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600", "Vary": "Origin",
                })
            return await response(scope, receive, send)

        async def send_with_cors(message):
            if message["type"] == "http.response.start" and allowed:
                message["headers"] = list(message.get("headers", [])) + [
                    (b"access-control-allow-origin", origin.encode()),
                    (b"access-control-expose-headers",
                     (EXPOSED if self.state.faults.expose_retry_after else EXPOSED_WITHOUT_RETRY_AFTER).encode()),
                    (b"vary", b"Origin"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cors)


class FaultInjection:
    """Latency, 429s and 5xx on /api/4.0 calls, as switched on through /_local/faults."""

    def __init__(self, app, state: State):
        self.app, self.state = app, state
        self.random = random.Random(1)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/api/4.0/") or scope["method"] == "OPTIONS":
            return await self.app(scope, receive, send)
        faults = self.state.faults
        self.state.stats["api_calls"] += 1
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        response = None
        with self.state.lock:
            every = faults.rate_limit_every
            if faults.rate_limit_next > 0 or (every and self.state.stats["api_calls"] % every == 0):
                faults.rate_limit_next = max(0, faults.rate_limit_next - 1)
                self.state.stats["rate_limited"] += 1
                response = JSONResponse({"message": "Too many requests. Slow down.",
                                         "documentation_url": "https://cloud.google.com/looker/docs/"},
                                        status_code=429, headers={"Retry-After": str(faults.retry_after)})
            elif faults.fail_next > 0:
                faults.fail_next -= 1
                response = JSONResponse({"message": "Service unavailable", "documentation_url": ""}, status_code=503)
            elif faults.error_rate and self.random.random() < faults.error_rate:
                response = JSONResponse({"message": "Internal server error", "documentation_url": ""},
                                        status_code=500)
        if response is not None:
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _local_routes(state: State) -> list[Route]:
    async def faults(request: Request) -> Response:
        if request.method == "POST":
            body = await request.json()
            with state.lock:
                state.faults = Faults(**{**state.faults.__dict__, **body})
        return JSONResponse(state.faults.__dict__)

    async def stats(request: Request) -> Response:
        if request.method == "DELETE":
            for key in state.stats:
                state.stats[key] = 0
        return JSONResponse({**state.stats, "live_tokens": len(state.grants)})

    async def expire_tokens(request: Request) -> Response:
        """Expire every live access token, or only those of {"client_guid": ...}."""
        only = (await request.json() if await request.body() else {}).get("client_guid")
        with state.lock:
            grants = [g for g in state.grants.values() if only is None or g.client_guid == only]
            for grant in grants:
                grant.expires_at = time.time() - 1
        return JSONResponse({"expired": len(grants)})

    async def expire_codes(request: Request) -> Response:
        with state.lock:
            for code in state.codes.values():
                code["expires_at"] = time.time() - 1
        return JSONResponse({"expired": len(state.codes)})

    async def revoke_tokens(request: Request) -> Response:
        with state.lock:
            count = len(state.grants)
            for grant in list(state.grants.values()):
                state.revoke(grant)
        return JSONResponse({"revoked": count})

    async def token_status(request: Request) -> Response:
        token = (await request.json()).get("access_token", "")
        return JSONResponse({"valid": state.user_for_token(token) is not None})

    return [
        Route("/_local/faults", faults, methods=["GET", "POST"]),
        Route("/_local/stats", stats, methods=["GET", "DELETE"]),
        Route("/_local/expire_tokens", expire_tokens, methods=["POST"]),
        Route("/_local/revoke_tokens", revoke_tokens, methods=["POST"]),
        Route("/_local/expire_codes", expire_codes, methods=["POST"]),
        Route("/_local/token_status", token_status, methods=["POST"]),
    ]


def build(settings: Settings) -> tuple[State, Starlette, Starlette]:
    """(state, UI app, API app) sharing one State."""
    state = State(settings, database(settings.cache_dir))
    oauth, api = OAuth(state), Api(state)

    async def problem(request: Request, exc: ApiProblem) -> Response:
        return problem_response(exc)

    async def not_found(request: Request, exc) -> Response:
        if request.url.path.startswith("/api/"):
            return problem_response(ApiProblem(404, "Not found"))
        return PlainTextResponse("Not found", status_code=404)

    handlers = {ApiProblem: problem, 404: not_found}
    ui = Starlette(routes=[
        Route("/auth", oauth.auth),
        Route("/auth/decide", oauth.decide, methods=["POST"]),
        Route("/login", oauth.login_page),
        Route("/login", oauth.login_submit, methods=["POST"]),
        Route("/versions", api.versions),
    ], exception_handlers=handlers)

    v = "/api/4.0"
    api_app = Starlette(routes=[
        Route("/versions", api.versions),
        Route("/api/versions", api.versions),
        Route(f"{v}/versions", api.versions),
        Route("/api/token", oauth.token, methods=["POST"]),
        Route("/api/logout", oauth.logout, methods=["DELETE"]),
        Route("/login", oauth.api_login, methods=["POST"]),
        Route("/api/4.0/login", oauth.api_login, methods=["POST"]),
        Route(f"{v}/swagger.json", api.swagger),
        Route(f"{v}/user", api.me),
        Route(f"{v}/users", api.all_users),
        Route(f"{v}/users/{{user_id}}", api.user_by_id),
        Route(f"{v}/setting", api.get_setting),
        Route(f"{v}/setting", api.set_setting, methods=["PATCH"]),
        Route(f"{v}/oauth_client_apps", api.oauth_apps),
        Route(f"{v}/oauth_client_apps/{{client_guid}}", api.oauth_app, methods=["GET", "POST", "PATCH", "DELETE"]),
        Route(f"{v}/lookml_models", api.lookml_models),
        Route(f"{v}/lookml_models/{{model}}", api.lookml_model),
        Route(f"{v}/lookml_models/{{model}}/explores/{{explore}}", api.explore),
        Route(f"{v}/queries", api.create_query, methods=["POST"]),
        Route(f"{v}/queries/run/{{result_format}}", api.run_inline_query, methods=["POST"]),
        Route(f"{v}/queries/slug/{{slug}}", api.query_for_slug),
        Route(f"{v}/queries/{{query_id}}", api.query),
        Route(f"{v}/queries/{{query_id}}/run/{{result_format}}", api.run_query),
        Route(f"{v}/looks", api.all_looks),
        Route(f"{v}/looks", api.create_look, methods=["POST"]),
        Route(f"{v}/looks/search", api.search_looks),
        Route(f"{v}/looks/{{look_id}}", api.look, methods=["GET", "PATCH", "DELETE"]),
        Route(f"{v}/looks/{{look_id}}/run/{{result_format}}", api.run_look),
        Route(f"{v}/dashboards", api.all_dashboards),
        Route(f"{v}/dashboards/search", api.search_dashboards),
        Route(f"{v}/dashboards/{{dashboard_id}}", api.dashboard),
        Route(f"{v}/dashboards/{{dashboard_id}}/dashboard_elements", api.dashboard_elements),
        Route(f"{v}/dashboards/{{dashboard_id}}/dashboard_filters", api.dashboard_filters),
        Route(f"{v}/folders", api.all_folders),
        Route(f"{v}/folders/search", api.search_folders),
        Route(f"{v}/folders/{{folder_id}}", api.folder),
        Route(f"{v}/folders/{{folder_id}}/children", api.folder_children),
        Route(f"{v}/folders/{{folder_id}}/looks", api.folder_looks),
        Route(f"{v}/folders/{{folder_id}}/dashboards", api.folder_dashboards),
        *_local_routes(state),
    ], exception_handlers=handlers)
    return state, Cors(ui, state), Cors(FaultInjection(api_app, state), state)
