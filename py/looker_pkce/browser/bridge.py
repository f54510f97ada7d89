"""Where JavaScript values cross into Python, on Pyodide and on MicroPython alike.

Everything in the library that receives a value from `js` (a callback's argument, a buffer,
random bytes) takes it through here, so the interpreters' differences live in one place.
"""

import js

try:
    from pyodide.ffi import create_proxy  # Pyodide
except ImportError:
    from jsffi import create_proxy  # noqa: F401  (MicroPython's webassembly port, under PyScript or boot.js)


def random_bytes(count):
    """Bytes from the browser's CSPRNG (crypto.getRandomValues)."""
    array = js.Uint8Array.new(count)
    js.crypto.getRandomValues(array)
    return bytes(array[i] for i in range(count))


def bytes_of(buffer):
    """The bytes of a JavaScript ArrayBuffer."""
    if hasattr(buffer, "to_py"):  # Pyodide
        return bytes(buffer.to_py())
    view = js.Uint8Array.new(buffer)  # MicroPython: copied element by element
    return bytes(view[i] for i in range(view.length))
