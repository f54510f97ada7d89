"""Query bodies as Looker writes them, in Looker's order, and the explore's state in a link.

Filters are lists of (field, expression) pairs everywhere in the app: MicroPython's dict does not
keep insertion order. Bodies are OrderedDict (ordered.obj), so json.dumps writes them in order.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

import json

from . import ordered
from .compat import parse_query, quote

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections import OrderedDict
    from collections.abc import Sequence
    from typing import Any

    from .series import Meta, Row

    Body = OrderedDict[str, Any]  # a query body, its keys in Looker's order
    Filters = Sequence[tuple[str, str]]  # [(field, expression)]

BODY_KEYS = ["model", "view", "fields", "pivots", "filters", "sorts", "limit", "total", "vis_config"]
DEFAULT_LIMIT = "500"


def body(model: str, view: str, fields: "Sequence[str]", filters: "Filters" = (), sorts: "Sequence[str]" = (),
         limit: "str | int" = DEFAULT_LIMIT, pivots: "Sequence[str]" = (), vis_type: "str | None" = None,
         total: bool = False, stacking: str = "") -> "Body":
    """An inline-query body; `filters` is [(field, expression)], blank expressions left out; `stacking`
    (Looker's vis_config "stacking": "" grouped, "normal" stacked, "percent" stacked to 100 %) is kept beside the vis type."""
    items: "list[tuple[str, Any]]" = [("model", model), ("view", view), ("fields", list(fields))]
    if pivots:
        items.append(("pivots", list(pivots)))
    items.append(("filters", ordered.obj([(f, v) for f, v in filters if f and v != ""])))
    items.append(("sorts", list(sorts)))
    items.append(("limit", str(limit or DEFAULT_LIMIT)))
    if total:
        items.append(("total", True))
    if vis_type:
        vis = [("type", vis_type)] + ([("stacking", stacking)] if stacking else [])
        items.append(("vis_config", ordered.obj(vis)))
    return ordered.obj(items)


def saved_body(query: "dict[str, Any]", filters: "Filters | None" = None) -> "Body":
    """The inline-query body of a saved query (a Look's or a tile's), `filters` replacing its own."""
    pairs = ordered.pairs(query.get("filters")) if filters is None else filters
    vis = query["vis_config"] if isinstance(query.get("vis_config"), dict) else {}
    return body(query["model"], query["view"], query.get("fields") or [], pairs, query.get("sorts") or [],
                query.get("limit") or DEFAULT_LIMIT, query.get("pivots") or [], vis.get("type"),
                bool(query.get("total")), vis.get("stacking") or "")


def tile_filters(element: "dict[str, Any]", values: "Filters") -> "list[tuple[str, str]]":
    """A dashboard tile's filters: its query's own, then the dashboard filters it listens to.

    `values` is [(dashboard filter name, expression)]; a listened-to field replaces in place."""
    pairs = ordered.pairs((element.get("query") or {}).get("filters"))
    wanted = dict(values)
    maker = element.get("result_maker") or {}
    for filterable in maker.get("filterables") or []:
        for listener in filterable.get("listen") or []:
            value = wanted.get(listener.get("dashboard_filter_name"), "")
            if value:
                pairs = [(f, value if f == listener["field"] else v) for f, v in pairs]
                if listener["field"] not in [f for f, _ in pairs]:
                    pairs.append((listener["field"], value))
    return pairs


def share_hash(query_body: "dict[str, Any]") -> str:
    return "#/explore?q=" + quote(json.dumps(query_body))


class BadLink(ValueError):
    """A shared explore link whose query cannot be used; the message says which part and why."""


def _strings(value: object, name: str) -> "list[str]":
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadLink(name + " must be a list of field names, not " + json.dumps(value))
    return value


def from_hash(hash_query: str) -> "Body | None":
    """The query body a shared link carries (None when it carries none); BadLink names what is wrong."""
    text = parse_query(hash_query).get("q")
    if not text:
        return None
    try:
        data = ordered.loads(text)
    except ValueError as exc:
        raise BadLink("the query is not valid JSON (" + str(exc) + ")")
    if not isinstance(data, dict):
        raise BadLink("the query must be a JSON object")
    for key in ("model", "view"):
        if not isinstance(data.get(key), str) or not data.get(key):
            raise BadLink(key + " must be a name")
    filters = data.get("filters") or ordered.obj([])
    if not isinstance(filters, dict) or not all(isinstance(v, str) for _, v in ordered.pairs(filters)):
        raise BadLink("filters must be an object of field: expression, not " + json.dumps(filters))
    vis = data.get("vis_config") or ordered.obj([])
    if not isinstance(vis, dict) or not all(isinstance(vis.get(k, ""), str) for k in ("type", "stacking")):
        raise BadLink("vis_config must be an object such as {\"type\": \"looker_column\"}, not " + json.dumps(vis))
    limit = str(data.get("limit") or DEFAULT_LIMIT)
    if not limit.isdigit() or int(limit) < 1:
        raise BadLink("limit must be a positive whole number, not " + json.dumps(data.get("limit")))
    return body(data["model"], data["view"], _strings(data.get("fields") or [], "fields"),
                ordered.pairs(filters), _strings(data.get("sorts") or [], "sorts"), limit,
                _strings(data.get("pivots") or [], "pivots"), vis.get("type"), data.get("total") is True,
                vis.get("stacking") or "")


def toggled_sort(sorts: "Sequence[str]", field: str, numeric: bool) -> list[str]:
    """Looker's header click: the field first, descending first for numbers, then flipped."""
    current = sorts[0] if sorts else ""
    if current == field + " desc":
        return [field]
    if current == field:
        return [field + " desc"]
    return [field + " desc"] if numeric else [field]


def limit_reached(row_count: int, query_body: "dict[str, Any]") -> bool:
    """True when the result may have been cut by the row limit (Looker's "Row limit reached")."""
    limit = str(query_body.get("limit") or DEFAULT_LIMIT)
    return limit.isdigit() and row_count >= int(limit)


def filter_literal(value: object) -> str:
    """A value as a Looker filter expression matching exactly it (commas and carets escaped with ^)."""
    if value is None:
        return "NULL"
    text = str(value)
    for char in ("^", ",", '"'):
        text = text.replace(char, "^" + char)
    return text


def drill_body(query_body: "dict[str, Any]", row: "Row", meta: "Meta", clicked: "str | None" = None) -> "Body | None":
    """The query behind one row of a result (Looker's drill): the drill fields of the clicked measure
    (else the first measure that has some), filtered to the row's dimension values. None if no drill."""
    names = query_body["fields"]
    measures = [f for f in names if (meta.get(f) or {}).get("measure")]
    order = ([clicked] if clicked in measures else []) + measures
    drill: list[str] = []
    for measure in order:
        drill = (meta.get(measure) or {}).get("drill") or []
        if drill:
            break
    if not drill:
        return None
    filters = ordered.pairs(query_body.get("filters"))
    for name in names:
        if name not in measures and name in row and not isinstance(row[name], dict):
            filters = [(f, v) for f, v in filters if f != name] + [(name, filter_literal(row[name]))]
    return body(query_body["model"], query_body["view"], drill, filters, [], DEFAULT_LIMIT, (), "looker_grid")


def looker_url(ui_url: str, query_body: "dict[str, Any]") -> str:
    """The same query in Looker's own explore page (fields, f[...], sorts, limit, pivots, vis)."""
    params = [("fields", ",".join(query_body["fields"]))]
    params += [("f[" + f + "]", v) for f, v in ordered.pairs(query_body.get("filters"))]
    if query_body.get("pivots"):
        params.append(("pivots", ",".join(query_body["pivots"])))
    if query_body.get("sorts"):
        params.append(("sorts", ",".join(query_body["sorts"])))
    params.append(("limit", str(query_body.get("limit") or DEFAULT_LIMIT)))
    if query_body.get("vis_config"):
        params.append(("vis", json.dumps(query_body["vis_config"])))
    return (ui_url.rstrip("/") + "/explore/" + quote(query_body["model"]) + "/" + quote(query_body["view"]) + "?"
            + "&".join(quote(k) + "=" + quote(v) for k, v in params))
