"""Dashboards and their parts (elements, filters, layouts and layout components): list, search, read,
create, update (trash and restore too), delete, move and copy. Changing one needs edit access to its folder."""

from __future__ import annotations

import copy

from starlette.responses import Response

from .. import contract, seed
from ..errors import ApiProblem, invalid
from ..model import MODELS, explore_fields
from .context import CONTENT_OFFSET, Ctx
from .looks import now, place, searched, target_folder, trash

# dashboard part -> (key in the dashboard, path parameter, spec definition)
PARTS = {
    "dashboard_element": ("dashboard_elements", "dashboard_element_id", "DashboardElement"),
    "dashboard_filter": ("dashboard_filters", "dashboard_filter_id", "DashboardFilter"),
    "dashboard_layout": ("dashboard_layouts", "dashboard_layout_id", "DashboardLayout"),
}
# what create_dashboard and update_dashboard keep as sent (title, folder_id and deleted have their own rules)
SETTINGS = ("description", "hidden", "query_timezone", "refresh_interval", "load_configuration", "crossfilter_enabled",
            "background_color", "text_tile_text_color", "tile_background_color", "tile_text_color", "title_color",
            "show_filters_bar", "show_title", "filters_bar_collapsed", "filters_location_top", "slug",
            "preferred_viewer", "enable_viz_full_screen", "preserve_desktop_layout")
# what create_dashboard_element keeps as sent, beside its dashboard, query and type
ELEMENT_TEXTS = ("title", "title_text", "subtitle_text", "body_text", "note_text", "note_display", "note_state",
                 "title_hidden", "refresh_interval")


def dashboard_base(board: dict) -> dict:
    return contract.declared("DashboardBase", board)


def board(ctx: Ctx) -> dict:
    """The dashboard the path names, if the caller may see it."""
    return ctx.viewable(ctx.state.dashboards, ctx.params["dashboard_id"])


# --- dashboards --------------------------------------------------------------------------------------
async def all_dashboards(ctx: Ctx) -> Response:
    return ctx.answer([dashboard_base(d) for d in ctx.visible_dashboards()])


async def search_dashboards(ctx: Ctx) -> Response:
    return ctx.answer(searched(ctx, ctx.visible_dashboards(trash=True)))


async def dashboard(ctx: Ctx) -> Response:
    return ctx.answer(board(ctx))


async def dashboard_dashboard_elements(ctx: Ctx) -> Response:
    return ctx.answer(board(ctx)["dashboard_elements"])


async def dashboard_dashboard_filters(ctx: Ctx) -> Response:
    return ctx.answer(board(ctx)["dashboard_filters"])


async def dashboard_dashboard_layouts(ctx: Ctx) -> Response:
    return ctx.answer(board(ctx)["dashboard_layouts"])


async def create_dashboard(ctx: Ctx) -> Response:
    body = ctx.json_body()
    if not isinstance(body.get("title"), str) or not body["title"].strip():
        raise invalid("title", "title is required.", "missing_field")
    folder = ctx.referenced(ctx.state.folders, body, "folder_id") if body.get("folder_id") else None
    if folder is None:
        raise invalid("folder_id", "folder_id is required.", "missing_field")
    ctx.require_edit(folder["id"])
    with ctx.state.lock:
        did = str(next(ctx.store.content_ids))
        new = seed.dashboard(did, body["title"], folder, [], [])
        new.update({k: body[k] for k in SETTINGS if k in body})
        new.update(user_id=ctx.user["id"], description=body.get("description") or "", created_at=now())
        if body.get("deleted"):
            trash(new, True, ctx.user)
        ctx.state.dashboards[did] = new
    return ctx.answer(new)


async def update_dashboard(ctx: Ctx) -> Response:
    """PATCH /dashboards/{id}, on a dashboard in the trash too: deleted=true trashes it, false restores it."""
    found = ctx.in_trash_or_not(ctx.state.dashboards, ctx.params["dashboard_id"])
    ctx.require_edit(found["folder_id"])
    body = ctx.json_body()
    if "title" in body and (not isinstance(body["title"], str) or not body["title"].strip()):
        raise invalid("title", "title cannot be empty")
    folder = ctx.referenced(ctx.state.folders, body, "folder_id") if "folder_id" in body else None
    if folder is not None:
        ctx.require_edit(folder["id"])
    with ctx.state.lock:
        found.update({k: body[k] for k in ("title", *SETTINGS) if k in body})
        if folder is not None:
            found["folder_id"], found["folder"] = folder["id"], {"id": folder["id"], "name": folder["name"]}
        if isinstance(body.get("deleted"), bool) and body["deleted"] != found["deleted"]:
            trash(found, body["deleted"], ctx.user)
        found["updated_at"] = now()
    return ctx.answer(found)


