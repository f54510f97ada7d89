"""How a Client reaches the other contexts of its origin: locks and a message channel.

The session rules (`session.py`) need three things from the platform, and nothing else:

- `exclusive(name, critical, timeout)`: run `critical()` while holding the origin-wide lock
  `name`, or raise LockTimeout when it is not granted within `timeout` seconds;
- `hold(name)`: hold the lock `name` in shared mode until the returned function is called
  (or the context ends), and `held(name)`: whether any context holds it;
- `post(text)` to every sibling on the session's channel, and `listen(callback)`.

The browser provides them with the Web Locks API and a BroadcastChannel
(`browser/siblings.py`). `Neighbourhood` provides them in-process, for CPython and
tests: each `Neighbourhood().context()` is one context, and contexts of one
neighbourhood are siblings.
"""

import asyncio

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any


class LockTimeout(Exception):
    """A lock was not granted within its timeout (another context holds it)."""


class Neighbourhood:
    """An origin, in one process: its locks, its shared holds and its channels."""

    def __init__(self) -> None:
        self._locks: "dict[str, asyncio.Lock]" = {}
        self._holds: "dict[str, int]" = {}  # name -> how many contexts hold it
        self._members: "list[tuple[str, LocalSiblings]]" = []  # [(channel name, context)]

    def context(self) -> "LocalSiblings":
        return LocalSiblings(self)

    def _lock(self, name: str) -> asyncio.Lock:
        if name not in self._locks:
            self._locks[name] = asyncio.Lock()
        return self._locks[name]


class LocalSiblings:
    """One context of a Neighbourhood, bound to a session's channel by `join_channel`."""

    def __init__(self, neighbourhood: Neighbourhood) -> None:
        self._hood = neighbourhood
        self._channel: "str | None" = None
        self._listeners: "list[Callable[[str], None]]" = []
        self.available = True

    def join_channel(self, name: str) -> None:
        self._channel = name
        self._hood._members.append((name, self))

    async def exclusive(self, name: str, critical: "Callable[[], Awaitable[Any]]", timeout: float) -> "Any":
        lock = self._hood._lock(name)
        if lock.locked():  # only then a wait that may need to end (MicroPython: see client._wait)
            try:
                await asyncio.wait_for(lock.acquire(), timeout)
            except asyncio.TimeoutError:
                raise LockTimeout(name)
        else:
            await lock.acquire()
        try:
            return await critical()
        finally:
            lock.release()

    def hold(self, name: str) -> "Callable[[], None]":
        holds = self._hood._holds
        holds[name] = holds.get(name, 0) + 1
        released: "list[bool]" = []

        def release() -> None:
            if not released:
                released.append(True)
                holds[name] -= 1

        return release

    async def held(self, name: str) -> bool:
        return self._hood._holds.get(name, 0) > 0

    def post(self, text: str) -> None:
        for channel, member in self._hood._members:
            if member is not self and channel == self._channel:
                asyncio.create_task(member._deliver(text))  # like BroadcastChannel: later, not now

    def listen(self, callback: "Callable[[str], None]") -> None:
        self._listeners.append(callback)

    async def _deliver(self, text: str) -> None:
        await asyncio.sleep(0)
        for callback in self._listeners:
            callback(text)
