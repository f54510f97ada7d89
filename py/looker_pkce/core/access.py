"""What the signed-in person may do, from their Looker roles, as pure rules.

Looker answers `users/{id}/roles` (each role carries its permission set) for the person's own id.
A page offers a feature only when their permissions include what Looker checks for it, as Looker's
own menus do; when the roles cannot be read (None) everything is offered and Looker's answer decides.
The reference app and the dashboard component (browser/dashboard.py: drills) both follow these.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

from .compat import quote

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

FEATURES = {  # what a page offers -> the permission Looker asks for it (docs/REAL_LOOKER.md#the-viewer)
    "explore": "explore",  # the Explore view, a Look's filter edits, drills: new queries
    "save": "save_content",  # Save as a Look
}
EVERYTHING = "*"  # an all-access permission set (Looker's Admin)


def roles_path(user: "dict[str, Any]") -> str:
    """The API path of the roles of `user` (Looker's `user` answer: the signed-in person)."""
    return "users/" + quote(str(user["id"])) + "/roles"


def permissions(roles: "list[dict[str, Any]] | None") -> "set[str]":
    """The permissions of a list of Role objects (with their permission_set), as a set."""
    found: "set[str]" = set()
    for role in roles or []:
        permission_set = role.get("permission_set") or {}
        if permission_set.get("all_access"):
            found.add(EVERYTHING)
        found.update(permission_set.get("permissions") or [])
    return found


def may(granted: "set[str] | None", feature: str) -> bool:
    """True when `granted` (permissions(), or None when unknown) allows `feature` (a FEATURES key)."""
    return granted is None or EVERYTHING in granted or FEATURES[feature] in granted
