"""People and permissions: roles, permission sets, model sets, groups, user roles, user search,
user attributes and the API session. Reads are open to what Looker opens them to; changes need an admin."""

from __future__ import annotations

import itertools

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from . import access, seed
from .errors import ApiProblem, invalid

# table name -> (path parameter, how a new item is made from a body)
TABLES = {
    "roles": ("role_id", lambda i, b: access.role(i, b["name"], str(b.get("permission_set_id") or ""),
                                                 str(b.get("model_set_id") or ""))),
    "permission_sets": ("permission_set_id", lambda i, b: access.permission_set(i, b["name"],
                                                                               b.get("permissions") or [])),
    "model_sets": ("model_set_id", lambda i, b: access.model_set(i, b["name"], b.get("models") or [])),
    "groups": ("group_id", lambda i, b: access.group(i, b["name"])),
}
USER_ATTRIBUTES = [
    {"id": "1", "name": "email", "label": "Email", "type": "string", "default_value": None, "is_system": True,
     "is_permanent": True, "value_is_hidden": False, "user_can_view": True, "user_can_edit": False,
     "hidden_value_domain_whitelist": None, "can": access.CAN},
    {"id": "2", "name": "region", "label": "Region", "type": "string", "default_value": "EMEA", "is_system": False,
     "is_permanent": False, "value_is_hidden": False, "user_can_view": True, "user_can_edit": True,
     "hidden_value_domain_whitelist": None, "can": access.CAN},
]


