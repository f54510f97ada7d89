"""Build a deployable static site from a page folder (index.html, its PyScript configs, looker.json).

Only the files the page loads: the modules its entries import (generated [files]; for the lean
loader, assets/boot.js, one modules image of them compiled instead), PyScript's start-up chunks,
the interpreter, the scripts and styles index.html names, plus anything a config lists under
[looker_pkce] keep (loaded on demand by name, copied as is). Every other file goes to
assets/<content hash>/ (cache forever); index.html, looker.json and the configs are revalidated.
The CSP allows exactly the configured Looker hosts (looker.json names the API URL; the UI URL,
when absent, is asked of the API server's /versions now, so it cannot be missing).
Every file the page loads carries Subresource Integrity:
the import map lists them all, scripts, stylesheets and preloads carry it as an attribute, and
the page's inline integrity check (assets/integrity.js) gives each fetch of a listed file its
hash, so PyScript's and the lean loader's own fetches (configs, Python files, wasm) are checked
too. A page's dashboard.toml (`new --dashboard`: what the page changes of a Looker dashboard, by id) is
checked and published as dashboard.json. Each file is precompressed (.gz, .br). Writes _headers, which
Netlify and Cloudflare Pages read as it is (the same headers for nginx, Apache, GitHub Pages and
S3 + CloudFront: docs/PUBLISHING.md in looker-pkce's source, its repository or sdist; not in the
wheel), and prints a size report.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import brotli

from ..core import overrides
from . import romfs
from .errors import CommandError
from .pages import (
    LIBRARY,
    Interpreter,
    config_entries,
    csp,
    imported_modules,
    interpreters,
    is_local,
    loads_guard,
    loads_lean_loader,
    module_destination,
    modules_image,
    read_config,
    references,
    render_config,
    with_csp,
    with_preloads,
)
from .runtime import INTERPRETERS, pyscript_files
from .settings import read as read_settings, ui_url

ASSETS = "assets"
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".toml", ".py", ".wasm", ".romfs", ".txt", ".svg", ".map")
# brotli's best (11) takes ~25 s on Pyodide's 9.6 MB wasm for 12% less than 9 (1.5 s): 9 above this size
BROTLI_BEST_UP_TO = 4_000_000
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")]
ATTRIBUTE = re.compile(r'\b(src|href|config)="([^"]*)"')
INTEGRITY_CHECK = LIBRARY / "assets" / "integrity.js"  # inlined after the import map


def add_arguments(parser) -> None:
    parser.add_argument("dir", type=Path, nargs="?", default=Path("."), metavar="DIR",
                        help="the page's folder, with index.html and looker.json (default .)")
    parser.add_argument("--out", type=Path, help="where the site goes (default DIR/dist)")
    parser.add_argument("--looker", type=Path, metavar="JSON", help="the Looker settings to build for "
                        "(default DIR/looker.json: ui_url, client_id, api_url)")


@dataclass
class Site:
    """The output being assembled: source file -> URL in the site, and what each URL holds."""

    root: Path
    out: Path
    urls: dict = field(default_factory=dict)  # resolved source Path -> site URL ("assets/ab12cd34/x.js")
    groups: dict = field(default_factory=dict)  # source folder -> [files from it]
    verbatim: list = field(default_factory=list)  # (source, site path) copied under their own names

    def add(self, source: Path) -> None:
        source = source.resolve()
        if not source.is_file():
            raise CommandError(f"the page loads {source}, which does not exist")
        self.groups.setdefault(source.parent, [])
        if source not in self.groups[source.parent]:
            self.groups[source.parent].append(source)

    def place(self) -> None:
        """Name every grouped file: assets/<hash of its folder's files>/<name> keeps same-folder imports working."""
        for files in self.groups.values():
            digest = hashlib.sha256()
            for path in sorted(files):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
            for path in files:
                self.urls[path] = f"{ASSETS}/{digest.hexdigest()[:10]}/{path.name}"

    def url(self, source: Path) -> str:
        return self.urls[source.resolve()]


