"""Query results on the page: a sortable virtual-scrolling table and Chart.js charts.

    from looker_pkce.components import run_query, table, chart
    result = await run_query(looker, {"model": "thelook", "view": "users",
                                      "fields": ["users.state", "users.count"]})
    table(by_id("table"), result)
    await chart(by_id("chart"), result, "looker_column")

The page loads `assets/grid.js` and `assets/components.css`, and keeps Chart.js's <script>
in `<template id="looker-pkce-chart-js">` (loaded on the first chart). Every value is
written as text, never HTML. `looker-pkce new` writes such a page.
"""

import asyncio
import json

import js

from .compat import create_proxy
from .dom import h, replace

VIS_CHARTS = {
    "looker_column": ("bar", {}),
    "looker_bar": ("bar", {"indexAxis": "y"}),
    "looker_line": ("line", {}),
    "looker_area": ("line", {"fill": True}),
    "looker_pie": ("pie", {}),
    "looker_donut_multiples": ("doughnut", {}),
    "looker_scatter": ("scatter", {}),
}
PALETTE = ["#1a73e8", "#e8710a", "#12b5cb", "#e52592", "#f9ab00", "#7cb342", "#9334e6", "#5f6368"]
CHART_TEMPLATE = "looker-pkce-chart-js"  # <template id=...> holding the page's Chart.js <script>
_chart_loaded = []


class Result:
    """A query result as a JavaScript array (fetch parsed it): 100k rows never become Python objects."""

    def __init__(self, rows, fields, pivots=None):
        self.rows = rows
        self.count = int(rows.length)
        self.fields = fields
        self.pivots = pivots or []

    def head(self, count=500):
        """The first rows as Python dicts, for charts and single values."""
        return json.loads(js.JSON.stringify(self.rows.slice(0, count)))

    def guessed_kinds(self):
        """{field: "measure"} for every numeric field after the first: for callers without field metadata."""
        first = self.head(1)
        row = first[0] if first else {}
        return {name: "measure" for name in self.fields[1:] if isinstance(row.get(name), (int, float))}


async def run_query(client, body):
    """Run an inline query (Looker's query body: model, view, fields, ...) into a Result."""
    rows = await client.post("queries/run/json", body, keep="js-json")
    return Result(rows, body["fields"], body.get("pivots"))


def columns_for(result, labels, numeric):
    """Grid columns: plain fields, and one column per pivot value for measures when pivoted."""
    columns = []
    pivot_keys = []
    if result.pivots and result.count:
        first = result.head(1)[0]
        for name in result.fields:
            if isinstance(first.get(name), dict):
                pivot_keys = sorted(first[name].keys())
                break
    for name in result.fields:
        if name in result.pivots:
            continue
        if pivot_keys and name in numeric and numeric[name] == "measure":
            for key in pivot_keys:
                columns.append({"key": name, "pivot": key, "label": labels.get(name, name) + " · " + key,
                                "numeric": True})
        else:
            columns.append({"key": name, "label": labels.get(name, name), "numeric": name in numeric})
    return columns


def table(container, result, labels=None, numeric=None, formats=None, sorts=None, on_sort=None, on_row_click=None):
    """Draw the result in the virtual-scrolling grid (assets/grid.js; rows rendered as text).

    `labels` maps field -> column title; `numeric` maps numeric fields -> their kind; `formats` maps
    fields -> a value format spec ({"prefix", "suffix", "decimals", "group", "percent"}).
    `sorts` (the query's) marks the sorted column; `on_sort(field)` makes a header click call back
    (to re-run the query sorted) instead of sorting the fetched rows; `on_row_click(row, field)`.
    """
    labels = labels or {}
    numeric = result.guessed_kinds() if numeric is None else numeric
    columns = columns_for(result, labels, numeric)
    first_sort = (sorts or [""])[0]
    for column in columns:
        if formats and column["key"] in formats:
            column["format"] = formats[column["key"]]
        if first_sort.split(" ")[0] == column["key"]:
            column["sorted"] = "descending" if first_sort.endswith(" desc") else "ascending"
    options = js.Object.new()
    if on_sort is not None:
        options.onSort = create_proxy(lambda column: on_sort(str(column.key)))
    if on_row_click is not None:
        options.onRowClick = create_proxy(
            lambda row, column: on_row_click(json.loads(js.JSON.stringify(row)), str(column.key)))
    js.LookerGrid.create(container, js.JSON.parse(json.dumps(columns)), result.rows, options)


