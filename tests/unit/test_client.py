"""The async Client with an in-memory transport: refresh, retries, sign-in and sign-out paths."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from looker_pkce import (
    Client,
    Config,
    ConfigError,
    DecodeError,
    MemoryStorage,
    NetworkError,
    RateLimited,
    SignedOut,
    StateMismatch,
)
from looker_pkce.core.compat import parse_query, split_url
from looker_pkce.core.messages import Response
from looker_pkce.driver.siblings import Neighbourhood


def run(coroutine):
    """asyncio.run in its own thread: Playwright's sync API keeps a loop running in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


CONFIG = Config("https://ui.example", "https://api.example:19999", "app", "https://app.example/")


class FakeLooker:
    """Just enough Looker to exercise the client: rotating refresh tokens (a spent one presented
    again revokes its whole family, RFC 9700 4.14.2), /user, scripted failures."""

    def __init__(self, lifetime=3600):
        self.lifetime = lifetime
        self.refreshes = 0
        self.family_revocations = 0
        self.logouts = 0
        self.valid = {}  # access token -> family
        self.refresh_tokens = {}  # live refresh token -> family
        self.spent = {}  # rotated-away refresh token -> family
        self.script = []  # statuses to answer /user with before answering normally
        self.calls = []
        self.down = False

    def issue(self, family):
        token = f"tok{len(self.calls)}-{self.refreshes}"
        self.valid[token] = family
        self.refresh_tokens["r-" + token] = family
        return Response(200, {"content-type": "application/json"},
                        json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime,
                                    "refresh_token": "r-" + token}))

    def revoke_family(self, family):
        self.family_revocations += 1
        self.valid = {t: f for t, f in self.valid.items() if f != family}
        self.refresh_tokens = {t: f for t, f in self.refresh_tokens.items() if f != family}

    def refresh(self, refresh_token):
        self.refreshes += 1
        if refresh_token in self.spent:
            self.revoke_family(self.spent[refresh_token])
        if refresh_token not in self.refresh_tokens:
            return Response(400, {"content-type": "application/json"}, json.dumps({"error": "invalid_grant"}))
        family = self.refresh_tokens.pop(refresh_token)
        self.spent[refresh_token] = family
        self.valid = {t: f for t, f in self.valid.items() if "r-" + t != refresh_token}
        return self.issue(family)

    async def __call__(self, request, timeout):
        await asyncio.sleep(0.001)
        self.calls.append((request.method, request.url))
        if self.down:
            raise NetworkError("offline")
        if request.url.endswith("/api/token"):
            body = json.loads(request.body)
            if body["grant_type"] == "refresh_token":
                return self.refresh(body["refresh_token"])
            return self.issue(family=body["code"] + str(len(self.calls)))
        if request.url.endswith("/api/logout"):
            self.logouts += 1
            token = request.headers["Authorization"].split()[1]
            self.valid.pop(token, None)
            self.refresh_tokens.pop("r-" + token, None)
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


def signed_in_client(fake, clock=None, siblings=None, config=CONFIG):
    client = Client(config, fake, MemoryStorage(), FakeNavigator(), clock=clock or Clock(), sleep=no_sleep,
                    siblings=siblings)
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


def test_a_callback_this_tab_did_not_start_is_refused_and_cleared_from_the_address():  # exact replay: test_protocol
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
    token = client.tokens.access_token
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


def test_malformed_json_is_a_clear_error():
    fake = FakeLooker()
    client = signed_in_client(fake)

    async def broken(request, timeout):
        return Response(200, {"content-type": "application/json"}, "{not json")

    client.transport = broken
    with pytest.raises(DecodeError, match="malformed JSON"):
        run(client.me())


def copy_of(storage):
    """What a duplicated tab starts with: a copy of the tab's sessionStorage."""
    copy = MemoryStorage()
    copy._items = dict(storage._items)
    return copy


def sibling(first, fake, clock, storage=None, **options):
    """Another context of the same origin: a tab or an interpreter holding `first`'s session."""
    return Client(CONFIG, fake, storage if storage is not None else MemoryStorage(), FakeNavigator(), clock=clock,
                  sleep=no_sleep, siblings=first.hood.context(), **options)


