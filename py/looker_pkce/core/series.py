"""Charts and grid columns with Looker's semantics, as pure code: result rows -> a Chart.js config
(or a note saying why the vis cannot show them), a single value, the grid's columns.

- pivots: one series per pivot value (per measure) over the first dimension that is not pivoted;
- several dimensions: each category's label combines them ("Men · Jeans");
- single value: the first measure, compared with the second when there is one;
- a second y axis when measures' scales differ by more than 10x: per measure, never per pivot value
  (every pivot value of a measure shares that measure's axis);
- bars and areas side by side (grouped) unless the vis's `stacking` says stacked ("normal"), as
  Looker draws them; a pivot alone never stacks;
- "percent" stacking (Looker's "Stacked Percentage"): each value drawn as its share of its category's
  total, the sum of the absolute values of every series there (so a category's bars reach 100 %, a
  negative value's share goes below 0), on one value axis to 100 % with percent ticks; tooltips say
  the share and the value, the summary the values and their shares;
- scatter only for numeric pairs, else a note saying why;
- tooltips and axis ticks carry the fields' value formats (each dataset keeps its formatted texts); a
  chart narrower than NARROW_CHART px writes its value ticks compactly ($2M, formats.compact);
- colours are the page's: each dataset names its place in the series order (`series`; a pie's slices
  each take one, `colourEach`), and assets/grid.js gives it the page's --series-N (components.css).

`meta` maps field name -> {"measure": bool, "numeric": bool, "label": short label,
"full": full label, "spec": formats spec, "drill": [field, ...]}: `field_meta` makes it from
lookml_model_explore's field metadata, `guessed_meta` from a result row when there is none.
Rows are dicts; pivoted measures are {pivot value: n}. Everything ordered is a list (MicroPython's
dict does not keep insertion order). Used by looker_pkce.components, the reference app and
anyone's page; runs the same on CPython and MicroPython.
"""

from . import formats

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    Info = dict[str, Any]  # one field's entry in `meta`
    Meta = dict[str, Info]
    Row = dict[str, Any]
    Series = tuple[str, str, list[Any]]  # (label, field, values)
    Config = dict[str, Any]  # a Chart.js configuration

VIS_CHARTS: "dict[str, tuple[str, dict[str, Any]]]" = {
    "looker_column": ("bar", {}),
    "looker_bar": ("bar", {"indexAxis": "y"}),
    "looker_line": ("line", {}),
    "looker_area": ("line", {"fill": True}),
    "looker_pie": ("pie", {}),
    "looker_donut_multiples": ("doughnut", {}),
    "looker_scatter": ("scatter", {}),
}
CHART_NAMES = {"looker_column": "Column chart", "looker_bar": "Bar chart", "looker_line": "Line chart",
               "looker_area": "Area chart", "looker_pie": "Pie chart", "looker_donut_multiples": "Donut chart",
               "looker_scatter": "Scatter plot"}
SUMMARY_SERIES = 4  # series a chart's summary names one by one; the rest are counted
SECOND_AXIS_RATIO = 10
STACKED = ("normal", "percent")  # vis_config "stacking" values drawn stacked; "" (Looker's default) is grouped
PERCENT = "percent"  # stacked to 100 %: each value as its share of its category's total
SHARE: "formats.Spec" = {"prefix": "", "suffix": "%", "decimals": 1, "group": False, "percent": False}  # 55.2%
SHARE_TICKS: "formats.Spec" = {"prefix": "", "suffix": "%", "decimals": None, "group": False, "percent": False}
NARROW_CHART = 640  # px: a chart narrower than this writes its value axes' ticks compactly ($2M)
JOIN = " · "


# what explore_meta reads of lookml_model_explore's answer: the rest of its ~60 keys a field need not cross
EXPLORE_KEYS = ("fields", "dimensions", "measures", "name", "category", "label_short", "label", "is_numeric",
                "value_format", "value_format_name", "drill_fields")