class AdminRoutes:
    def __init__(self, api):
        self.api, self.state = api, api.state
        self.attributes = {a["id"]: dict(a) for a in USER_ATTRIBUTES}
        self.attribute_values: dict[tuple[str, str], str] = {}  # (user id, attribute id) -> value
        self.ids = itertools.count(100)

    def handlers(self) -> dict:
        table = {}
        for name, (_, _) in TABLES.items():
            singular = name[:-1]
            table.update({f"all_{name}": self._all(name), f"search_{name}": self._all(name),
                          singular: self._one(name), f"create_{singular}": self._create(name),
                          f"update_{singular}": self._update(name), f"delete_{singular}": self._delete(name)})
        return {**table, "all_permissions": self.all_permissions, "role_users": self.role_users,
                "user_roles": self.user_roles, "set_user_roles": self.set_user_roles, "search_users": self.search_users,
                "session": self.session, "update_session": self.session,
                "all_user_attributes": self.all_attributes, "user_attribute": self.attribute,
                "create_user_attribute": self.create_attribute, "update_user_attribute": self.update_attribute,
                "delete_user_attribute": self.delete_attribute,
                "user_attribute_user_values": self.user_values, "set_user_attribute_user_value": self.set_user_value,
                "delete_user_attribute_user_value": self.delete_user_value,
                "create_user": self.create_user, "update_user": self.update_user, "delete_user": self.delete_user,
                "all_group_users": self.group_users, "add_group_user": self.add_group_user,
                "delete_group_user": self.delete_group_user, "role_groups": self.role_groups,
                "set_role_groups": self.set_role_groups, "set_role_users": self.set_role_users,
                "search_roles_with_user_count": self.roles_with_user_count}

    # --- generic tables: reads for admins, changes for admins ---------------------------------
    def _json(self, name: str, item: dict) -> dict:
        if name != "roles":
            return item
        tables = self.state.access
        return {**item, "permission_set": tables["permission_sets"].get(item["permission_set_id"]),
                "model_set": tables["model_sets"].get(item["model_set_id"])}

    def _item(self, name: str, request: Request) -> dict:
        return self.api.get_or_404(self.state.access[name], request.path_params[TABLES[name][0]], name)

    def _all(self, name):
        async def handler(request: Request) -> Response:
            self.api.admin(request)
            p = request.query_params
            items = [i for i in self.state.access[name].values()
                     if (not p.get("name") or p["name"].replace("%", "").lower() in str(i.get("name")).lower())
                     and (not p.get("id") or i["id"] == p["id"])]
            return self.api.answer(request, [self._json(name, i) for i in items])
        return handler

    def _one(self, name):
        async def handler(request: Request) -> Response:
            self.api.admin(request)
            return self.api.answer(request, self._json(name, self._item(name, request)))
        return handler

    def _check_references(self, name: str, body: dict) -> None:
        tables = self.state.access
        if name == "roles":
            for field, other in (("permission_set_id", "permission_sets"), ("model_set_id", "model_sets")):
                if field in body and str(body[field]) not in tables[other]:
                    raise invalid(field, f"{field} {str(body[field])[:40]} does not exist", "not_found")
        if name == "permission_sets":
            unknown = [p for p in body.get("permissions") or [] if p not in access.ALL_PERMISSIONS]
            if unknown:
                raise invalid("permissions", f"unknown permission '{str(unknown[0])[:40]}'")

    def _create(self, name):
        async def handler(request: Request) -> Response:
            self.api.admin(request)
            body = await self.api.json_body(request)
            if not isinstance(body.get("name"), str) or not body["name"].strip():
                raise invalid("name", "name is required.", "missing_field")
            self._check_references(name, body)
            with self.state.lock:
                item = TABLES[name][1](str(next(self.ids)), body)
                self.state.access[name][item["id"]] = item
            return self.api.answer(request, self._json(name, item))
        return handler

    def _update(self, name):
        async def handler(request: Request) -> Response:
            self.api.admin(request)
            item, body = self._item(name, request), await self.api.json_body(request)
            if item.get("built_in"):
                raise ApiProblem(403, f"The built-in {name[:-1].replace('_', ' ')} cannot be changed.")
            self._check_references(name, body)
            with self.state.lock:
                item.update({k: (str(v) if k.endswith("_id") else v) for k, v in body.items()
                             if k in item and k not in ("id", "can", "url", "built_in", "all_access")})
            return self.api.answer(request, self._json(name, item))
        return handler

    def _delete(self, name):
        async def handler(request: Request) -> Response:
            self.api.admin(request)
            item = self._item(name, request)
            if item.get("built_in") or (name == "groups" and item["id"] == access.ALL_USERS_GROUP):
                raise ApiProblem(403, f"The built-in {name[:-1].replace('_', ' ')} cannot be deleted.")
            with self.state.lock:
                self.state.access[name].pop(item["id"])
                if name == "groups":  # nobody stays a member of a group that is gone
                    for user in self.state.users.values():
                        if item["id"] in user.get("group_ids", []):
                            user["group_ids"].remove(item["id"])
                    for gids in self.state.access["role_groups"].values():
                        if item["id"] in gids:
                            gids.remove(item["id"])
            return Response(status_code=204)
        return handler

    # --- permissions and users' roles -------------------------------------------------------------
    async def all_permissions(self, request: Request) -> Response:
        self.api.user(request)
        return self.api.answer(request, [{"permission": p, "parent": None, "description": p.replace("_", " "),
                                          "can": access.CAN} for p in access.ALL_PERMISSIONS])

    async def role_users(self, request: Request) -> Response:
        self.api.admin(request)
        role = self._item("roles", request)
        from .api_routes import _user_json

        return self.api.answer(request, [_user_json(u) for u in self.state.users.values() if role["id"] in u["role_ids"]])

    def _user(self, request: Request, permission: str = "see_users") -> dict:
        me, uid = self.api.user(request), request.path_params["user_id"]
        if uid != me["id"]:
            self.api.require(me, permission)
        return self.api.get_or_404(self.state.users, uid, "user")

    async def user_roles(self, request: Request) -> Response:
        user, direct = self._user(request), request.query_params.get("direct_association_only") == "true"
        return self.api.answer(request, [self._json("roles", r)
                                         for r in access.user_roles(self.state.access, user, direct)])

    async def set_user_roles(self, request: Request) -> Response:
        self.api.admin(request)
        user = self.api.get_or_404(self.state.users, request.path_params["user_id"], "user")
        raw = request.state.body
        if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
            raise invalid("body", "must be a list of role ids (strings)")
        unknown = [r for r in raw if r not in self.state.access["roles"]]
        if unknown:
            raise invalid("body", f"role {unknown[0][:40]} does not exist", "not_found")
        with self.state.lock:
            user["role_ids"] = list(dict.fromkeys(raw))
        return self.api.answer(request, [self._json("roles", r) for r in access.user_roles(self.state.access, user)])

    async def search_users(self, request: Request) -> Response:
        from .api_routes import _user_json

        self.api.require(self.api.user(request), "see_users")
        p = request.query_params

        def matches(user: dict, key: str) -> bool:
            wanted = (p.get(key) or "").lower()
            return not wanted or all(part in str(user.get(key, "")).lower() for part in wanted.split("%"))

        found = [u for u in self.state.users.values()
                 if all(matches(u, k) for k in ("first_name", "last_name", "email"))
                 and (not p.get("id") or u["id"] in p["id"].split(","))]
        return self.api.answer(request, [_user_json(u) for u in found])

    async def session(self, request: Request) -> Response:
        self.api.user(request)
        body = request.state.body or {}
        if body.get("workspace_id") not in (None, "production"):
            raise invalid("workspace_id", "the local Looker has only the 'production' workspace")
        return JSONResponse({"workspace_id": "production", "sudo_user_id": None, "can": {"view": True, "update": True}})

    # --- user attributes -----------------------------------------------------------------------------
    def _attribute(self, request: Request) -> dict:
        return self.api.get_or_404(self.attributes, request.path_params["user_attribute_id"], "user attribute")

    async def all_attributes(self, request: Request) -> Response:
        self.api.admin(request)
        return self.api.answer(request, list(self.attributes.values()))

    async def attribute(self, request: Request) -> Response:
        self.api.admin(request)
        return self.api.answer(request, self._attribute(request))

    async def create_attribute(self, request: Request) -> Response:
        self.api.admin(request)
        body = await self.api.json_body(request)
        if any(a["name"] == body["name"] for a in self.attributes.values()):
            raise ApiProblem(409, "A user attribute with this name already exists")
        with self.state.lock:
            item = {**USER_ATTRIBUTES[1], "id": str(next(self.ids)), "name": body["name"], "label": body["label"],
                    "type": body["type"], "default_value": body.get("default_value")}
            self.attributes[item["id"]] = item
        return self.api.answer(request, item)

    async def update_attribute(self, request: Request) -> Response:
        self.api.admin(request)
        item, body = self._attribute(request), await self.api.json_body(request)
        if item["is_system"]:
            raise ApiProblem(403, "System user attributes cannot be changed.")
        item.update({k: v for k, v in body.items() if k in ("label", "default_value", "user_can_view", "user_can_edit")})
        return self.api.answer(request, item)

    async def delete_attribute(self, request: Request) -> Response:
        self.api.admin(request)
        item = self._attribute(request)
        if item["is_permanent"]:
            raise ApiProblem(403, "Permanent user attributes cannot be deleted.")
        self.attributes.pop(item["id"])
        return Response(status_code=204)

    def _value_json(self, user: dict, attribute: dict) -> dict:
        own = self.attribute_values.get((user["id"], attribute["id"]))
        value = user["email"] if attribute["name"] == "email" else own if own is not None else attribute["default_value"]
        return {"name": attribute["name"], "label": attribute["label"], "rank": None, "value": value,
                "user_id": user["id"], "user_can_edit": attribute["user_can_edit"],
                "value_is_hidden": attribute["value_is_hidden"], "user_attribute_id": attribute["id"],
                "source": "user" if own is not None else "default", "hidden_value_domain_whitelist": None,
                "can": access.CAN}

    async def user_values(self, request: Request) -> Response:
        user = self._user(request)
        return self.api.answer(request, [self._value_json(user, a) for a in self.attributes.values()])

    async def set_user_value(self, request: Request) -> Response:
        user, attribute = self._user(request, "administer"), self._attribute(request)
        body = await self.api.json_body(request)
        if not isinstance(body.get("value"), str):
            raise invalid("value", "value is required (a string)", "missing_field")
        if attribute["is_system"]:
            raise ApiProblem(403, "System user attributes cannot be set.")
        self.attribute_values[(user["id"], attribute["id"])] = body["value"]
        return self.api.answer(request, self._value_json(user, attribute))

    async def delete_user_value(self, request: Request) -> Response:
        user, attribute = self._user(request, "administer"), self._attribute(request)
        self.attribute_values.pop((user["id"], attribute["id"]), None)
        return Response(status_code=204)

    # --- users, groups' members, roles' groups and users -------------------------------------------
    async def create_user(self, request: Request) -> Response:
        from .api_routes import _user_json

        self.api.admin(request)
        body = await self.api.json_body(request)
        with self.state.lock:
            uid = str(next(self.ids))
            first, last = body.get("first_name") or "", body.get("last_name") or ""
            folder = seed.folder(str(next(self.ids)), f"{first} {last}".strip() or f"User {uid}", None,
                                 personal=True, creator=uid)
            self.state.folders[folder["id"]] = folder
            user = {"id": uid, "first_name": first, "last_name": last, "email": None, "role_ids": [],
                    "group_ids": [], "personal_folder_id": folder["id"], "api_client_id": None,
                    "api_client_secret": None, "password": None}
            self.state.users[uid] = user
        return self.api.answer(request, _user_json(user))

    async def update_user(self, request: Request) -> Response:
        from .api_routes import _user_json

        me = self.api.user(request)
        user = self.api.get_or_404(self.state.users, request.path_params["user_id"], "user")
        if user["id"] != me["id"]:
            self.api.admin(request)
        body = await self.api.json_body(request)
        user.update({k: body[k] for k in ("first_name", "last_name", "locale") if isinstance(body.get(k), str)})
        return self.api.answer(request, _user_json(user))

    async def delete_user(self, request: Request) -> Response:
        me = self.api.admin(request)
        user = self.api.get_or_404(self.state.users, request.path_params["user_id"], "user")
        if user["id"] == me["id"]:
            raise ApiProblem(403, "You cannot delete yourself.")
        with self.state.lock:
            for grant in [g for g in self.state.grants.values() if g.user_id == user["id"]]:
                self.state.revoke(grant)
            self.state.users.pop(user["id"])
        return Response(status_code=204)

    def _group(self, request: Request) -> dict:
        return self.api.get_or_404(self.state.access["groups"], request.path_params["group_id"], "group")

    async def group_users(self, request: Request) -> Response:
        from .api_routes import _user_json

        self.api.admin(request)
        group = self._group(request)
        return self.api.answer(request, [_user_json(u) for u in self.state.users.values()
                                         if group["id"] in access.user_groups(u)])

    async def add_group_user(self, request: Request) -> Response:
        from .api_routes import _user_json

        self.api.admin(request)
        group, body = self._group(request), await self.api.json_body(request)
        user = self.api.referenced(self.state.users, body, "user_id")
        if group["id"] not in access.user_groups(user):
            user.setdefault("group_ids", []).append(group["id"])
        return self.api.answer(request, _user_json(user))

    async def delete_group_user(self, request: Request) -> Response:
        self.api.admin(request)
        group = self._group(request)
        if group["id"] == access.ALL_USERS_GROUP:
            raise ApiProblem(403, "Everyone is in All Users.")
        user = self.api.get_or_404(self.state.users, request.path_params["user_id"], "user")
        if group["id"] not in user.get("group_ids", []):
            raise ApiProblem(404, "Not found")
        user["group_ids"].remove(group["id"])
        return Response(status_code=204)

    def _ids(self, request: Request, table: dict, what: str) -> list[str]:
        ids = request.state.body
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise invalid("body", f"must be a list of {what} ids (strings)")
        unknown = [i for i in ids if i not in table]
        if unknown:
            raise invalid("body", f"{what} {unknown[0][:40]} does not exist", "not_found")
        return list(dict.fromkeys(ids))

    async def role_groups(self, request: Request) -> Response:
        self.api.admin(request)
        role = self._item("roles", request)
        groups = self.state.access["groups"]
        return self.api.answer(request, [groups[g] for g in self.state.access["role_groups"].get(role["id"], [])
                                         if g in groups])

    async def set_role_groups(self, request: Request) -> Response:
        self.api.admin(request)
        role = self._item("roles", request)
        self.state.access["role_groups"][role["id"]] = self._ids(request, self.state.access["groups"], "group")
        return await self.role_groups(request)

    async def set_role_users(self, request: Request) -> Response:
        self.api.admin(request)
        role = self._item("roles", request)
        chosen = set(self._ids(request, self.state.users, "user"))
        with self.state.lock:
            for user in self.state.users.values():
                has = role["id"] in user["role_ids"]
                if user["id"] in chosen and not has:
                    user["role_ids"].append(role["id"])
                elif user["id"] not in chosen and has:
                    user["role_ids"].remove(role["id"])
        return await self.role_users(request)

    async def roles_with_user_count(self, request: Request) -> Response:
        self.api.admin(request)
        return self.api.answer(request, [{**self._json("roles", r), "user_count": sum(
            1 for u in self.state.users.values() if r["id"] in u["role_ids"])}
            for r in self.state.access["roles"].values()])
