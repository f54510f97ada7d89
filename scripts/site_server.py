"""Serve the static page like any static host would: files only, from a fixed set of folders.

Adds what a careful host adds: correct MIME types for .mjs/.wasm/.whl, long
caching for the pinned vendor files, no caching for the page's own code.
`looker.json` (the page's Looker settings) can be overridden, so the demo and
the tests point the page at a local Looker on whatever ports it got. PyScript
configs get their `[files]` generated from what their entries import, as
`looker-pkce build` does.
"""

from __future__ import annotations

import argparse
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from looker_pkce.cli.pages import (
    config_entries,
    files_table,
    imported_modules,
    modules_image as modules_image_url,
    read_config,
    render_config,
    with_csp,
    with_preloads,
)
from looker_pkce.cli.romfs import image as romfs_image

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = ("/index.html", "/pyscript.toml", "/pyscript.romfs", "/pyscript-pyodide.toml", "/looker.json", "/py/", "/static/",
          "/favicon.ico")
TEST_PAGES = ("/tests/pages/", "/bench/pages/", "/build/bench/", "/build/pages/")  # test, benchmark, generated
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip",
         ".toml": "text/plain", ".py": "text/plain", ".json": "application/json", ".zip": "application/zip"}


_GENERATED: dict = {}  # what it was made for -> (the files it was made from and their mtimes, body)
# One generation at a time: requests arrive on several threads, and CPython 3.11's ast.parse (reading what
# the entries import) is not safe to run in two threads at once ("AST constructor recursion depth mismatch").
_MAKING = threading.Lock()


def _stamps(files) -> tuple:
    return tuple((file, file.stat().st_mtime_ns if file.is_file() else None) for file in files)


def generated(target: Path, config: Path, make) -> bytes:
    """`make()`, remade only when the config, its entries or a module they import changed (what they
    import is decided by those same files, so their mtimes are the whole key)."""
    with _MAKING:
        known = _GENERATED.get(target)
        if known is None or _stamps(f for f, _ in known[0]) != known[0]:
            entries = config_entries(config)
            files = [target, config, *entries, *imported_modules(entries).values()]
            known = _GENERATED[target] = (_stamps(files), make())
        return known[1]


class Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    allowed = PUBLIC

    def do_GET(self):
        path = self.path.split("?")[0].split("#")[0]
        if path == "/":
            self.path = "/index.html" + self.path[1:]
            path = "/index.html"
        if not is_public(path, self.allowed):
            self.send_error(404)
            return
        body = generated_body(path, self.server.looker_config)
        if body is not None:
            self.send_body(*body)
            return
        super().do_GET()

    def send_body(self, body: bytes, kind: str) -> None:
        if not body:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", cache_control(self.path))
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args):  # quiet: the tests start many pages
        pass


def cache_control(path: str) -> str:
    """Long caching for the pinned vendor files, none for the page's own code."""
    return "public, max-age=604800" if path.startswith("/static/vendor/") else "no-cache"


def is_public(path: str, allowed: tuple[str, ...]) -> bool:
    """A URL path this site serves: one of `allowed`, or under one of its folders (ending in /)."""
    return ".." not in path and any(path == p or (p.endswith("/") and path.startswith(p)) for p in allowed)


def generated_body(path: str, looker_config: dict | None) -> tuple[bytes, str] | None:
    """(body, content type) for what is generated rather than read as it is (an empty body: not found);
    None for a plain file."""
    if path.endswith(".toml"):
        return pyscript_config(ROOT / path.lstrip("/")), "text/plain; charset=utf-8"
    if path.endswith(".romfs"):  # the lean loader's modules image for the config beside it
        return modules_image(ROOT / path.lstrip("/")), "application/octet-stream"
    if looker_config is not None and path == "/looker.json":
        # what `looker-pkce build` would write for this Looker, served without touching the files
        return json.dumps(looker_config).encode(), "application/json"
    if looker_config is not None and path == "/index.html":
        html = with_preloads((ROOT / "index.html").read_text(), ROOT)
        return with_csp(html, looker_config).encode(), "text/html; charset=utf-8"
    if path.endswith(".html") and (ROOT / path.lstrip("/")).is_file():  # as `looker-pkce build` writes it
        page = ROOT / path.lstrip("/")
        return with_preloads(page.read_text(), page.parent, ROOT).encode(), "text/html; charset=utf-8"
    return None


def pyscript_config(toml: Path) -> bytes:
    """The toml with [files] generated (sources as paths on this server, the repo's root), and the
    lean loader's modules image beside it ([looker_pkce] modules: the same modules, compiled)."""
    if not toml.is_file():
        return b""
    config = read_config(toml)
    if not config.get("looker_pkce", {}).get("entries"):  # a plain PyScript config: as it is
        return toml.read_bytes()
    if config.get("interpreter", "").endswith("/micropython.mjs"):  # what the lean loader can run
        config["looker_pkce"]["modules"] = modules_image_url("./" + toml.name)
    return generated(toml, toml, lambda: render_config(config, files_table(
        toml, url_for=lambda file: "/" + file.relative_to(ROOT).as_posix())).encode())


def modules_image(romfs: Path) -> bytes:
    """What `looker-pkce build` writes for `<config>.toml`: every module its entries import, compiled."""
    toml = romfs.with_suffix(".toml")
    if not toml.is_file() or not read_config(toml).get("looker_pkce", {}).get("entries"):
        return b""
    return generated(romfs, toml, lambda: romfs_image(config_entries(toml)))


def make_server(port: int = 0, looker_config: dict | None = None, test_pages: bool = False,
                host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"allowed": PUBLIC + (TEST_PAGES if test_pages else ())})
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(ROOT)))
    server.daemon_threads = True
    server.looker_config = looker_config
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    site = make_server(args.port)
    print(f"page: http://127.0.0.1:{args.port}/", flush=True)
    site.serve_forever()
