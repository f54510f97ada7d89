"""A small LookML-like model and the compiler from Looker query bodies to SQL.

Two models: "thelook" over the demo database, and a small "system__activity" over the local
Looker's own content and users (its rows come from `activity.py`). Explores join views; views have
dimensions (with time dimension groups: date/week/month/quarter/year) and measures (count, sum,
average, count_distinct). `compile_query` turns a Looker query body
(fields, filters, sorts, limit, pivots) into one parameterised SQL string.
"""

from __future__ import annotations

import datetime as dt
import re

MODEL = "thelook"
ACTIVITY_MODEL = "system__activity"  # Looker's System Activity, as its queries name it
TIMEFRAMES = {
    "time": "strftime('%Y-%m-%d %H:%M:%S', {sql})",
    "date": "date({sql})",
    "week": "date({sql}, 'weekday 1', '-7 days')",
    "month": "strftime('%Y-%m', {sql})",
    "quarter": "strftime('%Y', {sql}) || '-Q' || ((cast(strftime('%m', {sql}) as integer) + 2) / 3)",
    "year": "cast(strftime('%Y', {sql}) as integer)",
}


class Field:
    def __init__(self, model, view, name, sql, kind, type_, label, timeframe=None, group=None, measure=None):
        self.model, self.view, self.name, self.sql, self.kind, self.type = model, view, name, sql, kind, type_
        self.label, self.timeframe, self.group, self.measure = label, timeframe, group, measure

    @property
    def qualified(self):
        return f"{self.view}.{self.name}"

    def metadata(self, view_label: str) -> dict:
        """The field as lookml_model_explore describes it (LookmlModelExploreField)."""
        return {
            "name": self.qualified,
            "label": f"{view_label} {self.label}",
            "label_short": self.label,
            "view": self.view,
            "view_label": view_label,
            "type": self.type,
            "category": self.kind,
            "is_numeric": self.type in ("number", "count", "sum", "average", "count_distinct", "date_year"),
            "is_timeframe": self.timeframe is not None,
            "is_filter": False,
            "is_fiscal": False,
            "hidden": False,
            "measure": self.kind == "measure",
            "dimension_group": self.group,
            "time_interval": None,
            "sql": self.sql,
            "description": None,
            "can_filter": True,
            "sortable": True,
            "suggestable": self.kind == "dimension" and self.type == "string",
            "project_name": self.model,
            "scope": self.view,
            "enumerations": None,
            "lookml_link": None,
            "tags": [],
            "value_format_name": VALUE_FORMATS.get(self.qualified, (None, None))[0],
            "value_format": VALUE_FORMATS.get(self.qualified, (None, None))[1],
            "drill_fields": DRILL_FIELDS.get(self.qualified, []),
            "has_drills_metadata": self.qualified in DRILL_FIELDS,
        }


# As LookML would declare them: value formats (name, Excel-style format) and drill fields of measures
_USD = ("usd", "$#,##0.00")
VALUE_FORMATS = {
    "order_items.sale_price": _USD, "order_items.total_sale_price": _USD, "order_items.average_sale_price": _USD,
    "products.retail_price": _USD, "products.average_retail_price": _USD, "users.average_age": ("decimal_1", "0.0"),
}
_ORDER_DRILL = ["order_items.id", "order_items.created_date", "users.state", "products.name",
                "order_items.sale_price"]
DRILL_FIELDS = {
    "order_items.count": _ORDER_DRILL, "order_items.total_sale_price": _ORDER_DRILL,
    "order_items.order_count": ["orders.id", "orders.created_date", "orders.status"],
    "users.count": ["users.id", "users.first_name", "users.last_name", "users.state"],
    "products.count": ["products.id", "products.name", "products.brand", "products.category"],
}


def _view(name, label, dims, groups, measures, model=MODEL):
    fields = {}
    for fname, sql, type_, flabel in dims:
        fields[f"{name}.{fname}"] = Field(model, name, fname, sql, "dimension", type_, flabel)
    for gname, sql, glabel in groups:
        for tf, template in TIMEFRAMES.items():
            f = Field(model, name, f"{gname}_{tf}", template.format(sql=sql), "dimension", f"date_{tf}",
                      f"{glabel} {tf.title()}", timeframe=tf, group=gname)
            f.raw = sql
            fields[f.qualified] = f
    for mname, sql, mtype, mlabel in measures:
        fields[f"{name}.{mname}"] = Field(model, name, mname, sql, "measure", mtype, mlabel)
    return {"name": name, "label": label, "fields": fields}


