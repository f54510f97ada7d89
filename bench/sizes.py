"""First-visit bytes: the page `looker-pkce new` scaffolds (built with `looker-pkce build`) against the
benchmark's official @looker/sdk page (bench/pages/sdk.html, the SDK bundled and minified by esbuild).

    python -m bench.sizes        (make setup first; needs no Looker: the API URL is given)

Both columns count every file the page loads on a first visit, as served: raw, gzip -9, brotli -q 11.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import brotli

from bench.pages import bundle_official_sdk
from looker_pkce.cli import main as cli
from looker_pkce.cli.build import sizes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "sizes"
SDK_PAGE = ["bench/pages/sdk.html", "build/bench/sdk-bundle.js", "bench/pages/common.js",
            "py/looker_pkce/assets/grid.js", "py/looker_pkce/assets/components.css", "static/app.css"]


def packed(data: bytes) -> tuple[int, int, int]:
    return len(data), len(gzip.compress(data, 9)), len(brotli.compress(data, quality=11))


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    page = OUT / "page"
    looker = "https://example.looker.com"
    assert cli(["new", str(page), "--ui-url", looker, "--api-url", looker, "--client-id", "x"]) == 0
    assert cli(["build", str(page)]) == 0
    rows = sizes(page / "dist")
    ours = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    chart = [sum(r[i] for r in rows if r[0].endswith("chart.umd.min.js")) for i in (1, 2, 3)]
    bundle_official_sdk()
    official = [sum(packed((ROOT / f).read_bytes())[i] for f in SDK_PAGE) for i in (0, 1, 2)]
    print("\nfirst visit, bytes            raw        gzip      brotli")
    print(f"looker-pkce new (MicroPython) {ours[0]:>10,} {ours[1]:>10,} {ours[2]:>10,}   ({len(rows)} files)")
    print(f"  of which Chart.js           {chart[0]:>10,} {chart[1]:>10,} {chart[2]:>10,}")
    print(f"official @looker/sdk page     {official[0]:>10,} {official[1]:>10,} {official[2]:>10,}"
          f"   ({len(SDK_PAGE)} files, table only, no chart)")


if __name__ == "__main__":
    main()
