"""Dashboards as Looker lays them out: tiles on the layout's 24-column grid (one column on a phone),
every tile's query run concurrently and drawn as its visualization, with per-tile CSV, "open in
Looker", a drill panel on click, filter suggestions and date presets, and optional auto-refresh
(#/dashboard/1?refresh=<seconds> starts it, for a wall screen).

The filters' values live in the address (#/dashboard/1?State=Texas): Apply navigates, so a reload
or a shared link shows the same filtered dashboard. A tile runs its saved query (what Looker lets
everyone who sees the dashboard do); with changed filters it first asks Looker for the query with
those filters (create_query), as Looker's dashboards do (app/tiles.py)."""

import asyncio

import js

from looker_pkce import LookerError
from looker_pkce.browser.dom import download, field_value, h, listen, replace
from looker_pkce.browser.wall import Wall
from looker_pkce.core.compat import quote

from . import browse, layout, queries, tiles

DATE_PRESETS = [("", "any time"), ("today", "today"), ("7 days", "last 7 days"), ("30 days", "last 30 days"),
                ("90 days", "last 90 days"), ("this month", "this month"), ("last month", "last month"),
                ("this year", "this year"), ("365 days", "last 365 days")]


async def show_list(app):
    area = h("section", {"class": "listing"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Dashboards")), area)
    boards = await app.load(area, "Loading dashboards…", app.client.get("dashboards", {"fields": "id,title,description"}))
    if boards is None:
        return
    replace(area, h("ul", {"class": "content"}, [
        h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, browse.icon("dashboard"), d["title"]),
          h("p", {}, d.get("description") or "")) for d in boards]))


def filter_input(app, item, value):
    """A dashboard filter's control: date presets for date filters, value suggestions for the others."""
    name = item["name"]
    box = h("input", {"id": "dashboard-filter-" + name.lower(), "value": value, "placeholder": "any",
                      "aria-label": item.get("title") or name, "autocomplete": "off"})
    if item.get("type") == "date_filter":
        presets = h("select", {"class": "date-presets", "aria-label": (item.get("title") or name) + " presets"},
                    [h("option", {"value": v}, label) for v, label in DATE_PRESETS])

        def pick(event):
            box.value = field_value(presets)

        listen(presets, "change", pick)
        return box, h("span", {"class": "date-filter"}, box, presets)
    if not item.get("dimension") or not item.get("model") or not item.get("explore"):
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
                + quote(item["dimension"]) + "/suggestions")
        try:
            found = await app.client.get(path, {"term": term} if term else None)
        except LookerError:
            return  # suggestions are a help, never a blocker
        if asked[-1] == term:
            replace(options, [h("option", {"value": v}) for v in found.get("suggestions") or []])

    listen(box, "focus", suggest)
    listen(box, "input", suggest)
    return box, h("span", {"class": "suggested"}, box, options)


async def show(app, dashboard_id, params=None):
    """The dashboard; `params` is the address's query: filter values by name, and `refresh` (seconds)."""
    params = params or {}
    header = h("div", {"class": "toolbar"})
    bar = h("form", {"class": "filters dashboard-filters", "id": "dashboard-filters"})
    grid = h("section", {"class": "tiles", "id": "tiles"})
    drill = h("div", {"class": "drill-panel", "id": "drill-panel", "hidden": True, "role": "dialog",
                      "aria-labelledby": "drill-title", "tabindex": "-1"})
    replace(app.view, header, bar, grid, drill)
    board = await app.load(header, "Loading dashboard…", app.client.get("dashboards/" + dashboard_id, ordered=True))
    if board is not None:
        await Dashboard(app, dashboard_id, board, params, (header, bar, grid, drill)).start()


