"""fetch(): the library's transport in a browser (a Request out, a Response back), and what a failed
fetch means (a timeout, CORS, or no answer at all)."""

import js

from ..core.compat import origin_of
from ..core.errors import Cancelled, CorsError, NetworkError, Timeout
from ..core.messages import Request, Response
from ..core.session import RETRY_STATUSES
from .bridge import bytes_of, defined, to_js

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .bridge import JsValue


async def _reachable(url: str) -> bool:
    """True when something answers at `url`, CORS or not (an opaque no-cors fetch)."""
    try:
        await js.fetch(url, to_js({"mode": "no-cors", "cache": "no-store"}))
        return True
    except Exception:
        return False


def _fetch_init(request: Request) -> "dict[str, Any]":
    """fetch()'s options for a Request.

    No `cache` mode, as with the official SDK: any mode but the default makes Chromium skip its
    CORS preflight cache, so every call would wait for an OPTIONS round trip of its own. Whether
    an answer may be stored is the server's to say (token answers carry `Cache-Control: no-store`).
    """
    init: "dict[str, Any]" = {"method": request.method, "headers": request.headers, "credentials": "omit"}
    if request.body is not None:
        init["body"] = request.body
    return init


async def fetch_transport(request: Request, timeout: float) -> Response:
    """Send a Request with the browser's fetch; text bodies stay text, others bytes."""
    options = to_js(_fetch_init(request))
    options.signal = _signal(request.signal, timeout)
    try:
        answer = await js.fetch(request.url, options)
    except Exception as exc:
        _cancelled(request)
        if "TimeoutError" in str(exc) or "timed out" in str(exc):
            raise Timeout("Looker did not answer %s within %d s." % (request.url.split("?")[0], timeout))
        origin = str(js.location.origin)
        if await _reachable(request.url):
            raise CorsError(origin, origin_of(request.url))
        raise NetworkError(
            "Could not reach Looker at " + origin_of(request.url) + ". Check the API URL and your network."
        )
    try:
        return await read_response(answer, request.keep, request.on_progress)
    except Exception:
        _cancelled(request)  # cancelled while the body arrived
        raise


def _signal(cancel: "JsValue", timeout: float) -> "JsValue":
    """The call's AbortSignal: its timeout, and the page's own signal when it passed one."""
    timed = js.AbortSignal.timeout(int(timeout * 1000))
    return timed if cancel is None else js.AbortSignal.any(js.Array.of(timed, cancel))


def _cancelled(request: Request) -> None:
    """Raise Cancelled when the page's signal is why the fetch failed."""
    if request.signal is not None and bool(request.signal.aborted):
        raise Cancelled("Cancelled: " + request.method + " " + request.url.split("?")[0])


async def read_response(answer: "JsValue", keep: "str | None",
                        on_progress: "Callable[[int, int | None], None] | None" = None) -> Response:
    """A fetch() answer as a Response; with `keep`, a successful body stays a JS value."""
    status = int(answer.status)
    headers = {}  # only what the client reads: each header costs a trip across the JS boundary
    for name in ("content-type", "retry-after") if status in RETRY_STATUSES else ("content-type",):
        value = answer.headers.get(name)
        if defined(value):
            headers[name] = str(value)
    kind = headers.get("content-type", "")
    if keep == "js-json" and 200 <= status < 300:
        body = await answer.json()
    elif keep == "js-blob" and 200 <= status < 300:
        body = await (answer.blob() if on_progress is None else _blob_with_progress(answer, kind, on_progress))
    elif "json" in kind or kind.startswith("text/") or not kind:
        body = await answer.text()
    else:
        body = bytes_of(await answer.arrayBuffer())
    return Response(status, headers, body)


async def _blob_with_progress(answer: "JsValue", kind: str,
                             on_progress: "Callable[[int, int | None], None]") -> "JsValue":
    """The body as a Blob, read piece by piece: on_progress(bytes so far, Content-Length or None) after each.
    Counts add up in Python from each piece's length (under 2**31), never cross as one big number."""
    length = answer.headers.get("content-length")
    total = int(str(length)) if defined(length) else None
    reader = answer.body.getReader()
    pieces = js.Array.new()
    received = 0
    on_progress(0, total)
    while True:
        step = await reader.read()
        if bool(step.done):
            break
        pieces.push(step.value)
        received += int(step.value.length)
        on_progress(received, total)
    return js.Blob.new(pieces, to_js({"type": kind}))

