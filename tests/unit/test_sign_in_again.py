"""When a page signs in again by itself (looker_pkce/core/sign_in_again.py), one test per rule: the pure
rule first, then the client carrying it out with an in-memory Looker, siblings and navigator."""

from __future__ import annotations

import asyncio
import json

import pytest
from test_client import CONFIG, Clock, FakeLooker, copy_of, run, sibling, signed_in_with_siblings

from looker_pkce import AccessDenied, MemoryStorage, SignedOut
from looker_pkce.core import oauth, session, sign_in_again
from looker_pkce.core.compat import parse_query, split_url
from looker_pkce.core.errors import CorsError
from looker_pkce.core.sign_in_again import NO_HOLDER, REFUSED, SIGNED_OUT, UNANSWERED, WINDOW

# --- the rule ---------------------------------------------------------------------------------


def test_the_cause_is_the_first_that_holds_sign_out_then_refusal_then_a_silent_holder():
    assert sign_in_again.cause(signed_out=True, refused=True, holder_left=True) == SIGNED_OUT
    assert sign_in_again.cause(signed_out=False, refused=True, holder_left=True) == REFUSED
    assert sign_in_again.cause(signed_out=False, refused=False, holder_left=True) == UNANSWERED
    assert sign_in_again.cause(signed_out=False, refused=False, holder_left=False) == NO_HOLDER
    assert sign_in_again.cause(signed_out=True, refused=False, holder_left=False) == SIGNED_OUT


def test_rule_1_only_no_holder_left_leaves_by_itself():
    assert [why for why in sign_in_again.CAUSES if sign_in_again.leaves(why, True, None, 1000.0)] == [NO_HOLDER]


def test_rule_2_only_a_page_that_allows_it():
    assert not sign_in_again.leaves(NO_HOLDER, False, None, 1000.0)


def test_rule_3_once_per_window_by_the_tabs_marker():
    left = sign_in_again.marker(1000.0)
    assert sign_in_again.left_at(left) == 1000.0
    assert not sign_in_again.leaves(NO_HOLDER, True, left, 1000.0)
    assert not sign_in_again.leaves(NO_HOLDER, True, left, 1000.0 + WINDOW - 0.5)
    assert sign_in_again.leaves(NO_HOLDER, True, left, 1000.0 + WINDOW)
    assert not sign_in_again.leaves(NO_HOLDER, True, left, 900.0)  # from the future: a clock set back
    assert WINDOW == oauth.STATE_TTL  # a sign-in not back by then has failed anyway


@pytest.mark.parametrize("text", [None, "", "x", "null", "[]", "{}", '{"left_at": "1000"}', '{"left_at": true}'])
def test_a_malformed_marker_is_no_marker(text):
    assert sign_in_again.left_at(text) is None
    assert sign_in_again.leaves(NO_HOLDER, True, text, 1000.0)


def test_the_stopping_calls_say_what_the_page_shows():
    assert sign_in_again.MESSAGE == sign_in_again.HEADLINE + " " + sign_in_again.REASON
    assert sign_in_again.NOTICE > 0


# --- the client -----------------------------------------------------------------------------------


def borrower_left_alone(fake, clock, storage=None, **options):
    """A holder, and a context that joined it (a BORROWER); then the holder's tab closes and the
    borrowed token falls due. Returns (holder, borrower, events): `events` records what the
    borrower's page heard and did, in order."""
    first = signed_in_with_siblings(fake, clock)
    joined = sibling(first, fake, clock, storage, **options)
    events = []
    joined.navigator.url = "https://app.example/#/scratchpad"
    real_assign = joined.navigator.assign

    def assign(url):
        events.append("left")
        real_assign(url)

    joined.navigator.assign = assign
    joined.on_sign_in_again.append(lambda: events.append("told"))
    return first, joined, events


async def due_without_holder(first, joined, clock, lifetime=3600):
    assert await joined.join() and joined.machine.state == "borrower"
    first.forget()  # the holder's tab closed: its holder lock is released
    clock.now += lifetime
    with pytest.raises(SignedOut) as raised:
        await asyncio.wait_for(joined.me(), 1)
    await asyncio.sleep(0.01)  # the leave after NOTICE (no_sleep: at once)
    return str(raised.value)


def pending_of(client):
    return oauth.PendingSignIn.from_json(client.pending_storage.get(client._key("pending")))


def test_a_borrower_left_alone_signs_in_again_by_itself_back_to_its_view():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)
    message = run(due_without_holder(first, joined, clock))
    assert message == sign_in_again.MESSAGE
    assert events == ["told", "left"]  # the page kept its work and said so before it left
    assert joined.navigator.assigned.startswith(CONFIG.ui_url + "/auth?")
    pending = pending_of(joined)
    assert pending.return_path == "/#/scratchpad" and pending.automatic
    assert json.loads(joined.pending_storage.get(joined._key("signed in again"))) == {"left_at": clock.now}
    with pytest.raises(SignedOut, match="Signing in again to Looker"):  # calls meanwhile say the same
        run(joined.me())
    # back from Looker: signed in here (a holder now), and the page knows it was the automatic sign-in
    state = parse_query(split_url(joined.navigator.assigned)[1])["state"]
    joined.navigator.url = "https://app.example/?code=c2&state=" + state
    assert run(joined.handle_redirect())
    assert joined.signed_in_again and joined.machine.state == "holder"
    assert joined.navigator.url == "https://app.example/#/scratchpad"


def test_a_sign_in_the_person_asked_for_is_not_called_automatic_nor_one_recorded_before_the_flag():
    first = signed_in_with_siblings(FakeLooker(), Clock())  # sign_in(), as a Sign in button calls it
    assert not first.signed_in_again
    older = {"state": "s", "verifier": "v", "return_path": "/", "created_at": 1}
    assert oauth.PendingSignIn.from_json(json.dumps(older)).automatic is False