def signed_in_with_siblings(fake, clock):
    hood = Neighbourhood()
    client = signed_in_client(fake, clock, siblings=hood.context())
    client.hood = hood
    return client


async def call_for(clients, clock, seconds, step=0.25):
    """Every client calls once per `step` of simulated time, concurrently; returns the failures."""
    failures, end = [], clock.now + seconds
    while clock.now < end:
        clock.now += step
        for answer in await asyncio.gather(*[c.me() for c in clients], return_exceptions=True):
            if isinstance(answer, Exception):
                failures.append(answer)
    return failures


@pytest.mark.parametrize("how", ["interpreter", "duplicated tab"])
def test_siblings_share_one_refresh_per_rotation_and_never_revoke(how):
    # the MicroPython app and the Pyodide SDK runner share sessionStorage; a duplicated tab has a copy
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)

    async def scenario():
        second = sibling(first, fake, clock, first.storage if how == "interpreter" else copy_of(first.storage))
        assert second.signed_in
        return await call_for([first, second], clock, 30)

    assert run(scenario()) == []
    assert fake.family_revocations == 0
    assert 6 <= fake.refreshes <= 8, fake.refreshes  # 30 s / (5 s - 0.5 s margin), not one per call


def test_a_duplicated_tab_with_a_spent_token_adopts_its_successor():
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)
    snapshot = copy_of(first.storage)  # duplicated now, opened later

    async def scenario():
        clock.now += 4.6
        await first.me()  # rotates: the snapshot's refresh token is spent
        late = sibling(first, fake, clock, snapshot)
        clock.now += 4.6
        return await late.me(), late

    answer, late = run(scenario())
    assert answer["email"] == "a@example.com" and fake.family_revocations == 0
    # it adopted the first rotation's access token (no refresh token crosses the channel), then
    # borrowed the next one from the holder: two rotations in all, both by the holder, none repeated
    assert late.stats["adopted"] == 1 and late.refresh_count == 0 and fake.refreshes == 2
    assert late.machine.state == "borrower" and late.tokens.refresh_token is None


def test_without_the_spent_check_a_duplicated_tab_revokes_the_family(monkeypatch):
    # the rule the previous test names, removed: the copy presents the spent token
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)
    snapshot = copy_of(first.storage)

    async def never_held(name):
        return False

    async def scenario():
        clock.now += 4.6
        await first.me()
        late = sibling(first, fake, clock, snapshot)
        late.siblings.held = never_held
        clock.now += 4.6
        return await call_for([late], clock, 1)

    assert run(scenario()) and fake.family_revocations == 1


def test_a_new_context_joins_and_sign_out_signs_out_everywhere_revoking_once():
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)
    told = []

    async def scenario():
        fresh = sibling(first, fake, clock)
        assert not fresh.signed_in
        assert await fresh.join() is True and (await fresh.me())["email"] == "a@example.com"
        fresh.on_change.append(told.append)
        await first.sign_out()
        await asyncio.sleep(0.01)
        return fresh

    fresh = run(scenario())
    assert not fresh.signed_in and not first.signed_in and told == [False]
    assert fake.logouts == 1 and fake.refreshes == 0


def test_per_tab_sessions_neither_join_nor_sign_out_others():
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)

    async def scenario():
        private = sibling(first, fake, clock, copy_of(first.storage), share=False)
        loner = sibling(first, fake, clock, share=False)
        assert await loner.join() is False
        await first.sign_out()
        await asyncio.sleep(0.01)
        return private

    assert run(scenario()).signed_in


def test_nobody_to_join_answers_at_once():
    fake, clock = FakeLooker(), Clock()
    alone = Client(CONFIG, fake, MemoryStorage(), FakeNavigator(), clock=clock, sleep=no_sleep)
    assert run(asyncio.wait_for(alone.join(timeout=30), 1)) is False


