"""Scratchpad: Python in the page, already signed in. `looker` is the app's Client; `show(value)`
draws query results as the grid or a chart, dicts and lists as the JSON tree, the rest as text.

Runs in this page's MicroPython by default; on demand in Pyodide, where `sdk` (the awaitable
official looker_sdk) is ready too. The code and the interpreter picked stay in this tab
(sessionStorage, saved as they change: a reload, or the page signing in to Looker again by
itself, finds them as they were) and the code can be shared as a link: #/scratchpad?code=…
(the fragment never leaves the browser). Code from a
link is someone else's code running with this person's Looker permissions: it is shown with
a warning and runs only when the person presses Run.

The editor is a <textarea> (PyScript's py-editor writes HTML strings, which the page's
Trusted Types policy refuses): Tab/Shift+Tab indent, Enter keeps the indentation,
Ctrl/Cmd+Enter runs, Esc then Tab leaves the editor.

Stop (or Esc) cancels the run at its next `await`: the asyncio task running the code on
MicroPython, and on Pyodide the runner's own task too (sdk_runner.py). Stop draws what the run
showed so far at once and hands the page back; the run's coroutine, whenever it ends, finds it
is no longer the active run and draws nothing (as a stale route's render does). Code that never
awaits holds the page's only thread, so nothing on the page can stop it; the help line says so.
"""

import asyncio
import json

import js

from looker_pkce import Client
from looker_pkce.browser.components import Result, chart, run_query, table
from looker_pkce.browser.dom import field_value, h, listen, now_ms, replace
from looker_pkce.core import series
from looker_pkce.core.compat import quote, unquote

from . import pyodide_runner, user_code
from .json_tree import parse, tree
from .text import seconds

CODE_KEY = "looker_pkce_app:scratchpad"  # this tab's code (sessionStorage)
RUNTIME_KEY = "looker_pkce_app:scratchpad-runtime"  # the interpreter this tab's code runs on (sessionStorage)
INDENT = "    "
RUNTIMES = (("micropython", "MicroPython (this page, instant)"), ("pyodide", "Pyodide + looker_sdk (starts once)"))
NAMES = "looker, show(value, chart=None), run_query(looker, body) — and on Pyodide, sdk"
STOP_LIMIT = "a loop that never awaits holds the page until it ends (reload the tab; your code is kept)"

STARTERS = (
    ("look", "The seeds' workflow: get a Look, change a filter, run it as CSV", '''\
look = await looker.get("looks/1")
query = look["query"]
body = {"model": query["model"], "view": query["view"], "fields": query["fields"],
        "sorts": query["sorts"], "filters": {"users.state": "California,Texas"}}
csv = await looker.post("queries/run/csv", body)
show(look["title"] + ", California and Texas only:")
show(csv)
'''),
    ("dashboards", "List dashboards", '''\
dashboards = await looker.get("dashboards", {"fields": "id,title"})
show(len(dashboards))
show(dashboards)
'''),
    ("query", "Run an inline query: grid and chart", '''\
result = await run_query(looker, {
    "model": "thelook", "view": "order_items",
    "fields": ["users.state", "order_items.count"],
    "sorts": ["order_items.count desc"], "limit": "10",
})
show(result)                          # the grid
show(result, chart="looker_column")   # a chart
'''),
    ("users", "Page through users", '''\
names, size = [], 2
for offset in range(0, 10000, size):  # a bound, in case paging is not honoured
    page = await looker.get("users", {"fields": "id,display_name", "limit": size, "offset": offset})
    names += [user["display_name"] for user in page]
    if len(page) < size:
        break
show(names)
'''),
    ("sdk", "Pyodide: the official looker_sdk", '''\
# Pick "Pyodide + looker_sdk" above: sdk is the official SDK, awaitable
me = await sdk.me()
show(me.display_name)
looks = await sdk.all_looks(fields="id,title")
show([look.title for look in looks])
'''),
)


def share_link(code):
    return str(js.location.origin) + str(js.location.pathname) + "#/scratchpad?code=" + quote(code)


def open_with(code):
    """Open the scratchpad with this code (the person's own, from the console): no warning."""
    js.sessionStorage.setItem(CODE_KEY, code)
    js.location.hash = "#/scratchpad"


