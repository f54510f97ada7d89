"""What the signed-in person may do in the app, from their Looker roles, as pure rules.

Looker answers `users/{id}/roles` (each role carries its permission set) for the person's own id.
The app offers a feature only when their permissions include what Looker checks for it, as Looker's
own menus do; when the roles cannot be read (None) everything is offered and Looker's answer decides.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

FEATURES = {  # what the app offers -> the permission Looker asks for it (docs/REAL_LOOKER.md#the-viewer)
    "explore": "explore",  # the Explore view, a Look's filter edits, drills: new queries
    "save": "save_content",  # Save as a Look
}
EVERYTHING = "*"  # an all-access permission set (Looker's Admin)


def permissions(roles):
    """The permissions of a list of Role objects (with their permission_set), as a set."""
    found = set()
    for role in roles or []:
        permission_set = role.get("permission_set") or {}
        if permission_set.get("all_access"):
            found.add(EVERYTHING)
        found.update(permission_set.get("permissions") or [])
    return found


def may(granted, feature):
    """True when `granted` (permissions(), or None when unknown) allows `feature` (a FEATURES key)."""
    return granted is None or EVERYTHING in granted or FEATURES[feature] in granted
