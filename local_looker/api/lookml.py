"""LookML metadata: the one model and its explores, with their fields."""

from __future__ import annotations

from starlette.responses import Response

from ..errors import ApiProblem
from ..model import EXPLORE_LABELS, EXPLORES, MODEL, VIEWS, explore_fields
from .context import Ctx


def _model_json() -> dict:
    return {"name": MODEL, "label": "The Look", "project_name": MODEL, "unlimited_db_connections": False,
            "has_content": True, "allowed_db_connection_names": ["demo"],
            "explores": [{"name": e, "label": EXPLORE_LABELS[e], "description": None, "group_label": "The Look",
                          "hidden": False} for e in EXPLORES],
            "can": {"index": True, "show": True}}


async def all_lookml_models(ctx: Ctx) -> Response:
    return ctx.answer([_model_json()])


async def lookml_model(ctx: Ctx) -> Response:
    if ctx.params["lookml_model_name"] != MODEL:
        raise ApiProblem(404, "Not found")
    return ctx.answer(_model_json())


async def lookml_model_explore(ctx: Ctx) -> Response:
    name = ctx.params["explore_name"]
    if ctx.params["lookml_model_name"] != MODEL or name not in EXPLORES:
        raise ApiProblem(404, "Not found")
    fields = explore_fields(name)
    metas = [f.metadata(VIEWS[f.view]["label"]) for f in fields.values()]
    base, joins = EXPLORES[name]
    return ctx.answer({
        "id": f"{MODEL}::{name}", "name": name, "label": EXPLORE_LABELS[name], "model_name": MODEL,
        "view_name": base, "description": None, "hidden": False, "group_label": "The Look",
        "connection_name": "demo", "null_sort_treatment": "low", "files": [], "tags": [],
        "fields": {"dimensions": [m for m in metas if m["category"] == "dimension"],
                   "measures": [m for m in metas if m["category"] == "measure"],
                   "filters": [], "parameters": []},
        "joins": [{"name": v, "dependent_fields": [], "fields": [], "foreign_key": None, "from": None,
                   "outer_only": False, "relationship": "many_to_one", "required_joins": [], "sql_foreign_key": None,
                   "sql_on": sql.split(" ON ", 1)[1], "sql_table_name": None, "type": "left_outer", "view_label": None}
                  for v, sql in joins],
        "scopes": [base] + [v for v, _ in joins], "can_total": True, "can_save": True, "can_explain": False,
        "can_pivot_in_db": True, "can_subtotal": True, "has_timezone_support": True,
        "supports_cost_estimate": False, "always_filter": [], "conditionally_filter": [],
        "index_fields": [], "sets": [], "access_filters": [], "aliases": [],
    })


HANDLERS = {"all_lookml_models": all_lookml_models, "lookml_model": lookml_model,
            "lookml_model_explore": lookml_model_explore}