def test_a_session_is_never_used_for_another_looker_or_app():
    fake, other, clock = FakeLooker(), FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)
    for config in (Config("https://ui2.example", "https://api2.example", "app", "https://app.example/"),
                   Config("https://ui.example", "https://api.example:19999", "other-app", "https://app.example/")):
        second = Client(config, other, first.storage, FakeNavigator(), clock=clock, sleep=no_sleep,
                        siblings=first.hood.context())
        assert not second.signed_in and run(second.join()) is False
        with pytest.raises(SignedOut):
            run(second.me())
        run(second.sign_out())
    assert other.calls == [] and first.signed_in and run(first.me())["email"] == "a@example.com"


def test_the_bearer_goes_to_the_api_origin_only():
    fake = FakeLooker()
    client = signed_in_client(fake)
    before = len(fake.calls)
    for url in ("https://elsewhere.example/x", "https://api.example/api/4.0/user", "http://api.example:19999/x"):
        with pytest.raises(ConfigError, match="Refusing to send the Looker session"):
            run(client.get(url))
    assert len(fake.calls) == before
    assert run(client.get("https://api.example:19999/api/4.0/user")) == {"email": "a@example.com"}


def test_a_create_post_is_sent_once_and_a_query_run_post_is_retried():
    fake = FakeLooker()
    client = signed_in_client(fake)
    fake.script = [429]
    before = len(fake.calls)
    with pytest.raises(RateLimited):
        run(client.post("queries", {"model": "m"}))
    assert len(fake.calls) == before + 1
    fake.script = [429, 503]
    assert run(client.post("queries/run/json", {"model": "m"})) == {"email": "a@example.com"}


class FakeHeadStart:
    """The lean loader's side of "First calls": what it was told, and answers it already has (by record)."""

    def __init__(self, answers=None):
        self.told = []
        self.answers = [(call, answer) for call, answer in (answers or [])]
        self.forgotten = 0
        self.expected = []

    def take(self, call, keep=None):
        self.told.append(call)
        for index, (wanted, answer) in enumerate(self.answers):
            if wanted == call:
                del self.answers[index]
                return self._taken(answer)
        return None

    @staticmethod
    async def _taken(answer):
        return answer

    def expect(self, count):
        self.expected.append(count)

    def forget(self):
        self.forgotten += 1


def with_head_start(fake, head_start):
    client = signed_in_client(fake)
    client.head_start = head_start
    return client


USER = "https://api.example:19999/api/4.0/user"


def test_a_first_call_takes_the_loaders_answer_once_and_later_calls_go_out():
    fake = FakeLooker()
    early = Response(200, {"content-type": "application/json"}, json.dumps({"email": "early@example.com"}))
    head_start = FakeHeadStart([(["GET", "user", None], early)])
    client = with_head_start(fake, head_start)
    sent = len(fake.calls)
    assert run(client.me()) == {"email": "early@example.com"}
    assert len(fake.calls) == sent  # not sent again
    assert run(client.me()) == {"email": "a@example.com"}
    assert len(fake.calls) == sent + 1
    assert head_start.told == [["GET", "user", None]] * 2  # method, API path, body: never a URL, header or token


def test_an_early_401_goes_through_refresh_and_one_retry():
    fake = FakeLooker()
    client = with_head_start(fake, FakeHeadStart([(["GET", "user", None], Response(
        401, {"content-type": "application/json"}, json.dumps({"message": "Requires auth"})))]))
    refreshes = fake.refreshes
    assert run(client.me()) == {"email": "a@example.com"}
    assert fake.refreshes == refreshes + 1


def test_a_page_saying_how_many_start_up_calls_follow_tells_the_head_start_and_needs_none():
    head_start = FakeHeadStart()
    with_head_start(FakeLooker(), head_start).expect_first_calls(9)
    assert head_start.expected == [9]
    with_head_start(FakeLooker(), None).expect_first_calls(9)  # no lean loader: nothing to tell


def test_only_read_only_calls_may_be_replayed():
    for method, path, replayable in (("GET", "user", True), ("POST", "queries/run/json", True),
                                     ("POST", "queries", False), ("DELETE", "looks/1", False)):
        head_start = FakeHeadStart()
        client = with_head_start(FakeLooker(), head_start)
        body = {"model": "m"} if method == "POST" else None
        run(client.request(method, path, json_body=body, raw=True))
        assert (head_start.told[0] is not None) is replayable, (method, path)
