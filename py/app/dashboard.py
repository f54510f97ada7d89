"""Dashboards: the list, and one dashboard drawn by the library's component
(looker_pkce.browser.dashboard: Looker's layout, filters with suggestions and date presets, drill,
per-tile CSV, auto-refresh; #/dashboard/1?refresh=<seconds> starts it, for a wall screen).

The app keeps the filters' values in the address (#/dashboard/1?State=Texas): Apply navigates, so a
reload or a shared link shows the same filtered dashboard; an auto-refresh choice replaces the
address without drawing again. Drill is offered to people whose Looker role may explore."""

import js

from looker_pkce.browser.dashboard import dashboard
from looker_pkce.browser.dom import h, replace
from looker_pkce.core import tiles

from . import browse


async def show_list(app):
    area = h("section", {"class": "listing"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Dashboards")), area)
    boards = await app.load(area, "Loading dashboards…", app.client.get("dashboards", {"fields": "id,title,description"}))
    if boards is None:
        return
    replace(area, h("ul", {"class": "content"}, [
        h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, browse.icon("dashboard"), d["title"]),
          h("p", {}, d.get("description") or "")) for d in boards]))


async def show(app, dashboard_id, params=None):
    """The dashboard; `params` is the address's query: filter values by name, and `refresh` (seconds)."""
    params = params or {}
    token = app.token

    def on_change(values, defaults, refresh, applied):
        target = tiles.address("#/dashboard/" + dashboard_id, defaults, values, refresh)
        if not applied:  # the link keeps the choice (replaceState: no redraw)
            js.history.replaceState(js.history.state, "", target)
            return True
        if str(js.location.hash) == target:
            return False  # the same address: the component draws again
        js.location.hash = target  # the route draws the dashboard with these values
        return True

    def signed_out():
        for callback in app.on_signed_out:
            callback()

    await dashboard(app.view, app.client, dashboard_id, params, params.get("refresh", ""), on_change,
                    drill=app.may("explore"), live=lambda: app.current(token), on_signed_out=signed_out)
