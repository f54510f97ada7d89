"""Dashboards as Looker lays them out: tiles on the layout's 24-column grid (one column on a phone),
every tile's query run concurrently and drawn as its visualization, with per-tile CSV, "open in
Looker", a drill panel on click, filter suggestions and date presets, and optional auto-refresh
(#/dashboard/1?refresh=<seconds> starts it, for a wall screen)."""

import asyncio

import js

from looker_pkce import LookerError
from looker_pkce.browser.dom import download, field_value, h, listen, replace
from looker_pkce.core.compat import quote

from . import browse, layout, queries

DATE_PRESETS = [("", "any time"), ("today", "today"), ("7 days", "last 7 days"), ("30 days", "last 30 days"),
                ("90 days", "last 90 days"), ("this month", "this month"), ("last month", "last month"),
                ("this year", "this year"), ("365 days", "last 365 days")]
REFRESH_CHOICES = [("0", "Auto-refresh off"), ("60", "every minute"), ("300", "every 5 minutes"),
                   ("900", "every 15 minutes")]


def refresh_choices(wanted):
    """The auto-refresh menu and the chosen value: `wanted` (the link's ?refresh=<seconds>, for a
    wall screen) joins the menu when it is not on it. (choices, value, problem or None)."""
    if not wanted:
        return REFRESH_CHOICES, "0", None
    if not wanted.isdigit() or int(wanted) < 1:
        return REFRESH_CHOICES, "0", "refresh must be a whole number of seconds, not “" + wanted + "”; auto-refresh is off."
    seconds = str(int(wanted))
    if seconds in [v for v, _ in REFRESH_CHOICES]:
        return REFRESH_CHOICES, seconds, None
    return REFRESH_CHOICES + [(seconds, "every " + seconds + " s")], seconds, None


async def show_list(app):
    area = h("section", {"class": "listing"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Dashboards")), area)
    boards = await app.load(area, "Loading dashboards…", app.client.get("dashboards", {"fields": "id,title,description"}))
    if boards is None:
        return
    replace(area, h("ul", {"class": "content"}, [
        h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, browse.icon("🗂"), d["title"]),
          h("p", {}, d.get("description") or "")) for d in boards]))


def filter_input(app, item):
    """A dashboard filter's control: date presets for date filters, value suggestions for the others."""
    name = item["name"]
    box = h("input", {"id": "dashboard-filter-" + name.lower(), "value": item.get("default_value") or "",
                      "placeholder": "any", "aria-label": item.get("title") or name, "autocomplete": "off"})
    if item.get("type") == "date_filter":
        presets = h("select", {"class": "date-presets", "aria-label": (item.get("title") or name) + " presets"},
                    [h("option", {"value": v}, label) for v, label in DATE_PRESETS])

        def pick(event):
            box.value = field_value(presets)

        listen(presets, "change", pick)
        return box, h("span", {"class": "date-filter"}, box, presets)
    field = item.get("dimension")
    if not field or not item.get("model") or not item.get("explore"):
        return box, box
    options = h("datalist", {"id": "suggest-" + name.lower()})
    box.setAttribute("list", "suggest-" + name.lower())
    asked = []

    async def suggest(event=None):
        term = field_value(box).split(",")[-1].strip()
        if asked and asked[-1] == term:
            return
        asked.append(term)
        path = ("models/" + quote(item["model"]) + "/views/" + quote(item["explore"]) + "/fields/"
                + quote(field) + "/suggestions")
        try:
            found = await app.client.get(path, {"term": term} if term else None)
        except LookerError:
            return  # suggestions are a help, never a blocker
        if asked[-1] == term:
            replace(options, [h("option", {"value": value}) for value in found.get("suggestions") or []])

    listen(box, "focus", suggest)
    listen(box, "input", suggest)
    return box, h("span", {"class": "suggested"}, box, options)


