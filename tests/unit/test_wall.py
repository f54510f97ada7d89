"""The wall screen's rules (core/wall.py) and what the client does under them: a refresh token whose life
ended ends the session; an outage, with or without an answer, keeps it for the next try."""

from __future__ import annotations

import json

import pytest
from test_client import FakeLooker, run, signed_in_client

from looker_pkce import (
    ApiError,
    CorsError,
    Forbidden,
    InvalidGrant,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    SignedOut,
    Timeout,
)
from looker_pkce.core import wall
from looker_pkce.core.messages import Response


class DownLooker(FakeLooker):
    """A FakeLooker whose outage answers: None (no answer: NetworkError) or a status from what stands in front."""

    def __init__(self):
        super().__init__()
        self.outage_status = None

    async def __call__(self, request, timeout):
        if self.down and self.outage_status is not None:
            self.calls.append((request.method, request.url))
            return Response(self.outage_status, {"content-type": "text/html"}, "<html>Service Unavailable</html>")
        return await super().__call__(request, timeout)


def due(client):
    """Move the client's clock past its access token's expiry."""
    client.clock.now = client.tokens.expires_at + 1


def test_a_refresh_token_whose_life_ended_ends_the_session_and_the_wall():
    fake = DownLooker()
    client = signed_in_client(fake)
    fake.refresh_tokens.clear()  # Looker no longer knows it: its life ended (invalid_grant)
    due(client)
    with pytest.raises(SignedOut) as raised:
        run(client.me())
    assert not client.signed_in  # forgotten: the next round does not try again
    assert wall.outcome(raised.value) == wall.ENDED


@pytest.mark.parametrize("status", [None, 502, 503, 504, 500, 429])
def test_an_outage_while_renewing_keeps_the_session_for_the_next_try(status):
    fake = DownLooker()
    client = signed_in_client(fake)
    refresh_token = client.tokens.refresh_token
    fake.down, fake.outage_status = True, status
    due(client)
    with pytest.raises((NetworkError, ServerError, RateLimited)) as raised:
        run(client.me())
    assert client.signed_in and client.tokens.refresh_token == refresh_token  # nothing spent, nothing forgotten
    assert wall.outcome(raised.value) == wall.OUTAGE
    fake.down = False  # Looker is back: the same refresh token renews the session
    assert run(client.me()) == {"email": "a@example.com"}
    assert client.tokens.refresh_token != refresh_token and fake.family_revocations == 0


def test_an_outage_on_a_call_keeps_the_session():
    fake = DownLooker()
    client = signed_in_client(fake)
    fake.down, fake.outage_status = True, 503
    with pytest.raises(ServerError) as raised:
        run(client.me())
    assert client.signed_in and wall.outcome(raised.value) == wall.OUTAGE


@pytest.mark.parametrize("error,expected", [
    (SignedOut("ended"), wall.ENDED),
    (InvalidGrant("refused"), wall.ENDED),
    (NetworkError("offline"), wall.OUTAGE),
    (Timeout("slow"), wall.OUTAGE),
    (CorsError("https://app", "https://api"), wall.OUTAGE),  # a proxy's answer for a Looker that is down
    (ServerError(503, "down"), wall.OUTAGE),
    (RateLimited(429, "busy"), wall.OUTAGE),
    (Forbidden(403, "no"), None),  # one call's refusal: the dashboard shows it where it happened
    (NotFound(404, "gone"), None),
    (ApiError(422, "bad filter"), None),
    (ValueError("a bug"), None),
])
def test_what_a_failed_round_means(error, expected):
    assert wall.outcome(error) == expected


def test_reconnect_tries_back_off_from_five_seconds_to_the_cap_or_the_interval():
    assert [wall.reconnect_delay(n, 3600) for n in (1, 2, 3, 4, 7, 20)] == [5, 10, 20, 40, 300, 300]
    assert [wall.reconnect_delay(n, 60) for n in (1, 4, 5)] == [5, 40, 60]  # never longer than the wall's interval
    assert wall.reconnect_delay(1, 5) == 5
    assert wall.reconnect_delay(1, 3600, jitter=0.99) == pytest.approx(5 * (1 + 0.99 / 4))


def test_token_endpoint_outage_pages_are_not_grants():
    """A proxy's 503 page on /api/token is an outage (ServerError), not a malformed answer or a refusal."""
    from looker_pkce.core import oauth
    with pytest.raises(ServerError):
        oauth.parse_token_response(Response(503, {"content-type": "text/html"}, "<html>down</html>"), 0)
    with pytest.raises(InvalidGrant):
        oauth.parse_token_response(Response(400, {"content-type": "application/json"},
                                            json.dumps({"error": "invalid_grant"})), 0)
