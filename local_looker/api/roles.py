"""Roles, permission sets, model sets and groups (one generic table each), permissions, and who holds
which role or belongs to which group. Reads and changes need an admin, except a user's own roles."""

from __future__ import annotations

from starlette.responses import Response

from .. import access, search
from ..errors import ApiProblem, invalid
from .context import Ctx
from .users import other_user, user_json

# table name -> (path parameter, how a new item is made from an id and a body)
TABLES = {
    "roles": ("role_id", lambda i, b: access.role(i, b["name"], str(b.get("permission_set_id") or ""),
                                                 str(b.get("model_set_id") or ""))),
    "permission_sets": ("permission_set_id", lambda i, b: access.permission_set(i, b["name"],
                                                                               b.get("permissions") or [])),
    "model_sets": ("model_set_id", lambda i, b: access.model_set(i, b["name"], b.get("models") or [])),
    "groups": ("group_id", lambda i, b: access.group(i, b["name"])),
}


def _json(ctx: Ctx, name: str, item: dict) -> dict:
    if name != "roles":
        return item
    tables = ctx.state.access
    return {**item, "permission_set": tables["permission_sets"].get(item["permission_set_id"]),
            "model_set": tables["model_sets"].get(item["model_set_id"])}


def _item(ctx: Ctx, name: str) -> dict:
    return ctx.get_or_404(ctx.state.access[name], ctx.params[TABLES[name][0]])


def _check_references(ctx: Ctx, name: str, body: dict) -> None:
    tables = ctx.state.access
    if name == "roles":
        for field, other in (("permission_set_id", "permission_sets"), ("model_set_id", "model_sets")):
            if field in body and str(body[field]) not in tables[other]:
                raise invalid(field, f"{field} {str(body[field])[:40]} does not exist", "not_found")
    if name == "permission_sets":
        unknown = [p for p in body.get("permissions") or [] if p not in access.ALL_PERMISSIONS]
        if unknown:
            raise invalid("permissions", f"unknown permission '{str(unknown[0])[:40]}'")


# --- the generic tables -------------------------------------------------------------------------
def _all(name):
    async def handler(ctx: Ctx) -> Response:
        ctx.admin()
        items = search.matching(list(ctx.state.access[name].values()), ctx.query, ("name",), ("id",))
        return ctx.answer([_json(ctx, name, i) for i in search.sort(items, ctx.query.get("sorts"))])
    return handler


def _one(name):
    async def handler(ctx: Ctx) -> Response:
        ctx.admin()
        return ctx.answer(_json(ctx, name, _item(ctx, name)))
    return handler


def _create(name):
    async def handler(ctx: Ctx) -> Response:
        ctx.admin()
        body = ctx.json_body()
        if not isinstance(body.get("name"), str) or not body["name"].strip():
            raise invalid("name", "name is required.", "missing_field")
        _check_references(ctx, name, body)
        with ctx.state.lock:
            item = TABLES[name][1](str(next(ctx.store.admin_ids)), body)
            ctx.state.access[name][item["id"]] = item
        return ctx.answer(_json(ctx, name, item))
    return handler


def _update(name):
    async def handler(ctx: Ctx) -> Response:
        ctx.admin()
        item, body = _item(ctx, name), ctx.json_body()
        if item.get("built_in"):
            raise ApiProblem(403, f"The built-in {name[:-1].replace('_', ' ')} cannot be changed.")
        _check_references(ctx, name, body)
        with ctx.state.lock:
            item.update({k: (str(v) if k.endswith("_id") else v) for k, v in body.items()
                         if k in item and k not in ("id", "can", "url", "built_in", "all_access")})
        return ctx.answer(_json(ctx, name, item))
    return handler


def _delete(name):
    async def handler(ctx: Ctx) -> Response:
        ctx.admin()
        item = _item(ctx, name)
        if item.get("built_in") or (name == "groups" and item["id"] == access.ALL_USERS_GROUP):
            raise ApiProblem(403, f"The built-in {name[:-1].replace('_', ' ')} cannot be deleted.")
        with ctx.state.lock:
            ctx.state.access[name].pop(item["id"])
            if name == "groups":  # nobody stays a member of a group that is gone
                for user in ctx.state.users.values():
                    if item["id"] in user.get("group_ids", []):
                        user["group_ids"].remove(item["id"])
                for gids in ctx.state.access["role_groups"].values():
                    if item["id"] in gids:
                        gids.remove(item["id"])
        return Response(status_code=204)
    return handler


# --- permissions and users' roles -----------------------------------------------------------------
async def all_permissions(ctx: Ctx) -> Response:
    return ctx.answer([{"permission": p, "parent": None, "description": p.replace("_", " "), "can": access.CAN}
                       for p in access.ALL_PERMISSIONS])


