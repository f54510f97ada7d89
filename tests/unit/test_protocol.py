"""The session protocol's rules (looker_pkce/core/protocol.py), one test per rule, on CPython: what a
same-origin page that is not the app can get or make the app do through the channel and the locks."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from hashlib import sha256

import pytest
from test_client import (
    CONFIG,
    Clock,
    FakeHeadStart,
    FakeLooker,
    FakeNavigator,
    copy_of,
    no_sleep,
    run,
    sibling,
    signed_in_client,
    signed_in_with_siblings,
)

from looker_pkce import Client, MemoryStorage, SessionBusy, SignedOut
from looker_pkce.core import oauth, protocol, session


class Listener:
    """A page of the origin that is not the app: it hears every message and can post its own."""

    def __init__(self, first):
        self.heard = []
        self.siblings = first.hood.context()
        self.siblings.join_channel(session.channel_name(first.identity))
        self.siblings.listen(self.heard.append)

    def post(self, kind, fields, key=None):
        self.siblings.post(protocol.envelope(kind, fields, key))

    def refresh_tokens_heard(self, fake):
        return [token for token in list(fake.refresh_tokens) + list(fake.spent)
                if any(token in text for text in self.heard)]


def test_hmac_is_rfc_2104():
    for key in (b"", b"k", b"x" * 64, b"x" * 65, b"r-tok1-0" * 20):  # a key past 64 bytes is hashed first
        assert protocol.hmac_sha256(key, b"message") == hmac.new(key, b"message", sha256).digest()


# --- the machine itself, message by message (no client) -----------------------------


def tokens_of(access, refresh=None, expires_at=100.0):
    return oauth.Tokens(access, refresh, expires_at, 60.0)


def holder(refresh="R1", **options):
    machine = protocol.Machine(**options)
    machine.become(tokens_of("A1", refresh))
    return machine


def test_a_proof_is_checked_whole_and_only_with_a_key():
    good = protocol.proof("key", "kind", "body")
    assert good == hmac.new(b"key", b"kind\nbody", sha256).hexdigest()
    assert protocol.proved("key", "kind", "body", good)
    for given in (good[:-1], good + "0", good[:-1] + ("0" if good[-1] != "0" else "1"), None, 5, ""):
        assert not protocol.proved("key", "kind", "body", given)
    assert not protocol.proved("key", "kind", "other", good) and not protocol.proved("key", "other", "body", good)
    assert not protocol.proved("", "kind", "body", protocol.proof("", "kind", "body"))
    assert not protocol.proved(None, "kind", "body", good)


def test_a_message_is_an_envelope_of_kind_body_text_and_proof():
    text = protocol.envelope(protocol.JOIN, {"ask": "n"})
    assert json.loads(text) == {"kind": "join", "body": '{"ask": "n"}', "proof": ""}
    proved = json.loads(protocol.envelope(protocol.SIGNED_OUT, {}, "R"))
    assert proved["proof"] == protocol.proof("R", "signed_out", "{}")
    assert protocol.opened(text) == ("join", {"ask": "n"}, '{"ask": "n"}', "")


@pytest.mark.parametrize("text", ["", "[]", "nope", '{"kind": "join"}', '{"kind": "join", "body": 5}',
                                  '{"kind": "join", "body": "[]"}', '{"kind": "join", "body": "{"}',
                                  '{"kind": "hello", "body": "{}"}', '{"body": "{}"}'])
def test_a_malformed_or_unknown_message_is_not_opened_and_changes_nothing(text):
    assert protocol.opened(text) is None
    machine = holder()
    assert machine.receive(text) == [] and machine.state == protocol.HOLDER


def test_the_state_follows_the_tokens_held():
    machine = protocol.Machine()
    assert machine.state == protocol.NO_SESSION and machine.share and not machine.share_refresh
    machine.become(tokens_of("A"))
    assert machine.state == protocol.BORROWER
    machine.become(tokens_of("A", "R"))
    assert machine.state == protocol.HOLDER


def test_a_join_is_answered_only_by_a_sharing_holder_and_only_for_a_text_ask():
    join = protocol.envelope(protocol.JOIN, {"ask": "n1"})
    assert holder().receive(join) == [(protocol.ANSWER, "n1")]
    assert holder().receive(protocol.envelope(protocol.JOIN, {"ask": 5})) == []
    assert holder(share=False).receive(join) == []
    borrower = protocol.Machine()
    borrower.become(tokens_of("A"))
    assert borrower.receive(join) == [] and protocol.Machine().receive(join) == []


def test_an_answer_carries_the_access_token_and_the_refresh_token_only_when_shared():
    answer = json.loads(json.loads(holder().answer("n1"))["body"])
    assert answer == {"ask": "n1", "tokens": {"access_token": "A1", "refresh_token": None, "expires_at": 100.0,
                                              "lifetime": 60.0, "fresh_until": 94.0}}
    shared = json.loads(json.loads(holder(share_refresh=True).answer("n1"))["body"])
    assert shared["tokens"]["refresh_token"] == "R1"
    assert holder(share=False).answer("n1") is None
    borrower = protocol.Machine()
    borrower.become(tokens_of("A"))
    assert borrower.answer("n1") is None


def test_tokens_are_taken_once_and_only_for_this_contexts_own_ask():
    machine = protocol.Machine()
    assert json.loads(machine.ask("n1"))["kind"] == protocol.JOIN
    given = tokens_of("A2").to_dict()
    assert machine.receive(protocol.envelope(protocol.TOKENS, {"ask": "other", "tokens": given})) == []
    assert machine.receive(protocol.envelope(protocol.TOKENS, {"ask": "n1", "tokens": {"access_token": 5}})) == []
    actions = machine.receive(protocol.envelope(protocol.TOKENS, {"ask": "n1", "tokens": given}))
    assert [action for action, _ in actions] == [protocol.BECOME, protocol.WAKE]
    assert actions[0][1][1] == "joined" and actions[1] == (protocol.WAKE, "n1")
    assert machine.tokens.access_token == "A2" and machine.asks == set()
    assert machine.receive(protocol.envelope(protocol.TOKENS, {"ask": "n1", "tokens": given})) == []  # once


def test_an_ask_given_up_takes_no_late_answer():
    machine = protocol.Machine()
    machine.ask("n1")
    machine.await_successor("d1")
    machine.give_up("n1")
    machine.give_up("d1")
    assert machine.asks == set() and machine.awaited == set()
    assert machine.receive(protocol.envelope(protocol.TOKENS, {"ask": "n1", "tokens": tokens_of("A").to_dict()})) == []


def test_a_newer_set_in_storage_is_one_with_another_refresh_token_not_known_spent():
    machine = holder("R1")
    assert machine.newer_in_storage(tokens_of("A2", "R2"))
    assert not machine.newer_in_storage(tokens_of("A2", "R1"))
    assert not machine.newer_in_storage(tokens_of("A2", None))
    assert not machine.newer_in_storage(None)
    assert not protocol.Machine().newer_in_storage(tokens_of("A2", "R2"))
    machine.spent.add(session.digest("R2"))
    assert not machine.newer_in_storage(tokens_of("A2", "R2"))


def test_a_rotation_marks_the_spent_token_and_answers_siblings_asking_for_its_successor():
    machine = holder("R1")
    fresh = tokens_of("A2", "R2")
    spent = session.digest("R1")
    assert machine.rotated("R1", fresh) == [(protocol.MARK_SPENT, spent)]
    assert machine.tokens is fresh and spent in machine.spent and machine.successor(spent) is fresh
    assert machine.successor("unknown") is None
    [(action, text)] = machine.receive(protocol.envelope(protocol.SUCCESSOR, {"spent": spent}))
    kind, fields, body, given = protocol.opened(text)
    assert action == protocol.POST and kind == protocol.ROTATED and fields["spent"] == spent
    assert fields["tokens"]["access_token"] == "A2" and fields["tokens"]["refresh_token"] is None
    assert protocol.proved("R1", protocol.ROTATED, body, given)  # proved with the spent token
    assert machine.receive(protocol.envelope(protocol.SUCCESSOR, {"spent": "other"})) == []


def test_only_the_last_32_rotations_are_remembered():
    machine = holder("R0")
    for n in range(protocol.REMEMBERED_ROTATIONS + 1):
        machine.rotated("R" + str(n), tokens_of("A", "R" + str(n + 1)))
    assert len(machine.successors) == len(machine.order) == 32
    assert machine.successor(session.digest("R0")) is None and machine.successor(session.digest("R1")) is not None
    assert session.digest("R0") in machine.spent  # still never presented again
    machine.rotated("R5", tokens_of("A", "X"))  # known already: remembered again, nothing dropped
    assert len(machine.order) == 32 and machine.successor(session.digest("R5")).refresh_token == "X"


def rotated_message(spent_token, fresh, key=None):
    return protocol.envelope(protocol.ROTATED, {"spent": session.digest(spent_token), "tokens": fresh.to_dict()},
                             key if key is not None else spent_token)


def test_a_rotation_is_adopted_only_when_awaited_for_the_token_held_and_proved_with_it():
    fresh = tokens_of("A2", "R2")
    spent = session.digest("R1")
    unawaited = holder("R1")
    assert unawaited.receive(rotated_message("R1", fresh)) == []
    forged = holder("R1")
    forged.await_successor(spent)
    assert forged.receive(rotated_message("R1", fresh, key="guess")) == []
    other = holder("R9")
    other.await_successor(spent)
    assert other.receive(rotated_message("R1", fresh)) == []
    moved_on = holder("R2")  # awaited R1's successor, holds R2 now: a message proved with R2 about R1 is not its
    moved_on.await_successor(spent)
    assert moved_on.receive(rotated_message("R1", fresh, key="R2")) == []
    broken = holder("R1")
    broken.await_successor(spent)
    assert broken.receive(protocol.envelope(protocol.ROTATED, {"spent": spent, "tokens": None}, "R1")) == []
    waiting = holder("R1")
    assert json.loads(waiting.await_successor(spent)) == json.loads(protocol.envelope(protocol.SUCCESSOR,
                                                                                      {"spent": spent}))
    actions = waiting.receive(rotated_message("R1", fresh))
    assert actions[0] == (protocol.MARK_SPENT, spent) and actions[2] == (protocol.WAKE, spent)
    assert actions[1][0] == protocol.BECOME and actions[1][1][1] == "adopted"
    assert waiting.tokens.access_token == "A2" and waiting.awaited == set()
    assert waiting.successor(spent).access_token == "A2" and waiting.successors[spent][0] == "R1"
    assert protocol.Machine().receive(rotated_message("R1", fresh)) == []


def test_a_sign_out_is_proved_with_the_refresh_token_and_unproved_without_one():
    machine = holder("R1")
    text = machine.sign_out()
    kind, fields, body, given = protocol.opened(text)
    assert kind == protocol.SIGNED_OUT and protocol.proved("R1", kind, body, given) and machine.tokens is None
    assert json.loads(protocol.Machine().sign_out())["proof"] == ""
    assert holder(share=False).sign_out() is None


def test_a_sign_out_heard_ends_this_context_only_with_proof_else_looker_is_asked():
    proved = protocol.envelope(protocol.SIGNED_OUT, {}, "R1")
    machine = holder("R1")
    assert machine.receive(proved) == [(protocol.BECOME, (None, "signed out elsewhere"))]
    assert machine.tokens is None
    assert holder("R2").receive(proved) == [(protocol.VERIFY, None)]
    borrower = protocol.Machine()
    borrower.become(tokens_of("A"))
    assert borrower.receive(proved) == [(protocol.VERIFY, None)]
    assert holder("R1", share=False).receive(proved) == []
    assert protocol.Machine().receive(proved) == []


def test_a_join_is_answered_with_the_access_token_only():
    # rule: no refresh token on the channel (share_refresh=False, the default)
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)
    spy = Listener(first)

    async def scenario():
        fresh = sibling(first, fake, clock)
        assert await fresh.join() is True
        return fresh

    fresh = run(scenario())
    assert fresh.machine.state == protocol.BORROWER and fresh.tokens.refresh_token is None
    assert fresh.tokens.access_token == first.tokens.access_token
    assert spy.refresh_tokens_heard(fake) == [] and len(spy.heard) == 2  # JOIN and TOKENS, both heard


def test_a_page_that_owns_its_origin_may_share_refresh_tokens():
    fake, clock = FakeLooker(), Clock()
    hood_first = signed_in_with_siblings(fake, clock)
    hood_first.machine.share_refresh = True

    async def scenario():
        fresh = sibling(hood_first, fake, clock, share_refresh=True)
        assert await fresh.join() is True
        return fresh

    assert run(scenario()).tokens.refresh_token == hood_first.tokens.refresh_token


def test_a_passive_listener_hears_no_refresh_token_through_joins_rotations_renewals_and_sign_out():
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)
    spy = Listener(first)
    twin_storage = copy_of(first.storage)  # a duplicated tab: its own copy of the refresh token

    async def scenario():
        twin = sibling(first, fake, clock, twin_storage)
        joined = sibling(first, fake, clock)
        assert await joined.join()
        end = clock.now + 20
        while clock.now < end:
            clock.now += 0.5
            for client in (first, twin, joined):
                assert (await client.me())["email"] == "a@example.com"
        await first.sign_out()
        await asyncio.sleep(0.05)
        return twin, joined

    twin, joined = run(scenario())
    kinds = {json.loads(text)["kind"] for text in spy.heard}
    assert kinds >= {protocol.JOIN, protocol.TOKENS, protocol.SUCCESSOR, protocol.ROTATED, protocol.SIGNED_OUT}
    assert spy.refresh_tokens_heard(fake) == []
    assert fake.family_revocations == 0 and fake.refreshes >= 4


def test_a_forged_rotation_is_not_adopted_even_by_a_context_waiting_for_one(monkeypatch):
    monkeypatch.setattr(session, "HANDOVER_TIMEOUT", 0.3)
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)
    twin = sibling(first, fake, clock, copy_of(first.storage))  # a duplicated tab: same refresh token
    spy = Listener(first)
    evil = {"access_token": "attacker", "refresh_token": None, "expires_at": clock.now + 3600, "lifetime": 3600}
    sent = []

    def answer_first(text):  # the attacker answers every SUCCESSOR at once, before anyone else
        message = protocol.opened(text)
        if message and message[0] == protocol.SUCCESSOR:
            spy.post(protocol.ROTATED, {"spent": message[1]["spent"], "tokens": evil}, "a guessed key")
            spy.post(protocol.ROTATED, {"spent": message[1]["spent"], "tokens": evil})

    spy.siblings.listen(answer_first)

    async def recording(request, timeout):
        sent.append(request.headers.get("Authorization"))
        return await fake(request, timeout)

    async def scenario():
        clock.now += 4.6
        await first.me()  # rotates: the twin's refresh token is spent
        first.machine.successors.clear()  # and the holder cannot hand the successor over
        twin.transport = recording
        with pytest.raises(SignedOut, match="did not hand it over"):
            await twin.me()

    run(scenario())
    assert twin.stats["adopted"] == 0 and twin.tokens is None and "Bearer attacker" not in sent


def test_a_proved_rotation_is_adopted_only_by_the_context_waiting_for_it():
    # rule 1: even a genuine ROTATED (proved by the spent token) is ignored unless asked for
    machine = protocol.Machine()
    from looker_pkce.core.oauth import Tokens

    machine.become(Tokens("a0", "r0", 100.0, 10.0))
    successor = {"access_token": "a1", "refresh_token": None, "expires_at": 200.0, "lifetime": 10.0}
    text = protocol.envelope(protocol.ROTATED, {"spent": session.digest("r0"), "tokens": successor}, "r0")
    assert machine.receive(text) == []  # not waiting: ignored
    machine.await_successor(session.digest("r0"))
    forged = protocol.envelope(protocol.ROTATED, {"spent": session.digest("r0"), "tokens": successor}, "r1")
    assert machine.receive(forged) == []  # waiting, but proved with another key
    actions = machine.receive(text)
    assert (protocol.WAKE, session.digest("r0")) in actions and machine.tokens.access_token == "a1"


def test_a_forged_sign_out_does_not_end_a_session_looker_still_accepts():
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)
    spy = Listener(first)

    async def scenario():
        joined = sibling(first, fake, clock)
        assert await joined.join()
        spy.post(protocol.SIGNED_OUT, {})  # no proof
        spy.post(protocol.SIGNED_OUT, {}, "not-the-refresh-token")
        await asyncio.sleep(0.1)
        return joined

    joined = run(scenario())
    assert first.signed_in and joined.signed_in and fake.logouts == 0


def test_a_sign_out_ends_every_context_by_proof_or_by_lookers_refusal():
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)

    async def scenario():
        twin = sibling(first, fake, clock, copy_of(first.storage))  # holds the refresh token: checks the proof
        joined = sibling(first, fake, clock)  # holds none: asks Looker
        assert await joined.join()
        calls = len(fake.calls)
        assert await first.sign_out() is None  # Looker revoked it
        await asyncio.sleep(0.1)
        return twin, joined, fake.calls[calls:]

    twin, joined, calls = run(scenario())
    assert not twin.signed_in and not joined.signed_in
    assert [method for method, url in calls] == ["DELETE", "GET"]  # the logout, and the borrower's one check


def test_a_sign_out_whose_logout_is_refused_forgets_here_says_so_and_never_raises():
    fake, clock = FakeLooker(), Clock()
    first = signed_in_with_siblings(fake, clock)
    real = fake.__call__

    async def cors_refused(request, timeout):
        if request.url.endswith("/api/logout"):
            from looker_pkce.core.errors import CorsError

            raise CorsError("https://app.example", "https://api.example:19999")
        return await real(request, timeout)

    async def scenario():
        twin = sibling(first, fake, clock, copy_of(first.storage))
        joined = sibling(first, fake, clock)
        assert await joined.join()
        first.transport = cors_refused
        note = await first.sign_out()
        await asyncio.sleep(0.1)
        return note, twin, joined

    note, twin, joined = run(scenario())
    assert not first.signed_in and first.storage.get(first._key("tokens")) is None
    assert "Looker was not told" in note and "valid until it expires, in about 60 minutes" in note
    assert not re.search(r"tok\d", note)  # never the token itself
    assert not twin.signed_in  # proved by the refresh token it shares
    assert joined.signed_in  # Looker still accepts the token it borrowed: it works until that expires


def test_a_held_refresh_lock_ends_in_session_busy_within_the_lock_timeout(monkeypatch):
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)
    monkeypatch.setattr(session, "LOCK_TIMEOUT", 0.3)

    async def scenario():
        lock = first.hood._lock(session.lock_name(first.identity, "refresh"))
        await lock.acquire()  # another page of the origin holds it and never lets go
        clock.now += 4.6
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(SessionBusy, match="Retry, or sign in again"):
            await asyncio.wait_for(first.me(), 5)  # a wait without end fails here instead of hanging
        waited = loop.time() - started
        lock.release()
        return waited, await first.me()

    waited, answer = run(scenario())
    assert waited < 1.0 and answer["email"] == "a@example.com"  # and Retry works once the lock is free


def test_a_borrower_with_no_holder_left_is_told_to_sign_in_again_at_once():
    # (a page that lets it signs in again by itself instead: test_sign_in_again.py)
    fake, clock = FakeLooker(lifetime=5), Clock()
    first = signed_in_with_siblings(fake, clock)

    async def scenario():
        joined = sibling(first, fake, clock, sign_in_again=False)
        assert await joined.join()
        first.forget()  # the holder's tab closed
        clock.now += 4.6
        with pytest.raises(SignedOut, match="No other tab of this page holds this Looker session"):
            await asyncio.wait_for(joined.me(), 1)
        return joined

    assert not run(scenario()).signed_in


def test_the_callbacks_exact_replay_is_refused_without_a_request():
    # the very URL Looker sent back, same code and same state, a second time
    from looker_pkce import StateMismatch
    from looker_pkce.core.compat import parse_query, split_url

    fake = FakeLooker()
    client = Client(CONFIG, fake, MemoryStorage(), FakeNavigator(), clock=Clock(), sleep=no_sleep)
    client.sign_in()
    callback = "https://app.example/?code=c1&state=" + parse_query(split_url(client.navigator.assigned)[1])["state"]
    client.navigator.url = callback
    assert run(client.handle_redirect()) is True
    client.forget()
    calls = len(fake.calls)
    with pytest.raises(StateMismatch):
        run(client.complete_sign_in(callback))
    assert len(fake.calls) == calls and not client.signed_in


# --- first calls -------------------------------------------------------------------


@pytest.mark.parametrize("method,path,body,kept", [
    ("GET", "user", None, True),
    ("GET", "folders?fields=id%2Cname", None, True),
    ("POST", "queries/run/json", '{"model": "m"}', True),
    ("POST", "sql_queries/s1/run/json", "{}", True),
    ("POST", "queries", "{}", False),  # creates
    ("DELETE", "looks/1", None, False),
    ("PATCH", "users/1", "{}", False),
    ("GET", "https://evil.example/x", None, False),
    ("GET", "/user", None, False),
    ("GET", "../login", None, False),
    ("GET", "user/../../login", None, False),
    ("GET", "user#x", None, False),
    ("GET", "us er", None, False),
    ("GET", "user", "{}", False),  # a GET with a body is not what the client sends
    ("POST", "queries/run/json", None, False),
])
def test_only_reads_on_a_relative_api_path_are_first_calls(method, path, body, kept):
    assert (session.first_call(method, path, body) is not None) is kept


@pytest.mark.parametrize("text", [None, "", "not json", "[]", '{"version": 1, "pages": {}}',
                                  '["{\\"url\\": \\"https://api/x\\", \\"init\\": {}}"]',  # the previous version
                                  '{"version": 2, "pages": {"/": [["DELETE", "looks/1", null]]}}',
                                  '{"version": 2, "pages": {"/": "x"}}'])
def test_malformed_or_earlier_first_calls_are_read_as_none(text):
    assert session.read_first_calls(text) == {}


def test_first_calls_record_up_to_four_reads_and_each_answer_is_taken_once():
    stored = json.dumps({"version": 2, "pages": {"/": [["GET", "user", None]], "/other": [["GET", "folders", None]]}})
    record = session.FirstCalls(stored, "/")
    assert record.take(["GET", "user", None]) == 0
    assert record.take(["GET", "user", None]) is None  # once
    for path in ("a", "b", "c"):
        record.take(["GET", path, None])
    record.take(["GET", "d", None])  # a fifth: not remembered
    pages = json.loads(record.stored())["pages"]
    assert pages["/"] == [["GET", "user", None], ["GET", "user", None], ["GET", "a", None], ["GET", "b", None]]
    assert pages["/other"] == [["GET", "folders", None]]
    writes = session.FirstCalls(stored, "/")
    writes.take(None)  # a write first: nothing remembered for this page
    assert "/" not in json.loads(writes.stored())["pages"] and not writes.recording


def test_the_session_ending_removes_the_first_calls():
    fake = FakeLooker()
    client = signed_in_client(fake)
    client.head_start = FakeHeadStart()
    run(client.sign_out())
    assert client.head_start.forgotten == 1


def test_boot_js_carries_the_rules_of_session_py():
    from scripts.boot_rules import BOOT_JS, RULES_LINE

    assert RULES_LINE.findall(BOOT_JS.read_text()) == [session.loader_rules_js()]
    assert json.loads(session.loader_rules_js()[len("const RULES = "):-1]) == session.LOADER_RULES


# --- retries -------------------------------------------------------------------------


def test_reads_are_retried_after_a_network_error_and_writes_are_not():
    from looker_pkce.core.errors import NetworkError

    fake = FakeLooker()
    client = signed_in_client(fake)
    real, failures = fake.__call__, []

    async def flaky(request, timeout):
        if len(failures) < 2 and "/api/4.0/" in request.url:
            failures.append(request.method)
            raise NetworkError("connection reset")
        return await real(request, timeout)

    client.transport = flaky
    assert run(client.me()) == {"email": "a@example.com"} and failures == ["GET", "GET"]
    failures.clear()
    with pytest.raises(NetworkError):
        run(client.post("looks", {"title": "x"}))
    assert failures == ["POST"]


def test_a_500_on_a_get_is_retried_once():
    fake = FakeLooker()
    client = signed_in_client(fake)
    fake.script = [500]
    assert run(client.me()) == {"email": "a@example.com"}
    fake.script = [500, 500]
    from looker_pkce import ServerError

    with pytest.raises(ServerError):
        run(client.me())


def test_stored_records_of_the_previous_version_are_read_cleanly():
    # tokens written before this version (with their refresh token) still sign the tab in
    fake, clock = FakeLooker(), Clock()
    storage = MemoryStorage()
    first = signed_in_client(fake, clock)
    storage.set(first._key("tokens"), first.storage.get(first._key("tokens")))
    again = Client(CONFIG, fake, storage, FakeNavigator(), clock=clock, sleep=no_sleep)
    assert again.machine.state == protocol.HOLDER and run(again.me())["email"] == "a@example.com"


MICROPYTHON_CHECK = """
import sys
sys.path.insert(0, '/lib')
from looker_pkce.core import oauth, protocol, session
from looker_pkce.core.oauth import Tokens
out = [protocol.proof(key, "rotated", "{}") for key in ("", "k", "r" * 100)]
machine = protocol.Machine()
machine.become(Tokens("a0", "r0", 100.0, 10.0))
machine.await_successor(session.digest("r0"))
body = {"spent": session.digest("r0"), "tokens": {"access_token": "a1", "expires_at": 200.0, "lifetime": 10.0}}
actions = machine.receive(protocol.envelope(protocol.ROTATED, body, "r0"))
out.append(machine.tokens.access_token)
out.append(machine.state)
out.append(len(machine.receive(protocol.envelope(protocol.SIGNED_OUT, {}, "nope"))))
from looker_pkce.core import sign_in_again
left = sign_in_again.marker(1.0)
out.append(sign_in_again.leaves(sign_in_again.cause(False, False, False), True, left, 2.0))
out.append(sign_in_again.leaves(sign_in_again.NO_HOLDER, True, left, 1.0 + sign_in_again.WINDOW))
print("PASSED " + "|".join(str(item) for item in out))
"""


def test_the_protocol_runs_on_micropython(tmp_path):
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    modules = ["__init__", "compat", "session", "oauth", "pkce", "errors", "messages", "ordered", "protocol",
               "sign_in_again"]
    files = {f"looker_pkce/core/{name}.py": str(root / "py/looker_pkce/core" / f"{name}.py") for name in modules}
    files["looker_pkce/__init__.py"] = None
    runner = """
import { loadMicroPython } from %(mjs)s;
import fs from "fs";
let out = "";
const mp = await loadMicroPython({ stdout: (t) => { out += t + "\\n"; }, stderr: (t) => { out += t + "\\n"; } });
mp.FS.mkdirTree("/lib/looker_pkce/core");
for (const [name, source] of Object.entries(%(files)s)) mp.FS.writeFile("/lib/" + name, source ? fs.readFileSync(source) : "");
try { mp.runPython(%(check)s); } catch (error) { out += String(error); }
process.stdout.write(out);
""" % {"mjs": json.dumps(str(root / "static/vendor/micropython/micropython.mjs")), "files": json.dumps(files),
       "check": json.dumps(MICROPYTHON_CHECK)}
    script = tmp_path / "run.mjs"
    script.write_text(runner)
    out = subprocess.run([shutil.which("node") or "node", str(script)], capture_output=True, text=True, timeout=120).stdout
    assert "PASSED " in out, out[-3000:]
    proofs = [protocol.proof(key, "rotated", "{}") for key in ("", "k", "r" * 100)]
    assert out.split("PASSED ", 1)[1].split() == ["|".join(proofs + ["a1", "borrower", "1", "False", "True"])]