def run(args) -> int:
    root: Path = args.dir.resolve()
    out: Path = (args.out or root / "dist").resolve()
    if not root.is_dir():
        raise CommandError(f"{args.dir}: {'not a folder' if root.exists() else 'no such folder'} "
                           "(pass the page's folder, the one with index.html and looker.json)")
    if not (root / "index.html").is_file():
        raise CommandError(f"{root} has no index.html")
    html = (root / "index.html").read_text()
    try:
        lean = loads_lean_loader(html)
        html = with_preloads(html, root)
    except ValueError as problem:
        raise CommandError(f"index.html: {problem}") from None
    configs = [(interp, (root / interp.config).resolve()) for interp in interpreters(html)]
    for interp, toml in configs:
        if not toml.is_file():
            raise CommandError(f"index.html names the PyScript config {interp.config}, which does not exist")
        if not read_config(toml).get("interpreter"):  # PyScript would fetch its interpreter from a CDN
            raise CommandError(f'{interp.config} names no interpreter: add interpreter = '
                               f'"./vendor/{INTERPRETERS[interp.kind][0]}/{INTERPRETERS[interp.kind][1][0]}"')
    if not configs:
        raise CommandError('index.html names no PyScript config: <script type="mpy" src="./main.py" '
                           'config="./pyscript.toml"></script>, started by PyScript\'s core.js or the lean loader '
                           '(<script type="module" async src="./looker_pkce/assets/boot.js"></script>)')
    if lean and not any(interp.kind == "mpy" for interp, _ in configs):
        raise CommandError('index.html loads boot.js, which runs <script type="mpy" config=...>: the page has none')
    settings = looker_settings(args.looker or root / "looker.json", given=args.looker is not None)  # the page first
    page_overrides(root)  # refused before anything is written
    prepare(out, root)
    site = Site(root, out)
    scratch = Path(tempfile.mkdtemp(prefix="looker-pkce-build-"))
    try:
        return build(site, html, settings, configs, lean, scratch)
    finally:
        shutil.rmtree(scratch)


def build(site: Site, html: str, settings: dict, configs: list, lean: bool, scratch: Path) -> int:
    """Place, rewrite and write everything the page loads (`scratch` holds generated files)."""
    out = site.out
    add_page_assets(site, html, configs)
    modules, images = add_configs(site, configs, lean, scratch)
    site.place()
    for source, url in [*site.urls.items(), *site.verbatim]:
        target = out / url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    toml_urls = {interp.config: write_config(site, interp, toml, modules[toml], images.get(toml))
                 for interp, toml in configs}
    (out / "looker.json").write_text(json.dumps(settings, indent=2) + "\n")
    shown = page_overrides(site.root)
    if shown is not None:
        (out / OVERRIDES_JSON).write_text(json.dumps(shown, indent=2, sort_keys=True) + "\n")
    generated = {**toml_urls, **{modules_image(interp.config): site.url(images[toml])
                                 for interp, toml in configs if toml in images}}
    page, inline_hashes = write_page(site, html, settings, generated)
    policy = csp(settings, inline_hashes, frame_ancestors=True, trusted_types=loads_guard(page))
    published = ["/looker.json"] + (["/" + OVERRIDES_JSON] if shown is not None else [])
    revalidated = ["/", "/index.html", *published, *("/" + url for url in toml_urls.values()),
                   *("/" + url for _, url in site.verbatim)]
    (out / "_headers").write_text(headers_file(policy, revalidated))
    compress(out)
    print(report(out, settings))
    return 0


def add_page_assets(site: Site, html: str, configs: list) -> None:
    """The local scripts and styles index.html names (PyScript's entries too); generated files are written later,
    and so are the files the build publishes beside index.html (a preload of looker.json keeps its URL)."""
    generated_urls = {interp.config for interp, _ in configs} | {modules_image(interp.config) for interp, _ in configs}
    for ref in references(html):
        if ref.value in generated_urls or ref.value.removeprefix("./") in PUBLISHED:
            continue
        if ref.attr in ("src", "href") and ref.tag in ("script", "link") and is_local(ref.value):
            site.add(site.root / ref.value)
            if ref.value.endswith("/core.js"):
                add_pyscript(site, site.root / ref.value)


def add_configs(site: Site, configs: list, lean: bool, scratch: Path) -> tuple[dict, dict]:
    """What each PyScript config loads: its modules (or, lean, their image), interpreter, PyScript, kept files.
    Returns ({config: {module: path}}, {config: the lean loader's modules image})."""
    modules, images = {}, {}
    for interp, toml in configs:
        config = read_config(toml)
        modules[toml] = imported_modules(config_entries(toml))
        if lean and interp.kind == "mpy":
            images[toml] = scratch / f"{len(images)}" / Path(modules_image(interp.config)).name
            images[toml].parent.mkdir()
            images[toml].write_bytes(romfs.image(config_entries(toml)))
            site.add(images[toml])
        else:
            for path in modules[toml].values():
                site.add(path)
        interpreter = (toml.parent / config["interpreter"]).resolve()
        for name in INTERPRETERS[interp.kind][1]:
            site.add(interpreter.parent / name)
        options = config.get("looker_pkce", {})
        if options.get("pyscript"):
            add_pyscript(site, toml.parent / options["pyscript"])
        for kept in options.get("keep", []):
            keep(site, toml.parent / kept)
    return modules, images


