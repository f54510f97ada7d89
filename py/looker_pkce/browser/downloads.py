"""A file download people can follow and stop: its progress in words as the body arrives, a Cancel
button that aborts the fetch (an AbortSignal through client.request), the file saved once complete."""

import js

from ..core import wording
from ..core.errors import Cancelled, LookerError
from .dom import download, h, replace

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from .bridge import JsValue

    Progress = Callable[[int, "int | None"], None]  # (bytes so far, Content-Length or None)


async def save(where: "JsValue", button: "JsValue", file_name: str,
               fetch: "Callable[[JsValue, Progress], Awaitable[JsValue]]",
               on_error: "Callable[[JsValue, BaseException], Any]") -> None:
    """Download `file_name`: `fetch(signal, on_progress)` returns its Blob (client.request with
    keep="js-blob", signal=, on_progress=). `button` (what started it) waits meanwhile; a status line
    in `where` says how far it got, with Cancel, then how it ended; a failure goes to `on_error(where, exc)`."""
    controller = js.AbortController.new()
    status = h("span", {"class": "download-status"}, wording.download_progress(file_name, 0, None))
    cancel = h("button", {"type": "button", "class": "download-cancel",
                          "on_click": lambda event: controller.abort()}, "Cancel download")
    line = h("div", {"class": "download", "role": "status"}, status, cancel)
    for earlier in list(where.querySelectorAll(":scope > .download")):
        earlier.remove()
    where.appendChild(line)
    button.disabled = True
    received = [0]

    def progress(count: int, total: "int | None") -> None:
        received[0] = count
        replace(status, wording.download_progress(file_name, count, total))

    try:
        download(file_name, await fetch(controller.signal, progress))
        replace(status, wording.download_done(file_name, received[0]))
    except Cancelled:
        replace(status, wording.download_cancelled(file_name, received[0]))
    except LookerError as exc:
        line.remove()
        on_error(where, exc)
    finally:
        had_focus = js.document.activeElement == cancel
        cancel.remove()
        button.disabled = False
        if had_focus:
            button.focus()
