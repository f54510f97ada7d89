"""JSON as a collapsible tree, keys in the order Looker sent them, on both interpreters.

MicroPython's dict does not keep insertion order, so the tree walks the value as the browser
parsed it (JSON.parse keeps key order) and never builds Python dicts from it.
"""

import json

import js

from looker_pkce.browser.bridge import json_text, to_js, to_python
from looker_pkce.browser.dom import h

OPEN_DEPTH = 2  # levels shown open
MAX_CHILDREN = 300  # per node; the rest is counted, not drawn


def parse(text):
    """JSON text -> the browser's value (a JS object keeps its key order)."""
    return js.JSON.parse(text)


def from_python(value):
    """A Python value as a browser value (a dict's own order, which is insertion order on CPython)."""
    return to_js(value)


def _kind(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return "leaf"
    return "list" if js.Array.isArray(value) else "dict"  # JSON.parse makes nothing else


def _items(value, kind):
    if kind == "list":
        return [(i, _child(value, kind, i)) for i in range(min(int(value.length), MAX_CHILDREN))], int(value.length)
    keys = js.Object.keys(value)
    count = int(keys.length)
    return [(str(keys[i]), _child(value, kind, str(keys[i]))) for i in range(min(count, MAX_CHILDREN))], count


def _child(value, kind, key):
    """value[key]; a whole number read again as JSON text (bridge.to_python): it may have crossed wrapped."""
    child = value[key]
    if isinstance(child, int) and not isinstance(child, bool):
        return to_python(value.slice(key, key + 1))[0] if kind == "list" else to_python(value, [key])[key]
    return child


def tree(value, key=None, depth=0):
    """A browser JSON value (from parse/from_python) as <details> nodes; every value is text."""
    label = (str(key) + ": ") if key is not None else ""
    kind = _kind(value)
    if kind == "leaf":
        shown = json.dumps(value) if isinstance(value, (str, int)) else json_text(value)  # ints: exact already
        return h("div", {"class": "json-leaf"}, label, h("span", {"class": "json-value"}, shown))
    items, count = _items(value, kind)
    summary = label + ("{…} " + str(count) + " keys" if kind == "dict" else "[…] " + str(count))
    children = [tree(child, name, depth + 1) for name, child in items]
    if count > len(items):
        children.append(h("div", {"class": "json-leaf muted"}, "… " + str(count - len(items)) + " more"))
    node = h("details", {"class": "json-node"}, h("summary", {}, summary), h("div", {"class": "json-children"},
                                                                            children))
    if depth < OPEN_DEPTH:
        node.open = True
    return node
