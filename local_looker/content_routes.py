"""Dashboards' parts by id (elements, filters, layouts and their components), dashboard and folder
create/update/delete, content metadata and its access lists, and content search.
Content follows folder access (access.py): viewing needs the folder to be visible, changing needs 'edit'."""

from __future__ import annotations

import copy
import datetime as dt
import itertools

from starlette.requests import Request
from starlette.responses import Response

from . import access, contract, seed
from .errors import ApiProblem, invalid

# dashboard part -> (key in the dashboard, path parameter, spec definition)
PARTS = {
    "dashboard_element": ("dashboard_elements", "dashboard_element_id", "DashboardElement"),
    "dashboard_filter": ("dashboard_filters", "dashboard_filter_id", "DashboardFilter"),
    "dashboard_layout": ("dashboard_layouts", "dashboard_layout_id", "DashboardLayout"),
}
CONTENT_OFFSET = {"look": 100, "dashboard": 200}  # content metadata ids: folders = folder id, looks 100+id, ...


class ContentRoutes:
    def __init__(self, api):
        self.api, self.state = api, api.state
        self.ids = itertools.count(1000)

    def handlers(self) -> dict:
        table = {}
        for part in PARTS:
            table.update({part: self._part_get(part), f"update_{part}": self._part_update(part),
                          f"delete_{part}": self._part_delete(part)})
        return {**table, "create_dashboard_element": self.create_element, "create_dashboard_filter": self.create_filter,
                "dashboard_dashboard_layouts": self.dashboard_layouts,
                "dashboard_layout_dashboard_layout_components": self.layout_components,
                "dashboard_layout_component": self.layout_component,
                "update_dashboard_layout_component": self.update_layout_component,
                "create_dashboard": self.create_dashboard, "update_dashboard": self.update_dashboard,
                "delete_dashboard": self.delete_dashboard,
                "create_folder": self.create_folder, "update_folder": self.update_folder,
                "delete_folder": self.delete_folder,
                "all_content_metadatas": self.all_content_metadata, "content_metadata": self.content_metadata,
                "all_content_metadata_accesses": self.all_access, "create_content_metadata_access": self.create_access,
                "update_content_metadata_access": self.update_access,
                "delete_content_metadata_access": self.delete_access, "search_content": self.search_content,
                "search_dashboard_elements": self.search_elements, "move_look": self.move_look,
                "copy_look": self.copy_look, "move_dashboard": self.move_dashboard,
                "copy_dashboard": self.copy_dashboard}

    # --- dashboard parts ------------------------------------------------------------------------
    def _find(self, part: str, part_id: str, user: dict) -> tuple[dict, dict]:
        """(dashboard, part) for a part id the user may see."""
        key = PARTS[part][0]
        for board in self.state.dashboards.values():
            for item in board[key]:
                if item["id"] == part_id and not board["deleted"] and self.api.visible(user, board):
                    return board, item
        raise ApiProblem(404, "Not found")

    def _part_get(self, part):
        async def handler(request: Request) -> Response:
            _, item = self._find(part, request.path_params[PARTS[part][1]], self.api.user(request))
            return self.api.answer(request, item)
        return handler

    def _part_update(self, part):
        async def handler(request: Request) -> Response:
            user = self.api.user(request)
            board, item = self._find(part, request.path_params[PARTS[part][1]], user)
            self.api.require_edit(user, board["folder_id"])
            body = await self.api.json_body(request)
            writable = contract.resolve({"$ref": f"#/definitions/{PARTS[part][2]}"})["properties"]
            with self.state.lock:
                item.update({k: v for k, v in body.items()
                             if k in writable and not writable[k].get("readOnly") and k not in ("id", "dashboard_id")})
            return self.api.answer(request, item)
        return handler

    def _part_delete(self, part):
        async def handler(request: Request) -> Response:
            user = self.api.user(request)
            board, item = self._find(part, request.path_params[PARTS[part][1]], user)
            self.api.require_edit(user, board["folder_id"])
            with self.state.lock:
                board[PARTS[part][0]].remove(item)
                if part == "dashboard_element":
                    for layout in board["dashboard_layouts"]:
                        layout["dashboard_layout_components"] = [c for c in layout["dashboard_layout_components"]
                                                                 if c["dashboard_element_id"] != item["id"]]
            return Response(status_code=204)
        return handler

    def _board_for_change(self, request: Request, dashboard_id) -> dict:
        user = self.api.user(request)
        board = self.state.dashboards.get(str(dashboard_id))
        if board is None or board["deleted"] or not self.api.visible(user, board):
            raise invalid("dashboard_id", f"dashboard {str(dashboard_id)[:40]} does not exist", "not_found")
        self.api.require_edit(user, board["folder_id"])
        return board

    async def create_element(self, request: Request) -> Response:
        body = await self.api.json_body(request)
        board = self._board_for_change(request, body.get("dashboard_id"))
        with self.state.lock:
            eid = str(next(self.ids))
            if body.get("query_id") is not None:
                query = self.api.referenced(self.state.queries, body, "query_id")
                item = seed.element(int(eid), board["id"], body.get("title") or query["view"], query, [])
            else:
                item = seed.text_element(int(eid), board["id"], body.get("title_text") or "", body.get("body_text") or "")
            board["dashboard_elements"].append(item)
            for layout in board["dashboard_layouts"]:
                layout["dashboard_layout_components"].append(seed.layout_component(
                    layout["id"], item, len(layout["dashboard_layout_components"])))
        return self.api.answer(request, item)

    async def create_filter(self, request: Request) -> Response:
        body = await self.api.json_body(request)
        board = self._board_for_change(request, body["dashboard_id"])
        with self.state.lock:
            item = seed.dashboard_filter(str(next(self.ids)), board["id"], body["name"], body.get("dimension") or "",
                                         body["type"], body.get("default_value") or "")
            item["title"] = body["title"]
            board["dashboard_filters"].append(item)
        return self.api.answer(request, item)

    async def dashboard_layouts(self, request: Request) -> Response:
        return self.api.answer(request, self.api.board(request)["dashboard_layouts"])

    async def layout_components(self, request: Request) -> Response:
        _, layout = self._find("dashboard_layout", request.path_params["dashboard_layout_id"], self.api.user(request))
        return self.api.answer(request, layout["dashboard_layout_components"])

    def _component(self, request: Request) -> tuple[dict, dict]:
        wanted, user = request.path_params["dashboard_layout_component_id"], self.api.user(request)
        for board in self.api.visible_dashboards(user):
            for layout in board["dashboard_layouts"]:
                for component in layout["dashboard_layout_components"]:
                    if component["id"] == wanted:
                        return board, component
        raise ApiProblem(404, "Not found")

    async def layout_component(self, request: Request) -> Response:
        return self.api.answer(request, self._component(request)[1])

    async def update_layout_component(self, request: Request) -> Response:
        board, component = self._component(request)
        self.api.require_edit(self.api.user(request), board["folder_id"])
        body = await self.api.json_body(request)
        bad = [k for k in ("row", "column", "width", "height") if k in body and body[k] is not None and body[k] < 0]
        if bad:
            raise invalid(bad[0], f"{bad[0]} cannot be negative")
        component.update({k: body[k] for k in ("row", "column", "width", "height") if k in body})
        return self.api.answer(request, component)

    # --- dashboards and folders ------------------------------------------------------------------------
    async def create_dashboard(self, request: Request) -> Response:
        user, body = self.api.user(request), await self.api.json_body(request)
        if not isinstance(body.get("title"), str) or not body["title"].strip():
            raise invalid("title", "title is required.", "missing_field")
        folder = self.api.referenced(self.state.folders, body, "folder_id") if body.get("folder_id") else None
        if folder is None:
            raise invalid("folder_id", "folder_id is required.", "missing_field")
        self.api.require_edit(user, folder["id"])
        with self.state.lock:
            did = str(next(self.ids))
            board = seed.dashboard(did, body["title"], folder, [], [])
            board.update(user_id=user["id"], description=body.get("description") or "")
            self.state.dashboards[did] = board
        return self.api.answer(request, board)

    async def update_dashboard(self, request: Request) -> Response:
        user = self.api.user(request)
        board = self.api.board(request)
        self.api.require_edit(user, board["folder_id"])
        body = await self.api.json_body(request)
        folder = self.api.referenced(self.state.folders, body, "folder_id") if "folder_id" in body else None
        if folder is not None:
            self.api.require_edit(user, folder["id"])
        with self.state.lock:
            board.update({k: body[k] for k in ("title", "description", "hidden", "refresh_interval",
                                               "load_configuration", "crossfilter_enabled") if k in body})
            if folder is not None:
                board["folder_id"], board["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
            board["updated_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
        return self.api.answer(request, board)

    async def delete_dashboard(self, request: Request) -> Response:
        board = self.api.board(request)
        self.api.require_edit(self.api.user(request), board["folder_id"])
        board["deleted"] = True
        return Response(status_code=204)

    async def create_folder(self, request: Request) -> Response:
        user, body = self.api.user(request), await self.api.json_body(request)
        parent = self.api.referenced(self.state.folders, body, "parent_id")
        self.api.require_edit(user, parent["id"])
        if any(f["parent_id"] == parent["id"] and f["name"] == body["name"] for f in self.state.folders.values()):
            raise ApiProblem(409, "A folder with this name already exists there")
        with self.state.lock:
            folder = seed.folder(str(next(self.ids)), body["name"], parent["id"], creator=user["id"])
            self.state.folders[folder["id"]] = folder
        return self.api.answer(request, self.api.folder_json(folder))

    async def update_folder(self, request: Request) -> Response:
        user, folder = self.api.user(request), self.api.folder_of(request)
        self.api.require_edit(user, folder["id"])
        body = await self.api.json_body(request)
        if "parent_id" in body:
            parent = self.api.referenced(self.state.folders, body, "parent_id")
            self.api.require_edit(user, parent["id"])
            chain, cursor = set(), parent
            while cursor is not None and cursor["id"] not in chain:
                chain.add(cursor["id"])
                cursor = self.state.folders.get(str(cursor["parent_id"]))
            if folder["id"] in chain:
                raise invalid("parent_id", "a folder cannot move into itself or below itself")
            folder["parent_id"] = parent["id"]
        if isinstance(body.get("name"), str) and body["name"].strip():
            folder["name"] = body["name"]
        return self.api.answer(request, self.api.folder_json(folder))

    async def delete_folder(self, request: Request) -> Response:
        user, folder = self.api.user(request), self.api.folder_of(request)
        self.api.require_edit(user, folder["id"])
        if folder["parent_id"] is None:
            raise ApiProblem(403, "Root and personal folders cannot be deleted.")
        if any(f["parent_id"] == folder["id"] for f in self.state.folders.values()) or any(
                c["folder_id"] == folder["id"] and not c["deleted"]
                for c in [*self.state.looks.values(), *self.state.dashboards.values()]):
            raise ApiProblem(409, "The folder is not empty.")
        self.state.folders.pop(folder["id"])
        return Response(status_code=204)

    # --- content metadata and access ---------------------------------------------------------------------
    def _metadata(self) -> dict[str, dict]:
        """Content metadata for every folder, Look and dashboard (generated from the content itself)."""
        found = {}
        for f in self.state.folders.values():
            found[f["id"]] = {"id": f["id"], "name": f["name"], "parent_id": f["parent_id"], "folder_id": f["id"],
                              "dashboard_id": None, "look_id": None, "content_type": "space",
                              "inherits": not any(a["content_metadata_id"] == f["id"]
                                                  for a in self.state.access["content_access"].values()),
                              "inheriting_id": f["parent_id"], "slug": None, "can": access.CAN}
        for kind, table in (("look", self.state.looks), ("dashboard", self.state.dashboards)):
            for item in table.values():
                if item["deleted"]:
                    continue
                cid = str(CONTENT_OFFSET[kind] + int(item["id"]))
                found[cid] = {"id": cid, "name": item["title"], "parent_id": item["folder_id"], "folder_id": None,
                              "dashboard_id": item["id"] if kind == "dashboard" else None,
                              "look_id": item["id"] if kind == "look" else None, "content_type": kind,
                              "inherits": True, "inheriting_id": item["folder_id"], "slug": None, "can": access.CAN}
        return found

    def _visible_metadata(self, user: dict) -> dict[str, dict]:
        return {cid: m for cid, m in self._metadata().items()
                if self.state.folder_access(user, m["folder_id"] or m["parent_id"]) is not None}

    async def all_content_metadata(self, request: Request) -> Response:
        parent = request.query_params.get("parent_id")
        found = [m for m in self._visible_metadata(self.api.user(request)).values()
                 if parent is None or m["parent_id"] == parent]
        return self.api.answer(request, found)

    async def content_metadata(self, request: Request) -> Response:
        return self.api.answer(request, self.api.get_or_404(self._visible_metadata(self.api.user(request)),
                                                            request.path_params["content_metadata_id"], "content"))

    def _editable_folder_metadata(self, request: Request, cid) -> str:
        """Access lists hang on folders; changing one needs edit access to that folder."""
        meta = self._metadata().get(str(cid))
        if meta is None or meta["content_type"] != "space":
            raise invalid("content_metadata_id", "must be a folder's content metadata id", "not_found")
        self.api.require_edit(self.api.user(request), meta["id"])
        return meta["id"]

    async def all_access(self, request: Request) -> Response:
        cid = request.query_params.get("content_metadata_id")
        if cid is None:
            raise ApiProblem(400, "Query parameter 'content_metadata_id' is required.")
        meta = self._visible_metadata(self.api.user(request)).get(cid)
        if meta is None:
            raise ApiProblem(404, "Not found")
        return self.api.answer(request, [a for a in self.state.access["content_access"].values()
                                         if a["content_metadata_id"] == cid])

    def _check_entry(self, body: dict) -> None:
        if body.get("permission_type") not in ("view", "edit"):
            raise invalid("permission_type", "must be 'view' or 'edit'")
        if (body.get("group_id") is None) == (body.get("user_id") is None):
            raise invalid("group_id", "give exactly one of group_id and user_id")
        if body.get("group_id") is not None and str(body["group_id"]) not in self.state.access["groups"]:
            raise invalid("group_id", "no such group", "not_found")
        if body.get("user_id") is not None and str(body["user_id"]) not in self.state.users:
            raise invalid("user_id", "no such user", "not_found")

    async def create_access(self, request: Request) -> Response:
        body = await self.api.json_body(request)
        cid = self._editable_folder_metadata(request, body.get("content_metadata_id"))
        self._check_entry(body)
        with self.state.lock:
            entry = access.access_entry(str(next(self.ids)), cid, body["permission_type"],
                                        group_id=body.get("group_id"), user_id=body.get("user_id"))
            self.state.access["content_access"][entry["id"]] = entry
        return self.api.answer(request, entry)

    def _entry(self, request: Request) -> dict:
        entry = self.api.get_or_404(self.state.access["content_access"],
                                    request.path_params["content_metadata_access_id"], "access")
        self._editable_folder_metadata(request, entry["content_metadata_id"])
        return entry

    async def update_access(self, request: Request) -> Response:
        entry, body = self._entry(request), await self.api.json_body(request)
        merged = {**entry, **{k: body[k] for k in ("permission_type", "group_id", "user_id") if k in body}}
        self._check_entry(merged)
        entry.update(merged)
        return self.api.answer(request, entry)

    async def delete_access(self, request: Request) -> Response:
        entry = self._entry(request)
        self.state.access["content_access"].pop(entry["id"])
        return Response(status_code=204)

    async def search_content(self, request: Request) -> Response:
        """GET /content/{terms}: Looks and dashboards whose title or description contain every term."""
        user = self.api.user(request)
        terms = [t for t in request.path_params["terms"].lower().replace("%", " ").split() if t]
        wanted = request.query_params.get("types")
        found = []
        for kind, items in (("look", self.api.visible_looks(user)), ("dashboard", self.api.visible_dashboards(user))):
            if wanted and kind not in wanted:
                continue
            for item in items:
                text = f"{item['title']} {item.get('description') or ''}".lower()
                if all(t in text for t in terms):
                    folder = self.state.folders.get(item["folder_id"], {})
                    found.append({"content_id": item["id"], "type": kind, "title": item["title"],
                                  "description": item.get("description"), "folder_id": item["folder_id"],
                                  "folder_name": folder.get("name"), "view_count": item.get("view_count"),
                                  "preferred_viewer": item.get("preferred_viewer"), "model": None,
                                  "created_by_id": None, "certification_status": None,
                                  "parent_folder_name": None, "can": access.CAN})
        return self.api.answer(request, found)

    # --- search, move and copy ---------------------------------------------------------------------------
    async def search_elements(self, request: Request) -> Response:
        p = request.query_params
        title = (p.get("title") or "").lower()
        found = [e for board in self.api.visible_dashboards(self.api.user(request)) for e in board["dashboard_elements"]
                 if (not p.get("dashboard_id") or e["dashboard_id"] == p["dashboard_id"])
                 and (not p.get("look_id") or e["look_id"] == p["look_id"])
                 and (not title or all(part in (e["title"] or "").lower() for part in title.split("%")))]
        return self.api.answer(request, found)

    def _target_folder(self, request: Request, default: str) -> dict:
        wanted = request.query_params.get("folder_id") or default
        folder = self.state.folders.get(wanted)
        if folder is None:
            raise ApiProblem(404, "Not found")
        self.api.require_edit(self.api.user(request), folder["id"])
        return folder

    @staticmethod
    def _place(item: dict, folder: dict) -> None:
        item["folder_id"], item["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
        item["updated_at"] = dt.datetime.now(dt.timezone.utc).isoformat()

    async def move_look(self, request: Request) -> Response:
        user = self.api.user(request)
        look = self.api.viewable(user, self.state.looks, request.path_params["look_id"])
        self.api.require_edit(user, look["folder_id"])
        self._place(look, self._target_folder(request, ""))
        return self.api.answer(request, look)

    async def copy_look(self, request: Request) -> Response:
        user = self.api.user(request)
        look = self.api.viewable(user, self.state.looks, request.path_params["look_id"])
        folder = self._target_folder(request, look["folder_id"])
        with self.state.lock:
            new = copy.deepcopy(look)
            new.update(id=str(max(int(k) for k in self.state.looks) + 1), user_id=user["id"], view_count=0,
                       favorite_count=0, created_at=dt.datetime.now(dt.timezone.utc).isoformat(),
                       title=look["title"] + (" (copy)" if folder["id"] == look["folder_id"] else ""))
            new["content_metadata_id"] = str(CONTENT_OFFSET["look"] + int(new["id"]))
            self._place(new, folder)
            self.state.looks[new["id"]] = new
        return self.api.answer(request, new)

    async def move_dashboard(self, request: Request) -> Response:
        board = self.api.board(request)
        self.api.require_edit(self.api.user(request), board["folder_id"])
        self._place(board, self._target_folder(request, ""))
        return self.api.answer(request, board)

    async def copy_dashboard(self, request: Request) -> Response:
        """A deep copy with new ids for the dashboard and each of its elements, filters and layouts."""
        user, board = self.api.user(request), self.api.board(request)
        folder = self._target_folder(request, board["folder_id"])
        with self.state.lock:
            new = copy.deepcopy(board)
            new.update(id=str(next(self.ids)), user_id=user["id"], view_count=0, favorite_count=0,
                       title=board["title"] + (" (copy)" if folder["id"] == board["folder_id"] else ""))
            new["content_metadata_id"] = str(CONTENT_OFFSET["dashboard"] + int(new["id"]))
            renamed = {}
            for element in new["dashboard_elements"]:
                renamed[element["id"]] = element["id"] = str(next(self.ids))
                element["dashboard_id"] = new["id"]
            for item in new["dashboard_filters"] + new["dashboard_layouts"]:
                item["id"], item["dashboard_id"] = str(next(self.ids)), new["id"]
            for layout in new["dashboard_layouts"]:
                for component in layout["dashboard_layout_components"]:
                    component["dashboard_layout_id"] = layout["id"]
                    component["dashboard_element_id"] = renamed.get(component["dashboard_element_id"])
                    component["id"] = f"{layout['id']}_{component['dashboard_element_id']}"
            self._place(new, folder)
            self.state.dashboards[new["id"]] = new
        return self.api.answer(request, new)
