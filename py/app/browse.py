"""Browse: folders, then the looks and dashboards in them, with search."""

from looker_pkce import LookerError

from .dom import field_value, h, listen, replace
from .render import Spinner


async def show(app, folder_id=None, query=""):
    search = h("input", {"type": "search", "id": "search", "placeholder": "Search looks and dashboards…",
                         "aria-label": "Search looks and dashboards", "value": query})
    tree = h("nav", {"class": "folders", "aria-label": "Folders"})
    listing = h("section", {"class": "listing", "id": "listing"})
    replace(app.main, h("div", {"class": "toolbar"}, h("h1", {}, "Browse"), search),
            h("div", {"class": "browse"}, tree, listing))

    def on_search(event):
        if event.key == "Enter":
            return list_search(app, listing, field_value(search))

    listen(search, "keydown", on_search)
    try:
        folders = await app.client.get("folders", {"fields": "id,name,parent_id,child_count"})
    except LookerError as exc:
        app.error(tree, exc)
        return
    roots = [f for f in folders if not f.get("parent_id")]
    replace(tree, h("ul", {}, [folder_item(f, folders) for f in roots]))
    if query:
        await list_search(app, listing, query)
    else:
        await list_folder(app, listing, folder_id or (roots[0]["id"] if roots else None), folders)


def folder_item(folder, folders):
    children = [f for f in folders if f.get("parent_id") == folder["id"]]
    return h("li", {}, h("a", {"href": "#/folder/" + folder["id"]}, "📁 ", folder["name"]),
             h("ul", {}, [folder_item(c, folders) for c in children]) if children else None)


async def list_folder(app, listing, folder_id, folders):
    if folder_id is None:
        replace(listing, h("p", {}, "No folders."))
        return
    name = next((f["name"] for f in folders if f["id"] == folder_id), folder_id)
    spinner = Spinner(listing, "Loading " + name + "…")
    try:
        looks = await app.client.get("folders/" + folder_id + "/looks", {"fields": "id,title,description"})
        boards = await app.client.get("folders/" + folder_id + "/dashboards", {"fields": "id,title,description"})
    except LookerError as exc:
        spinner.stop()
        app.error(listing, exc)
        return
    spinner.stop()
    children = [h("li", {"class": "folder"}, h("a", {"href": "#/folder/" + f["id"]}, "📁 ", f["name"]))
                for f in folders if f.get("parent_id") == folder_id]
    replace(listing, h("h2", {}, name), h("ul", {"class": "content"}, children) if children else None,
            content_list(looks, boards) if looks or boards or not children else None)


async def list_search(app, listing, text):
    pattern = "%" + text.strip() + "%"
    spinner = Spinner(listing, "Searching…")
    try:
        looks = await app.client.get("looks/search", {"title": pattern, "fields": "id,title,description"})
        boards = await app.client.get("dashboards/search", {"title": pattern, "fields": "id,title,description"})
    except LookerError as exc:
        spinner.stop()
        app.error(listing, exc)
        return
    spinner.stop()
    replace(listing, h("h2", {}, "Results for “" + text.strip() + "”"), content_list(looks, boards))


def content_list(looks, boards):
    items = [h("li", {"class": "look"}, h("a", {"href": "#/look/" + lk["id"]}, "📊 ", lk["title"]),
               h("p", {}, lk.get("description") or "")) for lk in looks]
    items += [h("li", {"class": "dashboard"}, h("a", {"href": "#/dashboard/" + d["id"]}, "🗂 ", d["title"]),
                h("p", {}, d.get("description") or "")) for d in boards]
    if not items:
        return h("p", {"class": "empty"}, "Nothing here.")
    return h("ul", {"class": "content"}, items)
