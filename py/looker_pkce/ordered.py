"""`looker_pkce.ordered`, as pages written before the library's folders import it."""

from .core.ordered import *  # noqa: F403
