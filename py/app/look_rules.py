"""A Look's rules, pure: the filter values a look's address carries, and what the "Save as a Look" form
lacks before anything is sent. The views that use them: app/look.py, app/save_look.py.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any


def link_values(params: "dict[str, str]") -> "list[tuple[str, str]]":
    """[(field, value)] a look's address carries (f[<field>]=<value>, as Looker's URLs name them), by field
    name: the address's own order is lost on MicroPython, whose dict keeps none."""
    return [(key[2:-1], params[key]) for key in sorted(params) if key.startswith("f[") and key.endswith("]")]


def missing(title: str, body: "dict[str, Any]", folder_id: str) -> "str | None":
    """What the Save as a Look form lacks before anything is sent, or None."""
    if not title:
        return "Give the Look a title."
    if not body["fields"]:
        return "Pick at least one field before saving."
    if not folder_id:
        return "Pick a folder to save the Look in."
    return None
