"""The reference app, top to bottom: configure, sign in, route, render.

Runs on MicroPython (fast start). Views live in their own modules; this file
wires them to the address bar (#/browse, #/look/1, #/explore?q=…, #/dashboard/1,
#/console/<method>, #/scratchpad, #/settings).
"""

import json

import js

from looker_pkce import AccessDenied, LookerError, SignedOut
from looker_pkce.browser import create_client
from looker_pkce.browser.dashboard import permissions
from looker_pkce.browser.dom import by_id, field_value, h, listen, now_ms, replace
from looker_pkce.core.compat import parse_query

from . import browse, console, dashboard, explore, look, scratchpad
from .config import SETTINGS_KEY, load_config, saved_settings
from .shell import App

PAGE_TITLE = "Looker · Python"
VIEW_TITLES = {"folder": "Browse", "search": "Search", "look": "Look", "explore": "Explore", "dashboard": "Dashboard",
               "dashboards": "Dashboards", "console": "API console", "scratchpad": "Scratchpad", "settings": "Settings"}


def boot_step(text, fraction):
    status, bar = by_id("boot-status"), by_id("boot-bar")
    if status is not None:
        status.textContent = text
        bar.style.width = str(int(fraction * 100)) + "%"


def header(app, me):
    user, button = by_id("user"), by_id("auth-button")
    if me is None:
        user.textContent = ""
        button.textContent = "Sign in"
        button.onclick = None
        return
    user.textContent = me.get("display_name") or me.get("email")
    button.textContent = "Sign out"
    for link in js.document.querySelectorAll("nav.tabs a[data-view=explore]"):
        link.hidden = not app.may("explore")  # as Looker's own menu: no Explore without the permission


async def route(app):
    """Render the view the address bar names, under a fresh route token: whatever an earlier
    route's render still does lands in its own detached root, and any failure is shown in this view."""
    target = str(js.location.hash)[1:] or "/browse"
    path, _, query = target.partition("?")
    parts = [p for p in path.split("/") if p]
    name = parts[0] if parts else "browse"
    for link in js.document.querySelectorAll("nav.tabs a"):
        link.setAttribute("aria-current", "page" if link.getAttribute("data-view") == name else "false")
    if not app.client.signed_in and name != "settings":
        return signed_out(app)
    js.document.title = VIEW_TITLES.get(name, "Browse") + " · " + PAGE_TITLE
    focused = js.document.activeElement  # in the view being replaced (or nowhere): it goes to the new view
    keep_focus = focused is not None and str(focused.tagName) != "BODY" and not app.main.contains(focused)
    token = app.begin()
    if not keep_focus:
        app.main.focus()
    try:
        if name == "folder" and len(parts) > 1:
            await browse.show(app, parts[1])
        elif name == "search":
            await browse.show(app, None, parse_query(query).get("q", ""))
        elif name == "look" and len(parts) > 1:
            await look.show(app, parts[1], parse_query(query))
        elif name == "explore":
            await explore.show(app, query)
        elif name == "dashboard" and len(parts) > 1:
            await dashboard.show(app, parts[1], parse_query(query))
        elif name == "dashboards":
            await dashboard.show_list(app)
        elif name == "console":
            await console.show(app, parts[1] if len(parts) > 1 else "me", query)
        elif name == "scratchpad":
            scratchpad.show(app, query)
        elif name == "settings":
            settings(app)
        elif name == "browse":
            await browse.show(app)
        else:
            not_found(app, target)
    except Exception as exc:
        if app.current(token):
            app.error(app.view, exc)


def not_found(app, target):
    """An address that names no view: say so, with the views there are."""
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "No such page")),
            h("div", {"class": "error", "role": "alert", "id": "no-such-view"},
              "This page has no view at “#" + target + "”. ",
              h("a", {"href": "#/browse", "class": "back"}, "Back to Browse")))


def signed_out(app, problem=None, who=None):
    """The sign-in card; `who` (after Sign out) is who Looker may still have signed in."""
    app.begin()  # whatever was still rendering stays off the sign-in card
    js.document.title = "Sign in · " + PAGE_TITLE
    card = h("div", {"class": "card signin"},
             h("h1", {}, "Looker data, Python, no backend"),
             h("p", {}, "Sign in with your Looker account. This page never sees your password: "
                        "Looker's own page asks for it, and the page gets a short-lived token (OAuth 2.0 + PKCE)."),
             h("p", {"class": "muted"}, "Looker: ", app.config.ui_url),
             h("button", {"class": "primary", "id": "sign-in", "on_click": lambda e: app.client.sign_in()},
               "Sign in with Looker"), " ", h("a", {"href": "#/settings"}, "Settings"))
    replace(app.view, card)
    if who is not None:  # Looker's own session outlives the page's: its next sign-in skips the login form
        logout = app.config.ui_url.rstrip("/") + "/logout"
        card.insertBefore(h("div", {"class": "notice", "role": "status", "id": "still-in-looker"},
                            h("strong", {}, "You signed out of this page."),
                            " Looker itself may still have you signed in" + (" as " + who if who else "")
                            + ": signing in again goes straight to Allow. To sign in as someone else, first ",
                            h("a", {"href": logout, "id": "looker-sign-out-link", "target": "_blank",
                                    "rel": "noopener"}, "sign out of Looker"), "."),
                          card.querySelector("#sign-in"))
    if isinstance(problem, AccessDenied):  # the person said no on Looker's consent page: their choice
        card.insertBefore(h("div", {"class": "notice", "role": "status", "id": "declined"},
                            h("strong", {}, "You chose not to connect."),
                            " Nothing was shared with this page. To use it, sign in and choose Allow."),
                          card.querySelector("#sign-in"))
        js.document.getElementById("sign-in").textContent = "Try again"
    elif isinstance(problem, SignedOut):
        app.session_ended()
    elif problem is not None:
        box = h("div", {})
        card.appendChild(box)
        app.error(box, problem)


