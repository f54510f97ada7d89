"""Looks: list, search, read, create, update, delete, run, move and copy."""

from __future__ import annotations

import copy
import datetime as dt

from starlette.responses import Response

from .. import contract, seed
from ..errors import ApiProblem
from .context import CONTENT_OFFSET, Ctx
from .querying import may_run, run


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def visible_looks(ctx: Ctx) -> list[dict]:
    if not ctx.state.can(ctx.user, "see_looks"):
        return []
    return [lk for lk in ctx.state.looks.values() if not lk["deleted"] and ctx.visible(lk)]


def search(ctx: Ctx, items: list[dict]) -> list[dict]:
    """Looker's search of Looks and dashboards: exact match, or '%' wildcards (case-insensitive) on title;
    folder_id; id; sorts; paging."""
    p = ctx.query
    result = [i for i in items if not i.get("deleted")]
    title = p.get("title")
    if title:
        if "%" in title:
            parts = [s.lower() for s in title.split("%")]
            result = [i for i in result if all(s in i["title"].lower() for s in parts)]
        else:
            result = [i for i in result if i["title"].lower() == title.lower()]
    if p.get("folder_id"):
        result = [i for i in result if i["folder_id"] == p["folder_id"]]
    if p.get("id"):
        result = [i for i in result if i["id"] == p["id"]]
    if p.get("sorts"):
        field, _, direction = p["sorts"].partition(" ")
        result.sort(key=lambda i: str(i.get(field, "")), reverse=direction.strip().lower() == "desc")
    offset, limit = ctx.paging(1000)
    return result[offset:offset + limit]


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


async def all_looks(ctx: Ctx) -> Response:
    return ctx.answer([contract.declared("Look", lk) for lk in visible_looks(ctx)])


async def search_looks(ctx: Ctx) -> Response:
    return ctx.answer([contract.declared("Look", lk) for lk in search(ctx, visible_looks(ctx))])


async def look(ctx: Ctx) -> Response:
    """GET, PATCH (update_look) and DELETE /looks/{look_id}."""
    look_id = ctx.params["look_id"]
    if ctx.method == "GET":
        return ctx.answer(ctx.viewable(ctx.state.looks, look_id))
    with ctx.state.lock:
        found = ctx.viewable(ctx.state.looks, look_id)
        ctx.require_edit(found["folder_id"])
        body = ctx.json_body()
        if "folder_id" in body:
            ctx.require_edit(body["folder_id"])
        if ctx.method == "DELETE":
            found["deleted"] = True
            return Response(status_code=204)
        _update(ctx, found, body)
    return ctx.answer(found)


def _update(ctx: Ctx, found: dict, body: dict) -> None:
    """Check every part first, then change the Look: a refused update changes nothing."""
    query = ctx.referenced(ctx.state.queries, body, "query_id") if "query_id" in body else None
    folder = ctx.referenced(ctx.state.folders, body, "folder_id") if "folder_id" in body else None
    for key in ("title", "description", "is_run_on_load", "public"):
        if key in body:
            found[key] = body[key]
    if query is not None:
        found["query"], found["query_id"] = query, query["id"]
    if folder is not None:
        found["folder_id"], found["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
    found["updated_at"] = now()


async def create_look(ctx: Ctx) -> Response:
    body = ctx.json_body()
    errors = [(f, "missing_field", f"{f} is required.") for f in ("title", "query_id", "folder_id")
              if not body.get(f)]
    errors += [(f, "invalid", f"{f} must be a string.") for f in ("title", "description")
               if body.get(f) and not isinstance(body[f], str)]
    errors += [(f, "invalid", f"{f} must be true or false.") for f in ("is_run_on_load", "public")
               if f in body and not isinstance(body[f], bool)]
    if errors:
        raise ApiProblem(422, "Validation Failed", errors)
    state = ctx.state
    with state.lock:  # who may save comes before what exists there: a refusal tells nothing
        query = ctx.referenced(state.queries, body, "query_id")
        folder = ctx.referenced(state.folders, body, "folder_id")
        ctx.require_edit(folder["id"])
        if any(lk["title"] == body["title"] and lk["folder_id"] == folder["id"] and not lk["deleted"]
               for lk in state.looks.values()):
            raise ApiProblem(409, "A look with this title already exists in that folder")
        new_id = max(int(k) for k in state.looks) + 1
        new = seed.look(new_id, body["title"], query, folder, body.get("description") or "")
        new["user_id"] = ctx.user["id"]
        for key in ("is_run_on_load", "public"):
            new[key] = body.get(key, new[key])
        state.looks[new["id"]] = new
    return ctx.answer(new)


async def run_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    may_run(ctx, found["query"])
    return await run(ctx, found["query"], ctx.params["result_format"])


async def move_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    ctx.require_edit(found["folder_id"])
    place(found, target_folder(ctx, ""))
    return ctx.answer(found)


async def copy_look(ctx: Ctx) -> Response:
    found = ctx.viewable(ctx.state.looks, ctx.params["look_id"])
    folder = target_folder(ctx, found["folder_id"])
    with ctx.state.lock:
        new = copy.deepcopy(found)
        new.update(id=str(max(int(k) for k in ctx.state.looks) + 1), user_id=ctx.user["id"], view_count=0,
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
