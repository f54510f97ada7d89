"""core/oauth.py: the configuration, the sign-in's start and answer, token requests and token answers, beyond
test_core.py's end-to-end checks."""

from __future__ import annotations

import json

import pytest

from looker_pkce.core import compat, oauth, pkce
from looker_pkce.core.errors import (
    AccessDenied,
    AuthError,
    AuthorizationError,
    ConfigError,
    InvalidGrant,
    ServerError,
    StateMismatch,
)
from looker_pkce.core.messages import Response

CONFIG = oauth.Config("https://ui.example/", "https://api.example:19999/", "app", "https://page.example/p/",
                      "hex")


@pytest.mark.parametrize("args,message", [
    (("ui", "https://a", "id", "https://p/"), "ui_url must be an absolute http(s) URL, got 'ui'"),
    (("https://u", None, "id", "https://p/"), "api_url must be an absolute http(s) URL, got None"),
    (("https://u", "https://a", "id", "/p/"), "redirect_uri must be an absolute http(s) URL"),
    (("https://u", "https://a", None, "https://p/"), "client_id is required"),
    (("https://u", "https://a", "id", "https://p/", "S256"), "challenge_encoding must be one of padded, rfc7636, hex"),
])
def test_a_configuration_is_refused_naming_the_setting_that_is_wrong(args, message):
    with pytest.raises(ConfigError, match=message.replace("(", "\\(").replace(")", "\\)")):
        oauth.Config(*args)


def test_a_missing_client_id_is_explained_in_full():
    with pytest.raises(ConfigError) as refused:
        oauth.Config("https://u", "https://a", "", "https://p/")
    assert str(refused.value) == "client_id is required: the OAuth client app's client_guid registered in Looker"


def test_a_configuration_drops_trailing_slashes_of_the_looker_urls_only():
    config = oauth.Config("https://ui.example/", "https://api.example:19999/", "app", "https://page.example/p/",
                          "hex")  # made here, not at import: mutmut maps a test to the code it runs
    assert (config.ui_url, config.api_url, config.redirect_uri) == (
        "https://ui.example", "https://api.example:19999", "https://page.example/p/")
    assert config.client_id == "app" and config.challenge_encoding == "hex"
    assert repr(config) == "Config(ui_url='https://ui.example', api_url='https://api.example:19999', client_id='app')"
    assert oauth.Config("https://u", "https://a", "id", "https://p/").challenge_encoding == "padded"


def test_a_pending_sign_in_round_trips_through_json_and_its_repr_hides_the_secrets():
    pending = oauth.PendingSignIn("st", "ver", "/back", 12.5)
    again = oauth.PendingSignIn.from_json(pending.to_json())
    assert (again.state, again.verifier, again.return_path, again.created_at) == ("st", "ver", "/back", 12.5)
    assert repr(pending) == "PendingSignIn(return_path='/back')"


def test_tokens_expire_at_their_time_and_are_renewed_a_tenth_of_their_lifetime_before():
    tokens = oauth.Tokens("A", "R", 1000.0, 100.0)
    assert not tokens.expired(999.9) and tokens.expired(1000.0)
    assert tokens.fresh_until() == 990.0
    assert not tokens.needs_refresh(989.9) and tokens.needs_refresh(990.0)
    assert tokens.to_dict() == {"access_token": "A", "refresh_token": "R", "expires_at": 1000.0, "lifetime": 100.0,
                                "fresh_until": 990.0}
    assert oauth.Tokens("A", None, 10).lifetime == 3600.0
    assert repr(tokens) == "Tokens(expires_at=1000.0, refreshable=True)"
    assert repr(oauth.Tokens("A", None, 5)) == "Tokens(expires_at=5, refreshable=False)"