def test_a_page_that_opted_out_says_so_and_stays():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock, sign_in_again=False)
    message = run(due_without_holder(first, joined, clock))
    assert "No other tab of this page holds this Looker session" in message
    assert events == [] and joined.navigator.assigned is None and not joined.leaving


def test_after_lookers_refusal_it_does_not_sign_straight_back_in():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)

    async def scenario():
        assert await joined.join()
        first.forget()
        fake.valid.clear()  # Looker revoked the session (an admin, a sign-out the tab did not hear)
        with pytest.raises(SignedOut) as raised:
            await asyncio.wait_for(joined.me(), 1)
        await asyncio.sleep(0.01)
        return str(raised.value)

    assert "Looker no longer accepts this session" in run(scenario())
    assert events == [] and joined.navigator.assigned is None


def test_after_a_sign_out_elsewhere_it_does_not_sign_back_in_even_when_looker_kept_the_token():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)
    real = fake.__call__

    async def logout_refused(request, timeout):  # /api/logout refused (CORS): Looker keeps the token valid
        if request.url.endswith("/api/logout"):
            raise CorsError("https://app.example", CONFIG.api_url)
        return await real(request, timeout)

    async def scenario():
        assert await joined.join()
        first.transport = logout_refused
        await first.sign_out()  # the person signed out, in the holder's tab
        await asyncio.sleep(0.05)
        assert joined.signed_in  # the borrower checked: Looker still accepts its token
        clock.now += 3600
        with pytest.raises(SignedOut) as raised:
            await asyncio.wait_for(joined.me(), 1)
        await asyncio.sleep(0.01)
        return str(raised.value)

    assert "signed out in another tab" in run(scenario())
    assert events == [] and joined.navigator.assigned is None


def test_a_holder_that_does_not_answer_is_still_there_so_it_does_not_leave(monkeypatch):
    monkeypatch.setattr(session, "HANDOVER_TIMEOUT", 0.2)
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)

    async def scenario():
        assert await joined.join()
        first.forget()
        silent = first.hood.context()  # another context holds the session's holder lock, and never answers
        silent.hold(session.lock_name(first.identity, "holder"))
        clock.now += 3600
        with pytest.raises(SignedOut) as raised:
            await asyncio.wait_for(joined.me(), 2)
        await asyncio.sleep(0.01)
        return str(raised.value)

    assert "did not hand over a fresh token" in run(scenario())
    assert events == [] and joined.navigator.assigned is None


def test_a_tab_that_left_by_itself_does_not_leave_again_within_the_window():
    fake, clock = FakeLooker(lifetime=60), Clock()  # tokens that last a minute
    tab = MemoryStorage()  # the tab's sessionStorage: the marker outlives the page that wrote it
    first, joined, events = borrower_left_alone(fake, clock, tab)
    run(due_without_holder(first, joined, clock, 60))
    assert events == ["told", "left"]
    # back in the same tab, a borrower again, and due again two minutes after it left
    clock.now += 60
    again_first, again, again_events = borrower_left_alone(fake, clock, copy_of(tab))
    message = run(due_without_holder(again_first, again, clock, 60))
    assert "No other tab of this page holds this Looker session" in message
    assert again_events == [] and again.navigator.assigned is None
    # a later event, after the window, is a new one: it leaves again
    clock.now += WINDOW
    later_first, later, later_events = borrower_left_alone(fake, clock, copy_of(tab))
    assert run(due_without_holder(later_first, later, clock, 60)) == sign_in_again.MESSAGE
    assert later_events == ["told", "left"]


def test_a_sign_out_while_the_page_says_where_it_goes_calls_the_sign_in_off():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)
    joined.sleep = lambda seconds: asyncio.sleep(0.05)  # NOTICE, shortened

    async def scenario():
        assert await joined.join()
        first.forget()
        clock.now += 3600
        with pytest.raises(SignedOut):
            await asyncio.wait_for(joined.me(), 1)
        assert events == ["told"]
        await joined.sign_out()
        await asyncio.sleep(0.1)

    run(scenario())
    assert events == ["told"] and joined.navigator.assigned is None and not joined.leaving


def test_without_a_navigator_it_cannot_leave_and_says_so():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)
    joined.navigator = None
    assert "No other tab of this page holds" in run(due_without_holder(first, joined, clock))
    assert events == []


def test_a_sign_in_refused_on_the_way_back_leaves_the_tab_signed_out_and_still():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)
    run(due_without_holder(first, joined, clock))
    state = parse_query(split_url(joined.navigator.assigned)[1])["state"]
    joined.navigator.assigned = None
    joined.navigator.url = "https://app.example/?error=access_denied&state=" + state  # the person chose Deny
    with pytest.raises(AccessDenied):
        run(joined.handle_redirect())
    with pytest.raises(SignedOut, match="Not signed in"):  # nothing left to renew: it waits for the person
        run(joined.me())
    run(asyncio.sleep(0.01))
    assert events == ["told", "left"] and joined.navigator.assigned is None and not joined.signed_in_again


def test_the_page_leaves_even_when_what_it_keeps_fails():
    fake, clock = FakeLooker(), Clock()
    first, joined, events = borrower_left_alone(fake, clock)

    def broken():
        raise ValueError("the page's own callable failed")

    joined.on_sign_in_again.insert(0, broken)

    async def scenario():
        assert await joined.join()
        first.forget()
        clock.now += 3600
        with pytest.raises(ValueError):
            await asyncio.wait_for(joined.me(), 1)
        await asyncio.sleep(0.01)

    run(scenario())
    assert events == ["left"] and joined.navigator.assigned.startswith(CONFIG.ui_url + "/auth?")
