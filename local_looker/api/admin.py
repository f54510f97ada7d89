"""Instance administration: settings (the embed domain allowlist that CORS follows), OAuth client apps,
and the API session's workspace."""

from __future__ import annotations

import datetime as dt

from starlette.responses import JSONResponse, Response

from .. import contract
from ..errors import ApiProblem, invalid
from ..origins import normalize_entry
from .context import Ctx


# --- settings -------------------------------------------------------------------------------------
async def get_setting(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer(ctx.state.setting)


async def set_setting(ctx: Ctx) -> Response:
    """PATCH /setting. A bad value is refused whole (422) so nothing half-applies and CORS keeps working."""
    ctx.admin()
    body = ctx.json_body()
    changes = {key: value for key, value in body.items() if key in ctx.state.setting and key != "embed_config"}
    embed = _embed_config_changes(body["embed_config"]) if "embed_config" in body else {}
    with ctx.state.lock:
        ctx.state.setting.update(changes)
        ctx.state.setting["embed_config"].update(embed)
    return ctx.answer(ctx.state.setting)


def _embed_config_changes(value) -> dict:
    if not isinstance(value, dict):
        raise invalid("embed_config", "must be an object (EmbedConfig)")
    problems = contract.violations({"$ref": "#/definitions/EmbedConfig"}, value, "embed_config", answer=False)
    if problems:
        raise ApiProblem(422, "Validation Failed", [(f, "invalid", f"{f} {p}") for f, p in problems[:20]])
    changes = {k: v for k, v in value.items() if k in contract.resolve({"$ref": "#/definitions/EmbedConfig"})
               ["properties"]}
    if "domain_allowlist" in changes:
        entries = changes["domain_allowlist"]
        if entries is None:
            raise invalid("embed_config.domain_allowlist", "must be a list of origins ([] allows none)")
        try:
            changes["domain_allowlist"] = [normalize_entry(entry) for entry in entries]
        except ValueError as exc:
            raise invalid("embed_config.domain_allowlist", str(exc))
    return changes


# --- OAuth client apps ----------------------------------------------------------------------------
async def all_oauth_client_apps(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer(list(ctx.state.apps.values()))


async def oauth_client_app(ctx: Ctx) -> Response:
    """GET, POST (register), PATCH and DELETE /oauth_client_apps/{client_guid}."""
    ctx.admin()
    guid = ctx.params["client_guid"]
    if ctx.method == "GET":
        return ctx.answer(ctx.get_or_404(ctx.state.apps, guid))
    if ctx.method == "DELETE":
        with ctx.state.lock:
            if ctx.state.apps.pop(guid, None) is None:
                raise ApiProblem(404, "Not found")
            ctx.state.revoke_client(guid)
        return Response(status_code=204)
    body = ctx.json_body()
    with ctx.state.lock:
        if ctx.method == "POST":
            if guid in ctx.state.apps:
                raise ApiProblem(409, "An OAuth client app with this client_guid already exists")
            missing = [f for f in ("redirect_uri", "display_name") if not body.get(f)]
            if missing:
                raise ApiProblem(422, "Validation Failed",
                                 [(f, "missing_field", f"{f} is required.") for f in missing])
            app = {"client_guid": guid, "redirect_uri": body["redirect_uri"],
                   "display_name": body["display_name"], "description": body.get("description", ""),
                   "enabled": bool(body.get("enabled", True)), "group_id": body.get("group_id"),
                   "tokens_invalid_before": dt.datetime.now(dt.timezone.utc).isoformat(),
                   "activated_users": [], "can": {}}
            ctx.state.apps[guid] = app
        else:  # PATCH
            app = ctx.get_or_404(ctx.state.apps, guid)
            for key in ("redirect_uri", "display_name", "description", "enabled", "group_id"):
                if key in body:
                    app[key] = body[key]
            if not app["enabled"]:
                ctx.state.revoke_client(guid)
    return ctx.answer(app)


# --- the API session ------------------------------------------------------------------------------
WORKSPACES = ("production", "dev")


async def session(ctx: Ctx) -> Response:
    """GET and PATCH /session: each access token has its own workspace; 'dev' needs the develop permission.
    The local Looker has no LookML to develop, so both workspaces see the same model."""
    wanted = (ctx.body or {}).get("workspace_id")
    if wanted is not None:
        if wanted not in WORKSPACES:
            raise invalid("workspace_id", f"must be one of {', '.join(WORKSPACES)}")
        if wanted == "dev":
            ctx.require("develop")
        with ctx.state.lock:  # remember it for this token; forget the tokens that are gone
            live = {token: space for token, space in ctx.store.workspaces.items() if token in ctx.state.grants}
            ctx.store.workspaces = {**live, ctx.token: wanted}
    return JSONResponse({"workspace_id": ctx.store.workspaces.get(ctx.token, "production"), "sudo_user_id": None,
                         "can": {"view": True, "update": True}})


HANDLERS = {
    "get_setting": get_setting, "set_setting": set_setting,
    "all_oauth_client_apps": all_oauth_client_apps, "oauth_client_app": oauth_client_app,
    "register_oauth_client_app": oauth_client_app, "update_oauth_client_app": oauth_client_app,
    "delete_oauth_client_app": oauth_client_app,
    "session": session, "update_session": session,
}