def test_stored_tokens_are_read_back_and_anything_malformed_is_refused():
    back = oauth.Tokens.from_dict({"access_token": "A", "refresh_token": 5, "expires_at": 7})
    assert (back.access_token, back.refresh_token, back.expires_at, back.lifetime) == ("A", None, 7, 3600.0)
    assert oauth.Tokens.from_json('{"access_token": "A", "refresh_token": "R", "expires_at": 1, "lifetime": 2}') \
        .refresh_token == "R"
    for bad in (None, [], {"access_token": 5, "expires_at": 1}, {"access_token": "A"},
                {"access_token": "A", "expires_at": "1"}, {"access_token": "A", "expires_at": 1, "lifetime": 0},
                {"access_token": "A", "expires_at": 1, "lifetime": "60"}):
        with pytest.raises(ValueError, match="^not a token set$"):
            oauth.Tokens.from_dict(bad)
    assert oauth.Tokens.from_dict({"access_token": "A", "expires_at": 1, "lifetime": 1}).lifetime == 1


@pytest.mark.parametrize("path,kept", [("/a/b?c=https://x#y", "/a/b?c=https://x#y"), ("/", "/"), ("/a\x7f", "/a\x7f"),
                                       ("/a\x1f", "/"), ("/a\tb", "/"), ("/x/https://evil", "/")])
def test_a_return_path_keeps_same_origin_paths_and_refuses_control_characters(path, kept):
    assert oauth.safe_return_path(path) == kept


def test_the_sign_in_starts_with_fresh_random_state_and_verifier_and_remembers_where_to_return():
    drawn = []

    def random_bytes(count):
        drawn.append(count)
        return bytes(range(count))

    url, pending = oauth.begin_sign_in(CONFIG, random_bytes, 50.0, "//evil")
    assert drawn == [132, 24]  # the verifier's draw, then 192 bits of state
    assert pending.state == compat.b64url(bytes(range(24))) and pending.return_path == "/"
    assert pending.created_at == 50.0 and pending.verifier == pkce.new_verifier(lambda n: bytes(range(n)))
    assert url == "https://ui.example/auth?" + compat.urlencode({
        "response_type": "code", "client_id": "app", "redirect_uri": "https://page.example/p/", "scope": "cors_api",
        "state": pending.state, "code_challenge_method": "S256",
        "code_challenge": pkce.code_challenge(pending.verifier, "hex")})
    assert oauth.begin_sign_in(CONFIG, compat.random_bytes, 0)[1].return_path == "/"


@pytest.mark.parametrize("query,answer", [("state=s&code=c", True), ("state=s&error=e", True), ("code=c", False),
                                          ("state=s", False), ("", False)])
def test_a_callback_is_an_answer_with_state_and_a_code_or_an_error(query, answer):
    assert oauth.is_callback("https://page.example/p/?" + query + "#f") is answer


def pending(created=0.0):
    return oauth.PendingSignIn("st", "v", "/", created)


def test_the_sign_in_answer_is_taken_up_to_exactly_its_time_to_live():
    url = "https://page.example/p/?code=c&state=st"
    assert oauth.read_callback(url, pending(), oauth.STATE_TTL) == "c"
    with pytest.raises(StateMismatch, match="longer than 10 minutes"):
        oauth.read_callback(url, pending(), oauth.STATE_TTL + 0.5)
    with pytest.raises(StateMismatch, match="longer than 2 minutes"):
        oauth.read_callback(url, pending(), 121, ttl=120)


def test_each_refusal_of_the_answer_says_what_happened():
    with pytest.raises(StateMismatch, match="no sign-in in progress"):
        oauth.read_callback("https://p/?code=c&state=st", None, 0)
    with pytest.raises(StateMismatch, match="does not belong to this tab"):
        oauth.read_callback("https://p/?code=c&state=", pending(), 0)
    with pytest.raises(AccessDenied, match="Approve the app"):
        oauth.read_callback("https://p/?error=access_denied&state=st", pending(), 0)
    with pytest.raises(AuthorizationError) as refused:
        oauth.read_callback("https://p/?error=invalid_scope&error_description=no+scope&state=st", pending(), 0)
    assert refused.value.error == "invalid_scope" and "no scope" in str(refused.value)
    with pytest.raises(AuthError, match="no authorization code"):
        oauth.read_callback("https://p/?code=&state=st", pending(), 0)


