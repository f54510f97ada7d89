"""One Looker session per (UI origin, API origin, client id), shared safely by every context
of the page's origin: duplicated tabs, new tabs, two interpreters in one tab; never sent to
another Looker or any other URL. Against a stricter local Looker: 5-second access tokens,
rotating refresh tokens, and a spent refresh token presented again revokes the family.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import static_site
from playwright.sync_api import Error as PlaywrightError

from drive import result, scenario, sign_in, start, stored_tokens
from local_looker.process import LocalLooker, free_port

INTERPRETERS = ["mpy", "py"]
RUN_SECONDS = 30
strict_site = pytest.fixture(static_site, scope="module", name="strict_site")


@pytest.fixture(scope="module")
def strict(strict_site):
    """A local Looker whose access tokens live 5 seconds, for the page on `strict_site`."""
    server = LocalLooker(free_port(), free_port(), strict_site.origin, env={"LOOKER_TOKEN_TTL": "5"})
    strict_site.looker_config.update({"ui_url": server.ui_url, "api_url": server.api_url})
    for page_name in ("mpy", "py", "both"):
        server.register_app(f"tests-{page_name}", f"{strict_site.origin}/tests/pages/harness-{page_name}.html")
    yield server
    server.stop()


@pytest.fixture
def strict_stats(strict):
    strict.local("DELETE", "stats")
    return lambda: strict.local("GET", "stats")


def finished(tab, name: str) -> dict:
    """A call_for run's report, asserting it kept calling and nothing failed."""
    run = result(tab, name, (RUN_SECONDS + 30) * 1000)
    assert "ok" in run, run
    run = run["ok"]
    assert run["failed"] == 0, run["failures"]
    assert run["calls"] > RUN_SECONDS * 2, run  # it really kept calling
    return run


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_a_duplicated_tab_shares_the_session_without_revocation(page, strict_site, strict, strict_stats, interp):
    assert sign_in(page, strict_site, interp)["signed_in"] is True
    with page.context.expect_page() as opened:
        page.evaluate("window.open(location.href)")  # a copy of this tab's sessionStorage
    twin = opened.value
    try:
        assert result(twin, "boot", 60_000) == {"signed_in": True, "interpreter": interp}
        runs = [start(tab, "call_for", {"seconds": RUN_SECONDS}) for tab in (page, twin)]
        first, second = (finished(tab, name) for tab, name in zip((page, twin), runs))
    finally:
        twin.close()
    server = strict_stats()
    print(f"duplicated tab ({interp}): server {server}, tabs {first['stats']} {second['stats']}")
    assert server["family_revocations"] == 0
    # one rotation per token lifetime for both tabs together, not one per tab or per call
    assert 5 <= server["refresh_grants"] <= 9, server
    assert first["stats"]["refreshes"] + second["stats"]["refreshes"] == server["refresh_grants"]


