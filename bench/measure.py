"""`make bench`: start-up, per-call overhead, large results, concurrency, memory and a throttled first
visit, side by side.

The pages (bench/pages.py) do the same work in one headless Chromium with a persistent profile, against the
local Looker, in two deployments (bench/servers.py): "h1" (plain HTTP/1.1, as the tests serve) and "h2"
(HTTPS + HTTP/2 with compressed static files, as real deployments are served). Rounds are interleaved so
the shared machine's noise hits every page alike; the report (bench/report.py) gives medians and ratios
measured in the same run.

    python -m bench.measure [--rounds N] [--quick] [--out build/bench] [--only dashboard]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import dashboard
from bench.pages import FULL, PAGES, bundle_official_sdk
from bench.report import dashboard_section, report
from bench.tab import SLOW_4G, Bench

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--enable-precise-memory-info"]
LATENCY_MS = 100  # injected server latency for the concurrency section
STARTUP = ("first_warm", "first_cold", "first_warm_slow_looker", "first_cold_slow_looker")  # on every deployment
ONLY_H1 = ("python_warm", "per_call", "large_received", "large_painted", "csv", "memory")


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(benches: dict[str, Bench], rounds: int, quick: bool) -> dict:
    """`benches`: deployment name ("h1", and "h2" where measured) -> its signed-in tab."""
    calls, limit, concurrency = (20, 2_000, 10) if quick else (500, 100_000, 50)
    throttled_rounds = min(rounds, 1 if quick else 3)  # a throttled Pyodide first visit takes ~30 s
    raw: dict = {name: {key: {page: [] for page in PAGES} for key in
                        STARTUP + ("sequential", "concurrent") + (ONLY_H1 if name == "h1" else ())}
                 for name in benches}
    raw["app"] = {"warm": [], "cold": []}
    raw["throttled"] = {page: [] for page in PAGES} if "h2" in benches else {}
    h1 = benches["h1"]
    for bench in benches.values():
        warm_results_cache(bench.looker, limit)
    for round_number in range(rounds):
        for bench in benches.values():
            bench.fresh_tab()
        raw["app"]["cold"].append(h1.open_app(cold=True))
        raw["app"]["warm"].append(h1.open_app())
        for page in PAGES:
            log(f"round {round_number + 1}/{rounds}: {page}")
            for name in sorted(benches, key=lambda n: n == "h1"):  # h1 last: its tab stays on the page
                raw[name]["first_cold"][page].append(benches[name].open(page, cold=True))
                raw[name]["first_warm"][page].append(benches[name].open(page))
            raw["h1"]["python_warm"][page].append(h1.first_python())
            if page not in FULL:
                continue
            raw["h1"]["per_call"][page].append(h1.run("calls", {"count": calls}) / calls)
            large = h1.run("large", {"limit": limit})
            raw["h1"]["large_received"][page].append(large["received"])
            raw["h1"]["large_painted"][page].append(large["painted"])
            raw["h1"]["memory"][page].append({"js_heap": large["js_heap"], "wasm": large["wasm"],
                                              "rows": large["rows"]})
            raw["h1"]["csv"][page].append(h1.run("csv", {"limit": limit}))
        if round_number < throttled_rounds and "h2" in benches:
            for page in PAGES:
                log(f"round {round_number + 1}/{rounds}: {page}, first visit on slow 4G")
                raw["throttled"][page].append(benches["h2"].first_visit(page, SLOW_4G))
    for bench in benches.values():
        bench.looker.local("POST", "faults", json={"latency_ms": LATENCY_MS})
    try:
        for round_number in range(rounds):
            for bench in benches.values():
                bench.fresh_tab()  # a tab that has been through every page can crash (seen with Pyodide's)
            for page in PAGES:
                log(f"round {round_number + 1}/{rounds}: {page}, Looker answering in {LATENCY_MS} ms")
                for name, bench in benches.items():
                    raw[name]["first_cold_slow_looker"][page].append(bench.open(page, cold=True))
                    raw[name]["first_warm_slow_looker"][page].append(bench.open(page))
                    if page not in FULL:
                        continue
                    raw[name]["sequential"][page].append(bench.run("sequential", {"count": concurrency}))
                    raw[name]["concurrent"][page].append(bench.run("concurrent", {"count": concurrency}))
    finally:
        for bench in benches.values():
            bench.looker.local("POST", "faults", json={"latency_ms": 0})
    raw["server"] = server_numbers(h1.looker, limit, 3 if quick else 5)
    raw["settings"] = {"rounds": rounds, "calls": calls, "large_rows": limit, "concurrency": concurrency,
                       "concurrency_latency_ms": LATENCY_MS, "throttled_rounds": len(raw["throttled"].get("fetch", [])),
                       "network": SLOW_4G, "deployments": list(benches)}
    return raw


def warm_results_cache(looker, limit: int) -> None:
    """Run the pages' queries once, so that no page is the one that pays for SQLite: Looker's results cache
    (local_looker/results_cache.py) then answers every page alike. The bodies are bench/pages/common.js's."""
    small = {"model": "thelook", "view": "order_items", "fields": ["products.category", "order_items.count"],
             "sorts": ["products.category"]}
    large = {"model": "thelook", "view": "order_items", "sorts": ["order_items.id"], "limit": str(limit),
             "fields": ["order_items.id", "order_items.sale_price", "order_items.created_date"]}
    for body, fmt in ((small, "json"), (large, "json"), (large, "csv")):
        looker.api("POST", f"queries/run/{fmt}", json=body).raise_for_status()


