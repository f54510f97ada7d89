"""A wall screen in the browser: a dashboard's auto-refresh rounds, run as core/wall.py says, and one quiet
status line saying how they go ("Updated 14:05", "Reconnecting…", or plainly that the session ended).

Each round first asks Looker who is signed in (`GET user?fields=id`: the client renews the access token on
the way when it is due), and redraws only when Looker answered: during an outage the screen keeps what it
shows, with no error in its tiles and no sign-in prompt, and tries again by itself."""

import asyncio
import gc

import js

from ..core import sign_in_again, wall
from ..core.errors import LookerError
from .dom import h, release, replace

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from ..driver.client import Client
    from .bridge import JsValue

STATUS_ID = "wall-status"


class Wall:
    """Rounds every `interval` seconds while `live()` is true: check the session, then `await redraw()`.
    The status line is the one #wall-status in `container` (made on first use). `on_ended()` hears the
    end of the session (the page's header, say); `jitter()` gives a number in [0, 1); `redrawn` is the
    element redraw() refills (its old handlers are released first, dom.release)."""

    def __init__(self, client: "Client", container: "JsValue", interval: float, redraw: "Callable[[], Awaitable[Any]]",
                 live: "Callable[[], bool | int]", on_ended: "Callable[[], Any] | None" = None,
                 jitter: "Callable[[], float] | None" = None, redrawn: "JsValue" = None) -> None:
        self.client, self.interval, self.redraw, self.live = client, interval, redraw, live
        self.redrawn = redrawn  # the element whose content redraw() replaces: its old handlers are released
        self.on_ended = on_ended
        self.jitter = jitter or (lambda: client.random_bytes(1)[0] / 256)
        self.status = container.querySelector("#" + STATUS_ID)
        if self.status is None:
            self.status = h("p", {"id": STATUS_ID, "class": "wall-status muted", "role": "status"})
            container.appendChild(self.status)
        self.failures = 0  # rounds in a row that met an outage
        self.rounds = 0  # rounds that redrew (the status carries it as data-rounds)

    async def run(self) -> None:
        if not self.live():
            self.show("off", "")
            return
        wait: "float | None" = self.interval
        while wait is not None and self.live():
            await asyncio.sleep(wait)
            if not self.live():
                return
            wait = await self.round()

    async def round(self) -> "float | None":
        """One round; the seconds until the next, or None when the session ended."""
        try:
            await self.client.get("user", {"fields": "id"})
        except LookerError as exc:  # what it means is core/wall.py's to say
            kind = wall.outcome(exc)
            if kind == wall.ENDED:
                self.ended()
                return None
            if kind is None:
                raise
            self.failures += 1
            wait = wall.reconnect_delay(self.failures, self.interval, self.jitter())
            self.show(wall.OUTAGE, "Looker can't be reached just now. Reconnecting by itself…")
            return wait
        self.failures = 0
        if self.redrawn is not None:
            release(self.redrawn)  # redraw() replaces it at once (dom.release says why)
        await self.redraw()
        gc.collect()  # the released handlers' Python side, and the proxies of elements it held
        self.rounds += 1
        self.status.setAttribute("data-rounds", str(self.rounds))
        self.show("live", "Updated " + str(js.Date.new().toLocaleTimeString()))
        return self.interval

    def show(self, state: str, text: str) -> None:
        self.status.setAttribute("data-state", state)
        self.status.setAttribute("role", "status")
        self.status.className = "wall-status muted"
        replace(self.status, text)

    def ended(self) -> None:
        """Said plainly, once, with the way on; the screen never leaves for Looker's sign-in by itself
        when Looker ended the session. A screen that borrowed the session from a tab that is gone is not
        ended: the page is leaving to sign in again (core/sign_in_again.py), and the status says so."""
        if self.client.leaving:
            self.show("leaving", "")
            replace(self.status, h("strong", {}, sign_in_again.HEADLINE + " "), sign_in_again.REASON)
            return
        self.status.setAttribute("data-state", wall.ENDED)
        self.status.setAttribute("role", "alert")
        self.status.className = "wall-status error"
        replace(self.status, h("strong", {}, "This screen is signed out: "),
                "Looker ended its session (a sign-in lasts only so long), so the dashboard stopped updating. ",
                h("button", {"type": "button", "class": "primary", "id": "wall-sign-in",
                             "on_click": lambda event: self.client.sign_in()}, "Sign in"))
        if self.on_ended is not None:
            self.on_ended()
