"""Content metadata (generated from folders, Looks and dashboards), its access lists, and content search."""

from __future__ import annotations

from starlette.responses import Response

from .. import access, thumbnail
from ..errors import ApiProblem, invalid
from .context import CONTENT_OFFSET, Ctx
from .looks import visible_looks


def _metadata(ctx: Ctx) -> dict[str, dict]:
    """Content metadata for every folder, Look and dashboard."""
    state, found = ctx.state, {}
    for f in state.folders.values():
        found[f["id"]] = {"id": f["id"], "name": f["name"], "parent_id": f["parent_id"], "folder_id": f["id"],
                          "dashboard_id": None, "look_id": None, "content_type": "space",
                          "inherits": not any(a["content_metadata_id"] == f["id"]
                                              for a in state.access["content_access"].values()),
                          "inheriting_id": f["parent_id"], "slug": None, "can": access.CAN}
    for kind, table in (("look", state.looks), ("dashboard", state.dashboards)):
        for item in table.values():
            if item["deleted"]:
                continue
            cid = str(CONTENT_OFFSET[kind] + int(item["id"]))
            found[cid] = {"id": cid, "name": item["title"], "parent_id": item["folder_id"], "folder_id": None,
                          "dashboard_id": item["id"] if kind == "dashboard" else None,
                          "look_id": item["id"] if kind == "look" else None, "content_type": kind,
                          "inherits": True, "inheriting_id": item["folder_id"], "slug": None, "can": access.CAN}
    return found


def _visible_metadata(ctx: Ctx) -> dict[str, dict]:
    return {cid: m for cid, m in _metadata(ctx).items()
            if ctx.state.folder_access(ctx.user, m["folder_id"] or m["parent_id"]) is not None}


async def all_content_metadatas(ctx: Ctx) -> Response:
    parent = ctx.query.get("parent_id")
    return ctx.answer([m for m in _visible_metadata(ctx).values() if parent is None or m["parent_id"] == parent])


async def content_metadata(ctx: Ctx) -> Response:
    return ctx.answer(ctx.get_or_404(_visible_metadata(ctx), ctx.params["content_metadata_id"]))


def _editable_folder_metadata(ctx: Ctx, cid) -> str:
    """Access lists hang on folders; changing one needs edit access to that folder."""
    meta = _metadata(ctx).get(str(cid))
    if meta is None or meta["content_type"] != "space":
        raise invalid("content_metadata_id", "must be a folder's content metadata id", "not_found")
    ctx.require_edit(meta["id"])
    return meta["id"]


async def all_content_metadata_accesses(ctx: Ctx) -> Response:
    cid = ctx.query.get("content_metadata_id")
    if cid is None:
        raise ApiProblem(400, "Query parameter 'content_metadata_id' is required.")
    if _visible_metadata(ctx).get(cid) is None:
        raise ApiProblem(404, "Not found")
    return ctx.answer([a for a in ctx.state.access["content_access"].values() if a["content_metadata_id"] == cid])


def _check_entry(ctx: Ctx, body: dict) -> None:
    if body.get("permission_type") not in ("view", "edit"):
        raise invalid("permission_type", "must be 'view' or 'edit'")
    if (body.get("group_id") is None) == (body.get("user_id") is None):
        raise invalid("group_id", "give exactly one of group_id and user_id")
    if body.get("group_id") is not None and str(body["group_id"]) not in ctx.state.access["groups"]:
        raise invalid("group_id", "no such group", "not_found")
    if body.get("user_id") is not None and str(body["user_id"]) not in ctx.state.users:
        raise invalid("user_id", "no such user", "not_found")


async def create_content_metadata_access(ctx: Ctx) -> Response:
    body = ctx.json_body()
    cid = _editable_folder_metadata(ctx, body.get("content_metadata_id"))
    _check_entry(ctx, body)
    with ctx.state.lock:
        entry = access.access_entry(str(next(ctx.store.content_ids)), cid, body["permission_type"],
                                    group_id=body.get("group_id"), user_id=body.get("user_id"))
        ctx.state.access["content_access"][entry["id"]] = entry
    return ctx.answer(entry)


