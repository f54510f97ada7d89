"""Section 1's lean page built from two or more checkouts of this repository, in one run: signed-in warm
reloads (navigation → first rows), interleaved, each against the raw-fetch page served by the same checkout.

    git worktree add /tmp/before <commit> && make -C /tmp/before setup
    flock /tmp/browser.lock .venv/bin/python -m bench.versions /tmp/before . --rounds 15

Each checkout's own static site server (scripts/site_server.py, run by its own .venv, so its own library,
loader and generated files) serves its pages on its own origin; one local Looker (this checkout's) answers
them all, its results cache warmed first. Every round visits every checkout in turn (the order rotates
from round to round), each page twice: the first visit primes the tab, the second is measured.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.measure import CHROMIUM_ARGS, log, warm_results_cache
from bench.tab import Bench
from local_looker.process import LocalLooker, free_port

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("ours-lean", "fetch")  # the lean MicroPython page and its reference
SERVE = ("import json, sys\nfrom scripts.site_server import make_server\n"
         "make_server(int(sys.argv[1]), looker_config=json.loads(sys.argv[2]), test_pages=True).serve_forever()\n")


class Site:
    """One checkout's static site, on its own origin: what Bench needs of a deployment."""

    def __init__(self, tree: Path, looker: LocalLooker, number: int):
        self.tree, self.looker, self.name = tree, looker, f"{tree.name or tree.resolve().name} ({describe(tree)})"
        port = free_port()
        self.origin = f"http://127.0.0.1:{port}"
        self.looker_config = {"ui_url": looker.ui_url, "api_url": looker.api_url, "client_id": f"bench-{number}"}
        python = tree / ".venv" / "bin" / "python"
        if not python.is_file():
            raise SystemExit(f"{tree}: no .venv (run `make -C {tree} setup` first)")
        self.process = subprocess.Popen([str(python), "-c", SERVE, str(port), json.dumps(self.looker_config)],
                                        cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(self.origin + "/looker.json", timeout=1).read()
                break
            except OSError:
                if time.time() > deadline or self.process.poll() is not None:
                    raise SystemExit(f"{tree}: its site server did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def describe(tree: Path) -> str:
    return subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h"], capture_output=True, text=True,
                          check=True).stdout.strip()


def measure(context, sites: list[Site], rounds: int) -> dict:
    benches = [Bench(context, site) for site in sites]
    for bench in benches:
        bench.sign_in()
    raw = {site.name: {page: [] for page in PAGES} | {"python": []} for site in sites}
    for number in range(rounds):
        log(f"versions round {number + 1}/{rounds}")
        turn = number % len(benches)
        for bench, site in list(zip(benches, sites))[turn:] + list(zip(benches, sites))[:turn]:
            bench.fresh_tab()
            for page in PAGES:
                bench.open(page)  # primes this tab
                raw[site.name][page].append(bench.open(page))
                if page == "ours-lean":
                    raw[site.name]["python"].append(bench.first_python())
    for bench in benches:
        bench.close()
    return raw


def report(raw: dict, rounds: int) -> str:
    names = list(raw)
    medians = {name: {key: statistics.median(values) for key, values in raw[name].items()} for name in names}
    lines = [f"Lean page, signed-in warm reload → first rows (ms), h1, {rounds} interleaved rounds, medians "
             "[interquartile range]:", "",
             "| checkout | lean page | raw fetch | lean / fetch | first Python line |", "| --- | ---: | ---: | ---: | ---: |"]
    for name in names:
        quartiles = statistics.quantiles(raw[name]["ours-lean"], n=4)
        lines.append(f"| {name} | {medians[name]['ours-lean']:.0f} [{quartiles[0]:.0f}–{quartiles[2]:.0f}] | "
                     f"{medians[name]['fetch']:.0f} | {medians[name]['ours-lean'] / medians[name]['fetch']:.2f}× | "
                     f"{medians[name]['python']:.0f} |")
    first = names[0]
    for name in names[1:]:
        lines.append(f"\n{name} / {first}: lean page {medians[name]['ours-lean'] / medians[first]['ours-lean']:.2f}×, "
                     f"its ratio to raw fetch {medians[name]['ours-lean'] / medians[name]['fetch']:.2f}× vs "
                     f"{medians[first]['ours-lean'] / medians[first]['fetch']:.2f}×")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", type=Path, nargs="+", help="checkouts of this repository, each set up (make setup)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    looker = LocalLooker(free_port(), free_port(), "http://127.0.0.1:1")
    sites: list[Site] = []
    try:
        for number, tree in enumerate(args.trees):
            sites.append(Site(tree.resolve(), looker, number))
        looker.allowlist([site.origin for site in sites])
        for site in sites:
            looker.register_app(site.looker_config["client_id"], site.origin + "/")
        warm_results_cache(looker, 2_000)
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(ROOT / "build" / "bench-profile"), executable_path="/usr/bin/chromium", headless=True,
                args=CHROMIUM_ARGS)
            try:
                raw = measure(context, sites, args.rounds)
            finally:
                context.close()
    finally:
        for site in sites:
            site.stop()
        looker.stop()
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "versions.json").write_text(json.dumps(raw, indent=1))
    text = report(raw, args.rounds)
    (out / "versions.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
