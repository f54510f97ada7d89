"""Query results on the page: a sortable virtual-scrolling table and Chart.js charts, drawn with
Looker's semantics and value formats (the rules are pure code in `series` and `formats`).

    from looker_pkce.components import explore_meta, run_query, table, chart
    meta = await explore_meta(looker, "thelook", "users")   # optional: labels and value formats
    result = await run_query(looker, {"model": "thelook", "view": "users",
                                      "fields": ["users.state", "users.count"]}, meta)
    table(by_id("table"), result)
    await chart(by_id("chart"), result, "looker_column")

The page loads `assets/grid.js` and `assets/components.css`, and keeps Chart.js's <script>
in `<template id="looker-pkce-chart-js">` (loaded on the first chart). Every value is
written as text, never HTML. `looker-pkce new` writes such a page.

Rows stay in JavaScript; whatever Python reads of them (head rows for charts and single values,
totals, a clicked row) crosses through `bridge.to_python` as JSON text, so a Looker sum or an
epoch in milliseconds above 2**31 arrives exact on MicroPython too.
"""

import asyncio

import js

from ..core import queries, series, sign_in_again, wording
from ..core.compat import quote
from .bridge import create_proxy, promise, to_js, to_python
from .dom import h, listen, now_ms, replace

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any

    from ..core.series import Meta, Row
    from ..driver.client import Client
    from .bridge import JsValue

    MetaOf = Callable[[str, str], Awaitable["Meta | None"]]  # (model, explore) -> the fields' metadata
    OnDrill = Callable[["Row", "str | None"], Any]  # (the row clicked, its field or None)
    OnError = Callable[["JsValue", BaseException], Any]  # (where to say it, what happened)

CHART_TEMPLATE = "looker-pkce-chart-js"  # <template id=...> holding the page's Chart.js <script>
HEAD_ROWS = 500  # rows that charts, single values and pivot columns read (the grid shows them all)
CHART_LOAD_MS = 10_000  # how long a chart waits for Chart.js to load before it says it did not
_chart_library: "list[JsValue]" = []  # the one JavaScript promise of Chart.js's <script>, once a chart asked for it


class Result:
    """A query result as a JavaScript array (fetch parsed it): 100k rows never become Python objects.

    `meta` (series.field_meta per field) gives labels, kinds and value formats; without it they are
    guessed from the first row. `totals` is Looker's totals row ({field: value}) when the query asked
    for totals."""

    def __init__(self, rows: "JsValue", fields: "list[str]", pivots: "list[str] | None" = None,
                 meta: "Meta | None" = None, totals: "Row | None" = None) -> None:
        self.rows = rows
        self.count = int(rows.length)
        self.fields = list(fields)
        self.pivots = list(pivots or [])
        self.meta = meta if meta is not None else series.guessed_meta(self.fields, next(iter(self.head(1) or ()), None))
        self.totals = totals

    def head(self, count: int = HEAD_ROWS) -> "list[Row]":
        """The first rows as Python dicts, for charts and single values."""
        return to_python(self.rows.slice(0, count))


async def explore_meta(client: "Client", model: str, explore: str) -> "Meta":
    """`meta` for every field of an explore, from Looker's field metadata (lookml_model_explore). The answer
    stays in JavaScript and only what explore_meta reads of it crosses (a third of the text)."""
    path = "lookml_models/" + quote(model) + "/explores/" + quote(explore)
    return series.explore_meta(to_python(await client.get(path, {"fields": "fields"}, keep="js-json"),
                                         series.EXPLORE_KEYS))


async def run_query(client: "Client", body: "dict[str, Any]", meta: "Meta | None" = None,
                    saved: "str | None" = None) -> Result:
    """Run an inline query (Looker's query body: model, view, fields, ...) into a Result; `saved`
    runs a saved one instead (such as "looks/1/run", the format is added) with `body` describing it.

    With `"total": true` in the body the result carries Looker's totals row (json_detail's
    totals_data); the rows stay in JavaScript either way."""
    fmt = "json_detail" if body.get("total") else "json"
    if saved is None:
        answer = await client.post("queries/run/" + fmt, body, keep="js-json")
    else:
        answer = await client.get(saved + "/" + fmt, keep="js-json")
    totals = None
    if fmt == "json_detail":
        plain = js.LookerGrid.fromDetail(answer)
        answer = plain.rows
        totals = to_python(plain.totals)  # None when Looker sent none
    return Result(answer, body["fields"], body.get("pivots"), meta, totals)


