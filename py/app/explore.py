"""Explore: pick a model and explore, fields (grouped by view), filters, sorts, limit, pivots and
totals; run; save the query as a Look.

The whole state lives in the address bar (#/explore?q=<query body>): Run and header sorts navigate,
so back/forward and shared links restore exactly what was shown."""

import js

from looker_pkce.browser.dom import field_value, h, listen, replace
from looker_pkce.core import ordered, queries, wording

from . import save_look
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
    if fields is not None:
        await Builder(app, builder, area, fields, preset).start()


def field_options(fields, only=None):
    """<optgroup>s of the explore's fields by view, in Looker's order (`only(field)` filters)."""
    groups = [(view, [f for f in members if only is None or only(f)]) for view, members in fields.groups()]
    return [h("optgroup", {"label": view}, [h("option", {"value": f["name"]}, fields.labels[f["name"]])
                                            for f in members])
            for view, members in groups if members]


class Picked:
    """Fields picked from the explore's own (Sorts, Pivots): a "+ …" picker and each choice, in order,
    removable; sorts also choose their direction. Nothing is typed by hand."""

    def __init__(self, element_id, label, fields, chosen, directions=False, only=None):
        self.fields, self.directions = fields, directions
        self.list = h("span", {"class": "picked-list"})
        self.add = h("select", {"id": element_id, "aria-label": label},
                     h("option", {"value": ""}, "+ " + label.lower() + "…"), field_options(fields, only))
        self.root = h("div", {"class": "picked", "data-picked": element_id}, self.list, self.add)
        self.entries = []  # [(field, direction select or None, chip)]
        listen(self.add, "change", lambda event: self.picked())
        for entry in chosen:
            name, _, direction = entry.partition(" ")
            self.append(name, direction)

    def picked(self):
        name = field_value(self.add)
        self.add.value = ""
        if name and name not in [n for n, _, _ in self.entries]:
            self.append(name, "")

    def append(self, name, direction):
        label = self.fields.labels.get(name, name)
        order = None
        if self.directions:
            order = h("select", {"class": "direction", "aria-label": "Order of " + label},
                      h("option", {"value": ""}, "ascending"), h("option", {"value": "desc"}, "descending"))
            order.value = direction
        chip = h("span", {"class": "chip", "data-name": name}, h("span", {}, label), order)
        chip.appendChild(h("button", {"type": "button", "aria-label": "Remove " + label,
                                      "on_click": lambda e: self.remove(name)}, "✕"))
        self.entries.append((name, order, chip))
        self.list.appendChild(chip)

    def remove(self, name):
        for entry in [e for e in self.entries if e[0] == name]:
            entry[2].remove()
            self.entries.remove(entry)

    def values(self):
        return [name + (" " + field_value(order) if order is not None and field_value(order) else "")
                for name, order, _ in self.entries]


