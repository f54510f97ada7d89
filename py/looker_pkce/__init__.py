"""Sign in to Looker with OAuth 2.0 + PKCE and call its API 4.0, from Python in the browser.

    from looker_pkce.browser import connect
    looker = await connect("https://example.looker.com", client_id="my-app")
    if not looker.signed_in:
        looker.sign_in()
    me = await looker.me()
"""

from .client import Client, MemoryStorage, discover_api_url
from .errors import (
    AccessDenied,
    ApiError,
    AuthError,
    AuthorizationError,
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
from .oauth import Config, Tokens

__version__ = "0.1.0"
