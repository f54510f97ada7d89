"""The rows of the system__activity model: the local Looker's own dashboards, Looks and users, copied into
an in-memory SQLite database each time a query runs on it (model.py declares its views and explores).

Content in the trash (soft-deleted) is listed, as System Activity lists it; permanently deleted content is not.
"""

from __future__ import annotations

import sqlite3

TABLES = {  # table -> its columns, in the order rows() writes them
    "dashboard": ("id", "title", "description", "created_at", "user_id"),
    "look": ("id", "title", "description", "created_at", "user_id"),
    "user": ("id", "name", "email"),
}


def rows(state) -> dict[str, list[tuple]]:
    """Each table's rows, read from State under its lock (call it on the event loop, not in a worker)."""
    with state.lock:
        return {
            "dashboard": [(int(d["id"]), d["title"], d.get("description"), d.get("created_at"), _id(d.get("user_id")))
                          for d in state.dashboards.values()],
            "look": [(int(lk["id"]), lk["title"], lk.get("description"), lk.get("created_at"), _id(lk.get("user_id")))
                     for lk in state.looks.values()],
            "user": [(int(u["id"]), f"{u['first_name']} {u['last_name']}".strip(), u.get("email"))
                     for u in state.users.values()],
        }


def _id(value) -> int | None:
    """Ids are numbers in these tables (so joins on them match)."""
    return None if value is None else int(value)


def connect(tables: dict[str, list[tuple]]) -> sqlite3.Connection:
    """An in-memory database holding `tables` (from rows())."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    for name, columns in TABLES.items():
        db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        db.executemany(f"INSERT INTO {name} VALUES ({', '.join('?' * len(columns))})", tables[name])
    return db
