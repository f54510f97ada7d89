"""Looker's permission model, as seed data and pure rules (docs/REAL_LOOKER.md#what-each-role-may-call).

A user has roles; a role is a permission set (what they may do) plus a model set (which LookML models).
Running a saved query (a Look's, a dashboard tile's) needs `access_data` on its model; making a new
query needs `explore`, except the query of a dashboard tile the user can see with only the values of
the filters the dashboard's filters feed changed: Looker's dashboards let everyone who sees them change
their filters (docs/REAL_LOOKER.md#the-viewer).
Content access follows folders: a folder's access list (content metadata access: a group or a user with
"view" or "edit") applies to it and to the folders below it that have no list of their own. Admins may do
everything; a personal folder belongs to its owner.
"""

from __future__ import annotations

ALL_PERMISSIONS = (
    "access_data", "see_lookml_dashboards", "see_looks", "see_user_dashboards", "explore",
    "create_table_calculations", "save_content", "download_with_limit", "download_without_limit",
    "see_drill_overlay", "see_sql", "see_users", "see_queries", "sudo", "manage_models", "administer",
    "see_system_activity", "develop",
)
ANALYST = ("access_data", "see_lookml_dashboards", "see_looks", "see_user_dashboards", "explore",
           "create_table_calculations", "save_content", "download_without_limit", "see_drill_overlay", "see_sql")
VIEWER = ("access_data", "see_lookml_dashboards", "see_looks", "see_user_dashboards", "download_with_limit",
          "see_drill_overlay")
ALL_USERS_GROUP = "1"
CAN = {"show": True, "index": True, "update": True}


def permission_set(pid: str, name: str, permissions, all_access=False) -> dict:
    return {"id": pid, "name": name, "permissions": list(ALL_PERMISSIONS if all_access else permissions),
            "all_access": all_access, "built_in": pid == "1", "url": f"/api/4.0/permission_sets/{pid}", "can": CAN}


def model_set(mid: str, name: str, models, all_access=False) -> dict:
    return {"id": mid, "name": name, "models": list(models), "all_access": all_access, "built_in": mid == "1",
            "url": f"/api/4.0/model_sets/{mid}", "can": CAN}


def role(rid: str, name: str, permission_set_id: str, model_set_id: str) -> dict:
    return {"id": rid, "name": name, "permission_set_id": permission_set_id, "model_set_id": model_set_id,
            "internal": False, "url": f"/api/4.0/roles/{rid}", "users_url": f"/api/4.0/roles/{rid}/users",
            "can": CAN}


def group(gid: str, name: str) -> dict:
    return {"id": gid, "name": name, "can_add_to_content_metadata": True, "contains_current_user": True,
            "external_group_id": None, "externally_managed": False, "include_by_default": gid == ALL_USERS_GROUP,
            "user_count": None, "can": CAN}


def access_entry(aid: str, content_metadata_id: str, permission_type: str, group_id=None, user_id=None) -> dict:
    return {"id": aid, "content_metadata_id": content_metadata_id, "permission_type": permission_type,
            "group_id": group_id, "user_id": user_id, "can": CAN}


def seed_access() -> dict:
    """Admin, Analyst and Viewer roles; the Shared folder viewable by everyone, Operations editable by the
    analyst (folder content metadata ids equal folder ids)."""
    return {
        "permission_sets": {p["id"]: p for p in [permission_set("1", "Admin", (), all_access=True),
                                                  permission_set("2", "Analyst", ANALYST),
                                                  permission_set("3", "Viewer", VIEWER)]},
        "model_sets": {m["id"]: m for m in [model_set("1", "All", ["thelook"], all_access=True),
                                             model_set("2", "The Look", ["thelook"])]},
        "roles": {r["id"]: r for r in [role("2", "Admin", "1", "1"), role("3", "Analyst", "2", "2"),
                                        role("4", "Viewer", "3", "2")]},
        "groups": {ALL_USERS_GROUP: group(ALL_USERS_GROUP, "All Users")},
        "role_groups": {},  # role id -> ids of the groups that carry it
        "content_access": {a["id"]: a for a in [access_entry("1", "1", "view", group_id=ALL_USERS_GROUP),
                                                 access_entry("2", "3", "view", group_id=ALL_USERS_GROUP),
                                                 access_entry("3", "3", "edit", user_id="2")]},
    }


