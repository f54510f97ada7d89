"""The foundation: pages load on both interpreters from our own origin, and the vendored runtime is what we pinned."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from drive import open_harness

ROOT = Path(__file__).resolve().parents[2]
CDN = re.compile(r"cdn\.|jsdelivr|unpkg|pyscript\.net")


def test_index_page_runs_python_on_micropython(page, site, looker):
    page.goto(site.origin + "/")
    page.wait_for_selector("#sign-in")  # rendered by Python
    assert page.evaluate("document.querySelector('script[type=module]').src.endsWith('/boot.js')")
    # its Python is described as PyScript reads it, and the lean loader took it out of PyScript's sight
    assert page.evaluate("document.querySelector('script[config]').getAttribute('config')") == "./pyscript.toml"
    assert page.evaluate("document.querySelector('script[config]').type") == "text/x-looker-pkce-mpy"
    assert page.evaluate("!performance.getEntriesByType('resource').some((e) => e.name.includes('/pyscript/'))")
    assert "MicroPython" not in page.inner_text("main")  # the boot message was replaced


@pytest.mark.parametrize("interp", ["mpy", "py"])
def test_library_page_runs_python(page, site, looker, interp):
    assert open_harness(page, site, interp) == {"signed_in": False, "interpreter": interp}


def test_vendored_files_match_the_manifest():
    manifest = json.loads((ROOT / "static/vendor/manifest.json").read_text())
    names = {entry["name"] for entry in manifest}
    assert {"@pyscript/core", "pyodide", "@micropython/micropython-webassembly-pyscript", "looker_sdk"} <= names
    for entry in manifest:
        assert hashlib.sha256((ROOT / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], entry["file"]
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for entry in manifest:
        if entry["name"].startswith("@") or entry["name"] in ("pyodide", "chart.js"):
            assert lock["node_modules/" + entry["name"]]["version"] == entry["version"]


def test_nothing_the_page_loads_names_a_cdn():
    files = [ROOT / "index.html", ROOT / "pyscript.toml", ROOT / "pyscript-pyodide.toml", *ROOT.glob("py/**/*.py"),
             *ROOT.glob("static/*.*")]
    hits = [str(f.relative_to(ROOT)) for f in files if CDN.search(f.read_text(errors="replace"))]
    assert hits == []


def test_pyscript_configs_are_generated_from_imports():
    """[files] (and the lean loader's modules image) list what the entries import, transitively:
    a new library module needs no list edited."""
    from looker_pkce.cli.pages import files_table, imported_modules, module_destination

    def listed(toml):
        return {dest.removeprefix("./") for _, dest in files_table(ROOT / toml)}

    app = {module_destination(name, path).removeprefix("./")  # what index.html's pyscript.romfs holds
           for name, path in imported_modules([ROOT / "py/app/start.py"]).items()}
    assert app == listed("pyscript.toml")
    assert {"app/main.py", "app/shell.py", "looker_pkce/driver/client.py", "looker_pkce/browser/components.py"} <= app
    assert not {name for name in app if name.startswith("looker_pkce/cli/")}  # the host-side CLI stays out
    assert "looker_pkce/sdk/__init__.py" not in app and "app/sdk_runner.py" not in app  # the console starts Pyodide for it
    assert {"looker_pkce/sdk/__init__.py", "looker_pkce/sdk/wheels.py", "app/config.py"} <= listed("pyscript-pyodide.toml")
    for interp in ("py", "mpy"):
        assert {"looker_pkce/sdk/sync.py", "looker_pkce/browser/__init__.py"} <= listed(f"tests/pages/harness-{interp}.toml")


def test_page_has_a_content_security_policy():
    html = (ROOT / "index.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    connect = re.search(r"connect-src ([^;]+)", policy).group(1).split()
    assert connect[0] == "'self'" and all(src.startswith("http://127.0.0.1:") for src in connect[1:])
