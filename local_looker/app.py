"""The local Looker's two hosts, wired up: routes, CORS from the allowlist, faults.

UI host: /auth, /login, /auth/decide, /versions; in strict mode (the default) it answers no CORS
(REAL_LOOKER.md#ui-host-cors), so no page can ask it anything.
API host: /api/token, /api/logout, /login, /versions, /api/4.0/... (routed by the official spec), and
/_local/... switches for tests (never CORS-enabled; they need a custom header or an admin token).
Every host is wrapped so that no input produces a non-JSON error or a broken connection.
"""

from __future__ import annotations

import asyncio
import random

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .api.dispatch import Dispatcher
from .data import database
from .errors import ApiProblem, BodyLimit, Guard, HeadLimit, internal_error_body, invalid, parse_json, problem_response
from .oauth_routes import OAuth
from .signout import SignOut
from .state import Faults, Settings, State

CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, Accept, X-Looker-AppId, X-Requested-With"
EXPOSED = "Retry-After, Content-Disposition, X-Request-Id"
EXPOSED_WITHOUT_RETRY_AFTER = "Content-Disposition, X-Request-Id"  # the fault `expose_retry_after: false`


class Cors:
    """CORS headers only for origins on the embedded domain allowlist; never '*' (REAL_LOOKER.md#api-cors).
    The fault `refuse_logout_cors` leaves /api/logout without them (REAL_LOOKER.md#logout-cors), and turns
    away a cross-origin request there that a browser sends on a preflight it cached before the fault."""

    def __init__(self, app, state: State):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/_local"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        refused = scope["path"] == "/api/logout" and self.state.faults.refuse_logout_cors
        allowed = origin is not None and not refused and self.state.allowed_origin(origin)
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            self.state.stats["preflights"] += 1
            response = Response(status_code=204 if allowed else 403)
            if allowed:
                response.headers.update({
                    "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": CORS_METHODS,
                    "Access-Control-Allow-Headers": CORS_HEADERS, "Access-Control-Max-Age": "600", "Vary": "Origin",
                })
            return await response(scope, receive, send)
        if refused and origin is not None:  # such an instance never gets one from a page: it refuses every preflight
            return await Response(status_code=403)(scope, receive, send)

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


class Outage:
    """The fault `outage`: Looker is down. Every request to the API host but /_local (and CORS preflights,
    which a load balancer in front of Looker answers itself) gets a 503, /api/token included."""

    def __init__(self, app, state: State):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        down = (scope["type"] == "http" and self.state.faults.outage and not scope["path"].startswith("/_local")
                and scope["method"] != "OPTIONS")
        if not down:
            return await self.app(scope, receive, send)
        self.state.stats["outage_answers"] += 1
        await problem_response(ApiProblem(503, "Service unavailable (Looker is down: an injected outage)"),
                               scope["method"], scope["path"])(scope, receive, send)


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
        fault = None
        with self.state.lock:
            every = faults.rate_limit_every
            if faults.rate_limit_next > 0 or (every and self.state.stats["api_calls"] % every == 0):
                faults.rate_limit_next = max(0, faults.rate_limit_next - 1)
                self.state.stats["rate_limited"] += 1
                fault = ApiProblem(429, "Too many requests. Slow down.",
                                      headers={"Retry-After": str(faults.retry_after)})
            elif faults.fail_next > 0:
                faults.fail_next -= 1
                fault = ApiProblem(503, "Service unavailable")
            elif faults.error_rate and self.random.random() < faults.error_rate:
                fault = ApiProblem(500, "Internal server error (an injected fault)")
        if fault is not None:
            return await problem_response(fault, scope["method"], scope["path"])(scope, receive, send)
        await self.app(scope, receive, trickled(send, faults.trickle_ms) if faults.trickle_ms else send)


TRICKLE_BYTES = 64


def trickled(send, pause_ms):
    """`send` with each response body cut into TRICKLE_BYTES pieces sent pause_ms apart."""
    async def sending(message):
        if message["type"] != "http.response.body":
            return await send(message)
        body, more = message.get("body", b""), message.get("more_body", False)
        for start in range(0, len(body), TRICKLE_BYTES):
            last = start + TRICKLE_BYTES >= len(body)
            await send({"type": "http.response.body", "body": body[start:start + TRICKLE_BYTES],
                        "more_body": more or not last})
            if not last:
                await asyncio.sleep(pause_ms / 1000)
        if not body:
            await send(message)
    return sending