class Builder:
    """The explore's form: fields by view (with search), filters, sorts, limit, pivots, totals and the
    visualization; the query body it makes, Run (into the address) and Save as a Look."""

    def __init__(self, app, builder, area, fields, preset):
        self.app, self.builder, self.area, self.fields = app, builder, area, fields
        self.from_link = preset is not None
        self.preset = preset or queries.body(fields.model, fields.name, [], vis_type="looker_column")
        self.boxes = {}  # field name -> its checkbox
        self.picks = []  # field names in the order they were ticked: Looker's column order
        self.filter_rows = h("div", {"class": "filter-rows", "id": "filter-rows"})

    async def start(self):
        form = self.form()
        saver, save_form = save_look.form(self.app, self.current) if self.app.may("save") else (None, None)
        if saver is not None:
            self.options.appendChild(saver)
        self.options.appendChild(h("details", {}, h("summary", {}, "Query body"), self.body_view))
        listen(form, "submit", lambda event: go(self.current()))
        replace(self.builder, form, save_form)
        selected = list(self.preset.get("fields") or [])
        named = selected + [f for f, _ in ordered.pairs(self.preset.get("filters"))]
        unknown = [n for n in named if n not in self.fields.labels]
        if unknown:
            replace(self.area, h("div", {"class": "error", "role": "alert", "id": "bad-link"},
                                 "This link names fields this explore does not have: " + ", ".join(unknown)
                                 + ". Pick fields above and run again, or ",
                                 h("a", {"href": "#/explore"}, "start a new exploration"), "."))
            return
        await self.run_preset()

    # --- the form -------------------------------------------------------------------------------------
    def form(self):
        preset = self.preset
        for name, expression in ordered.pairs(preset.get("filters")):
            self.add_filter_row(name, expression)
        self.sorts = Picked("sorts", "Sort by", self.fields, preset.get("sorts") or [], directions=True)
        self.pivots = Picked("pivots", "Pivot on", self.fields, preset.get("pivots") or [],
                             only=lambda f: f.get("category") != "measure")
        self.limit = h("input", {"id": "limit", "type": "number", "min": "1", "value": preset.get("limit") or "500",
                                 "aria-label": "Row limit"})
        self.totals = h("input", {"id": "totals", "type": "checkbox", "checked": bool(preset.get("total"))})
        self.vis = h("select", {"id": "vis-type", "aria-label": "Visualization"},
                     [h("option", {"value": v}, v.replace("looker_", "")) for v in VIS_TYPES])
        self.vis.value = (preset.get("vis_config") or {}).get("type") or "looker_column"
        self.stacking = (preset.get("vis_config") or {}).get("stacking") or ""
        self.body_view = h("pre", {"class": "query-body", "id": "query-body"})
        self.share = h("a", {"id": "share-link", "href": "#"}, "Share link")
        self.options = h("div", {"class": "query-options"},
                         h("h2", {}, "Filters"), self.filter_rows,
                         h("button", {"type": "button", "id": "add-filter",
                                      "on_click": lambda e: self.add_filter_row()}, "+ Filter"),
                         h("div", {"class": "option"}, h("span", {}, "Sorts"), self.sorts.root),
                         h("label", {}, "Limit ", self.limit),
                         h("div", {"class": "option"}, h("span", {}, "Pivots"), self.pivots.root),
                         h("label", {}, "Visualization ", self.vis), h("label", {"class": "check"}, self.totals, " Totals"),
                         h("button", {"class": "primary", "type": "submit", "id": "run"}, "Run"), " ", self.share)
        return h("form", {"class": "explore-form"}, self.field_picker(), self.options)

    def field_picker(self):
        selected = list(self.preset.get("fields") or [])
        sections = []
        for view, members in self.fields.groups():
            sections.append(h("details", {"class": "view-fields", "open": True}, h("summary", {}, view),
                              [self.field_box(field, field["name"] in selected) for field in members]))
        self.picks.extend(n for n in selected if n in self.boxes)
        find = h("input", {"type": "search", "placeholder": "Find a field…", "aria-label": "Find a field"})
        listen(find, "input", lambda event: self.find_fields(field_value(find).lower()))
        return h("div", {"class": "field-picker"}, find, sections)

    def field_box(self, field, checked):
        name = field["name"]
        box = h("input", {"type": "checkbox", "id": "field-" + name.replace(".", "-"), "value": name,
                          "checked": checked})
        self.boxes[name] = box
        listen(box, "change", lambda event: self.tick(name))
        kind = "measures" if field.get("category") == "measure" else "dimensions"
        return h("label", {"class": "field " + kind, "data-name": name, "data-group": field.get("dimension_group") or ""},
                 box, " ", h("b", {}, field.get("label_short", name)))

    def find_fields(self, text):
        for name in self.boxes:
            label = self.boxes[name].parentElement
            label.hidden = bool(text) and text not in label.textContent.lower() and text not in name

    def tick(self, name):
        if self.boxes[name].checked and name not in self.picks:
            self.picks.append(name)
        elif not self.boxes[name].checked and name in self.picks:
            self.picks.remove(name)

    def add_filter_row(self, name="", expression=""):
        select = h("select", {"class": "filter-field", "aria-label": "Filter field"}, field_options(self.fields))
        if name:
            select.value = name
        value = h("input", {"class": "filter-expression", "value": expression, "placeholder": "e.g. 7 days, -NULL",
                            "aria-label": "Filter expression"})
        row = h("div", {"class": "filter-row"}, select, value)
        row.appendChild(h("button", {"type": "button", "aria-label": "Remove filter",
                                     "on_click": lambda e: row.remove()}, "✕"))
        self.filter_rows.appendChild(row)

    # --- the query ------------------------------------------------------------------------------------
    def current(self, sort_list=None):
        filters = [(str(row.querySelector(".filter-field").value), str(row.querySelector(".filter-expression").value))
                   for row in self.filter_rows.querySelectorAll(".filter-row")]
        return queries.body(self.fields.model, self.fields.name, list(self.picks), filters,
                            self.sorts.values() if sort_list is None else sort_list,
                            field_value(self.limit) or queries.DEFAULT_LIMIT, self.pivots.values(),
                            field_value(self.vis), bool(self.totals.checked), self.stacking)

    def sort_by(self, field):
        info = self.fields.meta.get(field) or {}
        go(self.current(queries.toggled_sort(self.sorts.values(), field, info.get("numeric"))))

    async def run_preset(self):
        body = self.current()
        self.body_view.textContent = pretty(body)
        self.share.setAttribute("href", queries.share_hash(body))
        if not body["fields"]:
            if self.from_link:
                replace(self.area, h("p", {"class": "error", "role": "alert"}, "Pick at least one field to run a query."))
            return
        shown = await self.app.show_query(self.area, body, on_sort=self.sort_by, on_error=self.failed,
                                          title="Explore results")
        if shown is not None:
            self.app.previous_results = self.area

    def failed(self, exc):
        """Mark the filters Looker blamed; keep what the last run showed below the error."""
        blamed = wording.bad_filters(getattr(exc, "errors", None), ordered.pairs(self.current()["filters"]))
        for row in self.filter_rows.querySelectorAll(".filter-row"):
            if str(row.querySelector(".filter-field").value) in blamed:
                row.querySelector(".filter-expression").setAttribute("aria-invalid", "true")
        if self.app.previous_results is not None:
            self.app.previous_results.removeAttribute("id")  # this run's area is #results now
            self.area.appendChild(h("section", {"class": "previous-results", "id": "previous-results"},
                                    h("h2", {}, "Previous results"), self.app.previous_results))
