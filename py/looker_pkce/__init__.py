"""Sign in to Looker with OAuth 2.0 + PKCE and call its API 4.0, from Python in the browser.

    from looker_pkce.browser import connect
    looker = await connect(api_url="https://example.looker.com:19999", ui_url="https://example.looker.com",
                           client_id="my-app")  # as looker.json names them
    if not looker.signed_in:
        looker.sign_in()
    me = await looker.me()
"""

from .core.errors import (
    AccessDenied,
    ApiError,
    AuthError,
    AuthorizationError,
    Cancelled,
    ConfigError,
    CorsError,
    DecodeError,
    Forbidden,
    Framed,
    InvalidGrant,
    LookerError,
    NetworkError,
    NotFound,
    RateLimited,
    ServerError,
    SessionBusy,
    SignedOut,
    StateMismatch,
    Timeout,
)
from .core.oauth import Config, Tokens
from .driver.client import Client, MemoryStorage

__version__ = "0.1.0"