VIEWS = {
    v["name"]: v
    for v in [
        _view("order_items", "Order Items",
              [("id", "order_items.id", "number", "ID"), ("order_id", "order_items.order_id", "number", "Order ID"),
               ("sale_price", "order_items.sale_price", "number", "Sale Price"),
               ("status", "order_items.status", "string", "Status")],
              [("created", "order_items.created_at", "Created"), ("returned", "order_items.returned_at", "Returned")],
              [("count", "COUNT(*)", "count", "Count"),
               ("total_sale_price", "ROUND(SUM(order_items.sale_price), 2)", "sum", "Total Sale Price"),
               ("average_sale_price", "ROUND(AVG(order_items.sale_price), 2)", "average", "Average Sale Price"),
               ("order_count", "COUNT(DISTINCT order_items.order_id)", "count_distinct", "Order Count")]),
        _view("orders", "Orders",
              [("id", "orders.id", "number", "ID"), ("status", "orders.status", "string", "Status")],
              [("created", "orders.created_at", "Created")],
              [("count", "COUNT(DISTINCT orders.id)", "count", "Count")]),
        _view("users", "Users",
              [("id", "users.id", "number", "ID"), ("first_name", "users.first_name", "string", "First Name"),
               ("last_name", "users.last_name", "string", "Last Name"), ("email", "users.email", "string", "Email"),
               ("age", "users.age", "number", "Age"), ("gender", "users.gender", "string", "Gender"),
               ("city", "users.city", "string", "City"), ("state", "users.state", "string", "State"),
               ("country", "users.country", "string", "Country")],
              [("created", "users.created_at", "Created")],
              [("count", "COUNT(DISTINCT users.id)", "count", "Count"),
               ("average_age", "ROUND(AVG(users.age), 2)", "average", "Average Age")]),
        _view("products", "Products",
              [("id", "products.id", "number", "ID"), ("name", "products.name", "string", "Name"),
               ("brand", "products.brand", "string", "Brand"), ("category", "products.category", "string", "Category"),
               ("department", "products.department", "string", "Department"),
               ("retail_price", "products.retail_price", "number", "Retail Price")],
              [],
              [("count", "COUNT(DISTINCT products.id)", "count", "Count"),
               ("average_retail_price", "ROUND(AVG(products.retail_price), 2)", "average", "Average Retail Price")]),
        # system__activity: tables of the instance's own content and users (activity.py fills them)
        _view("dashboard", "Dashboard",
              [("id", "dashboard.id", "number", "ID"), ("title", "dashboard.title", "string", "Title"),
               ("description", "dashboard.description", "string", "Description")],
              [("created", "dashboard.created_at", "Created")],
              [("count", "COUNT(DISTINCT dashboard.id)", "count", "Count")], model=ACTIVITY_MODEL),
        _view("look", "Look",
              [("id", "look.id", "number", "ID"), ("title", "look.title", "string", "Title"),
               ("description", "look.description", "string", "Description")],
              [("created", "look.created_at", "Created")],
              [("count", "COUNT(DISTINCT look.id)", "count", "Count")], model=ACTIVITY_MODEL),
        _view("user", "User",
              [("id", "user.id", "number", "ID"), ("name", "user.name", "string", "Name"),
               ("email", "user.email", "string", "Email")],
              [],
              [("count", "COUNT(DISTINCT user.id)", "count", "Count")], model=ACTIVITY_MODEL),
    ]
}

# explore -> (base view, [(joined view, join SQL)])
EXPLORES = {
    "order_items": ("order_items", [
        ("orders", "LEFT JOIN orders ON orders.id = order_items.order_id"),
        ("users", "LEFT JOIN users ON users.id = orders.user_id"),
        ("products", "LEFT JOIN products ON products.id = order_items.product_id"),
    ]),
    "users": ("users", []),
    "products": ("products", []),
}
ACTIVITY_EXPLORES = {
    "dashboard": ("dashboard", [("user", "LEFT JOIN user ON user.id = dashboard.user_id")]),
    "look": ("look", [("user", "LEFT JOIN user ON user.id = look.user_id")]),
    "user": ("user", []),
}
MODELS = {MODEL: EXPLORES, ACTIVITY_MODEL: ACTIVITY_EXPLORES}  # model -> its explores
MODEL_LABELS = {MODEL: "The Look", ACTIVITY_MODEL: "System Activity"}
EXPLORE_LABELS = {"order_items": "Order Items", "users": "Users", "products": "Products",
                  "dashboard": "Dashboard", "look": "Look", "user": "User"}


