"""The session rules, stated once. Pure: no I/O, no clock, no randomness of its own.

Identity
    A session belongs to one Looker and one app: (UI origin, API origin, client_id).
    Everything the library keeps (tokens, a sign-in in progress), every lock it takes
    and every message it sends is named after that identity, so a session of one
    identity is never used for, sent to or wiped by another. The bearer token goes
    to the configured API origin only; any other absolute URL is refused unsent.

Siblings
    Every context of the page's origin that holds the same session is a sibling: another
    tab, a duplicated tab (which starts with a copy of sessionStorage), a second interpreter
    in the same tab. How they share it, and what they believe of each other, is one state
    machine: `protocol.py`. Looker rotates refresh tokens and treats a spent refresh token
    presented again as theft (the whole family is revoked), so a refresh happens only under
    the identity's REFRESH lock, shared by every context of the origin, and a spent refresh
    token is never presented again. Every wait ends: a lock within LOCK_TIMEOUT, a sibling's
    answer within HANDOVER_TIMEOUT; then the call fails saying what to do next.

Refresh
    A token is renewed `refresh_margin(lifetime)` seconds before it expires: a tenth
    of its lifetime, at most 60 s. A 401 gets one refresh and one retry.

Retries
    429 and 503 (and 502/504 for idempotent calls) are retried: after Looker's
    Retry-After when the page can read it (never sooner), otherwise after an
    exponential backoff from 1 s with jitter, capped. GET/PUT/DELETE are retried;
    a POST only when it only reads (the READ_ONLY_POSTS table); any other POST is
    sent exactly once.

First calls
    A signed-in reload need not wait for the interpreter to send its first API calls. The
    page's first calls (in order, until one that is not `first_call`; FIRST_CALLS of them, or
    as many more as the page says its start-up makes, `FirstCalls.expect`, at most
    MAX_FIRST_CALLS: a dashboard's tiles) are
    remembered in sessionStorage for the page (its path and fragment) as [method, API path,
    body]: never a URL, a header or the token. Only GETs and the read-only POSTs may be
    remembered, and only calls with the client's own headers. On the next load the lean
    loader (assets/boot.js) checks each record again with the same rules (LOADER_RULES,
    generated into boot.js: `make boot-rules`), rebuilds the request on the session's API
    origin and sends it with the stored access token, only while that token is fresh
    (`fresh_until`, written with the tokens). The client takes such an answer, once, for a
    call that is the same; a 401 or any other answer then goes through the rules above. The
    record is removed when the session ends; one that is malformed or from another version
    is ignored and rewritten.
"""

import json

from .compat import hex_digest, origin_of, sha256

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    from .oauth import Config

API_VERSION = "4.0"

# --- identity -------------------------------------------------------------------


def identity(config: "Config") -> str:
    """The session's identity: UI origin, API origin and client id, as one string."""
    return " ".join((origin_of(config.ui_url), origin_of(config.api_url), config.client_id))


def storage_key(ident: str, name: str) -> str:
    """Where `name` ("tokens", "pending", "first calls") of the session `ident` is kept."""
    return "looker_pkce " + ident + " " + name


def lock_name(ident: str, name: str) -> str:
    """The origin-wide lock `name` ("refresh", "holder", "spent <digest>") of the session."""
    return "looker_pkce " + ident + " " + name


def channel_name(ident: str) -> str:
    return "looker_pkce " + ident


def digest(token: str) -> str:
    """A token's fingerprint: names it in locks and messages without revealing it."""
    return hex_digest(sha256(token.encode()))[:32]


def may_carry_token(config: "Config", url: str) -> bool:
    """True only for URLs on the session's API origin."""
    return origin_of(url) == origin_of(config.api_url)


# --- refresh and waits ----------------------------------------------------------

MAX_REFRESH_MARGIN = 60.0
LOCK_TIMEOUT = 10.0  # seconds to wait for the REFRESH lock
HANDOVER_TIMEOUT = 10.0  # seconds to wait for a sibling's answer (a successor, a renewed access token)
JOIN_TIMEOUT = 2.0  # seconds a new context waits for a holder to share its session


def refresh_margin(lifetime: float) -> float:
    """Seconds before expiry to renew: a tenth of the lifetime, at most a minute."""
    return min(MAX_REFRESH_MARGIN, lifetime / 10)


# --- retries ---------------------------------------------------------------------

IDEMPOTENT = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")
NO_ANSWER = 0  # the "status" of a call that got no answer at all (a network error)
RETRY_STATUSES = (429, 502, 503, 504)  # retried, with backoff, for calls that may be sent again
RETRY_ONCE = 500  # a GET that met a 500 is retried once: a glitch, or Looker's answer

# POST operations that only read (path prefix, and a part it must contain after it).
READ_ONLY_POSTS = (
    ("queries/run/", ""),  # run_inline_query
    ("sql_queries/", "/run/"),  # run_sql_query
)

BACKOFF_BASE = 1.0  # seconds before the first retry when Looker's Retry-After is unreadable
BACKOFF_CAP = 30.0
LONGEST_RETRY_AFTER = 120.0  # a longer Retry-After is reported, not waited for


def is_read_only_post(path: str) -> bool:
    path = path.split("?")[0].lstrip("/")
    return any(path.startswith(prefix) and part in path[len(prefix):] for prefix, part in READ_ONLY_POSTS)


def replayable(method: str, path: str) -> bool:
    """May this call be sent again without the page asking (it only reads)?"""
    return method.upper() == "GET" or (method.upper() == "POST" and is_read_only_post(path))


def retryable(method: str, path: str, status: int, attempt: int = 0) -> bool:
    """May a call that met `status` (NO_ANSWER: none) be sent again, on its `attempt`-th retry?"""
    method = method.upper()
    if status == RETRY_ONCE:
        return method == "GET" and attempt == 0
    if status != NO_ANSWER and status not in RETRY_STATUSES:
        return False
    return method in IDEMPOTENT or replayable(method, path)