async def role_users(ctx: Ctx) -> Response:
    ctx.admin()
    role = _item(ctx, "roles")
    return ctx.answer([user_json(u) for u in ctx.state.users.values() if role["id"] in u["role_ids"]])


async def user_roles(ctx: Ctx) -> Response:
    user, direct = other_user(ctx), ctx.query.get("direct_association_only") == "true"
    return ctx.answer([_json(ctx, "roles", r) for r in access.user_roles(ctx.state.access, user, direct)])


def _ids(ctx: Ctx, table: dict, what: str) -> list[str]:
    ids = ctx.body
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise invalid("body", f"must be a list of {what} ids (strings)")
    unknown = [i for i in ids if i not in table]
    if unknown:
        raise invalid("body", f"{what} {unknown[0][:40]} does not exist", "not_found")
    return list(dict.fromkeys(ids))


async def set_user_roles(ctx: Ctx) -> Response:
    ctx.admin()
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    raw = ctx.body
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise invalid("body", "must be a list of role ids (strings)")
    unknown = [r for r in raw if r not in ctx.state.access["roles"]]
    if unknown:
        raise invalid("body", f"role {unknown[0][:40]} does not exist", "not_found")
    with ctx.state.lock:
        user["role_ids"] = list(dict.fromkeys(raw))
    return ctx.answer([_json(ctx, "roles", r) for r in access.user_roles(ctx.state.access, user)])


async def role_groups(ctx: Ctx) -> Response:
    ctx.admin()
    role = _item(ctx, "roles")
    groups = ctx.state.access["groups"]
    return ctx.answer([groups[g] for g in ctx.state.access["role_groups"].get(role["id"], []) if g in groups])


async def set_role_groups(ctx: Ctx) -> Response:
    ctx.admin()
    role = _item(ctx, "roles")
    ctx.state.access["role_groups"][role["id"]] = _ids(ctx, ctx.state.access["groups"], "group")
    return await role_groups(ctx)


async def set_role_users(ctx: Ctx) -> Response:
    ctx.admin()
    role = _item(ctx, "roles")
    chosen = set(_ids(ctx, ctx.state.users, "user"))
    with ctx.state.lock:
        for user in ctx.state.users.values():
            has = role["id"] in user["role_ids"]
            if user["id"] in chosen and not has:
                user["role_ids"].append(role["id"])
            elif user["id"] not in chosen and has:
                user["role_ids"].remove(role["id"])
    return await role_users(ctx)


async def search_roles_with_user_count(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer([{**_json(ctx, "roles", r), "user_count": sum(
        1 for u in ctx.state.users.values() if r["id"] in u["role_ids"])} for r in ctx.state.access["roles"].values()])


# --- groups' members ----------------------------------------------------------------------------------
def _group(ctx: Ctx) -> dict:
    return ctx.get_or_404(ctx.state.access["groups"], ctx.params["group_id"])


async def all_group_users(ctx: Ctx) -> Response:
    ctx.admin()
    group = _group(ctx)
    return ctx.answer([user_json(u) for u in ctx.state.users.values() if group["id"] in access.user_groups(u)])


async def add_group_user(ctx: Ctx) -> Response:
    ctx.admin()
    group, body = _group(ctx), ctx.json_body()
    user = ctx.referenced(ctx.state.users, body, "user_id")
    if group["id"] not in access.user_groups(user):
        user.setdefault("group_ids", []).append(group["id"])
    return ctx.answer(user_json(user))


async def delete_group_user(ctx: Ctx) -> Response:
    ctx.admin()
    group = _group(ctx)
    if group["id"] == access.ALL_USERS_GROUP:
        raise ApiProblem(403, "Everyone is in All Users.")
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if group["id"] not in user.get("group_ids", []):
        raise ApiProblem(404, "Not found")
    user["group_ids"].remove(group["id"])
    return Response(status_code=204)


def _table_handlers() -> dict:
    table = {}
    for name in TABLES:
        singular = name[:-1]
        table.update({f"all_{name}": _all(name), f"search_{name}": _all(name), singular: _one(name),
                      f"create_{singular}": _create(name), f"update_{singular}": _update(name),
                      f"delete_{singular}": _delete(name)})
    return table


HANDLERS = {
    **_table_handlers(),
    "all_permissions": all_permissions, "role_users": role_users, "user_roles": user_roles,
    "set_user_roles": set_user_roles, "role_groups": role_groups, "set_role_groups": set_role_groups,
    "set_role_users": set_role_users, "search_roles_with_user_count": search_roles_with_user_count,
    "all_group_users": all_group_users, "add_group_user": add_group_user, "delete_group_user": delete_group_user,
}
