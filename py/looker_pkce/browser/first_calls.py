"""The lean loader's head start: the page's first calls (session.FirstCalls) kept in this tab's
sessionStorage, and the answers assets/boot.js already fetched for them."""

import js

from ..core import session
from .bridge import defined
from .storage import WebStorage
from .transport import read_response

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable
    from typing import Any

    from ..core.messages import Response
    from .bridge import JsValue


class HeadStart:
    """The page's first calls (session.FirstCalls) in this tab's sessionStorage, and the answers the
    lean loader already has for them (window.lookerPkceFirstCalls: promises aligned with the record)."""

    def __init__(self, ident: str) -> None:
        self.key = session.first_calls_key(ident)
        self.storage = WebStorage(js.sessionStorage)
        self.record = session.FirstCalls(self.storage.get(self.key), str(js.location.pathname) + str(js.location.hash))
        loader = getattr(js.window, "lookerPkceFirstCalls", None)
        sent = js.Reflect.get(loader, self.key) if defined(loader) else None
        self.sent = sent if defined(sent) else None
        legacy = session.storage_key(ident, "first calls ")  # the per-page records of earlier versions
        for index in reversed(range(int(js.sessionStorage.length))):
            name = str(js.sessionStorage.key(index))
            if name.startswith(legacy):
                self.storage.remove(name)

    def take(self, call: "list[Any] | None", keep: "str | None" = None) -> "Awaitable[Response | None] | None":
        """Remember `call` (a session.first_call record, or None); the loader's answer to it, once, or None."""
        if self.record.done():
            return None  # nothing left to remember or to take: the usual path, at no cost
        recording = self.record.recording
        index = self.record.take(call)
        if recording:
            self._store()
        if index is None or self.sent is None or index >= int(self.sent.length):
            return None
        return self._taken(self.sent[index], keep)

    def expect(self, count: int) -> None:
        """The page's next `count` calls belong to its start-up: remembered too (session.FirstCalls.expect)."""
        self.record.expect(count)

    def forget(self) -> None:
        """The session ended: no call is remembered any more, and none of the loader's answers is taken."""
        self.record = session.FirstCalls(None, self.record.page)
        self.sent = None
        self.storage.remove(self.key)

    def _store(self) -> None:
        text = self.record.stored()
        if text is None:
            self.storage.remove(self.key)
        else:
            self.storage.set(self.key, text)

    async def _taken(self, sent: "JsValue", keep: "str | None") -> "Response | None":
        answer = await sent
        return await read_response(answer, keep) if defined(answer) else None
