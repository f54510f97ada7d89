"""Install the pinned pure-Python wheels on first use (Pyodide), from the page's own origin.

Pages that never touch the official SDK never download or unpack it.
"""

import io
import json
import sys
import zipfile

import js

_installed: "set[str]" = set()


def _site_packages() -> str:
    return next(p for p in sys.path if p.endswith("site-packages"))


async def install(names: "list[str]", vendor_url: str = "./static/vendor/") -> None:
    """Fetch and unpack the named wheels (as listed in the vendor manifest), once per page."""
    wanted = [n for n in names if n not in _installed]
    if not wanted:
        return
    base = str(js.URL.new(vendor_url, js.document.baseURI).href)
    manifest = json.loads(await (await js.fetch(base + "manifest.json")).text())
    files = {entry["name"]: entry["file"] for entry in manifest if entry["file"].endswith(".whl")}
    missing = [n for n in wanted if n not in files]
    if missing:
        raise ImportError("not vendored: " + ", ".join(missing) + " (add them to requirements-browser.txt)")
    target = _site_packages()
    for name in wanted:
        answer = await js.fetch(base + files[name].split("static/vendor/", 1)[1])
        data = (await answer.arrayBuffer()).to_py().tobytes()
        with zipfile.ZipFile(io.BytesIO(data)) as wheel:
            # looker_sdk's wheel ships a stray top-level tests/ package: keep it out of site-packages
            wheel.extractall(target, [m for m in wheel.namelist() if not m.startswith("tests/")])
        _installed.add(name)
    import importlib

    importlib.invalidate_caches()


SDK_WHEELS = ["looker_sdk", "attrs", "cattrs", "typing_extensions", "requests", "urllib3", "idna", "certifi",
              "charset_normalizer"]
SYNC_WHEELS = SDK_WHEELS + ["pyodide_http"]
