"""Text the views share, pure: JSON laid out for people (in the data's order) and durations.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

import json


def pretty(data, indent=""):
    """JSON with two-space indentation (MicroPython's json.dumps has no indent), in the data's order."""
    inner = indent + "  "
    if isinstance(data, dict) and data:
        items = [inner + json.dumps(str(k)) + ": " + pretty(data[k], inner) for k in data]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(data, list) and data:
        return "[\n" + ",\n".join(inner + pretty(v, inner) for v in data) + "\n" + indent + "]"
    return json.dumps(data)


def seconds(ms):
    return str(int(ms) // 1000) + "." + str(int(ms) % 1000 // 100) + " s"
