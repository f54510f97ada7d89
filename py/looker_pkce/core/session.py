"""The session rules, stated once. Pure: no I/O, no clock, no randomness of its own.

Identity
    A session belongs to one Looker and one app: (UI origin, API origin, client_id).
    Everything the library keeps (tokens, a sign-in in progress), every lock it takes
    and every message it sends is named after that identity, so a session of one
    identity is never used for, sent to or wiped by another. The bearer token goes
    to the configured API origin only; any other absolute URL is refused unsent.

Siblings
    Every context of the page's origin that holds the same session is a sibling:
    another tab, a duplicated tab (which starts with a copy of sessionStorage), a
    second interpreter in the same tab. Looker rotates refresh tokens and treats a
    spent refresh token presented again as theft (the whole family is revoked), so:

    1. A refresh happens only under the identity's REFRESH lock, shared by every
       context of the origin.
    2. Inside the lock, before presenting its refresh token, a context asks whether a
       sibling already spent it. A context that spent (or adopted the successor of) a
       refresh token marks it spent for as long as it lives.
    3. A spent token is never presented: its successor is adopted from the sibling
       that holds it (every sibling answers with what it knows).
    4. After a refresh, the new tokens are handed to every sibling (ROTATED), and a
       sibling holding the spent token adopts them.
    5. A new context with no tokens of its own joins a live session (JOIN → TOKENS)
       when a sibling holds one; sign-out in one context signs out every context
       (SIGNED_OUT) and revokes once, from the context that signed out.

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
    A signed-in reload need not wait for the interpreter to send its first API calls.
    The page's first calls (up to FIRST_CALLS, in order, until one that writes) are
    remembered for the page (its path and fragment): method, URL, headers and body,
    never the token. Only calls that read may be remembered (`replayable`). On the next
    load the lean loader (assets/boot.js) sends them again with the stored access token
    while the interpreter starts, if that token is still fresh (`fresh_until`, written
    with the tokens). The client takes such an answer, once, for a call that is the
    same; a 401 or any other answer then goes through the rules above, and a call the
    loader did not send goes out as usual.
"""

import json

from .compat import hex_digest, origin_of, sha256

# --- identity -------------------------------------------------------------------


def identity(config) -> str:
    """The session's identity: UI origin, API origin and client id, as one string."""
    return " ".join((origin_of(config.ui_url), origin_of(config.api_url), config.client_id))


def storage_key(ident: str, name: str) -> str:
    """Where `name` ("tokens", "pending") of the session `ident` is kept."""
    return "looker_pkce " + ident + " " + name


FIRST_CALLS = 4


def first_calls_key(ident: str, page: str) -> str:
    """Where the first calls of `page` (path and fragment) are remembered (see "First calls")."""
    return storage_key(ident, "first calls " + page)


def lock_name(ident: str, name: str) -> str:
    """The origin-wide lock `name` ("refresh", "holder", "spent <digest>") of the session."""
    return "looker_pkce " + ident + " " + name


def channel_name(ident: str) -> str:
    return "looker_pkce " + ident


def digest(refresh_token: str) -> str:
    """A refresh token's fingerprint: names it in locks and messages without revealing it."""
    return hex_digest(sha256(refresh_token.encode()))[:32]


def may_carry_token(config, url: str) -> bool:
    """True only for URLs on the session's API origin."""
    return origin_of(url) == origin_of(config.api_url)


# --- refresh --------------------------------------------------------------------

MAX_REFRESH_MARGIN = 60.0


def refresh_margin(lifetime: float) -> float:
    """Seconds before expiry to renew: a tenth of the lifetime, at most a minute."""
    return min(MAX_REFRESH_MARGIN, lifetime / 10)


# --- messages between siblings ---------------------------------------------------
# Each is a JSON object with "kind"; tokens travel as Tokens.to_dict().

JOIN = "join"  # a context without tokens asks for the live session
TOKENS = "tokens"  # the answer to JOIN: {"tokens"}
ROTATED = "rotated"  # {"spent": digest, "tokens"}: the spent refresh token's successor
SUCCESSOR = "successor"  # {"spent": digest}: who holds the successor of this spent token?
SIGNED_OUT = "signed_out"  # the person signed out; forget the session

KINDS = (JOIN, TOKENS, ROTATED, SUCCESSOR, SIGNED_OUT)


def message(kind: str, **fields) -> str:
    fields["kind"] = kind
    return json.dumps(fields)


def read_message(text: str) -> "dict | None":
    """A sibling's message, or None for anything malformed or unknown."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None
    return data


# --- retries ---------------------------------------------------------------------

IDEMPOTENT = ("GET", "HEAD", "OPTIONS", "PUT", "DELETE")
RETRY_STATUSES = (429, 502, 503, 504)
READ_ONLY_RETRY_STATUSES = (429, 503)  # the server did not do the work: safe for a read-only POST

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


def retryable(method: str, path: str, status: int) -> bool:
    method = method.upper()
    if method in IDEMPOTENT:
        return status in RETRY_STATUSES
    return method == "POST" and status in READ_ONLY_RETRY_STATUSES and is_read_only_post(path)


def retry_delay(method: str, path: str, status: int, retry_after: "str | None", attempt: int, jitter: float,
                max_attempts: int = 3) -> "float | None":
    """Seconds to wait before retrying, or None for "do not retry".

    `jitter` is in [0, 1). With a readable Retry-After, never sooner than it says;
    without one, BACKOFF_BASE * 2**attempt plus up to half of that again, capped.
    """
    if attempt >= max_attempts or not retryable(method, path, status):
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
