"""Running a person's scratchpad code, on MicroPython or Pyodide alike.

The code runs inside `async def`, so `await looker.get(...)` works at its top level, with the
names the scratchpad gives it (`looker`, `show`, ...). A failure comes back as a short,
plain message with the line of the person's code it happened on, never a raw traceback.

This is not a sandbox: the code runs with the page's session, which is why code from a
shared link never runs until the person presses Run.
"""

import json

from looker_pkce.browser.bridge import json_text

from .traces import ENTRY, describe, wrap


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
            return {"kind": "query", "rows": json_text(value.rows), "fields": list(value.fields),
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
            text = json_text(value)
        if text is not None:
            return {"kind": "json", "json": text}
        return {"kind": "text", "text": repr(value)}