def table(container: "JsValue", result: Result, sorts: "list[str] | None" = None,
          on_sort: "Callable[[str], Any] | None" = None, on_row_click: "OnDrill | None" = None, label: str = "") -> None:
    """Draw the result in the virtual-scrolling grid (assets/grid.js; rows rendered as text), with
    its totals row when it has one. The grid is an ARIA grid named `label`: arrow keys, Page Up/Down,
    Home/End move between cells, and Enter or Space on a row does what a click does.

    `sorts` (the query's) marks the sorted column; `on_sort(field)` makes a header click call back
    (to re-run the query sorted, as Looker does) instead of sorting the fetched rows;
    `on_row_click(row, field)` hears a click (or Enter) on a row.
    """
    head = result.head() if result.pivots else []
    columns = series.columns(result.fields, result.pivots, head, result.meta, sorts)
    options = js.Object.new()
    options.label = label or "Query results"
    if result.totals is not None:
        options.totals = to_js(result.totals)
    if on_sort is not None:
        options.onSort = create_proxy(lambda column: on_sort(str(column.key)))
    if on_row_click is not None:
        options.onRowClick = create_proxy(
            lambda row, column: on_row_click(to_python(row), str(column.key)))
    js.LookerGrid.create(container, to_js(columns), result.rows, options)


async def chart(container: "JsValue", result: Result, vis_type: str = "looker_column",
                on_click: "Callable[[Row], Any] | None" = None, title: str = "", data_table: bool = True,
                stacking: str = "") -> bool:
    """Draw the result as a Looker vis type: a Chart.js chart or a single value. Returns True when
    drawn; False for vis types that are not charts (the grid) and when this result cannot be drawn
    as `vis_type`, a note in `container` then says why. `on_click(row)` hears a click on a bar,
    point or slice, with that row. `stacking` is the vis_config's: "normal" stacks, "percent" stacks to
    100 %, else grouped.

    The chart's text alternative: a summary (series.chart_summary) as its accessible name, after
    `title`, and with `data_table` its data as a grid on request ("Data as a table", drawn when
    opened), whose rows do what `on_click` does from the keyboard too."""
    rows = result.head()
    if vis_type == "single_value":
        single_value(container, series.single_value(rows, result.fields, result.pivots, result.meta))
        return True
    config, note = series.chart_config(vis_type, rows, result.fields, result.pivots, result.meta, stacking)
    if note:
        replace(container, h("p", {"class": "vis-note", "role": "note"}, note))
    if config is None:
        return False
    await _load_chart_library()
    release_detached_charts()
    summary = series.chart_summary(vis_type, config)
    canvas = h("canvas", {"role": "img", "aria-label": (title + ". " if title else "") + summary})
    replace(container, h("div", {"class": "chart-box"}, canvas), data_on_request(result, title, on_click)
            if data_table else None)
    prepared = js.LookerGrid.prepareChart(to_js(config), canvas)
    if on_click is not None:
        def clicked(event: "JsValue", elements: "JsValue", *rest: "JsValue") -> None:
            index = int(elements[0].index) if elements.length else -1
            if 0 <= index < len(rows):
                on_click(rows[index])
        prepared.options.onClick = create_proxy(clicked)
    js.Chart.new(canvas, prepared)
    return True


def release_detached_charts() -> None:
    """Destroy the Chart.js charts whose canvas left the page (a redrawn dashboard's old tiles): Chart.js
    keeps every chart, its data and its listeners until destroy(), so a wall screen redrawing all day grew
    by its charts each round."""
    for chart_object in js.Object.values(js.Chart.instances):
        if not chart_object.canvas or not chart_object.canvas.isConnected:
            chart_object.destroy()


def data_on_request(result: Result, title: str, on_click: "Callable[[Row], Any] | None") -> "JsValue":
    """The chart's data as a grid, drawn the first time the person opens it."""
    area = h("div", {"class": "chart-data-grid"})
    details = h("details", {"class": "chart-data"},
                h("summary", {}, "Data as a table", h("span", {"class": "sr-only"}, (" of " + title) if title else "")),
                area)

    def opened(event: "JsValue") -> None:
        if details.open and not area.firstChild:
            drill = (lambda row, field: on_click(row)) if on_click is not None else None
            table(area, result, on_row_click=drill, label=(title + " data") if title else "Chart data")

    listen(details, "toggle", opened)
    return details