def field_meta(field: "dict[str, Any]") -> "Info":
    """A field's entry in `meta`, from lookml_model_explore's metadata of it."""
    measure = field.get("category") == "measure"
    label = field.get("label_short") or field["name"]
    return {"measure": measure, "numeric": bool(field.get("is_numeric")) or measure, "label": label,
            "full": field.get("label") or label, "spec": formats.spec_for(field),
            "drill": list(field.get("drill_fields") or [])}


def explore_meta(explore: "dict[str, Any]") -> "Meta":
    """`meta` for every field of an explore (lookml_model_explore with its "fields")."""
    fields = explore.get("fields") or {}
    return {f["name"]: field_meta(f) for f in list(fields.get("dimensions") or []) + list(fields.get("measures") or [])}


def title(name: str) -> str:
    """Looker's default label of a field name: "order_items.total_sale_price" -> "Total Sale Price"."""
    return " ".join(word[:1].upper() + word[1:] for word in name.split(".")[-1].split("_") if word)


def guessed_meta(fields: "list[str]", row: "Row | None") -> "Meta":
    """`meta` for a result without field metadata: the first field is a dimension, later fields whose
    value in `row` is a number (or, pivoted, numbers by pivot value) are measures."""
    meta: "Meta" = {}
    for index, name in enumerate(fields):
        value = (row or {}).get(name)
        if isinstance(value, dict):
            value = ([v for v in value.values() if v is not None] or [None])[0]
        measure = index > 0 and isinstance(value, (int, float)) and not isinstance(value, bool)
        label = title(name)
        meta[name] = {"measure": measure, "numeric": measure, "label": label,
                      "full": title(name.split(".")[0]) + " " + label if "." in name else label,
                      "spec": dict(formats.MEASURE if measure else formats.PLAIN), "drill": []}
    return meta


def _info(meta: "Meta", name: str) -> "Info":
    return meta.get(name) or {"measure": False, "numeric": False, "label": name, "full": name,
                              "spec": formats.PLAIN, "drill": []}


def split(fields: "list[str]", pivots: "list[str] | None", meta: "Meta") -> "tuple[list[str], list[str]]":
    """(dimensions not pivoted, measures), each in the query's order."""
    dims = [f for f in fields if not _info(meta, f)["measure"] and f not in (pivots or [])]
    measures = [f for f in fields if _info(meta, f)["measure"]]
    return dims, measures


def pivot_values(rows: "list[Row]", measure: str) -> "list[str]":
    """The pivot values of a pivoted measure across the rows, sorted as Looker sorts pivots by default."""
    seen: "list[str]" = []
    for row in rows:
        cell = row.get(measure)
        if isinstance(cell, dict):
            for key in cell:
                if key not in seen:
                    seen.append(key)
    return sorted(seen)


def category(row: "Row", dims: "list[str]") -> str:
    parts = [formats.NULL if row.get(d) is None else str(row.get(d)) for d in dims]
    return JOIN.join(parts) if parts else ""


def series(rows: "list[Row]", fields: "list[str]", pivots: "list[str] | None", meta: "Meta") -> "list[Series]":
    """[(label, field, [values])]: one per measure, or per (measure, pivot value) when pivoted."""
    _, measures = split(fields, pivots, meta)
    out: "list[Series]" = []
    labels = [_info(meta, m)["label"] for m in measures]
    for measure in measures:
        info = _info(meta, measure)
        label = info["label"] if labels.count(info["label"]) == 1 else info["full"]
        keys = pivot_values(rows, measure) if pivots else []
        if keys:
            for key in keys:
                name = key if len(measures) == 1 else label + JOIN + key
                out.append((name, measure, [(r.get(measure) or {}).get(key) for r in rows]))
        else:
            out.append((label, measure, [r.get(measure) for r in rows]))
    return out


