"""`looker_pkce.errors`, as pages written before the library's folders import it."""

from .core.errors import *  # noqa: F403
