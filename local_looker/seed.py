"""Saved content the demo starts with: queries, looks, dashboards and folders that use the model."""

from __future__ import annotations

CREATED = "2026-01-15T09:30:00.000+00:00"


def query(qid: int, view: str, fields: list[str], filters=None, sorts=None, limit="500", pivots=None,
          vis: str = "looker_column", total=False, stacking: str = "") -> dict:
    return {
        "id": str(qid),
        "model": "thelook",
        "view": view,
        "fields": fields,
        "pivots": pivots,
        "fill_fields": None,
        "filters": filters or {},
        "filter_expression": None,
        "sorts": sorts or [],
        "limit": limit,
        "column_limit": None,
        "total": total,
        "row_total": None,
        "subtotals": None,
        "vis_config": {"type": vis, **({"stacking": stacking} if stacking else {})},
        "filter_config": None,
        "visible_ui_sections": None,
        "slug": f"demo{qid:04d}",
        "dynamic_fields": None,
        "client_id": f"demo{qid:018d}",
        "share_url": None,
        "expanded_share_url": None,
        "url": None,
        "query_timezone": "UTC",
        "has_table_calculations": False,
        "can": {"run": True, "see_results": True, "explore": True, "create": True, "show": True,
                "cost_estimate": True, "index": True, "see_lookml": True, "see_aggregate_table_lookml": True,
                "see_derived_table_lookml": True, "see_sql": True, "save": True, "generate_drill_links": True,
                "download": True, "download_unlimited": True, "use_custom_fields": True},
    }


def folder(fid: str, name: str, parent: str | None, personal=False, creator="1") -> dict:
    return {"id": fid, "name": name, "parent_id": parent, "content_metadata_id": fid, "created_at": CREATED,
            "creator_id": creator, "child_count": 0, "external_id": None, "is_embed": False,
            "is_embed_shared_root": False, "is_embed_users_root": False, "is_personal": personal,
            "is_personal_descendant": False, "is_shared_root": fid == "1", "is_users_root": False,
            "can": {"index": True, "show": True, "create": True, "update": True, "destroy": True,
                    "move_content": True, "edit_content": True}}


def look(lid: int, title: str, q: dict, folder_obj: dict, description: str = "") -> dict:
    return {"id": str(lid), "title": title, "description": description, "query_id": q["id"], "query": q,
            "folder_id": folder_obj["id"], "folder": {"id": folder_obj["id"], "name": folder_obj["name"]},
            "user_id": "1", "created_at": CREATED, "updated_at": CREATED, "public": False, "is_run_on_load": True,
            "deleted": False, "favorite_count": 0, "view_count": 3, "content_metadata_id": str(100 + lid),
            "model": {"id": "thelook", "label": "The Look"}, "can": {"run": True, "show": True, "update": True,
                                                                      "destroy": True, "download": True}}


