"""The other contexts of this origin (tabs, interpreters) as driver.siblings describes them: Web Locks
for who refreshes, a BroadcastChannel for what changed."""

import js

from ..driver.siblings import LockTimeout
from .bridge import create_proxy, defined, promise, to_js

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from .bridge import JsValue


class WebSiblings:
    """The other contexts of this origin (tabs, interpreters): Web Locks and a BroadcastChannel."""

    def __init__(self) -> None:
        self._channel: "JsValue" = None
        self._listeners: "list[Callable[[str], None]]" = []
        self.available = True

    @staticmethod
    def supported() -> bool:
        return defined(getattr(js.navigator, "locks", None)) and defined(getattr(js, "BroadcastChannel", None))

    def join_channel(self, name: str) -> None:
        self._channel = js.BroadcastChannel.new(name)
        self._channel.onmessage = create_proxy(self._deliver)

    async def exclusive(self, name: str, critical: "Callable[[], Awaitable[Any]]", timeout: float) -> "Any":
        granted, grant = promise()
        finished, finish = promise()

        def on_grant(lock: "JsValue") -> "JsValue":
            grant(True)
            return finished  # the lock is held until this settles

        options = to_js({"mode": "exclusive"})
        options.signal = js.AbortSignal.timeout(int(timeout * 1000))  # ignored once granted
        held = js.navigator.locks.request(name, options, create_proxy(on_grant))
        held.catch(create_proxy(lambda reason: grant(False)))  # not granted in time
        if not await granted:
            raise LockTimeout(name)
        try:
            return await critical()
        finally:
            finish(True)
            await held

    def hold(self, name: str) -> "Callable[[], None]":
        forever, release = promise()
        js.navigator.locks.request(name, to_js({"mode": "shared"}), create_proxy(lambda lock: forever))
        return lambda: release(True)

    async def held(self, name: str) -> bool:
        snapshot = await js.navigator.locks.query()
        return any(str(snapshot.held[index].name) == name for index in range(int(snapshot.held.length)))

    def post(self, text: str) -> None:
        self._channel.postMessage(text)

    def listen(self, callback: "Callable[[str], None]") -> None:
        self._listeners.append(callback)

    def _deliver(self, event: "JsValue") -> None:
        text = str(event.data)
        for callback in self._listeners:
            callback(text)