def single_value(container: "JsValue", shown: "dict[str, str]") -> None:
    """A single value (series.single_value): the value, its label, the comparison if any."""
    replace(container, h("div", {"class": "single-value"}, h("strong", {}, shown["value"]),
                         h("span", {}, shown["label"]),
                         h("small", {"class": "comparison"}, shown["comparison"]) if shown.get("comparison") else None))


async def show_query(area: "JsValue", client: "Client", body: "dict[str, Any]", meta_of: "MetaOf", error: "OnError",
                     saved: "str | None" = None, table_too: bool = True, on_sort: "Callable[[str], Any] | None" = None,
                     on_drill: "OnDrill | Awaitable[OnDrill | None] | None" = None, limit_notice: bool = True,
                     title: str = "") -> "Result | None":
    """Run a query (or the saved one `saved` names, e.g. "looks/1/run") and draw it into `area`: a
    status line (rows, time, "row limit reached"), the visualization by the body's vis type and the
    table (with its totals row when the body asks for totals). Returns the Result, or None after
    `error(status_line, exc)` showed why it failed, whatever the failure.

    `meta_of(model, explore)` is awaited for the fields' metadata (explore_meta, or a page's cache);
    `on_sort(field)`: header clicks re-run the query sorted; `on_drill(row, field)`: a click on a row,
    bar or slice (Enter on a row too), or an awaitable giving that function or None, awaited once the
    rows are in (a page still learning whether to offer drills never holds the query up);
    `limit_notice=False` leaves out "Row limit reached" (a dashboard tile's limit is its author's);
    `title` names the grid and the chart for assistive technology."""
    status = h("div", {"class": "status-line"})
    visual = h("div", {"class": "visual"})
    grid = h("div", {"class": "grid-host"})
    replace(area, status, visual, grid)
    spinner = Spinner(status, "Running query…")
    try:
        meta = await meta_of(body["model"], body["view"])
        result = await run_query(client, body, meta, saved)
        millis = now_ms() - spinner.started  # the rows' time; the spinner runs on while a drill is decided
        if on_drill is not None and not callable(on_drill):
            on_drill = await on_drill
        spinner.stop()
    except Exception as exc:  # shown in place, whatever it is (LookerError, MemoryError...)
        spinner.stop()
        error(status, exc)
        return None
    replace(status, h("span", {"class": "count", "data-rows": result.count}, str(result.count) + " rows"),
            " · " + str(int(millis)) + " ms",
            h("span", {"class": "limit-reached", "role": "note"},
              " · Row limit reached: results may be incomplete; raise the limit to see more.")
            if limit_notice and queries.limit_reached(result.count, body) else None)
    vis_config = body.get("vis_config") or {}
    vis = vis_config.get("type") or "looker_grid"
    clicked = (lambda row: on_drill(row, None)) if on_drill is not None else None
    if table_too:  # the rows first: the chart may still be loading Chart.js
        table(grid, result, body.get("sorts"), on_sort, on_drill, label=title)
    if not await chart(visual, result, vis, clicked, title=title, data_table=not table_too,
                       stacking=vis_config.get("stacking") or "") and not table_too:
        table(grid, result, body.get("sorts"), on_sort, on_drill, label=title)
    return result


def session_ended(container: "JsValue", looker: "Client") -> None:
    """The one "your Looker session has ended" banner at the top of `container`, with Sign in (every
    tile of a dashboard hears the end; the banner is said once). While the page is leaving to sign in
    again by itself (core/sign_in_again.py) it says that instead, as a status: nothing to press."""
    if container.querySelector("#session-ended, #signing-in-again") is not None:
        return
    if looker.leaving:
        banner = signing_in_again()
    else:
        banner = h("div", {"class": "error session-ended", "role": "alert", "id": "session-ended"},
                   h("strong", {}, "Your Looker session has ended. "),
                   h("button", {"class": "primary", "on_click": lambda e: looker.sign_in()}, "Sign in"))
    container.insertBefore(banner, container.firstChild)


def sign_in_button(looker: "Client") -> "JsValue":
    """The page's "Sign in with Looker" button."""
    return h("button", {"id": "sign-in", "on_click": lambda event: looker.sign_in()}, "Sign in with Looker")


