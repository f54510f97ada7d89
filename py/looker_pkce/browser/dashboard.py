"""A Looker dashboard as Looker lays it out, in any element of a page:

    from looker_pkce.browser.dashboard import dashboard   # also looker_pkce.components.dashboard
    await dashboard(by_id("board"), looker, "1")

Tiles on the layout's 24-column grid (one column on a phone, components.css), every tile's saved
query run concurrently (what Looker lets every viewer of the dashboard do) and drawn as its
visualization, with a CSV download and "open in Looker" each; each tile owns its failures (its
error and a Retry); the dashboard's filters with value suggestions and date presets; a drill
dialog on a click on a row, a bar or a slice, for people whose Looker roles may explore (a drill is a
new query); auto-refresh (`refresh="60"`, seconds, 5 at the fastest); an ended session said once, in
a banner with Sign in.

`drill`: None (the default) offers drills as the person's Looker roles allow (core/access.py: `explore`):
the component reads them (`user`, then `users/{id}/roles`) while the tiles' queries run, and a tile whose
rows arrive first waits for that answer only to attach its drill; when Looker does not say, drills are
offered and Looker's answer to the drill's query decides (a refusal is said in the drill dialog). A page
that already knows passes True or False (the reference app does) and the component reads nothing more.

`filters` ({name: value}) are the starting values (the filters' defaults otherwise). Apply runs the
tiles with the new values. `on_change(values, defaults, refresh, applied)` ([(name, value)] and [(name, default)] in the
filters' order, the auto-refresh choice, True for Apply and False for a new auto-refresh choice) lets the
page keep them, e.g. in its address, as the reference app does; when it returns True for Apply the
page draws the dashboard again itself (the app routes to the new address).
`page` is a published page's overrides (core/overrides.py: tile order, titles, hidden tiles,
styles). The rules are pure code in the core: layout, tiles, queries, overrides.
"""

import asyncio

import js

from ..core import access, layout, overrides, queries, tiles
from ..core.compat import quote
from ..core.errors import LookerError, SessionBusy, SignedOut
from . import downloads
from .components import Spinner, explore_meta, load_chart_library, looker_error, session_ended, show_query
from .dom import field_value, h, listen, replace
from .wall import Wall

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from typing import Any

    from ..core.layout import Place
    from ..core.series import Meta, Row
    from ..driver.client import Client
    from .bridge import JsValue
    from .components import OnDrill

    Values = list[tuple[str, str]]  # [(filter name, value)] in the dashboard's filters' order
    OnChange = Callable[[Values, Values, str, bool], Any]  # (values, defaults, refresh, applied) -> True: page redraws

DATE_PRESETS = [("", "any time"), ("today", "today"), ("7 days", "last 7 days"), ("30 days", "last 30 days"),
                ("90 days", "last 90 days"), ("this month", "this month"), ("last month", "last month"),
                ("this year", "this year"), ("365 days", "last 365 days")]
ROLE_READS = 2  # the calls permissions() makes without `me`: the person's `user`, then their roles


async def dashboard(element: "JsValue", looker: "Client", dashboard_id: "str | int",
                    filters: "dict[str, str] | None" = None, refresh: str = "", on_change: "OnChange | None" = None,
                    drill: "bool | None" = None, page: "dict[str, Any] | None" = None,
                    live: "Callable[[], bool] | None" = None,
                    on_signed_out: "Callable[[], Any] | None" = None) -> "Dashboard | None":
    """Draw dashboard `dashboard_id` into `element` (its content is replaced) and run its tiles.

    `live()` says whether the dashboard is still the page's (default: `element` is in the document);
    auto-refresh and Retry stop when it is not. `on_signed_out()` hears an ended session (the banner
    is drawn either way). Returns the Dashboard, or None when Looker refused the dashboard (said in
    its place)."""
    header = h("div", {"class": "toolbar"})
    bar = h("form", {"class": "filters dashboard-filters", "id": "dashboard-filters"})
    grid = h("section", {"class": "tiles", "id": "tiles"})
    panel = h("div", {"class": "drill-panel", "id": "drill-panel", "hidden": True, "role": "dialog",
                      "aria-labelledby": "drill-title", "tabindex": "-1"})
    replace(element, header, bar, grid, panel)
    shown = Dashboard(element, looker, dashboard_id, (header, bar, grid, panel), drill, page or {}, live, on_signed_out)
    spinner = Spinner(header, "Loading dashboard…")
    try:
        board = await looker.get("dashboards/" + quote(str(dashboard_id)), ordered=True)
    except LookerError as exc:
        shown.error(header, exc)
        return None
    finally:
        spinner.stop()
    await shown.start(board, filters or {}, refresh, on_change)
    return shown


