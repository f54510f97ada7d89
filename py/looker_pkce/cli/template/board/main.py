# A Looker dashboard (or Look) for whoever signs in: what it shows is read from Looker after sign-in,
# as Looker runs it for that person. dashboard.toml says what this page changes (`looker-pkce build`
# checks it and publishes it as dashboard.json: ids, titles and styles only). The dashboard's filters
# and its auto-refresh live in the address (#?State=Texas&refresh=60): a reload, a shared link, Back
# and Forward show the same dashboard, and ?refresh= makes it a wall screen. A click on a row, a bar or a
# slice drills for people whose Looker roles may explore (the component reads their roles itself).
import asyncio
import json

import js

from looker_pkce import LookerError
from looker_pkce.browser import connect
from looker_pkce.browser.components import explore_meta, looker_error, show_query, sign_in_button, sign_out_button
from looker_pkce.browser.dashboard import dashboard
from looker_pkce.browser.dom import by_id, h, listen, replace
from looker_pkce.core import queries, tiles
from looker_pkce.core.compat import parse_query

status = by_id("status")


async def read(name):
    answer = await js.fetch(name)
    if not answer.ok:
        raise LookerError(name + " is missing: run `looker-pkce build` on this page's folder, which writes it")
    return json.loads(await answer.text())


def forget():  # after a sign-out Looker could not be told of: the dashboard's refresh and Retry stop
    shown[0] += 1
    replace(by_id("account"))  # what the session showed goes with it; the page keeps its title as its heading
    replace(by_id("board"), h("h1", {}, str(js.document.title)))


def shown_error(container, exc):
    replace(container, looker_error(exc))


async def look(element, look_id, title):
    """A Look: its saved query run as Looker runs it, drawn as its visualization with its rows."""
    saved = await looker.get("looks/" + look_id)
    area = h("div", {"class": "look"})
    replace(element, h("div", {"class": "toolbar"}, h("h1", {}, title or saved.get("title") or "")), area)

    async def meta(model, explore):
        return await explore_meta(looker, model, explore)

    await show_query(area, looker, queries.saved_body(saved["query"]), meta, shown_error, saved="looks/" + look_id + "/run",
                     title=title or saved.get("title") or "")


def address_values():
    """The filter values and the auto-refresh choice this page's address holds."""
    _, _, query = str(js.location.hash).partition("?")
    return parse_query(query)


def keep_in_address(values, defaults, refresh, applied):
    """Apply adds a step to the history (Back undoes it); a new auto-refresh choice replaces the address."""
    target = tiles.address("#", defaults, values, refresh)
    if target == "#":
        target = str(js.location.pathname) + str(js.location.search)
    if applied:
        js.history.pushState(js.history.state, "", target)
    else:
        js.history.replaceState(js.history.state, "", target)
    return False  # the component draws the tiles again itself


shown = [0]  # which drawing of the dashboard is the page's: an older one's auto-refresh and Retry stop


async def show_dashboard(event=None):
    if not looker.signed_in:  # signed out here (Looker could not be told): the address no longer draws it
        return
    shown[0] += 1
    mine, values = shown[0], address_values()
    await dashboard(by_id("board"), looker, page["dashboard"], values, values.get("refresh", ""), keep_in_address,
                    page=page, live=lambda: shown[0] == mine)


try:
    settings, page = await asyncio.gather(read("looker.json"), read("dashboard.json"))  # preloaded with the page
    looker = await connect(api_url=settings.get("api_url"), ui_url=settings.get("ui_url"),
                           client_id=settings.get("client_id"))
    if looker.signed_in:
        replace(status)
        replace(by_id("account"), sign_out_button(looker, status, forget))
        if page.get("dashboard"):
            listen(js.window, "hashchange", show_dashboard)  # Back, Forward, an edited address
            await show_dashboard()
        else:
            await look(by_id("board"), page["look"], (page.get("titles") or {}).get(page["look"]))
    else:
        replace(by_id("board"), h("h1", {}, str(js.document.title)))  # the page's heading until the dashboard's own
        replace(status, sign_in_button(looker))
except LookerError as problem:
    replace(status, looker_error(problem))
