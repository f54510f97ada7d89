"""The address bar (where the page is, leaving it, rewriting it without a history entry) and whether
the page sits in another site's frame."""

import js

from .bridge import defined


class Navigator:
    """The address bar: where we are, leaving, and rewriting without a history entry."""

    def current_url(self) -> str:
        return str(js.location.href)

    def current_path(self) -> str:
        return str(js.location.pathname) + str(js.location.search) + str(js.location.hash)

    def assign(self, url: str) -> None:
        js.location.assign(url)

    def replace(self, url: str) -> None:
        js.history.replaceState(js.history.state, "", url)




def framed_by_another_origin() -> bool:
    """True inside a frame of another origin: the page guard knows (assets/guard.js); without
    it, the frame's ancestors as the browser lists them (Python cannot touch the other window)."""
    guard = getattr(js.window, "lookerPkceGuard", None)
    if defined(guard):
        return bool(guard.framedByAnotherOrigin)
    ancestors = getattr(js.location, "ancestorOrigins", None)
    if not defined(ancestors):
        return False
    own = str(js.location.origin)
    return any(str(ancestors.item(i)) != own for i in range(int(ancestors.length)))