async def delete_dashboard(ctx: Ctx) -> Response:
    """Permanent, for a dashboard in the trash too (update_dashboard with deleted=true is the soft delete)."""
    found = ctx.in_trash_or_not(ctx.state.dashboards, ctx.params["dashboard_id"])
    ctx.require_edit(found["folder_id"])
    ctx.state.dashboards.pop(found["id"])
    return Response(status_code=204)


async def move_dashboard(ctx: Ctx) -> Response:
    found = board(ctx)
    ctx.require_edit(found["folder_id"])
    place(found, target_folder(ctx, ""))
    return ctx.answer(found)


async def copy_dashboard(ctx: Ctx) -> Response:
    """A deep copy with new ids for the dashboard and each of its elements, filters and layouts."""
    found = board(ctx)
    folder = target_folder(ctx, found["folder_id"])
    ids = ctx.store.content_ids
    with ctx.state.lock:
        new = copy.deepcopy(found)
        new.update(id=str(next(ids)), user_id=ctx.user["id"], view_count=0, favorite_count=0,
                   title=found["title"] + (" (copy)" if folder["id"] == found["folder_id"] else ""))
        new["content_metadata_id"] = str(CONTENT_OFFSET["dashboard"] + int(new["id"]))
        renamed = {}
        for element in new["dashboard_elements"]:
            renamed[element["id"]] = element["id"] = str(next(ids))
            element["dashboard_id"] = new["id"]
        for item in new["dashboard_filters"] + new["dashboard_layouts"]:
            item["id"], item["dashboard_id"] = str(next(ids)), new["id"]
        for layout in new["dashboard_layouts"]:
            for component in layout["dashboard_layout_components"]:
                component["dashboard_layout_id"] = layout["id"]
                component["dashboard_element_id"] = renamed.get(component["dashboard_element_id"])
                component["id"] = f"{layout['id']}_{component['dashboard_element_id']}"
        place(new, folder)
        ctx.state.dashboards[new["id"]] = new
    return ctx.answer(new)


# --- parts by id --------------------------------------------------------------------------------------
def _find(ctx: Ctx, part: str, part_id: str) -> tuple[dict, dict]:
    """(dashboard, part) for a part id the caller may see."""
    key = PARTS[part][0]
    for found in ctx.state.dashboards.values():
        for item in found[key]:
            if item["id"] == part_id and not found["deleted"] and ctx.visible(found):
                return found, item
    raise ApiProblem(404, "Not found")


def _part_get(part):
    async def handler(ctx: Ctx) -> Response:
        _, item = _find(ctx, part, ctx.params[PARTS[part][1]])
        return ctx.answer(item)
    return handler


def _part_update(part):
    async def handler(ctx: Ctx) -> Response:
        found, item = _find(ctx, part, ctx.params[PARTS[part][1]])
        ctx.require_edit(found["folder_id"])
        body = ctx.json_body()
        writable = contract.resolve({"$ref": f"#/definitions/{PARTS[part][2]}"})["properties"]
        with ctx.state.lock:
            item.update({k: v for k, v in body.items()
                         if k in writable and not writable[k].get("readOnly") and k not in ("id", "dashboard_id")})
        return ctx.answer(item)
    return handler


def _part_delete(part):
    async def handler(ctx: Ctx) -> Response:
        found, item = _find(ctx, part, ctx.params[PARTS[part][1]])
        ctx.require_edit(found["folder_id"])
        with ctx.state.lock:
            found[PARTS[part][0]].remove(item)
            if part == "dashboard_element":
                for layout in found["dashboard_layouts"]:
                    layout["dashboard_layout_components"] = [c for c in layout["dashboard_layout_components"]
                                                             if c["dashboard_element_id"] != item["id"]]
        return Response(status_code=204)
    return handler


def _board_for_change(ctx: Ctx, dashboard_id) -> dict:
    found = ctx.state.dashboards.get(str(dashboard_id))
    if found is None or found["deleted"] or not ctx.visible(found):
        raise invalid("dashboard_id", f"dashboard {str(dashboard_id)[:40]} does not exist", "not_found")
    ctx.require_edit(found["folder_id"])
    return found


async def create_dashboard_element(ctx: Ctx) -> Response:
    body = ctx.json_body()
    found = _board_for_change(ctx, body.get("dashboard_id"))
    with ctx.state.lock:
        eid = str(next(ctx.store.content_ids))
        if body.get("query_id") is not None:
            query = ctx.referenced(ctx.state.queries, body, "query_id")
            item = seed.element(int(eid), found["id"], body.get("title") or query["view"], query, [])
        else:
            item = seed.text_element(int(eid), found["id"], body.get("title_text") or "", body.get("body_text") or "")
        item.update({k: body[k] for k in ELEMENT_TEXTS if k in body})
        item["type"] = body.get("type") or item["type"]
        found["dashboard_elements"].append(item)
        for layout in found["dashboard_layouts"]:
            layout["dashboard_layout_components"].append(seed.layout_component(
                layout["id"], item, len(layout["dashboard_layout_components"])))
    return ctx.answer(item)