def seed_content():
    folders = {f["id"]: f for f in [
        folder("1", "Shared", None),
        folder("2", "Sales", "1"),
        folder("3", "Operations", "1"),
        folder("4", "Ada Admin", None, personal=True),
        folder("5", "Alex Analyst", None, personal=True, creator="2"),
        folder("6", "Vic Viewer", None, personal=True, creator="3"),
    ]}
    q = {}

    def add(*args, **kwargs):
        item = query(len(q) + 1, *args, **kwargs)
        q[item["id"]] = item
        return item

    by_state = add("order_items", ["users.state", "order_items.count", "order_items.total_sale_price"],
                   filters={"orders.created_date": "365 days"}, sorts=["order_items.total_sale_price desc"],
                   vis="looker_bar")
    by_month = add("order_items", ["order_items.created_month", "order_items.count"],
                   filters={"order_items.created_date": "12 months"}, sorts=["order_items.created_month"],
                   vis="looker_line")
    top_products = add("order_items", ["products.name", "products.brand", "order_items.count",
                                       "order_items.total_sale_price"],
                       filters={"order_items.status": "Complete"}, sorts=["order_items.total_sale_price desc"],
                       limit="50", vis="looker_grid")
    customers = add("users", ["users.id", "users.first_name", "users.last_name", "users.email", "users.state"],
                    sorts=["users.id"], limit="100", vis="looker_grid")
    total = add("order_items", ["order_items.total_sale_price"], filters={"order_items.created_date": "30 days"},
                vis="single_value")
    categories = add("order_items", ["products.category", "order_items.count"], vis="looker_pie")
    by_year_dept = add("order_items", ["order_items.created_month", "products.department",
                                       "order_items.total_sale_price"],
                       filters={"order_items.created_date": "6 months"}, pivots=["products.department"],
                       sorts=["order_items.created_month"], vis="looker_area")
    status = add("order_items", ["order_items.status", "order_items.count"], vis="looker_column")
    scatter = add("users", ["users.age", "users.count"], sorts=["users.age"], vis="looker_scatter")

    looks = {lk["id"]: lk for lk in [
        look(1, "Sales by State", by_state, folders["2"], "Revenue and items by customer state, last 365 days"),
        look(2, "Orders by Month", by_month, folders["2"], "Order items per month"),
        look(3, "Top Products", top_products, folders["3"], "Best sellers among completed orders"),
        look(4, "Customer List", customers, folders["3"], "Customers, including awkward names"),
    ]}

    listen_date = [{"dashboard_filter_name": "Date", "field": "order_items.created_date"}]
    listen_state = [{"dashboard_filter_name": "State", "field": "users.state"}]
    tiles = [
        ("Revenue, last 30 days", total, listen_state),
        ("Items by Status", status, listen_date + listen_state),
        ("Sales by State", by_state, listen_date),
        ("Items per Month", by_month, listen_state),
        ("Category Mix", categories, listen_date + listen_state),
        ("Revenue by Department", by_year_dept, listen_state),
        ("Customers by Age", scatter, []),
        ("Top Products", top_products, listen_date + listen_state),
    ]
    elements = []
    for i, (title, tile_query, listens) in enumerate(tiles, start=1):
        elements.append(element(i, "1", title, tile_query, listens))
    elements.append(text_element(len(elements) + 1, "1", "About this dashboard",
                                 "Demo data from the local Looker. <b>This markup must show as text.</b>"))
    dashboards = {"1": dashboard("1", "Business Pulse", folders["2"], elements, [
        dashboard_filter("1", "1", "Date", "order_items.created_date", "date_filter", ""),
        dashboard_filter("2", "1", "State", "users.state", "field_filter", ""),
    ])}
    dashboards["1"]["dashboard_layouts"] = [layout("1", dashboards["1"])]
    dashboards["2"] = by_year_dashboard(add, len(elements), folders["1"])
    return q, looks, dashboards, folders


def by_year_dashboard(add, last_element: int, folder_obj: dict) -> dict:
    """A second dashboard, pivoted on the year: grouped bars (one measure; two measures a tenfold apart,
    each on its own axis), bars stacked because the vis says so, and bars stacked to 100 % ("percent")."""
    years = {"order_items.created_date": "3 years"}
    category_year = add("order_items", ["products.category", "order_items.created_year", "order_items.count"],
                        filters=years, pivots=["order_items.created_year"], sorts=["products.category"],
                        limit="8")
    department_year = add("order_items", ["products.department", "order_items.created_year", "order_items.count",
                                          "order_items.total_sale_price"],
                          filters=years, pivots=["order_items.created_year"], sorts=["products.department"])
    stacked = add("order_items", ["order_items.created_year", "products.department", "order_items.total_sale_price"],
                  filters=years, pivots=["products.department"], sorts=["order_items.created_year"],
                  stacking="normal")
    status_share = add("order_items", ["order_items.created_year", "order_items.status", "order_items.count"],
                       filters=years, pivots=["order_items.status"], sorts=["order_items.created_year"],
                       stacking="percent")
    listen_state = [{"dashboard_filter_name": "State", "field": "users.state"}]
    tiles = [("Items by Category and Year", category_year), ("Items and Revenue by Department and Year", department_year),
             ("Revenue by Year, Stacked by Department", stacked), ("Share of Items by Status per Year", status_share)]
    elements = [element(last_element + i, "2", title, tile_query, listen_state)
                for i, (title, tile_query) in enumerate(tiles, start=1)]
    board = dashboard("2", "Sales by Year", folder_obj, elements,
                      [dashboard_filter("3", "2", "State", "users.state", "field_filter", "")],
                      "Each year side by side, per category and department")
    board["dashboard_layouts"] = [layout("2", board)]
    return board


