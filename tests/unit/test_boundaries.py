"""The folders are the architecture: what may import what.

The core is pure (no `js`, no I/O library, no host-only package), the driver adds only asyncio
over injected adapters, and the app's logic modules are as pure as the core. Each of these is
read as source (its imports, lazy ones too), so a module that would only fail in the browser
fails here first.
"""

import ast
from pathlib import Path

import pytest

from looker_pkce.cli.pages import imported_names

PY = Path(__file__).resolve().parents[2] / "py"
LIBRARY = PY / "looker_pkce"
PACKAGES = {folder.name for folder in LIBRARY.iterdir() if (folder / "__init__.py").is_file()}

# what a module of the core, the driver or the app's logic may never import, whoever runs it
BROWSER_ONLY = {"js", "jsffi", "pyodide", "pyscript"}
HOST_ONLY = {"starlette", "uvicorn", "hypercorn", "requests", "looker_sdk", "playwright", "socket", "subprocess",
             "urllib", "http", "threading"}  # (os: core.compat takes os.urandom, the CSPRNG, where it exists)
# the library's own packages each layer may reach (relative imports resolved to their package)
MAY_REACH = {
    "core": {"core"},
    "driver": {"core", "driver"},
}
APP_LOGIC = [f"app/{name}.py" for name in ("look_rules", "text", "snippets", "traces")]


def imports(path: Path, package: str) -> set[str]:
    """Absolute dotted names `path` imports anywhere in its body (the build's own reading of imports)."""
    return imported_names(path, package)


def packages_reached(found: set[str]) -> set[str]:
    """The library's packages (core, driver, browser, ...) among the names a module imports."""
    return {name.split(".")[1] for name in found if name.startswith("looker_pkce.") and name.split(".")[1] in PACKAGES}


def layer_modules(layer: str) -> list[Path]:
    return sorted((LIBRARY / layer).glob("*.py"))


@pytest.mark.parametrize("layer", sorted(MAY_REACH))
def test_the_core_and_the_driver_import_nothing_of_the_browser_or_the_host(layer):
    for path in layer_modules(layer):
        found = imports(path, f"looker_pkce.{layer}")
        outside = {name.split(".")[0] for name in found} & (BROWSER_ONLY | HOST_ONLY)
        assert not outside, f"{path.relative_to(PY)} imports {sorted(outside)}"
        reached = packages_reached(found)
        assert reached <= MAY_REACH[layer], f"{path.relative_to(PY)} reaches looker_pkce.{sorted(reached - MAY_REACH[layer])}"


@pytest.mark.parametrize("name", APP_LOGIC)
def test_the_apps_logic_modules_are_pure(name):
    found = imports(PY / name, "app")
    outside = {n.split(".")[0] for n in found} & (BROWSER_ONLY | HOST_ONLY)
    assert not outside, f"{name} imports {sorted(outside)}"
    reached = packages_reached(found)
    assert reached <= {"core"}, f"{name} reaches looker_pkce.{sorted(reached - {'core'})}"
    modules = {n.replace(".", "/") + ".py" for n in found if n.startswith("app.")}
    views = {m for m in modules if (PY / m).is_file()} - set(APP_LOGIC)
    assert not views, f"{name} imports app views {sorted(views)}"


def test_mypy_checks_every_module_of_the_apps_logic():
    import tomllib

    checked = tomllib.loads((PY.parent / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    assert [name for name in APP_LOGIC if "py/" + name not in checked] == []


def test_the_boundary_check_sees_a_js_import(tmp_path):
    """The rule above is not vacuous: a module importing js lazily is caught."""
    module = tmp_path / "leaky.py"
    module.write_text("def f():\n    import js\n    from ..browser import dom\n")
    found = imports(module, "looker_pkce.core")
    assert "js" in found and "looker_pkce.browser" in found


# What the browser's MicroPython cannot run: it has no typing module and no `from __future__ import
# annotations`. Type names come from typing only under `TYPE_CHECKING = False` / `if TYPE_CHECKING:`.
# (the command line runs on the host; sdk/ on Pyodide, which is CPython)
BROWSER_RUNS = [path for path in sorted(LIBRARY.rglob("*.py")) if path.relative_to(LIBRARY).parts[0] not in
                ("cli", "sdk", "runtime")] + sorted((PY / "app").glob("*.py"))


def typing_at_run_time(path: Path) -> list[int]:
    """Lines where `path` imports typing or future annotations, outside an `if TYPE_CHECKING:` block."""
    lines = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import) and any(alias.name.split(".")[0] == "typing" for alias in node.names):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module in ("typing", "__future__"):
            lines.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    return lines


def test_what_the_browser_runs_imports_typing_only_for_the_type_checker():
    found = {str(path.relative_to(PY)): typing_at_run_time(path) for path in BROWSER_RUNS}
    assert len(found) > 30 and "looker_pkce/core/formats.py" in found
    assert not {name: lines for name, lines in found.items() if lines}


def test_the_typing_check_sees_an_import_outside_the_guard(tmp_path):
    module = tmp_path / "typed.py"
    module.write_text("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from typing import Any\n"
                      "from typing import Callable\ndef f():\n    from __future__ import annotations\n")
    assert typing_at_run_time(module) == [4, 6]


COMPILE_ON_MICROPYTHON = """
import { loadMicroPython } from %(mjs)s;
import fs from "fs";
let out = "";
const mp = await loadMicroPython({ stdout: (t) => { out += t + "\\n"; }, stderr: (t) => { out += t + "\\n"; } });
for (const [name, source] of Object.entries(%(files)s)) {
  mp.globals.set("source", source);
  try { mp.runPython("compile(source, " + JSON.stringify(name) + ", 'exec')"); out += "COMPILED " + name + "\\n"; }
  catch (error) { out += "FAILED " + name + ": " + String(error).trim().split("\\n").pop() + "\\n"; }
}
process.stdout.write(out);
"""


def as_compiled(source: str) -> str:
    """The source as the page's interpreter compiles it: a script with top-level `await` (app/start.py) is
    run by PyScript as if in a coroutine, so it is compiled in one here."""
    try:
        compile(source, "module", "exec")
        return source
    except SyntaxError:
        return "async def module():\n" + "".join("    " + line for line in source.splitlines(True))


def test_what_the_browser_runs_compiles_on_the_pinned_micropython(tmp_path):
    """Every module the browser's MicroPython may load, annotations and all, compiled by that MicroPython
    (static/vendor's, under Node): syntax it lacks (a `match`, say) fails here, not in a person's browser."""
    import json
    import shutil
    import subprocess

    files = {str(path.relative_to(PY)): as_compiled(path.read_text()) for path in BROWSER_RUNS}
    script = tmp_path / "compile.mjs"
    script.write_text(COMPILE_ON_MICROPYTHON % {
        "mjs": json.dumps(str(PY.parent / "static/vendor/micropython/micropython.mjs")), "files": json.dumps(files)})
    out = subprocess.run([shutil.which("node") or "node", str(script)], capture_output=True, text=True, timeout=120).stdout
    compiled = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("COMPILED ")]
    assert sorted(compiled) == sorted(files), out[-3000:]