# --- rules ----------------------------------------------------------------------------------------
def user_roles(tables: dict, user: dict, direct_only: bool = False) -> list[dict]:
    """The user's own roles, then those their groups carry."""
    ids = list(user["role_ids"])
    if not direct_only:
        groups = set(user_groups(user))
        ids += [rid for rid, gids in tables["role_groups"].items() if groups & set(gids) and rid not in ids]
    return [tables["roles"][r] for r in ids if r in tables["roles"]]


def permissions(tables: dict, user: dict) -> set[str]:
    found: set[str] = set()
    for r in user_roles(tables, user):
        pset = tables["permission_sets"].get(r["permission_set_id"])
        if pset:
            found |= set(ALL_PERMISSIONS) if pset["all_access"] else set(pset["permissions"])
    return found


def models(tables: dict, user: dict) -> set[str]:
    found: set[str] = set()
    for r in user_roles(tables, user):
        mset = tables["model_sets"].get(r["model_set_id"])
        if mset:
            found |= set(mset["models"])
    return found


def is_admin(tables: dict, user: dict) -> bool:
    return "administer" in permissions(tables, user)


RANK = {None: 0, "view": 1, "edit": 2}


def folder_access(tables: dict, folders: dict, user: dict, folder_id: str | None) -> str | None:
    """'edit', 'view' or None for `user` on a folder (and so on the content in it)."""
    if is_admin(tables, user):
        return "edit"
    folder = folders.get(str(folder_id))
    seen = set()
    while folder is not None and folder["id"] not in seen:
        seen.add(folder["id"])
        if folder.get("is_personal"):
            return "edit" if folder.get("creator_id") == user["id"] else None
        entries = [a for a in tables["content_access"].values() if a["content_metadata_id"] == folder["id"]]
        if entries:  # a folder with its own list does not inherit
            mine = [a["permission_type"] for a in entries
                    if a["user_id"] == user["id"] or a["group_id"] in user_groups(user)]
            return max(mine, key=RANK.get, default=None)
        folder = folders.get(str(folder.get("parent_id")))
    return None


QUERY_SHAPE = ("model", "view", "fields", "pivots", "sorts", "limit", "total")  # what a dashboard filter never changes


def _shape(query: dict) -> list:
    return [query.get("model"), query.get("view"), list(query.get("fields") or []), list(query.get("pivots") or []),
            list(query.get("sorts") or []), str(query.get("limit") or "500"), bool(query.get("total"))]


def listened_fields(element: dict) -> set[str]:
    """The fields of a tile's query that the dashboard's filters feed."""
    maker = element.get("result_maker") or {}
    return {listen["field"] for filterable in maker.get("filterables") or [] for listen in filterable.get("listen") or []}


def is_filtered_tile(body: dict, elements) -> bool:
    """True when `body` is one of these dashboard tiles' queries with only its dashboard-filtered
    fields' values changed (what a viewer does by changing a dashboard's filters)."""
    if not isinstance(body.get("filters") or {}, dict):
        return False
    for element in elements:
        query = element.get("query")
        if not query or _shape(query) != _shape(body):
            continue
        own, given, free = query.get("filters") or {}, body.get("filters") or {}, listened_fields(element)
        if all(own.get(f) == given.get(f) for f in set(own) | set(given) if f not in free):
            return True
    return False


def user_groups(user: dict) -> list[str]:
    """Everyone is in All Users; other memberships are kept on the user."""
    return [ALL_USERS_GROUP, *user.get("group_ids", [])]
