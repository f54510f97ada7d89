"""The pure protocol core, in plain CPython: PKCE, state, URLs, callbacks, token answers."""

from __future__ import annotations

import json
import re

import pytest

from looker_pkce.core import compat, oauth, pkce
from looker_pkce.core.errors import (
    AccessDenied,
    AuthError,
    AuthorizationError,
    ConfigError,
    DecodeError,
    InvalidGrant,
    RateLimited,
    ServerError,
    StateMismatch,
)
from looker_pkce.core.messages import Response, api_error
from looker_pkce.core.session import NO_ANSWER, identity, may_carry_token, refresh_margin, retry_delay

RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"  # RFC 7636 Appendix B
RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
CONFIG = oauth.Config("https://looker.example.com", "https://looker.example.com:19999", "my-app",
                      "https://app.example.com/dash/")


def counter_bytes():
    state = {"n": 0}

    def random_bytes(count):
        out = bytes((state["n"] + i) % 256 for i in range(count))
        state["n"] += count
        return out

    return random_bytes


def test_rfc7636_appendix_b_vector():
    assert pkce.code_challenge(RFC_VERIFIER, "rfc7636") == RFC_CHALLENGE
    assert pkce.code_challenge(RFC_VERIFIER, "padded") == RFC_CHALLENGE + "="
    assert pkce.code_challenge(RFC_VERIFIER, "hex") == "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3"
    with pytest.raises(ValueError):
        pkce.code_challenge(RFC_VERIFIER, "plain")


def test_verifier_charset_length_and_entropy():
    verifier = pkce.new_verifier(compat.random_bytes)
    assert re.fullmatch(r"[A-Za-z0-9\-._~]{43,128}", verifier)
    assert len({pkce.new_verifier(compat.random_bytes) for _ in range(50)}) == 50
    for bad in (42, 129):
        with pytest.raises(ValueError):
            pkce.new_verifier(compat.random_bytes, bad)


def test_verifier_length_is_never_a_power_of_two_as_the_official_browser_client_says():
    """Looker treats a verifier whose length is a power of two as the old hex kind and checks it against a hex
    challenge only: "it must not be 2^n so that Looker correctly treats it as base64 encoded" (sdk-codegen,
    packages/sdk-rtl/src/oauthSession.ts, PR #345; docs/REAL_LOOKER.md#pkce-hex-compatibility). So the verifier
    the library makes, whose challenge it sends as padded base64url, must never have such a length."""
    url, pending = oauth.begin_sign_in(CONFIG, compat.random_bytes, 1000.0)
    length = len(pending.verifier)
    assert length == pkce.VERIFIER_LENGTH == 66  # the official browser client's length (33 bytes as hex)
    assert length & (length - 1) != 0, f"a {length}-character verifier would be checked as hex by Looker"
    assert compat.parse_query(compat.split_url(url)[1])["code_challenge"] == pkce.code_challenge(pending.verifier,
                                                                                                 "padded")
    for power in (64, 128):
        with pytest.raises(ValueError, match="power-of-two"):
            pkce.new_verifier(compat.random_bytes, power)


def test_auth_url_on_ui_host_with_every_parameter():
    url, pending = oauth.begin_sign_in(CONFIG, compat.random_bytes, 1000.0, "/dash/?tab=2")
    base, query, _ = compat.split_url(url)
    params = compat.parse_query(query)
    assert base == "https://looker.example.com/auth"
    assert params["response_type"] == "code" and params["scope"] == "cors_api"
    assert params["client_id"] == "my-app" and params["redirect_uri"] == "https://app.example.com/dash/"
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] == pkce.code_challenge(pending.verifier, "padded")
    assert params["state"] == pending.state and len(pending.state) >= 22  # >= 128 bits
    assert pending.return_path == "/dash/?tab=2"
    assert pending.verifier not in url


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/x", "/\\evil", "javascript:alert(1)", "",
                                  "/ok\n", None])
def test_return_path_is_same_origin_only(path):
    assert oauth.safe_return_path(path) == "/"


def callback(**params):
    return "https://app.example.com/dash/?" + compat.urlencode(params)


def pending_at(created=1000.0):
    return oauth.PendingSignIn("S" * 32, RFC_VERIFIER, "/dash/", created)


def test_callback_happy_path_and_clean_url():
    assert oauth.read_callback(callback(code="abc", state="S" * 32), pending_at(), 1010.0) == "abc"
    assert oauth.clean_url(callback(code="abc", state="S" * 32, tab="2") + "#x") == "https://app.example.com/dash/?tab=2#x"
    assert oauth.is_callback(callback(code="abc", state="s")) and not oauth.is_callback(callback(tab="1"))