def sign_out_button(looker: "Client", status: "JsValue", forget: "Callable[[], Any]") -> "JsValue":
    """A "Sign out" button: it revokes the session at Looker and forgets it here. When Looker confirms, the
    page reloads (and offers Sign in). When Looker could not be told (refused, unreachable), `forget()`
    clears what the session showed, and `status` says as text that Looker keeps the token valid until it
    expires, beside Sign in: no reload hides the sentence."""
    async def sign_out(event: "JsValue") -> None:
        note = await looker.sign_out()  # never raises; a sentence when Looker keeps the token valid
        if note is None:
            js.location.reload()
            return
        forget()
        replace(status, h("p", {"id": "sign-out-note"}, note), sign_in_button(looker))

    return h("button", {"id": "sign-out", "on_click": sign_out}, "Sign out")


def signing_in_again() -> "JsValue":
    """What a page shows in the moment before it leaves to sign in again by itself."""
    return h("div", {"class": "notice signing-in-again", "role": "status", "id": "signing-in-again"},
             h("strong", {}, sign_in_again.HEADLINE + " "), sign_in_again.REASON)


def looker_error(exc: BaseException, *more: "JsValue") -> "JsValue":
    """A LookerError as a person reads it (core.wording): what happened, Looker's details, its
    documentation as a link; `more` (elements) follow, such as a way back."""
    kind = type(exc).__name__
    headline, details = wording.explain(kind, getattr(exc, "status", None), getattr(exc, "message", "") or str(exc),
                                        getattr(exc, "errors", None), getattr(exc, "path", ""))
    docs = getattr(exc, "documentation_url", "")
    return h("div", {"class": "error", "role": "alert", "data-kind": kind},
             h("strong", {}, headline),
             h("ul", {"class": "error-details"}, [h("li", {}, d) for d in details]) if details else None,
             h("a", {"href": docs, "target": "_blank", "rel": "noopener", "class": "error-docs"},
               "Looker's explanation") if docs else None, *more)


class Spinner:
    """'Running… 1.2 s' in `container` while a call is in flight; stop() returns the milliseconds."""

    def __init__(self, container: "JsValue", label: str) -> None:
        self.label = label
        self.started = now_ms()
        self.text = h("span", {}, label)
        replace(container, h("div", {"class": "spinner", "role": "status"}, h("span", {"class": "dot"}), self.text))
        self.task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.1)
            self.text.textContent = self.label + " " + elapsed(self.started)

    def stop(self) -> float:
        self.task.cancel()
        return now_ms() - self.started


def elapsed(started: float) -> str:
    seconds = (now_ms() - started) / 1000
    return str(int(seconds * 10) / 10) + " s"


def load_chart_library() -> "JsValue":
    """Start loading Chart.js, once per page (the page keeps its <script>, with SRI, in a <template> until
    then); a JavaScript promise settled when it ran, failed or CHART_LOAD_MS passed. A page that knows it
    will draw charts (a dashboard, once it has read its tiles) calls this early, so the library is
    fetched and compiled while the tiles' data is on its way."""
    if not _chart_library:
        kept = _kept_chart_script()
        script = h("script", {"integrity": kept.getAttribute("integrity")})
        guard = getattr(js.window, "lookerPkceGuard", None)  # under Trusted Types a script URL must be made by it
        src = kept.getAttribute("src")
        script.setAttribute("src", guard.scriptURL(src) if guard is not None else src)
        loaded, settle = promise()
        script.addEventListener("load", settle)
        script.addEventListener("error", settle)
        js.setTimeout(settle, CHART_LOAD_MS)
        js.document.head.appendChild(script)
        _chart_library.append(loaded)
    return _chart_library[0]


async def _load_chart_library() -> None:
    """Chart.js, on first use: every chart waits for the same <script>."""
    if getattr(js.window, "Chart", None) is not None:
        return
    await load_chart_library()
    if getattr(js.window, "Chart", None) is None:
        _chart_library.clear()  # the next chart tries again
        raise RuntimeError("the chart library did not load from " + str(_kept_chart_script().getAttribute("src")))


def _kept_chart_script() -> "JsValue":
    template = js.document.getElementById(CHART_TEMPLATE)
    if template is None:
        raise RuntimeError("no <template id=\"" + CHART_TEMPLATE + "\"> with Chart.js's <script> on this page")
    return template.content.querySelector("script")