async def permissions(looker: "Client", me: "dict[str, Any] | None" = None) -> "set[str] | None":
    """The signed-in person's Looker permissions (core/access.py), or None when Looker does not say: the roles
    of `me` (their `user`, when the page has read it) or of whoever Looker says is signed in."""
    try:
        return access.permissions(await looker.get(access.roles_path(me or await looker.get("user", {"fields": "id"}))))
    except LookerError:
        return None


def filter_input(looker: "Client", item: "dict[str, Any]", value: str) -> "tuple[JsValue, JsValue]":
    """A dashboard filter's control: date presets for date filters, value suggestions for the others."""
    name = item["name"]
    box = h("input", {"id": "dashboard-filter-" + name.lower(), "value": value, "placeholder": "any",
                      "aria-label": item.get("title") or name, "autocomplete": "off"})
    if item.get("type") == "date_filter":
        presets = h("select", {"class": "date-presets", "aria-label": (item.get("title") or name) + " presets"},
                    [h("option", {"value": v}, label) for v, label in DATE_PRESETS])

        def pick(event: "JsValue") -> None:
            box.value = field_value(presets)

        listen(presets, "change", pick)
        return box, h("span", {"class": "date-filter"}, box, presets)
    if not item.get("dimension") or not item.get("model") or not item.get("explore"):
        return box, box
    options = h("datalist", {"id": "suggest-" + name.lower()})
    box.setAttribute("list", "suggest-" + name.lower())
    asked: "list[str]" = []

    async def suggest(event: "JsValue" = None) -> None:
        term = field_value(box).split(",")[-1].strip()
        if asked and asked[-1] == term:
            return
        asked.append(term)
        path = ("models/" + quote(item["model"]) + "/views/" + quote(item["explore"]) + "/fields/"
                + quote(item["dimension"]) + "/suggestions")
        try:
            found = await looker.get(path, {"term": term} if term else None)
        except LookerError:
            return  # suggestions are a help, never a blocker
        if asked[-1] == term:
            replace(options, [h("option", {"value": v}) for v in found.get("suggestions") or []])

    listen(box, "focus", suggest)
    listen(box, "input", suggest)
    return box, h("span", {"class": "suggested"}, box, options)


