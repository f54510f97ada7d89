"""Build a deployable static site from a page folder (index.html, its PyScript configs, looker.json).

Only the files the page loads: the modules its entries import (generated [files]), PyScript's
start-up chunks, the interpreter, the scripts and styles index.html names, plus anything a
config lists under [looker_pkce] keep (loaded on demand by name, copied as is). Every other
file goes to assets/<content hash>/ (cache forever); index.html, looker.json and the configs
are revalidated. The CSP allows exactly the configured Looker hosts (looker.json names the API
URL; the UI URL, when absent, is asked of the API server's /versions now, so it cannot be
missing); every script carries Subresource
Integrity (module chunks through the import map); each file is precompressed (.gz, .br).
Writes _headers (Netlify, Cloudflare Pages; see docs/PUBLISHING.md for others) and prints
a size report.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import brotli

from . import romfs
from .errors import CommandError
from .pages import (
    Interpreter,
    config_entries,
    csp,
    imported_modules,
    interpreters,
    is_local,
    lean_loaders,
    loads_guard,
    module_destination,
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
ATTRIBUTE = re.compile(r'\b(src|href|config|data-interpreter|data-modules|data-main|data-pyscript)="([^"]*)"')


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
    html = with_preloads((root / "index.html").read_text())
    configs = [(interp, (root / interp.config).resolve()) for interp in interpreters(html)]
    for interp, toml in configs:
        if not toml.is_file():
            raise CommandError(f"index.html names the PyScript config {interp.config}, which does not exist")
        if not read_config(toml).get("interpreter"):  # PyScript would fetch its interpreter from a CDN
            raise CommandError(f'{interp.config} names no interpreter: add interpreter = '
                               f'"./vendor/{INTERPRETERS[interp.kind][0]}/{INTERPRETERS[interp.kind][1][0]}"')
    try:
        loaders = lean_loaders(html)
    except ValueError as problem:
        raise CommandError(f"index.html: {problem}") from None
    if not configs and not loaders:
        raise CommandError('index.html names no PyScript config (<script type="mpy" config="pyscript.toml">) '
                           'and no lean loader (<script type="module" async src="./looker_pkce/assets/boot.js" ...>)')
    settings = looker_settings(args.looker or root / "looker.json")  # the page first: no network for its mistakes
    prepare(out, root)
    site = Site(root, out)
    scratch = Path(tempfile.mkdtemp(prefix="looker-pkce-build-"))
    try:
        return build(site, html, settings, configs, loaders, scratch)
    finally:
        shutil.rmtree(scratch)


def build(site: Site, html: str, settings: dict, configs: list, loaders: list, scratch: Path) -> int:
    """Place, rewrite and write everything the page loads (`scratch` holds generated files)."""
    root, out = site.root, site.out
    images = {}  # data-modules value -> the generated ROMFS (what data-main imports, compiled)
    for ref in references(html):  # scripts (PyScript's entries too) and styles index.html names
        if any(ref.value == loader.modules for loader in loaders):
            continue  # generated below
        if ref.attr in ("src", "href") and ref.tag in ("script", "link") and is_local(ref.value):
            site.add(root / ref.value)
            if ref.value.endswith("/core.js"):
                add_pyscript(site, root / ref.value)
    modules = {}
    for interp, toml in configs:
        modules[toml] = imported_modules(config_entries(toml))
        for path in modules[toml].values():
            site.add(path)
        interpreter = (toml.parent / read_config(toml)["interpreter"]).resolve()
        for name in INTERPRETERS[interp.kind][1]:
            site.add(interpreter.parent / name)
        for kept in read_config(toml).get("looker_pkce", {}).get("keep", []):
            keep(site, toml.parent / kept)
    for loader in loaders:
        main = root / loader.main
        site.add(main)
        images[loader.modules] = scratch / f"{len(images)}" / Path(loader.modules).name
        images[loader.modules].parent.mkdir()
        images[loader.modules].write_bytes(romfs.image(main.resolve()))
        site.add(images[loader.modules])
        interpreter = (root / loader.interpreter).resolve()
        for name in INTERPRETERS["mpy"][1]:
            site.add(interpreter.parent / name)
        if loader.pyscript:
            add_pyscript(site, root / loader.pyscript)
        for kept in loader.keep:
            keep(site, root / kept)
    site.place()

    toml_urls = {}
    for interp, toml in configs:
        toml_urls[interp.config] = write_config(site, interp, toml, modules[toml])
    import_map = {"integrity": {"./" + url: sri(path) for path, url in sorted(site.urls.items(), key=lambda i: i[1])
                                if url.endswith((".js", ".mjs"))}}
    import_map_tag = '<script type="importmap">' + json.dumps(import_map, separators=(",", ":")) + "</script>"
    inline_hash = "'sha256-" + base64.b64encode(hashlib.sha256(json.dumps(
        import_map, separators=(",", ":")).encode()).digest()).decode() + "'"
    generated = {**toml_urls, **{value: site.url(image) for value, image in images.items()}}
    page = rewrite_html(html, site, generated)
    page = with_csp(page, settings, [inline_hash])
    page = page.replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\">\n" + import_map_tag, 1) \
        if '<meta charset="utf-8">' in page else import_map_tag + page
    if page.index("importmap") > page.index('type="module"'):
        raise CommandError('index.html: put <meta charset="utf-8"> before the first module script')

    for source, url in site.urls.items():
        target = out / url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for source, url in site.verbatim:
        target = out / url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (out / "index.html").write_text(page)
    (out / "looker.json").write_text(json.dumps(settings, indent=2) + "\n")
    policy = csp(settings, [inline_hash], frame_ancestors=True, trusted_types=loads_guard(page))
    revalidated = ["/", "/index.html", "/looker.json", *("/" + url for url in toml_urls.values()),
                   *("/" + url for _, url in site.verbatim)]
    (out / "_headers").write_text(headers_file(policy, revalidated))
    compress(out)
    print(report(out, settings))
    return 0


def add_pyscript(site: Site, core: Path) -> None:
    """PyScript's core.js and the chunks it imports at start-up."""
    folder = core.resolve().parent
    for name in pyscript_files(folder):
        site.add(folder / name)


