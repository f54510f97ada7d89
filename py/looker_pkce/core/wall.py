"""Wall-screen rules, stated once. Pure: no I/O, no clock, no randomness of its own.

A dashboard with auto-refresh on (a wall screen) runs rounds, every `interval` seconds: each round first
checks the session with Looker (the client renews the access token when it is due), then redraws. How a
round that failed goes on depends on what failed (`outcome`, by the error's class, the first row of
OUTCOMES that matches):

OUTAGE
    Looker did not answer, or said it cannot now: no answer at all (NetworkError, its Timeout, and its
    CorsError: a proxy answering for a Looker that is down sends no CORS headers), 5xx or 429 after the
    client's own retries, /api/token answering 5xx (oauth.parse_token_response). The session is kept and
    so is what the screen shows; the status says "reconnecting", quietly; the next try comes after
    `reconnect_delay`, then rounds go on as before. Never an error in the tiles, never a sign-in prompt.
ENDED
    Looker refused the session: SignedOut (the client turns invalid_grant into it: the refresh token's life
    ended, or it was revoked) or InvalidGrant. No more rounds; the screen says so plainly, with a Sign in
    button. A wall never leaves for Looker's sign-in page by itself after Looker ended its session (a
    screen that borrowed the session from a tab since closed signs in again as any page: sign_in_again.py).
None (anything else)
    A refusal of one call (403, 404, a 422...) is the dashboard's to show where it happened.
"""

from .errors import InvalidGrant, NetworkError, RateLimited, ServerError, SignedOut

OUTAGE = "outage"
ENDED = "ended"

OUTCOMES = (  # (error class, outcome): the first row whose class the error is an instance of
    (SignedOut, ENDED),
    (InvalidGrant, ENDED),
    (NetworkError, OUTAGE),
    (ServerError, OUTAGE),
    (RateLimited, OUTAGE),
)

RECONNECT_FIRST = 5.0  # seconds before the first try after an outage began (the auto-refresh floor)
RECONNECT_CAP = 300.0  # the longest wait between tries (never longer than the wall's own interval)


def outcome(exc: BaseException) -> "str | None":
    """OUTAGE, ENDED or None for a round that failed with `exc`."""
    for kind, result in OUTCOMES:
        if isinstance(exc, kind):
            return result
    return None


def reconnect_delay(failures: int, interval: float, jitter: float = 0.0) -> float:
    """Seconds before the next try after `failures` (1, 2, ...) rounds in a row met an outage: from
    RECONNECT_FIRST, doubling, at most RECONNECT_CAP or the wall's `interval` if that is shorter; `jitter`
    in [0, 1) adds up to a quarter, so screens that lost Looker together do not all come back at once."""
    cap = min(RECONNECT_CAP, max(RECONNECT_FIRST, interval))
    return min(cap, RECONNECT_FIRST * 2 ** max(0, failures - 1)) * (1 + jitter / 4)
