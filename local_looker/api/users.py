"""Users: who am I, list and search them, create, change and delete them, their email credentials,
and sudo (an admin's token that acts as another user)."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from .. import access, search, seed
from ..errors import ApiProblem, invalid
from .context import Ctx

CREATED = "2026-01-01T00:00:00.000+00:00"
CLEARED_BY_NULL = ("first_name", "last_name")  # an explicit null empties these (Looker answers "")


def user_json(user: dict) -> dict:
    uid = user["id"]
    email = user.get("email")
    return {
        "id": uid, "first_name": user["first_name"], "last_name": user["last_name"],
        "display_name": f"{user['first_name']} {user['last_name']}".strip(), "email": email,
        "is_disabled": bool(user.get("is_disabled")), "locale": user.get("locale") or "en",
        "avatar_url": None, "avatar_url_without_sizing": None,
        "home_folder_id": user.get("home_folder_id") or "1", "personal_folder_id": user.get("personal_folder_id"),
        "role_ids": list(user["role_ids"]), "group_ids": access.user_groups(user), "verified_looker_employee": False,
        "presumed_looker_employee": False, "ui_state": None, "embed_group_folder_id": None,
        "is_service_account": False, "models_dir_validated": None, "url": f"/api/4.0/users/{uid}",
        "can": {"show": True, "index": True, "show_details": True, "index_details": True, "sudo": False},
        "credentials_email": None if email is None else credentials_email_json(user),
        "credentials_api3": [{"id": uid, "client_id": user["api_client_id"], "created_at": CREATED,
                              "is_disabled": False, "type": "api3", "purpose": None,
                              "url": f"/api/4.0/users/{uid}/credentials_api3/{uid}", "can": {}}]
        if user.get("api_client_id") else [],
    }


def credentials_email_json(user: dict) -> dict:
    return {"email": user["email"], "is_disabled": False, "type": "email", "logged_in_at": None,
            "created_at": CREATED, "user_id": user["id"], "forced_password_reset_at_next_login": False,
            "url": f"/api/4.0/users/{user['id']}/credentials_email", "user_url": f"/api/4.0/users/{user['id']}",
            "can": {}}


def other_user(ctx: Ctx, permission: str = "see_users") -> dict:
    """The user the path names; another user than the caller needs `permission`."""
    uid = ctx.params["user_id"]
    if uid != ctx.user["id"]:
        ctx.require(permission)
    return ctx.get_or_404(ctx.state.users, uid)


def _listed(ctx: Ctx, users: list[dict]) -> Response:
    """Sorted (`sorts`) and paged (`offset`, `limit`), as each user list answers."""
    offset, limit = ctx.paging(len(ctx.state.users))
    return ctx.answer([user_json(u) for u in search.sort(users, ctx.query.get("sorts"))[offset:offset + limit]])


async def me(ctx: Ctx) -> Response:
    return ctx.answer(user_json(ctx.user))


async def all_users(ctx: Ctx) -> Response:
    ctx.require("see_users")
    return _listed(ctx, search.matching(list(ctx.state.users.values()), {"id": ctx.query.get("ids")}, (), ("id",)))


async def user(ctx: Ctx) -> Response:
    return ctx.answer(user_json(other_user(ctx)))


async def search_users(ctx: Ctx) -> Response:
    ctx.require("see_users")
    found = search.matching(list(ctx.state.users.values()), ctx.query, ("first_name", "last_name", "email"), ("id",))
    return _listed(ctx, found)


async def search_users_names(ctx: Ctx) -> Response:
    """Users whose first name, last name or email match the pattern, AND'ed with any other search param."""
    ctx.require("see_users")
    pattern = ctx.params["pattern"]
    named = [u for u in ctx.state.users.values()
             if any(search.like(pattern, u.get(key)) for key in ("first_name", "last_name", "email"))]
    return _listed(ctx, search.matching(named, ctx.query, ("first_name", "last_name", "email"), ("id",)))


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
                "api_client_secret": None, "password": None, "locale": body.get("locale") or "en",
                "is_disabled": bool(body.get("is_disabled"))}
        ctx.state.users[uid] = user
    return ctx.answer(user_json(user))


async def update_user(ctx: Ctx) -> Response:
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if user["id"] != ctx.user["id"]:
        ctx.admin()
    body = ctx.json_body()
    if "is_disabled" in body and user["id"] == ctx.user["id"] and body["is_disabled"]:
        raise invalid("is_disabled", "you cannot disable yourself")
    with ctx.state.lock:
        user.update({k: body[k] for k in ("first_name", "last_name", "locale") if isinstance(body.get(k), str)})
        user.update({k: "" for k in CLEARED_BY_NULL if k in body and body[k] is None})
        if isinstance(body.get("is_disabled"), bool):
            user["is_disabled"] = body["is_disabled"]
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


# --- email credentials ---------------------------------------------------------------------------
async def user_credentials_email(ctx: Ctx) -> Response:
    user = other_user(ctx)
    if user.get("email") is None:
        raise ApiProblem(404, "Not found")
    return ctx.answer(credentials_email_json(user))


async def create_user_credentials_email(ctx: Ctx) -> Response:
    ctx.admin()
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    email = ctx.json_body().get("email")
    if not isinstance(email, str) or "@" not in email.strip("@"):
        raise invalid("email", "email is required and must be an email address", "missing_field")
    with ctx.state.lock:
        if user.get("email") is not None:
            raise ApiProblem(409, "This user already has email credentials.")
        if any((u.get("email") or "").lower() == email.lower() for u in ctx.state.users.values()):
            raise invalid("email", "another user already has this email", "already_exists")
        user["email"] = email
    return ctx.answer(credentials_email_json(user))


async def delete_user_credentials_email(ctx: Ctx) -> Response:
    ctx.admin()
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if user.get("email") is None:
        raise ApiProblem(404, "Not found")
    user["email"] = None
    return Response(status_code=204)


# --- sudo ----------------------------------------------------------------------------------------------
async def login_user(ctx: Ctx) -> Response:
    """POST /login/{user_id}: an admin's new access token that acts as that user (no refresh token)."""
    ctx.require("sudo")
    user = ctx.get_or_404(ctx.state.users, ctx.params["user_id"])
    if user.get("is_disabled"):
        raise ApiProblem(403, "A disabled user cannot be logged in as.")
    with ctx.state.lock:
        grant = ctx.state.issue(user["id"], None, None, refreshable=False)
    return JSONResponse({"access_token": grant.access_token, "token_type": "Bearer",
                         "expires_in": ctx.state.settings.token_ttl, "refresh_token": None},
                        headers={"Cache-Control": "no-store"})


HANDLERS = {
    "me": me, "all_users": all_users, "user": user, "search_users": search_users,
    "search_users_names": search_users_names,
    "create_user": create_user, "update_user": update_user, "delete_user": delete_user,
    "user_credentials_email": user_credentials_email, "create_user_credentials_email": create_user_credentials_email,
    "delete_user_credentials_email": delete_user_credentials_email, "login_user": login_user,
}
