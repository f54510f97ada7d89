"""The app's pure logic (query bodies, order, formats, chart series, layout) on CPython, and the
same checks on MicroPython: the browser's own MicroPython build (static/vendor) run by Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import app_logic_checks
import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["app/__init__.py", "app/ordered.py", "app/queries.py", "app/formats.py", "app/series.py",
           "app/layout.py", "looker_pkce/compat.py"]
EMPTY = ["looker_pkce/__init__.py"]  # the pure modules need compat only, not the client the package exports
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
    files["app_logic_checks.py"] = str(ROOT / "tests" / "app_logic_checks.py")
    script = tmp_path / "run.mjs"
    script.write_text(RUNNER % {"mjs": json.dumps(str(ROOT / "static/vendor/micropython/micropython.mjs")),
                                "files": json.dumps(files)})
    out = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=120).stdout
    assert "PASSED " in out, out[-3000:]
    passed = json.loads(out.split("PASSED ", 1)[1].splitlines()[0])
    assert sorted(passed) == sorted(c.__name__ for c in app_logic_checks.CHECKS)
