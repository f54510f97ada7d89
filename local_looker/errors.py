"""Looker's error answers, the explicit input limits, and the guards that keep every error a JSON answer.

Rules first (pure), ASGI middleware last:
- an error is {"message", "documentation_url"} (+ "errors" for 422), the link in Looker's per-error form
  (docs/REAL_LOOKER.md#errors);
- request bodies over MAX_BODY_BYTES get 413; JSON nested deeper than MAX_JSON_DEPTH gets 422;
- in strict mode a request line over MAX_REQUEST_LINE gets 414 and header lines over MAX_HEADER_BYTES get 431
  (REAL_LOOKER.md#request-size-limits: the limits are an ASSUMPTION), on a connection that stays open: the server
  parses heads up to PARSER_HEAD_LIMIT, well above both, so these answers are the app's JSON, not its plain 400;
- anything unexpected becomes a JSON 500 without internals, and the connection stays open.
"""

from __future__ import annotations

import json
import logging
import traceback

from starlette.responses import JSONResponse

DOCS_ROOT = "https://cloud.google.com/looker/docs/r/err/4.0"
MAX_BODY_BYTES = 1_000_000  # 413 above this
DRAIN_LIMIT_BYTES = 32_000_000  # bodies up to this are read to the end so the connection stays usable
MAX_JSON_DEPTH = 32  # 422 above this
MAX_REQUEST_LINE = 8_192  # bytes of "METHOD target HTTP/1.1": 414 above this (strict mode)
MAX_HEADER_BYTES = 8_192  # bytes of all header lines ("name: value\r\n"): 431 above this (strict mode)
PARSER_HEAD_LIMIT = 65_536  # what the HTTP parser (h11) buffers of a head; past it the server answers a plain 400

log = logging.getLogger("local_looker")


def documentation_url(status: int, method: str, path: str) -> str:
    """Looker's per-error link: .../r/err/4.0/404/get/looks/:look_id."""
    return f"{DOCS_ROOT}/{status}/{method.lower()}/{path.removeprefix('/api/4.0').strip('/')}"


class ApiProblem(Exception):
    """Raised anywhere below a handler; becomes Looker's error JSON for the operation being served."""

    def __init__(self, status: int, message: str, errors: list[tuple[str, str, str]] | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.errors, self.headers = status, message, errors, headers or {}


def invalid(field: str, message: str, code: str = "invalid") -> ApiProblem:
    """A 422 naming one field and its problem."""
    return ApiProblem(422, "Validation Failed", [(field, code, message)])


def problem_body(exc: ApiProblem, method: str, doc_path: str) -> dict:
    url = documentation_url(exc.status, method, doc_path)
    body = {"message": exc.message, "documentation_url": url}
    if exc.errors is not None:
        body["errors"] = [{"field": f, "code": c, "message": m, "documentation_url": url} for f, c, m in exc.errors]
    return body


def problem_response(exc: ApiProblem, method: str, doc_path: str) -> JSONResponse:
    return JSONResponse(problem_body(exc, method, doc_path), status_code=exc.status, headers=exc.headers)


def json_depth(value) -> int:
    """Nesting depth without recursion (a hostile body must not exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            break
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return deepest


def parse_json(raw: bytes):
    """The JSON value of a body within the limits, or ApiProblem 400/413/422."""
    if len(raw) > MAX_BODY_BYTES:
        raise ApiProblem(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise invalid("body", f"JSON is nested deeper than {MAX_JSON_DEPTH} levels", "too_deep")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiProblem(400, f"Looker could not parse the JSON body: {str(exc)[:120]}")
    if json_depth(value) > MAX_JSON_DEPTH:
        raise invalid("body", f"JSON is nested deeper than {MAX_JSON_DEPTH} levels", "too_deep")
    try:  # stored text must be writable again: no unpaired UTF-16 surrogates such as "\ud800"
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise ApiProblem(400, "Looker could not parse the JSON body: it has an unpaired UTF-16 surrogate.")
    return value


# --- ASGI middleware ----------------------------------------------------------------------------------
async def _send_json(send, status: int, body: dict, close: bool = False) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class BodyLimit:
    """Reads each request body to its end before the app runs (so an early error leaves the connection
    usable) and answers 413 above MAX_BODY_BYTES; beyond DRAIN_LIMIT_BYTES it closes the connection."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= MAX_BODY_BYTES:
                chunks.append(chunk)
            elif size > DRAIN_LIMIT_BYTES:
                break
            more = message.get("more_body", False)
        if size > MAX_BODY_BYTES:
            exc = ApiProblem(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
            return await _send_json(send, 413, problem_body(exc, scope["method"], scope["path"]), close=more)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def head_problem(scope) -> ApiProblem | None:
    """414 or 431 when the request's head is over the limits, else None."""
    target = scope.get("raw_path") or scope["path"].encode()
    if scope.get("query_string"):
        target += b"?" + scope["query_string"]
    line = len(scope["method"]) + 1 + len(target) + 1 + len("HTTP/" + scope.get("http_version", "1.1"))
    if line > MAX_REQUEST_LINE:
        return ApiProblem(414, f"The request line is {line} bytes, over Looker's limit of {MAX_REQUEST_LINE}: "
                               "send long values in a JSON body (POST) instead of the URL.")
    headers = sum(len(name) + 2 + len(value) + 2 for name, value in scope["headers"])
    if headers > MAX_HEADER_BYTES:
        return ApiProblem(431, f"The request headers are {headers} bytes, over Looker's limit of {MAX_HEADER_BYTES}.")
    return None


class HeadLimit:
    """Answers 414/431 (Looker's JSON error) for a head over the limits; the connection stays usable."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        exc = head_problem(scope) if scope["type"] == "http" else None
        if exc is None:
            return await self.app(scope, receive, send)
        await _send_json(send, exc.status, problem_body(exc, scope["method"], scope["path"]))


class Guard:
    """The catch-all: an unexpected exception becomes a JSON 500 with no internals (the traceback goes to
    the server log), and is never re-raised, so the server keeps the keep-alive connection open."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.error("unexpected error on %s %s\n%s", scope["method"], scope["path"], traceback.format_exc())
            if not started:
                await _send_json(send, 500, internal_error_body(scope["method"], scope["path"]))


def internal_error_body(method: str, path: str) -> dict:
    return {"message": "Internal server error. The local Looker logged the details.",
            "documentation_url": documentation_url(500, method, path)}