LOCAL_HEADER = "x-local-looker"  # a custom header makes the request non-simple: other origins are stopped at preflight
FAULT_LIMITS = {  # field -> (type, lowest, highest)
    "latency_ms": (int, 0, 60_000), "error_rate": (float, 0.0, 1.0), "rate_limit_next": (int, 0, 1_000_000),
    "retry_after": (int, 0, 3_600), "rate_limit_every": (int, 0, 1_000_000), "expose_retry_after": (bool, None, None),
    "fail_next": (int, 0, 1_000_000), "refuse_logout_cors": (bool, None, None), "trickle_ms": (int, 0, 5_000),
    "outage": (bool, None, None), "no_refresh_tokens": (bool, None, None),
}
LONGEST_CLOCK_MOVE = 400 * 24 * 3600  # seconds one /_local/clock call may move the clock forward


def fault_problems(body) -> list[tuple[str, str, str]]:
    """[(field, code, message)] for a /_local/faults body; empty when every value fits FAULT_LIMITS."""
    if not isinstance(body, dict):
        return [("body", "invalid", "must be a JSON object of fault switches")]
    problems = []
    for key, value in body.items():
        if key not in FAULT_LIMITS:
            problems.append((key, "invalid", f"unknown switch; known: {', '.join(FAULT_LIMITS)}"))
            continue
        kind, low, high = FAULT_LIMITS[key]
        fits = isinstance(value, bool) if kind is bool else (
            isinstance(value, (int, float) if kind is float else int) and not isinstance(value, bool)
            and low <= value <= high)
        if not fits:
            problems.append((key, "invalid", f"must be {'true or false' if kind is bool else f'a number from {low} to {high}'}"))
    return problems


class LocalSwitches:
    """Test switches under /_local. Each needs the X-Local-Looker header (no page on another origin can send it
    without a preflight, which /_local never answers) or an admin token, and JSON bodies that fit."""

    def __init__(self, state: State) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        table = [("faults", self.faults, ["GET", "POST"]), ("stats", self.stats, ["GET", "DELETE"]),
                 ("violations", self.violations, ["GET", "DELETE"]), ("expire_tokens", self.expire_tokens, ["POST"]),
                 ("revoke_tokens", self.revoke_tokens, ["POST"]), ("expire_codes", self.expire_codes, ["POST"]),
                 ("token_status", self.token_status, ["POST"]), ("clock", self.clock, ["GET", "POST"])]
        return [Route("/_local/" + name, self.guarded(handler), methods=methods) for name, handler, methods in table]

    def guarded(self, handler):
        async def checked(request: Request) -> Response:
            user = self.state.user_for_token(request.headers.get("authorization", "").partition(" ")[2].strip())
            if request.headers.get(LOCAL_HEADER) != "1" and not (user and self.state.is_admin(user)):
                raise ApiProblem(403, f"/_local switches need the header '{LOCAL_HEADER}: 1' or an admin token.")
            raw = await request.body()
            request.state.body = parse_json(raw) if raw.strip() else {}
            if not isinstance(request.state.body, dict):
                raise invalid("body", "must be a JSON object")
            return await handler(request)
        return checked

    async def faults(self, request: Request) -> Response:
        if request.method == "POST":
            problems = fault_problems(request.state.body)
            if problems:
                raise ApiProblem(422, "Validation Failed", problems)
            with self.state.lock:
                self.state.faults = Faults(**{**self.state.faults.__dict__, **request.state.body})
        return JSONResponse(self.state.faults.__dict__)

    async def stats(self, request: Request) -> Response:
        if request.method == "DELETE":
            for key in self.state.stats:
                self.state.stats[key] = 0
        return JSONResponse({**self.state.stats, "live_tokens": len(self.state.grants)})

    async def violations(self, request: Request) -> Response:
        """Spec violations found in answers (validation mode); DELETE also clears them."""
        with self.state.lock:
            found = list(self.state.violations)
            if request.method == "DELETE":
                self.state.violations.clear()
        return JSONResponse(found)

    async def expire_tokens(self, request: Request) -> Response:
        """Expire every live access token, or only those of {"client_guid": ...}."""
        only = request.state.body.get("client_guid")
        with self.state.lock:
            grants = [g for g in self.state.grants.values() if only is None or g.client_guid == only]
            for grant in grants:
                grant.expires_at = self.state.now() - 1
        return JSONResponse({"expired": len(grants)})

    async def expire_codes(self, request: Request) -> Response:
        with self.state.lock:
            for code in self.state.codes.values():
                code["expires_at"] = self.state.now() - 1
        return JSONResponse({"expired": len(self.state.codes)})

    async def revoke_tokens(self, request: Request) -> Response:
        with self.state.lock:
            count = len(self.state.grants)
            for grant in list(self.state.grants.values()):
                self.state.revoke(grant)
        return JSONResponse({"revoked": count})

    async def clock(self, request: Request) -> Response:
        """Move this Looker's clock forward by {"advance": seconds} (never back: what was issued stays
        ordered in time); GET says how far it was moved. Tests use it with a page whose clock moves too."""
        if request.method == "POST":
            advance = request.state.body.get("advance")
            if (not isinstance(advance, (int, float)) or isinstance(advance, bool)
                    or not 0 <= advance <= LONGEST_CLOCK_MOVE):
                raise invalid("advance", f"must be a number of seconds from 0 to {LONGEST_CLOCK_MOVE}")
            with self.state.lock:
                self.state.clock_offset += advance
        return JSONResponse({"offset": self.state.clock_offset, "now": self.state.now()})

    async def token_status(self, request: Request) -> Response:
        token = request.state.body.get("access_token", "")
        return JSONResponse({"valid": isinstance(token, str) and self.state.user_for_token(token) is not None})


