"""`make demo` (`python -m scripts.demo`): the static page and the local Looker, on two loopback origins.

Open the printed page URL and sign in with the demo credentials. Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from local_looker.__main__ import serve
from local_looker.state import DEMO_CLIENT_GUID, Settings
from looker_pkce.cli import arguments
from looker_pkce.cli.serve import serve_in_thread
from scripts.site_server import make_server


def page_port() -> int:
    """PAGE_PORT (default 8000): where the page is served."""
    text = os.environ.get("PAGE_PORT", "8000")
    try:
        return arguments.port(text)
    except argparse.ArgumentTypeError as problem:
        sys.exit(f"make demo: PAGE_PORT={text}: {problem}")


def main() -> None:
    port = page_port()
    settings = Settings.from_env(app_origin=f"http://127.0.0.1:{port}")
    try:
        site = make_server(port, looker_config={"api_url": settings.api_url, "ui_url": settings.ui_url,
                                                     "client_id": DEMO_CLIENT_GUID})
    except OSError as problem:
        sys.exit(f"make demo: cannot serve the page on port {port} ({problem.strerror or problem}): "
                 f"PAGE_PORT={port + 1 if port < 65535 else 8001} make demo picks another")
    serve_in_thread(site)
    print(f"page:         http://127.0.0.1:{port}/   <- open this", flush=True)
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        pass
    finally:
        site.shutdown()


if __name__ == "__main__":
    main()