def retry_delay(method: str, path: str, status: int, retry_after: "str | None", attempt: int, jitter: float,
                max_attempts: int = 3) -> "float | None":
    """Seconds to wait before retrying, or None for "do not retry".

    `jitter` is in [0, 1). With a readable Retry-After, never sooner than it says;
    without one, BACKOFF_BASE * 2**attempt plus up to half of that again, capped.
    """
    if attempt >= max_attempts or not retryable(method, path, status, attempt):
        return None
    if retry_after:
        try:
            seconds = float(retry_after)
        except ValueError:
            seconds = None  # an HTTP date: fall back to backoff
        if seconds is not None:
            if seconds > LONGEST_RETRY_AFTER:
                return None
            return max(0.0, seconds) + jitter * 0.25
    backoff = BACKOFF_BASE * (2**attempt)
    return min(BACKOFF_CAP, backoff * (1 + jitter / 2))


# --- first calls -------------------------------------------------------------------

FIRST_CALLS = 4  # a page's first calls remembered unless it says its start-up makes more (FirstCalls.expect)
MAX_FIRST_CALLS = 24  # at most, whatever a page says: the most reads a record (stale or planted) makes the loader send
FIRST_CALLS_VERSION = 2

# What the lean loader needs of these rules; generated into assets/boot.js (`make boot-rules`).
LOADER_RULES = {
    "api_version": API_VERSION,
    "read_only_posts": [list(rule) for rule in READ_ONLY_POSTS],
    "first_calls": MAX_FIRST_CALLS,
    "first_calls_version": FIRST_CALLS_VERSION,
}


def loader_rules_js() -> str:
    """The line of boot.js that carries LOADER_RULES (keys in a fixed order: MicroPython's dict has none)."""
    fields = ", ".join(json.dumps(key) + ": " + json.dumps(LOADER_RULES[key])
                       for key in ("api_version", "read_only_posts", "first_calls", "first_calls_version"))
    return "const RULES = {" + fields + "};"


def first_calls_key(ident: str) -> str:
    """Where the session's first calls are remembered, for every page of the tab (see "First calls")."""
    return storage_key(ident, "first calls")


def api_path(path: str) -> bool:
    """A path the loader may rebuild on the API origin: relative, no scheme, no escape from /api/<version>/
    (no empty or dot segment, "%2e" counting as the dot it is to a URL parser)."""
    base = path.split("?")[0]
    if not base or base.startswith("/") or "://" in path or "\\" in path or "#" in path:
        return False
    return (all(part.lower().replace("%2e", ".") not in ("", ".", "..") for part in base.split("/"))
            and all(" " < char < "\x7f" for char in path))


def first_call(method: str, path: str, body: "Any") -> "list[Any] | None":
    """The record of a call that may be remembered and replayed by the loader, or None."""
    method = method.upper()
    if not api_path(path) or not replayable(method, path):
        return None
    if method == "GET" and body is not None or method == "POST" and not isinstance(body, str):
        return None
    return [method, path, body]


def stored_call(call: "Any") -> bool:
    """Is `call`, as read from storage (any JSON value), a record that first_call writes?"""
    return (isinstance(call, list) and len(call) == 3 and isinstance(call[0], str) and isinstance(call[1], str)
            and first_call(*call) == call)


def read_first_calls(text: "str | None") -> "dict[str, list[list[Any]]]":
    """{page: [record, ...]} from storage; {} for anything malformed or of another version."""
    try:
        data = json.loads(text or "null")
    except ValueError:
        return {}
    pages = data.get("pages") if isinstance(data, dict) and data.get("version") == FIRST_CALLS_VERSION else None
    if not isinstance(pages, dict):
        return {}
    kept = {}
    for page in pages:
        calls = pages[page]
        if isinstance(calls, list) and all(stored_call(c) for c in calls):
            kept[page] = calls[:MAX_FIRST_CALLS]
    return kept


class FirstCalls:
    """One page load's side of "First calls": what the loader replayed, what this load remembers."""

    def __init__(self, stored_text: "str | None", page: str) -> None:
        self.page = page
        self.pages = read_first_calls(stored_text)
        self.before: "list[list[Any] | None]" = list(self.pages.get(page, []))  # what the loader replayed, in its order
        self.calls: "list[list[Any]]" = []  # this load's first calls
        self.limit = FIRST_CALLS  # how many this load remembers
        self.recording = True

    def done(self) -> bool:
        return not self.recording and not any(self.before)

    def take(self, call: "list[Any] | None") -> "int | None":
        """Remember `call` while recording (None, a call that may not be replayed, ends the record);
        the index of the loader's answer to this very call, taken once, or None."""
        if call is None:
            self.recording = False
            return None
        if self.recording:
            self.calls.append(call)
            self.recording = len(self.calls) < self.limit
        if call not in self.before:
            return None
        index = self.before.index(call)
        self.before[index] = None
        return index

    def expect(self, count: int) -> None:
        """The page's next `count` calls belong to its start-up (a dashboard's explores and tiles): remember
        them too, at most MAX_FIRST_CALLS in all. A record that has stopped stays stopped."""
        if self.recording:
            self.limit = min(MAX_FIRST_CALLS, max(self.limit, len(self.calls) + count))

    def stored(self) -> "str | None":
        """What storage keeps now: this load's calls for this page, the other pages' as they were."""
        pages = dict(self.pages)
        if self.calls:
            pages[self.page] = self.calls
        else:
            pages.pop(self.page, None)
        return json.dumps({"version": FIRST_CALLS_VERSION, "pages": pages}) if pages else None
