"""Browse: folders, then the looks and dashboards in them, with search."""

import asyncio

import js

from looker_pkce.browser.dom import field_value, h, listen, replace
from looker_pkce.core.compat import quote


def icon(kind):
    """A kind's mark drawn by CSS (static/app.css), not an emoji a font may lack."""
    return h("span", {"class": "kind-icon " + kind, "aria-hidden": "true"})


async def show(app, folder_id=None, query=""):
    search = h("input", {"type": "search", "id": "search", "placeholder": "Search looks and dashboards…",
                         "aria-label": "Search looks and dashboards", "value": query})
    tree = h("nav", {"class": "folders", "aria-label": "Folders"})
    listing = h("section", {"class": "listing", "id": "listing"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "Browse"), search),
            h("div", {"class": "browse"}, tree, listing))

    def on_search(event):  # the search lives in the address bar: back/forward and links restore it
        if event.key == "Enter":
            text = field_value(search).strip()
            js.location.hash = "#/search?q=" + quote(text) if text else "#/browse"

    listen(search, "keydown", on_search)
    folders = await app.load(tree, "Loading folders…",
                             app.client.get("folders", {"fields": "id,name,parent_id,child_count"}))
    if folders is None:
        return
    roots = [f for f in folders if not f.get("parent_id")]
    replace(tree, h("ul", {}, [folder_item(f, folders) for f in roots]))
    if query:
        await list_search(app, listing, query)
    else:
        await list_folder(app, listing, folder_id or (roots[0]["id"] if roots else None), folders)


def folder_item(folder, folders):
    children = [f for f in folders if f.get("parent_id") == folder["id"]]
    return h("li", {}, h("a", {"href": "#/folder/" + folder["id"]}, icon("folder"), folder["name"]),
             h("ul", {}, [folder_item(c, folders) for c in children]) if children else None)


async def list_folder(app, listing, folder_id, folders):
    if folder_id is None:
        replace(listing, h("p", {}, "No folders."))
        return
    name = next((f["name"] for f in folders if f["id"] == folder_id), folder_id)
    found = await app.load(listing, "Loading " + name + "…", contents(app, "folders/" + folder_id + "/looks",
                                                                  "folders/" + folder_id + "/dashboards", {}))
    if found is None:
        return
    looks, boards = found
    children = [h("li", {"class": "folder"}, h("a", {"href": "#/folder/" + f["id"]}, icon("folder"), f["name"]))
                for f in folders if f.get("parent_id") == folder_id]
    replace(listing, h("h2", {}, name), h("ul", {"class": "content"}, children) if children else None,
            content_list(looks, boards) if looks or boards or not children else None)


async def list_search(app, listing, text):
    found = await app.load(listing, "Searching…", contents(app, "looks/search", "dashboards/search",
                                                           {"title": "%" + text.strip() + "%"}))
    if found is None:
        return
    looks, boards = found
    replace(listing, h("h2", {}, "Results for “" + text.strip() + "”"), content_list(looks, boards))


async def contents(app, looks_path, dashboards_path, params):
    """(looks, dashboards) from two listing calls made together."""
    params = dict(params)
    params["fields"] = "id,title,description"
    return await asyncio.gather(app.client.get(looks_path, params), app.client.get(dashboards_path, params))


def content_list(looks, boards):
    items = [h("li", {"class": "look"}, h("a", {"href": "#/look/" + lk["id"]}, icon("look"), lk["title"]),
               h("p", {}, lk.get("description") or "")) for lk in looks]
    items += [h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, icon("dashboard"), d["title"]),
                h("p", {}, d.get("description") or "")) for d in boards]
    if not items:
        return h("p", {"class": "empty"}, "Nothing here.")
    return h("ul", {"class": "content"}, items)