@pytest.mark.parametrize(
    "url,pending,now,error",
    [
        (callback(code="abc", state="S" * 32), None, 1010.0, StateMismatch),  # replayed or foreign tab
        (callback(code="abc", state="T" * 32), pending_at(), 1010.0, StateMismatch),  # tampered
        (callback(code="abc"), pending_at(), 1010.0, StateMismatch),  # missing
        (callback(code="abc", state="S" * 32), pending_at(), 1000.0 + 601, StateMismatch),  # expired
        (callback(error="access_denied", state="S" * 32), pending_at(), 1010.0, AccessDenied),
        (callback(error="invalid_scope", error_description="bad", state="S" * 32), pending_at(), 1010.0,
         AuthorizationError),
        (callback(state="S" * 32), pending_at(), 1010.0, AuthError),
    ],
)
def test_callback_refusals(url, pending, now, error):
    with pytest.raises(error):
        oauth.read_callback(url, pending, now)


def test_error_redirect_is_checked_against_state_first():
    # an attacker's error= redirect with a foreign state must not be shown as Looker's answer
    with pytest.raises(StateMismatch):
        oauth.read_callback(callback(error="access_denied", state="X"), pending_at(), 1010.0)


def test_token_requests_go_to_api_host_as_json():
    exchange = oauth.exchange_request(CONFIG, "the-code", pending_at())
    assert exchange.method == "POST" and exchange.url == "https://looker.example.com:19999/api/token"
    assert exchange.headers["Content-Type"] == "application/json"
    assert json.loads(exchange.body) == {"grant_type": "authorization_code", "code": "the-code",
                                         "code_verifier": RFC_VERIFIER, "client_id": "my-app",
                                         "redirect_uri": "https://app.example.com/dash/"}
    tokens = oauth.Tokens("at", "rt", 5000.0)
    assert json.loads(oauth.refresh_request(CONFIG, tokens).body)["grant_type"] == "refresh_token"
    with pytest.raises(InvalidGrant):
        oauth.refresh_request(CONFIG, oauth.Tokens("at", None, 5000.0))
    logout = oauth.logout_request(CONFIG, tokens)
    assert (logout.method, logout.url) == ("DELETE", "https://looker.example.com:19999/api/logout")


def token_response(status, body):
    return Response(status, {"Content-Type": "application/json"}, json.dumps(body) if not isinstance(body, str) else body)


def test_token_response_parsing_and_expiry():
    tokens = oauth.parse_token_response(token_response(200, {"access_token": "A", "token_type": "Bearer",
                                                             "expires_in": 3600, "refresh_token": "R"}), 100.0)
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_at) == ("A", "R", 3700.0)
    assert not tokens.needs_refresh(3640.0 - 1) and tokens.needs_refresh(3640.0)  # 60 s margin for 1 h tokens
    assert "A" not in repr(tokens) and "R" not in repr(tokens)
    kept = oauth.parse_token_response(token_response(200, {"access_token": "B", "expires_in": 60}), 0, tokens)
    assert kept.refresh_token == "R"  # a refresh answer without a new refresh token keeps the old one
    assert oauth.Tokens.from_json(tokens.to_json()).access_token == "A"


@pytest.mark.parametrize("status,body,error", [
    (400, {"error": "invalid_grant", "error_description": "code expired"}, InvalidGrant),
    (400, {"error": "invalid_request"}, AuthError),
    (200, "<html>oops</html>", DecodeError),
    (503, "<html>down</html>", ServerError),  # says nothing about the grant: an outage, not a sign-out
    (500, {"message": "oops"}, ServerError),
    (429, {"message": "slow down"}, RateLimited),
    (200, {"token_type": "Bearer"}, AuthError),
    (200, {"access_token": "A", "token_type": "mac"}, AuthError),
    (200, {"access_token": "A", "expires_in": -5}, AuthError),
])
def test_token_response_refusals(status, body, error):
    with pytest.raises(error):
        oauth.parse_token_response(token_response(status, body), 0)


def test_config_validation():
    with pytest.raises(ConfigError):
        oauth.Config("looker.example.com", "https://x", "id", "https://app/")
    with pytest.raises(ConfigError):
        oauth.Config("https://x", "https://x", "", "https://app/")
    with pytest.raises(ConfigError):
        oauth.Config("https://x", "https://x", "id", "https://app/", challenge_encoding="plain")


def test_refresh_margin_is_a_tenth_of_the_lifetime_at_most_a_minute():
    assert refresh_margin(3600) == 60 and refresh_margin(600) == 60 and refresh_margin(5) == 0.5
    short = oauth.Tokens("A", "R", 105.0, lifetime=5)
    assert not short.needs_refresh(104.4) and short.needs_refresh(104.5)
    # a 30 s run with 5 s tokens that refreshes only when due: about 30 / 4.5 refreshes
    now, expires_at, refreshes = 0.0, 5.0, 0
    while now < 30:
        if oauth.Tokens("A", "R", expires_at, lifetime=5).needs_refresh(now):
            expires_at, refreshes = now + 5, refreshes + 1
        now += 0.05
    assert 6 <= refreshes <= 7


