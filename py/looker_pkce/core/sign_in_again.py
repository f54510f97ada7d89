"""When a page signs in to Looker again by itself, stated once. Pure: no I/O, no clock, no randomness of its own.

A BORROWER (protocol.py) holds an access token only. When that token is due, it asks a context holding
the refresh token for a fresh one. When none is left, nothing in this tab can renew the session: the page
signs in again with a full redirect to Looker's /auth, the way the person signed in the first time, back
to the address it had (path, query and fragment: the view). When the person is still signed in to Looker
itself, Looker sends the browser straight back (docs/REAL_LOOKER.md#auth), so the trip costs a moment.
`client.Client` carries this out; `connect(sign_in_again=False)` turns it off for a page.

Why the session could not go on here (CAUSES, decided by `cause`, the first that holds):
    SIGNED_OUT   the person signed out: here, or a sibling said so (proved or not: an unproved SIGNED_OUT
                 a borrower heard while Looker still accepted its token, as after a refused /api/logout)
    REFUSED      Looker refused the session's token (a 401 led here): revoked, or its life ended
    UNANSWERED   a context holds the session but did not hand a fresh token over in time
    NO_HOLDER    no context holding the refresh token is left (the tab that signed in closed)

Rules
    1. Only NO_HOLDER leaves by itself. Signing straight back in after a sign-out would undo the person's
       choice (Looker may still have them signed in); after Looker's refusal it would undo an admin's
       revocation; a holder that did not answer is still there (retry). Those say so, with a Sign in button.
    2. Only a page that allows it (`sign_in_again`, on by default) and can navigate.
    3. At most one automatic sign-in per tab and session within WINDOW seconds: before leaving, the tab
       keeps a MARKER (when it left) in its sessionStorage; a NO_HOLDER met while the marker is younger than
       WINDOW (or from the future: a clock set back) is said instead. So a sign-in that comes back without a
       lasting session (no refresh token, a token soon due again) never bounces the tab back and forth.
       WINDOW is a sign-in's own life (oauth.STATE_TTL): a sign-in not back by then has failed anyway.
    4. The person is told before the page leaves (HEADLINE and REASON, for NOTICE seconds); a sign-out meanwhile stays
       a sign-out (the page does not leave). The page keeps its own unsaved work in sessionStorage (never a
       token) before it goes; the sign-in in progress remembers it was automatic, so the page can say, once,
       that it signed in again and where the person is.
"""

import json

from .oauth import STATE_TTL

SIGNED_OUT = "signed out"
REFUSED = "refused"
UNANSWERED = "unanswered"
NO_HOLDER = "no holder"
CAUSES = (SIGNED_OUT, REFUSED, UNANSWERED, NO_HOLDER)  # in the order `cause` tries them
LEAVES = (NO_HOLDER,)  # the causes after which a page signs in again by itself (rule 1)

WINDOW = STATE_TTL  # seconds after an automatic sign-in left during which the tab does not leave again (rule 3)
NOTICE = 1.5  # seconds the page says where it is going before it goes (rule 4)
HEADLINE = "Signing in again to Looker…"  # what the person reads before the page leaves (rule 4)
REASON = ("No other tab of this page holds your Looker session any more, so this page signs in again and comes"
          " back here as you left it.")
MESSAGE = HEADLINE + " " + REASON  # the SignedOut that stops the calls under way says the same


def cause(signed_out: bool, refused: bool, holder_left: bool) -> str:
    """Why a borrower's session could not go on: the first of CAUSES that holds."""
    found = {SIGNED_OUT: signed_out, REFUSED: refused, UNANSWERED: holder_left, NO_HOLDER: True}
    return [name for name in CAUSES if found[name]][0]


def marker(now: float) -> str:
    """What the tab keeps when it leaves to sign in again by itself."""
    return json.dumps({"left_at": now})


def left_at(text: "str | None") -> "float | None":
    """When the tab last left by itself, from its marker; None for none, or anything malformed."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    value = data.get("left_at") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def leaves(why: str, allowed: bool, marker_text: "str | None", now: float) -> bool:
    """Whether the page signs in again by itself now (rules 1 to 3)."""
    if why not in LEAVES or not allowed:
        return False
    last = left_at(marker_text)
    return last is None or now - last >= WINDOW