def columns(fields: "list[str]", pivots: "list[str] | None", rows: "list[Row]", meta: "Meta",
            sorts: "list[str] | None" = None) -> "list[dict[str, Any]]":
    """The grid's columns in the query's order: [{"key", "label", "numeric", "format", "pivot"?, "sorted"?}].

    Pivoted fields are not columns; a pivoted measure gives one column per pivot value. The query's
    first sort marks its column "ascending" or "descending"."""
    first_sort = (sorts or [""])[0]
    out: "list[dict[str, Any]]" = []
    for name in fields:
        if name in (pivots or []):
            continue
        info = _info(meta, name)
        keys = pivot_values(rows, name) if pivots and info["measure"] else []
        made: "list[dict[str, Any]]" = [{"key": name, "pivot": key, "label": info["label"] + JOIN + key} for key in keys] or [
            {"key": name, "label": info["label"]}]
        for column in made:
            column["numeric"] = info["numeric"]
            column["format"] = info["spec"]
            if first_sort.split(" ")[0] == name:
                column["sorted"] = "descending" if first_sort.endswith(" desc") else "ascending"
            out.append(column)
    return out


def _peak(values: "list[Any]") -> float:
    numbers = [abs(v) for v in values if isinstance(v, (int, float))]
    return max(numbers) if numbers else 0


def axes_for(all_series: "list[Series]") -> "list[str]":
    """'y' or 'y1' per series: a measure whose scale differs from the first measure's by > 10x goes
    right, with all of its series (a pivoted measure's values share one axis)."""
    peaks: "dict[str, float]" = {}
    order: "list[str]" = []
    for _, field, values in all_series:
        if field not in peaks:
            order.append(field)
            peaks[field] = 0
        peaks[field] = max(peaks[field], _peak(values))
    if len(order) < 2:
        return ["y"] * len(all_series)
    first = peaks[order[0]]

    def apart(peak: float) -> bool:
        return bool(first and peak and (peak * SECOND_AXIS_RATIO < first or peak > first * SECOND_AXIS_RATIO))

    return ["y1" if apart(peaks[field]) else "y" for _, field, _ in all_series]


def _number(value: "Any") -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shares(all_series: "list[Series]") -> "list[list[float | None]]":
    """Per series, each value as a percentage of its category's total: the sum of the absolute values
    of every series in that category. None where there is no value or the total is 0."""
    columns = list(zip(*[values for _, _, values in all_series]))
    totals = [sum(abs(v) for v in column if _number(v)) for column in columns]
    return [[v / totals[i] * 100 if _number(v) and totals[i] else None for i, v in enumerate(values)]
            for _, _, values in all_series]


def single_value(rows: "list[Row]", fields: "list[str]", pivots: "list[str] | None",
                 meta: "Meta") -> "dict[str, str]":
    """{"value", "label", "comparison"?}: the first measure (or first field), compared with the second."""
    dims, measures = split(fields, pivots, meta)
    chosen = measures or fields[:1]
    row = rows[0] if rows else {}
    if not chosen:
        return {"value": formats.NULL, "label": ""}
    first = _info(meta, chosen[0])
    value = row.get(chosen[0])
    shown = {"value": formats.format_value(value, first["spec"]), "label": first["label"]}
    if len(chosen) > 1:
        second = _info(meta, chosen[1])
        other = row.get(chosen[1])
        text = formats.format_value(other, second["spec"]) + " " + second["label"]
        if isinstance(value, (int, float)) and isinstance(other, (int, float)) and other:
            change = (value - other) / abs(other) * 100
            text = ("+" if change >= 0 else "") + formats.format_value(change, formats.parse("0.0")) + "% vs " + text
        shown["comparison"] = text
    return shown


