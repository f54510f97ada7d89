"""`looker_pkce.formats`, as pages written before the library's folders import it."""

from .core.formats import *  # noqa: F403