async def show(app, dashboard_id, refresh_every=""):
    """The dashboard; `refresh_every` (seconds, from the link) starts auto-refresh."""
    token = app.token
    header = h("div", {"class": "toolbar"})
    bar = h("form", {"class": "filters dashboard-filters", "id": "dashboard-filters"})
    grid = h("section", {"class": "tiles", "id": "tiles"})
    drill = h("div", {"class": "drill-panel", "id": "drill-panel", "hidden": True, "role": "dialog",
                      "aria-labelledby": "drill-title", "tabindex": "-1"})
    replace(app.view, header, bar, grid, drill)
    board = await app.load(header, "Loading dashboard…", app.client.get("dashboards/" + dashboard_id, ordered=True))
    if board is None:
        return
    choices, chosen, problem = refresh_choices(refresh_every)
    refresh = h("select", {"id": "auto-refresh", "aria-label": "Auto-refresh"},
                [h("option", {"value": v}, label) for v, label in choices])
    refresh.value = chosen
    replace(header, h("h1", {}, board["title"]), h("p", {"class": "muted"}, board.get("description") or ""),
            h("a", {"class": "open-in-looker", "href": app.config.ui_url.rstrip("/") + "/dashboards/" + dashboard_id,
                    "target": "_blank", "rel": "noopener"}, "Open in Looker", h("span", {"aria-hidden": "true"}, " ↗"),
              h("span", {"class": "sr-only"}, " (new tab)")), refresh,
            h("p", {"class": "error", "role": "alert", "id": "refresh-problem"}, problem) if problem else None)
    inputs = []  # [(filter name, input)] in the dashboard's order
    controls = []
    for item in board.get("dashboard_filters") or []:
        box, control = filter_input(app, item)
        inputs.append((item["name"], box))
        controls.append(h("label", {}, h("span", {}, item.get("title") or item["name"]), control))
    if inputs:
        replace(bar, controls, h("button", {"class": "primary", "type": "submit"}, "Apply"))

    opener = []  # what had focus when the drill opened: it gets focus back when the drill closes

    def close_drill(event=None):
        drill.setAttribute("hidden", "")
        back = opener.pop() if opener else None
        if back is not None and back.isConnected:
            back.focus()

    def on_drill_key(event):
        if str(event.key) == "Escape":
            event.preventDefault()
            close_drill()

    listen(drill, "keydown", on_drill_key)

    def open_drill(title, body, clicked):
        """The drill panel, a dialog: focus moves into it, Esc or ✕ closes it and focus goes back."""
        if drill.hasAttribute("hidden"):
            opener.append(js.document.activeElement)
        replace(drill, h("div", {"class": "drill-head"}, h("h2", {"id": "drill-title"}, "Drill: " + title),
                         h("button", {"type": "button", "id": "close-drill", "aria-label": "Close drill",
                                      "on_click": close_drill}, "✕")),
                h("p", {"class": "muted"}, ", ".join(str(v) for _, v in clicked)))
        drill.removeAttribute("hidden")
        drill.focus()
        area = h("div", {"class": "drill-results", "id": "drill-results"})
        drill.appendChild(area)
        asyncio.create_task(app.show_query(area, body, title="Drill: " + title))

    def tile_for(element, place, values):
        tile = h("article", {"class": "tile", "data-type": element.get("type") or "vis",
                             "data-element": element.get("id") or ""})
        for name, value in layout.grid_style(place):
            tile.style.setProperty(name, value)
        if element.get("type") == "text":
            replace(tile, h("h2", {}, element.get("title_text")) if element.get("title_text") else None,
                    h("p", {"class": "tile-text"}, element.get("body_text") or ""))
            return tile, None
        query = element.get("query")
        body_area = h("div", {"class": "tile-body"})
        title = element.get("title") or ""
        if not query:
            replace(tile, h("h2", {}, title), body_area)
            return tile, None
        body = queries.saved_body(query, queries.tile_filters(element, values))

        async def csv(event):
            button = event.target
            button.disabled = True
            try:
                blob = await app.run_js("POST", "queries/run/csv", body, keep="js-blob")
                download((title or "tile").lower().replace(" ", "_") + ".csv", blob)
            except LookerError as exc:
                app.error(body_area, exc)
            finally:
                button.disabled = False

        async def on_drill_ready():
            fields = await app.explore(body["model"], body["view"])

            def on_drill(row, field):
                wanted = queries.drill_body(body, row, fields.meta, field)
                if wanted is not None:
                    open_drill(title, wanted, sorted_row(body, row))
            return on_drill

        named = "“" + (title or "this tile") + "”"  # each tile's controls say which tile they act on
        tools = h("span", {"class": "tile-tools"},
                  h("button", {"type": "button", "class": "tile-csv", "title": "Download " + named + " as CSV",
                               "aria-label": "Download " + named + " as CSV", "on_click": csv}, "CSV"),
                  h("a", {"class": "tile-looker", "href": queries.looker_url(app.config.ui_url, body),
                          "target": "_blank", "rel": "noopener", "title": "Open " + named + " in Looker",
                          "aria-label": "Open " + named + " in Looker (new tab)"}, h("span", {"aria-hidden": "true"}, "↗")))
        replace(tile, h("div", {"class": "tile-head"}, h("h2", {}, title), tools), body_area)
        return tile, (body_area, body, on_drill_ready, title)

    async def run_tile(area, body, on_drill_ready, title):
        """All of a tile's work, its explore's fields included: its data, or its own error and a Retry."""
        try:
            on_drill = await on_drill_ready()
        except Exception as exc:  # the tile owns every failure of its work (LookerError, MemoryError...)
            app.error(area, exc)
            result = None
        else:
            result = await app.show_query(area, body, table_too=False, on_drill=on_drill, title=title)
        if result is None and app.client.signed_in and app.current(token):
            area.appendChild(h("button", {"type": "button", "class": "tile-retry",
                                          "on_click": lambda event: run_tile(area, body, on_drill_ready, title)},
                               "Retry"))

    async def draw(event=None):
        values = [(name, field_value(box)) for name, box in inputs]
        replace(grid)
        jobs = []
        for element, place in layout.placements(board):
            tile, job = tile_for(element, place, values)
            grid.appendChild(tile)
            if job is not None:
                jobs.append(run_tile(*job))
        await asyncio.gather(*jobs)  # tiles load concurrently; each shows its own errors

    rounds = [0]  # each choice starts its own round of refreshes and ends the one before

    async def auto_refresh(event=None):
        rounds[0] += 1
        mine, seconds = rounds[0], int(field_value(refresh))
        if event is not None:  # the link keeps the choice (replaceState: no re-render)
            wanted = "" if seconds == 0 else "?refresh=" + str(seconds)
            js.history.replaceState(js.history.state, "", "#/dashboard/" + dashboard_id + wanted)

        def live():
            return seconds and rounds[0] == mine and app.current(token) and app.client.signed_in

        while live():
            await asyncio.sleep(seconds)
            if live():
                await draw()

    listen(bar, "submit", draw)
    listen(refresh, "change", auto_refresh)
    asyncio.create_task(auto_refresh())  # runs while this view is current and the choice stands
    await draw()


def sorted_row(body, row):
    """The clicked row's dimension values, in the query's field order (for the drill panel's subtitle)."""
    return [(name, row[name]) for name in body["fields"] if name in row and not isinstance(row[name], (dict, list))]
