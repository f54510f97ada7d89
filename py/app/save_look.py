"""Save as a Look, as Looker does it: create the query (create_query), then the Look that shows it
(create_look: title, query, folder), then open the new Look. The folder is the person's personal
folder unless they pick another; every refusal is said in the form, and nothing is half-made
that the person cannot see (a query without a Look is invisible and harmless, as in Looker)."""

import js

from looker_pkce import Forbidden, LookerError
from looker_pkce.browser.dom import field_value, h, listen, replace

from .look_rules import missing

DENIED = ("Looker refused to save this Look: {}. Saving needs permission to save content and edit "
          "access to the folder; ask a Looker admin, or pick a folder you can edit.")


def form(app, current):
    """(the "Save as a Look…" button, its form): the form goes outside the explore's own <form>.
    `current()` gives the explore's query body as it stands."""
    saving = SaveLook(app, current)
    opener = h("button", {"type": "button", "id": "save-look", "on_click": saving.open}, "Save as a Look…")
    return opener, saving.panel


def folder_options(folders, personal):
    """The folder list: the person's own folder first, then the others by name."""
    mine = [f for f in folders if str(f["id"]) == personal]
    others = sorted([f for f in folders if str(f["id"]) != personal], key=lambda f: f.get("name") or "")
    return ([h("option", {"value": str(f["id"])}, "My folder (" + f["name"] + ")") for f in mine]
            + [h("option", {"value": str(f["id"])}, f.get("name") or str(f["id"])) for f in others])


class SaveLook:
    """The form: its fields, its one message line, the folders listed once, and the two calls."""

    def __init__(self, app, current):
        self.app, self.current = app, current
        self.title = h("input", {"id": "look-title", "placeholder": "Title", "aria-label": "Look title",
                                 "autocomplete": "off"})
        self.folder = h("select", {"id": "look-folder", "aria-label": "Folder"})
        self.message = h("p", {"id": "save-look-message", "role": "alert", "hidden": True})
        self.save = h("button", {"type": "submit", "class": "primary", "id": "save-look-confirm"}, "Save")
        self.panel = h("form", {"class": "save-look", "id": "save-look-form", "hidden": True},
                       h("h2", {}, "Save as a Look"), h("label", {}, "Title ", self.title),
                       h("label", {}, "Folder ", self.folder),
                       h("div", {"class": "actions"}, self.save,
                         h("button", {"type": "button", "id": "save-look-cancel", "on_click": self.close}, "Cancel")),
                       self.message)
        self.folders_loaded = False
        listen(self.panel, "submit", self.submit)

    def say(self, text):
        self.message.textContent = text
        self.message.removeAttribute("hidden")

    def close(self, event=None):
        self.panel.setAttribute("hidden", "")

    async def open(self, event):
        self.panel.removeAttribute("hidden")
        self.message.setAttribute("hidden", "")
        self.title.focus()
        if self.folders_loaded:
            return
        try:
            me = await self.app.client.get("user", {"fields": "id,personal_folder_id"})
            folders = await self.app.client.get("folders", {"fields": "id,name,is_personal"})
        except LookerError as exc:
            self.say("Could not list your folders: " + (getattr(exc, "message", "") or str(exc)))
            return
        replace(self.folder, folder_options(folders, str(me.get("personal_folder_id") or "")))
        self.folders_loaded = True

    async def submit(self, event):
        name, body = field_value(self.title).strip(), self.current()
        lacking = missing(name, body, field_value(self.folder))
        if lacking:
            self.say(lacking)
            if not name:
                self.title.focus()
            return
        self.save.disabled = True
        self.say("Saving…")
        try:
            query = await self.app.client.post("queries", body)
            look = await self.app.client.post("looks", {"title": name, "query_id": str(query["id"]),
                                                        "folder_id": field_value(self.folder)})
        except Forbidden as exc:
            self.say(DENIED.format(exc.message))
            return
        except LookerError as exc:
            self.say("Looker did not save this Look: " + (getattr(exc, "message", "") or str(exc)))
            return
        finally:
            self.save.disabled = False
        self.close()
        js.location.hash = "#/look/" + str(look["id"])
