"""Synchronous code after sign-in (Pyodide): `requests` and the official looker_sdk without await.

pyodide-http routes `requests` through synchronous XMLHttpRequest, which blocks
the page while a call runs: fine for a quick script or a one-off call, not for
a dashboard that should stay responsive (use the async Client or official_sdk there).
"""

from ..core.errors import SignedOut
from ..driver.client import Client
from . import wheels

TYPE_CHECKING = False  # True for mypy only: nothing imports typing at run time here
if TYPE_CHECKING:
    from typing import Any

    import requests
    from looker_sdk.rtl.api_settings import SettingsConfig
    from looker_sdk.sdk.api40.methods import Looker40SDK


async def enable(vendor_url: str = "./static/vendor/") -> None:
    """Install requests, looker_sdk and pyodide-http, and patch requests for the browser."""
    await wheels.install(wheels.SYNC_WHEELS, vendor_url)
    import pyodide_http

    pyodide_http.patch_all()


def _fresh_token(client: "Client") -> str:
    """The session's access token for synchronous code, renewed by the Client's one refresh path.

    Renewing means awaiting the siblings' lock, which synchronous code can do only where
    Pyodide can suspend it (JSPI, `run_sync`). Elsewhere a token inside its refresh margin
    is still used, and an expired one is a clear SignedOut: never an uncoordinated refresh.
    """
    if client.needs_refresh():
        from pyodide.ffi import can_run_sync, run_sync

        if can_run_sync():
            return run_sync(client.access_token())
        if client.tokens.expired(client.clock()):  # type: ignore[union-attr]  # needs_refresh(): tokens are there
            raise SignedOut("The Looker session needs renewing, which synchronous code cannot do here."
                            " Make one awaited call first (e.g. `await looker.me()`), then run it again.")
    if client.tokens is None:
        raise SignedOut("Not signed in to Looker. Sign in first.")
    return client.tokens.access_token


def requests_session(client: "Client") -> "requests.Session":
    """A requests.Session whose calls carry the session's (fresh) bearer token."""
    import requests

    class LookerAuth(requests.auth.AuthBase):
        def __call__(self, request: "Any") -> "Any":
            request.headers["Authorization"] = "Bearer " + _fresh_token(client)
            return request

    session = requests.Session()
    session.auth = LookerAuth()
    return session


def official_sdk_sync(client: "Client") -> "Looker40SDK":
    """The official Looker40SDK, used as its docs show (`sdk.me()`), on this session."""
    from looker_sdk.rtl import api_settings, auth_session, requests_transport, serialize
    from looker_sdk.sdk.api40.methods import Looker40SDK

    class Settings(api_settings.ApiSettings):
        def read_config(self) -> "SettingsConfig":
            # no client_id or client_secret, which looker_sdk's type asks for: the page's session signs the calls
            return {"base_url": client.config.api_url, "verify_ssl": "true"}  # type: ignore[typeddict-item]

    class SessionAuth(auth_session.AuthSession):
        def authenticate(self, transport_options: "Any") -> "dict[str, str]":
            return {"Authorization": "Bearer " + _fresh_token(client)}

        def logout(self, full: bool = False) -> None:  # type: ignore[override]  # (no transport_options)
            pass  # the page's Client owns the session; sign out there

    settings = Settings(filename="looker.ini")
    transport = requests_transport.RequestsTransport.configure(settings)
    auth = SessionAuth(settings, transport, serialize.deserialize40, "4.0")
    return Looker40SDK(auth, serialize.deserialize40, serialize.serialize40, transport, "4.0")
