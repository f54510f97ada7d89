"""`looker_pkce.components`, as pages written before the library's folders import it."""

from .browser.components import *  # noqa: F403
from .browser.dashboard import dashboard  # noqa: F401
