"""`looker_pkce.series`, as pages written before the library's folders import it."""

from .core.series import *  # noqa: F403
