"""Write the API console's reference, generated from the official API 4.0 spec (never kept by hand).

The local Looker serves swagger.json without prose (MicroPython was slow to parse 1.6 MB), so
the console ships its own compact index instead: every method's summary, description,
parameters and response type, and every type's fields, in the spec's order. Order lives in
lists (MicroPython's dict does not keep it). The page fetches it once, when the console first
opens; the browser's JSON.parse reads it and Python converts only the method on screen.

    python -m scripts.api_index      # make setup runs it: static/api/looker-4.0.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "local_looker" / "spec" / "Looker.4.0.json"  # the official spec (provenance: its README)
INDEX = ROOT / "static" / "api" / "looker-4.0.json"
VERBS = ("get", "post", "put", "patch", "delete")


def type_name(schema: dict) -> str:
    """A schema as the API Explorer names it: Look, Look[], Hash[string], string (date-time)."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "any")
    if kind == "array":
        return type_name(schema.get("items", {})) + "[]"
    if kind == "object" and "additionalProperties" in schema:
        return "Hash[" + type_name(schema["additionalProperties"]) + "]"
    return kind + (" (" + schema["format"] + ")" if "format" in schema else "")


def referenced(schema: dict) -> str | None:
    """The definition a schema points at, through arrays and hashes."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for inner in ("items", "additionalProperties"):
        if isinstance(schema.get(inner), dict):
            return referenced(schema[inner])
    return None


def parameter(param: dict) -> list:
    """[name, in, type, required, description, type's definition or ""]."""
    schema = param.get("schema", param)
    return [param["name"], param["in"], type_name(schema), bool(param.get("required")),
            (param.get("description") or "").strip(), referenced(schema) or ""]


def method(path: str, verb: str, op: dict) -> tuple[list, dict]:
    """(the search row, the details) of one operation."""
    ok = [code for code in op["responses"] if code.startswith("2")]
    answer = op["responses"][ok[0]] if ok else {}
    schema = answer.get("schema", {})
    row = [op["operationId"], verb, path, op["tags"][0], op.get("summary", ""), op.get("x-looker-status", "")]
    details = {
        "description": (op.get("description") or "").strip(),
        "params": [parameter(p) for p in op.get("parameters", [])],
        "response": [ok[0] if ok else "", type_name(schema) if schema else "", answer.get("description", ""),
                     referenced(schema) or ""],
        "produces": op.get("produces", []),
    }
    return row, details


def type_fields(definition: dict) -> dict:
    fields = [[name, type_name(schema), (schema.get("description") or "").strip(), bool(schema.get("readOnly")),
               referenced(schema) or ""]
              for name, schema in definition.get("properties", {}).items()]
    return {"description": definition.get("description", ""), "fields": fields}


def build_index(spec: dict) -> dict:
    rows, details = [], {}
    for path, verbs in spec["paths"].items():
        for verb in VERBS:
            if verb in verbs:
                row, detail = method(path, verb, verbs[verb])
                rows.append(row)
                details[row[0]] = detail
    return {
        "version": spec["info"]["version"],
        "source": "looker-open-source/sdk-codegen spec/Looker.4.0.json (MIT, Copyright (c) Google LLC)",
        "tags": [[tag["name"], tag.get("description", "")] for tag in spec["tags"]],
        "methods": rows,  # [id, verb, path, tag, summary, status]
        "details": details,
        "types": {name: type_fields(d) for name, d in spec["definitions"].items()},
    }


def main() -> None:
    index = build_index(json.loads(SPEC.read_text()))
    text = json.dumps(index, separators=(",", ":"), ensure_ascii=False)
    INDEX.parent.mkdir(parents=True, exist_ok=True)
    if not INDEX.exists() or INDEX.read_text() != text:
        INDEX.write_text(text)
    print(f"api_index: {len(index['methods'])} methods, {len(index['types'])} types, "
          f"{len(text.encode()) // 1024} KB in {INDEX.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
