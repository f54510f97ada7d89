"""What every API handler gets: one `Ctx` per call — the caller, the shared State, the spec-checked
path parameters, query and body — and the rules handlers apply through it (who may do what, what is
visible, how an answer is shaped). Handlers are `async def name(ctx) -> Response`, one module per API area.
"""

from __future__ import annotations

import asyncio
import itertools
from functools import cached_property

from starlette.requests import Request
from starlette.responses import JSONResponse

from .. import access
from ..errors import ApiProblem, invalid
from ..state import State

CONTENT_OFFSET = {"look": 100, "dashboard": 200}  # content metadata ids: folders = folder id, looks 100+id, ...


class Store:
    """What the API keeps beside State for one local Looker: id counters and the areas' own tables."""

    def __init__(self, state: State):
        self.look_ids = itertools.count(max(int(k) for k in state.looks) + 1)  # never reused, as Looker's
        self.admin_ids = itertools.count(100)  # users, roles, groups, user attributes, personal folders
        self.content_ids = itertools.count(1000)  # dashboards, their parts, folders, access entries
        self.attributes: dict[str, dict] = {}  # user attribute id -> UserAttribute (seeded by users.py)
        self.attribute_values: dict[tuple[str, str], str] = {}  # (user id, attribute id) -> value
        self.workspaces: dict[str, str] = {}  # access token -> its API session's workspace ("dev")
        self.default_color_collection = ""  # a color collection id ("" until an admin sets one)
        self.tasks: dict[str, dict] = {}  # query task id -> QueryTask JSON
        self.task_results: dict[str, tuple[str, str, str]] = {}  # id -> (owner id, content type, text)
        self.running: set[asyncio.Task] = set()


class Ctx:
    def __init__(self, request: Request, state: State, store: Store, params: dict, body):
        self.request, self.state, self.store = request, state, store
        self.method = request.method
        self.params = params  # path parameters, by the spec's names
        self.query = request.query_params
        self.body = body  # the JSON body, already checked against the spec (None without one)
        self.token = ""  # the caller's access token, once `user` has checked it

    # --- who asks ------------------------------------------------------------------------------
    @cached_property
    def user(self) -> dict:
        header = self.request.headers.get("authorization", "")
        token = header.split(" ", 1)[1].strip() if " " in header else ""
        with self.state.lock:
            user = self.state.user_for_token(token) if token else None
            if token and token not in self.state.grants:
                self.state.stats["unknown_tokens"] += 1  # a token this Looker never issued (or revoked)
        if user is None or user.get("is_disabled"):  # a disabled user's tokens stop working at once
            raise ApiProblem(401, "Requires authentication.")
        self.token = token
        return user

    def admin(self) -> dict:
        if not self.state.is_admin(self.user):
            raise ApiProblem(403, "Forbidden: this call requires the admin role.")
        return self.user

    def require(self, permission: str) -> None:
        if not self.state.can(self.user, permission):
            raise ApiProblem(403, f"Forbidden: your roles do not grant '{permission}'.")

    def require_model(self, model) -> None:
        if model not in access.models(self.state.access, self.user):
            raise ApiProblem(403, f"Forbidden: your roles give no access to the model '{str(model)[:80]}'.")

    def require_edit(self, folder_id) -> None:
        self.require("save_content")
        if self.state.folder_access(self.user, folder_id) != "edit":
            raise ApiProblem(403, "Forbidden: you cannot edit content in this folder.")

    def visible(self, item: dict) -> bool:
        """Content (a Look, a dashboard) whose folder the caller may see."""
        return self.state.folder_access(self.user, item["folder_id"]) is not None

    def visible_dashboards(self, trash: bool = False) -> list[dict]:
        """The dashboards the caller may see; with trash=True, soft-deleted ones too."""
        if not self.state.can(self.user, "see_user_dashboards"):
            return []
        return [d for d in self.state.dashboards.values() if (trash or not d["deleted"]) and self.visible(d)]

    # --- what the call names ---------------------------------------------------------------------
    def json_body(self) -> dict:
        """The body as an object ({} without one)."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise invalid("body", "The JSON body must be an object.")
        return self.body

    @staticmethod
    def get_or_404(table: dict, key) -> dict:
        item = table.get(str(key))
        if item is None or item.get("deleted"):
            raise ApiProblem(404, "Not found")
        return item

    def in_trash_or_not(self, table: dict, key) -> dict:
        """Content the caller may see, soft-deleted (in the trash) or not: what update and delete act on."""
        item = table.get(str(key))
        if item is None or not self.visible(item):
            raise ApiProblem(404, "Not found")
        return item

    def viewable(self, table: dict, key) -> dict:
        """The content item if it exists and its folder lets the caller see it; 404 otherwise (as Looker hides it)."""
        item = self.get_or_404(table, key)
        if not self.visible(item):
            raise ApiProblem(404, "Not found")
        return item

    @staticmethod
    def referenced(table: dict, body: dict, field: str) -> dict:
        """The object a body field names, or a 422 naming the field."""
        if body.get(field) is None:
            raise invalid(field, f"{field} is required.", "missing_field")
        item = table.get(str(body[field]))
        if item is None or item.get("deleted"):
            raise invalid(field, f"{field} {str(body[field])[:40]} does not exist", "not_found")
        return item

    # --- the answer ---------------------------------------------------------------------------------
    def pick(self, items: list[dict]) -> list[dict]:
        """Apply `fields=` (a comma list) like Looker does."""
        wanted = self.query.get("fields")
        if not wanted:
            return items
        keep = {f.strip() for f in wanted.split(",")}
        return [{k: v for k, v in item.items() if k in keep} for item in items]

    def answer(self, data) -> JSONResponse:
        if isinstance(data, list):
            return JSONResponse(self.pick(data))
        return JSONResponse(self.pick([data])[0])

    def paging(self, default_limit: int) -> tuple[int, int]:
        """Looker's `offset` and `limit` query parameters."""
        offset, limit = int(self.query.get("offset", 0)), int(self.query.get("limit", default_limit))
        if offset < 0 or limit < 0:
            raise ApiProblem(400, "Query parameters 'offset' and 'limit' cannot be negative.")
        return offset, limit
