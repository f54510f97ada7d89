"""`make bench`: start-up, per-call overhead, large results, concurrency and memory, side by side.

Four pages do the same work in one headless Chromium with a persistent profile,
against the local Looker: looker_pkce on MicroPython and on Pyodide, the official
@looker/sdk browser SDK (bundled with esbuild), and hand-written fetch (the floor).
Rounds are interleaved so the shared machine's noise hits every page alike; the
report gives medians and ratios measured in the same run.

    python -m bench.measure [--rounds N] [--quick] [--out build/bench]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = {"ours-mpy": "looker_pkce · MicroPython", "ours-py": "looker_pkce · Pyodide",
         "sdk": "official @looker/sdk (JS)", "fetch": "raw fetch (floor)"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"]
PROBES = ROOT / "bench" / "pages" / "probes.js"


def bundle_official_sdk() -> None:
    out = ROOT / "build" / "bench" / "sdk-bundle.js"
    entry = ROOT / "bench" / "pages" / "sdk-entry.js"
    if out.exists() and out.stat().st_mtime > entry.stat().st_mtime:
        return
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    subprocess.run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife", "--log-level=warning",
                    f"--outfile={out}"], check=True)


class Bench:
    """A tab that visits the pages; its sessionStorage carries the one signed-in session."""

    def __init__(self, context, origin: str, looker):
        self.context, self.origin, self.looker = context, origin, looker
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

    def open(self, name: str, cold: bool = False) -> float:
        """Navigate to a page; ms from navigation start to its first rendered rows."""
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.page.goto(f"{self.origin}/bench/pages/{name}.html")
        self.page.wait_for_function("window.__firstRows !== undefined || window.__needsSignIn === true",
                                    timeout=120_000)
        if self.page.evaluate("window.__needsSignIn === true"):
            raise RuntimeError(f"{name}: not signed in")
        return self.page.evaluate("window.__firstRows")

    def first_python(self) -> float | None:
        return self.page.evaluate("window.__firstPython === undefined ? null : window.__firstPython")

    def open_app(self, cold: bool = False) -> float:
        """The app itself: a signed-in reload of a look; ms to its first rendered grid row."""
        if cold:
            self.cdp.send("Network.clearBrowserCache")
        self.page.goto(f"{self.origin}/#/look/1")
        self.page.wait_for_function("window.__firstGridRow !== undefined", timeout=120_000)
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


def measure(bench: Bench, rounds: int, quick: bool) -> dict:
    calls, limit, concurrency = (20, 2_000, 10) if quick else (500, 100_000, 50)
    raw: dict = {key: {page: [] for page in PAGES} for key in
                 ("first_warm", "first_cold", "python_warm", "per_call", "large_received", "large_painted", "csv",
                  "sequential", "concurrent", "memory")}
    raw["app"] = {"warm": [], "cold": []}
    for round_number in range(rounds):
        bench.fresh_tab()
        raw["app"]["cold"].append(bench.open_app(cold=True))
        raw["app"]["warm"].append(bench.open_app())
        for page in PAGES:
            print(f"round {round_number + 1}/{rounds}: {page}", file=sys.stderr, flush=True)
            raw["first_cold"][page].append(bench.open(page, cold=True))
            raw["first_warm"][page].append(bench.open(page))
            raw["python_warm"][page].append(bench.first_python())
            raw["per_call"][page].append(bench.run("calls", {"count": calls}) / calls)
            large = bench.run("large", {"limit": limit})
            raw["large_received"][page].append(large["received"])
            raw["large_painted"][page].append(large["painted"])
            raw["memory"][page].append({"js_heap": large["js_heap"], "wasm": large["wasm"], "rows": large["rows"]})
            raw["csv"][page].append(bench.run("csv", {"limit": limit}))
    bench.looker.local("POST", "faults", json={"latency_ms": 100})
    try:
        for _ in range(rounds):
            for page in PAGES:
                bench.open(page)
                raw["sequential"][page].append(bench.run("sequential", {"count": concurrency}))
                raw["concurrent"][page].append(bench.run("concurrent", {"count": concurrency}))
    finally:
        bench.looker.local("POST", "faults", json={"latency_ms": 0})
    raw["server"] = server_numbers(bench.looker, limit, 3 if quick else 5)
    raw["settings"] = {"rounds": rounds, "calls": calls, "large_rows": limit, "concurrency": concurrency,
                       "concurrency_latency_ms": 100}
    return raw


def server_numbers(looker, limit: int, repeats: int) -> dict:
    """The local Looker's own speed: start-up, and a large run_inline_query as JSON and CSV."""
    body = {"model": "thelook", "view": "order_items", "limit": str(limit), "sorts": ["order_items.id"],
            "fields": ["order_items.id", "order_items.sale_price", "order_items.created_date"]}
    numbers = {"startup_s": looker.startup_seconds, "json_ms": [], "csv_ms": []}
    for fmt in ("json", "csv"):
        for _ in range(repeats):
            started = time.perf_counter()
            answer = looker.api("POST", f"queries/run/{fmt}", json=body)
            numbers[f"{fmt}_ms"].append((time.perf_counter() - started) * 1000)
            numbers[f"{fmt}_mb"] = len(answer.content) / 1e6
    return numbers


