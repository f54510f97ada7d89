"""Elapsed-time spinners while a call is in flight (tables, charts and single values are
looker_pkce.browser.components)."""

import asyncio

from looker_pkce.browser.dom import h, now_ms, replace


class Spinner:
    """'Running… 1.2 s' while a call is in flight."""

    def __init__(self, container, label):
        self.container = container
        self.label = label
        self.started = now_ms()
        self.text = h("span", {}, label)
        replace(container, h("div", {"class": "spinner", "role": "status"}, h("span", {"class": "dot"}), self.text))
        self.task = asyncio.create_task(self._tick())

    async def _tick(self):
        while True:
            await asyncio.sleep(0.1)
            self.text.textContent = self.label + " " + elapsed(self.started)

    def stop(self):
        self.task.cancel()
        return now_ms() - self.started


def elapsed(started):
    seconds = (now_ms() - started) / 1000
    return str(int(seconds * 10) / 10) + " s"
