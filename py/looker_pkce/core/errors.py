"""One exception hierarchy for everything that can go wrong.

Messages say what to do next. None of them ever contains a token, a code or
a verifier: they are built from statuses, Looker's own messages and URLs
that carry no secrets.
"""

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any


class LookerError(Exception):
    """Base class: catch this to handle every failure of the library."""


class ConfigError(LookerError):
    """The library was set up wrongly (missing URL, bad redirect URI...)."""


class Framed(LookerError):
    """The page is shown inside another site's frame: it will not sign in or call Looker there."""


class AuthError(LookerError):
    """Signing in or staying signed in failed."""


class AccessDenied(AuthError):
    """The person (or Looker) refused the sign-in: error=access_denied."""


class AuthorizationError(AuthError):
    """Looker sent an error= redirect other than access_denied."""

    def __init__(self, error: str, description: str = "") -> None:
        self.error = error
        self.description = description
        text = "Looker refused the sign-in (" + error + ")"
        if description:
            text += ": " + description
        super().__init__(text + ". Check the OAuth client app registration (client id, redirect URI).")


class StateMismatch(AuthError):
    """The callback's state is missing, foreign, replayed or expired."""


class InvalidGrant(AuthError):
    """Looker refused a code or refresh token (expired, used, or revoked)."""


class SignedOut(AuthError):
    """There is no usable session: sign in again."""


class SessionBusy(AuthError):
    """The session could not be renewed in time: another context of the page's origin held its
    renewal lock too long. Retrying may work; signing in again always does."""


class ApiError(LookerError):
    """Looker answered with an error status. Carries Looker's own explanation."""

    def __init__(self, status: int, message: str, documentation_url: str = "", errors: "list[Any] | None" = None,
                 method: str = "", path: str = "") -> None:
        self.status = status
        self.message = message
        self.documentation_url = documentation_url
        self.errors = errors or []
        self.method = method
        self.path = path
        text = method + " " + path + " failed with " + str(status) + ": " + message
        for item in self.errors:
            field = item.get("field", "") if isinstance(item, dict) else ""
            detail = item.get("message", "") if isinstance(item, dict) else str(item)
            text += "\n  " + (field + ": " if field else "") + detail
        if documentation_url:
            text += "\n  see " + documentation_url
        super().__init__(text)


class NotFound(ApiError):
    """404: the object does not exist or this user may not see it."""


class Forbidden(ApiError):
    """403: signed in, but this user lacks the permission."""


class RateLimited(ApiError):
    """429 after the allowed retries."""


class ServerError(ApiError):
    """5xx after the allowed retries."""


class NetworkError(LookerError):
    """The request never got an answer (Looker down, DNS, offline)."""


class CorsError(NetworkError):
    """Looker is reachable but the browser refused to let the page read the answer."""

    def __init__(self, page_origin: str, api_url: str) -> None:
        self.page_origin = page_origin
        self.api_url = api_url
        super().__init__(
            "The browser refused the call to " + api_url + " from " + page_origin
            + " (CORS). Add " + page_origin + " to Looker's embedded domain allowlist"
            " (Admin > Platform > Embed > Embedded Domain Allowlist) and check the API URL."
        )


class Timeout(NetworkError):
    """No answer within the call's timeout."""


class Cancelled(LookerError):
    """The page cancelled the call (its AbortSignal fired): nothing is retried."""


class DecodeError(LookerError):
    """Looker's answer could not be read (malformed JSON where JSON was promised)."""
