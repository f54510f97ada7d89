"""Users: who am I, list, search, create, change and delete them."""

from __future__ import annotations

from starlette.responses import Response

from .. import access, seed
from ..errors import ApiProblem
from .context import Ctx


def user_json(user: dict) -> dict:
    return {
        "id": user["id"], "first_name": user["first_name"], "last_name": user["last_name"],
        "display_name": f"{user['first_name']} {user['last_name']}", "email": user["email"],
        "is_disabled": False, "locale": "en", "avatar_url": None, "avatar_url_without_sizing": None,
        "home_folder_id": "1", "personal_folder_id": user.get("personal_folder_id"),
        "role_ids": list(user["role_ids"]), "group_ids": access.user_groups(user), "verified_looker_employee": False,
        "presumed_looker_employee": False, "ui_state": None, "embed_group_folder_id": None,
        "is_service_account": False, "models_dir_validated": None, "url": f"/api/4.0/users/{user['id']}",
        "can": {"show": True, "index": True, "show_details": True, "index_details": True, "sudo": False},
        "credentials_email": {"email": user["email"], "is_disabled": False, "type": "email",
                              "logged_in_at": None, "created_at": "2026-01-01T00:00:00.000+00:00"},
    }


def other_user(ctx: Ctx, permission: str = "see_users") -> dict:
    """The user the path names; another user than the caller needs `permission`."""
    uid = ctx.params["user_id"]
    if uid != ctx.user["id"]:
        ctx.require(permission)
    return ctx.get_or_404(ctx.state.users, uid)


async def me(ctx: Ctx) -> Response:
    return ctx.answer(user_json(ctx.user))


async def all_users(ctx: Ctx) -> Response:
    ctx.require("see_users")
    offset, limit = ctx.paging(len(ctx.state.users))
    users = list(ctx.state.users.values())[offset:offset + limit]
    return ctx.answer([user_json(u) for u in users])


async def user(ctx: Ctx) -> Response:
    return ctx.answer(user_json(other_user(ctx)))


async def search_users(ctx: Ctx) -> Response:
    ctx.require("see_users")
    p = ctx.query

    def matches(user: dict, key: str) -> bool:
        wanted = (p.get(key) or "").lower()
        return not wanted or all(part in str(user.get(key, "")).lower() for part in wanted.split("%"))

    found = [u for u in ctx.state.users.values()
             if all(matches(u, k) for k in ("first_name", "last_name", "email"))
             and (not p.get("id") or u["id"] in p["id"].split(","))]
    return ctx.answer([user_json(u) for u in found])


async def create_user(ctx: Ctx) -> Response:
    ctx.admin()
    body = ctx.json_body()
    with ctx.state.lock:
        uid = str(next(ctx.store.admin_ids))
        first, last = body.get("first_name") or "", body.get("last_name") or ""
        folder = seed.folder(str(next(ctx.store.admin_ids)), f"{first} {last}".strip() or f"User {uid}", None,
                             personal=True, creator=uid)
        ctx.state.folders[folder["id"]] = folder
        user = {"id": uid, "first_name": first, "last_name": last, "email": None, "role_ids": [],
                "group_ids": [], "personal_folder_id": folder["id"], "api_client_id": None,
                "api_client_secret": None, "password": None}
        ctx.state.users[uid] = user
    return ctx.answer(user_json(user))


async def update_user(ctx: Ctx) -> Response:
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if user["id"] != ctx.user["id"]:
        ctx.admin()
    body = ctx.json_body()
    user.update({k: body[k] for k in ("first_name", "last_name", "locale") if isinstance(body.get(k), str)})
    return ctx.answer(user_json(user))


async def delete_user(ctx: Ctx) -> Response:
    me_ = ctx.admin()
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if user["id"] == me_["id"]:
        raise ApiProblem(403, "You cannot delete yourself.")
    with ctx.state.lock:
        for grant in [g for g in ctx.state.grants.values() if g.user_id == user["id"]]:
            ctx.state.revoke(grant)
        ctx.state.users.pop(user["id"])
    return Response(status_code=204)


HANDLERS = {
    "me": me, "all_users": all_users, "user": user, "search_users": search_users,
    "create_user": create_user, "update_user": update_user, "delete_user": delete_user,
}