def looker_settings(path: Path) -> dict:
    """looker.json, with the UI URL asked of the API server when it is not there."""
    if not path.is_file():
        raise CommandError(f"{path} is missing: run `looker-pkce register PAGE_URL --client-id ID --page DIR`")
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


def write_config(site: Site, interp: Interpreter, toml: Path, modules: dict) -> str:
    config = read_config(toml)
    interpreter = (toml.parent / config["interpreter"]).resolve()
    config["interpreter"] = "./" + site.url(interpreter)
    config.pop("looker_pkce", None)
    files = [("./" + site.url(path), module_destination(name, path)) for name, path in modules.items()]
    text = render_config(config, files)
    name = f"{toml.stem}.{hashlib.sha256(text.encode()).hexdigest()[:10]}.toml"
    (site.out / name).write_text(text)
    return name


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def rewrite_html(html: str, site: Site, generated: dict) -> str:
    """Point every local src/href/config (and the lean loader's data-*) at the built file; every
    script with a src gets its SRI hash, and the lean loader the hashes of what it fetches."""

    def attribute(match):
        name, value = match.groups()
        if value in generated:
            return f'{name}="./{generated[value]}"'
        if is_local(value) and (site.root / value).resolve() in site.urls:
            return f'{name}="./{site.url(site.root / value)}"'
        return match.group(0)

    placed = {url: path for path, url in site.urls.items()}
    checked = set()  # what the lean loader fetches with integrity: their preloads must say the same

    def tag(match):
        text = ATTRIBUTE.sub(attribute, match.group(0))
        source = re.search(r'\bsrc="\./([^"]+)"', text)
        python = re.search(r'\btype="(mpy|py)"', text)
        if text.startswith("<script") and source and source.group(1) in placed and not python:
            text = text[:-1] + f' integrity="{sri(placed[source.group(1)])}">'
            for fetched in ("data-main", "data-modules"):  # the lean loader checks them (fetch integrity)
                url = re.search(fr'\b{fetched}="\./([^"]+)"', text)
                if url and url.group(1) in placed:
                    text = text[:-1] + f' {fetched}-integrity="{sri(placed[url.group(1)])}">'
                    checked.add(url.group(1))
        return text

    def preload(match):
        url = re.search(r'\bhref="\./([^"]+)"', match.group(0))
        modulepreload = 'rel="modulepreload"' in match.group(0)
        if url and (url.group(1) in checked or modulepreload) and url.group(1) in placed:
            return match.group(0)[:-1] + f' integrity="{sri(placed[url.group(1)])}">'
        return match.group(0)

    html = re.sub(r"<(?:script|link|py-config|mpy-config)\b[^>]*>", tag, html)
    return re.sub(r'<link rel="(?:modulepreload|preload)"[^>]*>', preload, html)


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
