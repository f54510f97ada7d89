"""The async Client with an in-memory transport: refresh, retries, sign-in and sign-out paths."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from looker_pkce import (Client, Config, ConfigError, DecodeError, MemoryStorage, NetworkError, RateLimited, SignedOut,
                         StateMismatch, discover_api_url)
from looker_pkce.compat import parse_query, split_url
from looker_pkce.messages import Response

def run(coroutine):
    """asyncio.run in its own thread: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


CONFIG = Config("https://ui.example", "https://api.example:19999", "app", "https://app.example/")


class FakeLooker:
    """Just enough Looker to exercise the client: tokens, /user, scripted failures."""

    def __init__(self):
        self.refreshes = 0
        self.valid = set()
        self.script = []  # statuses to answer /user with before answering normally
        self.calls = []
        self.down = False

    def issue(self):
        token = f"tok{len(self.calls)}-{self.refreshes}"
        self.valid.add(token)
        return Response(200, {"content-type": "application/json"},
                        json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                                    "refresh_token": "r-" + token}))

    async def __call__(self, request, timeout):
        await asyncio.sleep(0.001)
        self.calls.append((request.method, request.url))
        if self.down:
            raise NetworkError("offline")
        if request.url.endswith("/api/token"):
            body = json.loads(request.body)
            if body["grant_type"] == "refresh_token":
                self.refreshes += 1
            return self.issue()
        if request.url.endswith("/api/logout"):
            self.valid.discard(request.headers["Authorization"].split()[1])
            return Response(204, {}, "")
        if self.script:
            status = self.script.pop(0)
            return Response(status, {"content-type": "application/json", "retry-after": "0"},
                            json.dumps({"message": "scripted", "documentation_url": ""}))
        if request.headers.get("Authorization", "").split()[-1] not in self.valid:
            return Response(401, {"content-type": "application/json"}, json.dumps({"message": "Requires auth"}))
        return Response(200, {"content-type": "application/json"}, json.dumps({"email": "a@example.com"}))


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeNavigator:
    def __init__(self):
        self.url = "https://app.example/?x=1"
        self.assigned = None

    def current_url(self):
        return self.url

    def current_path(self):
        return "/" + self.url.split("/", 3)[3]

    def assign(self, url):
        self.assigned = url

    def replace(self, url):
        self.url = url if "://" in url else "https://app.example" + url


async def no_sleep(seconds):
    await asyncio.sleep(0)


def signed_in_client(fake, clock=None):
    client = Client(CONFIG, fake, MemoryStorage(), FakeNavigator(), clock=clock or Clock(), sleep=no_sleep)
    client.sign_in()
    params = parse_query(split_url(client.navigator.assigned)[1])
    client.navigator.url = "https://app.example/?code=c1&state=" + params["state"]
    assert run(client.handle_redirect()) is True
    return client


def test_sign_in_round_trip_cleans_the_address_bar():
    fake = FakeLooker()
    client = signed_in_client(fake)
    assert client.signed_in
    assert client.navigator.url == "https://app.example/?x=1"  # code and state gone; return path restored
    assert run(client.me()) == {"email": "a@example.com"}


def test_replayed_callback_is_refused():
    fake = FakeLooker()
    client = signed_in_client(fake)
    client.navigator.url = "https://app.example/?code=c1&state=anything"
    with pytest.raises(StateMismatch):
        run(client.handle_redirect())
    assert "code=" not in client.navigator.url


def test_one_refresh_for_many_waiting_calls():
    fake, clock = FakeLooker(), Clock()
    client = signed_in_client(fake, clock)
    clock.now += 3600  # the token is now inside its refresh margin

    async def many():
        return await asyncio.gather(*[client.me() for _ in range(20)])

    assert len(run(many())) == 20
    assert fake.refreshes == 1 and client.refresh_count == 1


def test_401_refreshes_once_and_retries_once_then_signs_out():
    fake = FakeLooker()
    client = signed_in_client(fake)
    fake.valid.clear()  # Looker forgot the token (revoked elsewhere)

    async def many():
        return await asyncio.gather(*[client.me() for _ in range(10)])

    assert len(run(many())) == 10
    assert fake.refreshes == 1
    fake.script = [401, 401]
    with pytest.raises(SignedOut):
        run(client.me())
    assert not client.signed_in


def test_idempotent_calls_retry_on_429_and_503_posts_do_not():
    fake = FakeLooker()
    client = signed_in_client(fake)
    fake.script = [429, 503]
    assert run(client.get("user")) == {"email": "a@example.com"}
    fake.script = [429]
    with pytest.raises(RateLimited):
        run(client.post("queries", {"model": "m"}))
    fake.script = [429, 429, 429, 429]
    with pytest.raises(RateLimited):
        run(client.get("user"))


def test_sign_out_revokes_and_forgets_even_offline():
    fake = FakeLooker()
    client = signed_in_client(fake)
    token = next(iter(fake.valid))
    run(client.sign_out())
    assert token not in fake.valid and not client.signed_in
    client = signed_in_client(fake)
    fake.down = True
    run(client.sign_out())
    assert not client.signed_in
    with pytest.raises(SignedOut):
        run(client.me())


def test_session_survives_a_new_client_on_the_same_storage():
    fake = FakeLooker()
    client = signed_in_client(fake)
    again = Client(CONFIG, fake, client.storage, FakeNavigator(), sleep=no_sleep)
    assert again.signed_in and run(again.me())["email"] == "a@example.com"
    assert "tok" not in repr(again.__dict__.get("_tokens"))


def test_api_url_discovery_reads_versions():
    async def transport(request, timeout):
        assert request.url == "https://ui.example/versions"
        return Response(200, {"content-type": "application/json"},
                        json.dumps({"api_server_url": "https://ui.example:19999/"}))

    assert run(discover_api_url(transport, "https://ui.example/")) == "https://ui.example:19999"

    async def silent(request, timeout):
        return Response(200, {"content-type": "application/json"}, "{}")

    with pytest.raises(ConfigError, match="api_url"):
        run(discover_api_url(silent, "https://ui.example"))


def test_malformed_json_is_a_clear_error():
    fake = FakeLooker()
    client = signed_in_client(fake)

    async def broken(request, timeout):
        return Response(200, {"content-type": "application/json"}, "{not json")

    client.transport = broken
    with pytest.raises(DecodeError, match="malformed JSON"):
        run(client.me())


def test_two_clients_on_one_storage_never_refresh_twice():
    # e.g. the MicroPython app and a Pyodide helper in one tab: refresh tokens rotate, so a
    # second refresh with the old one would sign both out
    fake, clock = FakeLooker(), Clock()
    first = signed_in_client(fake, clock)
    second = Client(CONFIG, fake, first.storage, FakeNavigator(), clock=clock, sleep=no_sleep)
    clock.now += 3600
    assert run(first.me())["email"] == "a@example.com"
    assert run(second.me())["email"] == "a@example.com"
    assert fake.refreshes == 1 and second.refresh_count == 0
