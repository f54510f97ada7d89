"""Run the local Looker: `python -m local_looker [--ui-port N] [--api-port N] [--app-origin URL] [--https] [--lenient]`.

As strict as a real Looker unless --lenient (docs/REAL_LOOKER.md says what each strict behaviour stands for).

Plain HTTP/1.1 (uvicorn) by default; `--https` serves HTTPS with HTTP/2 (Hypercorn; ALPN offers h2, then
http/1.1) with a certificate for 127.0.0.1 made on first use (tls.py), as a real Looker is reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys

import uvicorn

from .app import build
from .errors import PARSER_HEAD_LIMIT
from .state import DEMO_CLIENT_GUID, DEMO_PASSWORD, Settings
from .tls import certificate

STRICT_NOTE = "  as strict as a real Looker (docs/REAL_LOOKER.md); LOOKER_LENIENT=1 or --lenient for experiments"
LENIENT_NOTE = "  LENIENT: kinder than a real Looker (what docs/REAL_LOOKER.md marks strict is off)"
STOP_GRACE_SECONDS = 1  # what requests in flight get to finish on SIGTERM over HTTPS


def parse(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m local_looker", description=__doc__)
    parser.add_argument("--ui-port", type=int, help="UI host port (default 9990, env LOOKER_UI_PORT)")
    parser.add_argument("--api-port", type=int, help="API host port (default 19999, env LOOKER_API_PORT)")
    parser.add_argument("--app-origin", help="origin of the page to register and allowlist "
                                              "(default http://127.0.0.1:8000, env LOOKER_APP_ORIGIN)")
    parser.add_argument("--token-ttl", type=int, help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--refresh-token-ttl", type=int,
                        help="how long a sign-in's refresh tokens work, in seconds from the sign-in; rotation does not "
                             "extend it; 0 for no limit (default 2592000, 30 days; env LOOKER_REFRESH_TOKEN_TTL)")
    parser.add_argument("--code-ttl", type=int, help="authorization code lifetime in seconds (default 120)")
    parser.add_argument("--https", action="store_true", default=None,
                        help="HTTPS + HTTP/2 with a certificate for 127.0.0.1 (env LOOKER_HTTPS=1)")
    parser.add_argument("--lenient", dest="strict", action="store_false", default=None,
                        help="kinder than a real Looker, for experiments: any PKCE verifier in any encoding, CORS on "
                             "the UI host, the HTTP server's own head limits (env LOOKER_LENIENT=1)")
    args = parser.parse_args(argv)
    return Settings.from_env(ui_port=args.ui_port, api_port=args.api_port, app_origin=args.app_origin,
                             token_ttl=args.token_ttl, refresh_token_ttl=args.refresh_token_ttl,
                             code_ttl=args.code_ttl, https=args.https, strict=args.strict)


def plain_http(app, settings: Settings, port: int):
    """HTTP/1.1 without TLS (uvicorn): what the tests use. Strict mode parses heads up to PARSER_HEAD_LIMIT so
    that the app, not h11, answers a head over Looker's limits (errors.HeadLimit)."""
    head = {"h11_max_incomplete_event_size": PARSER_HEAD_LIMIT} if settings.strict else {}
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=port, log_level="warning", access_log=False,
                                           **head))
    return server.serve()


def https_h2(app, settings: Settings, port: int, stop: asyncio.Event):
    """HTTPS offering HTTP/2 then HTTP/1.1 (Hypercorn), with the certificate tls.py keeps for 127.0.0.1.
    Both hosts stop on one SIGTERM/SIGINT (left to itself, each Hypercorn takes the signal handler over
    from the other, and the first one started would never stop)."""
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"{settings.host}:{port}"]
    config.certfile = config.keyfile = str(certificate(settings.cache_dir).pemfile)
    config.alpn_protocols = ["h2", "http/1.1"]
    config.accesslog = None
    config.errorlog = None
    config.include_server_header = False
    if settings.strict:
        config.h11_max_incomplete_size = PARSER_HEAD_LIMIT  # as plain_http: the app answers heads over the limits
    return hypercorn_serve(app, config, shutdown_trigger=stop.wait)


def stop_signal() -> asyncio.Event:
    """An event that SIGTERM or SIGINT sets. Hypercorn's shutdown then waits for every open connection to
    close (Python 3.11's Server.wait_closed), and a browser keeps its HTTP/2 connection open: the process
    ends STOP_GRACE_SECONDS after the signal whatever is still open."""
    event = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop() -> None:
        event.set()
        loop.call_later(STOP_GRACE_SECONDS, os._exit, 0)

    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop)
    return event


async def serve(settings: Settings) -> None:
    state, ui, api = build(settings)
    hosts = ((ui, settings.ui_port), (api, settings.api_port))
    if settings.https:
        stop = stop_signal()
        servers = [https_h2(app, settings, port, stop) for app, port in hosts]
    else:
        servers = [plain_http(app, settings, port) for app, port in hosts]
    print(f"local Looker: UI  {settings.ui_url}\n"
          f"              API {settings.api_url}\n"
          f"  sign in as admin@, analyst@ or viewer@example.com, password {DEMO_PASSWORD}\n"
          f"  OAuth client app '{DEMO_CLIENT_GUID}' -> {state.apps[DEMO_CLIENT_GUID]['redirect_uri']}\n"
          f"  embedded domain allowlist: {', '.join(state.setting['embed_config']['domain_allowlist'])}\n"
          + (STRICT_NOTE if settings.strict else LENIENT_NOTE),
          flush=True)
    await asyncio.gather(*servers)


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
