"""/api/4.0/swagger.json for the API console: every API 4.0 method, read from the official SDK.

The official looker_sdk's Looker40SDK has one method per endpoint; each calls
self.get/post/put/patch/delete with the path. Reading that source gives the
real list of ~500 operations, their parameters and which take a body.
"""

from __future__ import annotations

import ast
import functools
import inspect

TYPES = {"str": "string", "int": "integer", "bool": "boolean", "float": "number"}


def _param_type(annotation: ast.expr | None) -> tuple[str, bool, str | None]:
    """(swagger type, required, body model name) from an annotation like Optional[int] or mdls.WriteQuery."""
    text = ast.unparse(annotation) if annotation is not None else "str"
    required = not text.startswith("Optional[")
    inner = text[len("Optional["):-1] if not required else text
    if inner.startswith("mdls.") or inner.startswith("Sequence[mdls."):
        return "object", required, inner.replace("Sequence[", "").rstrip("]").replace("mdls.", "")
    if inner.startswith(("Sequence", "MutableSequence", "mdls.DelimSequence")):
        return "array", required, None
    return TYPES.get(inner, "string"), required, None


@functools.lru_cache(maxsize=1)
def spec(api_url: str) -> dict:
    from looker_sdk.sdk.api40 import methods

    tree = ast.parse(inspect.getsource(methods))
    sdk_class = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Looker40SDK")
    paths: dict[str, dict] = {}
    for func in sdk_class.body:
        if not isinstance(func, ast.FunctionDef) or func.name.startswith("_"):
            continue
        call = next((n for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                     and isinstance(n.func.value, ast.Name) and n.func.value.id == "self"
                     and n.func.attr in ("get", "post", "put", "patch", "delete")), None)
        if call is None:
            continue
        path_node = next((k.value for k in call.keywords if k.arg == "path"), None)
        if path_node is None:
            continue
        if isinstance(path_node, ast.JoinedStr):
            path = "".join(v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
                           for v in path_node.values)
        else:
            path = ast.literal_eval(path_node)
        path_params = {seg[1:-1] for seg in path.split("/") if seg.startswith("{")}
        parameters = []
        for arg in func.args.args[1:] + func.args.kwonlyargs:
            if arg.arg == "transport_options":
                continue
            kind, required, model = _param_type(arg.annotation)
            if arg.arg == "body":
                parameters.append({"name": "body", "in": "body", "required": required,
                                   "schema": {"$ref": "#/definitions/" + (model or "object")}})
            else:
                parameters.append({"name": arg.arg, "in": "path" if arg.arg in path_params else "query",
                                   "type": kind, "required": required or arg.arg in path_params})
        doc = ast.get_docstring(func) or ""
        paths.setdefault(path, {})[call.func.attr] = {
            "operationId": func.name, "summary": doc.splitlines()[0] if doc else func.name,
            "description": doc, "parameters": parameters, "tags": [],
        }
    return {"swagger": "2.0", "info": {"title": "Looker API 4.0 Reference", "version": "4.0.26.22"},
            "basePath": "/api/4.0", "host": api_url.split("://", 1)[1], "schemes": [api_url.split(":", 1)[0]],
            "paths": paths}
