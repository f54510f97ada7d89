"""A static page as the command line sees it: its HTML, its PyScript configs, the Python
modules each config's entry scripts import, and the Content-Security-Policy for its Looker.

Pure functions over files; nothing here touches the network.

A page's PyScript config (`pyscript.toml`) names its entry scripts, relative to the toml:

    interpreter = "./vendor/micropython/micropython.mjs"
    [looker_pkce]
    entries = ["./main.py"]

and `[files]` is generated from what those scripts import (the page's own packages first,
then the installed `looker_pkce`), never kept by hand. The page runs them as PyScript reads
them, `<script type="mpy" src="./main.py" config="./pyscript.toml">`, started by PyScript's
core.js or by the lean loader (assets/boot.js), which reads the same config and, where the
development server or the build name one (`[looker_pkce] modules`), mounts the modules image
(`<config>.romfs`: the same modules, compiled) instead of fetching [files].
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import looker_pkce
from looker_pkce.core.compat import origin_of

LIBRARY = Path(looker_pkce.__file__).resolve().parent
HOST_ONLY = ("looker_pkce.cli",)  # the command line: never loaded by a browser

GUARD = "guard.js"  # assets/guard.js: Trusted Types policies, late Python refused
LEAN_LOADER = "boot.js"  # assets/boot.js: MicroPython without PyScript, reading the page as PyScript does
OLD_LEAN_ATTRIBUTES = ("data-interpreter", "data-modules", "data-main")  # boot.js's tag before the PyScript form
GUARD_POLICIES = ("default", "looker-pkce")  # the policies it creates
CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")')
# What PyScript needs: 'unsafe-eval' and 'wasm-unsafe-eval' for the interpreters.
CSP_BASE = [
    ("default-src", ["'self'"]),
    ("script-src", ["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]),
    ("style-src", ["'self'", "'unsafe-inline'"]),
    ("img-src", ["'self'", "data:", "blob:"]),
    ("font-src", ["'self'"]),
    ("worker-src", ["'self'", "blob:"]),
    ("object-src", ["'none'"]),
    ("base-uri", ["'self'"]),
    ("form-action", ["'self'"]),
    ("connect-src", ["'self'"]),
]


def looker_hosts(config: dict) -> list[str]:
    """The origins a page talks to for this looker.json: the UI host (sign-in, /versions) and the API host."""
    return sorted({origin_of(config[key]) for key in ("ui_url", "api_url") if config.get(key)} - {""})


def csp(config: dict, script_hashes: list[str] = (), frame_ancestors: bool = False,
        trusted_types: bool = False) -> str:
    """The page's policy: scripts and connections only to itself and the Looker hosts in `config`.

    `trusted_types` (pages that load the page guard, assets/guard.js): HTML and script sinks
    take only what the guard's two policies make.
    """
    directives = []
    for name, sources in CSP_BASE:
        extra = looker_hosts(config) if name == "connect-src" else list(script_hashes) if name == "script-src" else []
        directives.append(" ".join([name, *sources, *extra]))
    if trusted_types:
        directives += ["require-trusted-types-for 'script'", "trusted-types " + " ".join(GUARD_POLICIES)]
    if frame_ancestors:  # only as a header: browsers ignore it in a <meta> tag
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def loads_guard(html: str) -> bool:
    """Does the page load the page guard (its first script, assets/guard.js)?"""
    return any(ref.tag == "script" and ref.attr == "src" and ref.value.endswith("/" + GUARD)
               for ref in references(html))


def with_csp(html: str, config: dict, script_hashes: list[str] = ()) -> str:
    """`html` with its CSP <meta> tag rewritten for `config`'s Looker hosts."""
    if not CSP_META.search(html):
        raise ValueError('the page has no <meta http-equiv="Content-Security-Policy" content="..."> to fill in')
    policy = csp(config, script_hashes, trusted_types=loads_guard(html))
    return CSP_META.sub(lambda m: m.group(1) + policy + m.group(3), html, count=1)


def page_csp(html: str) -> str | None:
    found = CSP_META.search(html)
    return found.group(2) if found else None


# ---- the HTML: which scripts, styles and PyScript configs the page names ----

@dataclass
class Reference:
    tag: str
    attr: str
    value: str
    attrs: dict


@dataclass
class Interpreter:
    """One PyScript config of the page: its interpreter kind and the scripts it runs."""

    kind: str  # "mpy" | "py"
    config: str  # URL of the toml, relative to the page
    entries: list[str] = field(default_factory=list)  # URLs relative to the page


class _Scanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attr in ("src", "href", "config"):
            if attrs.get(attr):
                self.references.append(Reference(tag, attr, attrs[attr], attrs))


