"""What every view shares: the signed-in client, field metadata, running queries, errors in place,
and the route token that keeps a stale render off the current view."""

import js

from looker_pkce import LookerError, SessionBusy, SignedOut
from looker_pkce.browser import components
from looker_pkce.browser.components import Spinner
from looker_pkce.browser.dom import by_id, h, replace
from looker_pkce.core import access, series


class Explore:
    """An explore's fields in Looker's order, with what the views need of each."""

    def __init__(self, model, name, data):
        self.model, self.name = model, name
        self.fields = list(data["fields"]["dimensions"]) + list(data["fields"]["measures"])
        self.meta = {field["name"]: series.field_meta(field) for field in self.fields}
        self.labels = {name: self.meta[name]["label"] for name in self.meta}

    def names(self):
        return [f["name"] for f in self.fields]

    def groups(self):
        """[(view label, [field, ...])] in Looker's order: the field picker's sections."""
        order, members = [], {}
        for field in self.fields:
            label = field.get("view_label") or field.get("view") or ""
            if label not in members:
                order.append(label)
                members[label] = []
            members[label].append(field)
        return [(label, members[label]) for label in order]


class App:
    def __init__(self, client, config):
        self.client = client
        self.config = config
        self.main = by_id("main")
        self.view = self.main
        self.token = 0
        self.stops = []  # callables(): what the current route stops when the person leaves it
        self.on_signed_out = []  # callables(): the header and the main view hear a lost session
        self.permissions = None  # the person's Looker permissions (core.access.permissions); None: unknown
        self.previous_results = None  # Explore's last drawn results, shown under a failed run's error
        self.notice = None  # an element said once above the next route's view (main.py: signed in again)
        self._explores = {}

    def may(self, feature):
        """True when the person's roles allow `feature` (looker_pkce.core.access.FEATURES: "explore", "save")."""
        return access.may(self.permissions, feature)

    # --- routes ------------------------------------------------------------------------------------
    def begin(self):
        """A new route: a fresh view root in <main> and its token. Renders of earlier routes keep
        writing into their own, now detached, roots, so they can never overwrite this one. What the
        route left behind registered with on_leave() is stopped first. A notice waiting to be said goes
        above this route's view, and only this one's."""
        stops, self.stops = self.stops, []
        for stop in stops:
            stop()
        self.token += 1
        self.view = h("div", {"class": "view", "data-route": self.token})
        replace(self.main, self.notice, self.view)
        self.notice = None
        return self.token

    def current(self, token):
        return token == self.token

    def on_leave(self, stop):
        """`stop()` runs when the person leaves the current route (work that would go on unseen)."""
        self.stops.append(stop)

    # --- metadata ----------------------------------------------------------------------------------
    async def explore(self, model, explore):
        key = model + "::" + explore
        if key not in self._explores:
            data = await self.client.get("lookml_models/" + model + "/explores/" + explore, {"fields": "fields"})
            self._explores[key] = Explore(model, explore, data)
        return self._explores[key]

    async def load(self, container, label, awaitable):
        """Await a call with a spinner in `container`; on failure show why there and return None."""
        spinner = Spinner(container, label)
        try:
            return await awaitable
        except LookerError as exc:
            self.error(container, exc)
            return None
        finally:
            spinner.stop()

    async def run_js(self, method, path, body=None, keep="js-json"):
        """A query result kept in JavaScript: the parsed rows, or a Blob for downloads."""
        return await self.client.request(method, path, json_body=body, keep=keep)

    async def show_query(self, area, body, saved=None, table_too=True, on_sort=None, on_drill=None, limit_notice=True,
                         on_error=None, title=""):
        """Run a query (or the saved one `saved` names, e.g. "looks/1/run") and draw it into `area`:
        status line (rows, time, "row limit reached"), the visualization by the body's vis type with
        Looker's semantics, and the table (with its totals row when the body asks for totals).

        `on_sort(field)`: header clicks re-run the query sorted (else the grid sorts its rows);
        `on_drill(row, field)`: a click on a row, bar or slice drills into it (Enter on a row too).
        `limit_notice=False` leaves out "Row limit reached" (a dashboard tile's limit is its author's, not
        the viewer's to raise); `on_error(exc)` hears a failure after it is shown. `title` names the grid
        and the chart for assistive technology."""
        def failed(status, exc):
            self.error(status, exc)
            if on_error is not None:
                on_error(exc)

        return await components.show_query(area, self.client, body, self.meta, failed, saved, table_too, on_sort, on_drill,
                                           limit_notice, title)

    async def meta(self, model, explore):
        return (await self.explore(model, explore)).meta

    # --- errors ------------------------------------------------------------------------------------
    def error(self, container, exc):
        """Show an error where it happened, once, with what to do next. An ended session is said
        once for the whole view (a banner at its top); the parts that needed it stay quiet."""
        if isinstance(exc, SignedOut):
            for callback in self.on_signed_out:
                callback()
            if container is not self.view:
                replace(container, h("p", {"class": "muted paused"}, "Not loaded."))
            self.session_ended()
            return
        if isinstance(exc, SessionBusy):  # another page of the origin held the session's lock: the way on
            replace(container, h("div", {"class": "error", "role": "alert"}, h("strong", {}, "SessionBusy: "), str(exc),
                                 " ", h("button", {"type": "button", "on_click": lambda e: js.location.reload()}, "Retry"),
                                 " ", h("button", {"type": "button", "on_click": lambda e: self.client.sign_in()},
                                        "Sign in again")))
            return
        if isinstance(exc, LookerError):
            replace(container, looker_error(exc))
            return
        replace(container, h("div", {"class": "error", "role": "alert"},
                             h("strong", {}, "This view stopped: "), type(exc).__name__ + ": " + str(exc), " ",
                             h("a", {"href": "#/browse", "class": "back"}, "Back to Browse"), " · ",
                             h("a", {"href": str(js.location.hash) or "#/browse", "class": "retry",
                                     "on_click": lambda e: js.location.reload()}, "Reload")))


    def session_ended(self):
        """The one "session has ended" banner of the current view (a dashboard's tiles all hear it)."""
        components.session_ended(self.view, self.client)


def looker_error(exc):
    """A LookerError as a person reads it, with a way back when the thing is not there."""
    back = h("p", {}, h("a", {"href": "#/browse", "class": "back"}, "Back to Browse"))
    return components.looker_error(exc, *([back] if type(exc).__name__ == "NotFound" else []))