def test_micropython_and_pyodide_in_one_tab_share_one_refresh_per_rotation(page, strict_site, strict, strict_stats):
    assert sign_in(page, strict_site, "both")["signed_in"] is True
    assert result(page, "py boot", 60_000) == {"signed_in": True, "interpreter": "py"}
    runs = [start(page, "call_for", {"seconds": RUN_SECONDS}, interp) for interp in ("mpy", "py")]
    mpy, py = (finished(page, name) for name in runs)
    server = strict_stats()
    print(f"two interpreters: server {server}, mpy {mpy['stats']}, py {py['stats']}")
    assert server["family_revocations"] == 0 and 5 <= server["refresh_grants"] <= 9, server
    assert mpy["stats"]["refreshes"] + py["stats"]["refreshes"] == server["refresh_grants"]


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_a_new_tab_joins_and_sign_out_signs_out_every_tab_revoking_once(page, site, looker, interp):
    sign_in(page, site, interp)
    page.context.requests_seen.clear()
    fresh = page.context.new_page()  # a new tab: empty sessionStorage, Looker's cookie still set
    try:
        fresh.goto(f"{site.origin}/tests/pages/harness-{interp}.html")
        assert result(fresh, "boot", 60_000) == {"signed_in": True, "interpreter": interp, "joined": True}
        # joined without a second trip to Looker's sign-in or consent pages
        assert not [url for url in page.context.requests_seen if url.startswith(looker.ui_url)]
        assert scenario(fresh, "me") == {"ok": "admin@example.com"}
        before = looker.local("GET", "stats")["logouts"]
        assert scenario(page, "sign_out") == {"ok": {"signed_in": False}}
        # the new tab borrowed the access token: it ends once Looker refuses it (one check, at once)
        for _ in range(20):
            if scenario(fresh, "state")["ok"]["signed_in"] is False:
                break
            fresh.wait_for_timeout(100)
        assert scenario(fresh, "state")["ok"]["signed_in"] is False
        assert scenario(fresh, "me")["error"] == "SignedOut"
        assert looker.local("GET", "stats")["logouts"] == before + 1
    finally:
        fresh.close()


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_another_looker_with_the_same_client_id_gets_nothing_of_this_session(page, site, looker, strict,
                                                                              strict_stats, interp):
    sign_in(page, site, interp)
    report = scenario(page, "other_host", {"ui_url": strict.ui_url, "api_url": strict.api_url})
    assert report == {"ok": {"signed_in": False, "joined": False, "me": "SignedOut",
                             "first_still_works": "admin@example.com"}}
    server = strict_stats()
    assert server["unknown_tokens"] == 0 and server["api_calls"] == 0 and server["logouts"] == 0


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_the_bearer_is_never_sent_to_another_url(page, site, looker, strict, strict_stats, interp):
    sign_in(page, site, interp)
    page.context.requests_seen.clear()
    refused = scenario(page, "get", {"path": strict.api_url + "/api/4.0/user"})
    assert refused["error"] == "ConfigError" and "Refusing to send the Looker session" in refused["message"]
    assert strict_stats()["api_calls"] == 0
    assert not [url for url in page.context.requests_seen if url.startswith(strict.api_url)]


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_a_replayed_callback_with_the_same_state_is_refused(page, site, looker, interp):
    sign_in(page, site, interp)
    callback = next(url for url in page.context.requests_seen if "code=" in url and url.startswith(site.origin))
    assert parse_qs(urlsplit(callback).query)["state"]  # the real state of the completed sign-in
    before = looker.local("GET", "stats")["family_revocations"]
    page.goto(callback)  # the same code and the same state, again
    replay = result(page, "boot", 60_000)
    assert replay["error"] == "StateMismatch", replay
    assert looker.local("GET", "stats")["family_revocations"] == before  # the code never reached Looker again
    answer = requests.get(looker.api_url + "/versions")
    assert answer.ok


def test_synchronous_code_renews_through_the_same_coordinated_refresh(page, strict_site, strict, strict_stats):
    sign_in(page, strict_site, "py")
    page.wait_for_timeout(5_000)  # the 5-second access token is now expired
    answer = scenario(page, "sync_code", timeout=120_000)
    assert answer["ok"]["requests"] == "admin@example.com", answer
    server = strict_stats()
    assert server["refresh_grants"] >= 1 and server["family_revocations"] == 0


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_without_web_locks_each_context_keeps_its_own_session(page, site, looker, interp):
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'locks', {get: () => undefined})")
    assert sign_in(page, site, interp)["signed_in"] is True
    assert scenario(page, "me") == {"ok": "admin@example.com"}
    assert [line for line in page.console_lines if "no Web Locks" in line]
    assert page.evaluate("Object.keys(sessionStorage).filter((k) => k.endsWith(' tokens'))") == []  # memory only
    page.reload()
    assert result(page, "boot", 60_000) == {"signed_in": False, "interpreter": interp}


# --- a page of the same origin that is not the app (tests/pages/other.html) ---------------------------
# Pages of one origin can post to and listen on each other's channels, hold each other's locks and
# script each other's windows; these check that doing so obtains no refresh token, gets no forged
# message believed, makes no wait last past 10 s and gets no planted call sent.


def other_page(context, site, client_id=None):
    tab = context.new_page()
    tab.goto(f"{site.origin}/tests/pages/other.html")
    if client_id:
        tab.evaluate("(id) => other.listen(id)", client_id)
    return tab


