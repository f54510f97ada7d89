"""Dashboard layout maths, pure: Looker's dashboard_layouts on its 24-column grid.

Each tile gets (column, row, width, height) in grid units, in reading order, so a phone can
stack them in one column in the same order Looker does.
"""

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    Place = dict[str, int]  # {"column", "row", "width", "height"} in grid units
    Placed = list[tuple[dict[str, Any], Place]]  # (dashboard element, its place)

COLUMNS = 24  # Looker's newspaper layout
DEFAULT: dict[str, int] = {"width": 8, "height": 6}  # a tile the layout does not place


def active_layout(board: "dict[str, Any]") -> "dict[str, Any] | None":
    layouts = [lay for lay in board.get("dashboard_layouts") or [] if not lay.get("deleted")]
    active = [lay for lay in layouts if lay.get("active")]
    return (active or layouts or [None])[0]


def placements(board: "dict[str, Any]") -> "Placed":
    """[(element, {"column", "row", "width", "height"})] in reading order (row, then column).

    Elements the layout does not place follow, in the dashboard's order, flowing left to right."""
    elements = board.get("dashboard_elements") or []
    layout = active_layout(board)
    by_element: "dict[Any, dict[str, Any]]" = {}
    for component in (layout or {}).get("dashboard_layout_components") or []:
        if not component.get("deleted"):
            by_element[component.get("dashboard_element_id")] = component
    placed: "Placed" = []
    loose: "list[dict[str, Any]]" = []
    for element in elements:
        component = by_element.get(element.get("id"))
        if component is None:
            loose.append(element)
            continue
        width = max(1, min(COLUMNS, int(component.get("width") or DEFAULT["width"])))
        column = max(0, min(COLUMNS - width, int(component.get("column") or 0)))
        placed.append((element, {"column": column, "row": max(0, int(component.get("row") or 0)),
                                 "width": width, "height": max(1, int(component.get("height") or DEFAULT["height"]))}))
    placed.sort(key=lambda pair: (pair[1]["row"], pair[1]["column"]))
    settle(placed)
    bottom = max([p["row"] + p["height"] for _, p in placed] or [0])
    for index, element in enumerate(loose):
        per_row = COLUMNS // DEFAULT["width"]
        placed.append((element, {"column": (index % per_row) * DEFAULT["width"],
                                 "row": bottom + (index // per_row) * DEFAULT["height"],
                                 "width": DEFAULT["width"], "height": DEFAULT["height"]}))
    return placed


def overlaps(a: "Place", b: "Place") -> bool:
    return (a["column"] < b["column"] + b["width"] and b["column"] < a["column"] + a["width"]
            and a["row"] < b["row"] + b["height"] and b["row"] < a["row"] + a["height"])


def settle(placed: "Placed") -> None:
    """Move a tile that overlaps an earlier one down below it, as Looker's grid does, never up."""
    for index in range(len(placed)):
        place = placed[index][1]
        moved = True
        while moved:
            moved = False
            for _, earlier in placed[:index]:
                if overlaps(place, earlier):
                    place["row"] = earlier["row"] + earlier["height"]
                    moved = True
    placed.sort(key=lambda pair: (pair[1]["row"], pair[1]["column"]))


def grid_style(place: "Place") -> list[tuple[str, str]]:
    """[(CSS custom property, value)] for a tile: static/app.css turns them into grid lines on a wide
    screen; a phone ignores them and stacks tiles in reading order."""
    return [("--col", str(place["column"] + 1)), ("--row", str(place["row"] + 1)),
            ("--w", str(place["width"])), ("--h", str(place["height"]))]