def settings(app):
    saved = saved_settings()
    fields = {}
    rows = []
    for key, label, hint in (("api_url", "API Host URL", "as Admin › API shows it, e.g. https://example.looker.com:19999"),
                             ("ui_url", "Looker UI URL", "https://example.looker.com"),
                             ("client_id", "OAuth client id", "the client_guid your admin registered")):
        fields[key] = h("input", {"id": "setting-" + key, "value": saved.get(key, ""), "placeholder": hint})
        rows.append(h("label", {}, h("span", {}, label), fields[key]))

    def restart():  # the Looker connection is made once per page load
        js.location.hash = "#/browse"
        js.location.reload()

    def save(event):
        values = {key: field_value(fields[key]).strip() for key in fields}
        js.localStorage.setItem(SETTINGS_KEY, json.dumps(values))
        restart()

    def reset(event):
        js.localStorage.removeItem(SETTINGS_KEY)
        restart()

    form = h("form", {"class": "card settings"}, h("h1", {}, "Settings"),
             h("p", {"class": "muted"}, "Blank fields use this site's looker.json. Saved in this browser; "
                                        "there is no secret to save. The page's Content-Security-Policy must "
                                        "allow the Looker hosts (see README)."),
             rows, h("button", {"class": "primary", "type": "submit"}, "Save"), " ",
             h("button", {"type": "button", "on_click": reset}, "Reset"))
    listen(form, "submit", save)
    replace(app.begin() and app.view, form)


async def main():
    started = now_ms()
    boot_step("Python is running · reading settings…", 0.5)
    config = await load_config()
    boot_step("Checking your Looker session…", 0.7)
    app = App(None, None)
    try:
        client = await create_client(config.get("ui_url", ""), config.get("client_id", ""),
                                     api_url=config.get("api_url") or None,
                                     share_refresh=config.get("share_refresh_tokens") is True)  # doctor checks it
    except LookerError as exc:  # no usable configuration: say what is wrong, offer the form
        app.error(app.main, exc)
        app.main.appendChild(h("p", {}, h("a", {"href": "#/settings"}, "Open settings")))
        listen(js.window, "hashchange", lambda event: settings(app))
        return
    app.client, app.config = client, client.config
    app.on_signed_out.append(lambda: header(app, None))
    wire(app)
    try:
        if not await client.handle_redirect():
            await client.join()  # another tab of this page may hold a live session
    except LookerError as exc:  # a refused sign-in (state, access_denied, grant): say so, offer a new one
        header(app, None)
        signed_out(app, exc)
        return
    if client.signed_in_again:  # the page left by itself to sign in again: say so, once, above the view
        app.notice = h("div", {"class": "notice", "role": "status", "id": "signed-in-again"},
                       h("strong", {}, "Signed in to Looker again. "),
                       "No other tab of this page held your session any more, so this page signed in again and"
                       " brought you back here as you left it. Anything that was running when it left did not"
                       " finish: run it again.")
    me = None
    if client.signed_in:
        boot_step("Loading your Looker profile…", 0.85)
        try:
            me = await client.me()
            app.permissions = await permissions(client, me)  # what app.may() offers
        except LookerError as exc:
            signed_out(app, exc)
            return
    header(app, me)
    js.document.body.setAttribute("data-ready", str(int(now_ms() - started)))
    await route(app)


def wire(app):
    def on_auth(event):
        if app.client.signed_in:
            return sign_out(app)
        app.client.sign_in()

    def on_session_change(signed_in):
        if not signed_in:  # signed out in another tab
            header(app, None)
            signed_out(app)

    def skip(event):  # the skip link: to the view, without touching the address (it holds the route)
        event.preventDefault()
        app.main.focus()

    listen(by_id("skip-link"), "click", skip)
    listen(by_id("auth-button"), "click", on_auth)
    listen(js.window, "hashchange", lambda event: route(app))
    app.client.on_change.append(on_session_change)
    app.client.on_sign_in_again.append(lambda: leaving(app))


def leaving(app):
    """The page leaves to sign in again by itself (looker_pkce.core.sign_in_again): the header has no session
    to sign out of any more, and the view says where the page is going (its work is in its address and in
    sessionStorage already: see docs/DESIGN.md, Sessions)."""
    header(app, None)
    app.session_ended()


async def sign_out(app):
    who = str(by_id("user").textContent)
    note = await app.client.sign_out()  # never raises; a sentence when Looker could not be told
    header(app, None)
    signed_out(app, who=who)
    if note:
        app.view.firstChild.insertBefore(h("p", {"class": "notice", "role": "status", "id": "sign-out-note"}, note),
                                         by_id("sign-in"))