class Dashboard:
    """One dashboard on screen: its header, filter bar, tiles, drill panel and auto-refresh."""

    def __init__(self, app, dashboard_id, board, params, parts):
        self.app, self.id, self.board, self.token = app, dashboard_id, board, app.token
        self.header, self.bar, self.grid, self.drill = parts
        self.filters = list(board.get("dashboard_filters") or [])
        self.values = tiles.filter_values(self.filters, params)
        choices, chosen, self.refresh_problem = tiles.refresh_choices(params.get("refresh", ""))
        self.refresh = h("select", {"id": "auto-refresh", "aria-label": "Auto-refresh"},
                         [h("option", {"value": v}, label) for v, label in choices])
        self.refresh.value = chosen
        self.inputs = []  # [(filter name, input)] in the dashboard's order
        self.rounds = 0  # each auto-refresh choice starts its own round and ends the one before
        self.opener = []  # what had focus when the drill opened: it gets focus back when the drill closes

    async def start(self):
        self.draw_header()
        self.draw_filter_bar()
        listen(self.refresh, "change", self.auto_refresh)
        listen(self.drill, "keydown", self.on_drill_key)
        asyncio.create_task(self.auto_refresh())  # runs while this view is current and the choice stands
        await self.draw()

    # --- header and filters --------------------------------------------------------------------------
    def draw_header(self):
        ui = self.app.config.ui_url.rstrip("/")
        replace(self.header, h("h1", {}, self.board["title"]),
                h("p", {"class": "muted"}, self.board.get("description") or ""),
                h("a", {"class": "open-in-looker", "href": ui + "/dashboards/" + self.id, "target": "_blank",
                        "rel": "noopener"}, "Open in Looker", h("span", {"aria-hidden": "true"}, " ↗"),
                  h("span", {"class": "sr-only"}, " (new tab)")), self.refresh,
                h("p", {"class": "error", "role": "alert", "id": "refresh-problem"}, self.refresh_problem)
                if self.refresh_problem else None)

    def draw_filter_bar(self):
        if not self.filters:
            return
        wanted = dict(self.values)
        controls = []
        for item in self.filters:
            box, control = filter_input(self.app, item, wanted.get(item["name"], ""))
            self.inputs.append((item["name"], box))
            controls.append(h("label", {}, h("span", {}, item.get("title") or item["name"]), control))
        replace(self.bar, controls, h("button", {"class": "primary", "type": "submit"}, "Apply"))
        listen(self.bar, "submit", self.apply)

    def address(self, values=None):
        defaults = [(f["name"], f.get("default_value") or "") for f in self.filters]
        return tiles.address("#/dashboard/" + self.id, defaults, self.values if values is None else values,
                             field_value(self.refresh))

    def apply(self, event=None):
        """Apply: the chosen values go into the address, and the route draws them (same values: redraw)."""
        target = self.address([(name, field_value(box).strip()) for name, box in self.inputs])
        if str(js.location.hash) == target:
            asyncio.create_task(self.draw())
        else:
            js.location.hash = target

    # --- tiles ---------------------------------------------------------------------------------------
    async def draw(self):
        replace(self.grid)
        jobs = []
        for element, place in layout.placements(self.board):
            tile, job = self.tile(element, place)
            self.grid.appendChild(tile)
            if job is not None:
                jobs.append(job)
        await asyncio.gather(*jobs)  # tiles load concurrently; each shows its own errors

    def tile(self, element, place):
        """(the tile's <article>, the coroutine that fills it or None)."""
        tile = h("article", {"class": "tile", "data-type": element.get("type") or "vis",
                             "data-element": element.get("id") or ""})
        for name, value in layout.grid_style(place):
            tile.style.setProperty(name, value)
        title = element.get("title") or ""
        query = element.get("query")
        if element.get("type") == "text":
            replace(tile, h("h2", {}, element.get("title_text")) if element.get("title_text") else None,
                    h("p", {"class": "tile-text"}, element.get("body_text") or ""))
            return tile, None
        area = h("div", {"class": "tile-body"})
        if not query:
            replace(tile, h("h2", {}, title), area)
            return tile, None
        body = queries.saved_body(query, queries.tile_filters(element, self.values))
        named = "“" + (title or "this tile") + "”"  # each tile's controls say which tile they act on
        csv = h("button", {"type": "button", "class": "tile-csv", "title": "Download " + named + " as CSV",
                           "aria-label": "Download " + named + " as CSV"}, "CSV")
        listen(csv, "click", lambda event: self.download(csv, area, title, query, body))
        tools = h("span", {"class": "tile-tools"}, csv,
                  h("a", {"class": "tile-looker", "href": queries.looker_url(self.app.config.ui_url, body),
                          "target": "_blank", "rel": "noopener", "title": "Open " + named + " in Looker",
                          "aria-label": "Open " + named + " in Looker (new tab)"},
                    h("span", {"aria-hidden": "true"}, "↗")))
        replace(tile, h("div", {"class": "tile-head"}, h("h2", {}, title), tools), area)
        return tile, self.run_tile(area, title, query, body)

    async def saved(self, query, body):
        """The saved query giving `body`'s rows: the tile's own, or one Looker makes with these filters."""
        path = tiles.saved_run(query, body)
        if path is None:
            made = await self.app.client.post("queries", body)
            path = "queries/" + str(made["id"]) + "/run"
        return path

    async def run_tile(self, area, title, query, body):
        """All of a tile's work, its saved query and its explore's fields included: its data, or its own
        error and a Retry."""
        on_drill, result = None, None
        try:
            saved = await self.saved(query, body)
            if self.app.may("explore"):  # a drill is a new query: Looker's Explore permission
                on_drill = self.drill_for(title, body, await self.app.explore(body["model"], body["view"]))
        except Exception as exc:  # the tile owns every failure of its work (LookerError, MemoryError...)
            self.app.error(area, exc)
        else:
            result = await self.app.show_query(area, body, saved=saved, table_too=False, on_drill=on_drill,
                                               limit_notice=False, title=title)
        if result is None and self.app.client.signed_in and self.app.current(self.token):
            area.appendChild(h("button", {"type": "button", "class": "tile-retry",
                                          "aria-label": "Retry “" + (title or "this tile") + "”",
                                          "on_click": lambda event: self.run_tile(area, title, query, body)},
                               "Retry"))

    async def download(self, button, area, title, query, body):
        button.disabled = True
        try:
            blob = await self.app.client.get(await self.saved(query, body) + "/csv", keep="js-blob")
            download(tiles.file_name(title or "tile", "csv"), blob)
        except LookerError as exc:
            self.app.error(area, exc)
        finally:
            button.disabled = False

    # --- drill -----------------------------------------------------------------------------------------
    def drill_for(self, title, body, fields):
        def on_drill(row, field):
            wanted = queries.drill_body(body, row, fields.meta, field)
            if wanted is not None:
                self.open_drill(title, wanted, tiles.drill_subtitle(body, row, fields.meta))
        return on_drill

    def open_drill(self, title, body, subtitle):
        """The drill panel, a dialog: focus moves into it, Esc or ✕ closes it and focus goes back."""
        if self.drill.hasAttribute("hidden"):
            self.opener.append(js.document.activeElement)
        area = h("div", {"class": "drill-results", "id": "drill-results"})
        replace(self.drill, h("div", {"class": "drill-head"}, h("h2", {"id": "drill-title"}, "Drill: " + title),
                              h("button", {"type": "button", "id": "close-drill", "aria-label": "Close drill",
                                           "on_click": self.close_drill}, "✕")),
                h("p", {"class": "muted"}, subtitle), area)
        self.drill.removeAttribute("hidden")
        self.drill.focus()
        asyncio.create_task(self.app.show_query(area, body, title="Drill: " + title))

    def close_drill(self, event=None):
        self.drill.setAttribute("hidden", "")
        back = self.opener.pop() if self.opener else None
        if back is not None and back.isConnected:
            back.focus()

    def on_drill_key(self, event):
        if str(event.key) == "Escape":
            event.preventDefault()
            self.close_drill()

    # --- auto-refresh ------------------------------------------------------------------------------------
    async def auto_refresh(self, event=None):
        self.rounds += 1
        mine, seconds = self.rounds, int(field_value(self.refresh))
        if event is not None:  # the link keeps the choice (replaceState: no re-render)
            js.history.replaceState(js.history.state, "", self.address())

        def live():
            return seconds and self.rounds == mine and self.app.current(self.token) and self.app.client.signed_in

        # a wall screen: outages retried quietly, the session's end said plainly (looker_pkce.browser.wall)
        await Wall(self.app.client, self.header, seconds, self.draw, live,
                   lambda: [signed_out() for signed_out in self.app.on_signed_out], redrawn=self.grid).run()
