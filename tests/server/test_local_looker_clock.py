"""The local Looker's clock and refresh-token lifetime (docs/REAL_LOOKER.md#refresh-token-expiry), and the
`outage` fault. A Looker of its own: moving the clock would expire the shared one's tokens."""

from __future__ import annotations

import secrets

import pytest
import requests
from test_local_looker import REDIRECT
from test_strict_looker import redeem

from local_looker.__main__ import parse
from local_looker.process import LocalLooker, free_port
from looker_pkce.core import pkce

CLIENT = "strict-tests"  # the client test_strict_looker.redeem signs in with
DAY = 24 * 3600


@pytest.fixture(scope="module")
def moved(site):
    server = LocalLooker(free_port(), free_port(), site.origin, env={"LOOKER_REFRESH_TOKEN_TTL": str(3 * DAY)})
    server.register_app(CLIENT, REDIRECT)
    yield server
    server.stop()


def signed_in(looker) -> dict:
    verifier = secrets.token_urlsafe(50)
    answer = redeem(looker, verifier, pkce.code_challenge(verifier, "padded"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def refreshed(looker, tokens: dict) -> requests.Response:
    return requests.post(looker.api_url + "/api/token", json={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": CLIENT,
        "redirect_uri": REDIRECT})


def test_the_refresh_token_lifetime_defaults_to_30_days_and_is_a_flag(monkeypatch):
    monkeypatch.delenv("LOOKER_REFRESH_TOKEN_TTL", raising=False)
    assert parse([]).refresh_token_ttl == 30 * DAY
    assert parse(["--refresh-token-ttl", "60"]).refresh_token_ttl == 60


def test_rotation_renews_access_until_the_sign_ins_refresh_life_ends(moved):
    tokens = signed_in(moved)
    for _ in range(2 * 24):  # two days of hourly renewals on the moved clock
        moved.local("POST", "clock", json={"advance": 3600})
        answer = refreshed(moved, tokens)
        assert answer.status_code == 200, answer.text
        tokens = answer.json()
    me = requests.get(moved.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert me.status_code == 200
    moved.local("POST", "clock", json={"advance": DAY + 1})  # past the sign-in's three days: rotation did not extend it
    answer = refreshed(moved, tokens)
    assert (answer.status_code, answer.json()["error"]) == (400, "invalid_grant")
    assert "expired" in answer.json()["error_description"]
    assert moved.local("GET", "stats")["expired_refresh_tokens"] == 1


def test_an_access_token_expires_on_the_moved_clock(moved):
    tokens = signed_in(moved)
    moved.local("POST", "clock", json={"advance": 3601})
    me = requests.get(moved.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + tokens["access_token"]})
    assert me.status_code == 401


@pytest.mark.parametrize("advance", [-1, "1", True, 10**12, None])
def test_the_clock_moves_forward_only_by_a_number(moved, advance):
    answer = requests.post(moved.api_url + "/_local/clock", json={"advance": advance},
                           headers={"X-Local-Looker": "1"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "advance"


def test_an_outage_answers_503_everywhere_on_the_api_host_token_included_and_ends(moved, site):
    tokens = signed_in(moved)
    moved.local("POST", "faults", json={"outage": True})
    try:
        assert refreshed(moved, tokens).status_code == 503
        me = requests.get(moved.api_url + "/api/4.0/user", headers={
            "Authorization": "Bearer " + tokens["access_token"], "Origin": site.origin})
        assert me.status_code == 503
        assert me.headers["access-control-allow-origin"] == site.origin  # the page can read it: not a CORS error
    finally:
        moved.local("POST", "faults", json={"outage": False})
    assert refreshed(moved, tokens).status_code == 200  # the outage spent nothing
