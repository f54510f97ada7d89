"""The official Looker API 4.0 spec as the local Looker's contract: routing, parameters, schemas.

Pure code, no I/O beyond reading the vendored spec once:
- `match(method, path)` finds the spec operation for a request (literal segments win over {params});
- `parameter_problems(op, query)` checks query parameters against their declared types;
- `violations(schema, value)` checks a JSON value against a schema from `definitions`,
  strictly for answers (undeclared fields are violations) or leniently for request bodies;
- `as_declared(schema, body)` writes the numbers a body sent for id and limit fields as text.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

SPEC_FILE = Path(__file__).resolve().parent / "spec" / "Looker.4.0.json"
VERBS = ("get", "post", "put", "patch", "delete")
INT64 = 2 ** 63


@functools.lru_cache(maxsize=1)
def spec() -> dict:
    return json.loads(SPEC_FILE.read_text())


def without_prose() -> dict:
    """The spec with its `description` texts left out: every path, operation, parameter, response and
    definition stays. Half the size; the MicroPython console reads the full 1.1 MB too slowly (issue #11 report)."""

    def strip(node):
        if isinstance(node, dict):
            return {key: strip(value) for key, value in node.items()
                    if not (key == "description" and isinstance(value, str))}  # not a property named so
        if isinstance(node, list):
            return [strip(value) for value in node]
        return node

    return strip(spec())


@dataclass(frozen=True)
class Operation:
    id: str
    method: str  # upper case
    path: str  # as in the spec: /looks/{look_id}
    segments: tuple[str, ...]
    parameters: tuple[dict, ...]
    responses: dict

    @property
    def body_schema(self) -> dict | None:
        return next((p.get("schema") for p in self.parameters if p["in"] == "body"), None)

    @property
    def body_required(self) -> bool:
        return any(p["in"] == "body" and p.get("required") for p in self.parameters)

    def query_parameters(self) -> list[dict]:
        return [p for p in self.parameters if p["in"] == "query"]

    def path_parameters(self) -> list[dict]:
        return [p for p in self.parameters if p["in"] == "path"]

    def response_schema(self, status: int) -> dict | None:
        return (self.responses.get(str(status)) or {}).get("schema")

    @property
    def doc_path(self) -> str:
        """The path as Looker writes it in error documentation links: /looks/:look_id."""
        return re.sub(r"\{([^}]+)\}", r":\1", self.path)


@functools.lru_cache(maxsize=1)
def operations() -> tuple[Operation, ...]:
    found = []
    for path, verbs in spec()["paths"].items():
        for verb, op in verbs.items():
            if verb in VERBS:
                found.append(Operation(op["operationId"], verb.upper(), path, tuple(path.strip("/").split("/")),
                                       tuple(op.get("parameters") or ()), op.get("responses") or {}))
    return tuple(found)


@functools.lru_cache(maxsize=1)
def _by_length() -> dict[int, list[Operation]]:
    table: dict[int, list[Operation]] = {}
    for op in operations():
        table.setdefault(len(op.segments), []).append(op)
    for ops in table.values():  # literal segments before parameters, position by position
        ops.sort(key=lambda op: tuple(s.startswith("{") for s in op.segments))
    return table


def _bind(op: Operation, parts: list[str]) -> dict | None:
    params = {}
    for template, part in zip(op.segments, parts):
        if template.startswith("{"):
            if not part:
                return None
            params[template[1:-1]] = part
        elif template != part:
            return None
    return params


def match(method: str, path: str) -> tuple[Operation | None, dict, list[str]]:
    """(operation, path parameters, methods this path answers) for a path below /api/4.0."""
    parts = path.strip("/").split("/")
    allowed: list[str] = []
    best_template = None
    for op in _by_length().get(len(parts), []):
        params = _bind(op, parts)
        if params is None or (best_template is not None and op.segments != best_template):
            continue
        best_template = op.segments  # the most literal template that fits wins for every verb
        allowed.append(op.method)
        if op.method == method.upper():
            return op, params, allowed
    return None, {}, allowed


def declared(definition: str, item: dict) -> dict:
    """`item` cut down to the fields the spec's `definition` declares (say Look from a LookWithQuery)."""
    properties = spec()["definitions"][definition]["properties"]
    return {key: value for key, value in item.items() if key in properties}


# --- parameters ------------------------------------------------------------------------------------
def _integer_problem(text: str) -> str | None:
    if not re.fullmatch(r"-?\d{1,19}", text.strip()) or not -INT64 <= int(text) < INT64:
        return "must be a 64-bit integer"
    return None


def _date_time_problem(text: str) -> str | None:
    try:
        dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return "must be an ISO 8601 date-time"
    return None


PARAMETER_CHECKS = {
    "integer": _integer_problem,
    "boolean": lambda text: None if text in ("true", "false") else "must be true or false",
}


def parameter_problems(op: Operation, query: dict[str, str]) -> list[tuple[str, str]]:
    """[(parameter, problem)] for query values that do not fit their declared type."""
    problems = []
    for param in op.query_parameters():
        value = query.get(param["name"])
        if value is None:
            if param.get("required"):
                problems.append((param["name"], "is required"))
            continue
        check = PARAMETER_CHECKS.get(param.get("type", ""))
        if param.get("format") == "date-time":
            check = _date_time_problem
        problem = check(value) if check else None
        if problem:
            problems.append((param["name"], problem))
    return problems


# --- schemas ---------------------------------------------------------------------------------------
def resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec()["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


TYPE_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and -INT64 <= v < INT64,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "any": lambda v: True,
}
# In a request body, a string field that holds a number (an id, a row limit) also takes a JSON number, read as
# its text: the official Python SDK's own tests send `limit: 100` to create_query and pass against Looker, and
# ids were numbers before API 4.0. Any other string field (a title, a sort) must be a string.
NUMBER_AS_TEXT = re.compile(r"(?:\w+_)?id|limit|column_limit")


def _number_as_text(where: str, value) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)
            and NUMBER_AS_TEXT.fullmatch(where.rsplit(".", 1)[-1]) is not None)
TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
              "array": "an array", "object": "an object", "any": "any value"}


def violations(schema: dict, value, where: str = "", answer: bool = True, whole: bool = True) -> list[tuple[str, str]]:
    """[(field path, problem)] for `value` against `schema`.

    answer=True (what the server sends): undeclared fields and missing required fields are violations.
    answer=False (a request body): read-only and unknown fields are ignored, as Looker ignores them.
    whole=False (an answer cut down with `fields=`, or a PATCH body): required fields may be missing.
    """
    if value is None:  # null is fine unless the spec says the field is never null
        return [] if schema.get("x-looker-nullable", True) else [(where or "body", "must not be null")]
    schema = resolve(schema)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind and not TYPE_CHECKS[kind](value) and not (kind == "string" and not answer and _number_as_text(where, value)):
        return [(where or "body", f"must be {TYPE_NAMES[kind]}, not {json.dumps(value)[:40]}")]
    found = []
    if kind == "array" and "items" in schema:
        for i, item in enumerate(value):
            if item is None and not answer:
                found.append((f"{where}[{i}]", "must not be null"))
            found += violations(schema["items"], item, f"{where}[{i}]", answer, whole)
    elif kind == "object":
        declared = schema.get("properties")
        for key, item in value.items():
            name = f"{where}.{key}" if where else key
            if declared is not None and key in declared:
                if answer or not declared[key].get("readOnly"):
                    found += violations(declared[key], item, name, answer, whole)
            elif isinstance(schema.get("additionalProperties"), dict):
                found += violations(schema["additionalProperties"], item, name, answer, whole)
            elif answer and declared is not None:
                found.append((name, "is not declared by the spec"))
        if whole:
            found += [(f"{where}.{key}" if where else key, "is required but missing")
                      for key in schema.get("required", []) if key not in value]
    return found


def as_declared(schema: dict, value, where: str = ""):
    """A request body (one violations() accepted) with the numbers sent for id and limit fields written as text."""
    if value is None:
        return None
    schema = resolve(schema)
    kind = schema.get("type") or ("object" if "properties" in schema else None)
    if kind == "string" and _number_as_text(where, value):
        return str(value)
    if kind == "object" and isinstance(value, dict):  # read-only fields were not checked: they may be anything
        declared = schema.get("properties") or {}
        return {key: as_declared(declared[key], item, key) if key in declared else item for key, item in value.items()}
    return value
