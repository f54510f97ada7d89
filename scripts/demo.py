"""`make demo` (`python -m scripts.demo`): the static page and the local Looker, on two loopback origins.

Open the printed page URL and sign in with the demo credentials. Ctrl-C stops both.
"""

from __future__ import annotations

import asyncio
import os
import sys

from local_looker.__main__ import serve
from local_looker.state import DEMO_CLIENT_GUID, Settings
from scripts.site_server import make_server, serve_in_thread

PAGE_PORT = int(os.environ.get("PAGE_PORT", 8000))


def main() -> None:
    settings = Settings.from_env(app_origin=f"http://127.0.0.1:{PAGE_PORT}")
    try:
        site = make_server(PAGE_PORT, looker_config={"ui_url": settings.ui_url, "api_url": settings.api_url,
                                                     "client_id": DEMO_CLIENT_GUID})
    except OSError as problem:
        sys.exit(f"make demo: cannot serve the page on port {PAGE_PORT} ({problem.strerror or problem}): "
                 f"PAGE_PORT={PAGE_PORT + 1} make demo picks another")
    serve_in_thread(site)
    print(f"page:         http://127.0.0.1:{PAGE_PORT}/   <- open this", flush=True)
    try:
        asyncio.run(serve(settings))
    except KeyboardInterrupt:
        pass
    finally:
        site.shutdown()


if __name__ == "__main__":
    main()
