"""Scaffold a small working page: sign in to Looker, one query shown as a table and a chart; with
--dashboard ID (or --look ID), that dashboard (or Look) for whoever signs in.

Writes index.html, main.py, theme.css (the page's look: the components' CSS custom properties),
pyscript.toml (its [files] generated from what main.py imports), looker.json, the library modules
main.py needs (looker_pkce/) and only the runtime the page loads (vendor/): MicroPython by default
(about 0.8 MB, carried by the wheel), started by the lean loader (looker_pkce/assets/boot.js);
PyScript's core.js with --pyscript; Pyodide with --pyodide (13 MB more; not in the wheel: --runtime-
from a folder laid out like a checkout's static/vendor/). The page describes its Python in
PyScript's form either way: `<script type="mpy" src="./main.py" config="./pyscript.toml">`, and the
loader's tag is the one line that differs.

--dashboard and --look read the dashboard (or Look) with the publisher's admin API credentials, as
`register` does (looker.ini / LOOKERSDK_*): it must exist, its title becomes the page's, and
dashboard.toml lists its tiles by id for the page's overrides (core/overrides.py). Nothing else of
it is written: the page reads the rest from Looker once the visitor signs in.
"""

from __future__ import annotations

import html as html_text
import json
import shutil
import urllib.parse
from pathlib import Path

from . import arguments, settings
from .admin import Admin, add_credential_arguments, credentials
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
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--dashboard", type=arguments.content_id, metavar="ID",
                       help="a page showing this Looker dashboard to whoever signs in (reads it with the admin API "
                       "credentials, as register does)")
    shown.add_argument("--look", type=arguments.content_id, metavar="ID", help="the same for a Look")
    add_credential_arguments(parser)


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
    kind_shown = "dashboard" if args.dashboard else "look" if args.look else None
    template = TEMPLATE / "board" if kind_shown else TEMPLATE
    title, overrides_file = "Looker data", None
    if kind_shown:  # asked before anything is written
        title, overrides_file = content(kind_shown, args.dashboard or args.look, args.ini, args.section)
    page.mkdir(parents=True, exist_ok=True)

    for name in runtime:
        copy(source / name, page / "vendor" / name)
    shutil.copyfile(template / "main.py", page / "main.py")
    shutil.copyfile(TEMPLATE / THEME, page / THEME)
    for path in imported_modules([page / "main.py"]).values():
        copy(path, page / path.relative_to(LIBRARY.parent))
    html = (template / "index.html").read_text().replace("__TITLE__", html_text.escape(title))
    html = html.replace("__PYTHON__", ENTRY.format(kind=kind) + LOADERS[loader])
    for ref in references(html):  # the library's scripts and styles the page names
        if ref.value.startswith("./looker_pkce/assets/"):
            copy(LIBRARY.parent / ref.value[2:], page / ref.value[2:])

    (page / "looker.json").write_text(json.dumps(values, indent=2) + "\n")
    if overrides_file is not None:
        (page / OVERRIDES).write_text(overrides_file)
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
          f"      looker-pkce build {page} && looker-pkce serve {page}/dist"
          + (f"\n      edit {page}/{OVERRIDES} (tile order, titles, hidden tiles, styles), then build again"
             if overrides_file else ""))
    return 0


THEME = "theme.css"  # the page's custom properties (components.css lists them), loaded after the components'
OVERRIDES = "dashboard.toml"  # the page's overrides; `build` checks it and publishes it as dashboard.json


def content(kind: str, content_id: str, ini: str, section: str) -> tuple[str, str]:
    """(the dashboard's or Look's title, the page's dashboard.toml), read with the admin API credentials."""
    creds = credentials(ini, section)
    if creds is None:
        raise CommandError(f"--{kind} reads the {kind} with your Looker admin API credentials, as register does: set "
                           "LOOKERSDK_BASE_URL, LOOKERSDK_CLIENT_ID and LOOKERSDK_CLIENT_SECRET (or a looker.ini)")
    path = ("dashboards/" if kind == "dashboard" else "looks/") + urllib.parse.quote(content_id, safe="")
    fields = "id,title,dashboard_elements" if kind == "dashboard" else "id,title"
    answer = Admin(creds).call("GET", path + "?fields=" + fields)
    if answer.status == 404:
        raise CommandError(f"Looker at {creds['base_url']} has no {kind} {content_id} (or these credentials may not "
                           f"see it): pass the id as Looker's URL shows it, e.g. /{kind}s/1")
    if answer.status != 200:
        raise CommandError(f"GET /api/4.0/{path} answered {answer.status}: {answer.text[:300]}")
    found = answer.json()
    title = str(found.get("title") or f"{kind.title()} {content_id}")
    tiles = [(str(e.get("id")), str(e.get("title") or e.get("title_text") or e.get("type") or ""))
             for e in found.get("dashboard_elements") or []]
    return title, overrides_toml(kind, content_id, title, tiles)


def overrides_toml(kind: str, content_id: str, title: str, tiles: list[tuple[str, str]]) -> str:
    """The page's dashboard.toml: the id, and every override commented out, with the tiles by id."""
    listed = "".join(f"#   {tile_id}: {name}\n" for tile_id, name in tiles)
    example = tiles[0][0] if tiles else "1"
    return (f"# What this page changes of Looker's {kind} “{title}”, by id; see the looker-pkce README,\n"
            "# “A dashboard as a page”. Everything else (queries, fields, filters) is read from Looker once the\n"
            "# visitor signs in. `looker-pkce build` checks this file and publishes it as dashboard.json.\n"
            f"{kind} = {json.dumps(content_id)}\n"
            + (f"# its tiles (id: title):\n{listed}" if tiles else "")
            + "\n# order = [" + json.dumps(example) + "]        # these tiles first; the others follow in Looker's order\n"
            "# hidden = []                # tiles this page leaves out\n"
            "# [titles]\n"
            f"# {json.dumps(example)} = \"A title for this page\"\n"
            f"# [styles.{json.dumps(example)}]\n"
            "# \"--tile-accent\" = \"#8a3b00\"   # CSS custom properties on the tile (components.css)\n")


def ui_url(api_url: str) -> str:
    """The UI URL the API server announces: the page's CSP must allow that host before the page runs."""
    local = api_url.rstrip("/") == LOCAL_LOOKER["api_url"]
    fix = ("pass your Looker's --api-url and --ui-url" if local else "pass --ui-url") + (
        " (or start the local Looker first: `make demo` in a looker-pkce checkout)" if local else "")
    return settings.ui_url(api_url, fix, timeout=DISCOVERY_TIMEOUT)


def copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