def show(app, query=""):
    shared = unquote(query.partition("code=")[2]) if "code=" in query else None
    kept = js.sessionStorage.getItem(CODE_KEY)
    code = shared if shared is not None else (str(kept) if kept else STARTERS[0][2])
    Scratchpad(app, code, shared is not None)


class Scratchpad:
    def __init__(self, app, code, from_link):
        self.app = app
        self.runs = 0
        self.active = None  # the run in progress (Active), None when idle: a run that is not it draws nothing
        self.leaving = False  # Esc pressed: the next Tab moves focus on
        self.editor = h("textarea", {"id": "scratch-code", "class": "code-editor", "spellcheck": "false",
                                     "autocapitalize": "off", "autocomplete": "off", "rows": "14",
                                     "aria-label": "Python code", "aria-describedby": "scratch-help"})
        self.editor.value = code
        self.runtime = h("select", {"id": "scratch-runtime", "aria-label": "Run with"},
                         [h("option", {"value": key}, label) for key, label in RUNTIMES])
        kept = js.sessionStorage.getItem(RUNTIME_KEY)
        if kept and str(kept) in [key for key, _ in RUNTIMES]:
            self.runtime.value = str(kept)
        starters = h("select", {"id": "scratch-starter", "aria-label": "Starter snippets"},
                     h("option", {"value": ""}, "Starter snippets…"),
                     [h("option", {"value": key}, label) for key, label, _ in STARTERS])
        self.output = h("div", {"class": "scratch-output", "id": "scratch-output", "aria-live": "polite"})
        self.share = h("div", {"class": "share", "id": "share"})
        self.warning = h("div", {"id": "shared-warning"})
        if from_link:
            replace(self.warning, h("div", {"class": "warning", "role": "alert"},
                                    h("strong", {}, "This code came from a link. "),
                                    "It has not run. When you press Run it runs as you, with your Looker "
                                    "permissions: it can read and change anything you can. Read it first."))
        self.run_button = h("button", {"class": "primary", "type": "button", "id": "scratch-run",
                                       "title": "Ctrl+Enter / ⌘+Enter", "on_click": lambda e: self.run()}, "Run")
        self.stop_button = h("button", {"type": "button", "id": "scratch-stop", "hidden": True,
                                        "title": "Esc · stops the run at its next await; " + STOP_LIMIT,
                                        "on_click": lambda e: self.stop()}, "Stop")
        replace(app.view,
                h("div", {"class": "toolbar"}, h("h1", {}, "Scratchpad"), starters, self.runtime),
                self.warning, self.editor,
                h("div", {"class": "actions"}, self.run_button, self.stop_button,
                  h("button", {"type": "button", "id": "scratch-share", "on_click": lambda e: self.share_it()},
                    "Share as link"),
                  h("button", {"type": "button", "id": "scratch-clear",
                               "on_click": lambda e: replace(self.output)}, "Clear output"),
                  h("small", {"class": "muted", "id": "scratch-help"},
                    " Ctrl/⌘+Enter runs · Esc stops at the code's next await; " + STOP_LIMIT +
                    " · Tab indents · Esc, Tab leaves the editor · ready: " + NAMES)),
                self.share, self.output)
        listen(app.view, "keydown", self.on_view_key)  # this route's root: gone with the route
        app.on_leave(self.leave)
        listen(self.editor, "keydown", self.on_key)
        listen(self.editor, "input", lambda e: self.keep())
        listen(self.runtime, "change", lambda e: self.keep_runtime())
        listen(starters, "change", lambda e: self.starter(starters))
        if not from_link:
            self.keep()

    def keep(self):
        js.sessionStorage.setItem(CODE_KEY, field_value(self.editor))

    def keep_runtime(self):
        js.sessionStorage.setItem(RUNTIME_KEY, field_value(self.runtime))

    def starter(self, select):
        for key, _, code in STARTERS:
            if key == field_value(select):
                self.editor.value = code
                if key == "sdk":
                    self.runtime.value = "pyodide"
                    self.keep_runtime()
                self.keep()
        select.value = ""
        self.editor.focus()

    # --- keys ---------------------------------------------------------------------------
    def on_view_key(self, event):
        if str(event.key) == "Escape" and self.active is not None:
            return self.stop()
        return None

    def on_key(self, event):
        key = str(event.key)
        if key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            return self.run()
        if key == "Escape":
            self.leaving = True
            return None
        if key == "Tab" and not (self.leaving or event.ctrlKey or event.altKey or event.metaKey):
            event.preventDefault()
            if event.shiftKey:
                self.dedent()
            else:
                self.insert(INDENT)
        elif key == "Enter" and not event.shiftKey:
            event.preventDefault()
            self.newline()
        self.leaving = False
        return None

    def insert(self, text):
        self.editor.setRangeText(text, self.editor.selectionStart, self.editor.selectionEnd, "end")
        self.keep()

    def newline(self):
        text, at = field_value(self.editor), int(self.editor.selectionStart)
        line = text[:at].split("\n")[-1]
        indent = line[:len(line) - len(line.lstrip(" "))]
        if line.rstrip().endswith(":"):
            indent += INDENT
        self.insert("\n" + indent)

    def dedent(self):
        text, at = field_value(self.editor), int(self.editor.selectionStart)
        start = text.rfind("\n", 0, at) + 1
        spaces = len(text[start:]) - len(text[start:].lstrip(" "))
        remove = min(spaces, len(INDENT))
        if remove:
            self.editor.setRangeText("", start, start + remove, "preserve")
            self.editor.selectionStart = self.editor.selectionEnd = max(start, at - remove)
            self.keep()

    # --- sharing -----------------------------------------------------------------------
    async def share_it(self):
        link = share_link(field_value(self.editor))
        box = h("input", {"id": "share-url", "readonly": True, "aria-label": "Link to this code"})
        box.value = link
        replace(self.share, h("label", {}, "Link (the code is in the link itself; nothing is uploaded): ", box))
        box.select()
        try:
            await js.navigator.clipboard.writeText(link)
            self.share.appendChild(h("span", {"class": "muted"}, " Copied."))
        except Exception:  # no clipboard permission: the link is selected for copying
            pass

    # --- running -----------------------------------------------------------------------
    async def run(self):
        if self.active is not None:
            return
        code = field_value(self.editor)
        self.keep()
        if "code=" in str(js.location.hash):  # the person chose to run it: it is theirs now
            js.history.replaceState(None, "", "#/scratchpad")
            replace(self.warning)
        self.runs += 1
        runtime = field_value(self.runtime)
        label = [label for key, label in RUNTIMES if key == runtime][0].split(" (")[0]
        active = self.active = Active(self.runs, runtime, label)
        self.output.appendChild(active.section)
        active.section.scrollIntoView()
        self.busy(True)
        active.task = asyncio.create_task(self.execute(code, active))
        try:
            error, items = await active.task
        except asyncio.CancelledError:  # stopped: Stop has drawn this run
            return
        except Exception as exc:  # the runner itself failed (Pyodide did not start...)
            error, items = {"type": type(exc).__name__, "message": str(exc), "line": None, "looker": False}, []
        if self.active is not active:  # stopped, yet it ran on (it caught the cancellation): draw nothing
            return
        await self.finish(active, str(int(now_ms() - active.started)) + " ms" + (" · failed" if error else ""),
                          error, items)

    async def execute(self, code, active):
        """(error, shown items) of running the code: in this task on MicroPython, so that cancelling
        the task stops the code; on Pyodide, in the runner's task, which Active.stop() cancels."""
        if active.runtime == "pyodide":
            active.status.textContent = "Run " + str(active.number) + " · starting Pyodide (once per tab)…"
            sdk = await pyodide_runner.runner()
            active.status.textContent = active.heading() + "running…"
            answer = json.loads(str(await sdk.exec(code)))
            return answer["error"], answer["shown"]
        error = await user_code.run(code, {"looker": InOrder(self.app.client), "show": active.shown,
                                           "run_query": run_query})
        return error, active.shown.items

    async def stop(self):
        """Stop the run in progress at its next await; what it showed so far stays."""
        active = self.active
        if active is None:
            return
        items = active.stop()
        await self.finish(active, "stopped after " + seconds(now_ms() - active.started), None, items)

    def leave(self):
        """The person left the scratchpad: a run in progress stops (unseen, it would go on calling Looker)."""
        if self.active is not None:
            self.active.stop()
            self.active = None

    async def finish(self, active, outcome, error, items):
        self.active = None
        self.busy(False)
        active.status.textContent = active.heading() + outcome
        for item in items:
            active.section.appendChild(await draw(item))
        if error:
            active.section.appendChild(error_box(error))
            if error["line"]:
                select_line(self.editor, error["line"])

    def busy(self, running):
        """Run is disabled and Stop shown while a run is in progress; focus follows the button pressed."""
        focused = js.document.activeElement
        had_focus = focused is not None and str(focused.id) in ("scratch-run", "scratch-stop")
        self.run_button.disabled = running
        self.stop_button.hidden = not running
        if had_focus:
            (self.stop_button if running else self.run_button).focus()


