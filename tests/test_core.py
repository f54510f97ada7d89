"""The pure protocol core, in plain CPython: PKCE, state, URLs, callbacks, token answers."""

from __future__ import annotations

import json
import re

import pytest

from looker_pkce import compat, oauth, pkce
from looker_pkce.errors import (AccessDenied, AuthError, AuthorizationError, ConfigError, DecodeError, InvalidGrant,
                                StateMismatch)
from looker_pkce.messages import Response, api_error, retry_delay

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
    for encoding in pkce.ENCODINGS:
        assert pkce.challenge_matches(RFC_VERIFIER, pkce.code_challenge(RFC_VERIFIER, encoding))
    assert not pkce.challenge_matches(RFC_VERIFIER + "x", RFC_CHALLENGE)
    with pytest.raises(ValueError):
        pkce.code_challenge(RFC_VERIFIER, "plain")


def test_verifier_charset_length_and_entropy():
    verifier = pkce.new_verifier(compat.random_bytes)
    assert re.fullmatch(r"[A-Za-z0-9\-._~]{64}", verifier)
    assert len({pkce.new_verifier(compat.random_bytes) for _ in range(50)}) == 50
    for bad in (42, 129):
        with pytest.raises(ValueError):
            pkce.new_verifier(compat.random_bytes, bad)


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
    assert not tokens.needs_refresh(3600.0 - 41) and tokens.needs_refresh(3640.0)
    assert "A" not in repr(tokens) and "R" not in repr(tokens)
    kept = oauth.parse_token_response(token_response(200, {"access_token": "B", "expires_in": 60}), 0, tokens)
    assert kept.refresh_token == "R"  # a refresh answer without a new refresh token keeps the old one
    assert oauth.Tokens.from_json(tokens.to_json()).access_token == "A"


@pytest.mark.parametrize("status,body,error", [
    (400, {"error": "invalid_grant", "error_description": "code expired"}, InvalidGrant),
    (400, {"error": "invalid_request"}, AuthError),
    (500, "<html>oops</html>", DecodeError),
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


def test_retry_policy():
    assert retry_delay("GET", 429, "3", 0, 0.5) == 3.0
    assert retry_delay("GET", 503, None, 0, 0.0) == 0.25
    assert retry_delay("GET", 503, None, 2, 0.99) < 2.0 * 1.0
    assert retry_delay("POST", 429, "1", 0, 0.5) is None  # a POST may have done its work
    assert retry_delay("GET", 500, None, 0, 0.5) is None
    assert retry_delay("GET", 429, "1", 3, 0.5) is None  # bounded


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
