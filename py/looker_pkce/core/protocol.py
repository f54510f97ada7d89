"""The session protocol between the contexts of a page's origin, as one state machine. Pure:
no I/O, no clock, no randomness of its own; `client.Client` drives it and carries out what it
decides (posting, storing, holding locks, waking waiters, asking Looker).

Trust
    Every page of the origin can post to and listen on the session's channel, hold its locks
    and read what a context answers there. So nothing on the channel is believed without
    proof, and no refresh token is ever put on it (unless the page opted in with
    `share_refresh`, claiming it has its origin to itself). A proof is an HMAC-SHA256 of the
    message keyed by a refresh token: only a context holding that token can make or check it.

States (one context, one session identity)
    NO_SESSION  no tokens.
    HOLDER      an access token and its refresh token: signed in here, or a duplicated tab's
                copy, or (share_refresh) joined. Holds the identity's "holder" lock.
    BORROWER    an access token only: joined a holder, or a sibling rotated the refresh token
                this context held. Renews by asking a holder; with none left, the page signs in
                again by itself, unless a sign-out was heard (sign_in_again.py).

Messages (JSON {"kind", "body": JSON text, "proof": hex or ""})
    JOIN       {ask}             a context without a usable token asks for the session.
    TOKENS     {ask, tokens}     a holder's answer: the access token (the refresh token only
                                 with share_refresh). Taken only by the context that asked.
    SUCCESSOR  {spent}           under the refresh lock: who holds the successor of this spent
                                 refresh token (digest)?
    ROTATED    {spent, tokens}   the answer, proved with the spent refresh token: its successor
                                 (access token only, unless share_refresh).
    SIGNED_OUT {}                the person signed out; proved with the sender's refresh token,
                                 or unproved when it had none.

Transitions
    state       event                               effect
    NO_SESSION  sign-in completes                   -> HOLDER
    NO_SESSION  join(): JOIN answered by TOKENS     -> BORROWER (HOLDER with share_refresh)
    HOLDER      JOIN heard                          answer TOKENS (renewing first when due)
    HOLDER      token due, under the REFRESH lock:  a newer set in this tab's storage (another
                                                    interpreter's rotation) -> HOLDER with it;
                                                    own refresh token spent by a sibling ->
                                                    SUCCESSOR, proved ROTATED -> BORROWER
                                                    (HOLDER with share_refresh); else rotate at
                                                    Looker -> HOLDER, the spent token marked
    BORROWER    token due                           JOIN, TOKENS -> BORROWER; none -> NO_SESSION
                                                    (and sign_in_again.py decides whether to leave)
    any         SIGNED_OUT proved by my refresh tok -> NO_SESSION
    HOLDER/BOR. SIGNED_OUT not proved by it         ask Looker (VERIFY): a 401 -> NO_SESSION; either
                                                    way the sign-out is remembered (`signed_out_heard`)
    any         sign_out()                          post SIGNED_OUT, revoke at Looker -> NO_SESSION

Rules
    1. Adopt ROTATED only for the spent refresh token this context holds and is waiting on
       (it asked SUCCESSOR), and only with its proof.
    2. A SIGNED_OUT ends a working session only with its proof, or once Looker refuses the
       session's token (the same rule covers a sign-out whose /api/logout was refused: siblings
       holding the same refresh token end, borrowers keep the still-valid token until Looker
       refuses it or it expires).
    3. TOKENS are taken only for this context's own pending ask; every wait ends (the client's
       timeouts) and an ask that timed out is forgotten.
    4. A context that spent (or adopted the successor of) a refresh token marks it spent for as
       long as it lives, and never presents it again.
    5. share=False: no JOIN answered or sent, no SIGNED_OUT heard (the session stays in its tab).
"""

import json

from . import oauth
from .compat import hex_digest, sha256
from .session import digest

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Action = tuple[str, Any]  # (POST, text), (BECOME, (tokens or None, reason)), (WAKE, key), ...
    Handler = Callable[["Machine", dict[str, Any], str, Any], list[Action]]

NO_SESSION = "no session"
HOLDER = "holder"
BORROWER = "borrower"

JOIN = "join"
TOKENS = "tokens"
SUCCESSOR = "successor"
ROTATED = "rotated"
SIGNED_OUT = "signed_out"

# What the machine asks its driver to do: (action, argument).
POST = "post"  # post this text on the channel
BECOME = "become"  # take these tokens (None: forget the session), with the reason ("joined", "adopted", ...)
WAKE = "wake"  # the wait named by this key (an ask, a spent digest) is over
MARK_SPENT = "mark spent"  # hold the "spent <digest>" lock for life
ANSWER = "answer"  # answer this ask with TOKENS once the access token is good (renewing if due)
VERIFY = "verify"  # ask Looker whether it still accepts the session's token; a 401 ends it

