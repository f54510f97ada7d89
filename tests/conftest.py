"""Shared fixtures: the local Looker and the static site on two loopback origins,
and one persistent Chromium for the whole run (so the wasm stays cached).

Every request a page or its workers make is recorded; a test fails if any
of them left loopback.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from drive import looker_login, sign_in_at
from local_looker.process import LocalLooker, free_port
from local_looker.tls import certificate
from looker_pkce.cli.serve import serve_in_thread
from scripts.site_server import make_server

ROOT = Path(__file__).resolve().parent.parent

from looker_sdk import error as sdk_error  # noqa: E402

# The official SDK looks Looker's per-error documentation links up on Looker's CDN; a non-empty index
# makes it skip that fetch, so SDK errors in tests stay on loopback.
sdk_error.ErrorDocHelper.lookup_dict = {"offline": {"url": ""}}

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def static_site():
    """The static site on its own loopback origin; `.looker_config` is served as /looker.json."""
    server = make_server(0, looker_config={}, test_pages=True)
    serve_in_thread(server)
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


site = pytest.fixture(static_site, scope="session", name="site")
other_site = pytest.fixture(static_site, scope="session", name="other_site")  # not on Looker's allowlist


@pytest.fixture(scope="session")
def looker(site, other_site):
    server = LocalLooker(free_port(), free_port(), site.origin, env={"LOOKER_VALIDATE_RESPONSES": "1"})
    for page_site in (site, other_site):
        page_site.looker_config.update(
            {"ui_url": server.ui_url, "api_url": server.api_url, "client_id": "looker-pkce-demo"})
    for interp in ("py", "mpy", "lean"):
        server.register_app(f"tests-{interp}", f"{site.origin}/tests/pages/harness-{interp}.html")
    yield server
    server.stop()


def tracked_files():
    """Each file git tracks here, with its modification time ({} outside a git checkout)."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    return {name: (ROOT / name).stat().st_mtime_ns
            for name in listing.decode().split("\0") if name and (ROOT / name).exists()}


@pytest.fixture(autouse=True)
def tracked_files_stay_untouched():
    """A test run leaves `git status` clean: tests write under build/ (screenshots: `shot`), and
    refreshing what docs/ shows is an explicit `make screenshots`. Judged by modification time, so a
    rewrite that happens to keep the same bytes is caught too."""
    before = tracked_files()
    yield
    after = tracked_files()
    written = sorted(name for name, mtime in before.items() if after.get(name) != mtime)
    assert not written, f"this test wrote files git tracks (write under build/ instead): {written}"


@pytest.fixture(autouse=True)
def answers_follow_the_spec(request):
    """Every JSON answer the local Looker gave during a test validates against the official spec's
    definitions (the server checks each one in validation mode and keeps what broke the spec)."""
    yield
    if "looker" in request.fixturenames:
        broken = request.getfixturevalue("looker").local("DELETE", "violations")
        assert not broken, f"{len(broken)} answers break the API 4.0 spec, e.g. {broken[:5]}"


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = ROOT / "build" / "chromium-profile"  # persistent: the wasm stays cached between runs
    profile.mkdir(parents=True, exist_ok=True)
    for lock in profile.glob("Singleton*"):
        lock.unlink()
    with sync_playwright() as playwright:
        executable = CHROMIUM
        if not Path(executable).exists():  # a Playwright-managed browser, where one was installed
            executable = playwright.chromium.executable_path
            if not Path(executable).exists():
                pytest.fail(f"No Chromium at {CHROMIUM}: install Debian's package (apt-get install chromium).")
        # trusts the one certificate the local Looker's HTTPS mode serves (test_https.py), nothing else
        args = [*CHROMIUM_ARGS, certificate(ROOT / "build").chromium_flag]
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=args,
            viewport={"width": 1280, "height": 900}, accept_downloads=True,
        )
        context.set_default_timeout(30_000)
        context.requests_seen = []
        context.on("request", lambda request: context.requests_seen.append(request.url))
        context.csp_violations = []  # every securitypolicyviolation any page or frame reports
        context.expose_function("__reportCspViolation", lambda text: context.csp_violations.append(text))
        context.add_init_script("""document.addEventListener("securitypolicyviolation", (event) =>
            window.__reportCspViolation(event.effectiveDirective + " " + (event.blockedURI || "") + " at "
                                        + event.documentURI));""")
        yield context
        context.close()


@pytest.fixture
def page(browser_context, looker):
    """A fresh tab with fresh session storage; fails the test if any request left loopback or
    any page broke its CSP (a test that provokes violations lists them in tab.expected_csp)."""
    browser_context.requests_seen.clear()
    browser_context.csp_violations.clear()
    browser_context.clear_cookies()  # signed out of Looker's UI: every sign-in shows the login form
    tab = browser_context.new_page()
    tab.console_lines = []
    tab.expected_csp = []  # substrings of the violations this test provokes on purpose
    tab.on("console", lambda message: tab.console_lines.append(message.text))
    yield tab
    tab.close()
    unexpected = [v for v in browser_context.csp_violations if not any(e in v for e in tab.expected_csp)]
    assert not unexpected, f"CSP violations: {unexpected[:5]}"
    leaks = [url for url in browser_context.requests_seen
             if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOOPBACK]
    assert not leaks, f"requests left loopback: {leaks[:5]}"


# --- the reference app, signed in (tests/test_app*.py) ---------------------------------------------
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# Every element marked `hidden` that still takes up room on screen (a class's `display` beating the
# attribute is how a search that narrows nothing and an always-open form look).
HIDDEN_SHOWN = """() => [...document.querySelectorAll('[hidden]')].filter((e) => e.getClientRects().length > 0)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""


def hidden_shown(page):
    return page.evaluate(HIDDEN_SHOWN)


def sign_in_app(page, site, email="admin@example.com"):
    sign_in_at(page, site.origin + "/", email)
    page.wait_for_selector("body[data-ready]")
    return page


@pytest.fixture
def app(page, site, looker):
    """The app, signed in through Looker's login and consent pages. Whatever view the test leaves on
    screen, no element marked hidden is displayed there."""
    page.goto(site.origin + "/")
    page.wait_for_selector("#sign-in")
    shot(page, "signed-out")
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    looker_login(page)
    page.click("#approve")
    page.wait_for_selector("body[data-ready]")
    assert page.inner_text("#user") == "Ada Admin"
    assert "code=" not in page.evaluate("location.href")
    yield page
    if not page.is_closed():
        assert hidden_shown(page) == [], "elements marked hidden are displayed"


def rows_shown(page, area="#results"):
    page.wait_for_selector(f"{area} .count")
    return int(page.get_attribute(f"{area} .count", "data-rows"))
