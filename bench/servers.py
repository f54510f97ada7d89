"""Where the benchmark's pages and Looker live: two deployments, started once per run.

- "h1": the static site as the tests serve it (scripts/site_server.py, plain HTTP/1.1, uncompressed) and the
  local Looker in its default mode (uvicorn, plain HTTP/1.1): what the test suite sees.
- "h2": what a real deployment sees: the same files from an HTTPS + HTTP/2 static host that sends brotli or
  gzip variants (compressed once, the way `looker-pkce build` writes its .br/.gz files), and the local
  Looker over HTTPS + HTTP/2 (Hypercorn). Both use the certificate local_looker/tls.py keeps for 127.0.0.1,
  which the benchmark's Chromium trusts by its key (`Deployment.chromium_flags`).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import brotli

from local_looker.process import LocalLooker, free_port
from local_looker.tls import certificate
from looker_pkce.cli.build import BROTLI_BEST_UP_TO, COMPRESSIBLE
from looker_pkce.cli.serve import serve_in_thread
from scripts.site_server import PUBLIC, TEST_PAGES, TYPES, cache_control, generated_body, is_public, make_server

ROOT = Path(__file__).resolve().parent.parent
PRECOMPRESSED = ROOT / "build" / "bench" / "precompressed"  # the .br/.gz of each served file, made once
ENCODINGS = {"br": lambda data: brotli.compress(data, quality=11 if len(data) <= BROTLI_BEST_UP_TO else 9),
             "gzip": lambda data: gzip.compress(data, 9, mtime=0)}  # in the order a client is offered them


def encoded(path: str, data: bytes, encoding: str, version: str) -> bytes:
    """`data` compressed; kept on disk under its path and the source's `version`."""
    kept = PRECOMPRESSED / f"{path.lstrip('/')}.{version}.{encoding}"
    if not kept.is_file():
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".tmp")
        partial.write_bytes(ENCODINGS[encoding](data))
        partial.replace(kept)
    return kept.read_bytes()


def pick_encoding(accept: str) -> str | None:
    offered = {part.split(";")[0].strip() for part in accept.split(",")}
    return next((name for name in ENCODINGS if name in offered), None)


class StaticSite:
    """The static host of the "h2" deployment, an ASGI app: the same files and generated bodies as
    scripts/site_server.py, compressed when the browser accepts it."""

    def __init__(self, looker_config: dict):
        self.looker_config = looker_config
        self.allowed = PUBLIC + TEST_PAGES

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":  # nothing to start or stop: answer "startup", then "shutdown"
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            return await send({"type": "lifespan.shutdown.complete"})
        path = "/index.html" if scope["path"] == "/" else scope["path"]
        status, body, kind, version = self.lookup(path)
        headers = [(b"content-type", kind.encode()), (b"cache-control", cache_control(path).encode()),
                   (b"x-content-type-options", b"nosniff")]
        accept = dict(scope["headers"]).get(b"accept-encoding", b"").decode("latin-1")
        encoding = pick_encoding(accept) if Path(path).suffix in COMPRESSIBLE and status == 200 else None
        if encoding:
            body = await asyncio.to_thread(encoded, path, body, encoding, version)
            headers += [(b"content-encoding", encoding.encode()), (b"vary", b"Accept-Encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""})

    def lookup(self, path: str) -> tuple[int, bytes, str, str | None]:
        """(status, body, content type, version: of the file on disk, or the generated body's digest)."""
        missing = (404, b"not found", "text/plain", None)
        if not is_public(path, self.allowed):
            return missing
        generated = generated_body(path, self.looker_config)
        if generated is not None:  # versioned by its content: compressed once, as a host serves a build's .br files
            return (200, *generated, hashlib.sha256(generated[0]).hexdigest()[:16]) if generated[0] else missing
        file = ROOT / path.lstrip("/")
        if not file.is_file():
            return missing
        kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        stat = file.stat()
        return 200, file.read_bytes(), kind, f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


class HttpsServer:
    """An ASGI app on Hypercorn (HTTPS, ALPN h2 then http/1.1) in a thread of this process."""

    def __init__(self, app, port: int):
        from hypercorn.asyncio import serve
        from hypercorn.config import Config

        config = Config()
        config.bind = [f"127.0.0.1:{port}"]
        config.certfile = config.keyfile = str(certificate(ROOT / "build").pemfile)
        config.alpn_protocols = ["h2", "http/1.1"]
        config.accesslog = config.errorlog = None
        self.origin = f"https://127.0.0.1:{port}"
        self.loop = asyncio.new_event_loop()
        self.stopping = asyncio.Event()
        ready = threading.Event()

        async def main():
            self.loop.call_soon(ready.set)
            await serve(app, config, shutdown_trigger=self.stopping.wait)

        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(main(),), daemon=True)
        self.thread.start()
        ready.wait(10)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stopping.set)
        self.thread.join(2)  # a browser's open h2 connection can hold Hypercorn's shutdown; the thread is a daemon


@dataclass
class Deployment:
    name: str  # "h1" or "h2"
    origin: str  # the static site's
    looker: LocalLooker
    looker_config: dict = field(default_factory=dict)  # served as the site's /looker.json
    stop_site: Callable[[], None] | None = None  # None: the site is someone else's to stop (the tests')

    @classmethod
    def start(cls, name: str, client_id: str = "bench") -> Deployment:
        if name == "h1":
            site = make_server(0, looker_config={}, test_pages=True)
            serve_in_thread(site)
            origin, config, stop = f"http://127.0.0.1:{site.server_address[1]}", site.looker_config, site.shutdown
        else:
            static = StaticSite({})
            server = HttpsServer(static, free_port())
            origin, config, stop = server.origin, static.looker_config, server.stop
        looker = LocalLooker(free_port(), free_port(), origin, https=name == "h2")
        config.update({"ui_url": looker.ui_url, "api_url": looker.api_url, "client_id": client_id})
        return cls(name, origin, looker, config, stop)

    def stop(self) -> None:
        try:
            self.looker.stop()
        finally:
            if self.stop_site is not None:
                self.stop_site()


def chromium_flags() -> list[str]:
    """What the benchmark's Chromium adds to trust the "h2" deployment's certificate (that one only)."""
    return [certificate(ROOT / "build").chromium_flag]
