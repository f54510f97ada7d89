"""The library in real Chromium, on both interpreters, against the local Looker on another origin."""

from __future__ import annotations

import pytest
import requests

from drive import open_harness, result, scenario, sign_in, stored_tokens

INTERPRETERS = ["mpy", "py"]


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_sign_in_call_reload_sign_out(page, site, looker, interp):
    boot = sign_in(page, site, interp)
    assert boot == {"signed_in": True, "interpreter": interp}
    # code and state are gone from the address bar and from history
    address = page.evaluate("location.href")
    assert "code=" not in address and "state=" not in address
    assert scenario(page, "me") == {"ok": "admin@example.com"}

    # reload keeps the session (per-tab sessionStorage)
    page.reload()
    assert result(page, "boot", 60_000) == {"signed_in": True, "interpreter": interp}
    assert scenario(page, "me") == {"ok": "admin@example.com"}

    # no token in URL, localStorage or the console; it lives only in sessionStorage
    token = stored_tokens(page)["access_token"]
    assert token not in page.evaluate("location.href")
    assert page.evaluate("JSON.stringify(Object.assign({}, localStorage))") == "{}"
    assert not [line for line in page.console_lines if token in line]

    # sign-out revokes at Looker: the old token now gets 401 from the server
    assert scenario(page, "sign_out") == {"ok": {"signed_in": False}}
    answer = requests.get(looker.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 401


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_forced_expiry_refreshes_once_for_20_concurrent_calls(page, site, looker, interp):
    sign_in(page, site, interp)
    before = looker.local("GET", "stats")["refresh_grants"]
    looker.local("POST", "expire_tokens", json={"client_guid": f"tests-{interp}"})
    answer = scenario(page, "concurrent_me", {"count": 20})
    assert answer == {"ok": {"calls": 20, "emails": ["admin@example.com"], "refreshes": 1}}
    assert looker.local("GET", "stats")["refresh_grants"] - before == 1  # counted by the server


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_access_denied_is_reported_and_cleaned(page, site, looker, interp):
    boot = sign_in(page, site, interp, approve=False)
    assert boot["error"] == "AccessDenied" and "Approve" in boot["message"]
    address = page.evaluate("location.href")
    assert "error=" not in address and "state=" not in address


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_tampered_state_is_refused(page, site, looker, interp):
    open_harness(page, site, interp)
    page.evaluate("window.runScenario('sign_in', '{}')")  # a sign-in is pending in this tab ...
    page.wait_for_selector("#login-email")
    # ... and a callback arrives with a state this tab never made
    page.goto(f"{site.origin}/tests/pages/harness-{interp}.html?code=stolen&state=forged")
    boot = result(page, "boot", 60_000)
    assert boot["error"] == "StateMismatch" and "code=" not in page.evaluate("location.href")
    # the pending state was consumed: a replay of the real flow's start is refused too
    page.goto(f"{site.origin}/tests/pages/harness-{interp}.html?code=stolen&state=forged")
    assert result(page, "boot", 60_000)["error"] == "StateMismatch"


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_non_allowlisted_origin_gets_the_cors_message_until_added(page, other_site, looker, interp):
    page.goto(f"{other_site.origin}/tests/pages/harness-{interp}.html")
    assert result(page, "boot", 60_000) == {"signed_in": False, "interpreter": interp}
    refused = scenario(page, "versions")
    assert refused["error"] == "CorsError"
    assert other_site.origin in refused["message"] and "allowlist" in refused["message"]
    allowlist = looker.api("GET", "setting").json()["embed_config"]["domain_allowlist"]
    looker.allowlist(allowlist + [other_site.origin])
    try:
        assert scenario(page, "versions") == {"ok": looker.api_url}
    finally:
        looker.allowlist(allowlist)


def test_official_sdk_methods_are_awaitable(page, site, looker):
    sign_in(page, site, "py")
    answer = scenario(page, "official_sdk", timeout=90_000)
    assert "ok" in answer, answer
    answer = answer["ok"]
    assert answer["me"] == ["User", "admin@example.com"]
    assert answer["dimensions"] > 20
    assert answer["query"] == ["Query", ["products.category", "products.count"], True]
    assert answer["folder"] == ["Folder", "Sales"]
    assert "Sales by State" in answer["looks"]
    assert [row["products.department"] for row in answer["rows"]] == ["Men", "Women"]
    assert sum(row["products.count"] for row in answer["rows"]) == 400


def test_synchronous_requests_and_sdk_after_sign_in(page, site, looker):
    sign_in(page, site, "py")
    answer = scenario(page, "sync_code", timeout=90_000)
    assert "ok" in answer, answer
    answer = answer["ok"]
    assert answer["requests"] == "admin@example.com" and answer["sdk"] == "admin@example.com"
    lines = answer["csv"].splitlines()
    assert lines[0] == "Products Department,Products Count" and [line.split(",")[0] for line in lines[1:]] == ["Men", "Women"]


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_retries_wait_as_looker_asks_and_only_reads_are_retried(page, site, looker, interp):
    sign_in(page, site, interp)
    query = {"model": "thelook", "view": "users", "fields": ["users.count"]}
    try:
        # Retry-After hidden from the page (not exposed): back off at least 1 s
        looker.local("POST", "faults", json={"rate_limit_next": 1, "retry_after": 0, "expose_retry_after": False})
        hidden = scenario(page, "timed", {"method": "get", "path": "user"})
        assert hidden["ok"]["answer"]["email"] == "admin@example.com" and hidden["ok"]["ms"] >= 1000, hidden
        # readable Retry-After: never sooner than it says
        looker.local("POST", "faults", json={"rate_limit_next": 1, "retry_after": 2, "expose_retry_after": True})
        readable = scenario(page, "timed", {"method": "get", "path": "user"})
        assert readable["ok"]["ms"] >= 2000, readable
        # a query run only reads: retried through a 429 and a 503
        looker.local("POST", "faults", json={"rate_limit_next": 1, "fail_next": 1, "retry_after": 0})
        ran = scenario(page, "post", {"path": "queries/run/json", "json": query})
        assert ran["ok"][0]["users.count"] > 0, ran
        # a create is sent exactly once
        looker.local("POST", "faults", json={"rate_limit_next": 1})
        before = looker.local("GET", "stats")["api_calls"]
        refused = scenario(page, "post", {"path": "queries", "json": query})
        assert refused["error"] == "RateLimited" and "429" in refused["message"]
        assert looker.local("GET", "stats")["api_calls"] == before + 1
    finally:
        looker.local("POST", "faults", json={"rate_limit_next": 0, "fail_next": 0, "retry_after": 1,
                                            "expose_retry_after": True})


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_repeated_calls_share_one_cors_preflight(page, site, looker, interp):
    """The browser's preflight cache holds (Access-Control-Max-Age): calls to one URL do not each
    wait for an OPTIONS of their own (a fetch `cache` mode other than the default defeats it)."""
    sign_in(page, site, interp)
    assert scenario(page, "me") == {"ok": "admin@example.com"}  # the first call may need its preflight
    before = looker.local("GET", "stats")["preflights"]
    for _ in range(5):
        assert scenario(page, "me") == {"ok": "admin@example.com"}
    assert looker.local("GET", "stats")["preflights"] == before


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_api_errors_carry_lookers_message(page, site, looker, interp):
    sign_in(page, site, interp)
    missing = scenario(page, "get", {"path": "looks/4040"})
    assert missing["error"] == "NotFound" and "404" in missing["message"]
    invalid = scenario(page, "post", {"path": "queries/run/json", "json": {
        "model": "thelook", "view": "users", "fields": ["users.nope"]}})
    assert invalid["error"] == "ApiError" and "users.nope" in invalid["message"]


def test_a_page_asks_no_host_for_the_api_url_and_the_ui_host_would_refuse(page, site, looker):
    """As a real Looker's UI host is assumed to, the local one answers no CORS (docs/REAL_LOOKER.md#ui-host-cors):
    a page cannot discover the API URL there. So connect() takes it from configuration and says what to change."""
    open_harness(page, site, "mpy")
    old_call = scenario(page, "connect_without_api_url")
    assert old_call.get("error") == "ConfigError" and "api_url=" in old_call["message"], old_call
    assert "looker.json" in old_call["message"] and "Admin" in old_call["message"]
    assert not [url for url in page.context.requests_seen if url.startswith(looker.ui_url)]  # nothing asked
    asked = scenario(page, "unreachable", {"url": looker.ui_url + "/versions"})
    assert asked["error"] == "CorsError", asked  # what discovery from the page would meet


@pytest.mark.parametrize("interp", INTERPRETERS)
def test_slow_answers_time_out_and_dead_hosts_are_network_errors(page, site, looker, interp):
    sign_in(page, site, interp)
    looker.local("POST", "faults", json={"latency_ms": 2500})
    try:
        slow = scenario(page, "get", {"path": "user", "timeout": 1})
    finally:
        looker.local("POST", "faults", json={"latency_ms": 0})
    assert slow["error"] == "Timeout" and "within 1 s" in slow["message"]
    dead = scenario(page, "unreachable", {"url": "http://127.0.0.1:9/versions"})
    assert dead["error"] == "NetworkError" and "Could not reach Looker at http://127.0.0.1:9" in dead["message"]