def refresh_tokens_in(texts: list[str]) -> list[str]:
    """Every refresh token a message carries, in this version's shape or the previous one's."""
    found = []
    for text in texts:
        message = json.loads(text)
        body = json.loads(message["body"]) if isinstance(message.get("body"), str) else message
        tokens = body.get("tokens") if isinstance(body, dict) else None
        if isinstance(tokens, dict) and tokens.get("refresh_token"):
            found.append(tokens["refresh_token"])
    return found


def test_another_page_of_the_origin_gets_no_refresh_token_and_no_forgery_is_believed(page, strict_site, strict,
                                                                                     strict_stats):
    assert sign_in(page, strict_site, "mpy")["signed_in"] is True
    other = other_page(page.context, strict_site, "tests-mpy")  # listening from now on
    with page.context.expect_page() as opened:
        page.evaluate("window.open(location.href)")  # a duplicated tab: its own copy of the refresh token
    twin = opened.value
    joiner = page.context.new_page()
    try:
        assert result(twin, "boot", 60_000) == {"signed_in": True, "interpreter": "mpy"}
        joiner.goto(f"{strict_site.origin}/tests/pages/harness-mpy.html")  # a new tab: joins, borrows
        assert result(joiner, "boot", 60_000) == {"signed_in": True, "interpreter": "mpy", "joined": True}
        other.evaluate("window.attacking = setInterval(other.attack, 250)")  # forgeries, all along
        tabs = (page, twin, joiner)
        runs = [start(tab, "call_for", {"seconds": 20, "interval": 0.2}) for tab in tabs]
        reports = [result(tab, name, 60_000)["ok"] for tab, name in zip(tabs, runs)]
        other.evaluate("clearInterval(window.attacking)")
        holders = [stored_tokens(tab)["refresh_token"] for tab in (page, twin)]
        heard = other.evaluate("other.report()")
    finally:
        twin.close()
        joiner.close()
    server = strict_stats()
    print(f"other page: heard {len(heard['heard'])} messages, {len(heard['answers'])} answers; server {server};"
          f" tabs {[r['stats'] for r in reports]}")
    assert all(r["failed"] == 0 and r["calls"] > 40 and r["stats"]["signed_in"] for r in reports), reports
    assert server["refresh_grants"] >= 3 and server["family_revocations"] == 0
    assert server["unknown_tokens"] == 0  # no forged token was ever used
    assert len(heard["heard"]) > 10 and heard["answers"]  # it heard the session's traffic, and its joins were answered
    assert refresh_tokens_in(heard["heard"]) == []  # ... with no refresh token in any of it
    assert not [t for t in holders if t and any(t in text for text in heard["heard"])]
    other.close()


def test_a_held_refresh_lock_ends_in_a_clear_error_within_10_s_and_retry_recovers(page, strict_site, strict,
                                                                                 strict_stats):
    assert sign_in(page, strict_site, "mpy")["signed_in"] is True
    other = other_page(page.context, strict_site, "tests-mpy")
    other.evaluate("other.holdRefreshLock()")
    page.wait_for_timeout(5_000)  # the 5-second access token is now expired
    stuck = scenario(page, "timed_me", timeout=30_000)["ok"]
    assert stuck["error"] == "SessionBusy" and "Retry, or sign in again" in stuck["message"], stuck
    assert stuck["ms"] <= 10_500, stuck
    other.evaluate("other.release()")
    assert scenario(page, "timed_me")["ok"]["ok"] == "admin@example.com"  # Retry, once the lock is free
    other.close()


