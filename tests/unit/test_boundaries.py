"""The folders are the architecture: what may import what.

The core is pure (no `js`, no I/O library, no host-only package), the driver adds only asyncio
over injected adapters, and the app's logic modules are as pure as the core. Each of these is
read as source (its imports, lazy ones too), so a module that would only fail in the browser
fails here first.
"""

import ast
from pathlib import Path

import pytest

PY = Path(__file__).resolve().parents[2] / "py"
LIBRARY = PY / "looker_pkce"

# what a module of the core, the driver or the app's logic may never import, whoever runs it
BROWSER_ONLY = {"js", "jsffi", "pyodide", "pyscript"}
HOST_ONLY = {"starlette", "uvicorn", "hypercorn", "requests", "looker_sdk", "playwright", "socket", "subprocess",
             "urllib", "http", "threading"}  # (os: core.compat takes os.urandom, the CSPRNG, where it exists)
# the library's own packages each layer may reach (relative imports resolved to their package)
MAY_REACH = {
    "core": {"core"},
    "driver": {"core", "driver"},
}
APP_LOGIC = ["app/queries.py", "app/layout.py"]


def imports(path: Path, package: str) -> set[str]:
    """Absolute dotted names `path` imports anywhere in its body."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
                names.update([stem] if node.module else [stem + "." + alias.name for alias in node.names])
            else:
                names.add(node.module)
    return names


def layer_modules(layer: str) -> list[Path]:
    return sorted((LIBRARY / layer).glob("*.py"))


@pytest.mark.parametrize("layer", sorted(MAY_REACH))
def test_the_core_and_the_driver_import_nothing_of_the_browser_or_the_host(layer):
    for path in layer_modules(layer):
        found = imports(path, f"looker_pkce.{layer}")
        outside = {name.split(".")[0] for name in found} & (BROWSER_ONLY | HOST_ONLY)
        assert not outside, f"{path.relative_to(PY)} imports {sorted(outside)}"
        reached = {name.split(".")[1] for name in found if name.startswith("looker_pkce.") and "." in name}
        assert reached <= MAY_REACH[layer], f"{path.relative_to(PY)} reaches looker_pkce.{sorted(reached - MAY_REACH[layer])}"


@pytest.mark.parametrize("name", APP_LOGIC)
def test_the_apps_logic_modules_are_pure(name):
    found = imports(PY / name, "app")
    outside = {n.split(".")[0] for n in found} & (BROWSER_ONLY | HOST_ONLY)
    assert not outside, f"{name} imports {sorted(outside)}"
    reached = {n.split(".")[1] for n in found if n.startswith("looker_pkce.") and "." in n}
    assert reached <= {"core"}, f"{name} reaches looker_pkce.{sorted(reached - {'core'})}"
    app_modules = {n for n in found if n.startswith("app.")}
    assert {f"py/{m.replace('.', '/')}.py" for m in app_modules} - {f"py/{p}" for p in APP_LOGIC} <= set(), \
        f"{name} imports app views {sorted(app_modules)}"


def test_the_boundary_check_sees_a_js_import(tmp_path):
    """The rule above is not vacuous: a module importing js lazily is caught."""
    module = tmp_path / "leaky.py"
    module.write_text("def f():\n    import js\n    from ..browser import dom\n")
    found = imports(module, "looker_pkce.core")
    assert "js" in found and "looker_pkce.browser" in found