def _entry(ctx: Ctx) -> dict:
    entry = ctx.get_or_404(ctx.state.access["content_access"], ctx.params["content_metadata_access_id"])
    _editable_folder_metadata(ctx, entry["content_metadata_id"])
    return entry


async def update_content_metadata_access(ctx: Ctx) -> Response:
    entry, body = _entry(ctx), ctx.json_body()
    merged = {**entry, **{k: body[k] for k in ("permission_type", "group_id", "user_id") if k in body}}
    _check_entry(ctx, merged)
    entry.update(merged)
    return ctx.answer(entry)


async def delete_content_metadata_access(ctx: Ctx) -> Response:
    entry = _entry(ctx)
    ctx.state.access["content_access"].pop(entry["id"])
    return Response(status_code=204)


async def search_content(ctx: Ctx) -> Response:
    """GET /content/{terms}: Looks and dashboards whose title or description contain every term."""
    terms = [t for t in ctx.params["terms"].lower().replace("%", " ").split() if t]
    wanted = ctx.query.get("types")
    found = []
    for kind, items in (("look", visible_looks(ctx)), ("dashboard", ctx.visible_dashboards())):
        if wanted and kind not in wanted:
            continue
        for item in items:
            text = f"{item['title']} {item.get('description') or ''}".lower()
            if all(t in text for t in terms):
                folder = ctx.state.folders.get(item["folder_id"], {})
                found.append({"content_id": item["id"], "type": kind, "title": item["title"],
                              "description": item.get("description"), "folder_id": item["folder_id"],
                              "folder_name": folder.get("name"), "view_count": item.get("view_count"),
                              "preferred_viewer": item.get("preferred_viewer"), "model": None,
                              "created_by_id": None, "certification_status": None,
                              "parent_folder_name": None, "can": access.CAN})
    return ctx.answer(found)


# --- thumbnails ------------------------------------------------------------------------------------------
THUMBNAIL_PIXELS = (16, 2000)  # the smallest and largest width or height the local Looker draws (its own limit)
THUMBNAIL_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}  # svg unless asked, as Looker's default


async def content_thumbnail(ctx: Ctx) -> Response:
    """An abstract picture of a Look or dashboard the caller may see (its shape, not its data)."""
    kind, wanted = ctx.params["type"], ctx.params["resource_id"]
    visible = {"look": visible_looks, "dashboard": Ctx.visible_dashboards}.get(kind)
    if visible is None:
        raise invalid("type", "must be 'look' or 'dashboard'")
    item = next((i for i in visible(ctx) if i["id"] == wanted), None)
    if item is None:
        raise ApiProblem(404, "Not found")
    fmt = ctx.query.get("format") or "svg"
    if fmt not in THUMBNAIL_FORMATS:
        raise invalid("format", "must be 'svg' or 'png'")
    low, high = THUMBNAIL_PIXELS
    size = {key: int(ctx.query.get(key) or default) for key, default in (("width", 320), ("height", 200))}
    for key, pixels in size.items():
        if not low <= pixels <= high:
            raise invalid(key, f"{key} must be from {low} to {high} pixels")
    layouts = item.get("dashboard_layouts") or [{"dashboard_layout_components": []}]
    rects = (thumbnail.look_rects() if kind == "look"
             else thumbnail.dashboard_rects(layouts[0]["dashboard_layout_components"]))
    draw = thumbnail.png if fmt == "png" else thumbnail.svg
    return Response(draw(rects, size["width"], size["height"]), media_type=THUMBNAIL_FORMATS[fmt])


HANDLERS = {
    "all_content_metadatas": all_content_metadatas, "content_metadata": content_metadata,
    "all_content_metadata_accesses": all_content_metadata_accesses,
    "create_content_metadata_access": create_content_metadata_access,
    "update_content_metadata_access": update_content_metadata_access,
    "delete_content_metadata_access": delete_content_metadata_access,
    "search_content": search_content, "content_thumbnail": content_thumbnail,
}
