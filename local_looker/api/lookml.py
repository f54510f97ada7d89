"""LookML metadata: the models (thelook; system__activity for those who may see System Activity) and their
explores, with their fields."""

from __future__ import annotations

from starlette.responses import Response

from ..errors import ApiProblem
from ..model import ACTIVITY_MODEL, EXPLORE_LABELS, MODEL_LABELS, MODELS, VIEWS, explore_fields
from .context import Ctx


def _models(ctx: Ctx) -> list[str]:
    """The models the caller may see: as on Looker, System Activity by permission, not by model set."""
    return [m for m in MODELS if m != ACTIVITY_MODEL or ctx.state.can(ctx.user, "see_system_activity")]


def _model_json(model: str) -> dict:
    return {"name": model, "label": MODEL_LABELS[model], "project_name": model, "unlimited_db_connections": False,
            "has_content": True, "allowed_db_connection_names": ["demo"],
            "explores": [{"name": e, "label": EXPLORE_LABELS[e], "description": None,
                          "group_label": MODEL_LABELS[model], "hidden": False} for e in MODELS[model]],
            "can": {"index": True, "show": True}}


def _model(ctx: Ctx) -> str:
    model = ctx.params["lookml_model_name"]
    if model not in _models(ctx):
        raise ApiProblem(404, "Not found")
    return model


async def all_lookml_models(ctx: Ctx) -> Response:
    return ctx.answer([_model_json(m) for m in _models(ctx)])


async def lookml_model(ctx: Ctx) -> Response:
    return ctx.answer(_model_json(_model(ctx)))


async def lookml_model_explore(ctx: Ctx) -> Response:
    model, name = _model(ctx), ctx.params["explore_name"]
    if name not in MODELS[model]:
        raise ApiProblem(404, "Not found")
    metas = [f.metadata(VIEWS[f.view]["label"]) for f in explore_fields(name, model).values()]
    base, joins = MODELS[model][name]
    return ctx.answer({
        "id": f"{model}::{name}", "name": name, "label": EXPLORE_LABELS[name], "model_name": model,
        "view_name": base, "description": None, "hidden": False, "group_label": MODEL_LABELS[model],
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
