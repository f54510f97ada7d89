"""`looker_pkce.compat`, as pages written before the library's folders import it: the pure part
(`core.compat`) and, in a browser, the JavaScript bridge it used to hold (`browser.bridge`)."""

from .core.compat import *  # noqa: F403

try:
    from .browser.bridge import bytes_of, create_proxy  # noqa: F401
except ImportError:  # CPython: no browser
    pass
