"""A look: run it, change its filters (any field of its explore) and re-run inline, download CSV or JSON.

The filters' values live in the address (#/look/1?f[users.state]=Texas, as Looker's URLs name them):
Run navigates, so a reload or a shared link shows the same filtered look. Changing a look's filters
makes a new query, which Looker allows with the "explore" permission: without it the filters are
shown as they are saved and the look runs as saved."""

import js

from looker_pkce.browser import downloads
from looker_pkce.browser.dom import field_value, h, listen, replace
from looker_pkce.core import ordered, queries, tiles

from .look_rules import link_values


async def show(app, look_id, params=None):
    header = h("div", {"class": "toolbar"}, h("h1", {}, "Look " + look_id))  # the view's heading, an error too
    controls = h("form", {"class": "filters", "id": "look-filters"})
    area = h("section", {"class": "results", "id": "results"})
    replace(app.view, header, controls, area)
    look = await app.load(area, "Loading look…", app.client.get("looks/" + look_id, ordered=True))
    if look is None:
        return
    query = look["query"]
    replace(header, h("h1", {}, look["title"]), h("p", {"class": "muted"}, look.get("description") or ""))
    fields = await app.load(area, "Loading fields…", app.explore(query["model"], query["view"]))
    if fields is None:
        return
    editable = app.may("explore")
    saved = ordered.pairs(query.get("filters"))
    wanted = dict(link_values(params or {})) if editable else {}
    values = [(name, wanted.get(name, value)) for name, value in saved]
    values += [(name, value) for name, value in link_values(params or {}) if editable and name not in dict(saved)]
    form = LookFilters(app, look_id, look, fields, saved, editable)
    form.draw(controls, values)
    body = queries.saved_body(query, values)
    if values == saved:  # the look as Looker runs it (run_look)
        await app.show_query(area, body, saved="looks/" + look_id + "/run", title=look["title"])
    else:
        await app.show_query(area, body, title=look["title"])


class LookFilters:
    """The look's filter form: its own filters, the ones added here (removable), Run and downloads."""

    def __init__(self, app, look_id, look, fields, saved, editable):
        self.app, self.look_id, self.look, self.fields, self.labels = app, look_id, look, fields, fields.labels
        self.saved, self.editable = saved, editable
        self.inputs = []  # [(field, input)] in Looker's order, then the ones added here

    def row(self, name, value, removable):
        box = h("input", {"id": "filter-" + name.replace(".", "-"), "value": value, "readonly": not self.editable,
                          "aria-label": "Filter " + self.labels.get(name, name)})
        self.inputs.append((name, box))
        label = h("label", {}, h("span", {}, self.labels.get(name, name)), box)
        if not removable:
            return label

        def remove(event):
            self.inputs[:] = [(n, b) for n, b in self.inputs if n != name]
            wrapper.remove()

        wrapper = h("span", {"class": "filter-added"}, label,
                    h("button", {"type": "button", "class": "remove-filter", "on_click": remove,
                                 "aria-label": "Remove the filter on " + self.labels.get(name, name)}, "✕"))
        return wrapper

    def draw(self, controls, values):
        own = [n for n, _ in self.saved]
        rows = [self.row(name, value, name not in own) for name, value in values]
        extra = h("div", {"class": "filter-rows"}, rows[len(own):])
        actions = [h("button", {"type": "button", "id": "download-csv", "on_click": lambda e: self.save(e, "csv")},
                     "Download CSV"),
                   h("button", {"type": "button", "id": "download-json", "on_click": lambda e: self.save(e, "json")},
                     "Download JSON")]
        if self.editable:
            add_field = h("select", {"aria-label": "Add a filter on"}, h("option", {"value": ""}, "+ filter on…"))
            listen(add_field, "change", lambda event: self.add(add_field, extra))
            self.fill_fields(add_field)
            actions = [add_field, h("button", {"class": "primary", "type": "submit", "id": "run"}, "Run")] + actions
        replace(controls, rows[:len(own)], extra, h("div", {"class": "actions"}, actions))
        listen(controls, "submit", self.run)

    def fill_fields(self, select):
        for view, members in self.fields.groups():
            select.appendChild(h("optgroup", {"label": view},
                                 [h("option", {"value": f["name"]}, self.labels[f["name"]]) for f in members]))

    def add(self, select, extra):
        name = field_value(select)
        select.value = ""
        if name and name not in [n for n, _ in self.inputs]:
            extra.appendChild(self.row(name, "", True))
        for known, box in self.inputs:
            if known == name:
                box.focus()

    def current(self):
        return [(name, field_value(box).strip()) for name, box in self.inputs]

    def run(self, event=None):
        """Run: the filters go into the address, and the route runs them."""
        target = tiles.address("#/look/" + self.look_id, [("f[" + n + "]", v) for n, v in self.saved],
                               [("f[" + n + "]", v) for n, v in self.current()])
        if str(js.location.hash) == target:
            js.window.dispatchEvent(js.HashChangeEvent.new("hashchange"))  # same filters: run again
        else:
            js.location.hash = target

    async def save(self, event, fmt):
        """Download the look's results as it stands (its filters here) in `fmt`, with progress and Cancel."""
        values = self.current()
        if values == self.saved:  # the look as Looker runs it (run_look)
            method, path, body = "GET", "looks/" + self.look_id + "/run/" + fmt, None
        else:
            method, path, body = "POST", "queries/run/" + fmt, queries.saved_body(self.look["query"], values)

        async def fetch(signal, on_progress):
            return await self.app.client.request(method, path, json_body=body, keep="js-blob", signal=signal,
                                                 on_progress=on_progress)

        await downloads.save(self.app.view.querySelector("#results"), event.target,
                             tiles.file_name(self.look["title"], fmt), fetch, self.app.error)