def _filter_source(body: dict) -> tuple[str, str]:
    """(model, explore) a field filter reads, checked against the model: a 422 names the field that is wrong."""
    model, explore = body.get("model") or "thelook", body.get("explore") or "order_items"
    if model not in MODELS:
        raise invalid("model", f"model '{model[:80]}' does not exist", "not_found")
    if explore not in MODELS[model]:
        raise invalid("explore", f"explore '{explore[:80]}' does not exist in model '{model}'", "not_found")
    if body.get("dimension") and body["dimension"] not in explore_fields(explore, model):
        raise invalid("dimension", f"'{body['dimension'][:80]}' is not a field of {model}::{explore}", "not_found")
    return model, explore


async def create_dashboard_filter(ctx: Ctx) -> Response:
    body = ctx.json_body()
    found = _board_for_change(ctx, body["dashboard_id"])
    model, explore = _filter_source(body)
    with ctx.state.lock:
        item = seed.dashboard_filter(str(next(ctx.store.content_ids)), found["id"], body["name"],
                                     body.get("dimension") or "", body["type"], body.get("default_value") or "")
        item.update(title=body["title"], model=model, explore=explore,
                    row=body["row"] if body.get("row") is not None else len(found["dashboard_filters"]))
        item.update({k: body[k] for k in ("allow_multiple_values", "required", "ui_config", "listens_to_filters")
                     if body.get(k) is not None})
        found["dashboard_filters"].append(item)
    return ctx.answer(item)


async def dashboard_layout_dashboard_layout_components(ctx: Ctx) -> Response:
    _, layout = _find(ctx, "dashboard_layout", ctx.params["dashboard_layout_id"])
    return ctx.answer(layout["dashboard_layout_components"])


def _component(ctx: Ctx) -> tuple[dict, dict]:
    wanted = ctx.params["dashboard_layout_component_id"]
    for found in ctx.visible_dashboards():
        for layout in found["dashboard_layouts"]:
            for component in layout["dashboard_layout_components"]:
                if component["id"] == wanted:
                    return found, component
    raise ApiProblem(404, "Not found")


async def dashboard_layout_component(ctx: Ctx) -> Response:
    return ctx.answer(_component(ctx)[1])


async def update_dashboard_layout_component(ctx: Ctx) -> Response:
    found, component = _component(ctx)
    ctx.require_edit(found["folder_id"])
    body = ctx.json_body()
    bad = [k for k in ("row", "column", "width", "height") if k in body and body[k] is not None and body[k] < 0]
    if bad:
        raise invalid(bad[0], f"{bad[0]} cannot be negative")
    component.update({k: body[k] for k in ("row", "column", "width", "height") if k in body})
    return ctx.answer(component)


async def search_dashboard_elements(ctx: Ctx) -> Response:
    p = ctx.query
    title = (p.get("title") or "").lower()
    found = [e for d in ctx.visible_dashboards() for e in d["dashboard_elements"]
             if (not p.get("dashboard_id") or e["dashboard_id"] == p["dashboard_id"])
             and (not p.get("look_id") or e["look_id"] == p["look_id"])
             and (not title or all(part in (e["title"] or "").lower() for part in title.split("%")))]
    return ctx.answer(found)


def _part_handlers() -> dict:
    table = {}
    for part in PARTS:
        table.update({part: _part_get(part), f"update_{part}": _part_update(part),
                      f"delete_{part}": _part_delete(part)})
    return table


HANDLERS = {
    "all_dashboards": all_dashboards, "search_dashboards": search_dashboards, "dashboard": dashboard,
    "dashboard_dashboard_elements": dashboard_dashboard_elements,
    "dashboard_dashboard_filters": dashboard_dashboard_filters,
    "dashboard_dashboard_layouts": dashboard_dashboard_layouts,
    "create_dashboard": create_dashboard, "update_dashboard": update_dashboard, "delete_dashboard": delete_dashboard,
    "move_dashboard": move_dashboard, "copy_dashboard": copy_dashboard,
    **_part_handlers(),
    "create_dashboard_element": create_dashboard_element, "create_dashboard_filter": create_dashboard_filter,
    "dashboard_layout_dashboard_layout_components": dashboard_layout_dashboard_layout_components,
    "dashboard_layout_component": dashboard_layout_component,
    "update_dashboard_layout_component": update_dashboard_layout_component,
    "search_dashboard_elements": search_dashboard_elements,
}