def test_the_clean_url_drops_every_oauth_parameter_and_keeps_the_rest():
    url = "https://p/x?code=c&state=s&error=e&error_description=d&error_uri=u&a=1#frag"
    assert oauth.clean_url(url) == "https://p/x?a=1#frag"
    assert oauth.clean_url("https://p/x?code=c&state=s") == "https://p/x"


def test_token_requests_are_json_posts_with_the_client_and_redirect_and_logout_carries_the_bearer():
    request = oauth.refresh_request(CONFIG, oauth.Tokens("A", "R", 1))
    assert request.method == "POST" and request.url == "https://api.example:19999/api/token"
    assert request.headers == {"Content-Type": "application/json", "Accept": "application/json"}
    assert json.loads(request.body) == {"client_id": "app", "redirect_uri": "https://page.example/p/",
                                        "grant_type": "refresh_token", "refresh_token": "R"}
    with pytest.raises(InvalidGrant, match="^This session has no refresh token. Sign in again.$"):
        oauth.refresh_request(CONFIG, oauth.Tokens("A", "", 1))
    logout = oauth.logout_request(CONFIG, oauth.Tokens("A", "R", 1))
    assert logout.headers == {"Authorization": "Bearer A"} and logout.body is None


def answer(status, body):
    return Response(status, {"Content-Type": "application/json"}, body if isinstance(body, str) else json.dumps(body))


def test_a_token_answer_gives_tokens_that_expire_after_expires_in_defaulting_to_an_hour():
    tokens = oauth.parse_token_response(answer(200, {"access_token": "A", "token_type": "bearer"}), 10.0)
    assert (tokens.access_token, tokens.refresh_token, tokens.expires_at, tokens.lifetime) == ("A", None, 3610.0, 3600)
    assert oauth.parse_token_response(answer(200, {"access_token": "A", "refresh_token": "N"}), 0,
                                      oauth.Tokens("B", "R", 1)).refresh_token == "N"


@pytest.mark.parametrize("status,body,error,message", [
    (401, {"error": "invalid_grant", "error_description": "spent"}, InvalidGrant,
     "Looker refused the sign-in grant: spent. Sign in again."),
    (400, {"message": "nope"}, InvalidGrant, "Looker refused the sign-in grant: nope. Sign in again."),
    (400, {}, InvalidGrant, "Looker refused the sign-in grant: invalid_grant. Sign in again."),
    (403, {"error": "invalid_grant"}, AuthError, "Looker's /api/token answered 403: invalid_grant"),
    (400, {"error": "invalid_client"}, AuthError, "Looker's /api/token answered 400: invalid_client"),
    (400, [1], AuthError, "Looker's /api/token answered 400: no detail"),
    (500, "", ServerError, "POST /api/token failed with 500"),  # Looker down: the session is kept (core/wall.py)
    (502, "<html>", ServerError, "POST /api/token failed with 502"),
    (200, {"access_token": ""}, AuthError, "has no access_token"),
    (200, [], AuthError, "has no access_token"),
    (200, {"access_token": "A", "token_type": "MAC"}, AuthError, "sent a token of type 'MAC', expected Bearer"),
    (200, {"access_token": "A", "expires_in": 0}, AuthError, "invalid expires_in"),
    (200, {"access_token": "A", "expires_in": "60"}, AuthError, "invalid expires_in"),
])
def test_a_refused_or_malformed_token_answer_says_why(status, body, error, message):
    with pytest.raises(error) as caught:
        oauth.parse_token_response(answer(status, body), 0)
    assert type(caught.value) is error
    assert message in str(caught.value)
