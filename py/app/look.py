"""A look: run it, change its filters and re-run inline, download CSV or JSON."""

from looker_pkce import LookerError
from looker_pkce.dom import download, field_value, h, listen, replace


def query_body(query, filters=None):
    """The inline-query body for a saved query, with `filters` replacing its own."""
    body = {}
    for key in ("model", "view", "fields", "pivots", "sorts", "limit", "total", "vis_config"):
        if query.get(key) is not None:
            body[key] = query[key]
    body["filters"] = dict(query.get("filters") or {}) if filters is None else filters
    return body


async def show(app, look_id):
    header = h("div", {"class": "toolbar"})
    controls = h("form", {"class": "filters", "id": "look-filters"})
    area = h("section", {"class": "results", "id": "results"})
    replace(app.main, header, controls, area)
    look = await app.load(header, "Loading look…", app.client.get("looks/" + look_id))
    if look is None:
        return
    query = look["query"]
    replace(header, h("h1", {}, look["title"]), h("p", {"class": "muted"}, look.get("description") or ""))
    labels, _, _ = await app.explore_fields(query["model"], query["view"])
    inputs = {}

    def filter_row(name, value):
        inputs[name] = h("input", {"id": "filter-" + name.replace(".", "-"), "value": value,
                                   "aria-label": "Filter " + labels.get(name, name)})
        return h("label", {}, h("span", {}, labels.get(name, name)), inputs[name])

    rows = [filter_row(name, query["filters"][name]) for name in query.get("filters") or {}]
    add_field = h("select", {"aria-label": "Add a filter on"},
                  h("option", {"value": ""}, "+ filter on…"),
                  [h("option", {"value": f}, labels.get(f, f)) for f in query["fields"] if f not in inputs])
    extra = h("div", {"class": "filter-rows"})

    def add_filter(event):
        name = field_value(add_field)
        if name and name not in inputs:
            extra.appendChild(filter_row(name, ""))
            inputs[name].focus()

    def current_body():
        return query_body(query, {name: field_value(inputs[name]) for name in inputs})

    async def run(event):
        await app.show_query(area, current_body())

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
    await app.show_query(area, query_body(query), run_path="looks/" + look_id + "/run/json")