class InOrder:
    """The app's client as scratchpad code gets it: JSON answers keep Looker's key order, so show()
    draws them as Looker wrote them (MicroPython's dict forgets the order). The verbs are the
    client's own, calling this request(); everything else is the client's."""

    def __init__(self, client):
        self.client = client

    async def request(self, method, path, params=None, **options):
        options.setdefault("ordered", True)
        return await self.client.request(method, path, params, **options)

    get, post, put, patch, delete, me = Client.get, Client.post, Client.put, Client.patch, Client.delete, Client.me

    def __getattr__(self, name):
        return getattr(self.client, name)


class Active:
    """The run in progress: its number, its section of the output, and the task running it."""

    def __init__(self, number, runtime, label):
        self.number, self.runtime, self.label = number, runtime, label
        self.started = now_ms()
        self.shown = user_code.Shown()  # show() on MicroPython; Pyodide's runner keeps its own
        self.task = None
        self.status = h("p", {"class": "run-status"}, self.heading() + "running…")
        self.section = h("section", {"class": "run", "data-run": str(number)}, self.status)

    def heading(self):
        return "Run " + str(self.number) + " · " + self.label + " · "

    def stop(self):
        """Cancel the run at its next await; the items it showed so far. Called from the run itself (its own
        call found the session over, and the page left the view) there is nothing to cancel: the run ends by
        the error it is raising (and MicroPython refuses to cancel the running task)."""
        if self.task is not asyncio.current_task():
            self.task.cancel()
        if self.runtime == "pyodide":
            return json.loads(str(js.window.lookerSdk.stop())) if pyodide_runner.started() else []
        return list(self.shown.items)


