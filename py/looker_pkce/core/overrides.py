"""What a published page changes of a Looker dashboard, pure: tile order, titles, hidden tiles and
styles, by tile id (the page folder's dashboard.toml, which `looker-pkce build` checks and writes
as dashboard.json).

The file names ids only. Everything else (queries, fields, filters) is read from Looker after the
visitor signs in, so a published page says nothing about the data model.

    dashboard = "1"               # the dashboard's id in Looker
    order = ["3", "1"]            # these tiles first, in this order; the others follow in Looker's
    hidden = ["2"]                # tiles the page leaves out
    [titles]
    "1" = "Revenue this year"     # a tile's title on this page
    [styles."1"]
    "--tile-accent" = "#8a3b00"   # CSS custom properties set on the tile (see components.css)

With `order` or `hidden`, the tiles flow in the page's order, each keeping Looker's width and height;
without them, they keep Looker's places.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

from . import layout

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    from .layout import Placed

KEYS = ("dashboard", "look", "order", "hidden", "titles", "styles")
SAFE_VALUE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 #%.,-_()/'\""  # no ; { } < > \ :


def problems(data: "dict[str, Any]") -> "list[str]":
    """What is wrong with a parsed dashboard.toml, one sentence each; [] when it is right."""
    found = ["unknown key “" + key + "”: use " + ", ".join(KEYS) for key in sorted(data) if key not in KEYS]
    if ("dashboard" in data) == ("look" in data):
        found.append("name either dashboard = \"ID\" or look = \"ID\" (the id in Looker), not "
                     + ("both" if "dashboard" in data else "neither"))
    for key in ("dashboard", "look"):
        if key in data and not _id(data[key]):
            found.append(key + " must be an id as a string, e.g. \"1\"")
    for key in ("order", "hidden"):
        if key in data and not (isinstance(data[key], list) and all(_id(v) for v in data[key])):
            found.append(key + " must be a list of tile ids as strings, e.g. [\"1\", \"2\"]")
    titles = data.get("titles", {})
    if not isinstance(titles, dict) or not all(_id(k) and isinstance(v, str) for k, v in titles.items()):
        found.append("[titles] maps tile ids to titles: \"1\" = \"Revenue\"")
    styles = data.get("styles", {})
    if not isinstance(styles, dict) or not all(_id(k) and isinstance(v, dict) for k, v in styles.items()):
        found.append("[styles.\"ID\"] maps CSS custom properties to values: \"--tile-accent\" = \"#8a3b00\"")
    else:
        for tile, props in styles.items():
            for name, value in props.items():
                if not (isinstance(name, str) and name.startswith("--") and _word(name[2:])):
                    found.append("styles of tile " + tile + ": “" + str(name) + "” is not a CSS custom property (--name)")
                elif not (isinstance(value, str) and all(c in SAFE_VALUE for c in value)):
                    found.append("styles of tile " + tile + ": the value of " + name + " may hold letters, digits, "
                                 "spaces and # % . , - _ ( ) / quotes only")
    return found


def _id(value: object) -> bool:  # "1", or a LookML dashboard's "model::name"
    return isinstance(value, str) and all(_word(part) for part in value.split("::", 1))


def _word(text: str) -> bool:
    return text != "" and all(c.isalpha() or c.isdigit() or c in "-_" for c in text)


def apply(placed: "Placed", page: "dict[str, Any]") -> "Placed":
    """[(element, place)] from layout.placements, changed as the page says: hidden tiles left out,
    titles replaced (a copy of the element; Looker's answer is not changed), ordered tiles first."""
    hidden = page.get("hidden") or []
    titles = page.get("titles") or {}
    order = page.get("order") or []
    shown = []
    for element, place in placed:
        key = str(element.get("id") or "")
        if key in hidden:
            continue
        if key in titles:
            element = dict(element)
            element["title"] = titles[key]
            element["title_text"] = titles[key]
        shown.append((element, place))
    if not order and not hidden:
        return shown
    rank = {key: index for index, key in enumerate(order)}
    ranked = sorted(range(len(shown)), key=lambda i: (rank.get(str(shown[i][0].get("id") or ""), len(order)), i))
    return flow([shown[i] for i in ranked])


def flow(placed: "Placed") -> "Placed":
    """Tiles in the given order, left to right and down, each keeping its width and height."""
    out, column, row, bottom = [], 0, 0, 0
    for element, place in placed:
        if column + place["width"] > layout.COLUMNS:
            column, row = 0, bottom
        out.append((element, {"column": column, "row": row, "width": place["width"], "height": place["height"]}))
        column += place["width"]
        bottom = max(bottom, row + place["height"])
    return out


def styles(page: "dict[str, Any]", element_id: object) -> "list[tuple[str, str]]":
    """[(CSS custom property, value)] the page sets on a tile, in name order."""
    props = (page.get("styles") or {}).get(str(element_id or "")) or {}
    return [(name, props[name]) for name in sorted(props)]
