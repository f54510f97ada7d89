"""Scaffold a small working page: sign in to Looker, one query shown as a table and a chart.

Writes index.html, main.py, pyscript.toml (its [files] generated from what main.py
imports), looker.json, the library modules main.py needs (looker_pkce/) and only the
runtime the page loads (vendor/): MicroPython by default (about 0.8 MB, carried by the
wheel), started by the lean loader (looker_pkce/assets/boot.js); PyScript's core.js with
--pyscript; Pyodide with --pyodide (13 MB more; not in the wheel: --runtime-from a folder
laid out like a checkout's static/vendor/). The page describes its Python in PyScript's
form either way: `<script type="mpy" src="./main.py" config="./pyscript.toml">`, and the
loader's tag is the one line that differs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import arguments, settings
from .errors import CommandError
from .pages import LIBRARY, files_table, imported_modules, read_config, references, render_config, with_csp
from .runtime import INTERPRETERS, PACKAGED, runtime_files

TEMPLATE = Path(__file__).resolve().parent / "template"
LOCAL_LOOKER = {"api_url": "http://127.0.0.1:19999", "client_id": "my-page"}
DISCOVERY_TIMEOUT = 5.0  # seconds to wait for the API server's /versions
NO_PACKAGED_PYODIDE = ("--pyodide needs --runtime-from FOLDER: the looker-pkce package ships MicroPython's runtime only "
                       "(Pyodide is 13 MB more). FOLDER is laid out like static/vendor/ in a looker-pkce checkout after "
                       "`make setup` (pyscript/, pyodide/, chartjs/): pass --runtime-from CHECKOUT/static/vendor")


# How index.html starts its Python: the entry as PyScript reads it, then the loader, PyScript's core.js or
# the lean loader (which the build gives one modules image of what main.py imports, compiled).
ENTRY = '<script type="{kind}" src="./main.py" config="./pyscript.toml"></script>\n'
LOADERS = {"pyscript": '<script type="module" src="./vendor/pyscript/core.js"></script>',
           "lean": '<script type="module" src="./looker_pkce/assets/boot.js"></script>'}


def add_arguments(parser) -> None:
    parser.add_argument("dir", type=Path, metavar="DIR", help="a new (or empty) folder for the page")
    parser.add_argument("--pyodide", action="store_true", help="run on Pyodide (CPython) instead of MicroPython; "
                        "needs --runtime-from (the package carries no Pyodide)")
    parser.add_argument("--api-url", type=arguments.looker_url, default=LOCAL_LOOKER["api_url"],
                        help="Looker's API Host URL, as Admin › API shows it (default: the local Looker)")
    parser.add_argument("--ui-url", type=arguments.looker_url,
                        help="Looker's UI URL (default: the web_server_url the API server's /versions announces)")
    parser.add_argument("--client-id", type=arguments.client_id, default=LOCAL_LOOKER["client_id"],
                        help="the OAuth client app's id (default my-page)")
    parser.add_argument("--pyscript", action="store_true", help="start MicroPython through PyScript's core.js "
                        "instead of the lean loader (assets/boot.js, the default: it starts about twice as fast); for "
                        "PyScript's own features (py-editor, py-terminal, workers, the pyscript module)")
    parser.add_argument("--runtime-from", type=Path,
                        help="a folder laid out like static/vendor/ (default: the package's own, MicroPython only)")


def run(args) -> int:
    page: Path = args.dir
    blocking = next((p for p in (page, *page.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise CommandError(f"{blocking} is a file, not a folder: pass a new folder for the page")
    if page.exists() and any(page.iterdir()):
        raise CommandError(f"{page} is not empty: pick a new folder")
    if args.pyodide and args.runtime_from is None:
        raise CommandError(NO_PACKAGED_PYODIDE)
    kind = "py" if args.pyodide else "mpy"
    loader = "pyscript" if args.pyscript or args.pyodide else "lean"  # Pyodide pages use PyScript
    source = args.runtime_from or PACKAGED
    runtime = runtime_files(source, [kind], pyscript=loader == "pyscript")  # fails before writing anything
    values = {"api_url": args.api_url.rstrip("/"), "ui_url": (args.ui_url or ui_url(args.api_url)).rstrip("/"),
              "client_id": args.client_id}
    page.mkdir(parents=True, exist_ok=True)

    for name in runtime:
        copy(source / name, page / "vendor" / name)
    shutil.copyfile(TEMPLATE / "main.py", page / "main.py")
    for path in imported_modules([page / "main.py"]).values():
        copy(path, page / path.relative_to(LIBRARY.parent))
    html = (TEMPLATE / "index.html").read_text()
    html = html.replace("__PYTHON__", ENTRY.format(kind=kind) + LOADERS[loader])
    for ref in references(html):  # the library's scripts and styles the page names
        if ref.value.startswith("./looker_pkce/assets/"):
            copy(LIBRARY.parent / ref.value[2:], page / ref.value[2:])

    (page / "looker.json").write_text(json.dumps(values, indent=2) + "\n")
    folder, names = INTERPRETERS[kind]
    toml = page / "pyscript.toml"
    toml.write_text(render_config({"interpreter": f"./vendor/{folder}/{names[0]}",
                                   "looker_pkce": {"entries": ["./main.py"]}}, []))
    toml.write_text(render_config(read_config(toml), files_table(toml)))
    (page / "index.html").write_text(with_csp(html, values))

    size = sum(p.stat().st_size for p in page.rglob("*") if p.is_file())
    started = "PyScript" if loader == "pyscript" else "the lean loader"
    print(f"wrote {page}/ ({size / 1e6:.2f} MB, {'Pyodide' if args.pyodide else 'MicroPython'} through {started})\n"
          f"next: looker-pkce register PAGE_URL --client-id {args.client_id} --page {page}\n"
          f"      looker-pkce build {page} && looker-pkce serve {page}/dist")
    return 0


def ui_url(api_url: str) -> str:
    """The UI URL the API server announces: the page's CSP must allow that host before the page runs."""
    local = api_url.rstrip("/") == LOCAL_LOOKER["api_url"]
    fix = ("pass your Looker's --api-url and --ui-url" if local else "pass --ui-url") + (
        " (or start the local Looker first: `make demo` in a looker-pkce checkout)" if local else "")
    return settings.ui_url(api_url, fix, timeout=DISCOVERY_TIMEOUT)


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
