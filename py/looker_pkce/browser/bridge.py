"""Where JavaScript values cross into Python, on Pyodide and on MicroPython alike.

Everything in the library that receives a value from `js` (a callback's argument, a buffer,
random bytes, data) takes it through here, so the interpreters' differences live in one place.

The rule that bites: MicroPython's `js` bridge turns a JavaScript number whose value is a whole
number into a Python int of 32 bits, wrapped: `2**31 + 5` arrives as -2147483643, `Date.now()`
as a number near a billion, 2**53 as 0. Fractional numbers arrive intact. So data (a Looker sum,
an id, an epoch in milliseconds) never crosses as a JavaScript number: `to_python` takes it as
JSON text, which both interpreters parse exactly, and `epoch_ms` reads the clock as a fraction.
Your own page's code that reads numbers from `js` should do the same.
"""

import json

import js

try:
    from pyodide.ffi import create_proxy  # Pyodide
except ImportError:
    from jsffi import create_proxy  # (MicroPython's webassembly port, under PyScript or boot.js)

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeGuard

    JsValue = Any  # a JavaScript value as the `js` bridge hands it over (a proxy, or a str/int/float/bool/None)


def random_bytes(count: int) -> bytes:
    """Bytes from the browser's CSPRNG (crypto.getRandomValues)."""
    array = js.Uint8Array.new(count)
    js.crypto.getRandomValues(array)
    return bytes(array[i] for i in range(count))


def bytes_of(buffer: "JsValue") -> bytes:
    """The bytes of a JavaScript ArrayBuffer."""
    if hasattr(buffer, "to_py"):  # Pyodide
        return bytes(buffer.to_py())
    view = js.Uint8Array.new(buffer)  # MicroPython: copied element by element
    return bytes(view[i] for i in range(view.length))


def to_python(value: "JsValue", keys: "Sequence[str] | None" = None) -> "Any":
    """A JavaScript object or array as plain Python data, its numbers exact (only `keys` of an
    object, when given). Pass the container: `obj.count` has crossed, and wrapped, already."""
    text = js.JSON.stringify(value, to_js(keys) if keys is not None else None)
    return None if text is None or str(text) == "undefined" else json.loads(str(text))


def to_js(value: "Any") -> "JsValue":
    """Plain Python data as a JavaScript value (objects, arrays, numbers, strings)."""
    return js.JSON.parse(json.dumps(value))


def epoch_ms() -> float:
    """Milliseconds since the epoch, exact on MicroPython too (js.Date.now() would wrap): the
    page's time origin read as JSON text, plus the time since (a fraction, which crosses intact)."""
    return to_python(js.performance, ["timeOrigin"])["timeOrigin"] + float(js.performance.now())


def defined(value: "JsValue") -> "TypeGuard[JsValue]":
    """False for None, JavaScript's undefined and null (and ""), however the interpreter hands them over."""
    return value is not None and bool(js.Boolean(value))


def promise() -> "tuple[JsValue, Callable[..., None]]":
    """A JavaScript Promise and the function that resolves it."""
    box: "list[Callable[..., None]]" = []
    made = js.Promise.new(create_proxy(lambda resolve, reject: box.append(resolve)))
    return made, box[0]


def now_ms() -> float:
    """Milliseconds since the page started (for durations): a fraction, or a whole number below
    2**31 for the page's first 24 days, so it crosses as a number."""
    return float(js.performance.now())


def tagged_json(text: str) -> "str | None":
    """JSON text in core.ordered's tagged form, written by the page's JavaScript (the lean loader's
    window.lookerPkceTaggedJson, assets/boot.js); None when the text is not JSON."""
    tagged = js.window.lookerPkceTaggedJson(text)
    return str(tagged) if defined(tagged) else None


def json_text(value: "JsValue") -> str:
    """A JavaScript value as JSON text (str), for Python to parse or pass on exactly."""
    return str(js.JSON.stringify(value))
