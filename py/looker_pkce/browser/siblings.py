"""The other contexts of this origin (tabs, interpreters) as driver.siblings describes them: Web Locks
for who refreshes, a BroadcastChannel for what changed."""

import js

from ..driver.siblings import LockTimeout
from .bridge import create_proxy, defined, promise, to_js


class WebSiblings:
    """The other contexts of this origin (tabs, interpreters): Web Locks and a BroadcastChannel."""

    def __init__(self):
        self._channel = None
        self._listeners = []
        self.available = True

    @staticmethod
    def supported():
        return defined(getattr(js.navigator, "locks", None)) and defined(getattr(js, "BroadcastChannel", None))

    def join_channel(self, name):
        self._channel = js.BroadcastChannel.new(name)
        self._channel.onmessage = create_proxy(self._deliver)

    async def exclusive(self, name, critical, timeout):
        granted, grant = promise()
        finished, finish = promise()

        def on_grant(lock):
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

    def hold(self, name):
        forever, release = promise()
        js.navigator.locks.request(name, to_js({"mode": "shared"}), create_proxy(lambda lock: forever))
        return lambda: release(True)

    async def held(self, name):
        snapshot = await js.navigator.locks.query()
        return any(str(snapshot.held[index].name) == name for index in range(int(snapshot.held.length)))

    def post(self, text):
        self._channel.postMessage(text)

    def listen(self, callback):
        self._listeners.append(callback)

    def _deliver(self, event):
        text = str(event.data)
        for callback in self._listeners:
            callback(text)
