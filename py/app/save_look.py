"""Save as a Look, as Looker does it: create the query (create_query), then the Look that shows it
(create_look: title, query, folder), then open the new Look. The folder is the person's personal
folder unless they pick another; every refusal is said in the form, and nothing is half-made
that the person cannot see (a query without a Look is invisible and harmless, as in Looker)."""

import js

from looker_pkce import Forbidden, LookerError
from looker_pkce.browser.dom import field_value, h, listen, replace

DENIED = ("Looker refused to save this Look: {}. Saving needs permission to save content and edit "
          "access to the folder; ask a Looker admin, or pick a folder you can edit.")


def form(app, current):
    """(the "Save as a Look…" button, its form): the form goes outside the explore's own <form>.
    `current()` gives the explore's query body as it stands."""
    title = h("input", {"id": "look-title", "placeholder": "Title", "aria-label": "Look title", "autocomplete": "off"})
    folder = h("select", {"id": "look-folder", "aria-label": "Folder"})
    message = h("p", {"id": "save-look-message", "role": "alert", "hidden": True})
    save = h("button", {"type": "submit", "class": "primary", "id": "save-look-confirm"}, "Save")
    panel = h("form", {"class": "save-look", "id": "save-look-form", "hidden": True},
              h("h2", {}, "Save as a Look"), h("label", {}, "Title ", title), h("label", {}, "Folder ", folder),
              h("div", {"class": "actions"}, save,
                h("button", {"type": "button", "id": "save-look-cancel",
                             "on_click": lambda e: panel.setAttribute("hidden", "")}, "Cancel")),
              message)
    folders_loaded = []

    def say(text):
        message.textContent = text
        message.removeAttribute("hidden")

    async def open_form(event):
        panel.removeAttribute("hidden")
        message.setAttribute("hidden", "")
        title.focus()
        if folders_loaded:
            return
        try:
            me = await app.client.get("user", {"fields": "id,personal_folder_id"})
            folders = await app.client.get("folders", {"fields": "id,name,is_personal"})
        except LookerError as exc:
            say("Could not list your folders: " + (getattr(exc, "message", "") or str(exc)))
            return
        personal = str(me.get("personal_folder_id") or "")
        mine = [f for f in folders if str(f["id"]) == personal]
        others = sorted([f for f in folders if str(f["id"]) != personal], key=lambda f: f.get("name") or "")
        replace(folder, [h("option", {"value": str(f["id"])}, "My folder (" + f["name"] + ")") for f in mine],
                [h("option", {"value": str(f["id"])}, f.get("name") or str(f["id"])) for f in others])
        folders_loaded.append(True)

    async def submit(event):
        name = field_value(title).strip()
        body = current()
        if not name:
            say("Give the Look a title.")
            title.focus()
            return
        if not body["fields"]:
            say("Pick at least one field before saving.")
            return
        if not field_value(folder):
            say("Pick a folder to save the Look in.")
            return
        save.disabled = True
        say("Saving…")
        try:
            query = await app.client.post("queries", body)
            look = await app.client.post("looks", {"title": name, "query_id": str(query["id"]),
                                                   "folder_id": field_value(folder)})
        except Forbidden as exc:
            say(DENIED.format(exc.message))
            return
        except LookerError as exc:
            say("Looker did not save this Look: " + (getattr(exc, "message", "") or str(exc)))
            return
        finally:
            save.disabled = False
        panel.setAttribute("hidden", "")
        js.location.hash = "#/look/" + str(look["id"])

    listen(panel, "submit", submit)
    opener = h("button", {"type": "button", "id": "save-look", "on_click": open_form}, "Save as a Look…")
    return opener, panel
