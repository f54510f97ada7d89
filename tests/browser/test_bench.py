"""A one-round, small-size run of the benchmark, so `make bench` cannot rot unnoticed.

It measures the suite's own site and Looker as the "h1" deployment; the "h2" deployment (HTTPS + HTTP/2)
and the throttled first visit are left to `make bench` (tests/browser/test_https.py covers the HTTPS Looker)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from bench.measure import run
from bench.pages import FULL, PAGES
from bench.servers import Deployment


def test_benchmark_smoke_run(browser_context, site, looker, tmp_path):
    browser_context.clear_cookies()
    browser_context.requests_seen.clear()
    h1 = Deployment("h1", site.origin, looker, site.looker_config)
    text = run(browser_context, {"h1": h1}, rounds=1, quick=True, out=tmp_path)
    assert (tmp_path / "report.json").exists()
    for name, page in PAGES.items():
        # full pages: a row in each table (start-up, start-up with Looker slow, per call, large, concurrency,
        # memory; no 1b, 4b or 6 without "h2"); reference pages: the two start-up tables only
        assert text.count(f"| {page.label} |") == (6 if name in FULL else 2), name
    raw = json.loads((tmp_path / "report.json").read_text())["raw"]["h1"]
    for page in FULL:
        assert raw["memory"][page][0]["rows"] == 2_000
        assert raw["per_call"][page][0] > 0
        assert raw["csv"][page][0]["bytes"] > 2_000 * 10
    for page in PAGES:
        assert raw["first_warm"][page][0] > 0 and raw["first_cold"][page][0] > 0
        assert raw["first_warm_slow_looker"][page][0] > 100 and raw["first_cold_slow_looker"][page][0] > 100
    assert raw["memory"]["ours-mpy"][0]["wasm"] > 0  # the interpreter's heap was found
    assert raw["python_warm"]["ours-py"][0] > 0 and raw["python_warm"]["brython"][0] > 0
    assert raw["python_warm"]["bare-mpy"][0] > 0
    assert json.loads((tmp_path / "report.json").read_text())["raw"]["app"]["warm"][0] > 0
    assert len(raw["sequential"]["brython"][0]) == 10 and len(raw["sequential"]["sdk"][0]) == 10
    board = json.loads((tmp_path / "report.json").read_text())["raw"]["dashboard"]
    assert board["tiles"]["ours"] == board["tiles"]["sdk"] > 0  # both pages drew dashboard 1's tiles
    assert board["ours"]["cold"][0]["bytes"] > 0 and board["sdk"]["warm"][0]["ms"] > 0
    assert "## 8. Dashboard 1" in text
    hosts = {urlsplit(url).hostname for url in browser_context.requests_seen if url.startswith("http")}
    assert hosts == {"127.0.0.1"}  # every page (the official SDK's, Brython's) talks to loopback only
