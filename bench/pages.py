"""The benchmark's pages (bench/pages/<name>.html): what each one is and what it is measured on.

Full pages do every measurement (start-up, per call, large result, CSV, concurrency); reference pages only
start up and fetch the first rows, to show what an interpreter costs loaded directly, without PyScript or
looker_pkce (their ratios: `BARE_OF`).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Page:
    label: str
    full: bool = True  # every measurement; else start-up (first rows) only


PAGES = {
    "ours-mpy": Page("looker_pkce · MicroPython"),
    "ours-lean": Page("looker_pkce · MicroPython, lean loader (boot.js)"),
    "ours-py": Page("looker_pkce · Pyodide"),
    "brython": Page("Brython, plain Python (no library)"),
    "sdk": Page("official @looker/sdk (JS)"),
    "fetch": Page("raw fetch (floor)"),
    "bare-mpy": Page("bare micropython.mjs + fetch (reference)", full=False),
    "bare-py": Page("bare Pyodide + fetch (reference)", full=False),
}
FULL = [name for name, page in PAGES.items() if page.full]
BARE_OF = {"ours-mpy": "bare-mpy", "ours-lean": "bare-mpy", "ours-py": "bare-py"}  # page -> the same interpreter loaded directly


def bundle_official_sdk() -> None:
    out = ROOT / "build" / "bench" / "sdk-bundle.js"
    entry = ROOT / "bench" / "pages" / "sdk-entry.js"
    if out.exists() and out.stat().st_mtime > entry.stat().st_mtime:
        return
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    subprocess.run([str(esbuild), str(entry), "--bundle", "--minify", "--format=iife", "--log-level=warning",
                    f"--outfile={out}"], check=True)