async def _load_chart_library():
    """Chart.js, on first use: the page keeps its <script> (with SRI) in a <template> until then."""
    if _chart_loaded or getattr(js.window, "Chart", None) is not None:
        return
    template = js.document.getElementById(CHART_TEMPLATE)
    if template is None:
        raise RuntimeError("no <template id=\"" + CHART_TEMPLATE + "\"> with Chart.js's <script> on this page")
    kept = template.content.querySelector("script")
    script = h("script", {"integrity": kept.getAttribute("integrity")})
    guard = getattr(js.window, "lookerPkceGuard", None)  # under Trusted Types a script URL must be made by it
    src = kept.getAttribute("src")
    script.setAttribute("src", guard.scriptURL(src) if guard is not None else src)
    js.document.head.appendChild(script)
    for _ in range(400):
        if getattr(js.window, "Chart", None) is not None:
            _chart_loaded.append(True)
            return
        await asyncio.sleep(0.025)
    raise RuntimeError("the chart library did not load from " + str(kept.getAttribute("src")))


def chart_config(vis_type, rows, fields, kinds, labels):
    """A Chart.js config for a Looker vis type, from result rows; None when it is not a chart."""
    if vis_type not in VIS_CHARTS:
        return None
    kind, extra = VIS_CHARTS[vis_type]
    dims = [f for f in fields if kinds.get(f) != "measure"]  # numeric dimensions are dimensions too
    measures = [f for f in fields if kinds.get(f) == "measure"]
    if not dims or not measures:
        return None
    x = dims[0]
    pivot = len(dims) > 1 and rows and isinstance(rows[0].get(measures[0]), dict)
    datasets = []
    if pivot:
        keys = sorted(rows[0][measures[0]].keys())
        for key in keys:
            datasets.append({"label": key, "data": [r[measures[0]].get(key) for r in rows]})
    else:
        for measure in measures[:4]:
            datasets.append({"label": labels.get(measure, measure), "data": [r.get(measure) for r in rows]})
    categories = [str(r.get(x)) if r.get(x) is not None else "∅" for r in rows]
    if kind == "scatter":
        datasets = [{"label": labels.get(measures[0], measures[0]),
                     "data": [{"x": r.get(x), "y": r.get(measures[0])} for r in rows]}]
    for i, dataset in enumerate(datasets):
        color = PALETTE[i % len(PALETTE)]
        dataset["backgroundColor"] = PALETTE if kind in ("pie", "doughnut") else color
        dataset["borderColor"] = color
        if extra.get("fill"):
            dataset["fill"] = True
            dataset["backgroundColor"] = color + "55"
    options = {"responsive": True, "maintainAspectRatio": False, "animation": False,
               "plugins": {"legend": {"display": len(datasets) > 1 or kind in ("pie", "doughnut")}}}
    if "indexAxis" in extra:
        options["indexAxis"] = extra["indexAxis"]
    if extra.get("fill") or pivot and kind == "bar":
        options["scales"] = {"x": {"stacked": True}, "y": {"stacked": True}}
    config = {"type": kind, "data": {"datasets": datasets}, "options": options}
    if kind != "scatter":
        config["data"]["labels"] = categories
    return config


async def chart(container, result, vis_type="looker_column", kinds=None, labels=None):
    """Draw a chart for a Looker vis type; returns False when the vis type is not a chart."""
    kinds = result.guessed_kinds() if kinds is None else kinds
    config = chart_config(vis_type, result.head(), result.fields, kinds, labels or {})
    if config is None:
        return False
    await draw_chart(container, config, "Chart: " + vis_type.replace("looker_", ""))
    return True


async def draw_chart(container, config, label="Chart", on_click=None):
    """Draw a Chart.js config (plain data: datasets may carry `formatted` tooltip texts and scales a
    value `format`, see assets/grid.js); `on_click(index)` hears clicks on a bar, point or slice."""
    await _load_chart_library()
    canvas = h("canvas", {"role": "img", "aria-label": label})
    replace(container, h("div", {"class": "chart-box"}, canvas))
    prepared = js.LookerGrid.prepareChart(js.JSON.parse(json.dumps(config)))
    if on_click is not None:
        def clicked(event, elements, *rest):
            if elements.length:
                on_click(int(elements[0].index))
        prepared.options.onClick = create_proxy(clicked)
    return js.Chart.new(canvas, prepared)


def format_number(value):
    """1234567.891 -> '1,234,567.89' (MicroPython's format has no ',' option)."""
    negative = value < 0
    whole = int(abs(value))
    fraction = abs(value) - whole
    digits = str(whole)
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    text = ",".join(groups)
    if isinstance(value, float) and fraction:
        cents = int(round(fraction * 100))
        if cents == 100:
            return format_number((whole + 1) * (-1 if negative else 1))
        if cents:
            text += "." + ("0" + str(cents))[-2:]
    return ("-" if negative else "") + text
