"""The pure logic of the app and the library's components (query bodies, order, value formats, chart
series, grid columns, layout) on CPython, and the same checks on MicroPython: the browser's own
MicroPython build (static/vendor) run by Node. The grid's JavaScript copy of the value formats is
checked against the Python one under Node too."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import app_logic_checks
import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["app/__init__.py", "looker_pkce/core/__init__.py"] + [
    f"app/{name}.py" for name in ("look_rules", "text", "snippets", "traces")] + [
    f"looker_pkce/core/{name}.py" for name in ("access", "ordered", "compat", "formats", "series", "messages", "errors",
                                               "queries", "layout", "tiles", "wording", "overrides", "session")]
EMPTY = ["looker_pkce/__init__.py"]  # the pure modules need the core only, not the client the package exports
RUNNER = """
import { loadMicroPython } from %(mjs)s;
import fs from "fs";
const files = %(files)s;
let out = "";
const mp = await loadMicroPython({ stdout: (t) => { out += t + "\\n"; }, stderr: (t) => { out += t + "\\n"; } });
for (const [name, source] of Object.entries(files)) {
  mp.FS.mkdirTree("/lib/" + name.split("/").slice(0, -1).join("/"));
  mp.FS.writeFile("/lib/" + name, source === null ? "" : fs.readFileSync(source));
}
try {
  mp.runPython("import sys\\nsys.path.insert(0, '/lib')\\nimport app_logic_checks, json\\n"
               + "print('PASSED ' + json.dumps(app_logic_checks.run_all()))");
} catch (error) { out += String(error); }
process.stdout.write(out);
"""


@pytest.mark.parametrize("check", app_logic_checks.CHECKS, ids=lambda c: c.__name__[len("check_"):])
def test_on_cpython(check):
    check()


def test_same_checks_on_micropython(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run MicroPython's wasm build (it comes with npm, which make setup uses)")
    files = {name: str(ROOT / "py" / name) for name in MODULES}
    files.update({name: None for name in EMPTY})
    files["app_logic_checks.py"] = str(ROOT / "tests" / "unit" / "app_logic_checks.py")
    script = tmp_path / "run.mjs"
    script.write_text(RUNNER % {"mjs": json.dumps(str(ROOT / "static/vendor/micropython/micropython.mjs")),
                                "files": json.dumps(files)})
    out = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=120).stdout
    assert "PASSED " in out, out[-3000:]
    passed = json.loads(out.split("PASSED ", 1)[1].splitlines()[0])
    assert sorted(passed) == sorted(c.__name__ for c in app_logic_checks.CHECKS)


FORMAT_CASES = [0, 7, -1, 82622, 1234567.891, 433509.3, -1234.5, -0.001, 0.256, 2.5, 0.125, -0.375, 1.005, 2.675,
                1234.6, 0.1 + 0.2, 1e-7, 1e21, 2 ** 51 + 0.5, 2 ** 49 + 0.375, -(2 ** 49 + 0.375), 2_000_000, 1_500,
                -2_500_000_000, 999.999, 12_345_678, 0.005]
FORMAT_SPECS = ["#,##0", "$#,##0.00", "0.0%", '#,##0" items"', "0", "€#,##0.000", "0.00"]
PARITY = """
globalThis.window = globalThis;
const fs = await import("fs");
(0, eval)(fs.readFileSync(%(grid)s, "utf8"));
const cases = %(cases)s;
process.stdout.write(JSON.stringify(cases.map(([value, spec]) => window.LookerGrid.format(value, {format: spec}))));
"""


def test_the_grids_javascript_formats_numbers_as_formats_py_does(tmp_path):
    """The grid formats cells in JavaScript (rows never cross into Python): same texts as format_value."""
    from looker_pkce.core import formats

    specs = [formats.MEASURE, formats.PLAIN] + [formats.parse(p) for p in FORMAT_SPECS]
    specs += [formats.compact(spec) for spec in specs]  # axis ticks where room is short
    cases = [(value, spec) for spec in specs for value in FORMAT_CASES]
    script = tmp_path / "parity.mjs"
    script.write_text(PARITY % {"grid": json.dumps(str(ROOT / "py/looker_pkce/assets/grid.js")),
                                "cases": json.dumps(cases)})
    out = subprocess.run([shutil.which("node") or "node", str(script)], capture_output=True, text=True, timeout=60)
    shown = json.loads(out.stdout or "null")
    assert shown is not None, out.stderr[-2000:]
    wrong = [(value, spec, js, formats.format_value(value, spec))
             for (value, spec), js in zip(cases, shown) if js != formats.format_value(value, spec)]
    assert not wrong, wrong