def test_the_app_under_a_held_lock_says_what_happened_and_offers_retry(app, site, looker):
    app.evaluate("""() => {  // the stored access token has expired (as it does after an hour)
        const key = Object.keys(sessionStorage).find((k) => k.endsWith(" tokens"));
        const tokens = JSON.parse(sessionStorage.getItem(key));
        tokens.expires_at = tokens.fresh_until = Date.now() / 1000 - 1;
        sessionStorage.setItem(key, JSON.stringify(tokens));
    }""")
    other = other_page(app.context, site, "looker-pkce-demo")
    other.evaluate("other.holdRefreshLock()")
    started = time.monotonic()
    app.reload()
    alert = app.locator("[role=alert]", has_text="renewal lock")
    alert.wait_for(timeout=20_000)
    waited = time.monotonic() - started
    assert waited < 14, waited  # the interpreter's start, then at most 10 s: never an endless "Loading"
    assert "Retry, or sign in again" in alert.inner_text()
    other.evaluate("other.release()")
    alert.get_by_role("button", name="Retry").click()
    app.wait_for_selector("body[data-ready]")
    assert app.inner_text("#user") == "Ada Admin"
    other.close()


# Each planted call boot.js must not send names "evil" in what it would request, or "login" (out of /api/4.0/);
# READ is a read it must send, which only the loader sends: the proof that the test sees the loader's requests.
PLANTED = [["DELETE", "looks/1", None], ["POST", "queries", "{}"], ["POST", "queries/run/json", None],
           ["PATCH", "users/1", "{}"], ["GET", "../../login", None], ["GET", "%2e%2e/%2E%2e/login", None],
           ["GET", "https://evil.example/x", None], ["GET", "//evil.example/y", None]]
READ = ["GET", "looks/1?planted=read", None]


def test_first_calls_planted_by_another_page_are_not_sent_and_sign_out_removes_the_record(app, site, looker):
    """Every request of the planted tab, to any host, from its first load on: the loader sends the planted read
    on the API origin, and nothing planted goes anywhere (not to evil.example, not to the page's own origin or
    another loopback port, not out of /api/4.0/, no write)."""
    other = other_page(app.context, site)
    elsewhere = [["GET", site.origin + "/evil", None], ["GET", f"http://127.0.0.1:{free_port()}/evil", None]]
    requests_of, frameless = [], []  # (the page, method, URL) of every request in the context, from before the tab opens

    def watch(request):
        try:
            requests_of.append((request.frame.page, request.method, request.url))
        except PlaywrightError:  # a new tab's first navigation, before its frame exists
            frameless.append(request.url)

    app.context.on("request", watch)
    with app.context.expect_page() as opened:
        other.evaluate("(calls) => other.plant(location.origin + '/#/browse', calls)", PLANTED + elsewhere + [READ])
    planted = opened.value
    planted.wait_for_selector("body[data-ready]")
    planted.wait_for_timeout(1_000)
    app.context.remove_listener("request", watch)
    assert frameless == [site.origin + "/"], frameless  # the planted tab's opening, no planted call
    seen = [(method, url) for tab, method, url in requests_of if tab == planted]
    api = looker.api_url.rstrip("/")
    assert ("GET", api + "/api/4.0/" + READ[1]) in seen, seen  # the loader's own sends are seen
    hosts = {"{0.scheme}://{0.netloc}".format(urlsplit(url)) for _, url in seen if not url.startswith(("data:", "blob:"))}
    assert hosts <= {site.origin, api}, hosts
    assert not [(method, url) for method, url in seen if "evil" in url or "login" in url or method in ("DELETE", "PATCH")
                or (method == "POST" and not url.startswith(api + "/api/4.0/queries/run/"))], seen
    keys = planted.evaluate("Object.keys(sessionStorage)")
    assert not [k for k in keys if " first calls /" in k]  # the previous version's records: discarded
    planted.click("#auth-button")  # sign out
    planted.wait_for_selector("#sign-in")
    assert not [k for k in planted.evaluate("Object.keys(sessionStorage)") if "first calls" in k]
    planted.close()
    other.close()


def test_a_sign_out_looker_refuses_forgets_here_and_says_the_token_stays_valid(app, site, looker):
    errors = []
    app.on("pageerror", lambda error: errors.append(str(error)))
    app.route("**/api/logout", lambda route: route.abort())  # as a CORS refusal looks to the page
    app.click("#auth-button")
    note = app.locator("#sign-out-note")
    note.wait_for()
    assert "Looker was not told" in note.inner_text() and "valid until it expires" in note.inner_text()
    assert app.locator("#sign-in").is_visible() and errors == []
    assert stored_tokens(app) is None