REMEMBERED_ROTATIONS = 32  # successors kept to answer siblings that still hold a spent token


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    """RFC 2104 HMAC with SHA-256 (MicroPython has no hmac module)."""
    if len(key) > 64:
        key = sha256(key)
    key = key + b"\x00" * (64 - len(key))
    inner = sha256(bytes(k ^ 0x36 for k in key) + data)
    return sha256(bytes(k ^ 0x5C for k in key) + inner)


def proof(key: str, kind: str, body: str) -> str:
    return hex_digest(hmac_sha256(key.encode(), (kind + "\n" + body).encode()))


def proved(key: "str | None", kind: str, body: str, given: "Any") -> bool:
    """Whether `given` is the proof of (kind, body) under `key`, compared in constant time."""
    if not key or not isinstance(given, str):
        return False
    wanted = proof(key, kind, body)
    if len(given) != len(wanted):
        return False
    difference = 0
    for a, b in zip(given, wanted):
        difference |= ord(a) ^ ord(b)
    return difference == 0


def envelope(kind: str, fields: "dict[str, Any]", key: "str | None" = None) -> str:
    body = json.dumps(fields)
    return json.dumps({"kind": kind, "body": body, "proof": proof(key, kind, body) if key else ""})


def opened(text: str) -> "tuple[str, dict[str, Any], str, Any] | None":
    """(kind, fields, body, proof) of a message, or None for anything malformed or unknown."""
    try:
        data = json.loads(text)
        fields = json.loads(data["body"]) if isinstance(data, dict) and isinstance(data.get("body"), str) else None
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(fields, dict) or data.get("kind") not in RECEIVE:
        return None
    return data["kind"], fields, data["body"], data.get("proof")


def _tokens(fields: "dict[str, Any]") -> "oauth.Tokens | None":
    try:
        return oauth.Tokens.from_dict(fields.get("tokens"))
    except ValueError:
        return None


