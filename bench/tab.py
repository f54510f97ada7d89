"""The browser side of the benchmark: a tab that visits the pages of one deployment with one signed-in session."""

from __future__ import annotations

import json
from pathlib import Path

PROBES = Path(__file__).resolve().parent / "pages" / "probes.js"

# Lighthouse's "Slow 4G" (its default mobile throttling, ~the bottom quarter of 4G links: 150 ms RTT,
# 1.6 Mbps down, 750 Kbps up), in the request-level form Chrome DevTools applies it: latency × 3.75,
# throughput × 0.9 (lighthouse docs/throttling.md; core/config/constants.js `mobileSlow4G`).
SLOW_4G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9, "connectionType": "cellular4g"}


class Bench:
    """A tab that visits the pages; its sessionStorage carries the one signed-in session."""

    def __init__(self, context, deployment):
        self.context, self.deployment = context, deployment
        self.origin, self.looker = deployment.origin, deployment.looker
        self.page = None
        self.session = "{}"
        self.fresh_tab()

    def fresh_tab(self) -> None:
        """A new tab per round (a long-lived renderer is not what people measure), same session."""
        if self.page is not None:
            self.session = self.page.evaluate("JSON.stringify(sessionStorage)")
            self.page.close()
        self.page = self.context.new_page()
        self.page.add_init_script(path=str(PROBES))
        self.page.add_init_script(
            "if (location.origin === %s && !sessionStorage.length) {"
            " for (const [k, v] of Object.entries(%s)) sessionStorage.setItem(k, v); }"
            % (json.dumps(self.origin), self.session))
        self.cdp = self.context.new_cdp_session(self.page)

    def close(self) -> None:
        self.page.close()

    def open(self, name: str, cold: bool = False) -> float:
        """Navigate to a page; ms from navigation start to its first rendered rows."""
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.page.goto(f"{self.origin}/bench/pages/{name}.html")
        self.until_done()
        if self.page.evaluate("window.__needsSignIn === true"):
            raise RuntimeError(f"{name}: not signed in")
        return self.page.evaluate("window.__firstRows")

    def until_done(self, timeout_ms: int = 180_000) -> None:
        """Wait for the page to reach its measured moment (probes.js settles window.__benchDone), over CDP.
        Not with Playwright's wait_for_function: that injects Playwright's own script into the page, and a
        trace showed it taking ~10 ms of the main thread in the middle of the start-up being measured."""
        expression = ("Promise.race([window.__benchDone, new Promise((resolve) => setTimeout(resolve, %d, null))])"
                      % timeout_ms)
        answer = self.cdp.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                    "returnByValue": True})
        if answer["result"].get("value") is None:
            raise TimeoutError(f"{self.page.url}: no first rows within {timeout_ms / 1000:.0f} s")

    def first_visit(self, name: str, network: dict) -> dict:
        """A first visit on an emulated network: empty cache, then navigation → first rows; with what went
        over the wire until then (compressed bytes as received, DevTools' encodedDataLength; requests)."""
        requests, received = set(), {}

        def on_request(event):
            requests.add(event["requestId"])

        def on_finished(event):
            received[event["requestId"]] = event["encodedDataLength"]

        self.cdp.on("Network.requestWillBeSent", on_request)
        self.cdp.on("Network.loadingFinished", on_finished)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", network)
        try:
            ms = self.open(name, cold=True)
        finally:
            self.cdp.send("Network.emulateNetworkConditions",
                          {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
            self.cdp.send("Network.disable")
            self.cdp.remove_listener("Network.requestWillBeSent", on_request)
            self.cdp.remove_listener("Network.loadingFinished", on_finished)
        return {"ms": ms, "bytes": sum(received.values()), "requests": len(requests)}

    def first_python(self) -> float | None:
        return self.page.evaluate("window.__firstPython === undefined ? null : window.__firstPython")

    def open_app(self, cold: bool = False) -> float:
        """The app itself: a signed-in reload of a look; ms to its first rendered grid row."""
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.page.goto("about:blank")  # else going to the same URL again only changes its #fragment: no reload
        self.page.goto(f"{self.origin}/#/look/1")
        self.until_done()
        return self.page.evaluate("window.__firstGridRow")

    def sign_in(self) -> None:
        """Sign in once, through the app (client id "bench"); every page then shares the session."""
        self.page.goto(f"{self.origin}/")
        self.page.wait_for_selector("#sign-in")
        self.page.click("#sign-in")
        self.page.wait_for_selector("#login-email, #approve")
        if self.page.locator("#login-email").count():
            self.page.fill("#login-email", "admin@example.com")
            self.page.fill("#login-password", "looker-demo")
            self.page.click("#login-submit")
        self.page.click("#approve")
        self.page.wait_for_selector("body[data-ready]", timeout=60_000)

    def run(self, name: str, args: dict, timeout: float = 300_000):
        self.page.evaluate("([n, a]) => { delete window.__results[n]; window.runBench(n, a); }",
                           [name, json.dumps(args)])
        self.page.wait_for_function(f"window.__results['{name}'] !== undefined", timeout=timeout)
        answer = json.loads(self.page.evaluate(f"window.__results['{name}']"))
        if "error" in answer:
            raise RuntimeError(f"{name}: {answer['error']}")
        return answer["ok"]