def write_page(site: Site, html: str, settings: dict, generated: dict) -> tuple[str, list[str]]:
    """index.html rewritten to the build's URLs, with the integrity of every file it loads (an import map and
    its check, inline) and its CSP; returns the page and the inline scripts' CSP hashes."""
    out = site.out
    integrity = {path.relative_to(out).as_posix(): sri(path) for path in sorted(out.rglob("*")) if path.is_file()}
    import_map = json.dumps({"integrity": {"./" + url: value for url, value in integrity.items()}},
                            separators=(",", ":"))
    check = "\n".join(line for line in INTEGRITY_CHECK.read_text().splitlines() if not line.startswith("//"))
    inline = [f'<script type="importmap">{import_map}</script>', f"<script>{check}</script>"]
    inline_hashes = ["'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"
                     for text in (import_map, check)]
    page = rewrite_html(html, site, generated, integrity)
    page = with_csp(page, settings, inline_hashes)
    page = page.replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\">\n" + "\n".join(inline), 1) \
        if '<meta charset="utf-8">' in page else "\n".join(inline) + page
    if page.index("importmap") > page.index('type="module"'):
        raise CommandError('index.html: put <meta charset="utf-8"> before the first module script')
    (out / "index.html").write_text(page)
    return page, inline_hashes


OVERRIDES_TOML, OVERRIDES_JSON = "dashboard.toml", "dashboard.json"
PUBLISHED = ("looker.json", OVERRIDES_JSON)  # written beside index.html by the build, revalidated


def page_overrides(root: Path) -> dict | None:
    """The page's dashboard.toml, checked (core/overrides.py), or None when the page has none."""
    path = root / OVERRIDES_TOML
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as problem:
        raise CommandError(f"{path}: not TOML: {problem}") from None
    found = overrides.problems(data)
    if found:
        raise CommandError(f"{path}: " + "; ".join(found))
    return data


def add_pyscript(site: Site, core: Path) -> None:
    """PyScript's core.js and the chunks it imports at start-up."""
    folder = core.resolve().parent
    for name in pyscript_files(folder):
        site.add(folder / name)


def looker_settings(path: Path, given: bool = False) -> dict:
    """looker.json (or the file --looker names), with the UI URL asked of the API server when it is not there."""
    if not path.is_file() and given:
        raise CommandError(f"--looker {path}: no such file: name an existing settings file (api_url, ui_url, "
                           "client_id), or leave --looker out to use DIR/looker.json")
    if not path.is_file():
        raise CommandError(f"{path} is missing: `looker-pkce register PAGE_URL --client-id ID --page DIR` writes it")
    settings = read_settings(path)
    for key in ("ui_url", "client_id", "api_url"):
        if key in settings and not isinstance(settings[key], str):
            raise CommandError(f"{path}: {key} is {json.dumps(settings[key])}, not a string")
    if not settings.get("client_id"):
        raise CommandError(f"{path} has no client_id")
    if not settings.get("api_url"):  # a looker.json from before the API URL came first
        raise CommandError(f"{path} has no api_url: add Looker's API Host URL as Admin › API shows it "
                           f"(e.g. \"api_url\": \"https://you.looker.com:19999\"), or run `looker-pkce register "
                           f"PAGE_URL --client-id ID --page DIR`, which writes it. Pages no longer ask the UI host.")
    settings["api_url"] = settings["api_url"].rstrip("/")
    if not settings.get("ui_url"):
        settings["ui_url"] = ui_url(settings["api_url"], f"set ui_url in {path}")
    settings["ui_url"] = settings["ui_url"].rstrip("/")
    return settings


