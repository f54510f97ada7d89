"""`looker_pkce.dom`, as pages written before the library's folders import it."""

from .browser.dom import *  # noqa: F403
