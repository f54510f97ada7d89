"""Dashboard and Look rules, pure: filter values in the address, the auto-refresh menu, which call
runs a tile, the calls a first draw makes, whether the tiles need the chart library, download file
names, the drill panel's subtitle.

The address keeps what a person chose, as Looker's own dashboard URLs do (`?State=Texas&Date=7+days`,
the filters' names): a reload restores it and a link shares it. `refresh` is the wall-screen setting.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

from . import formats, ordered, series
from .compat import quote

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

    from .series import Meta, Row

    Choices = list[tuple[str, str]]  # the auto-refresh menu: [(seconds, label)]

REFRESH_CHOICES = [("0", "Auto-refresh off"), ("60", "every minute"), ("300", "every 5 minutes"),
                   ("900", "every 15 minutes")]
REFRESH_FLOOR = 5  # seconds: a faster link would have every tile re-run several times a second
RESERVED = ("refresh",)  # address keys that are not filter names


def refresh_choices(wanted: "str | None") -> "tuple[Choices, str, str | None]":
    """The auto-refresh menu and the chosen value: `wanted` (the link's ?refresh=<seconds>, for a
    wall screen) joins the menu when it is not on it. (choices, value, problem or None)."""
    if not wanted:
        return REFRESH_CHOICES, "0", None
    if not wanted.isdigit() or int(wanted) < 1:
        return REFRESH_CHOICES, "0", "refresh must be a whole number of seconds, not “" + wanted + "”; auto-refresh is off."
    if int(wanted) < REFRESH_FLOOR:
        return (REFRESH_CHOICES, "0", "refresh must be at least " + str(REFRESH_FLOOR) + " seconds, not "
                + str(int(wanted)) + "; auto-refresh is off.")
    seconds = str(int(wanted))
    if seconds in [v for v, _ in REFRESH_CHOICES]:
        return REFRESH_CHOICES, seconds, None
    return REFRESH_CHOICES + [(seconds, "every " + seconds + " s")], seconds, None


def filter_values(filters: "list[dict[str, Any]] | None", params: "dict[str, str]") -> "list[tuple[str, str]]":
    """[(name, value)] in the dashboard's order: the address's value, else the filter's default."""
    return [(f["name"], params[f["name"]] if f["name"] in params else f.get("default_value") or "")
            for f in filters or []]


def address(path: str, filters: "Iterable[tuple[str, str]]", values: "Iterable[tuple[str, str]]",
            refresh: str = "0") -> str:
    """`path` (#/dashboard/1, #/look/1) with the values that differ from the filters' defaults, then the
    auto-refresh choice. `filters` is [(name, default)], `values` [(name, value)]."""
    defaults = dict(filters)
    params = [(name, value) for name, value in values if value != (defaults.get(name) or "")]
    if refresh and refresh != "0":
        params.append(("refresh", refresh))
    return path + ("?" + "&".join(quote(k) + "=" + quote(v) for k, v in params) if params else "")


def saved_run(query: "dict[str, Any]", body: "dict[str, Any]") -> "str | None":
    """The saved query that gives `body`'s rows ("queries/<id>/run"), or None when the filters changed
    and Looker needs a new query (create_query) first. Running a saved query is what Looker lets
    everyone who can see a tile do; a new inline query needs the "explore" permission."""
    own = [(f, v) for f, v in ordered.pairs(query.get("filters")) if v != ""]
    if not query.get("id") or own != ordered.pairs(body.get("filters")):
        return None
    return "queries/" + str(query["id"]) + "/run"


def first_draw_calls(elements: "Iterable[dict[str, Any]]") -> int:
    """The API calls a dashboard's tiles make when first drawn: one per tile with a query (its rows) and one per
    explore those use (its fields' metadata, which the tiles share). Text tiles make none."""
    queries = [element["query"] for element in elements if element.get("type") != "text" and element.get("query")]
    return len(queries) + len({(query.get("model"), query.get("view")) for query in queries})


def draws_charts(elements: "Iterable[dict[str, Any]]") -> bool:
    """Does any of these dashboard elements draw its query as a chart (series.VIS_CHARTS: the page needs
    Chart.js), rather than as a single value, a table or text?"""
    for element in elements:
        vis = (element.get("query") or {}).get("vis_config")
        if isinstance(vis, dict) and vis.get("type") in series.VIS_CHARTS:
            return True
    return False


def file_name(title: "str | None", extension: str) -> str:
    """A download's file name from a title: "Revenue, last 30 days" -> "revenue_last_30_days.csv"."""
    words, word = [], ""
    for char in (title or "").lower():
        if char.isalpha() or char.isdigit():
            word += char
        elif word:
            words.append(word)
            word = ""
    if word:
        words.append(word)
    return "_".join(words or ["data"]) + "." + extension


def drill_subtitle(body: "dict[str, Any]", row: "Row", meta: "Meta") -> str:
    """The drill panel's subtitle: the clicked row's dimension values, labelled and formatted, in the
    query's field order ("State: Texas · Count: 22")."""
    parts = []
    for name in body["fields"]:
        value = row.get(name) if name in row else None
        if name not in row or isinstance(value, (dict, list)):
            continue
        info = meta.get(name) or {}
        parts.append((info.get("label") or name) + ": " + formats.format_value(value, info.get("spec")))
    return " · ".join(parts)