def prepare(out: Path, root: Path) -> None:
    if out == root or root.is_relative_to(out):
        raise CommandError(f"--out {out} would overwrite the page's own files")
    if out.exists():
        if any(out.iterdir()) and not (out / "_headers").exists():
            raise CommandError(f"{out} exists and is not a previous build: pick another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)


def keep(site: Site, source: Path) -> None:
    """A file or folder the page loads by its own name at run time: same path in the site."""
    source = source.resolve()
    files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
    if not files:
        raise CommandError(f"[looker_pkce] keep names {source}, which does not exist")
    for path in files:
        site.verbatim.append((path, path.relative_to(site.root).as_posix()))


def write_config(site: Site, interp: Interpreter, toml: Path, modules: dict, image: Path | None) -> str:
    """The config as built: its interpreter placed, and [files] generated; or, for the lean loader,
    the modules image instead ([looker_pkce] modules). Returns its name in the site."""
    config = read_config(toml)
    interpreter = (toml.parent / config["interpreter"]).resolve()
    config["interpreter"] = "./" + site.url(interpreter)
    options = config.pop("looker_pkce", {})  # entries and keep are the build's; what a loader reads stays
    loader = {"modules": "./" + site.url(image)} if image else {}
    if options.get("pyscript"):
        loader["pyscript"] = "./" + site.url(toml.parent / options["pyscript"])
    if loader:
        config["looker_pkce"] = loader
    files = None if image else [("./" + site.url(path), module_destination(name, path)) for name, path in modules.items()]
    text = render_config(config, files)
    name = f"{toml.stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.toml"
    (site.out / name).write_text(text)
    return name


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def rewrite_html(html: str, site: Site, generated: dict, integrity: dict) -> str:
    """Point every local src/href/config at the built file; every script (but Python, which its
    loader fetches), stylesheet and preload of a built file gets its integrity attribute."""

    def attribute(match):
        name, value = match.groups()
        if value in generated:
            return f'{name}="./{generated[value]}"'
        if is_local(value) and (site.root / value).resolve() in site.urls:
            return f'{name}="./{site.url(site.root / value)}"'
        return match.group(0)

    def tag(match):
        text = ATTRIBUTE.sub(attribute, match.group(0))
        url = re.search(r'\b(?:src|href)="\./([^"]+)"', text)
        python = re.search(r'\btype="(mpy|py)"', text)
        element = text.startswith(("<script", "<link"))  # <py-config src>: PyScript fetches it, checked by the list
        if element and url and url.group(1) in integrity and not python and "integrity=" not in text:
            text = text[:-1] + f' integrity="{integrity[url.group(1)]}">'
        return text

    return re.sub(r"<(?:script|link|py-config|mpy-config)\b[^>]*>", tag, html)


def headers_file(policy: str, revalidated: list[str]) -> str:
    """Netlify / Cloudflare Pages `_headers`: security headers everywhere; assets immutable; the rest revalidated."""
    lines = ["/*", f"  Content-Security-Policy: {policy}", *(f"  {k}: {v}" for k, v in SECURITY_HEADERS),
             f"/{ASSETS}/*", "  Cache-Control: public, max-age=31536000, immutable"]
    for path in revalidated:
        lines += [path, "  Cache-Control: no-cache"]
    return "\n".join(lines) + "\n"


def compress(out: Path) -> None:
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in COMPRESSIBLE:
            data = path.read_bytes()
            path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
            quality = 11 if len(data) <= BROTLI_BEST_UP_TO else 9
            path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=quality))


def sizes(out: Path) -> list[tuple[str, int, int, int]]:
    """(site path, bytes, gzip bytes, brotli bytes) of every file served (not the .gz/.br copies)."""
    rows = []
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.suffix in (".gz", ".br") or path.name == "_headers":
            continue
        raw = path.stat().st_size
        gz, br = (path.with_name(path.name + ext) for ext in (".gz", ".br"))
        rows.append((path.relative_to(out).as_posix(), raw, gz.stat().st_size if gz.exists() else raw,
                     br.stat().st_size if br.exists() else raw))
    return rows


def report(out: Path, settings: dict) -> str:
    rows = sizes(out)
    width = max(len(r[0]) for r in rows)
    lines = [f"built {out} for {settings['ui_url']} (API {settings['api_url']}, client {settings['client_id']})",
             f"{'file':<{width}}  {'bytes':>10}  {'gzip':>10}  {'brotli':>10}"]
    lines += [f"{name:<{width}}  {raw:>10,}  {gz:>10,}  {br:>10,}" for name, raw, gz, br in rows]
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    lines.append(f"{'total (' + str(len(rows)) + ' files)':<{width}}  {totals[0]:>10,}  {totals[1]:>10,}  {totals[2]:>10,}")
    return "\n".join(lines)
