"""The same pages built from two or more checkouts of this repository, measured in one run, interleaved.

    git worktree add /tmp/before <commit> && make -C /tmp/before setup
    flock /tmp/browser.lock .venv/bin/python -m bench.versions /tmp/before . --rounds 15
    flock /tmp/browser.lock .venv/bin/python -m bench.versions /tmp/before . --rounds 15 --dashboard

By default, section 1's lean page: signed-in warm reloads (navigation → first rows), each against the raw-fetch
page served by the same checkout. Each checkout's own static site server (scripts/site_server.py, run by its
own .venv: its own library, loader and generated files) serves its pages on its own origin. Every round visits
every checkout in turn (the order rotates from round to round), each page twice: the first visit primes the
tab, the second is measured.

With --dashboard, section 8's page instead: each checkout's own `looker-pkce new --dashboard 1`, `register`,
`build` and `serve`, every tile drawn, with an empty cache and warm (bench/dashboard.py's `visit`), beside the
official SDK + Chart.js page served by the last checkout.

One local Looker (this checkout's) answers every page, its results cache warmed first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import dashboard
from bench.measure import CHROMIUM_ARGS, log, warm_results_cache
from bench.tab import Bench
from local_looker.process import LocalLooker, free_port

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("ours-lean", "fetch")  # the lean MicroPython page and its reference
SERVE = ("import json, sys\nfrom scripts.site_server import make_server\n"
         "make_server(int(sys.argv[1]), looker_config=json.loads(sys.argv[2]), test_pages=True).serve_forever()\n")
ADMIN = {"LOOKERSDK_CLIENT_ID": "demo-admin-id", "LOOKERSDK_CLIENT_SECRET": "demo-admin-secret"}


def serve(command: list[str], cwd: Path, origin: str, probe: str) -> subprocess.Popen:
    """A server started in the background, once `origin + probe` answers."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(origin + probe, timeout=1).read()
            return process
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit(f"{cwd}: `{' '.join(command[:4])}...` did not start serving") from None
            time.sleep(0.2)


class Site:
    """One checkout's static site, on its own origin (what Bench needs of a deployment), and with --dashboard
    the dashboard page its own command line writes, builds and serves."""

    def __init__(self, tree: Path, looker: LocalLooker, number: int):
        self.tree, self.looker, self.number = tree, looker, number
        self.name = f"{tree.name} ({describe(tree)})"
        self.python = tree / ".venv" / "bin" / "python"
        if not self.python.is_file():
            raise SystemExit(f"{tree}: no .venv (run `make -C {tree} setup` first)")
        self.origin = f"http://127.0.0.1:{free_port()}"
        self.looker_config = {"ui_url": looker.ui_url, "api_url": looker.api_url, "client_id": f"bench-{number}"}
        self.processes = [serve([str(self.python), "-c", SERVE, self.origin.rsplit(":", 1)[1],
                                 json.dumps(self.looker_config)], tree, self.origin, "/looker.json")]
        self.board = None

    def publish_board(self) -> str:
        """`new --dashboard 1`, `register`, `build` and `serve`, all by this checkout; the page's URL."""
        folder = ROOT / "build" / "bench" / "versions" / f"board-{self.number}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        port, client = free_port(), f"board-{self.number}"
        self.board = f"http://127.0.0.1:{port}/"
        env = {**os.environ, **ADMIN, "LOOKERSDK_BASE_URL": self.looker.api_url}
        cli = [str(self.python), "-m", "looker_pkce.cli"]
        for args in (["new", str(folder), "--dashboard", "1", "--client-id", client, "--api-url", self.looker.api_url],
                     ["register", self.board, "--client-id", client, "--page", str(folder)], ["build", str(folder)]):
            subprocess.run(cli + args, cwd=self.tree, env=env, check=True, capture_output=True)
        self.processes.append(serve(cli + ["serve", str(folder / "dist"), "--port", str(port)], self.tree,
                                    self.board.rstrip("/"), "/looker.json"))
        return self.board

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(10)


def describe(tree: Path) -> str:
    return subprocess.run(["git", "-C", str(tree), "log", "-1", "--format=%h"], capture_output=True, text=True,
                          check=True).stdout.strip()


def measure_lean(context, sites: list[Site], rounds: int) -> dict:
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


def measure_dashboard(context, sites: list[Site], rounds: int) -> dict:
    dashboard.bundle()
    official = Bench(context, sites[-1])
    official.sign_in()
    pages = {site.name: (dashboard.signed_in_board(context, site.board), site.board, dashboard.OURS_DRAWN) for site in sites}
    pages["official @looker/sdk + Chart.js"] = (official.page, f"{sites[-1].origin}/bench/pages/sdk-dashboard.html",
                                                dashboard.SDK_DRAWN)
    sessions = {name: context.new_cdp_session(page) for name, (page, _, _) in pages.items()}
    raw = {name: {"warm": [], "cold": [], "bytes": []} for name in pages}
    for number in range(rounds):
        log(f"versions dashboard round {number + 1}/{rounds}")
        names = list(pages)[number % len(pages):] + list(pages)[:number % len(pages)]
        for name in names:
            page, url, drawn = pages[name]
            page.bring_to_front()  # a tab in the background has its frames and timers throttled
            cold = dashboard.visit(page, sessions[name], url, drawn, cold=True)
            raw[name]["cold"].append(cold["ms"])
            raw[name]["bytes"].append(cold["bytes"])
            raw[name]["warm"].append(dashboard.visit(page, sessions[name], url, drawn, cold=False)["ms"])
    for page, _, _ in pages.values():
        page.close()
    return raw


def report_lean(raw: dict, rounds: int) -> str:
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


def report_dashboard(raw: dict, rounds: int) -> str:
    official = list(raw)[-1]
    medians = {name: {key: statistics.median(values) for key, values in raw[name].items()} for name in raw}
    lines = [f"Dashboard 1, every tile drawn (ms from navigation start), h1, {rounds} interleaved rounds, medians "
             "[interquartile range]:", "",
             "| page | warm | cold (empty cache) | warm / official | cold / official | first visit (kB) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name in raw:
        warm, cold = (statistics.quantiles(raw[name][key], n=4) for key in ("warm", "cold"))
        lines.append(f"| {name} | {medians[name]['warm']:.0f} [{warm[0]:.0f}–{warm[2]:.0f}] | "
                     f"{medians[name]['cold']:.0f} [{cold[0]:.0f}–{cold[2]:.0f}] | "
                     f"{medians[name]['warm'] / medians[official]['warm']:.2f}× | "
                     f"{medians[name]['cold'] / medians[official]['cold']:.2f}× | {medians[name]['bytes'] / 1000:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", type=Path, nargs="+", help="checkouts of this repository, each set up (make setup)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--dashboard", action="store_true", help="section 8's dashboard page instead of the lean page")
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
            if args.dashboard:
                site.publish_board()  # register adds the page's origin to the allowlist
        warm_results_cache(looker, 2_000)
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(ROOT / "build" / "bench-profile"), executable_path="/usr/bin/chromium", headless=True,
                args=CHROMIUM_ARGS)
            try:
                raw = (measure_dashboard if args.dashboard else measure_lean)(context, sites, args.rounds)
            finally:
                context.close()
    finally:
        for site in sites:
            site.stop()
        looker.stop()
    out = ROOT / "build" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    name = "versions-dashboard" if args.dashboard else "versions"
    (out / f"{name}.json").write_text(json.dumps(raw, indent=1))
    text = (report_dashboard if args.dashboard else report_lean)(raw, args.rounds)
    (out / f"{name}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