class Machine:
    """One context's side of the protocol: its tokens and what it is waiting for."""

    def __init__(self, share: bool = True, share_refresh: bool = False) -> None:
        self.share = share
        self.share_refresh = share_refresh
        self.tokens: "oauth.Tokens | None" = None
        self.asks: "set[str]" = set()  # JOIN asks waiting for TOKENS
        self.awaited: "set[str]" = set()  # spent digests this context asked SUCCESSOR for
        # spent digest -> (the spent refresh token, its successor Tokens)
        self.successors: "dict[str, tuple[str, oauth.Tokens]]" = {}
        self.order: "list[str]" = []  # digests in `successors`, oldest first
        self.spent: "set[str]" = set()  # refresh-token digests this context knows are spent (it holds their lock)
        self.signed_out_heard = False  # a SIGNED_OUT reached this session: it never signs in again by itself

    @property
    def state(self) -> str:
        if self.tokens is None:
            return NO_SESSION
        return HOLDER if self.tokens.refresh_token else BORROWER

    def _shared(self, tokens: "oauth.Tokens") -> "dict[str, Any]":
        """What goes on the channel: the access token, and the refresh token only when opted in."""
        if self.share_refresh or tokens.refresh_token is None:
            return tokens.to_dict()
        return oauth.Tokens(tokens.access_token, None, tokens.expires_at, tokens.lifetime).to_dict()

    # --- events from this context --------------------------------------------------
    def become(self, tokens: "oauth.Tokens | None") -> None:
        self.tokens = tokens

    def ask(self, nonce: str) -> str:
        """JOIN: this context has no usable token (NO_SESSION, or a BORROWER whose token is due)."""
        self.asks.add(nonce)
        return envelope(JOIN, {"ask": nonce})

    def give_up(self, key: str) -> None:
        """A wait ended without an answer: a late answer is no longer taken."""
        self.asks.discard(key)
        self.awaited.discard(key)

    def answer(self, ask: str) -> "str | None":
        """TOKENS for `ask`, once the driver made sure the access token is good."""
        if self.state != HOLDER or not self.share:
            return None
        assert self.tokens is not None  # a HOLDER holds tokens (for the type checker)
        return envelope(TOKENS, {"ask": ask, "tokens": self._shared(self.tokens)})

    def newer_in_storage(self, stored: "oauth.Tokens | None") -> bool:
        """Under the refresh lock: does this tab's storage hold a set another interpreter of the tab
        rotated to (one JavaScript realm, one storage: the session is shared there, not on the channel)?"""
        if stored is None or not stored.refresh_token or self.tokens is None:
            return False
        return stored.refresh_token != self.tokens.refresh_token and digest(stored.refresh_token) not in self.spent

    def rotated(self, spent_token: str, fresh: "oauth.Tokens") -> "list[Action]":
        """This context rotated `spent_token` at Looker and got `fresh`."""
        spent = digest(spent_token)
        self._remember(spent, spent_token, fresh)
        self.tokens = fresh
        return [(MARK_SPENT, spent)]

    def successor(self, spent: str) -> "oauth.Tokens | None":
        """A successor this context already knows (it rotated or adopted it), else None."""
        known = self.successors.get(spent)
        return known[1] if known is not None else None

    def await_successor(self, spent: str) -> str:
        """SUCCESSOR: this context's refresh token `spent` was spent by a sibling."""
        self.awaited.add(spent)
        return envelope(SUCCESSOR, {"spent": spent})

    def adopt(self, spent: str, tokens: "oauth.Tokens") -> "list[Action]":
        """Take the successor of this context's spent refresh token."""
        assert self.tokens is not None and self.tokens.refresh_token  # it awaited a successor for it
        self._remember(spent, self.tokens.refresh_token, tokens)
        self.tokens = tokens
        return [(MARK_SPENT, spent), (BECOME, (tokens, "adopted")), (WAKE, spent)]

    def sign_out(self) -> "str | None":
        """SIGNED_OUT (proved with the refresh token when there is one); the session is gone."""
        tokens, self.tokens = self.tokens, None
        if not self.share:
            return None
        key = tokens.refresh_token if tokens is not None else None
        return envelope(SIGNED_OUT, {}, key)

    def _remember(self, spent: str, spent_token: str, tokens: "oauth.Tokens") -> None:
        if spent not in self.successors:
            self.order.append(spent)
            if len(self.order) > REMEMBERED_ROTATIONS:
                self.successors.pop(self.order.pop(0), None)
        self.successors[spent] = (spent_token, tokens)
        self.spent.add(spent)

    # --- messages from siblings ------------------------------------------------------
    def receive(self, text: str) -> "list[Action]":
        """What to do about a sibling's message (nothing, for anything malformed or unproved)."""
        message = opened(text)
        if message is None:
            return []
        kind, fields, body, given = message
        return RECEIVE[kind](self, fields, body, given)

    def _on_join(self, fields: "dict[str, Any]", body: str, given: "Any") -> "list[Action]":
        ask = fields.get("ask")
        if self.share and self.state == HOLDER and isinstance(ask, str):
            return [(ANSWER, ask)]
        return []

    def _on_tokens(self, fields: "dict[str, Any]", body: str, given: "Any") -> "list[Action]":
        ask, tokens = fields.get("ask"), _tokens(fields)
        if ask not in self.asks or tokens is None:
            return []
        self.asks.discard(ask)
        self.tokens = tokens
        return [(BECOME, (tokens, "joined")), (WAKE, ask)]

    def _on_successor(self, fields: "dict[str, Any]", body: str, given: "Any") -> "list[Action]":
        spent = fields.get("spent")
        if spent not in self.successors:
            return []
        spent_token, tokens = self.successors[spent]
        return [(POST, envelope(ROTATED, {"spent": spent, "tokens": self._shared(tokens)}, spent_token))]

    def _on_rotated(self, fields: "dict[str, Any]", body: str, given: "Any") -> "list[Action]":
        spent, tokens = fields.get("spent"), _tokens(fields)
        mine = self.tokens.refresh_token if self.tokens is not None else None
        if spent not in self.awaited or tokens is None or not mine or digest(mine) != spent:
            return []  # rule 1: only the successor of the token this context holds and waits on
        if not proved(mine, ROTATED, body, given):
            return []
        self.awaited.discard(spent)
        return self.adopt(spent, tokens)

    def _on_signed_out(self, fields: "dict[str, Any]", body: str, given: "Any") -> "list[Action]":
        if not self.share or self.tokens is None:
            return []
        self.signed_out_heard = True  # even unproved: a forgery costs only the automatic sign-in (sign_in_again.py)
        if proved(self.tokens.refresh_token, SIGNED_OUT, body, given):  # rule 2
            self.tokens = None
            return [(BECOME, (None, "signed out elsewhere"))]
        return [(VERIFY, None)]


RECEIVE: "dict[str, Handler]" = {
    JOIN: Machine._on_join,
    TOKENS: Machine._on_tokens,
    SUCCESSOR: Machine._on_successor,
    ROTATED: Machine._on_rotated,
    SIGNED_OUT: Machine._on_signed_out,
}
