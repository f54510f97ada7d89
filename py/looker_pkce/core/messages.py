"""HTTP requests and responses as plain values, and Looker's error shapes.

Transports turn a Request into a Response; everything else only reads them.
"""

import json

from . import ordered as ordered_json
from .errors import ApiError, DecodeError, Forbidden, NotFound, RateLimited, ServerError

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

# How a successful answer's body may be kept on the JavaScript side (browser transports only):
# the rows of a 100,000-row result then never become Python objects.
KEEP_IN_JS = ("js-json", "js-blob")


class Request:
    def __init__(self, method: str, url: str, headers: "dict[str, str] | None" = None,
                 body: "str | bytes | None" = None, keep: "str | None" = None, signal: "Any" = None,
                 on_progress: "Callable[[int, int | None], None] | None" = None) -> None:
        self.method = method.upper()
        self.url = url
        self.headers = dict(headers or {})
        self.body = body  # str, bytes or None
        self.keep = keep  # None, or one of KEEP_IN_JS
        self.signal = signal  # browser only: an AbortSignal that cancels the call (errors.Cancelled)
        self.on_progress = on_progress  # browser only, with keep="js-blob": (bytes so far, Content-Length or None)

    def __repr__(self) -> str:  # the URL carries no secret; the headers may
        return "Request(%r, %r)" % (self.method, self.url)


class Response:
    """Status, lower-cased headers and the body, as text or bytes."""

    def __init__(self, status: int, headers: "dict[str, str] | None" = None, body: "Any" = b"") -> None:
        self.status = status
        self.headers: dict[str, str] = {}
        for key, value in (headers or {}).items():
            self.headers[key.lower()] = value
        self.body = body  # str, bytes; or a JS value, when the request asked to keep it there (KEEP_IN_JS)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body if isinstance(self.body, str) else bytes(self.body).decode()

    def content(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else bytes(self.body)

    def json(self, ordered: bool = False) -> "Any":
        """The body parsed; `ordered`: objects as OrderedDict in the order Looker wrote their keys (MicroPython's
        dict forgets it; use it for what people read, as it parses in Python, slower than json.loads)."""
        try:
            return (ordered_json.loads if ordered else json.loads)(self.text())
        except ValueError:
            raise DecodeError(
                "Looker answered %d with malformed JSON (content-type %s)." % (self.status, self.content_type or "none")
            )

    def decoded(self, ordered: bool = False) -> "Any":
        """Parsed JSON (`ordered`: see json()), text or bytes, by content type."""
        kind = self.content_type
        if kind == "application/json" or kind.endswith("+json"):
            return self.json(ordered) if self.body else None
        if kind.startswith("text/") or kind in ("application/csv", "application/javascript"):
            return self.text()
        return self.content()

    def __repr__(self) -> str:
        return "Response(%d, %r)" % (self.status, self.content_type)


def api_error(response: Response, method: str, path: str) -> ApiError:
    """The typed ApiError for an error response, with Looker's message and docs link."""
    message, documentation_url = "", ""
    errors: "list[Any]" = []
    try:
        data = json.loads(response.text())
    except ValueError:
        data = None
    if isinstance(data, dict):
        message = str(data.get("message") or data.get("error_description") or data.get("error") or "")
        documentation_url = str(data.get("documentation_url") or "")
        errors = data.get("errors") or []
    if not message:
        message = (response.text()[:200] if isinstance(response.body, str) else "") or "no detail"
    status = response.status
    cls = ApiError
    if status == 404:
        cls = NotFound
    elif status == 403:
        cls = Forbidden
    elif status == 429:
        cls = RateLimited
    elif status >= 500:
        cls = ServerError
    return cls(status, message, documentation_url, errors, method, path)
