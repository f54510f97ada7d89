"""The OAuth 2.0 Authorization Code + PKCE protocol as Looker speaks it.

Pure functions and small value objects: nothing here performs I/O, reads a
clock or draws randomness on its own. Callers pass `now` and `random_bytes`,
so every decision can be tested in plain CPython, and the same code runs in
Pyodide and MicroPython.
"""

import json

from . import pkce, session
from .compat import b64url, origin_of, parse_query, split_url, urlencode
from .errors import (
    AccessDenied,
    AuthError,
    AuthorizationError,
    ConfigError,
    DecodeError,
    InvalidGrant,
    StateMismatch,
)
from .messages import Request, Response, api_error

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

SCOPE = "cors_api"
STATE_TTL = 600  # seconds a sign-in may take between leaving and coming back


class Config:
    """Where Looker lives and who this app is (no secret: there is none)."""

    def __init__(self, ui_url: str, api_url: str, client_id: str, redirect_uri: str,
                 challenge_encoding: str = "padded"):
        for name, value in (("ui_url", ui_url), ("api_url", api_url), ("redirect_uri", redirect_uri)):
            if not origin_of(value or ""):
                raise ConfigError(name + " must be an absolute http(s) URL, got " + repr(value))
        if not client_id:
            raise ConfigError("client_id is required: the OAuth client app's client_guid registered in Looker")
        if challenge_encoding not in pkce.ENCODINGS:
            raise ConfigError("challenge_encoding must be one of " + ", ".join(pkce.ENCODINGS))
        self.ui_url = ui_url.rstrip("/")
        self.api_url = api_url.rstrip("/")
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.challenge_encoding = challenge_encoding

    def __repr__(self) -> str:
        return "Config(ui_url=%r, api_url=%r, client_id=%r)" % (self.ui_url, self.api_url, self.client_id)


class PendingSignIn:
    """What one tab remembers between leaving for Looker and coming back."""

    def __init__(self, state: str, verifier: str, return_path: str, created_at: float, automatic: bool = False) -> None:
        self.state = state
        self.verifier = verifier
        self.return_path = return_path
        self.created_at = created_at
        self.automatic = automatic  # the page left by itself (sign_in_again.py), not at the person's request

    def to_json(self) -> str:
        return json.dumps({"state": self.state, "verifier": self.verifier, "return_path": self.return_path,
                           "created_at": self.created_at, "automatic": self.automatic})

    @classmethod
    def from_json(cls, text: str) -> "PendingSignIn":
        data = json.loads(text)  # a record written before `automatic` existed was a sign-in the person asked for
        return cls(data["state"], data["verifier"], data["return_path"], data["created_at"], data.get("automatic") is True)

    def __repr__(self) -> str:
        return "PendingSignIn(return_path=%r)" % (self.return_path,)


class Tokens:
    """An access token, its refresh token, when it stops working and how long it was issued for."""

    FIELDS = ("access_token", "refresh_token", "expires_at", "lifetime")

    def __init__(self, access_token: str, refresh_token: "str | None", expires_at: float,
                 lifetime: float = 3600.0) -> None:
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.expires_at = expires_at
        self.lifetime = lifetime

    def expired(self, now: float) -> bool:
        return now >= self.expires_at

    def fresh_until(self) -> float:
        return self.expires_at - session.refresh_margin(self.lifetime)

    def needs_refresh(self, now: float) -> bool:
        return now >= self.fresh_until()

    def to_dict(self) -> "dict[str, Any]":
        """The stored form; `fresh_until` is for the lean loader, which cannot ask Python (see session)."""
        data = {name: getattr(self, name) for name in self.FIELDS}
        data["fresh_until"] = self.fresh_until()
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: "Any") -> "Tokens":
        """Tokens from stored or received data; ValueError for anything malformed."""
        if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
            raise ValueError("not a token set")
        expires_at, lifetime = data.get("expires_at"), data.get("lifetime", 3600.0)
        if not isinstance(expires_at, (int, float)) or not isinstance(lifetime, (int, float)) or lifetime <= 0:
            raise ValueError("not a token set")
        refresh = data.get("refresh_token")
        return cls(data["access_token"], refresh if isinstance(refresh, str) else None, expires_at, lifetime)

    @classmethod
    def from_json(cls, text: str) -> "Tokens":
        return cls.from_dict(json.loads(text))

    def __repr__(self) -> str:  # never the tokens themselves
        return "Tokens(expires_at=%r, refreshable=%r)" % (self.expires_at, bool(self.refresh_token))


