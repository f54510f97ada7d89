"""Explore: pick a model and explore, fields (grouped by view), filters, sorts, limit, pivots and
totals; run; save the query as a Look.

The whole state lives in the address bar (#/explore?q=<query body>): Run and header sorts navigate,
so back/forward and shared links restore exactly what was shown."""

import js

from looker_pkce import ordered
from looker_pkce.dom import field_value, h, listen, replace

from . import queries, save_look, wording
from .text import pretty

VIS_TYPES = ["looker_grid", "looker_column", "looker_bar", "looker_line", "looker_area", "looker_pie",
             "looker_scatter", "single_value"]


def go(body):
    """Show `body` by putting it in the address bar (the route renders and runs it)."""
    target = queries.share_hash(body)
    if str(js.location.hash) == target:
        js.window.dispatchEvent(js.HashChangeEvent.new("hashchange"))  # same state: run it again
    else:
        js.location.hash = target


async def show(app, hash_query=""):
    if not app.may("explore"):
        replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Explore")),
                h("div", {"class": "notice", "role": "status", "id": "no-explore"},
                  "Your Looker role does not include Explore (the “explore” permission): you can open the "
                  "looks and dashboards shared with you. ", h("a", {"href": "#/browse"}, "Browse them")))
        return
    try:
        shared = queries.from_hash(hash_query)
    except queries.BadLink as exc:
        replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Explore")),
                h("div", {"class": "error", "role": "alert", "id": "bad-link"},
                  h("strong", {}, "This explore link cannot be opened: "), str(exc) + ". ",
                  h("a", {"href": "#/explore"}, "Start a new exploration")))
        return
    pickers = h("div", {"class": "pickers"})
    builder = h("div", {"class": "builder", "id": "builder"})
    area = h("section", {"class": "results", "id": "results"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Explore"), pickers), builder, area)
    models = await app.load(pickers, "Loading models…", app.client.get("lookml_models", {"fields": "name,label,explores"}))
    if models is None:
        return
    choices = [(m["name"], e["name"], m.get("label", m["name"]) + " › " + e.get("label", e["name"]))
               for m in models for e in m.get("explores") or [] if not e.get("hidden")]
    if not choices:
        replace(pickers, h("p", {}, "No explores are visible to you."))
        return
    pairs = [(c[0], c[1]) for c in choices]
    wanted = (shared["model"], shared["view"]) if shared else None
    if wanted is not None and wanted not in pairs:
        replace(builder, h("div", {"class": "error", "role": "alert", "id": "bad-link"},
                           "This link names the explore " + wanted[0] + " › " + wanted[1]
                           + ", which does not exist or is not visible to you. ",
                           h("a", {"href": "#/explore"}, "Start a new exploration")))
        return
    chosen = pairs.index(wanted) if wanted else 0
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
    fields = await app.load(builder, "Loading fields…", app.explore(model, explore))
    if fields is None:
        return
    labels = fields.labels
    from_link = preset is not None
    preset = preset or queries.body(model, explore, [], vis_type="looker_column")
    selected = list(preset.get("fields") or [])
    unknown = [n for n in selected + [f for f, _ in ordered.pairs(preset.get("filters"))] if n not in labels]
    boxes = {}
    picks = []  # field names in the order they were ticked: Looker's column order
    sections = []
    for view, members in fields.groups():
        items = []
        for field in members:
            name = field["name"]
            box = h("input", {"type": "checkbox", "id": "field-" + name.replace(".", "-"), "value": name,
                              "checked": name in selected})
            boxes[name] = box
            listen(box, "change", lambda event, name=name: tick(name))
            kind = "measures" if field.get("category") == "measure" else "dimensions"
            group = field.get("dimension_group")
            items.append(h("label", {"class": "field " + kind, "data-name": name, "data-group": group or ""},
                           box, " ", h("b", {}, field.get("label_short", name))))
        sections.append(h("details", {"class": "view-fields", "open": True},
                          h("summary", {}, view), items))
    picks.extend(n for n in selected if n in boxes)

    def tick(name):
        if boxes[name].checked and name not in picks:
            picks.append(name)
        elif not boxes[name].checked and name in picks:
            picks.remove(name)

    find = h("input", {"type": "search", "placeholder": "Find a field…", "aria-label": "Find a field"})

    def filter_fields(event):
        text = field_value(find).lower()
        for name in boxes:
            label = boxes[name].parentElement
            label.hidden = bool(text) and text not in label.textContent.lower() and text not in name

    listen(find, "input", filter_fields)
    filter_rows = h("div", {"class": "filter-rows", "id": "filter-rows"})

    def add_filter_row(name="", expression=""):
        select = h("select", {"class": "filter-field", "aria-label": "Filter field"},
                   [h("optgroup", {"label": view}, [h("option", {"value": f["name"]}, labels[f["name"]]) for f in members])
                    for view, members in fields.groups()])
        if name:
            select.value = name
        value = h("input", {"class": "filter-expression", "value": expression, "placeholder": "e.g. 7 days, -NULL",
                            "aria-label": "Filter expression"})
        row = h("div", {"class": "filter-row"}, select, value)
        row.appendChild(h("button", {"type": "button", "aria-label": "Remove filter",
                                     "on_click": lambda e: row.remove()}, "✕"))
        filter_rows.appendChild(row)

    for name, expression in ordered.pairs(preset.get("filters")):
        add_filter_row(name, expression)
    sorts = h("input", {"id": "sorts", "value": ", ".join(preset.get("sorts") or []),
                        "placeholder": "order_items.count desc", "aria-label": "Sorts"})
    limit = h("input", {"id": "limit", "type": "number", "min": "1", "value": preset.get("limit") or "500",
                        "aria-label": "Row limit"})
    pivots = h("input", {"id": "pivots", "value": ", ".join(preset.get("pivots") or []),
                         "placeholder": "products.department", "aria-label": "Pivots"})
    totals = h("input", {"id": "totals", "type": "checkbox", "checked": bool(preset.get("total"))})
    vis = h("select", {"id": "vis-type", "aria-label": "Visualization"},
            [h("option", {"value": v}, v.replace("looker_", "")) for v in VIS_TYPES])
    vis.value = (preset.get("vis_config") or {}).get("type") or "looker_column"
    body_view = h("pre", {"class": "query-body", "id": "query-body"})
    share = h("a", {"id": "share-link", "href": "#"}, "Share link")

    def split_list(element):
        return [part.strip() for part in field_value(element).split(",") if part.strip()]

    def current(sort_list=None):
        filters = []
        for row in filter_rows.querySelectorAll(".filter-row"):
            filters.append((str(row.querySelector(".filter-field").value),
                            str(row.querySelector(".filter-expression").value)))
        return queries.body(model, explore, list(picks), filters,
                            split_list(sorts) if sort_list is None else sort_list,
                            field_value(limit) or queries.DEFAULT_LIMIT, split_list(pivots), field_value(vis),
                            bool(totals.checked))

    def sort_by(field):
        info = fields.meta.get(field) or {}
        go(current(queries.toggled_sort(split_list(sorts), field, info.get("numeric"))))

    def run(event=None):
        go(current())

    saver, save_form = save_look.form(app, current) if app.may("save") else (None, None)
    form = h("form", {"class": "explore-form"},
             h("div", {"class": "field-picker"}, find, sections),
             h("div", {"class": "query-options"},
               h("h3", {}, "Filters"), filter_rows,
               h("button", {"type": "button", "id": "add-filter", "on_click": lambda e: add_filter_row()}, "+ Filter"),
               h("label", {}, "Sorts ", sorts), h("label", {}, "Limit ", limit), h("label", {}, "Pivots ", pivots),
               h("label", {}, "Visualization ", vis), h("label", {"class": "check"}, totals, " Totals"),
               h("button", {"class": "primary", "type": "submit", "id": "run"}, "Run"), " ", share, saver,
               h("details", {}, h("summary", {}, "Query body"), body_view)))
    listen(form, "submit", run)
    replace(builder, form, save_form)
    if unknown:
        replace(area, h("div", {"class": "error", "role": "alert", "id": "bad-link"},
                        "This link names fields this explore does not have: " + ", ".join(unknown)
                        + ". Pick fields above and run again, or ",
                        h("a", {"href": "#/explore"}, "start a new exploration"), "."))
        return
    body = current()
    body_view.textContent = pretty(body)
    share.setAttribute("href", queries.share_hash(body))
    if not body["fields"]:
        if from_link:
            replace(area, h("p", {"class": "error", "role": "alert"}, "Pick at least one field to run a query."))
        return

    def failed(exc):  # mark the filters Looker blamed; keep what the last run showed below the error
        blamed = wording.bad_filters(getattr(exc, "errors", None), ordered.pairs(body["filters"]))
        for row in filter_rows.querySelectorAll(".filter-row"):
            if str(row.querySelector(".filter-field").value) in blamed:
                row.querySelector(".filter-expression").setAttribute("aria-invalid", "true")
        if app.previous_results is not None:
            app.previous_results.removeAttribute("id")  # this run's area is #results now
            area.appendChild(h("section", {"class": "previous-results", "id": "previous-results"},
                               h("h3", {}, "Previous results"), app.previous_results))

    if await app.show_query(area, body, on_sort=sort_by, on_error=failed) is not None:
        app.previous_results = area
