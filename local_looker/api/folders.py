"""Folders: list, search, navigate (children, parent, ancestors, their Looks and dashboards), create,
update and delete. A folder the caller has no access to does not exist for them (404)."""

from __future__ import annotations

import copy

from starlette.responses import Response

from .. import search, seed
from ..errors import ApiProblem, invalid
from .context import Ctx
from .dashboards import dashboard_base
from .looks import visible_looks


def folder_json(ctx: Ctx, folder: dict) -> dict:
    out = copy.deepcopy(folder)
    out["child_count"] = sum(1 for f in ctx.state.folders.values() if f["parent_id"] == folder["id"])
    return out


def _visible_folders(ctx: Ctx) -> list[dict]:
    return [f for f in ctx.state.folders.values() if ctx.state.folder_access(ctx.user, f["id"]) is not None]


def _folder(ctx: Ctx) -> dict:
    folder = ctx.get_or_404(ctx.state.folders, ctx.params["folder_id"])
    if ctx.state.folder_access(ctx.user, folder["id"]) is None:
        raise ApiProblem(404, "Not found")
    return folder


def _searched(ctx: Ctx, folders: list[dict]) -> list[dict]:
    """Looker's search rules (search.py) on name and ids, in `sorts` order."""
    found = search.matching(folders, ctx.query, ("name",), ("id", "parent_id", "creator_id"))
    return [folder_json(ctx, f) for f in search.sort(found, ctx.query.get("sorts"))]


async def all_folders(ctx: Ctx) -> Response:
    return ctx.answer([folder_json(ctx, f) for f in _visible_folders(ctx)])


async def search_folders(ctx: Ctx) -> Response:
    return ctx.answer(_searched(ctx, _visible_folders(ctx)))


async def folder(ctx: Ctx) -> Response:
    return ctx.answer(folder_json(ctx, _folder(ctx)))


async def folder_children(ctx: Ctx) -> Response:
    fid = _folder(ctx)["id"]
    return ctx.answer([folder_json(ctx, f) for f in _visible_folders(ctx) if f["parent_id"] == fid])


async def folder_children_search(ctx: Ctx) -> Response:
    fid = _folder(ctx)["id"]
    return ctx.answer(_searched(ctx, [f for f in _visible_folders(ctx) if f["parent_id"] == fid]))


async def folder_parent(ctx: Ctx) -> Response:
    found = _folder(ctx)
    if found["parent_id"] is None:
        raise ApiProblem(404, "Not found")
    return ctx.answer(folder_json(ctx, ctx.state.folders[found["parent_id"]]))


async def folder_ancestors(ctx: Ctx) -> Response:
    """From the root down to the folder's parent, as Looker lists them."""
    found, chain = _folder(ctx), []
    while found["parent_id"] is not None and found["parent_id"] not in {f["id"] for f in chain}:
        found = ctx.state.folders[found["parent_id"]]
        chain.insert(0, found)
    return ctx.answer([folder_json(ctx, f) for f in chain])


async def folder_looks(ctx: Ctx) -> Response:
    fid = _folder(ctx)["id"]
    return ctx.answer([lk for lk in visible_looks(ctx) if lk["folder_id"] == fid])


async def folder_dashboards(ctx: Ctx) -> Response:
    fid = _folder(ctx)["id"]
    return ctx.answer([dashboard_base(d) for d in ctx.visible_dashboards() if d["folder_id"] == fid])


async def create_folder(ctx: Ctx) -> Response:
    body = ctx.json_body()
    parent = ctx.referenced(ctx.state.folders, body, "parent_id")
    ctx.require_edit(parent["id"])
    if any(f["parent_id"] == parent["id"] and f["name"] == body["name"] for f in ctx.state.folders.values()):
        raise ApiProblem(409, "A folder with this name already exists there")
    with ctx.state.lock:
        new = seed.folder(str(next(ctx.store.content_ids)), body["name"], parent["id"], creator=ctx.user["id"])
        ctx.state.folders[new["id"]] = new
    return ctx.answer(folder_json(ctx, new))


async def update_folder(ctx: Ctx) -> Response:
    found = _folder(ctx)
    ctx.require_edit(found["id"])
    body = ctx.json_body()
    if "parent_id" in body:
        parent = ctx.referenced(ctx.state.folders, body, "parent_id")
        ctx.require_edit(parent["id"])
        chain, cursor = set(), parent
        while cursor is not None and cursor["id"] not in chain:
            chain.add(cursor["id"])
            cursor = ctx.state.folders.get(str(cursor["parent_id"]))
        if found["id"] in chain:
            raise invalid("parent_id", "a folder cannot move into itself or below itself")
        found["parent_id"] = parent["id"]
    if isinstance(body.get("name"), str) and body["name"].strip():
        found["name"] = body["name"]
    return ctx.answer(folder_json(ctx, found))


async def delete_folder(ctx: Ctx) -> Response:
    found = _folder(ctx)
    ctx.require_edit(found["id"])
    if found["parent_id"] is None:
        raise ApiProblem(403, "Root and personal folders cannot be deleted.")
    if any(f["parent_id"] == found["id"] for f in ctx.state.folders.values()) or any(
            c["folder_id"] == found["id"] and not c["deleted"]
            for c in [*ctx.state.looks.values(), *ctx.state.dashboards.values()]):
        raise ApiProblem(409, "The folder is not empty.")
    ctx.state.folders.pop(found["id"])
    return Response(status_code=204)


HANDLERS = {
    "all_folders": all_folders, "search_folders": search_folders, "folder": folder,
    "folder_children": folder_children, "folder_children_search": folder_children_search,
    "folder_parent": folder_parent, "folder_ancestors": folder_ancestors, "folder_looks": folder_looks,
    "folder_dashboards": folder_dashboards, "create_folder": create_folder, "update_folder": update_folder,
    "delete_folder": delete_folder,
}
