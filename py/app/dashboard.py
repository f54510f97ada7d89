"""Dashboards: every tile's query run concurrently and drawn as its visualization type."""

import asyncio

from looker_pkce.dom import field_value, h, listen, replace

from .look import query_body


async def show_list(app):
    area = h("section", {"class": "listing"})
    replace(app.main, h("div", {"class": "toolbar"}, h("h1", {}, "Dashboards")), area)
    boards = await app.load(area, "Loading dashboards…", app.client.get("dashboards", {"fields": "id,title,description"}))
    if boards is None:
        return
    replace(area, h("ul", {"class": "content"}, [
        h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, "🗂 ", d["title"]),
          h("p", {}, d.get("description") or "")) for d in boards]))


def tile_filters(element, values):
    """The element's own filters plus the dashboard filters it listens to."""
    query = element.get("query") or {}
    filters = dict(query.get("filters") or {})
    maker = element.get("result_maker") or {}
    for filterable in maker.get("filterables") or []:
        for listen_to in filterable.get("listen") or []:
            value = values.get(listen_to["dashboard_filter_name"], "")
            if value:
                filters[listen_to["field"]] = value
    return filters


async def show(app, dashboard_id):
    header = h("div", {"class": "toolbar"})
    bar = h("form", {"class": "filters dashboard-filters", "id": "dashboard-filters"})
    grid = h("section", {"class": "tiles", "id": "tiles"})
    replace(app.main, header, bar, grid)
    board = await app.load(header, "Loading dashboard…", app.client.get("dashboards/" + dashboard_id))
    if board is None:
        return
    replace(header, h("h1", {}, board["title"]), h("p", {"class": "muted"}, board.get("description") or ""))
    inputs = {}
    for item in board.get("dashboard_filters") or []:
        inputs[item["name"]] = h("input", {"id": "dashboard-filter-" + item["name"].lower(),
                                           "value": item.get("default_value") or "",
                                           "placeholder": "any", "aria-label": item.get("title") or item["name"]})
    if inputs:
        replace(bar, [h("label", {}, h("span", {}, name), inputs[name]) for name in inputs],
                h("button", {"class": "primary", "type": "submit"}, "Apply"))

    async def draw(event=None):
        values = {name: field_value(inputs[name]) for name in inputs}
        replace(grid)
        jobs = []
        for element in board.get("dashboard_elements") or []:
            tile = h("article", {"class": "tile", "data-type": element.get("type") or "vis"})
            grid.appendChild(tile)
            if element.get("type") == "text":
                replace(tile, h("h3", {}, element.get("title_text") or ""),
                        h("p", {"class": "tile-text"}, element.get("body_text") or ""))
                continue
            body_area = h("div", {"class": "tile-body"})
            replace(tile, h("h3", {}, element.get("title") or ""), body_area)
            query = element.get("query")
            if query:
                jobs.append(app.show_query(body_area, query_body(query, tile_filters(element, values)),
                                           table_too=False))
        await asyncio.gather(*jobs)  # tiles load concurrently; each shows its own errors

    listen(bar, "submit", draw)
    await draw()
