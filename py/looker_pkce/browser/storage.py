"""Web Storage as the client's storage: sessionStorage by default, localStorage only when asked for,
or memory."""

import js

from ..driver.client import MemoryStorage
from .bridge import defined

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable

    from ..driver.client import Storage
    from .bridge import JsValue


class WebStorage:
    """sessionStorage (per tab: survives reload, gone when the tab closes) or localStorage."""

    def __init__(self, area: "JsValue") -> None:
        self._area = area

    def get(self, key: str) -> "str | None":
        value = self._area.getItem(key)
        return str(value) if defined(value) else None

    def set(self, key: str, value: str) -> None:
        self._area.setItem(key, value)

    def remove(self, key: str) -> None:
        self._area.removeItem(key)




STORAGES: "dict[str, Callable[[], Storage]]" = {
    "session": lambda: WebStorage(js.sessionStorage),
    "memory": MemoryStorage,
    "local": lambda: WebStorage(js.localStorage),  # only when asked for: survives the tab
}
