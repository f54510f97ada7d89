"""Run the local Looker: `python -m local_looker [--ui-port N] [--api-port N] [--app-origin URL]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

import uvicorn

from .app import build
from .state import DEMO_CLIENT_GUID, DEMO_PASSWORD, Settings


def parse(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m local_looker", description=__doc__)
    parser.add_argument("--ui-port", type=int, help="UI host port (default 9990, env LOOKER_UI_PORT)")
    parser.add_argument("--api-port", type=int, help="API host port (default 19999, env LOOKER_API_PORT)")
    parser.add_argument("--app-origin", help="origin of the page to register and allowlist "
                                              "(default http://127.0.0.1:8000, env LOOKER_APP_ORIGIN)")
    parser.add_argument("--token-ttl", type=int, help="access token lifetime in seconds (default 3600)")
    parser.add_argument("--code-ttl", type=int, help="authorization code lifetime in seconds (default 120)")
    args = parser.parse_args(argv)
    return Settings.from_env(ui_port=args.ui_port, api_port=args.api_port, app_origin=args.app_origin,
                             token_ttl=args.token_ttl, code_ttl=args.code_ttl)


async def serve(settings: Settings) -> None:
    state, ui, api = build(settings)
    servers = [
        uvicorn.Server(uvicorn.Config(app, host=settings.host, port=port, log_level="warning", access_log=False))
        for app, port in ((ui, settings.ui_port), (api, settings.api_port))
    ]
    print(f"local Looker: UI  {settings.ui_url}\n"
          f"              API {settings.api_url}\n"
          f"  sign in as admin@, analyst@ or viewer@example.com, password {DEMO_PASSWORD}\n"
          f"  OAuth client app '{DEMO_CLIENT_GUID}' -> {state.apps[DEMO_CLIENT_GUID]['redirect_uri']}\n"
          f"  embedded domain allowlist: {', '.join(state.setting['embed_config']['domain_allowlist'])}",
          flush=True)
    await asyncio.gather(*(server.serve() for server in servers))


def main(argv: list[str] | None = None) -> None:
    asyncio.run(serve(parse(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    main()
