"""How content looks: color collections (the instance's default one is settable) and theme validation."""

from __future__ import annotations

import re

from starlette.responses import Response

from ..errors import ApiProblem
from .context import Ctx

# Standard collections; each has one palette of each kind, as Looker's standard collections do
_CATEGORICAL = {
    "looker": ("Looker", ["#7CB342", "#26A69A", "#AB47BC", "#00ACC1", "#5C6BC0", "#EC407A", "#FFA726", "#8D6E63"]),
    "google": ("Google", ["#4285F4", "#EA4335", "#FBBC04", "#34A853", "#5F6368", "#185ABC", "#B31412", "#EA8600"]),
    "colorblind": ("Color Blind Safe", ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                                         "#F0E442", "#000000"]),
}
COLLECTIONS = {
    cid: {"id": cid, "label": label,
          "categoricalPalettes": [{"id": f"{cid}-categorical-0", "label": f"{label} Categorical", "type": "Categorical",
                                   "colors": colors}],
          "sequentialPalettes": [{"id": f"{cid}-sequential-0", "label": f"{label} Sequential", "type": "Sequential",
                                  "stops": [{"color": "#FFFFFF", "offset": 0}, {"color": colors[0], "offset": 100}]}],
          "divergingPalettes": [{"id": f"{cid}-diverging-0", "label": f"{label} Diverging", "type": "Diverging",
                                 "stops": [{"color": colors[1], "offset": 0}, {"color": "#FFFFFF", "offset": 50},
                                           {"color": colors[0], "offset": 100}]}]}
    for cid, (label, colors) in _CATEGORICAL.items()
}
DEFAULT_COLLECTION = "looker"


# --- color collections ----------------------------------------------------------------------------
def _admin_or_404(ctx: Ctx) -> None:
    """Color collection admin calls answer 404, not 403, to anyone else (the spec says so)."""
    if not ctx.state.is_admin(ctx.user):
        raise ApiProblem(404, "Not found")


async def all_color_collections(ctx: Ctx) -> Response:
    _admin_or_404(ctx)
    return ctx.answer(list(COLLECTIONS.values()))


async def color_collections_standard(ctx: Ctx) -> Response:
    _admin_or_404(ctx)
    return ctx.answer(list(COLLECTIONS.values()))


async def color_collections_custom(ctx: Ctx) -> Response:
    _admin_or_404(ctx)
    return ctx.answer([])


async def color_collection(ctx: Ctx) -> Response:
    _admin_or_404(ctx)
    return ctx.answer(ctx.get_or_404(COLLECTIONS, ctx.params["collection_id"]))


async def default_color_collection(ctx: Ctx) -> Response:
    return ctx.answer(COLLECTIONS[ctx.store.default_color_collection or DEFAULT_COLLECTION])


async def set_default_color_collection(ctx: Ctx) -> Response:
    _admin_or_404(ctx)
    wanted = ctx.query["collection_id"]  # required: the dispatcher checked it is there
    if wanted not in COLLECTIONS:
        raise ApiProblem(422, "Validation Failed", [("collection_id", "not_found", "no such color collection")])
    ctx.store.default_color_collection = wanted
    return ctx.answer(COLLECTIONS[wanted])


# --- themes ------------------------------------------------------------------------------------------
# The name rule is create_theme's ("only alphanumeric characters or underscores"); the settings rules are an
# assumption (Looker documents no format), chosen so the official SDK's test themes pass and "Arial;" does not.
THEME_NAME = re.compile(r"[A-Za-z0-9_]+")
COLOR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|rgba?\([\d\s.,%]+\)|[a-zA-Z]+")
SIZE = re.compile(r"\d+(?:\.\d+)?(?:px|em|rem|%)")
FONT_FAMILY = re.compile(r"""[\w\s"',-]+""")  # font names, quoted or not, separated by commas
SETTING_RULES = {  # ThemeSettings field suffix -> (pattern, what it must be); "" is always allowed (the default)
    "_color": (COLOR, "a CSS color (#rrggbb, rgb(...) or a color name)"),
    "_size": (SIZE, "a CSS size such as 12px"),
    "font_family": (FONT_FAMILY, "a comma-separated list of font names"),
}


def theme_problems(theme: dict) -> list[tuple[str, str, str]]:
    """[(field, code, message)] for a Theme body; empty when it is valid."""
    problems = []
    name = theme.get("name")
    if not isinstance(name, str) or not name:
        problems.append(("name", "missing_field", "name is required"))
    elif not THEME_NAME.fullmatch(name):
        problems.append(("name", "invalid", "name can only contain letters, digits and underscores"))
    for key, value in (theme.get("settings") or {}).items():
        for suffix, (pattern, what) in SETTING_RULES.items():
            if key.endswith(suffix) and isinstance(value, str) and value and not pattern.fullmatch(value.strip()):
                problems.append((f"settings.{key}", "invalid", f"{key} must be {what}"))
    return problems


async def validate_theme(ctx: Ctx) -> Response:
    """204 when the theme is valid; 422 naming each field that is not."""
    problems = theme_problems(ctx.json_body())
    if problems:
        raise ApiProblem(422, "Validation Failed", problems)
    return Response(status_code=204)


HANDLERS = {
    "all_color_collections": all_color_collections, "color_collections_standard": color_collections_standard,
    "color_collections_custom": color_collections_custom, "color_collection": color_collection,
    "default_color_collection": default_color_collection, "set_default_color_collection": set_default_color_collection,
    "validate_theme": validate_theme,
}