@pytest.mark.parametrize("method,path,status,retry_after,attempt,jitter,expected", [
    ("GET", "user", 429, "3", 0, 0.0, 3.0),  # never sooner than Looker says
    ("GET", "user", 429, "3", 0, 0.99, 3.0 + 0.99 * 0.25),
    ("GET", "user", 503, None, 0, 0.0, 1.0),  # unreadable Retry-After: at least 1 s
    ("GET", "user", 503, None, 1, 0.0, 2.0),
    ("GET", "user", 503, None, 2, 0.99, 4.0 * 1.495),
    ("GET", "user", 429, "Wed, 21 Oct 2026 07:28:00 GMT", 0, 0.0, 1.0),  # a date: backoff
    ("GET", "user", 429, "600", 0, 0.0, None),  # too long to wait: reported instead
    ("GET", "user", 500, None, 0, 0.0, 1.0),  # a 500 on a GET: retried once
    ("GET", "user", 500, None, 1, 0.0, None),
    ("POST", "queries/run/json", 500, None, 0, 0.0, None),  # ... on a POST: never
    ("DELETE", "looks/1", 500, None, 0, 0.0, None),
    ("GET", "user", NO_ANSWER, None, 0, 0.0, 1.0),  # no answer at all: backoff
    ("POST", "queries/run/json", NO_ANSWER, None, 1, 0.0, 2.0),
    ("POST", "queries", NO_ANSWER, None, 0, 0.0, None),  # a create may have happened
    ("GET", "user", 429, "1", 3, 0.5, None),  # bounded
    ("POST", "queries/run/json", 429, None, 0, 0.0, 1.0),  # a query run only reads
    ("POST", "/queries/run/csv?limit=5", 503, None, 0, 0.0, 1.0),
    ("POST", "sql_queries/abc/run/json", 429, "2", 0, 0.0, 2.0),
    ("POST", "queries/run/json", 502, None, 0, 0.0, 1.0),  # a query run only reads: a gateway error is retried
    ("POST", "queries/run/json", 504, None, 2, 0.0, 4.0),
    ("POST", "queries", 502, None, 0, 0.0, None),
    ("POST", "queries", 429, "1", 0, 0.5, None),  # creates: sent exactly once
    ("POST", "looks", 503, None, 0, 0.5, None),
    ("PATCH", "looks/1", 429, "1", 0, 0.5, None),
])
def test_retry_policy(method, path, status, retry_after, attempt, jitter, expected):
    delay = retry_delay(method, path, status, retry_after, attempt, jitter)
    assert delay == pytest.approx(expected) if expected is not None else delay is None


def test_session_identity_is_ui_api_and_client():
    base = oauth.Config("https://ui.example/", "https://api.example:19999", "app", "https://page.example/")
    for other in (oauth.Config("https://ui2.example", "https://api.example:19999", "app", "https://page.example/"),
                  oauth.Config("https://ui.example", "https://api.example:443", "app", "https://page.example/"),
                  oauth.Config("https://ui.example", "https://api.example:19999", "app2", "https://page.example/")):
        assert identity(other) != identity(base)
    assert identity(oauth.Config("https://UI.example/x", "https://api.example:19999/", "app", "https://p/")) \
        == identity(base)
    assert may_carry_token(base, "https://api.example:19999/api/4.0/user")
    for foreign in ("https://api.example/api/4.0/user", "http://api.example:19999/x", "https://ui.example/x",
                    "https://api.example:19999.evil.example/x", "https://elsewhere.example/x"):
        assert not may_carry_token(base, foreign), foreign


def test_api_error_carries_lookers_message():
    response = Response(422, {"content-type": "application/json"}, json.dumps({
        "message": "Validation Failed", "documentation_url": "https://docs/x",
        "errors": [{"field": "title", "code": "missing_field", "message": "This field is required."}]}))
    error = api_error(response, "POST", "looks")
    assert error.status == 422 and error.documentation_url == "https://docs/x"
    assert "title: This field is required." in str(error)


def test_query_string_round_trip():
    params = {"a": "x y/é&=", "b": ["1", "2"], "c": None, "d": True}
    assert compat.urlencode(params) == "a=x%20y%2F%C3%A9%26%3D&b=1&b=2&d=true"
    assert compat.parse_query(compat.urlencode({"a": "x y/é&="})) == {"a": "x y/é&="}
    assert compat.unquote("100%") == "100%"
