"""Running a person's scratchpad code, on MicroPython or Pyodide alike.

The code runs inside `async def`, so `await looker.get(...)` works at its top level, with the
names the scratchpad gives it (`looker`, `show`, ...). A failure comes back as a short,
plain message with the line of the person's code it happened on, never a raw traceback.

This is not a sandbox: the code runs with the page's session, which is why code from a
shared link never runs until the person presses Run.
"""

import io
import json
import sys

import js

from looker_pkce import LookerError

ENTRY = "__scratchpad__"
SOURCE = "<string>"  # the file name exec() gives the code on both interpreters


def wrap(code):
    """The code as the body of `async def __scratchpad__()` (its line n becomes line n + 1)."""
    lines = code.replace("\r\n", "\n").replace("\t", "    ").split("\n")
    return "async def " + ENTRY + "():\n" + "\n".join("    " + line for line in lines) + "\n    pass\n"


def traceback_text(exc):
    buffer = io.StringIO()
    if hasattr(sys, "print_exception"):  # MicroPython
        sys.print_exception(exc, buffer)
    else:
        import traceback
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=buffer)
    return buffer.getvalue()


def error_line(exc, line_count):
    """The line of the person's code the error happened on (the innermost frame in it), or None."""
    line = None
    lineno = getattr(exc, "lineno", None)  # CPython's SyntaxError
    if isinstance(lineno, int):
        line = lineno
    marker = 'File "' + SOURCE + '", line '
    for text in traceback_text(exc).split("\n"):
        if marker in text:
            digits = text.split(marker, 1)[1].split(",")[0].strip()
            if digits.isdigit():
                line = int(digits)
    if line is None:
        return None
    line -= 1  # the wrapper's own first line
    return line if 1 <= line <= line_count else None


def describe(exc, line_count):
    """{"type", "message", "line"}: the library's own message for a LookerError."""
    message = str(exc)
    if isinstance(exc, SyntaxError) and not message:
        message = "invalid syntax"
    if isinstance(exc, KeyError):
        message = "no key " + message + " in that dict"
    return {"type": type(exc).__name__, "message": message, "line": error_line(exc, line_count),
            "looker": isinstance(exc, LookerError)}


async def run(code, names):
    """Run the code with `names` as its globals; None when it finished, else describe()'s dict.
    Stop's asyncio.CancelledError (a BaseException on both interpreters) passes through."""
    line_count = len(code.split("\n"))
    namespace = dict(names)
    try:
        exec(wrap(code), namespace)
        await namespace[ENTRY]()
    except Exception as exc:  # the person's code: any failure is reported, none escapes
        return describe(exc, line_count)
    return None


class Shown:
    """The scratchpad's `show(value, chart=None)`: records what to draw, as plain JSON-able items.

    A query result (looker_pkce.browser.components.Result) is drawn as the grid, or as a chart with
    chart="looker_column" (any vis type the components know); dicts and lists as the JSON
    tree; anything else as text. `to_json` turns other values into JSON text, or None.
    """

    def __init__(self, to_json=None):
        self.items = []
        self.to_json = to_json

    def __call__(self, value, chart=None):
        self.items.append(self.item(value, chart))

    def item(self, value, chart):
        if hasattr(value, "rows") and hasattr(value, "fields") and hasattr(value, "pivots"):
            return {"kind": "query", "rows": str(js.JSON.stringify(value.rows)), "fields": list(value.fields),
                    "pivots": list(value.pivots), "meta": getattr(value, "meta", None),
                    "totals": getattr(value, "totals", None), "chart": chart}
        if isinstance(value, (dict, list, tuple)):
            try:
                return {"kind": "json", "json": json.dumps(value)}
            except (TypeError, ValueError):
                pass
        if isinstance(value, str):
            return {"kind": "text", "text": value}
        if value is None or isinstance(value, (bool, int, float)):
            return {"kind": "text", "text": repr(value)}
        text = self.to_json(value) if self.to_json is not None else None
        if text is None and type(value).__name__.startswith("Js"):  # a value kept in JavaScript
            text = str(js.JSON.stringify(value))
        if text is not None:
            return {"kind": "json", "json": text}
        return {"kind": "text", "text": repr(value)}
