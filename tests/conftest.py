"""Shared fixtures: the local Looker and the static site on two loopback origins,
and one persistent Chromium for the whole run (so the wasm stays cached).

Every request a page or its workers make is recorded; a test fails if any
of them left loopback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from site_server import make_server, serve_in_thread  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalLooker:
    """A running local Looker plus an admin API session for test set-up."""

    def __init__(self, ui_port: int, api_port: int, app_origin: str, env: dict | None = None):
        self.ui_url = f"http://127.0.0.1:{ui_port}"
        self.api_url = f"http://127.0.0.1:{api_port}"
        self.log = ROOT / "build" / f"local-looker-{api_port}.log"
        self.log.parent.mkdir(exist_ok=True)
        with open(self.log, "w") as log:  # a file, not a pipe: a full pipe would stall the server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local_looker", "--ui-port", str(ui_port), "--api-port", str(api_port),
                 "--app-origin", app_origin],
                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.time() + 60
        while True:
            try:
                if requests.get(self.api_url + "/versions", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("local Looker did not start:\n" + self.log.read_text())
            time.sleep(0.1)
        login = requests.post(self.api_url + "/login",
                              data={"client_id": "demo-admin-id", "client_secret": "demo-admin-secret"})
        login.raise_for_status()
        self.admin = requests.Session()
        self.admin.headers["Authorization"] = "Bearer " + login.json()["access_token"]

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.admin.request(method, f"{self.api_url}/api/4.0/{path.lstrip('/')}", **kwargs)

    def local(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.api_url}/_local/{path}", **kwargs)
        response.raise_for_status()
        return response.json()

    def register_app(self, client_guid: str, redirect_uri: str, enabled: bool = True) -> None:
        self.api("DELETE", f"oauth_client_apps/{client_guid}")
        self.api("POST", f"oauth_client_apps/{client_guid}", json={
            "redirect_uri": redirect_uri, "display_name": client_guid, "description": "test", "enabled": enabled,
        }).raise_for_status()

    def allowlist(self, origins: list[str]) -> None:
        self.api("PATCH", "setting", json={"embed_config": {"domain_allowlist": origins}}).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def site():
    """The static site on its own loopback origin; `site.looker_config` is served as /looker.json."""
    server = make_server(0, looker_config={}, test_pages=True)
    serve_in_thread(server)
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def other_site():
    """A second page origin that is not on Looker's allowlist."""
    server = make_server(0, looker_config={}, test_pages=True)
    serve_in_thread(server)
    server.origin = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def looker(site, other_site):
    server = LocalLooker(free_port(), free_port(), site.origin)
    for page_site in (site, other_site):
        page_site.looker_config.update(
            {"ui_url": server.ui_url, "api_url": server.api_url, "client_id": "looker-pkce-demo"})
    for interp in ("py", "mpy"):
        server.register_app(f"tests-{interp}", f"{site.origin}/tests/pages/harness-{interp}.html")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package with `apt-get install chromium`.")
    profile = ROOT / "build" / "chromium-profile"  # persistent: the wasm stays cached between runs
    profile.mkdir(parents=True, exist_ok=True)
    for lock in profile.glob("Singleton*"):
        lock.unlink()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, accept_downloads=True,
        )
        context.set_default_timeout(30_000)
        context.requests_seen = []
        context.on("request", lambda request: context.requests_seen.append(request.url))
        yield context
        context.close()


@pytest.fixture
def page(browser_context, looker):
    """A fresh tab with fresh session storage; fails the test if any request left loopback."""
    browser_context.requests_seen.clear()
    browser_context.clear_cookies()  # signed out of Looker's UI: every sign-in shows the login form
    tab = browser_context.new_page()
    tab.console_lines = []
    tab.on("console", lambda message: tab.console_lines.append(message.text))
    yield tab
    tab.close()
    leaks = [url for url in browser_context.requests_seen
             if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname not in LOOPBACK]
    assert not leaks, f"requests left loopback: {leaks[:5]}"