async def draw(item):
    """One show() item as the app draws it: grid, chart, JSON tree or text."""
    kind = item["kind"]
    box = h("div", {"class": "shown shown-" + kind})
    if kind == "query":
        result = Result(js.JSON.parse(item["rows"]), item["fields"], item["pivots"], item.get("meta"),
                        item.get("totals"))
        vis = item.get("chart")
        if vis and vis not in series.VIS_CHARTS and vis != "single_value":
            replace(box, h("p", {"class": "error"}, "“" + vis + "” is not a chart this page draws; "
                                                               "try looker_column, looker_line or looker_pie."))
            return box
        if vis:
            await chart(box, result, vis)  # the chart, or a note saying why this result cannot be one
            return box
        box.appendChild(h("p", {"class": "count", "data-rows": result.count}, str(result.count) + " rows"))
        grid = h("div", {"class": "grid-host"})
        box.appendChild(grid)
        table(grid, result, label="Shown query result")
    elif kind == "json":
        box.appendChild(tree(parse(item["json"])))
    else:
        box.appendChild(h("pre", {"class": "response-text"}, item["text"]))
    return box


def error_box(error):
    where = " on line " + str(error["line"]) if error["line"] else ""
    return h("div", {"class": "error", "role": "alert"},
             h("strong", {}, error["type"] + where + ": "), error["message"])


def select_line(editor, line):
    lines = field_value(editor).split("\n")
    start = sum(len(text) + 1 for text in lines[:line - 1])
    editor.setSelectionRange(start, start + len(lines[line - 1]) if line <= len(lines) else start)