def element(eid: int, dashboard_id: str, title: str, q: dict, listens: list[dict]) -> dict:
    return {"id": str(eid), "dashboard_id": dashboard_id, "title": title, "title_hidden": False, "type": "vis",
            "query_id": q["id"], "query": q, "look_id": None, "look": None, "body_text": None, "note_text": None,
            "subtitle_text": None, "title_text": None, "refresh_interval": None, "rich_content_json": None,
            "result_maker_id": str(eid),
            "result_maker": {"id": str(eid), "query_id": q["id"], "query": q, "vis_config": q["vis_config"],
                             "filterables": [{"model": "thelook", "view": q["view"], "name": title,
                                              "listen": listens}],
                             "sorts": q["sorts"], "merge_result_id": None, "total": False,
                             "sql_query_id": None, "dynamic_fields": None},
            "can": {"update": True, "destroy": True}}


def text_element(eid: int, dashboard_id: str, title: str, body: str) -> dict:
    return {"id": str(eid), "dashboard_id": dashboard_id, "title": None, "title_hidden": False, "type": "text",
            "query_id": None, "query": None, "look_id": None, "look": None, "body_text": body,
            "title_text": title, "subtitle_text": None, "note_text": None, "refresh_interval": None,
            "rich_content_json": None, "result_maker_id": None, "result_maker": None, "can": {"update": True}}


def dashboard_filter(fid: str, dashboard_id: str, name: str, field: str, kind: str, default: str) -> dict:
    return {"id": fid, "dashboard_id": dashboard_id, "name": name, "title": name, "type": kind,
            "default_value": default, "model": "thelook", "explore": "order_items", "dimension": field,
            "field": None, "row": int(fid), "listens_to_filters": [], "allow_multiple_values": True,
            "required": False, "ui_config": None, "can": {"update": True}}


def dashboard(did: str, title: str, folder_obj: dict, elements: list[dict], filters: list[dict],
              description: str = "Revenue, orders and customers at a glance") -> dict:
    return {"id": did, "title": title, "description": description,
            "folder_id": folder_obj["id"], "folder": {"id": folder_obj["id"], "name": folder_obj["name"]},
            "user_id": "1", "created_at": CREATED, "updated_at": CREATED, "hidden": False, "readonly": False,
            "refresh_interval": None, "load_configuration": "wait", "preferred_viewer": "dashboards-next",
            "dashboard_elements": elements, "dashboard_filters": filters, "dashboard_layouts": [],
            "deleted": False, "favorite_count": 0, "view_count": 5, "content_metadata_id": str(200 + int(did)),
            "crossfilter_enabled": False, "filters_bar_collapsed": False, "filters_location_top": True,
            "can": {"show": True, "update": True, "destroy": True, "download": True}}


def layout(lid: str, board: dict) -> dict:
    """A newspaper layout: tiles 8 of 24 columns wide, three to a row; text tiles full width."""
    components = []
    for element in board["dashboard_elements"]:
        components.append(layout_component(lid, element, len(components)))
    return {"id": lid, "dashboard_id": board["id"], "type": "newspaper", "active": True, "column_width": None,
            "width": None, "deleted": False, "dashboard_title": board["title"],
            "dashboard_layout_components": components, "label": None, "description": None, "order": None,
            "lookml_link_id": None, "can": {"show": True, "update": True}}


def layout_component(layout_id: str, element: dict, index: int) -> dict:
    query = element.get("query")
    text = query is None
    return {"id": f"{layout_id}_{element['id']}", "dashboard_layout_id": layout_id,
            "dashboard_element_id": element["id"], "row": (index // 3) * 6, "column": 0 if text else (index % 3) * 8,
            "width": 24 if text else 8, "height": 2 if text else 6, "deleted": False,
            "element_title": element["title"] or element.get("title_text"), "element_title_hidden": False,
            "vis_type": "text" if text else query["vis_config"]["type"], "granular_row": None,
            "granular_column": None, "granular_width": None, "granular_height": None,
            "can": {"show": True, "update": True}}
