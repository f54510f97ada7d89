"""One Looker session per (UI origin, API origin, client id), shared safely by every context
of the page's origin: duplicated tabs, new tabs, two interpreters in one tab; never sent to
another Looker or any other URL. Against a stricter local Looker: 5-second access tokens,
rotating refresh tokens, and a spent refresh token presented again revokes the family.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import static_site

from drive import result, scenario, sign_in, start
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
