"""Preview a build as a static host serves it: its _headers applied, .br/.gz sent when the browser accepts them.

    looker-pkce serve dist --port 8000
"""

from __future__ import annotations

import errno
import functools
import mimetypes
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import arguments
from .errors import CommandError

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm", ".toml": "text/plain",
         ".py": "text/plain", ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
         ".html": "text/html; charset=utf-8", ".css": "text/css"}
ENCODINGS = [("br", ".br"), ("gzip", ".gz")]  # preferred first


def add_arguments(parser) -> None:
    parser.add_argument("dir", type=Path, nargs="?", default=Path("dist"), metavar="DIST", help="a build (default dist)")
    parser.add_argument("--port", type=arguments.port, default=8000, help="the port to listen on (default %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default %(default)s: "
                        "this machine only)")


def parse_headers(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """`_headers`: a path pattern (`/assets/*` or an exact path), then indented `Name: value` lines."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if not rules:
                raise ValueError(f"_headers: {line.strip()!r} comes before any path")
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
        else:
            rules.append((line.strip(), []))
    return rules


def matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


class Handler(SimpleHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0].split("#")[0]
        local = Path(self.directory) / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        if ".." in path or path == "/_headers" or not local.is_file():
            self.send_error(404)
            return
        try:  # read each time, as a host applies the build it holds: a rebuild's new hashes are served at once
            rules = parse_headers((Path(self.directory) / "_headers").read_text())
        except (OSError, ValueError) as problem:
            self.send_error(503, f"this build's _headers cannot be read ({problem}): build again")
            return
        body, encoding = local.read_bytes(), None
        accepted = self.headers.get("Accept-Encoding", "")
        for name, suffix in ENCODINGS:
            packed = local.with_name(local.name + suffix)
            if name in accepted and packed.is_file():
                body, encoding = packed.read_bytes(), name
                break
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(local.suffix) or mimetypes.guess_type(local.name)[0]
                         or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for pattern, headers in rules:
            if matches(pattern, path):
                for name, value in headers:
                    self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def make_server(directory: Path, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    headers = directory / "_headers"
    if not headers.is_file():
        raise CommandError(f"{directory} is not a build (no _headers): run `looker-pkce build` first")
    try:  # a broken file is refused now, not on the first request
        parse_headers(headers.read_text())
    except ValueError as problem:
        raise CommandError(f"{headers}: {problem}; build again") from None
    try:
        server = ThreadingHTTPServer((host, port), functools.partial(Handler, directory=str(directory.resolve())))
    except OSError as problem:
        if problem.errno == errno.EADDRINUSE:
            raise CommandError(f"port {port} on {host} is in use: pass --port with another") from None
        raise CommandError(f"cannot listen on {host}:{port} ({problem.strerror or problem}): "
                           "pass --host with an address of this machine") from None
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def run(args) -> int:
    server = make_server(args.dir, args.port, args.host)
    print(f"serving {args.dir} at http://{args.host}:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
