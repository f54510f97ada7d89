"""The browser runtime a page needs: PyScript, one interpreter, Chart.js; where to copy it from.

A folder laid out like the repo's `static/vendor/` (pyscript/, micropython/, pyodide/, chartjs/)
is a runtime source. The wheel carries the MicroPython one (about 1 MB) as package data in
`looker_pkce/runtime/` (written by scripts/vendor.py); Pyodide (13 MB) is not in the wheel:
`--runtime-from` names a folder that has it (a checkout's `static/vendor/` after `make setup`).
"""

from __future__ import annotations

import re
from pathlib import Path

import looker_pkce

PACKAGED = Path(looker_pkce.__file__).resolve().parent / "runtime"

# interpreter kind -> (folder, the files PyScript loads from it; the .mjs is the toml's `interpreter`)
INTERPRETERS = {
    "mpy": ("micropython", ["micropython.mjs", "micropython.wasm"]),
    "py": ("pyodide", ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                       "pyodide-lock.json"]),
}
CHART = ("chartjs", ["chart.umd.min.js"])
PYSCRIPT = "pyscript"
# PyScript's core imports these chunks only for features a page opts into (editor, graph, zip archives)
ON_DEMAND_CHUNKS = ("codemirror", "pyodide_graph", "zip")
STATIC_IMPORT = re.compile(r'from\s*"\./([^"]+\.js)"')
DYNAMIC_IMPORT = re.compile(r'import\(\s*"\./([^"]+\.js)"\s*\)')


def pyscript_files(folder: Path) -> list[str]:
    """core.js, what it imports statically, and the chunks the core itself imports at start-up."""
    needed, queue = [], ["core.js"]
    while queue:
        name = queue.pop(0)
        if name in needed:
            continue
        needed.append(name)
        text = (folder / name).read_text()
        queue += STATIC_IMPORT.findall(text)
        if name.startswith("core-"):
            queue += [c for c in DYNAMIC_IMPORT.findall(text) if not c.startswith(ON_DEMAND_CHUNKS)]
    return needed


def runtime_files(source: Path, kinds: list[str], chart: bool = True, pyscript: bool = True) -> list[str]:
    """Paths, relative to the runtime folder, of everything pages with these interpreters load
    (PyScript's too unless the page uses the lean loader)."""
    if pyscript and not (source / PYSCRIPT / "core.js").exists():
        raise FileNotFoundError(f"no PyScript runtime in {source}: run `make setup` (scripts/vendor.py) in a "
                                "looker-pkce checkout, or pass --runtime-from a static/vendor folder")
    files = [f"{PYSCRIPT}/{name}" for name in pyscript_files(source / PYSCRIPT)] if pyscript else []
    for kind in kinds:
        folder, names = INTERPRETERS[kind]
        missing = [n for n in names if not (source / folder / n).exists()]
        if missing:
            raise FileNotFoundError(f"{source / folder} lacks {', '.join(missing)}: a runtime folder is laid out like "
                                    "static/vendor/ in a looker-pkce checkout after `make setup`")
        files += [f"{folder}/{name}" for name in names]
    if chart:
        files += [f"{CHART[0]}/{name}" for name in CHART[1]]
    return files