def _scales(value_axis: str, stacking: str, parts: "list[list[Any]] | None", all_series: "list[Any]",
            axes: "list[str]", meta: "Meta") -> "dict[str, Any]":
    """A bar or line chart's axes: the value axis (`value_axis`, "y" or "x"; from 0 to 100 % when `parts`, the
    series' shares, are given), the category axis, and a second value axis when `axes` names one."""
    stacked = stacking in STACKED
    first_spec = _info(meta, all_series[0][1])["spec"] if all_series else None
    ticks = SHARE_TICKS if parts is not None else first_spec
    scales: "dict[str, Any]" = {value_axis: {"stacked": stacked, "position": "left" if value_axis == "y" else "bottom",
                                             "format": ticks, "narrow": _narrow(ticks)},
                                ("y" if value_axis == "x" else "x"): {"stacked": stacked}}
    if parts is not None:
        scales[value_axis]["max"] = 100
        if not any(share is not None and share < 0 for part in parts for share in part):
            scales[value_axis]["min"] = 0
    if "y1" in axes:
        second = _info(meta, all_series[axes.index("y1")][1])["spec"]
        scales[value_axis + "1"] = {"stacked": stacked, "position": "right" if value_axis == "y" else "top",
                                    "grid": {"drawOnChartArea": False}, "format": second, "narrow": _narrow(second)}
    return scales


def chart_config(vis_type: "str | None", rows: "list[Row]", fields: "list[str]", pivots: "list[str] | None",
                 meta: "Meta", stacking: str = "") -> "tuple[Config | None, str | None]":
    """(Chart.js config, None) for a chart vis type, (None, note) when it cannot be drawn, (None, None)
    when the vis type is not a chart. `stacking` is the vis_config's ("normal": stacked; "percent": stacked
    to 100 %; else grouped)."""
    if vis_type not in VIS_CHARTS:
        return None, None
    kind, extra = VIS_CHARTS[vis_type]
    dims, measures = split(fields, pivots, meta)
    if kind == "scatter":
        return _scatter(rows, fields, meta, dims, measures)
    if not measures:
        return None, "A chart needs at least one measure; showing the table."
    all_series = series(rows, fields, pivots, meta)
    if kind in ("pie", "doughnut"):
        all_series = all_series[:1]
    percent = stacking == PERCENT and kind in ("bar", "line")
    axes = axes_for(all_series) if kind in ("bar", "line") and not percent else ["y"] * len(all_series)
    parts = shares(all_series) if percent else []
    datasets = []
    for i, (label, field, values) in enumerate(all_series):
        spec = _info(meta, field)["spec"]
        texts = [formats.format_value(v, spec) for v in values]
        dataset: "dict[str, Any]" = {"label": label, "data": values, "series": i, "formatted": texts}
        if percent:  # drawn: the shares; told: the share and the value
            dataset.update({"data": parts[i], "values": values, "valueTexts": texts,
                            "formatted": [formats.NULL if share is None else formats.format_value(share, SHARE)
                                          + " (" + text + ")" for share, text in zip(parts[i], texts)]})
        if kind in ("pie", "doughnut"):
            dataset["colourEach"] = True
        if kind in ("bar", "line"):
            horizontal = extra.get("indexAxis") == "y"
            dataset["xAxisID" if horizontal else "yAxisID"] = ("x" if horizontal else "y") + axes[i][1:]
        if extra.get("fill"):
            dataset["fill"] = True
        datasets.append(dataset)
    options: "dict[str, Any]" = {"responsive": True, "maintainAspectRatio": False, "animation": False,
               "plugins": {"legend": {"display": len(datasets) > 1 or kind in ("pie", "doughnut")}}}
    if "indexAxis" in extra:
        options["indexAxis"] = extra["indexAxis"]
    if kind in ("bar", "line"):
        options["scales"] = _scales("x" if extra.get("indexAxis") == "y" else "y", stacking, parts if percent else None,
                                    all_series, axes, meta)
    config = {"type": kind, "data": {"labels": [category(r, dims) for r in rows], "datasets": datasets},
              "options": options}
    return config, None


def _narrow(spec: "formats.Spec | None") -> "dict[str, Any]":
    """A value axis's ticks on a chart narrower than NARROW_CHART px: its format written compactly."""
    return {"below": NARROW_CHART, "format": formats.compact(spec or formats.MEASURE)}


