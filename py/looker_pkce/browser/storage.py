"""Web Storage as the client's storage: sessionStorage by default, localStorage only when asked for,
or memory."""

import js

from ..driver.client import MemoryStorage
from .bridge import defined


class WebStorage:
    """sessionStorage (per tab: survives reload, gone when the tab closes) or localStorage."""

    def __init__(self, area):
        self._area = area

    def get(self, key):
        value = self._area.getItem(key)
        return str(value) if defined(value) else None

    def set(self, key, value):
        self._area.setItem(key, value)

    def remove(self, key):
        self._area.removeItem(key)




STORAGES = {
    "session": lambda: WebStorage(js.sessionStorage),
    "memory": MemoryStorage,
    "local": lambda: WebStorage(js.localStorage),  # only when asked for: survives the tab
}
