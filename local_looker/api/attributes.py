"""User attributes and each user's values of them."""

from __future__ import annotations

from starlette.responses import Response

from .. import access
from ..errors import ApiProblem, invalid
from .context import Ctx
from .users import other_user

SEEDED = [
    {"id": "1", "name": "email", "label": "Email", "type": "string", "default_value": None, "is_system": True,
     "is_permanent": True, "value_is_hidden": False, "user_can_view": True, "user_can_edit": False,
     "hidden_value_domain_whitelist": None, "can": access.CAN},
    {"id": "2", "name": "region", "label": "Region", "type": "string", "default_value": "EMEA", "is_system": False,
     "is_permanent": False, "value_is_hidden": False, "user_can_view": True, "user_can_edit": True,
     "hidden_value_domain_whitelist": None, "can": access.CAN},
]


def seeded() -> dict[str, dict]:
    return {a["id"]: dict(a) for a in SEEDED}


def _attribute(ctx: Ctx) -> dict:
    return ctx.get_or_404(ctx.store.attributes, ctx.params["user_attribute_id"])


async def all_user_attributes(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer(list(ctx.store.attributes.values()))


async def user_attribute(ctx: Ctx) -> Response:
    ctx.admin()
    return ctx.answer(_attribute(ctx))


async def create_user_attribute(ctx: Ctx) -> Response:
    ctx.admin()
    body = ctx.json_body()
    if any(a["name"] == body["name"] for a in ctx.store.attributes.values()):
        raise ApiProblem(409, "A user attribute with this name already exists")
    with ctx.state.lock:
        item = {**SEEDED[1], "id": str(next(ctx.store.admin_ids)), "name": body["name"], "label": body["label"],
                "type": body["type"], "default_value": body.get("default_value")}
        ctx.store.attributes[item["id"]] = item
    return ctx.answer(item)


async def update_user_attribute(ctx: Ctx) -> Response:
    ctx.admin()
    item, body = _attribute(ctx), ctx.json_body()
    if item["is_system"]:
        raise ApiProblem(403, "System user attributes cannot be changed.")
    item.update({k: v for k, v in body.items() if k in ("label", "default_value", "user_can_view", "user_can_edit")})
    return ctx.answer(item)


async def delete_user_attribute(ctx: Ctx) -> Response:
    ctx.admin()
    item = _attribute(ctx)
    if item["is_permanent"]:
        raise ApiProblem(403, "Permanent user attributes cannot be deleted.")
    ctx.store.attributes.pop(item["id"])
    return Response(status_code=204)


def _value_json(ctx: Ctx, user: dict, attribute: dict) -> dict:
    own = ctx.store.attribute_values.get((user["id"], attribute["id"]))
    value = user["email"] if attribute["name"] == "email" else own if own is not None else attribute["default_value"]
    return {"name": attribute["name"], "label": attribute["label"], "rank": None, "value": value,
            "user_id": user["id"], "user_can_edit": attribute["user_can_edit"],
            "value_is_hidden": attribute["value_is_hidden"], "user_attribute_id": attribute["id"],
            "source": "user" if own is not None else "default", "hidden_value_domain_whitelist": None,
            "can": access.CAN}


async def user_attribute_user_values(ctx: Ctx) -> Response:
    user = other_user(ctx)
    return ctx.answer([_value_json(ctx, user, a) for a in ctx.store.attributes.values()])


async def set_user_attribute_user_value(ctx: Ctx) -> Response:
    user, attribute = other_user(ctx, "administer"), _attribute(ctx)
    body = ctx.json_body()
    if not isinstance(body.get("value"), str):
        raise invalid("value", "value is required (a string)", "missing_field")
    if attribute["is_system"]:
        raise ApiProblem(403, "System user attributes cannot be set.")
    ctx.store.attribute_values[(user["id"], attribute["id"])] = body["value"]
    return ctx.answer(_value_json(ctx, user, attribute))


async def delete_user_attribute_user_value(ctx: Ctx) -> Response:
    user, attribute = other_user(ctx, "administer"), _attribute(ctx)
    ctx.store.attribute_values.pop((user["id"], attribute["id"]), None)
    return Response(status_code=204)


HANDLERS = {
    "all_user_attributes": all_user_attributes, "user_attribute": user_attribute,
    "create_user_attribute": create_user_attribute, "update_user_attribute": update_user_attribute,
    "delete_user_attribute": delete_user_attribute, "user_attribute_user_values": user_attribute_user_values,
    "set_user_attribute_user_value": set_user_attribute_user_value,
    "delete_user_attribute_user_value": delete_user_attribute_user_value,
}
