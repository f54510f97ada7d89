"""Looks: list, search, read, create, update (rename, move, trash and restore), delete, run, move and copy.
A title is unique among the Looks of a folder that are not in the trash."""

from __future__ import annotations

import copy
import datetime as dt

from starlette.responses import Response

from .. import contract, search, seed
from ..errors import ApiProblem
from .context import CONTENT_OFFSET, Ctx
from .querying import may_run, run

SEARCH_STRINGS = ("title", "description")
SEARCH_IDS = ("id", "folder_id", "user_id", "query_id")


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def visible_looks(ctx: Ctx, trash: bool = False) -> list[dict]:
    """The Looks the caller may see; with trash=True, soft-deleted ones too."""
    if not ctx.state.can(ctx.user, "see_looks"):
        return []
    return [lk for lk in ctx.state.looks.values() if (trash or not lk["deleted"]) and ctx.visible(lk)]


def searched(ctx: Ctx, items: list[dict]) -> list[dict]:
    """Looker's search of Looks or dashboards (search.py's rules): the trash only with `deleted=true`;
    title and description; ids; `sorts`; paging."""
    in_trash = ctx.query.get("deleted") == "true"
    found = search.matching([i for i in items if bool(i.get("deleted")) == in_trash], ctx.query,
                            SEARCH_STRINGS, SEARCH_IDS)
    offset, limit = ctx.paging(1000)
    return search.sort(found, ctx.query.get("sorts"))[offset:offset + limit]


def target_folder(ctx: Ctx, default: str) -> dict:
    """The folder a move or copy names in `folder_id` (or `default`), which the caller must be able to edit."""
    folder = ctx.state.folders.get(ctx.query.get("folder_id") or default)
    if folder is None:
        raise ApiProblem(404, "Not found")
    ctx.require_edit(folder["id"])
    return folder


def place(item: dict, folder: dict) -> None:
    item["folder_id"], item["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
    item["updated_at"] = now()


def trash(item: dict, deleted: bool, user: dict) -> None:
    """Soft delete (update with deleted=true) or restore a Look or dashboard."""
    item["deleted"] = deleted
    item["deleted_at"], item["deleter_id"] = (now(), user["id"]) if deleted else (None, None)


def _title_free(ctx: Ctx, title: str, folder_id: str, look_id: str | None = None) -> None:
    """409 when another Look outside the trash has this title in this folder (create, rename, move, restore)."""
    if any(lk["title"] == title and lk["folder_id"] == folder_id and not lk["deleted"] and lk["id"] != look_id
           for lk in ctx.state.looks.values()):
        raise ApiProblem(409, "A look with this title already exists in that folder")


async def all_looks(ctx: Ctx) -> Response:
    return ctx.answer([contract.declared("Look", lk) for lk in visible_looks(ctx)])


async def search_looks(ctx: Ctx) -> Response:
    return ctx.answer([contract.declared("Look", lk) for lk in searched(ctx, visible_looks(ctx, trash=True))])


async def look(ctx: Ctx) -> Response:
    """GET, PATCH (update_look) and DELETE /looks/{look_id}. DELETE is permanent; PATCH with deleted=true
    moves a Look to the trash and deleted=false brings it back."""
    look_id = ctx.params["look_id"]
    if ctx.method == "GET":
        return ctx.answer(ctx.viewable(ctx.state.looks, look_id))
    with ctx.state.lock:
        found = ctx.in_trash_or_not(ctx.state.looks, look_id)
        ctx.require_edit(found["folder_id"])
        body = ctx.json_body()
        if "folder_id" in body:
            ctx.require_edit(body["folder_id"])
        if ctx.method == "DELETE":
            ctx.state.looks.pop(found["id"])
            return Response(status_code=204)
        _update(ctx, found, body)
    return ctx.answer(found)


def _update(ctx: Ctx, found: dict, body: dict) -> None:
    """Check every part first, then change the Look: a refused update changes nothing."""
    query = ctx.referenced(ctx.state.queries, body, "query_id") if "query_id" in body else None
    folder = ctx.referenced(ctx.state.folders, body, "folder_id") if "folder_id" in body else None
    deleted = body["deleted"] if isinstance(body.get("deleted"), bool) else found["deleted"]
    title = body["title"] if isinstance(body.get("title"), str) else found["title"]
    folder_id = folder["id"] if folder is not None else found["folder_id"]
    if not deleted and ({"title", "folder_id", "deleted"} & body.keys()):
        _title_free(ctx, title, folder_id, found["id"])
    for key in ("title", "description", "is_run_on_load", "public"):
        if key in body:
            found[key] = body[key]
    if query is not None:
        found["query"], found["query_id"] = query, query["id"]
    if folder is not None:
        found["folder_id"], found["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
    if deleted != found["deleted"]:
        trash(found, deleted, ctx.user)
    found["updated_at"] = now()


async def create_look(ctx: Ctx) -> Response:
    body = ctx.json_body()
    errors = [(f, "missing_field", f"{f} is required.") for f in ("title", "query_id", "folder_id")
              if not body.get(f)]
    errors += [(f, "invalid", f"{f} must be a string.") for f in ("title", "description")
               if body.get(f) and not isinstance(body[f], str)]
    errors += [(f, "invalid", f"{f} must be true or false.") for f in ("is_run_on_load", "public", "deleted")
               if f in body and not isinstance(body[f], bool)]
    if errors:
        raise ApiProblem(422, "Validation Failed", errors)
    state = ctx.state
    with state.lock:  # who may save comes before what exists there: a refusal tells nothing
        query = ctx.referenced(state.queries, body, "query_id")
        folder = ctx.referenced(state.folders, body, "folder_id")
        ctx.require_edit(folder["id"])
        if not body.get("deleted"):
            _title_free(ctx, body["title"], folder["id"])
        new = seed.look(next(ctx.store.look_ids), body["title"], query, folder, body.get("description") or "")
        new["user_id"] = ctx.user["id"]
        for key in ("is_run_on_load", "public"):
            new[key] = body.get(key, new[key])
        if body.get("deleted"):
            trash(new, True, ctx.user)
        state.looks[new["id"]] = new
    return ctx.answer(new)


async def run_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    may_run(ctx, found["query"])
    return await run(ctx, found["query"], ctx.params["result_format"])


async def move_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    ctx.require_edit(found["folder_id"])
    folder = target_folder(ctx, "")
    with ctx.state.lock:
        _title_free(ctx, found["title"], folder["id"], found["id"])
        place(found, folder)
    return ctx.answer(found)


async def copy_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    folder = target_folder(ctx, found["folder_id"])
    with ctx.state.lock:
        new = copy.deepcopy(found)
        new.update(id=str(next(ctx.store.look_ids)), user_id=ctx.user["id"], view_count=0,
                   favorite_count=0, created_at=now(),
                   title=found["title"] + (" (copy)" if folder["id"] == found["folder_id"] else ""))
        new["content_metadata_id"] = str(CONTENT_OFFSET["look"] + int(new["id"]))
        place(new, folder)
        ctx.state.looks[new["id"]] = new
    return ctx.answer(new)


HANDLERS = {
    "all_looks": all_looks, "search_looks": search_looks, "create_look": create_look,
    "look": look, "update_look": look, "delete_look": look, "run_look": run_look,
    "move_look": move_look, "copy_look": copy_look,
}