def _scatter(rows: "list[Row]", fields: "list[str]", meta: "Meta", dims: "list[str]",
             measures: "list[str]") -> "tuple[Config | None, str | None]":
    """x: the first dimension (else the first measure); y: the first measure after it (else the next
    numeric dimension). Both must be numeric."""
    x = (dims or measures)[0] if dims or measures else None
    others = [m for m in measures if m != x] + [d for d in dims[1:] if _info(meta, d)["numeric"]]
    y = others[0] if others else None
    if x is None or y is None:
        return None, "A scatter plot needs two numeric fields; this query has fewer. Showing the table."
    if not _info(meta, x)["numeric"] or not _info(meta, y)["numeric"]:
        wrong = x if not _info(meta, x)["numeric"] else y
        return None, ("A scatter plot needs two numeric fields; " + _info(meta, wrong)["label"]
                      + " is not numeric. Showing the table.")
    points = [{"x": r.get(x), "y": r.get(y)} for r in rows
              if isinstance(r.get(x), (int, float)) and isinstance(r.get(y), (int, float))]
    x_info, y_info = _info(meta, x), _info(meta, y)
    formatted = [x_info["label"] + " " + formats.format_value(p["x"], x_info["spec"]) + ", "
                 + formats.format_value(p["y"], y_info["spec"]) for p in points]
    dataset = {"label": y_info["label"], "data": points, "series": 0, "formatted": formatted}
    options = {"responsive": True, "maintainAspectRatio": False, "animation": False,
               "plugins": {"legend": {"display": False}},
               "scales": {"x": {"type": "linear", "title": {"display": True, "text": x_info["label"]},
                                "format": x_info["spec"]},
                          "y": {"title": {"display": True, "text": y_info["label"]}, "format": y_info["spec"]}}}
    return {"type": "scatter", "data": {"datasets": [dataset]}, "options": options}, None


def chart_summary(vis_type: str, config: "Config") -> str:
    """A chart's text alternative in a sentence or two (chart_config's config): its kind, how many
    categories or points, and each series' highest and lowest value with their categories, in the
    fields' value formats."""
    name = CHART_NAMES.get(vis_type, "Chart")
    datasets = config["data"]["datasets"]
    if config["type"] == "scatter":
        scale = config["options"]["scales"]
        points = datasets[0]["data"] if datasets else []
        return (name + ", " + counted(len(points), "point", "points") + ": " + scale["y"]["title"]["text"] + " against "
                + scale["x"]["title"]["text"] + ".")
    labels = [str(label) for label in config["data"].get("labels") or []]
    percent = any("values" in dataset for dataset in datasets)
    told = []
    for dataset in datasets[:SUMMARY_SERIES]:
        values = dataset["values"] if percent else dataset["data"]
        shown = [i for i, value in enumerate(values) if isinstance(value, (int, float))]
        if not shown:
            told.append(dataset["label"] + ": no values.")
            continue
        high = max(shown, key=lambda i: values[i])
        low = min(shown, key=lambda i: values[i])
        told.append(dataset["label"] + ": highest " + _said(dataset, labels, high) + ", lowest "
                    + _said(dataset, labels, low) + ".")
    more = len(datasets) - SUMMARY_SERIES
    if more > 0:
        told.append("And " + str(more) + " more series.")
    kind = name + (" stacked to 100% per category" if percent else "")
    return kind + ", " + counted(len(labels), "category", "categories") + ". " + " ".join(told)


def _said(dataset: "dict[str, Any]", labels: "list[str]", i: int) -> str:
    """A value as the summary says it: "$9.50 (Utah)"; stacked to 100 %, with its share: "3 (Ohio, 75.0%)"."""
    if "values" not in dataset:
        return dataset["formatted"][i] + " (" + labels[i] + ")"
    share = dataset["data"][i]
    return (dataset["valueTexts"][i] + " (" + labels[i]
            + ("" if share is None else ", " + formats.format_value(share, SHARE)) + ")")


def counted(count: int, one: str, many: str) -> str:
    return str(count) + " " + (one if count == 1 else many)
