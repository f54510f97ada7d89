"""The old import names keep working: `looker_pkce.components`, `dom`, `series`, `formats`, `ordered`, `errors`,
`compat` and `sync` (modules of the one flat folder before the library's folders, now shims re-exporting the
moved modules) import, and give the very objects the README and the `looker-pkce new` scaffold import from
the new names. The list of names is read from those documents, not written here."""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "py" / "looker_pkce"
SHIMS = sorted(path.stem for path in LIBRARY.glob("*.py") if path.stem != "__init__")
DOCUMENTS = [ROOT / "README.md", *sorted((LIBRARY / "cli" / "template").rglob("*.py"))]
IMPORT_LINE = re.compile(r"^from (looker_pkce(?:\.\w+)*) import ([\w, ]+)$", re.MULTILINE)
JS_FREE = ["compat", "errors", "formats", "ordered", "series"]  # importable on CPython as they are


def wrapped(shim: str) -> dict[str, list[str]]:
    """{module: the names the shim re-exports from it, ["*"] for all}, read from the shim's relative imports."""
    tree = ast.parse((LIBRARY / f"{shim}.py").read_text())
    return {"looker_pkce." + node.module: [alias.name for alias in node.names] for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}


def documented_imports() -> list[tuple[str, str]]:
    """(module, name) for every `from looker_pkce... import ...` line of the README and the scaffold."""
    found = []
    for path in DOCUMENTS:
        for module, names in IMPORT_LINE.findall(path.read_text()):
            found += [(module, name.strip()) for name in names.split(",") if name.strip()]
    return sorted(set(found))


# Run in a fresh interpreter: the browser modules import `js` (and jsffi or pyodide) at the top, so this one
# gives them stand-ins with nothing in them, enough to import; nothing of theirs runs here but their imports.
CHECK = """
import importlib, json, sys, types
js = types.ModuleType("js")
js.__getattr__ = lambda name: types.SimpleNamespace()  # window, document...: empty objects
jsffi = types.ModuleType("jsffi")
jsffi.create_proxy = lambda function: function
sys.modules.update(js=js, jsffi=jsffi)
shims, documented = json.loads(sys.argv[1])
out = {"same": [], "star": {}}
for shim, sources in shims.items():
    old = importlib.import_module("looker_pkce." + shim)
    for source, names in sources.items():
        module = importlib.import_module(source)
        public = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
        public = public if names == ["*"] else names
        out["star"][shim + " <- " + source] = sorted(n for n in public if getattr(old, n, None) is not getattr(module, n))
    for module_name, name in documented:
        value = getattr(importlib.import_module(module_name), name)
        home = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", module_name)
        if module_name in sources or home in sources:
            out["same"].append([shim, module_name, name, getattr(old, name, None) is value])
print(json.dumps(out))
"""


def test_the_old_names_are_the_eight_shims():
    assert SHIMS == ["compat", "components", "dom", "errors", "formats", "ordered", "series", "sync"]
    assert wrapped("components") == {"looker_pkce.browser.components": ["*"], "looker_pkce.browser.dashboard": ["dashboard"]}
    assert wrapped("compat") == {"looker_pkce.core.compat": ["*"], "looker_pkce.browser.bridge": ["bytes_of", "create_proxy"]}


def test_the_documents_import_names_to_check():
    found = documented_imports()
    assert ("looker_pkce.browser.components", "run_query") in found and ("looker_pkce", "LookerError") in found
    assert ("looker_pkce.browser.dashboard", "dashboard") in found and ("looker_pkce.core.compat", "parse_query") in found


@pytest.mark.parametrize("shim", JS_FREE)
def test_a_js_free_old_name_imports_on_cpython_as_it_is(shim):
    old = importlib.import_module("looker_pkce." + shim)
    pure = [name for name in wrapped(shim) if ".browser." not in name]  # compat's bridge half needs a browser
    assert pure
    for source in pure:
        module = importlib.import_module(source)
        assert [n for n in vars(module) if not n.startswith("_") and getattr(old, n, None) is not getattr(module, n)] == []


def test_every_old_name_imports_and_gives_what_the_documents_import_from_the_new_ones():
    shims = {shim: wrapped(shim) for shim in SHIMS}
    answer = subprocess.run([sys.executable, "-c", CHECK, json.dumps([shims, documented_imports()])],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert answer.returncode == 0, answer.stderr[-3000:]
    out = json.loads(answer.stdout)
    assert out["star"] == {f"{shim} <- {source}": [] for shim, sources in shims.items() for source in sources}
    assert len(out["star"]) == 10  # eight shims, two of them re-exporting two modules
    assert [entry for entry in out["same"] if not entry[3]] == []
    checked = {shim for shim, _, _, _ in out["same"]}
    assert checked == {"compat", "components", "dom", "errors"}, out["same"]  # what the documents reach today
