"""Looker's refusals in words a person reads, pure: what happened, what to do, Looker's own details.

`explain` takes the error's plain parts (its class name, status, Looker's message and errors[], the
call's path), never the exception, so CPython tests it without the library's classes; the view adds
the documentation link as a link and, for what does not exist, a way back.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

THINGS = {"looks": "Look", "dashboards": "dashboard", "folders": "folder", "lookml_models": "model",
          "queries": "query", "users": "user"}
HEADLINES = {  # error class -> what it means for the person
    "Forbidden": "Your Looker role does not allow this.",
    "RateLimited": "Looker is busy right now; try again in a moment.",
    "ServerError": "Looker could not answer just now; try again, and tell your Looker admin if it keeps happening.",
    "NetworkError": "Looker could not be reached; check your connection and try again.",
    "Timeout": "Looker took too long to answer; try again.",
}
NEEDED = {  # a call Looker refuses (its path's start) -> the permission it asks (docs/REAL_LOOKER.md#the-viewer)
    "queries/run/": ("Looker runs a query a page makes up only for people whose role has the “explore” permission: "
                     "ask your Looker admin for it. Saved Looks and dashboards need only that they are shared with you."),
}


def thing(path: "str | None") -> str:
    """"looks/99999" -> "Look 99999"; a path naming nothing known -> "this item"."""
    parts = [p for p in (path or "").split("?")[0].split("/") if p]
    if len(parts) >= 2 and parts[0] in THINGS and any(c.isdigit() or c == ":" for c in parts[1]):  # an id
        return THINGS[parts[0]] + " " + parts[1]
    return "this item"


def needed(path: "str | None") -> "list[str]":
    """What Looker asks for the call at `path` and what to do, when NEEDED knows it."""
    call = (path or "").lstrip("/")
    return [text for start, text in NEEDED.items() if call.startswith(start)]


def explain(kind: str, status: "int | None" = None, message: str = "", errors: "Sequence[Any] | None" = (),
            path: str = "") -> "tuple[str, list[str]]":
    """(headline, [details]) for an error of class `kind` (e.g. "NotFound") with Looker's parts."""
    details = []
    for item in errors or []:
        text = item.get("message", "") if isinstance(item, dict) else str(item)
        field = item.get("field", "") if isinstance(item, dict) else ""
        if text:
            details.append((field + ": " if field and field not in text else "") + text)
    if kind == "NotFound":
        return "Looker has no " + thing(path) + ", or it is not shared with you.", details
    if kind in HEADLINES:
        return HEADLINES[kind], ([message] if message and kind == "Forbidden" else []) + details + (
            needed(path) if kind == "Forbidden" else [])
    if status == 422 or (status is not None and 400 <= status < 500):
        return "Looker could not do this: " + (message or "it refused the request") + ".", details
    return message or "Something went wrong.", details


def bad_filters(errors: "Sequence[Any] | None", filters: "Iterable[tuple[str, str]]") -> "list[str]":
    """The filter fields a query's 422 blames: Looker names "filters" and quotes the expression."""
    blamed = []
    texts = [item.get("message", "") for item in errors or [] if isinstance(item, dict)
             and str(item.get("field", "")).startswith("filters")]
    for field, expression in filters:
        if expression and any("'" + expression + "'" in text or field in text for text in texts):
            blamed.append(field)
    return blamed


def size(count: int) -> str:
    """A byte count for people: "512 bytes", "12 KB", "3.4 MB"."""
    if count < 1024:
        return str(count) + (" byte" if count == 1 else " bytes")
    if count < 1024 * 1024:
        return str(count // 1024) + " KB"
    tenths = count * 10 // (1024 * 1024)
    return str(tenths // 10) + "." + str(tenths % 10) + " MB"


def download_progress(name: str, received: int, total: "int | None") -> str:
    """ "Downloading sales.csv: 12 KB of 40 KB (30 %)", or without the total when the answer did not say it."""
    if total:
        return ("Downloading " + name + ": " + size(received) + " of " + size(total)
                + " (" + str(min(100, received * 100 // total)) + " %)")
    return "Downloading " + name + ": " + size(received)


def download_done(name: str, received: int) -> str:
    return "Downloaded " + name + " (" + size(received) + ")." if received else "Downloaded " + name + "."


def download_cancelled(name: str, received: int) -> str:
    return "Download of " + name + " cancelled" + (" after " + size(received) if received else "") + "."
