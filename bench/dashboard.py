"""The dashboard section: the local Looker's dashboard 1 drawn by the page `looker-pkce new DIR --dashboard 1`
writes (built with `looker-pkce build`, served from its own origin, signed in there) and by
bench/pages/sdk-dashboard.html (official @looker/sdk + Chart.js, the same calls: the dashboard, each tile's
saved query as JSON, one chart or table per tile). Each is measured the same way: navigation → every tile drawn
(Playwright's requestAnimationFrame polling, then performance.now()), signed-in reload warm and with an empty
cache, and the bytes over the wire on that empty-cache visit (DevTools' encodedDataLength, API calls included).
"""

from __future__ import annotations

import os
import shutil
import subprocess

from bench.pages import ROOT
from local_looker.process import free_port
from looker_pkce.cli import main as cli
from looker_pkce.cli.serve import make_server, serve_in_thread

FOLDER = ROOT / "build" / "bench" / "dashboard-page"
# every vis tile shows its row count and has drawn its chart, single value or grid (tests/server/test_cli_dashboard.py)
OURS_DRAWN = """() => { const tiles = [...document.querySelectorAll('.tile[data-type=vis]')];
  return tiles.length > 0 && tiles.every((t) => t.querySelector('.count') &&
    (t.querySelector('.visual canvas, .visual .single-value, .visual .vis-note, .grid-host .grid-row'))); }"""
SDK_DRAWN = "() => window.__firstRows !== undefined"


def bundle() -> None:
    out = ROOT / "build" / "bench" / "sdk-dashboard-bundle.js"
    entry = ROOT / "bench" / "pages" / "sdk-dashboard-entry.js"
    if out.exists() and out.stat().st_mtime > entry.stat().st_mtime:
        return
    subprocess.run([str(ROOT / "node_modules" / ".bin" / "esbuild"), str(entry), "--bundle", "--minify",
                    "--format=iife", "--log-level=warning", f"--outfile={out}"], check=True)


def publish(looker):
    """new --dashboard 1 -> register (the local Looker's admin API credentials) -> build -> served; the server."""
    shutil.rmtree(FOLDER, ignore_errors=True)
    port = free_port()
    admin = {"LOOKERSDK_BASE_URL": looker.api_url, "LOOKERSDK_CLIENT_ID": "demo-admin-id",
             "LOOKERSDK_CLIENT_SECRET": "demo-admin-secret"}
    before = {key: os.environ.get(key) for key in admin}
    os.environ.update(admin)
    try:
        run_cli(looker, port)
    finally:  # the test suite's smoke run shares this process's environment
        for key, value in before.items():
            if value is None:
                del os.environ[key]
            else:
                os.environ[key] = value
    server = make_server(FOLDER / "dist", port)
    serve_in_thread(server)
    return server, f"http://127.0.0.1:{port}/"


def run_cli(looker, port: int) -> None:
    for args in (["new", str(FOLDER), "--dashboard", "1", "--client-id", "bench-board", "--api-url", looker.api_url],
                 ["register", f"http://127.0.0.1:{port}/", "--client-id", "bench-board", "--page", str(FOLDER)],
                 ["build", str(FOLDER)]):
        if cli(args) != 0:
            raise RuntimeError(f"looker-pkce {' '.join(args)} failed")


def visit(page, cdp, url: str, drawn: str, cold: bool) -> dict:
    """Navigate; ms until every tile is drawn, and bytes received until then."""
    received = {}

    def on_finished(event):
        received[event["requestId"]] = event["encodedDataLength"]

    if cold:
        cdp.send("Network.clearBrowserCache")
    cdp.on("Network.loadingFinished", on_finished)
    cdp.send("Network.enable")
    try:
        page.goto("about:blank")
        page.goto(url)
        page.wait_for_function(drawn, timeout=120_000)
        ms = page.evaluate("performance.now()")
    finally:
        cdp.send("Network.disable")
        cdp.remove_listener("Network.loadingFinished", on_finished)
    return {"ms": ms, "bytes": sum(received.values())}


def signed_in_board(context, url: str):
    """A new tab on the dashboard page at `url`, signed in as the demo admin, every tile drawn."""
    page = context.new_page()
    page.goto(url)
    page.click("#sign-in", timeout=60_000)
    page.wait_for_selector("#login-email, #approve")
    if page.locator("#login-email").count():
        page.fill("#login-email", "admin@example.com")
        page.fill("#login-password", "looker-demo")
        page.click("#login-submit")
    page.click("#approve")
    page.wait_for_function(OURS_DRAWN, timeout=120_000)
    return page


def measure(context, bench, rounds: int, log) -> dict:
    """`bench`: the h1 deployment's signed-in tab (bench/tab.py), whose origin serves the official page."""
    bundle()
    server, url = publish(bench.looker)
    ours = None
    try:
        ours = signed_in_board(context, url)
        pages = {"ours": (ours, context.new_cdp_session(ours), url, OURS_DRAWN),
                 "sdk": (bench.page, bench.cdp, f"{bench.origin}/bench/pages/sdk-dashboard.html", SDK_DRAWN)}
        raw = {name: {"warm": [], "cold": []} for name in pages}
        for number in range(rounds):
            for name, (page, cdp, address, drawn) in pages.items():
                log(f"dashboard round {number + 1}/{rounds}: {name}")
                raw[name]["cold"].append(visit(page, cdp, address, drawn, cold=True))
                raw[name]["warm"].append(visit(page, cdp, address, drawn, cold=False))
        raw["tiles"] = {"ours": ours.evaluate("document.querySelectorAll('.tile[data-type=vis]').length"),
                        "sdk": bench.page.evaluate("window.__tiles")}
        return raw
    finally:
        if ours:
            ours.close()
        server.shutdown()
        server.server_close()
