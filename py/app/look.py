"""A look: run it, change its filters (any field of its explore) and re-run inline, download CSV or JSON."""

from looker_pkce import LookerError
from looker_pkce.browser.dom import download, field_value, h, listen, replace
from looker_pkce.core import ordered

from . import queries


async def show(app, look_id):
    header = h("div", {"class": "toolbar"})
    controls = h("form", {"class": "filters", "id": "look-filters"})
    area = h("section", {"class": "results", "id": "results"})
    replace(app.view, header, controls, area)
    look = await app.load(header, "Loading look…", app.client.get("looks/" + look_id, ordered=True))
    if look is None:
        return
    query = look["query"]
    replace(header, h("h1", {}, look["title"]), h("p", {"class": "muted"}, look.get("description") or ""))
    fields = await app.explore(query["model"], query["view"])
    labels = fields.labels
    inputs = []  # [(field, input)] in Looker's order, then the ones added here

    def filter_row(name, value):
        box = h("input", {"id": "filter-" + name.replace(".", "-"), "value": value,
                          "aria-label": "Filter " + labels.get(name, name)})
        inputs.append((name, box))
        return h("label", {}, h("span", {}, labels.get(name, name)), box)

    rows = [filter_row(name, value) for name, value in ordered.pairs(query.get("filters"))]
    add_field = h("select", {"aria-label": "Add a filter on"},
                  h("option", {"value": ""}, "+ filter on…"),
                  [h("optgroup", {"label": view}, [h("option", {"value": f["name"]}, labels[f["name"]]) for f in members])
                   for view, members in fields.groups()])
    extra = h("div", {"class": "filter-rows"})

    def add_filter(event):
        name = field_value(add_field)
        add_field.value = ""
        if name and name not in [n for n, _ in inputs]:
            extra.appendChild(filter_row(name, ""))
        for known, box in inputs:
            if known == name:
                box.focus()

    def current_body():
        return queries.saved_body(query, [(name, field_value(box)) for name, box in inputs])

    async def run(event):
        await app.show_query(area, current_body(), title=look["title"])

    async def save(event, fmt):
        button = event.target
        button.disabled = True
        try:
            blob = await app.run_js("POST", "queries/run/" + fmt, current_body(), keep="js-blob")
            download(look["title"].lower().replace(" ", "_") + "." + fmt, blob)
        except LookerError as exc:
            app.error(area, exc)
        finally:
            button.disabled = False

    replace(controls, rows, extra, h("div", {"class": "actions"},
            add_field,
            h("button", {"class": "primary", "type": "submit", "id": "run"}, "Run"),
            h("button", {"type": "button", "id": "download-csv", "on_click": lambda e: save(e, "csv")},
              "Download CSV"),
            h("button", {"type": "button", "id": "download-json", "on_click": lambda e: save(e, "json")},
              "Download JSON")))

    listen(add_field, "change", add_filter)
    listen(controls, "submit", run)
    # First run: the saved look as Looker runs it (run_look), then edits re-run inline.
    await app.show_query(area, queries.saved_body(query), saved="looks/" + look_id + "/run", title=look["title"])
