"""`looker_pkce.sync`, as pages written before the library's folders import it."""

from .sdk.sync import *  # noqa: F403
