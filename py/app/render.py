"""Results on screen: the grid, Chart.js charts, single values, elapsed-time spinners."""

import asyncio
import json

import js

from .dom import h, now_ms, replace

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
CHART_SCRIPT = "static/vendor/chartjs/chart.umd.min.js"
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


def table(container, result, labels, numeric):
    """Draw the result in the virtual-scrolling grid (rows rendered as text)."""
    columns = columns_for(result, labels, numeric)
    js.LookerGrid.create(container, js.JSON.parse(json.dumps(columns)), result.rows)


async def _load_chart_library():
    if _chart_loaded:
        return
    script = h("script", {"src": CHART_SCRIPT})
    js.document.head.appendChild(script)
    for _ in range(400):
        if getattr(js.window, "Chart", None) is not None:
            _chart_loaded.append(True)
            return
        await asyncio.sleep(0.025)
    raise RuntimeError("the chart library did not load from " + CHART_SCRIPT)


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
        for i, key in enumerate(keys):
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


async def chart(container, vis_type, result, kinds, labels):
    """Draw a chart for the vis type; returns False when the vis type is not a chart."""
    config = chart_config(vis_type, result.head(), result.fields, kinds, labels)
    if config is None:
        return False
    await _load_chart_library()
    canvas = h("canvas", {"role": "img", "aria-label": "Chart: " + vis_type.replace("looker_", "")})
    replace(container, h("div", {"class": "chart-box"}, canvas))
    js.Chart.new(canvas, js.JSON.parse(json.dumps(config)))
    return True


def single_value(container, result, fields, labels):
    rows = result.head(1)
    value = rows[0].get(fields[0]) if rows else None
    shown = "∅" if value is None else (format_number(value) if isinstance(value, (int, float)) else str(value))
    replace(container, h("div", {"class": "single-value"}, h("strong", {}, shown),
                         h("span", {}, labels.get(fields[0], fields[0]))))


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


class Spinner:
    """'Running… 1.2 s' while a call is in flight."""

    def __init__(self, container, label):
        self.container = container
        self.label = label
        self.started = now_ms()
        self.text = h("span", {}, label)
        replace(container, h("div", {"class": "spinner", "role": "status"}, h("span", {"class": "dot"}), self.text))
        self.task = asyncio.create_task(self._tick())

    async def _tick(self):
        while True:
            await asyncio.sleep(0.1)
            self.text.textContent = self.label + " " + elapsed(self.started)

    def stop(self):
        self.task.cancel()
        return now_ms() - self.started


def elapsed(started):
    seconds = (now_ms() - started) / 1000
    return str(int(seconds * 10) / 10) + " s"