def references(html: str) -> list[Reference]:
    """Every src/href/config the page names (inside <template> too), in document order."""
    scanner = _Scanner()
    scanner.feed(html)
    return scanner.references


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith("#") and bool(parts.path)


def interpreters(html: str) -> list[Interpreter]:
    """The page's PyScript configs: <script type="mpy|py" config=...> and <py-config src=...>."""
    found: dict[str, Interpreter] = {}
    for ref in references(html):
        if ref.tag == "script" and ref.attrs.get("type") in ("mpy", "py") and ref.attr == "config":
            found.setdefault(ref.value, Interpreter(ref.attrs["type"], ref.value))
            if ref.attrs.get("src"):
                found[ref.value].entries.append(ref.attrs["src"])
        elif ref.tag in ("py-config", "mpy-config") and ref.attr == "src":
            found.setdefault(ref.value, Interpreter("py" if ref.tag == "py-config" else "mpy", ref.value))
    return list(found.values())


def loads_lean_loader(html: str) -> bool:
    """Does the page start its MicroPython through assets/boot.js (instead of PyScript's core.js)?

    A page in the form boot.js read before (its Python in data-* attributes on boot.js's tag) is refused
    with the way to move it: its published builds keep working (they carry that boot.js), but this
    library's boot.js reads the PyScript form only."""
    found = False
    for ref in references(html):
        if ref.tag == "script" and ref.attr == "src" and ref.value.rsplit("/", 1)[-1] == LEAN_LOADER:
            if any(name in ref.attrs for name in OLD_LEAN_ATTRIBUTES):
                raise ValueError(old_form_help(ref.attrs))
            found = True
    return found


def old_form_help(attrs: dict) -> str:
    main = attrs.get("data-main", "./main.py")
    keep = (attrs.get("data-keep") or "").split()
    lines = [f"interpreter = {json.dumps(attrs.get('data-interpreter', './vendor/micropython/micropython.mjs'))}",
             "[looker_pkce]", f"entries = {json.dumps([main])}"]
    lines += [f"keep = {json.dumps(keep)}"] if keep else []
    lines += [f"pyscript = {json.dumps(attrs['data-pyscript'])}"] if attrs.get("data-pyscript") else []
    return ("boot.js's tag describes the page's Python in data-* attributes, the form before PyScript's: boot.js now "
            "reads PyScript's own. Move the page (a build made before keeps working as it is):\n"
            "  1. write pyscript.toml beside index.html (paths relative to it):\n     " + "\n     ".join(lines) + "\n"
            f'  2. in index.html, before boot.js\'s tag: <script type="mpy" src="{main}" config="./pyscript.toml"></script>\n'
            '  3. boot.js\'s tag without its data-* attributes: <script type="module" async src=".../boot.js"></script>\n'
            "  4. copy this version's looker_pkce/assets/boot.js (and guard.js) over the page's own copies")


def modules_image(config_url: str) -> str:
    """The URL of the lean loader's modules image for a config: beside it, named after it."""
    return re.sub(r"\.toml$", "", config_url) + ".romfs"


def local_file(url: str, page_folder: Path, site_root: Path) -> Path:
    """The file a page's local URL names: from the site's root when it starts with /, else from the page's folder."""
    return site_root / url.lstrip("/") if url.startswith("/") else page_folder / url


def beside(url: str, relative: str) -> str:
    """`relative` (a path in the file at `url`, relative to it) as a URL relative to the page, like `url`."""
    if relative.startswith("/"):
        return relative
    return (url.rsplit("/", 1)[0] + "/" if "/" in url else "") + relative.removeprefix("./")


def with_preloads(html: str, page_folder: Path, site_root: Path | None = None) -> str:
    """Hints for what the lean loader fetches, put after its script: the browser fetches them with the
    page, so neither the config nor anything it names waits for boot.js to run (a round trip less on a
    first visit, and reading the config costs no time): the config, the interpreter module and its
    wasm, the modules image and each entry."""
    if not loads_lean_loader(html):
        return html
    site_root = site_root or page_folder
    links = []
    for interp in interpreters(html):
        if interp.kind != "mpy":
            continue
        toml = local_file(interp.config, page_folder, site_root)
        interpreter = read_config(toml).get("interpreter", "") if toml.is_file() else ""
        if interpreter:
            module = beside(interp.config, interpreter)
            links.append(f'<link rel="modulepreload" href="{module}">')
        fetched = [interp.config, *([beside(module, "micropython.wasm")] if interpreter else []),
                   modules_image(interp.config), *interp.entries]
        links += [f'<link rel="preload" as="fetch" crossorigin href="{url}">' for url in fetched]
    tag = re.search(r'<script\b[^>]*\bsrc="[^"]*/' + LEAN_LOADER + r'"[^>]*></script>', html)
    if tag and links and links[0] not in html:  # after it: boot.js itself is asked for first
        html = html[:tag.end()] + "\n" + "\n".join(links) + html[tag.end():]
    return html


