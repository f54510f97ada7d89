"""Building the page from Python: elements, text and events, never HTML strings.

Every value reaches the page through createTextNode or textContent, so data
that looks like markup stays text.
"""

import asyncio

import js

from .bridge import create_proxy, now_ms  # noqa: F401  (now_ms: pages time things with dom.now_ms)

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from .bridge import JsValue

    Child = Any  # an element, a str/int/float (drawn as text), None/False (nothing), or a list/tuple of children

document = js.document


def _append(parent: "JsValue", child: "Child") -> None:
    if child is None or child is False:
        return
    if isinstance(child, (list, tuple)):
        for item in child:
            _append(parent, item)
    elif isinstance(child, (str, int, float)):
        parent.appendChild(document.createTextNode(str(child)))
    else:
        parent.appendChild(child)


def h(tag: str, attrs: "dict[str, Any] | None" = None, *children: "Child") -> "JsValue":
    """An element: h("button", {"class": "primary", "on_click": handler}, "Run")."""
    element = document.createElement(tag)
    for key, value in (attrs or {}).items():
        if key.startswith("on_"):
            listen(element, key[3:], value)
        elif key == "class":
            element.className = value
        elif key == "value":
            element.value = str(value)
        elif key == "checked":
            element.checked = bool(value)
        elif value is True:
            element.setAttribute(key, "")
        elif value is not None and value is not False:
            element.setAttribute(key, str(value))
    _append(element, list(children))
    return element


def replace(element: "JsValue", *children: "Child") -> "JsValue":
    """Swap an element's contents."""
    element.replaceChildren()
    _append(element, list(children))
    return element


def by_id(element_id: str) -> "JsValue":
    return document.getElementById(element_id)


def listen(element: "JsValue", event: str, handler: "Callable[[JsValue], Any]") -> None:
    """Call handler(event); a coroutine handler runs as a task.

    Forms never submit natively: the page has no backend, and a coroutine
    handler would run too late to prevent it.
    """

    def on_event(event_object: "JsValue") -> None:
        if event == "submit":
            event_object.preventDefault()
        outcome = handler(event_object)
        if outcome is not None and hasattr(outcome, "send"):
            asyncio.create_task(outcome)

    proxy = create_proxy(on_event)
    element.addEventListener(event, proxy)
    listeners = getattr(element, "lookerPkceListeners", None)  # on the element, for release(): no registry here
    if not listeners:
        listeners = element.lookerPkceListeners = js.Array.new()
    listeners.push(event)
    listeners.push(proxy)


def release(root: "JsValue") -> None:
    """Remove the listeners listen() put on `root` and everything in it, before `root`'s content is
    dropped for good. A handler that refers to its own element is a cycle across the interpreter's bridge
    (the element's listener -> its Python closure -> the closure's proxy of the element) that neither
    garbage collector frees: a page that redraws all day (a wall screen) grew by its old handlers."""
    for element in [root] + list(root.querySelectorAll("*")):
        listeners = getattr(element, "lookerPkceListeners", None)
        if listeners:
            for index in range(0, int(listeners.length), 2):  # event, handler, event, handler...
                element.removeEventListener(listeners[index], listeners[index + 1])
            element.lookerPkceListeners = None


def field_value(element: "JsValue") -> str:
    return str(element.value)


def download(filename: str, blob: "JsValue") -> None:
    """Save a JavaScript Blob as a file through a temporary object URL."""
    url = js.URL.createObjectURL(blob)
    link = h("a", {"href": url, "download": filename})
    document.body.appendChild(link)
    link.click()
    link.remove()
    js.setTimeout(create_proxy(lambda: js.URL.revokeObjectURL(url)), 10000)