def safe_return_path(path: "str | None") -> str:
    """`path` if it is a same-origin relative path, else '/' (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path or "://" in path.split("?")[0]:
        return "/"
    for char in path:
        if ord(char) < 32:
            return "/"
    return path


def begin_sign_in(config: Config, random_bytes: "Callable[[int], bytes]", now: float,
                  return_path: str = "/", automatic: bool = False) -> "tuple[str, PendingSignIn]":
    """The Looker /auth URL to send the browser to, and what to remember meanwhile."""
    verifier = pkce.new_verifier(random_bytes)
    state = b64url(random_bytes(24))  # 192 bits
    pending = PendingSignIn(state, verifier, safe_return_path(return_path), now, automatic)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": config.client_id,
            "redirect_uri": config.redirect_uri,
            "scope": SCOPE,
            "state": state,
            "code_challenge_method": "S256",
            "code_challenge": pkce.code_challenge(verifier, config.challenge_encoding),
        }
    )
    return config.ui_url + "/auth?" + query, pending


def is_callback(url: str) -> bool:
    """True when `url` carries an authorization answer (code or error, with state)."""
    params = parse_query(split_url(url)[1])
    return "state" in params and ("code" in params or "error" in params)


def read_callback(url: str, pending: "PendingSignIn | None", now: float, ttl: float = STATE_TTL) -> str:
    """The authorization code from Looker's redirect back, or the reason it is refused.

    `pending` must already be removed from storage by the caller, so a state
    can be used once only: a replayed callback finds nothing and is refused.
    """
    params = parse_query(split_url(url)[1])
    state = params.get("state")
    if pending is None:
        raise StateMismatch(
            "This tab has no sign-in in progress (it may have been used already, or started in another tab). Sign in again."
        )
    if not state or state != pending.state:
        raise StateMismatch("The sign-in answer does not belong to this tab's sign-in (state mismatch). Sign in again.")
    if now - pending.created_at > ttl:
        raise StateMismatch("The sign-in took longer than %d minutes and has expired. Sign in again." % (ttl // 60))
    error = params.get("error")
    if error == "access_denied":
        raise AccessDenied("Sign-in was refused (access_denied). Approve the app on Looker's page to continue.")
    if error:
        raise AuthorizationError(error, params.get("error_description", ""))
    code = params.get("code")
    if not code:
        raise AuthError("Looker's answer has no authorization code. Sign in again.")
    return code


def clean_url(url: str) -> str:
    """`url` without the OAuth parameters, for history.replaceState."""
    base, query, fragment = split_url(url)
    params = parse_query(query)
    for key in ("code", "state", "error", "error_description", "error_uri"):
        params.pop(key, None)
    rest = urlencode(params)
    return base + ("?" + rest if rest else "") + ("#" + fragment if fragment else "")


def _token_request(config: Config, fields: "dict[str, str]") -> Request:
    body = {"client_id": config.client_id, "redirect_uri": config.redirect_uri}
    body.update(fields)
    return Request(
        "POST",
        config.api_url + "/api/token",
        {"Content-Type": "application/json", "Accept": "application/json"},
        json.dumps(body),
    )


def exchange_request(config: Config, code: str, pending: PendingSignIn) -> Request:
    """POST /api/token on the API host: trade the code (and verifier) for tokens."""
    return _token_request(
        config, {"grant_type": "authorization_code", "code": code, "code_verifier": pending.verifier}
    )


def refresh_request(config: Config, tokens: Tokens) -> Request:
    """POST /api/token on the API host: trade the refresh token for new tokens."""
    if not tokens.refresh_token:
        raise InvalidGrant("This session has no refresh token. Sign in again.")
    return _token_request(config, {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token})


def logout_request(config: Config, tokens: Tokens) -> Request:
    """DELETE /api/logout: revokes the access token and its refresh token."""
    return Request("DELETE", config.api_url + "/api/logout", {"Authorization": "Bearer " + tokens.access_token}, None)


def parse_token_response(response: "Response", now: float, previous: "Tokens | None" = None) -> Tokens:
    """Tokens from /api/token's answer, or InvalidGrant/AuthError saying why not. A 5xx or 429 says nothing
    about the grant (Looker, or what stands in front of it, cannot answer now): ServerError or RateLimited,
    like any call's, and the session stays (wall.py: an outage)."""
    if response.status >= 500 or response.status == 429:
        raise api_error(response, "POST", "/api/token")
    try:
        data = json.loads(response.text() or "null")
    except ValueError:
        raise DecodeError("Looker's /api/token answered %d with a body that is not JSON." % response.status)
    if response.status != 200:
        detail = ""
        if isinstance(data, dict):
            detail = data.get("error_description") or data.get("message") or data.get("error") or ""
        if response.status in (400, 401) and isinstance(data, dict) and data.get("error") in ("invalid_grant", None):
            raise InvalidGrant("Looker refused the sign-in grant: " + (detail or "invalid_grant") + ". Sign in again.")
        raise AuthError("Looker's /api/token answered %d: %s" % (response.status, detail or "no detail"))
    if not isinstance(data, dict) or not data.get("access_token"):
        raise AuthError("Looker's /api/token answer has no access_token.")
    token_type = data.get("token_type", "Bearer")
    if token_type.lower() != "bearer":
        raise AuthError("Looker's /api/token sent a token of type " + repr(token_type) + ", expected Bearer.")
    expires_in = data.get("expires_in", 3600)
    if not isinstance(expires_in, (int, float)) or expires_in <= 0:
        raise AuthError("Looker's /api/token sent an invalid expires_in.")
    refresh = data.get("refresh_token") or (previous.refresh_token if previous else None)
    return Tokens(data["access_token"], refresh, now + expires_in, expires_in)