# ---- Python: which modules a script imports, and the [files] table ----

def imported_names(path: Path, package: str) -> set[str]:
    """Dotted names a module imports anywhere (lazy imports too: they may run)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            if stem:
                names.add(stem)
                names.update(stem + "." + alias.name for alias in node.names)
    return names


def _package_root(script: Path) -> tuple[Path, str]:
    """(the folder imports resolve from, the script's package) for a script inside or beside packages."""
    folder, package = script.parent, []
    while (folder / "__init__.py").exists():
        package.insert(0, folder.name)
        folder = folder.parent
    return folder, ".".join(package)


def _module_file(name: str, roots: list[Path]) -> Path | None:
    relative = Path(*name.split("."))
    for root in roots:
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def imported_modules(entries: list[Path]) -> dict[str, Path]:
    """{dotted name: file} of every local module the entry scripts need, parents' __init__ included.

    Local means the entries' own packages, then the installed looker_pkce (its command line never).
    """
    roots, queue = [], []
    for entry in entries:
        root, package = _package_root(entry)
        if root not in roots:
            roots.append(root)
        queue.extend(imported_names(entry, package))
    roots.append(LIBRARY.parent)
    found: dict[str, Path] = {}
    while queue:
        name = queue.pop()
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):
            dotted = ".".join(parts[:depth])
            if dotted in found or any(dotted == h or dotted.startswith(h + ".") for h in HOST_ONLY):
                continue
            path = _module_file(dotted, roots)
            if path is None:
                break  # stdlib, js, pyscript, or a name inside a module
            found[dotted] = path
            package = dotted if path.name == "__init__.py" else ".".join(parts[: depth - 1])
            queue.extend(imported_names(path, package))
    return dict(sorted(found.items()))


def module_destination(name: str, path: Path) -> str:
    """Where PyScript puts a module in the interpreter's file system (relative to its cwd)."""
    parts = name.split(".")
    return "./" + "/".join(parts + ["__init__.py"] if path.name == "__init__.py" else parts[:-1] + [path.name])


def read_config(toml_path: Path) -> dict:
    data = tomllib.loads(toml_path.read_text())
    data.pop("files", None)
    return data


def config_entries(toml_path: Path) -> list[Path]:
    data = tomllib.loads(toml_path.read_text())
    entries = data.get("looker_pkce", {}).get("entries")
    if not entries:
        raise ValueError(f"{toml_path}: add [looker_pkce] entries = [\"./main.py\"] (the scripts this config runs)")
    return [(toml_path.parent / entry).resolve() for entry in entries]


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string is a JSON string for what we write
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a PyScript config")


def render_config(config: dict, files: list[tuple[str, str]] | None) -> str:
    """A PyScript toml: plain keys, then tables, then the generated [files] (source URL -> destination;
    None: the lean loader's modules image, [looker_pkce] modules, holds them instead)."""
    lines = ["# [files] is generated by looker-pkce from what the entries import; do not edit it by hand." if files is not None
             else "# written by looker-pkce build: [looker_pkce] modules, the lean loader's, holds what the entries import"]
    tables = [(k, v) for k, v in config.items() if isinstance(v, dict)]
    lines += [f"{key} = {_toml_value(value)}" for key, value in config.items() if not isinstance(value, dict)]
    for name, table in tables:
        lines += ["", f"[{name}]"] + [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    if files is not None:
        lines += ["", "[files]"] + [f"{_toml_value(src)} = {_toml_value(dest)}" for src, dest in files]
    return "\n".join(lines) + "\n"


def relative_url(target: Path, base_folder: Path) -> str:
    """`target` as a URL relative to `base_folder` ("./x" or "../x")."""
    import os

    path = os.path.relpath(target, base_folder).replace(os.sep, "/")
    return path if path.startswith("../") else "./" + path


def files_table(toml_path: Path, url_for=None) -> list[tuple[str, str]]:
    """[files] for a config: (URL of each module's file, where it goes). `url_for(path)` defaults to
    the file relative to the toml (library modules outside the page need a server that maps them)."""
    url_for = url_for or (lambda path: relative_url(path, toml_path.parent))
    modules = imported_modules(config_entries(toml_path))
    return [(url_for(path), module_destination(name, path)) for name, path in modules.items()]