def median(values):
    return statistics.median(values) if values else float("nan")


def overlap(alone: list[float], together: dict) -> float:
    """How much N queries overlap: 1.0 when together they take as long as the slowest one run
    alone, 0.0 when they take as long as all of them one after another."""
    spread = sum(alone) - max(alone)
    return (sum(alone) - together["wall"]) / spread if spread > 0 else 1.0


def machine() -> dict:
    manifest = json.loads((ROOT / "static/vendor/manifest.json").read_text())
    versions = {e["name"]: e["version"] for e in manifest}
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    meminfo, cpuinfo = (Path(f"/proc/{name}").read_text().splitlines() for name in ("meminfo", "cpuinfo"))
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_kib": memory, "python": platform.python_version(),
            "chromium": chromium, "pyscript": versions.get("@pyscript/core"), "pyodide": versions.get("pyodide"),
            "micropython": versions.get("@micropython/micropython-webassembly-pyscript"),
            "looker_sdk_js": json.loads((ROOT / "node_modules/@looker/sdk/package.json").read_text())["version"]}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def report(raw: dict, info: dict) -> str:
    s = raw["settings"]
    med = {key: {page: median(raw[key][page]) for page in PAGES} for key in
           ("first_warm", "first_cold", "per_call", "large_received", "large_painted")}
    csv = {page: median([x["ms"] for x in raw["csv"][page]]) for page in PAGES}
    over = {page: median([overlap(a, t) for a, t in zip(raw["sequential"][page], raw["concurrent"][page])])
            for page in PAGES}
    wall = {page: median([x["wall"] for x in raw["concurrent"][page]]) for page in PAGES}
    slow = {page: median([max(a) for a in raw["sequential"][page]]) for page in PAGES}
    serial = {page: median([sum(a) for a in raw["sequential"][page]]) for page in PAGES}
    python = {page: median([x for x in raw["python_warm"][page] if x is not None]) for page in PAGES
              if any(x is not None for x in raw["python_warm"][page])}
    server = raw.get("server", {})
    mem = {page: raw["memory"][page][-1] for page in PAGES}
    lines = [
        "# Benchmark report", "",
        f"{s['rounds']} interleaved rounds; medians; ratios against references measured in the same run.",
        f"Machine: {info['cpu']}, {info['cores']} cores, {int(info['memory_kib']) // 1024} MiB; {info['chromium']}; "
        f"PyScript {info['pyscript']}, Pyodide {info['pyodide']}, MicroPython {info['micropython']}, "
        f"@looker/sdk {info['looker_sdk_js']}.", "",
        "## 1. Signed-in reload → first rendered rows of a small query (ms from navigation start)", "",
        "| page | warm | cold | warm vs JS SDK | warm vs fetch | first Python line (warm) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page, label in PAGES.items():
        first_line = f"{python[page]:,.0f}" if page in python else "—"
        lines.append(f"| {label} | {med['first_warm'][page]:,.0f} | {med['first_cold'][page]:,.0f} | "
                     f"{ratio(med['first_warm'][page], med['first_warm']['sdk'])} | "
                     f"{ratio(med['first_warm'][page], med['first_warm']['fetch'])} | {first_line} |")
    lines += ["", "The app itself (index.html, MicroPython), signed-in reload of a look (`#/look/1`: "
                  "profile, look, explore metadata, run_look, chart library, grid) → first grid row: "
                  f"**{median(raw['app']['warm']):,.0f} ms warm**, {median(raw['app']['cold']):,.0f} ms cold."]
    lines += ["", f"## 2. Per-call overhead: {s['calls']} sequential GET /user (ms per call)", "",
              "| page | ms/call | vs fetch |", "| --- | ---: | ---: |"]
    for page, label in PAGES.items():
        lines.append(f"| {label} | {med['per_call'][page]:.2f} | "
                     f"{ratio(med['per_call'][page], med['per_call']['fetch'])} |")
    lines += ["", f"## 3. Large result: run_inline_query, {s['large_rows']:,} rows as JSON, into the same grid (ms)",
              "", "| page | received | painted & usable | painted vs JS SDK | CSV download |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for page, label in PAGES.items():
        lines.append(f"| {label} | {med['large_received'][page]:,.0f} | {med['large_painted'][page]:,.0f} | "
                     f"{ratio(med['large_painted'][page], med['large_painted']['sdk'])} | {csv[page]:,.0f} |")
    lines += ["", f"## 4. Concurrency: {s['concurrency']} small queries, {s['concurrency_latency_ms']} ms server "
                  "latency injected", "",
              "| page | one after another (ms) | slowest alone (ms) | all at once: wall (ms) | overlap |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for page, label in PAGES.items():
        lines.append(f"| {label} | {serial[page]:,.0f} | {slow[page]:,.0f} | {wall[page]:,.0f} | "
                     f"{over[page] * 100:.0f} % |")
    lines += ["", "## 5. Memory after (3)", "", "| page | JS heap (MB) | wasm memory (MB) |", "| --- | ---: | ---: |"]
    for page, label in PAGES.items():
        heap = mem[page]["js_heap"] or 0
        lines.append(f"| {label} | {heap / 1e6:.1f} | {mem[page]['wasm'] / 1e6:.1f} |")
    if server:
        lines += ["", "## 6. The local Looker itself (from Python, no browser)", "",
                  f"Start-up to first answer: {server['startup_s']:.2f} s. run_inline_query, {s['large_rows']:,} rows: "
                  f"JSON {median(server['json_ms']):,.0f} ms ({server['json_mb']:.1f} MB), "
                  f"CSV {median(server['csv_ms']):,.0f} ms ({server['csv_mb']:.1f} MB), medians of "
                  f"{len(server['json_ms'])}."]
    lines += ["", "Overlap = (one after another − all at once) / (one after another − slowest alone): "
                  "100 % when the batch takes no longer than its slowest query.",
              "Raw numbers: report.json beside this file.", ""]
    return "\n".join(lines)


def run(context, origin: str, looker, rounds: int, quick: bool, out: Path, client_id: str = "bench") -> str:
    """Measure with an existing browser context and servers (the test suite's smoke run uses this).

    `client_id` is the one the site's looker.json names; it is (re)registered for the app's URL.
    """
    bundle_official_sdk()
    looker.register_app(client_id, f"{origin}/")
    bench = Bench(context, origin, looker)
    try:
        bench.sign_in()
        raw = measure(bench, rounds, quick)
    finally:
        bench.page.close()
    info = machine()
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps({"machine": info, "raw": raw}, indent=1))
    text = report(raw, info)
    (out / "report.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from local_looker.process import LocalLooker, free_port
    from scripts.site_server import make_server, serve_in_thread

    site = make_server(0, looker_config={}, test_pages=True)
    serve_in_thread(site)
    origin = f"http://127.0.0.1:{site.server_address[1]}"
    looker = LocalLooker(free_port(), free_port(), origin)
    site.looker_config.update({"ui_url": looker.ui_url, "api_url": looker.api_url, "client_id": "bench"})
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(ROOT / "build" / "bench-profile"), executable_path="/usr/bin/chromium", headless=True,
                args=CHROMIUM_ARGS)
            try:
                started = time.time()
                print(run(context, origin, looker, args.rounds, args.quick, args.out))
                print(f"(took {time.time() - started:.0f} s; report in {args.out}/report.md)")
            finally:
                context.close()
    finally:
        looker.stop()
        site.shutdown()


if __name__ == "__main__":
    main()
