"""Running a query body against a database (the demo's, or system__activity's) and writing the result formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

from .model import VIEWS, Field, compile_query, explore_fields

FORMATS = {
    "json": "application/json",
    "json_detail": "application/json",
    "json_label": "application/json",  # json with each field's label (view label + field label) as its key
    "csv": "text/csv",
    "txt": "text/plain",
    "sql": "text/plain",  # the SQL the query runs, not its result
}


def connect_file(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def inline_sql(sql: str, params: list) -> str:
    """The SQL with its parameters written in, as Looker shows a query's SQL (our SQL has no other '?')."""
    parts = sql.split("?")
    return parts[0] + "".join(_literal(value) + part for value, part in zip(params, parts[1:]))


def _view_label(field: Field) -> str:
    return VIEWS[field.view]["label"]


def _pivot_key(row: dict, pivots: list[str]) -> str:
    """Looker's key of a pivot value: the pivot fields' values joined by |FIELD| (∅ for null)."""
    return "|FIELD|".join("∅" if row[p] is None else str(row[p]) for p in pivots)


def _pivot(rows: list[dict], selected: list[Field], pivots: list[str]) -> tuple[list[dict], list[str]]:
    """Looker's pivoted rows: one row per non-pivot dimension tuple, measures keyed by pivot value."""
    dims = [f.qualified for f in selected if f.kind == "dimension" and f.qualified not in pivots]
    measures = [f.qualified for f in selected if f.kind == "measure"]
    keys: list[str] = []
    out: dict[tuple, dict] = {}
    for row in rows:
        key = _pivot_key(row, pivots)
        if key not in keys:
            keys.append(key)
        ident = tuple(row[d] for d in dims)
        target = out.setdefault(ident, {**{d: row[d] for d in dims}, **{m: {} for m in measures}})
        for m in measures:
            target[m][key] = row[m]
    keys.sort()
    return list(out.values()), keys


def run(connect, body: dict, fmt: str, today: dt.date, limit: int | None = None) -> tuple[str, str]:
    """(content type, text) of the query's result in `fmt`; `connect()` opens the database it runs on."""
    sql, params, selected = compile_query(body, today, limit)
    if fmt == "sql":
        return FORMATS[fmt], inline_sql(sql, params)
    db = connect()
    try:
        cursor = db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor.fetchall()]
        pivots = list(body.get("pivots") or [])
        pivot_keys: list[str] = []
        if pivots:
            rows, pivot_keys = _pivot(rows, selected, pivots)
        totals = _totals(db, body, selected, pivots, pivot_keys, today) if body.get("total") else None
    finally:
        db.close()
    if pivots:
        row_limit = limit if limit is not None else int(body.get("limit") or 500)
        if row_limit >= 0:
            rows = rows[:row_limit]
    if fmt == "json":
        return FORMATS[fmt], json.dumps(rows)
    if fmt == "json_label":
        labels = {f.qualified: f"{_view_label(f)} {f.label}" for f in selected}
        return FORMATS[fmt], json.dumps([{labels[name]: value for name, value in row.items()} for row in rows])
    if fmt == "json_detail":
        return FORMATS[fmt], json.dumps(_detail(rows, selected, pivots, pivot_keys, totals, sql, body))
    if fmt in ("csv", "txt"):
        return FORMATS[fmt], _delimited(rows, selected, pivots, pivot_keys, "," if fmt == "csv" else "\t")
    raise ValueError(fmt)


def _totals(db, body, selected, pivots, pivot_keys, today) -> dict | None:
    """Looker's totals row, as a row is shaped: each measure over every row the filters keep, or with pivots
    each measure's total per pivot value ({measure: {pivot key: total}}); None when there is no measure."""
    measures = [f.qualified for f in selected if f.kind == "measure"]
    if not measures:
        return None
    # the query again, grouped by the pivots alone (no other dimension, no sort, no row limit)
    total_body = dict(body, fields=list(dict.fromkeys(pivots)) + measures, sorts=[], pivots=[])
    cursor = db.execute(*compile_query(total_body, today, -1)[:2])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, values)) for values in cursor.fetchall()]
    if not pivots:  # one row, or none when a filter on a measure keeps no total
        return rows[0] if rows else dict.fromkeys(measures)
    by_key = {_pivot_key(row, pivots): row for row in rows}
    return {m: {key: by_key.get(key, {}).get(m) for key in pivot_keys} for m in measures}


def _cell(value) -> dict:
    """A json_detail cell: {"value": v}, or for a pivoted measure {pivot key: {"value": v}}."""
    return {k: {"value": v} for k, v in value.items()} if isinstance(value, dict) else {"value": value}


def _detail(rows, selected, pivots, pivot_keys, totals, sql, body) -> dict:
    meta = {f.qualified: f.metadata(_view_label(f)) for f in selected}
    data = [{name: _cell(value) for name, value in row.items()} for row in rows]
    result = {
        "id": None,
        "fields": {
            "dimensions": [meta[f.qualified] for f in selected if f.kind == "dimension" and f.qualified not in pivots],
            "measures": [meta[f.qualified] for f in selected if f.kind == "measure"],
            "pivots": [meta[p] for p in pivots],
            "table_calculations": [],
        },
        "pivots": [{"key": k, "is_total": False, "data": dict(zip(pivots, k.split("|FIELD|"))), "sort_values": {}}
                   for k in pivot_keys],
        "has_subtotals": False,
        "data": data,
        "sql": sql,
        "number_format": None,
        "null_sort_treatment": "low",
        "drill_menu_build_time": 0,
        "ran_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "timezone": "UTC",
        "has_totals": totals is not None,
    }
    if totals is not None:
        result["totals_data"] = {name: _cell(value) for name, value in totals.items()}
    return result


def _delimited(rows, selected, pivots, pivot_keys, sep) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\n")
    plain = [f for f in selected if f.qualified not in pivots]
    header, columns = [], []
    for f in plain:
        label = f"{_view_label(f)} {f.label}"
        if f.kind == "measure" and pivots:
            for key in pivot_keys:
                header.append(f"{label} {key.replace('|FIELD|', ' ')}")
                columns.append((f.qualified, key))
        else:
            header.append(label)
            columns.append((f.qualified, None))
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if (v := (row[n] if k is None else row[n].get(k))) is None else v for n, k in columns])
    return buffer.getvalue()


def field_names(explore: str) -> list[str]:
    return list(explore_fields(explore))