class Dashboard:
    """One dashboard on screen: its header, filter bar, tiles, drill dialog and auto-refresh."""

    offered: "bool | asyncio.Task[bool] | None"
    board: "dict[str, Any]"
    filters: "list[dict[str, Any]]"
    values: "Values"
    on_change: "OnChange | None"
    refresh: "JsValue"  # the auto-refresh <select>, once start() drew it
    refresh_problem: "str | None"
    inputs: "list[tuple[str, JsValue]]"
    opener: "list[JsValue]"
    metas: "dict[str, Meta | asyncio.Event]"

    def __init__(self, element: "JsValue", looker: "Client", dashboard_id: "str | int",
                 parts: "tuple[JsValue, JsValue, JsValue, JsValue]", drill: "bool | None", page: "dict[str, Any]",
                 live: "Callable[[], bool] | None", on_signed_out: "Callable[[], Any] | None") -> None:
        self.element, self.looker, self.id = element, looker, str(dashboard_id)
        self.header, self.bar, self.grid, self.drill = parts
        self.offered, self.page = drill, page  # drills: True, False, or None until draw() asks Looker (a Task)
        self.live = live or (lambda: bool(self.element.isConnected))
        self.on_signed_out = on_signed_out
        self.board, self.filters, self.values, self.on_change = {}, [], [], None
        self.refresh, self.refresh_problem = None, None
        self.inputs = []  # [(filter name, input)] in the dashboard's order
        self.rounds = 0  # each auto-refresh choice starts its own round and ends the one before
        self.opener = []  # what had focus when the drill opened: it gets focus back when the drill closes
        self.metas = {}  # "model::explore" -> the fields' metadata

    async def start(self, board: "dict[str, Any]", values: "dict[str, str]", refresh: "str | None",
                    on_change: "OnChange | None") -> None:
        self.board, self.on_change = board, on_change
        self.filters = list(board.get("dashboard_filters") or [])
        self.values = tiles.filter_values(self.filters, values)
        choices, chosen, self.refresh_problem = tiles.refresh_choices(refresh or "")
        self.refresh = h("select", {"id": "auto-refresh", "aria-label": "Auto-refresh"},
                         [h("option", {"value": v}, label) for v, label in choices])
        self.refresh.value = chosen
        self.draw_header()
        self.draw_filter_bar()
        listen(self.refresh, "change", self.auto_refresh)
        listen(self.drill, "keydown", self.on_drill_key)
        asyncio.create_task(self.auto_refresh())  # runs while the dashboard is live and the choice stands
        # the tiles' calls are this page's start-up too: the next signed-in load sends them before Python runs
        # (and, when the page left drills to the person's roles, the two calls that read them)
        calls = tiles.first_draw_calls(e for e, _ in overrides.apply(layout.placements(board), self.page))
        self.looker.expect_first_calls(calls + (ROLE_READS if self.offered is None else 0))
        await self.draw()

    def defaults(self) -> "Values":
        return [(f["name"], f.get("default_value") or "") for f in self.filters]

    def ui(self) -> str:
        return self.looker.config.ui_url.rstrip("/")

    async def meta(self, model: str, explore: str) -> "Meta":
        """The explore's field metadata, asked of Looker once for all the tiles that need it at the same
        time (they wait on the first asker); after a failure the next tile to ask tries again."""
        key = model + "::" + explore
        found = self.metas.get(key)
        if found is None:
            asked = self.metas[key] = asyncio.Event()
            try:
                self.metas[key] = await explore_meta(self.looker, model, explore)
            except BaseException:
                del self.metas[key]  # the failure is this tile's to show
                raise
            finally:
                asked.set()
            return self.metas[key]  # type: ignore[return-value]  # the Meta stored just above
        if isinstance(found, asyncio.Event):
            await found.wait()
            return await self.meta(model, explore)
        return found

    # --- errors --------------------------------------------------------------------------------------
    def error(self, container: "JsValue", exc: BaseException) -> None:
        """An error where it happened; an ended session said once, in a banner at the top."""
        if isinstance(exc, SignedOut):
            replace(container, h("p", {"class": "muted paused"}, "Not loaded."))
            if self.on_signed_out is not None:
                self.on_signed_out()
            self.session_ended()
        elif isinstance(exc, SessionBusy):  # another page of the origin held the session's lock
            replace(container, h("div", {"class": "error", "role": "alert"}, h("strong", {}, "SessionBusy: "), str(exc),
                                 " ", h("button", {"type": "button", "on_click": lambda e: js.location.reload()}, "Retry"),
                                 " ", h("button", {"type": "button", "on_click": lambda e: self.looker.sign_in()},
                                        "Sign in again")))
        elif isinstance(exc, LookerError):
            replace(container, looker_error(exc))
        else:
            replace(container, h("div", {"class": "error", "role": "alert"},
                                 h("strong", {}, "This stopped: "), type(exc).__name__ + ": " + str(exc)))

    def session_ended(self) -> None:
        session_ended(self.element, self.looker)

    # --- header and filters --------------------------------------------------------------------------
    def draw_header(self) -> None:
        replace(self.header, h("h1", {}, self.page.get("title") or self.board.get("title") or ""),
                h("p", {"class": "muted"}, self.board.get("description") or ""),
                h("a", {"class": "open-in-looker", "href": self.ui() + "/dashboards/" + self.id, "target": "_blank",
                        "rel": "noopener"}, "Open in Looker", h("span", {"aria-hidden": "true"}, " ↗"),
                  h("span", {"class": "sr-only"}, " (new tab)")), self.refresh,
                h("p", {"class": "error", "role": "alert", "id": "refresh-problem"}, self.refresh_problem)
                if self.refresh_problem else None)

    def draw_filter_bar(self) -> None:
        if not self.filters:
            return
        wanted = dict(self.values)
        controls = []
        for item in self.filters:
            box, control = filter_input(self.looker, item, wanted.get(item["name"], ""))
            self.inputs.append((item["name"], box))
            controls.append(h("label", {}, h("span", {}, item.get("title") or item["name"]), control))
        replace(self.bar, controls, h("button", {"class": "primary", "type": "submit"}, "Apply"))
        listen(self.bar, "submit", self.apply)

    def apply(self, event: "JsValue" = None) -> None:
        """Apply: the tiles run with the chosen values, here or as the page redraws (on_change)."""
        self.values = [(name, field_value(box).strip()) for name, box in self.inputs]
        if self.on_change is None or not self.on_change(self.values, self.defaults(), field_value(self.refresh), True):
            asyncio.create_task(self.draw())

    # --- tiles ---------------------------------------------------------------------------------------
    async def draw(self) -> None:
        replace(self.grid)
        jobs: "list[asyncio.Task[None]]" = []
        shown = overrides.apply(layout.placements(self.board), self.page)
        if tiles.draws_charts(element for element, _ in shown):
            try:  # fetched and compiled while the tiles' data is on its way
                load_chart_library()
            except RuntimeError:
                pass  # the page keeps no Chart.js: each chart tile says so
        for element, place in shown:
            tile, job = self.tile(element, place)
            self.grid.appendChild(tile)
            if job is not None:
                jobs.append(asyncio.create_task(job))
        if self.offered is None and jobs:  # asked once, after the tiles' first calls: it never holds them up
            self.offered = asyncio.create_task(self.may_drill())
        await asyncio.gather(*jobs)  # tiles load concurrently; each shows its own errors

    def tile(self, element: "dict[str, Any]", place: "Place") -> "tuple[JsValue, Coroutine[Any, Any, None] | None]":
        """(the tile's <article>, the coroutine that fills it or None)."""
        tile = h("article", {"class": "tile", "data-type": element.get("type") or "vis",
                             "data-element": element.get("id") or ""})
        for name, value in layout.grid_style(place) + overrides.styles(self.page, element.get("id")):
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
                  h("a", {"class": "tile-looker", "href": queries.looker_url(self.ui(), body),
                          "target": "_blank", "rel": "noopener", "title": "Open " + named + " in Looker",
                          "aria-label": "Open " + named + " in Looker (new tab)"},
                    h("span", {"aria-hidden": "true"}, "↗")))
        replace(tile, h("div", {"class": "tile-head"}, h("h2", {}, title), tools), area)
        return tile, self.run_tile(area, title, query, body)

    async def saved(self, query: "dict[str, Any]", body: "dict[str, Any]") -> str:
        """The saved query giving `body`'s rows: the tile's own, or one Looker makes with these filters."""
        path = tiles.saved_run(query, body)
        if path is None:
            made = await self.looker.post("queries", body)
            path = "queries/" + str(made["id"]) + "/run"
        return path

    async def run_tile(self, area: "JsValue", title: str, query: "dict[str, Any]", body: "dict[str, Any]") -> None:
        """All of a tile's work, its saved query and its explore's fields included: its data, or its own
        error and a Retry."""
        on_drill, result = None, None
        try:
            saved = await self.saved(query, body)
            if self.offered is not False:  # offered, or not known yet: show_query attaches it once it is
                on_drill = asyncio.create_task(self.drill_for(title, body, await self.meta(body["model"], body["view"])))
        except Exception as exc:  # the tile owns every failure of its work (LookerError, MemoryError...)
            self.error(area, exc)
        else:
            result = await show_query(area, self.looker, body, self.meta, self.error, saved=saved, table_too=False,
                                      on_drill=on_drill, limit_notice=False, title=title)
        if result is None and self.looker.signed_in and self.live():
            area.appendChild(h("button", {"type": "button", "class": "tile-retry",
                                          "aria-label": "Retry “" + (title or "this tile") + "”",
                                          "on_click": lambda event: self.run_tile(area, title, query, body)},
                               "Retry"))

    async def download(self, button: "JsValue", area: "JsValue", title: str, query: "dict[str, Any]",
                       body: "dict[str, Any]") -> None:
        async def fetch(signal: "JsValue", on_progress: "Callable[[int, int | None], None]") -> "JsValue":
            return await self.looker.get(await self.saved(query, body) + "/csv", keep="js-blob", signal=signal,
                                         on_progress=on_progress)
        await downloads.save(area, button, tiles.file_name(title or "tile", "csv"), fetch, self.error)

    # --- drill -----------------------------------------------------------------------------------------
    async def may_drill(self) -> bool:
        """Do the person's Looker roles allow drills (access.may "explore"; unknown: yes, Looker decides)?"""
        return access.may(await permissions(self.looker), "explore")

    async def drill_for(self, title: str, body: "dict[str, Any]", meta: "Meta") -> "OnDrill | None":
        """The tile's drill handler, or None when drills are not offered (known now, or once Looker said)."""
        # (not None here: draw() made it a Task before any tile ran)
        if not (self.offered if isinstance(self.offered, bool) else await self.offered):  # type: ignore[misc]
            return None

        def on_drill(row: "Row", field: "str | None") -> None:
            wanted = queries.drill_body(body, row, meta, field)
            if wanted is not None:
                self.open_drill(title, wanted, tiles.drill_subtitle(body, row, meta))
        return on_drill

    def open_drill(self, title: str, body: "dict[str, Any]", subtitle: str) -> None:
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
        asyncio.create_task(show_query(area, self.looker, body, self.meta, self.error, title="Drill: " + title))

    def close_drill(self, event: "JsValue" = None) -> None:
        self.drill.setAttribute("hidden", "")
        back = self.opener.pop() if self.opener else None
        if back is not None and back.isConnected:
            back.focus()

    def on_drill_key(self, event: "JsValue") -> None:
        if str(event.key) == "Escape":
            event.preventDefault()
            self.close_drill()

    # --- auto-refresh ------------------------------------------------------------------------------------
    async def auto_refresh(self, event: "JsValue" = None) -> None:
        self.rounds += 1
        mine, seconds = self.rounds, int(field_value(self.refresh))
        if event is not None and self.on_change is not None:  # the page may keep the choice (its address)
            self.on_change(self.values, self.defaults(), field_value(self.refresh), False)

        def live() -> "bool | int":
            return seconds and self.rounds == mine and self.live() and self.looker.signed_in

        # a wall screen: outages retried quietly, the session's end said plainly (browser/wall.py)
        await Wall(self.looker, self.header, seconds, self.draw, live, self.on_signed_out, redrawn=self.grid).run()