def server_numbers(looker, limit: int, repeats: int) -> dict:
    """The local Looker's own speed: start-up, and a large run_inline_query as JSON and CSV."""
    body = {"model": "thelook", "view": "order_items", "limit": str(limit), "sorts": ["order_items.id"],
            "fields": ["order_items.id", "order_items.sale_price", "order_items.created_date"]}
    numbers = {"startup_s": looker.startup_seconds, "json_ms": [], "csv_ms": []}
    for fmt in ("json", "csv"):
        for _ in range(repeats):
            started = time.perf_counter()
            answer = looker.api("POST", f"queries/run/{fmt}", json=body, params={"cache": "false"})  # SQLite, each time
            numbers[f"{fmt}_ms"].append((time.perf_counter() - started) * 1000)
            numbers[f"{fmt}_mb"] = len(answer.content) / 1e6
    return numbers


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
            "brython": versions.get("brython"),
            "looker_sdk_js": json.loads((ROOT / "node_modules/@looker/sdk/package.json").read_text())["version"]}


def run(context, deployments: dict, rounds: int, quick: bool, out: Path, only: str | None = None) -> str:
    """Measure with an existing browser context and running deployments (the test suite's smoke run uses
    this with its own site and Looker as "h1"). Each deployment's client id (the one its looker.json names)
    is (re)registered for its app's URL and signed in once."""
    bundle_official_sdk()
    benches = {}
    try:
        for name, deployment in deployments.items():
            deployment.looker.register_app(deployment.looker_config["client_id"], f"{deployment.origin}/")
            benches[name] = Bench(context, deployment)
            benches[name].sign_in()
        raw = measure(benches, rounds, quick) if only is None else {}
        raw["dashboard"] = dashboard.measure(context, benches["h1"], rounds, log)
    finally:
        for bench in benches.values():
            bench.close()
    info = machine()
    out.mkdir(parents=True, exist_ok=True)
    name = "report" if only is None else f"report-{only}"
    (out / f"{name}.json").write_text(json.dumps({"machine": info, "raw": raw}, indent=1))
    text = report(raw, info) if only is None else "\n".join(dashboard_section(raw["dashboard"])) + "\n"
    (out / f"{name}.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--only", choices=["dashboard"], help="run only this section (h1 only)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from bench.servers import Deployment, chromium_flags

    deployments = {}
    try:
        for name in ("h1",) if args.only else ("h1", "h2"):
            deployments[name] = Deployment.start(name)
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(ROOT / "build" / "bench-profile"), executable_path="/usr/bin/chromium", headless=True,
                args=CHROMIUM_ARGS + chromium_flags())
            try:
                started = time.time()
                print(run(context, deployments, args.rounds, args.quick, args.out, args.only))
                name = "report" if args.only is None else f"report-{args.only}"
                print(f"(took {time.time() - started:.0f} s; report in {args.out}/{name}.md)")
            finally:
                context.close()
    finally:
        for deployment in deployments.values():
            deployment.stop()


if __name__ == "__main__":
    main()