def _error_handlers(json_errors: bool) -> dict:
    """Errors outside /api/4.0's dispatcher: Looker's JSON on the API host, plain text on the UI host."""

    async def problem(request: Request, exc: ApiProblem) -> Response:
        return problem_response(exc, request.method, request.url.path)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if not json_errors:
            return PlainTextResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
        message = "Not found" if exc.status_code == 404 else exc.detail
        return problem_response(ApiProblem(exc.status_code, message, headers=exc.headers), request.method,
                                request.url.path)

    async def unexpected(request: Request, exc: Exception) -> Response:
        return JSONResponse(internal_error_body(request.method, request.url.path), status_code=500)

    return {ApiProblem: problem, HTTPException: http_error, Exception: unexpected}


def build(settings: Settings) -> tuple[State, object, object]:
    """(state, UI app, API app) sharing one State."""
    state = State(settings, database(settings.cache_dir))
    oauth, signout = OAuth(state), SignOut(state)
    api = Dispatcher(state, oauth)

    ui = Starlette(routes=[
        Route("/", oauth.home),
        Route("/auth", oauth.auth),
        Route("/auth/decide", oauth.decide, methods=["POST"]),
        Route("/login", oauth.login_page),
        Route("/login", oauth.login_submit, methods=["POST"]),
        Route("/versions", api.versions),
        Route("/logout", signout.show),
        Route("/logout", signout.submit, methods=["POST"]),
    ], exception_handlers=_error_handlers(json_errors=False))

    api_app = Starlette(routes=[
        Route("/versions", api.versions),
        Route("/api/versions", api.versions),
        Route("/api/token", oauth.token, methods=["POST"]),
        Route("/api/logout", oauth.logout, methods=["DELETE"]),
        Route("/login", oauth.api_login, methods=["POST"]),
        Route("/api/4.0/swagger.json", api.swagger),
        Route("/api/4.0/{path:path}", api.dispatch, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        *LocalSwitches(state).routes(),
    ], exception_handlers=_error_handlers(json_errors=True))

    def limited(host):  # strict: JSON 414/431 past Looker's head limits (REAL_LOOKER.md#request-size-limits)
        return BodyLimit(HeadLimit(host) if settings.strict else host)

    ui_host = limited(ui) if settings.strict else Cors(limited(ui), state)  # REAL_LOOKER.md#ui-host-cors
    return state, Guard(ui_host), Guard(Cors(limited(Outage(FaultInjection(api_app, state), state)), state))