# Explicit limits on a query body (answered with 422 naming the field)
MAX_ROW_LIMIT = 1_000_000
MAX_FIELDS = 200
MAX_FILTERS = 100
MAX_FILTER_LENGTH = 5_000
MAX_FILTER_ITEMS = 500
MAX_SQL_PARAMETERS = 5_000


class QueryError(ValueError):
    """A query body the model cannot answer; `field` names the offending part."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def explore_fields(explore: str, model: str = MODEL) -> dict[str, Field]:
    explores = MODELS.get(model, {})
    if explore not in explores:
        raise QueryError(f"Explore '{explore}' not found in model '{model}'", "view", "not_found")
    base, joins = explores[explore]
    fields = dict(VIEWS[base]["fields"])
    for view, _ in joins:
        fields.update(VIEWS[view]["fields"])
    return fields


# --- Looker filter expressions ------------------------------------------------
_NUMBER = r"-?\d+(?:\.\d+)?"


def _relative_range(text: str, today: dt.date) -> tuple[str, str] | None:
    """[start, end) for 'today', 'yesterday', 'N days', 'last N days', 'this/last month|year'."""
    t = text.strip().lower()
    if t == "today":
        return today.isoformat(), (today + dt.timedelta(days=1)).isoformat()
    if t == "yesterday":
        return (today - dt.timedelta(days=1)).isoformat(), today.isoformat()
    m = re.fullmatch(r"(?:last )?(\d+) (day|week|month|year)s?(?: ago for \d+ \w+)?", t)
    if m and "ago" not in t:
        n, unit = int(m.group(1)), m.group(2)
        days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
        return (today - dt.timedelta(days=days - 1)).isoformat(), (today + dt.timedelta(days=1)).isoformat()
    m = re.fullmatch(r"(this|last) (month|year)", t)
    if m:
        first = today.replace(day=1) if m.group(2) == "month" else today.replace(month=1, day=1)
        if m.group(1) == "last":
            first = (first - dt.timedelta(days=1)).replace(day=1)
            if m.group(2) == "year":
                first = first.replace(month=1)
        nxt = (first + dt.timedelta(days=32 if m.group(2) == "month" else 366)).replace(day=1)
        if m.group(2) == "year":
            nxt = nxt.replace(month=1)
        return first.isoformat(), nxt.isoformat()
    return None


def _date_value(text: str) -> tuple[str, str]:
    """[start, end) of an absolute date like 2025, 2025-03 or 2025-03-14 (slashes allowed)."""
    t = text.strip().replace("/", "-")
    if re.fullmatch(r"\d{4}", t):
        return f"{t}-01-01", f"{int(t) + 1}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", t):
        y, m = map(int, t.split("-"))
        return f"{y:04d}-{m:02d}-01", (f"{y + 1:04d}-01-01" if m == 12 else f"{y:04d}-{m + 1:02d}-01")
    try:
        day = dt.date.fromisoformat(t[:10])
    except ValueError:
        raise QueryError(f"'{text}' is not a date Looker understands (try 2025-03-14, 2025-03, '7 days')", "filters")
    return day.isoformat(), (day + dt.timedelta(days=1)).isoformat()


def filter_sql(field: Field, expression: str, today: dt.date) -> tuple[str, list]:
    """SQL condition and parameters for a Looker filter expression on `field`."""
    expr = expression.strip()
    col = field.sql if field.kind == "measure" else (getattr(field, "raw", None) or field.sql)
    if expr.upper() == "NULL":
        return f"{col} IS NULL", []
    if expr.upper() in ("-NULL", "NOT NULL"):
        return f"{col} IS NOT NULL", []
    if field.timeframe is not None:
        rel = _relative_range(expr, today)
        m = re.fullmatch(r"(before|after) (.+)", expr, re.I)
        if rel:
            return f"({col} >= ? AND {col} < ?)", list(rel)
        if m:
            start, _ = _date_value(m.group(2))
            return (f"{col} < ?" if m.group(1).lower() == "before" else f"{col} >= ?"), [start]
        if " to " in expr:
            lo, hi = expr.split(" to ", 1)
            return f"({col} >= ? AND {col} < ?)", [_date_value(lo)[0], _date_value(hi)[0]]
        start, end = _date_value(expr)
        return f"({col} >= ? AND {col} < ?)", [start, end]
    if field.type in ("number", "count", "sum", "average", "count_distinct"):
        return _number_filter(col, expr)
    return _string_filter(col, expr)


def _number_filter(col: str, expr: str) -> tuple[str, list]:
    parts, params = [], []
    negate = False
    text = expr
    if text.lower().startswith("not "):
        negate, text = True, text[4:]
    for item in re.findall(r"[\[(][^\])]*[\])]|[^,]+", text):
        item = item.strip()
        if not item:
            continue
        m = re.fullmatch(rf"([\[(])\s*({_NUMBER})?\s*,\s*({_NUMBER})?\s*([\])])", item)
        if m:
            cond = []
            if m.group(2):
                cond.append(f"{col} {'>=' if m.group(1) == '[' else '>'} ?")
                params.append(float(m.group(2)))
            if m.group(3):
                cond.append(f"{col} {'<=' if m.group(4) == ']' else '<'} ?")
                params.append(float(m.group(3)))
            parts.append("(" + " AND ".join(cond or ["1=1"]) + ")")
            continue
        m = re.fullmatch(rf"({_NUMBER})\s+to\s+({_NUMBER})", item)
        if m:
            parts.append(f"({col} >= ? AND {col} <= ?)")
            params += [float(m.group(1)), float(m.group(2))]
            continue
        m = re.fullmatch(rf"(>=|<=|>|<|=|!=)?\s*({_NUMBER})", item)
        if not m:
            raise QueryError(f"'{expr}' is not a number filter Looker understands (try 5, >5, [1,10], 1 to 10)",
                             "filters")
        op = m.group(1) or "="
        parts.append(f"{col} {'<>' if op == '!=' else op} ?")
        params.append(float(m.group(2)))
    sql = "(" + " OR ".join(parts) + ")"
    return (f"NOT {sql}" if negate else sql), params


def _string_filter(col: str, expr: str) -> tuple[str, list]:
    include, exclude, params_in, params_ex = [], [], [], []
    for raw in _split_list(expr):
        negate = raw.startswith("-")
        item = raw[1:] if negate else raw
        if item.upper() == "EMPTY":
            cond, vals = f"({col} IS NULL OR {col} = '')", []
        elif "%" in item or "_" in item and item.startswith("%"):
            cond, vals = f"{col} LIKE ?", [item]
        else:
            cond, vals = f"{col} = ?", [item.replace("^,", ",").replace("^-", "-")]
        if negate:
            exclude.append(f"({col} IS NULL OR NOT {cond})" if "IS NULL" not in cond else f"NOT {cond}")
            params_ex += vals
        else:
            include.append(cond)
            params_in += vals
    clauses = []
    if include:
        clauses.append("(" + " OR ".join(include) + ")")
    clauses += exclude
    return "(" + " AND ".join(clauses) + ")", params_in + params_ex


def _split_list(expr: str) -> list[str]:
    """Split on commas not escaped with '^' (Looker's escape), trimming space."""
    items, current, i = [], "", 0
    while i < len(expr):
        if expr[i] == "^" and i + 1 < len(expr):
            current += expr[i:i + 2]
            i += 2
            continue
        if expr[i] == ",":
            items.append(current.strip())
            current = ""
        else:
            current += expr[i]
        i += 1
    items.append(current.strip())
    return [item for item in items if item]


# --- compiling a query ----------------------------------------------------------
def check_limits(body: dict) -> None:
    """The explicit size limits of a query body (its types were checked against the spec)."""
    limit = str(body.get("limit") or "500").strip()
    if not re.fullmatch(r"-1|\d{1,6}", limit) or int(limit) > MAX_ROW_LIMIT:
        raise QueryError(f"limit must be -1 (no limit) or a whole number from 0 to {MAX_ROW_LIMIT}, not '{limit[:20]}'",
                         "limit")
    if len(body.get("fields") or []) > MAX_FIELDS:
        raise QueryError(f"A query can have at most {MAX_FIELDS} fields", "fields")
    filters = body.get("filters") or {}
    if not isinstance(filters, dict) or len(filters) > MAX_FILTERS:
        raise QueryError(f"filters must be an object of at most {MAX_FILTERS} field: expression pairs", "filters")
    for name, expr in filters.items():
        text = "" if expr is None else str(expr)
        if len(text) > MAX_FILTER_LENGTH or len(_split_list(text)) > MAX_FILTER_ITEMS:
            raise QueryError(f"The filter on '{name[:80]}' is longer than {MAX_FILTER_LENGTH} characters or "
                             f"{MAX_FILTER_ITEMS} values", "filters")
    for key in ("sorts", "pivots"):
        if len(body.get(key) or []) > MAX_FIELDS:
            raise QueryError(f"A query can have at most {MAX_FIELDS} {key}", key)


def compile_query(body: dict, today: dt.date, row_limit: int | None = None) -> tuple[str, list, list[Field]]:
    """(sql, params, selected fields) for a Looker query body."""
    check_limits(body)
    names, fields, selected = checked_fields(body)
    dims = [f for f in selected if f.kind == "dimension"]
    base, joins = MODELS[body["model"]][body["view"]]
    select = ", ".join(f'{f.sql} AS "{f.qualified}"' for f in selected)
    sql = f"SELECT {select} FROM {base} " + " ".join(j for _, j in joins)
    (where, params_w), (having, params_h) = filter_clauses(body, fields, today)
    if where:
        sql += " WHERE " + " AND ".join(where)
    if dims:
        sql += " GROUP BY " + ", ".join(str(names.index(f.qualified) + 1) for f in dims)
    if having:
        sql += " HAVING " + " AND ".join(having)
    sql += " ORDER BY " + ", ".join(order_terms(body, fields, names, selected, dims))
    limit = int(body.get("limit") or 500) if str(body.get("limit") or "").strip() not in ("-1",) else -1
    if row_limit is not None:
        limit = row_limit
    if limit >= 0 and not body.get("pivots"):
        sql += f" LIMIT {limit}"
    if len(params_w) + len(params_h) > MAX_SQL_PARAMETERS:
        raise QueryError(f"The filters need more than {MAX_SQL_PARAMETERS} values", "filters")
    return sql, params_w + params_h, selected


def checked_fields(body: dict) -> tuple[list, dict, list[Field]]:
    """(the query's field names, its explore's fields by name, the selected Fields); QueryError says what is wrong."""
    model = body.get("model")
    if model not in MODELS:
        raise QueryError(f"Model '{model}' not found", "model", "not_found")
    fields = explore_fields(body.get("view") or "", model)
    names = body.get("fields") or []
    if not names:
        raise QueryError("A query needs at least one field", "fields", "missing_field")
    for name in list(names) + list((body.get("filters") or {}).keys()) + list(body.get("pivots") or []):
        if name not in fields:
            raise QueryError(f"Unknown field '{name}' in explore '{body.get('view')}'", "fields")
    for pivot in body.get("pivots") or []:
        if pivot not in names:
            raise QueryError(f"Pivot '{pivot}' must also be one of the query's fields", "pivots")
        if fields[pivot].kind == "measure":
            raise QueryError(f"Pivot '{pivot}' is a measure: only dimensions can be pivoted", "pivots")
    return names, fields, [fields[n] for n in names]


def filter_clauses(body: dict, fields: dict, today: dt.date) -> tuple[tuple[list, list], tuple[list, list]]:
    """((WHERE conditions, params), (HAVING conditions, params)): dimension filters, then measure filters."""
    where: tuple[list, list] = ([], [])
    having: tuple[list, list] = ([], [])
    for name, expr in (body.get("filters") or {}).items():
        if expr is None or str(expr).strip() == "":
            continue
        try:
            cond, params = filter_sql(fields[name], str(expr), today)
        except (OverflowError, ValueError) as exc:  # a date beyond the calendar, say '99999999 days'
            if isinstance(exc, QueryError):
                raise
            raise QueryError(f"The filter on '{name}' is out of range: {str(expr)[:80]}", "filters")
        clause = having if fields[name].kind == "measure" else where
        clause[0].append(cond)
        clause[1].extend(params)
    return where, having


def order_terms(body: dict, fields: dict, names: list, selected: list[Field], dims: list[Field]) -> list[str]:
    """ORDER BY terms: the body's sorts, else Looker's default (a time dimension descending, else the first
    measure descending, else the first field ascending)."""
    order = []
    for sort in body.get("sorts") or []:
        name, _, direction = sort.strip().partition(" ")
        if name not in fields:
            raise QueryError(f"Unknown sort field '{name}'", "sorts")
        if name not in names:
            raise QueryError(f"Sort field '{name}' must be one of the query's fields", "sorts")
        order.append(f'"{name}" {"DESC" if direction.strip().lower() == "desc" else "ASC"} NULLS LAST')
    if order:
        return order
    measures = [f for f in selected if f.kind == "measure"]
    if dims and dims[0].timeframe is not None:
        return [f'"{dims[0].qualified}" DESC NULLS LAST']
    if measures:
        return [f'"{measures[0].qualified}" DESC NULLS LAST']
    return [f'"{selected[0].qualified}" ASC NULLS LAST']
