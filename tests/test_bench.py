"""A one-round, small-size run of the benchmark, so `make bench` cannot rot unnoticed."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from bench.measure import PAGES, run


def test_benchmark_smoke_run(browser_context, site, looker, tmp_path):
    browser_context.clear_cookies()
    browser_context.requests_seen.clear()
    text = run(browser_context, site.origin, looker, rounds=1, quick=True, out=tmp_path,
               client_id=site.looker_config["client_id"])
    assert (tmp_path / "report.json").exists()
    for label in PAGES.values():
        assert text.count(f"| {label} |") == 5  # one row in each of the five tables
    raw = json.loads((tmp_path / "report.json").read_text())["raw"]
    for page in PAGES:
        assert raw["memory"][page][0]["rows"] == 2_000
        assert raw["first_warm"][page][0] > 0 and raw["per_call"][page][0] > 0
        assert raw["csv"][page][0]["bytes"] > 2_000 * 10
    assert raw["memory"]["ours-mpy"][0]["wasm"] > 0  # the interpreter's heap was found
    assert raw["python_warm"]["ours-py"][0] > 0 and raw["app"]["warm"][0] > 0
    assert len(raw["sequential"]["sdk"][0]) == raw["settings"]["concurrency"]
    hosts = {urlsplit(url).hostname for url in browser_context.requests_seen if url.startswith("http")}
    assert hosts == {"127.0.0.1"}  # the official SDK's page too talks to loopback only
