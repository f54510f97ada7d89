"""Explore: pick a model and explore, fields, filters, sorts, limit and pivots; run; share."""

import json

from looker_pkce.compat import parse_query, quote
from looker_pkce.dom import field_value, h, listen, replace

from .shell import pretty

VIS_TYPES = ["looker_grid", "looker_column", "looker_bar", "looker_line", "looker_area", "looker_pie",
             "looker_scatter", "single_value"]


def share_hash(body):
    return "#/explore?q=" + quote(json.dumps(body))


def body_from_hash(hash_query):
    text = parse_query(hash_query).get("q")
    if not text:
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def show(app, hash_query=""):
    shared = body_from_hash(hash_query)
    pickers = h("div", {"class": "pickers"})
    builder = h("div", {"class": "builder", "id": "builder"})
    area = h("section", {"class": "results", "id": "results"})
    replace(app.main, h("div", {"class": "toolbar"}, h("h1", {}, "Explore"), pickers), builder, area)
    models = await app.load(pickers, "Loading models…", app.client.get("lookml_models", {"fields": "name,label,explores"}))
    if models is None:
        return
    choices = [(m["name"], e["name"], m.get("label", m["name"]) + " › " + e.get("label", e["name"]))
               for m in models for e in m.get("explores") or [] if not e.get("hidden")]
    if not choices:
        replace(pickers, h("p", {}, "No explores are visible to you."))
        return
    pairs = [(c[0], c[1]) for c in choices]
    wanted = (shared.get("model"), shared.get("view")) if shared else None
    chosen = pairs.index(wanted) if wanted in pairs else 0
    picker = h("select", {"id": "explore-picker", "aria-label": "Explore"},
               [h("option", {"value": str(i)}, c[2]) for i, c in enumerate(choices)])
    picker.value = str(chosen)
    replace(pickers, picker)

    async def load(event=None):
        model, explore, _ = choices[int(field_value(picker))]
        await build(app, builder, area, model, explore, shared if event is None else None)

    listen(picker, "change", load)
    await load()


async def build(app, builder, area, model, explore, preset):
    metadata = await app.load(builder, "Loading fields…", app.explore_fields(model, explore))
    if metadata is None:
        return
    labels, kinds, fields = metadata
    preset = preset or {"fields": [], "filters": {}, "sorts": [], "limit": "500", "pivots": []}
    selected = list(preset.get("fields") or [])
    boxes = {}
    groups = []
    for group in ("dimensions", "measures"):
        items = []
        for field in fields[group]:
            name = field["name"]
            box = h("input", {"type": "checkbox", "id": "field-" + name.replace(".", "-"), "value": name,
                              "checked": name in selected})
            boxes[name] = box
            items.append(h("label", {"class": "field " + group, "data-name": name}, box,
                           " " + field.get("view_label", "") + " ", h("b", {}, field.get("label_short", name))))
        groups.append(h("fieldset", {}, h("legend", {}, group[0].upper() + group[1:]), items))
    find = h("input", {"type": "search", "placeholder": "Find a field…", "aria-label": "Find a field"})

    def filter_fields(event):
        text = field_value(find).lower()
        for name in boxes:
            label = boxes[name].parentElement
            label.hidden = bool(text) and text not in label.textContent.lower() and text not in name

    listen(find, "input", filter_fields)
    filter_rows = h("div", {"class": "filter-rows", "id": "filter-rows"})
    all_names = list(labels)

    def add_filter_row(name="", expression=""):
        select = h("select", {"class": "filter-field", "aria-label": "Filter field"},
                   [h("option", {"value": n}, labels.get(n, n) + " (" + n + ")") for n in all_names])
        if name:
            select.value = name
        value = h("input", {"class": "filter-expression", "value": expression, "placeholder": "e.g. 7 days, -NULL",
                            "aria-label": "Filter expression"})
        row = h("div", {"class": "filter-row"}, select, value)
        remove = h("button", {"type": "button", "aria-label": "Remove filter", "on_click": lambda e: row.remove()},
                   "✕")
        row.appendChild(remove)
        filter_rows.appendChild(row)

    for name in preset.get("filters") or {}:
        add_filter_row(name, preset["filters"][name])
    sorts = h("input", {"id": "sorts", "value": ", ".join(preset.get("sorts") or []),
                        "placeholder": "order_items.count desc", "aria-label": "Sorts"})
    limit = h("input", {"id": "limit", "type": "number", "min": "1", "value": preset.get("limit") or "500",
                        "aria-label": "Row limit"})
    pivots = h("input", {"id": "pivots", "value": ", ".join(preset.get("pivots") or []),
                         "placeholder": "products.department", "aria-label": "Pivots"})
    vis = h("select", {"id": "vis-type", "aria-label": "Visualization"},
            [h("option", {"value": v}, v.replace("looker_", "")) for v in VIS_TYPES])
    vis.value = (preset.get("vis_config") or {}).get("type", "looker_column")
    body_view = h("pre", {"class": "query-body", "id": "query-body"})
    share = h("a", {"id": "share-link", "href": "#"}, "Share link")

    def current():
        chosen = [n for n in selected if n in boxes and boxes[n].checked]
        chosen += [n for n in boxes if boxes[n].checked and n not in chosen]
        filters = {}
        for row in filter_rows.querySelectorAll(".filter-row"):
            filters[str(row.querySelector(".filter-field").value)] = str(row.querySelector(".filter-expression").value)
        body = {"model": model, "view": explore, "fields": chosen, "filters": filters,
                "sorts": [s.strip() for s in field_value(sorts).split(",") if s.strip()],
                "limit": field_value(limit) or "500",
                "pivots": [p.strip() for p in field_value(pivots).split(",") if p.strip()] or None,
                "vis_config": {"type": field_value(vis)}}
        return body

    async def run(event=None):
        body = current()
        body_view.textContent = pretty(body)
        share.setAttribute("href", share_hash(body))
        if not body["fields"]:
            replace(area, h("p", {"class": "error", "role": "alert"}, "Pick at least one field to run a query."))
            return
        await app.show_query(area, body)

    form = h("form", {"class": "explore-form"},
             h("div", {"class": "field-picker"}, find, groups),
             h("div", {"class": "query-options"},
               h("h3", {}, "Filters"), filter_rows,
               h("button", {"type": "button", "id": "add-filter", "on_click": lambda e: add_filter_row()}, "+ Filter"),
               h("label", {}, "Sorts ", sorts), h("label", {}, "Limit ", limit), h("label", {}, "Pivots ", pivots),
               h("label", {}, "Visualization ", vis),
               h("button", {"class": "primary", "type": "submit", "id": "run"}, "Run"), " ", share,
               h("details", {}, h("summary", {}, "Query body"), body_view)))
    listen(form, "submit", run)
    replace(builder, form)
    if selected:
        await run()
