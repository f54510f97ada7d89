"""Browser adapters for Pyodide and MicroPython: the library's Client wired to the page.

Each adapter is a module named for what it holds: transport (fetch), storage (Web Storage),
navigation (the address bar, framing), siblings (Web Locks, BroadcastChannel), first_calls (the lean
loader's head start), python (add_python), bridge (where JavaScript values cross into Python),
dom and components (what a page draws). The core and the driver never import `js`; these do.
This module builds the Client (create_client, connect), hands core.ordered the page's faster JSON
reader when the lean loader offers one, and keeps the names pages import from `looker_pkce.browser`
importable.
"""

import js

from ..core import ordered, session
from ..core.errors import ConfigError, Framed
from ..core.oauth import Config
from ..driver.client import Client, MemoryStorage
from ..driver.siblings import Neighbourhood
from .bridge import defined, random_bytes, tagged_json
from .first_calls import HeadStart
from .navigation import Navigator, framed_by_another_origin
from .python import add_python
from .siblings import WebSiblings
from .storage import STORAGES, WebStorage
from .transport import fetch_transport

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    from ..driver.client import Storage
    from ..driver.siblings import LocalSiblings

__all__ = ["connect", "create_client", "fetch_transport", "add_python", "framed_by_another_origin",
           "HeadStart", "Navigator", "WebSiblings", "WebStorage", "STORAGES", "MISSING_API_URL"]


if defined(getattr(js.window, "lookerPkceTaggedJson", None)):  # the lean loader's: Looker's key order, fast
    ordered.use_tagger(tagged_json)

MISSING_API_URL = ("api_url is required: Looker's API Host URL (Admin › API), e.g. https://you.looker.com:19999 or"
                   " https://you.looker.com. Pass connect(api_url=..., ui_url=..., client_id=...) as looker.json"
                   " names them; `looker-pkce new`, `register` or `build` write looker.json with both URLs. A page no"
                   " longer asks Looker's UI host for it (nothing says a UI host answers CORS).")


async def create_client(ui_url: str, client_id: str, api_url: "str | None" = None,
                        redirect_uri: "str | None" = None, storage: str = "session", share: bool = True,
                        **options: "Any") -> Client:
    """A Client for this page (nothing signed in or completed yet).

    `api_url` is required: Looker's "API Host URL" (Admin › API), looker.json's api_url; the page
    asks no host for it (no source says a UI host answers CORS: docs/REAL_LOOKER.md#ui-host-cors).
    `looker-pkce new`, `register` and `build` write looker.json with both URLs.
    `redirect_uri` defaults to this page's URL without query or fragment.
    `share=False` keeps the session in this tab (other tabs neither join it nor sign it out);
    `share_refresh=True` hands the refresh token to tabs that join: only for a page that has its
    origin to itself (README, Security).
    `sign_in_again=False`: a tab that borrowed the session and finds no tab holding it any more ends in
    SignedOut instead of signing in again by itself, back to this address (core/sign_in_again.py).
    Without Web Locks (an insecure context or an old browser) contexts cannot coordinate
    refreshes, so the session stays in this context's memory and each tab signs in on its own.
    """
    if storage not in STORAGES:
        raise ConfigError("storage must be one of " + ", ".join(STORAGES) + ", got " + repr(storage))
    if framed_by_another_origin():
        raise Framed("This page is shown inside another site's frame, so it will not sign in to Looker or show"
                     " data here. Open " + str(js.location.origin) + str(js.location.pathname) + " in its own tab.")
    if not api_url:
        raise ConfigError(MISSING_API_URL)
    if redirect_uri is None:
        redirect_uri = str(js.location.origin) + str(js.location.pathname)
    config = Config(ui_url, api_url, client_id, redirect_uri, options.pop("challenge_encoding", "padded"))
    siblings: "WebSiblings | LocalSiblings"
    store: "Storage"
    if WebSiblings.supported():
        siblings, store = WebSiblings(), STORAGES[storage]()
    else:
        js.console.warn("looker_pkce: this browser context has no Web Locks (is the page served over https?);"
                        " the Looker session is kept in this context only and each tab signs in separately.")
        siblings, store, share = Neighbourhood().context(), MemoryStorage(), False
        siblings.available = False
    return Client(config, fetch_transport, store, Navigator(), siblings=siblings, share=share,
                  pending_storage=WebStorage(js.sessionStorage), head_start=HeadStart(session.identity(config)),
                  random_bytes=options.pop("random_bytes", random_bytes), **options)


async def connect(ui_url: str, client_id: str, **options: "Any") -> Client:
    """create_client(), then finish the sign-in if this page load is Looker's redirect back,
    or join a session another tab of this page already holds.

    A refused sign-in (state mismatch, access_denied, invalid grant) raises; use
    create_client() + handle_redirect() to keep the client for a new attempt.
    """
    client = await create_client(ui_url, client_id, **options)
    if not await client.handle_redirect():
        await client.join()
    return client
