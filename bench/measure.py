"""`make bench`: start-up, per-call overhead, large results, concurrency and memory, side by side.

Four pages do the same work in one headless Chromium with a persistent profile,
against the local Looker: looker_pkce on MicroPython and on Pyodide, the official
@looker/sdk browser SDK (bundled with esbuild), and hand-written fetch (the floor).
Rounds are interleaved so the shared machine's noise hits every page alike; the
report gives medians and ratios measured in the same run.

    python bench/measure.py [--rounds N] [--quick] [--out build/bench]
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
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

PAGES = {"ours-mpy": "looker_pkce · MicroPython", "ours-py": "looker_pkce · Pyodide",
         "sdk": "official @looker/sdk (JS)", "fetch": "raw fetch (floor)"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"]
MEMORY_HOOK = ROOT / "bench" / "pages" / "memory.js"


def bundle_official_sdk() -> None:
    out = ROOT / "build" / "bench" / "sdk-bundle.js"
    entry = ROOT / "bench" / "pages" / "sdk-entry.js"
    if out.exists() and out.stat().st_mtime > entry.stat().st_mtime:
        return
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    subprocess.run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife", "--log-level=warning",
                    f"--outfile={out}"], check=True)


class Bench:
    """One tab that visits the four pages; sessionStorage keeps the session across them."""

    def __init__(self, context, origin: str, looker):
        self.context, self.origin, self.looker = context, origin, looker
        self.page = context.new_page()
        self.page.add_init_script(path=str(MEMORY_HOOK))
        self.cdp = context.new_cdp_session(self.page)

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

    def sign_in(self) -> None:
        self.page.goto(f"{self.origin}/bench/pages/ours-mpy.html")
        self.page.wait_for_function("window.__needsSignIn === true || window.__firstRows !== undefined")
        if self.page.evaluate("window.__firstRows !== undefined"):
            return
        self.page.evaluate("window.__signIn()")
        self.page.wait_for_selector("#login-email")
        self.page.fill("#login-email", "admin@example.com")
        self.page.fill("#login-password", "looker-demo")
        self.page.click("#login-submit")
        self.page.click("#approve")
        self.page.wait_for_function("window.__firstRows !== undefined", timeout=60_000)

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
                 ("first_warm", "first_cold", "per_call", "large_received", "large_painted", "csv", "concurrent",
                  "memory")}
    for _ in range(rounds):
        for page in PAGES:
            raw["first_cold"][page].append(bench.open(page, cold=True))
            raw["first_warm"][page].append(bench.open(page))
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
                raw["concurrent"][page].append(bench.run("concurrent", {"count": concurrency}))
    finally:
        bench.looker.local("POST", "faults", json={"latency_ms": 0})
    raw["settings"] = {"rounds": rounds, "calls": calls, "large_rows": limit, "concurrency": concurrency,
                       "concurrency_latency_ms": 100}
    return raw


def median(values):
    return statistics.median(values) if values else float("nan")


def overlap(sample: dict) -> float:
    """1.0 when N calls take as long as the slowest one, 0.0 when they run one after another."""
    spread = sample["sum"] - sample["slowest"]
    return 1 - (sample["wall"] - sample["slowest"]) / spread if spread > 0 else 1.0


def machine() -> dict:
    manifest = json.loads((ROOT / "static/vendor/manifest.json").read_text())
    versions = {e["name"]: e["version"] for e in manifest}
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
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
    over = {page: median([overlap(x) for x in raw["concurrent"][page]]) for page in PAGES}
    wall = {page: median([x["wall"] for x in raw["concurrent"][page]]) for page in PAGES}
    slow = {page: median([x["slowest"] for x in raw["concurrent"][page]]) for page in PAGES}
    mem = {page: raw["memory"][page][-1] for page in PAGES}
    lines = [
        "# Benchmark report", "",
        f"{s['rounds']} interleaved rounds; medians; ratios against references measured in the same run.",
        f"Machine: {info['cpu']}, {info['cores']} cores, {int(info['memory_kib']) // 1024} MiB; {info['chromium']}; "
        f"PyScript {info['pyscript']}, Pyodide {info['pyodide']}, MicroPython {info['micropython']}, "
        f"@looker/sdk {info['looker_sdk_js']}.", "",
        "## 1. Signed-in reload → first rendered rows (ms from navigation start)", "",
        "| page | warm | cold | warm vs JS SDK | warm vs fetch |", "| --- | ---: | ---: | ---: | ---: |",
    ]
    for page, label in PAGES.items():
        lines.append(f"| {label} | {med['first_warm'][page]:,.0f} | {med['first_cold'][page]:,.0f} | "
                     f"{ratio(med['first_warm'][page], med['first_warm']['sdk'])} | "
                     f"{ratio(med['first_warm'][page], med['first_warm']['fetch'])} |")
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
    lines += ["", f"## 4. Concurrency: {s['concurrency']} concurrent small queries, "
                  f"{s['concurrency_latency_ms']} ms server latency injected", "",
              "| page | wall (ms) | slowest single (ms) | overlap |", "| --- | ---: | ---: | ---: |"]
    for page, label in PAGES.items():
        lines.append(f"| {label} | {wall[page]:,.0f} | {slow[page]:,.0f} | {over[page] * 100:.0f} % |")
    lines += ["", "## 5. Memory after (3)", "", "| page | JS heap (MB) | wasm memory (MB) |", "| --- | ---: | ---: |"]
    for page, label in PAGES.items():
        heap = mem[page]["js_heap"] or 0
        lines.append(f"| {label} | {heap / 1e6:.1f} | {mem[page]['wasm'] / 1e6:.1f} |")
    lines += ["", "Overlap = 1 − (wall − slowest) / (sum − slowest): 100 % when all calls overlap fully.",
              "Raw numbers: report.json beside this file.", ""]
    return "\n".join(lines)


def run(context, origin: str, looker, rounds: int, quick: bool, out: Path) -> str:
    """Measure with an existing browser context and servers (the test suite's smoke run uses this)."""
    bundle_official_sdk()
    looker.register_app("bench", f"{origin}/bench/pages/ours-mpy.html")
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
    from site_server import make_server, serve_in_thread

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
