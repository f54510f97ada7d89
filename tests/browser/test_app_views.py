"""Issue 12 in the browser (the reference app on MicroPython against the local Looker): Looker's order,
no hangs, charts and value formats with Looker's semantics, explore and dashboards as Looker has them."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import requests
from conftest import rows_shown, shot, sign_in_app

TILES_DONE = "document.querySelectorAll('.tile[data-type=vis] .count').length === 8"


def explore_link(site, body):
    return site.origin + "/#/explore?q=" + quote(json.dumps(body))


def query_body(page):
    return json.loads(page.text_content("#query-body"))


def header_texts(page, area="#results"):
    return page.locator(f"{area} .grid-header .grid-cell").all_inner_texts()


# --- 1. order ------------------------------------------------------------------------------------------
def test_explore_keeps_the_order_fields_and_filters_were_chosen_in(app, site, looker):
    app.goto(site.origin + "/#/explore")
    app.wait_for_selector("#field-users-state")
    for name in ("users-state", "order_items-count", "order_items-total_sale_price"):
        app.check("#field-" + name)
    for field, expression in (("users.state", "-NULL"), ("order_items.created_date", "365 days"),
                              ("products.department", "Men,Women")):
        app.click("#add-filter")
        app.locator("#filter-rows .filter-field").last.select_option(field)
        app.locator("#filter-rows .filter-expression").last.fill(expression)
    app.select_option("#vis-type", "looker_grid")
    app.click("#run")
    rows_shown(app)
    text = app.text_content("#query-body")
    assert text.index('"users.state": "-NULL"') < text.index('"order_items.created_date"') < text.index(
        '"products.department"')
    body = query_body(app)
    assert body["fields"] == ["users.state", "order_items.count", "order_items.total_sale_price"]
    assert list(body) == ["model", "view", "fields", "filters", "sorts", "limit", "vis_config"]
    assert header_texts(app) == ["State", "Count", "Total Sale Price"]
    app.reload()  # the state is the address: the same order comes back from the link
    rows_shown(app)
    assert header_texts(app) == ["State", "Count", "Total Sale Price"]
    assert app.locator("#filter-rows .filter-field").evaluate_all("els => els.map(e => e.value)") == [
        "users.state", "order_items.created_date", "products.department"]


def test_dashboard_filters_and_look_filters_keep_lookers_order(app, site, looker):
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_selector("#dashboard-filters label")
    api_order = [f["title"] for f in looker.api("GET", "dashboards/1").json()["dashboard_filters"]]
    assert app.locator("#dashboard-filters label > span:first-child").all_inner_texts() == api_order == ["Date", "State"]
    look = looker.api("GET", "looks/1").json()
    app.goto(site.origin + "/#/look/1")
    rows_shown(app)
    assert header_texts(app) == ["State", "Count", "Total Sale Price"]
    shown = app.locator("#look-filters label input").evaluate_all("els => els.map(e => e.id)")
    assert shown == ["filter-" + f.replace(".", "-") for f in look["query"]["filters"]]


# --- 2. never a hang ------------------------------------------------------------------------------------
def test_a_stale_render_cannot_overwrite_the_current_view(app, site, looker):
    held = []
    app.route(re.compile(r".*/api/4\.0/looks/1(\?.*)?$"), lambda route: held.append(route))
    app.goto(site.origin + "/#/look/1")
    deadline = time.time() + 20
    while not held and time.time() < deadline:
        app.wait_for_timeout(50)
    assert held, "the look was never requested"
    app.evaluate("location.hash = '#/dashboards'")
    app.wait_for_selector("li.dashboard a")
    held[0].continue_()  # the look's answer arrives after the person moved on
    app.wait_for_timeout(1500)
    assert app.locator("li.dashboard a").count() >= 1
    assert app.locator("#results, #look-filters").count() == 0
    assert app.locator("h1").all_inner_texts() == ["Dashboards"]
    app.unroute(re.compile(r".*/api/4\.0/looks/1(\?.*)?$"))


def test_broken_links_and_answers_become_clear_messages_with_a_way_back(app, site):
    for broken, part in ((json.dumps({"model": "thelook", "view": "order_items", "vis_config": "x"}), "vis_config"),
                         (json.dumps({"model": "thelook", "view": "order_items", "filters": ["x"]}), "filters"),
                         (json.dumps({"model": "thelook", "view": "nope", "fields": ["a.b"]}), "nope"),
                         (json.dumps({"model": "thelook", "view": "order_items", "fields": ["users.nope"]}),
                          "users.nope")):
        app.goto(site.origin + "/#/explore?q=" + quote(broken))
        app.wait_for_selector("#bad-link", timeout=15_000)
        assert part in app.inner_text("#bad-link")
        assert app.locator("#bad-link a[href='#/explore']").count() == 1
    # an answer the view cannot use (not a LookerError): a message in the view, with a way back
    app.route(re.compile(r".*/api/4\.0/dashboards/1(\?.*)?$"),
              lambda route: route.fulfill(status=200, content_type="application/json",
                                          headers={"Access-Control-Allow-Origin": site.origin},
                                          body='{"id": "1", "title": "T", "dashboard_elements": 7}'))
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_selector(".view .error")
    assert "This view stopped" in app.inner_text(".view .error")
    assert app.locator(".view .error a[href='#/browse']").count() == 1
    app.unroute(re.compile(r".*/api/4\.0/dashboards/1(\?.*)?$"))
    app.click(".view .error a[href='#/browse']")
    app.wait_for_selector("#listing li")


def ended_session(site):
    """A route handler answering as Looker does once the session has ended: 401, and the refresh refused."""
    cors = {"Access-Control-Allow-Origin": site.origin, "Access-Control-Allow-Credentials": "true"}

    def expired(route):
        if route.request.method == "OPTIONS":
            return route.continue_()
        if route.request.url.endswith("/api/token"):
            return route.fulfill(status=400, content_type="application/json", headers=cors,
                                 body='{"error": "invalid_grant", "error_description": "expired"}')
        return route.fulfill(status=401, content_type="application/json", headers=cors,
                             body='{"message": "Requires authentication."}')
    return expired


def test_session_expiry_updates_the_header_and_says_so_once(app, site, looker):
    api = re.compile(re.escape(looker.api_url) + r"/api/(4\.0/.*|token)$")
    app.route(api, ended_session(site))
    app.goto(site.origin + "/#/dashboards")
    app.wait_for_selector(".view .error")
    message = app.inner_text(".view .error")
    assert message.count("Sign in") == 1 and "session has ended" in message
    assert app.inner_text("#user") == "" and app.inner_text("#auth-button") == "Sign in"
    app.unroute(api)


def test_an_ended_session_on_a_dashboard_is_said_once_and_the_tiles_stay_quiet(app, site, looker):
    runs = re.compile(re.escape(looker.api_url) + r"/api/(4\.0/queries/(\d+/)?run/.*|token)$")
    app.route(runs, ended_session(site))  # the dashboard loads; every tile's query meets the ended session
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_selector("#session-ended")
    app.wait_for_function("document.querySelectorAll('.tile[data-type=vis] .paused').length === 8")
    assert app.evaluate("document.body.innerText.split('session has ended').length - 1") == 1
    assert app.locator("[role=alert]").count() == 1 and app.locator(".tile .error").count() == 0
    assert app.locator("#session-ended button").inner_text() == "Sign in"
    assert app.inner_text("#user") == "" and app.inner_text("#auth-button") == "Sign in"
    app.unroute(runs)


def test_phone_nav_fits_and_every_tab_is_on_screen(app, site):
    app.set_viewport_size({"width": 390, "height": 844})
    app.goto(site.origin + "/#/browse")
    app.wait_for_selector("#listing li")
    for link in app.locator("nav.tabs a").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, link.inner_text()
    assert app.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    app.click("nav.tabs a[data-view=settings]")
    app.wait_for_selector("#setting-client_id")


def test_favicon_is_served(site):
    answer = requests.get(site.origin + "/favicon.ico", timeout=10)
    assert answer.status_code == 200 and answer.content[:4] == b"\x00\x00\x01\x00"


def test_browse_search_is_in_the_address_and_clicking_a_folder_clears_it(app, site):
    app.wait_for_selector("#listing li")
    app.fill("#search", "products")
    app.press("#search", "Enter")
    app.wait_for_selector("#listing h2:has-text('Results')")
    assert app.evaluate("location.hash") == "#/search?q=products"
    app.click(".folders a:has-text('Shared')")
    app.wait_for_function("!document.querySelector('#listing h2') || "
                          "!document.querySelector('#listing h2').textContent.startsWith('Results')")
    app.wait_for_selector("#listing h2")
    assert app.input_value("#search") == ""
    app.go_back()  # back restores the search and its results
    app.wait_for_selector("#listing h2:has-text('Results')")
    assert app.input_value("#search") == "products"


# --- 3. charts and formats ----------------------------------------------------------------------------
def chart_of(page, selector):
    return page.evaluate("""(sel) => { const c = Chart.getChart(document.querySelector(sel));
        return {labels: c.data.labels, sets: c.data.datasets.map(d => ({label: d.label, axis: d.yAxisID || d.xAxisID,
                formatted: d.formatted})), scales: Object.keys(c.options.scales || {})}; }""", selector)


def test_dashboard_charts_have_lookers_semantics_and_value_formats(app, site):
    asked = []
    app.on("request", lambda request: asked.append(request.url) if "/lookml_models/" in request.url else None)
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_function(TILES_DONE, timeout=60_000)
    # the tiles share their explores' field metadata: each explore is asked of Looker once, not once a tile
    assert asked and len(asked) == len(set(asked)), asked
    app.wait_for_function("document.querySelectorAll('.tile canvas').length >= 6")  # a tile's count shows first
    single = app.inner_text(".tile[data-element='1'] .single-value strong")
    assert re.fullmatch(r"\$[\d,]+\.\d\d", single), single
    assert app.inner_text(".tile[data-element='1'] .single-value span") == "Total Sale Price"
    by_state = chart_of(app, ".tile[data-element='3'] canvas")  # Count and Total Sale Price: 10x apart
    assert [s["label"] for s in by_state["sets"]] == ["Count", "Total Sale Price"]
    assert [s["axis"] for s in by_state["sets"]] == ["x", "x1"] and "x1" in by_state["scales"]
    assert all(re.fullmatch(r"\$[\d,]+\.\d\d", t) for t in by_state["sets"][1]["formatted"])
    pivoted = chart_of(app, ".tile[data-element='6'] canvas")  # pivot on department over months
    assert [s["label"] for s in pivoted["sets"]] == ["Men", "Women"]
    assert "∅" not in pivoted["labels"] and all(re.fullmatch(r"\d{4}-\d\d", x) for x in pivoted["labels"])
    cells = app.locator(".tile[data-element='8'] .grid-row").first.locator(".grid-cell").all_inner_texts()
    assert re.fullmatch(r"\$[\d,]+\.\d\d", cells[3]), cells


def test_explore_formats_ids_and_notes_what_a_chart_cannot_show(app, site, looker):
    body = {"model": "thelook", "view": "order_items", "fields": ["users.state", "users.gender", "order_items.count",
                                                                  "order_items.order_count"],
            "sorts": ["order_items.count desc"], "limit": "5", "vis_config": {"type": "looker_column"}}
    app.goto(explore_link(site, body))
    rows_shown(app)
    chart = chart_of(app, "#results canvas")
    assert all(" · " in label for label in chart["labels"])  # two dimensions: combined labels
    assert [s["label"] for s in chart["sets"]] == ["Count", "Order Count"]
    assert app.locator("#results .limit-reached").count() == 1  # 5 rows of many: Looker's notice
    ids = {"model": "thelook", "view": "order_items", "fields": ["order_items.id", "order_items.sale_price"],
           "sorts": ["order_items.id desc"], "limit": "3", "vis_config": {"type": "looker_scatter"}}
    app.goto(explore_link(site, ids))
    rows_shown(app)
    first = app.locator("#results .grid-row").first.locator(".grid-cell").all_inner_texts()
    expected = looker.api("POST", "queries/run/json", json=ids).json()[0]
    assert first[0] == str(expected["order_items.id"]) and "," not in first[0]  # ids without grouping
    assert first[1] == "${:,.2f}".format(expected["order_items.sale_price"])
    assert app.locator("#results canvas").count() == 1  # two numeric fields: a scatter
    text = dict(ids, fields=["users.state", "order_items.count"], sorts=[])
    app.goto(explore_link(site, text))
    rows_shown(app)
    assert "State is not numeric" in app.inner_text("#results .vis-note")
    assert app.locator("#results canvas").count() == 0


# --- 4. explore like Looker ------------------------------------------------------------------------------
def test_header_sort_reruns_the_query_and_back_restores_it(app, site, looker):
    body = {"model": "thelook", "view": "order_items", "fields": ["users.state", "order_items.count"],
            "sorts": ["users.state"], "limit": "3", "vis_config": {"type": "looker_grid"}}
    app.goto(explore_link(site, body))
    rows_shown(app)
    first = looker.api("POST", "queries/run/json", json=body).json()[0]["users.state"]
    assert app.locator("#results .grid-row").first.locator(".grid-cell").first.inner_text() == first
    app.locator("#results .grid-header .grid-cell").nth(1).click()
    app.wait_for_function("location.hash.includes('order_items.count%20desc')")
    rows_shown(app)
    top = looker.api("POST", "queries/run/json", json=dict(body, sorts=["order_items.count desc"])).json()
    assert app.locator("#results .grid-row").first.locator(".grid-cell").first.inner_text() == top[0]["users.state"]
    assert app.get_attribute("#results .grid-header .grid-cell >> nth=1", "aria-sort") == "descending"
    assert query_body(app)["sorts"] == ["order_items.count desc"]
    app.go_back()
    app.wait_for_function("!location.hash.includes('desc')")
    rows_shown(app)
    assert app.locator("#results .grid-row").first.locator(".grid-cell").first.inner_text() == first
    assert app.locator("[data-picked=sorts] .chip").evaluate_all("els => els.map(e => e.dataset.name)") == [
        "users.state"]
    views = app.locator(".view-fields > summary").all_text_contents()
    assert views[:2] == ["Order Items", "Orders"] and "Users" in views and "Products" in views


def test_explore_totals_come_from_looker_and_stay_in_the_address(app, site, looker):
    body = {"model": "thelook", "view": "order_items", "fields": ["users.state", "order_items.count",
                                                                  "order_items.total_sale_price"],
            "sorts": ["order_items.count desc"], "limit": "5", "vis_config": {"type": "looker_grid"}}
    app.goto(explore_link(site, body))
    rows_shown(app)
    assert not app.is_checked("#totals") and app.locator("#results .grid-totals").count() == 0
    app.check("#totals")
    app.click("#run")
    app.wait_for_selector("#results .grid-totals")
    assert query_body(app)["total"] is True and "total" in app.evaluate("decodeURIComponent(location.hash)")
    detail = looker.api("POST", "queries/run/json_detail", json=dict(body, total=True)).json()
    count, price = (detail["totals_data"][f]["value"] for f in body["fields"][1:])
    assert app.locator("#results .grid-totals .grid-cell").all_inner_texts() == [
        "Totals", f"{count:,}", "${:,.2f}".format(price)]
    shown = sum(int(c.replace(",", "")) for c in app.locator("#results .grid-row .grid-cell:nth-child(2)").all_inner_texts())
    assert shown < count  # Looker's totals cover the whole query, not only the 5 rows shown
    app.reload()  # the address keeps the totals
    app.wait_for_selector("#results .grid-totals")
    assert app.is_checked("#totals")
    app.go_back()
    rows_shown(app)
    assert not app.is_checked("#totals") and app.locator("#results .grid-totals").count() == 0


def test_explore_totals_with_a_pivot_show_each_pivot_values_total(app, site, looker):
    body = {"model": "thelook", "view": "order_items", "fields": ["users.state", "users.gender", "order_items.count"],
            "pivots": ["users.gender"], "sorts": ["users.state"], "limit": "3", "total": True,
            "vis_config": {"type": "looker_grid"}}
    app.goto(explore_link(site, body))
    app.wait_for_selector("#results .grid-totals")
    detail = looker.api("POST", "queries/run/json_detail", json=body).json()
    per_pivot = detail["totals_data"]["order_items.count"]
    cells = app.locator("#results .grid-totals .grid-cell").all_inner_texts()
    assert cells[0] == "Totals" and len(per_pivot) >= 2
    assert cells[1:] == [f"{per_pivot[value['key']]['value']:,}" for value in detail["pivots"]]


SAVED_BODY = {"model": "thelook", "view": "order_items", "fields": ["products.category", "order_items.count"],
              "filters": {"products.department": "Women"}, "sorts": ["order_items.count desc"], "limit": "7",
              "vis_config": {"type": "looker_bar"}}


def test_save_as_a_look_creates_the_query_and_the_look_then_opens_it(app, site, looker):
    app.goto(explore_link(site, SAVED_BODY))
    rows_shown(app)
    before = len(looker.api("GET", "looks").json())
    app.click("#save-look")
    app.wait_for_selector("#look-folder option", state="attached")
    me = looker.api("GET", "user").json()
    assert app.input_value("#look-folder") == me["personal_folder_id"]  # the person's own folder first
    app.click("#save-look-confirm")  # no title: said in the form, nothing sent
    app.wait_for_function("document.querySelector('#save-look-message').textContent === 'Give the Look a title.'")
    assert len(looker.api("GET", "looks").json()) == before
    app.fill("#look-title", "Women's categories")
    app.press("#look-title", "Enter")
    app.wait_for_function("/^#\\/look\\/\\d+$/.test(location.hash)")
    look_id = app.evaluate("location.hash").split("/")[-1]
    rows_shown(app)
    saved = looker.api("GET", f"looks/{look_id}").json()
    assert (saved["title"], saved["folder_id"], saved["user_id"]) == ("Women's categories", me["personal_folder_id"],
                                                                     me["id"])
    query = saved["query"]
    assert [query[k] for k in ("fields", "filters", "sorts", "limit")] == [SAVED_BODY[k] for k in (
        "fields", "filters", "sorts", "limit")] and query["vis_config"]["type"] == "looker_bar"
    assert app.inner_text("h1") == "Women's categories"
    assert int(app.get_attribute("#results .count", "data-rows")) == 7
    app.goto(explore_link(site, SAVED_BODY))  # the same title in the same folder: Looker's 409, said in the form
    rows_shown(app)
    app.click("#save-look")
    app.wait_for_selector("#look-folder option", state="attached")
    app.fill("#look-title", "Women's categories")
    app.click("#save-look-confirm")
    app.wait_for_function("document.querySelector('#save-look-message').textContent.includes('already exists')")
    assert app.evaluate("location.hash").startswith("#/explore")
    assert len(looker.api("GET", "looks").json()) == before + 1
    assert looker.api("DELETE", f"looks/{look_id}").status_code == 204


def test_an_analyst_is_told_why_saving_a_look_into_a_folder_they_cannot_edit_is_refused(page, site, looker):
    sign_in_app(page, site, "analyst@example.com")
    assert page.inner_text("#user") == "Alex Analyst"
    before = len(looker.api("GET", "looks").json())
    page.goto(explore_link(site, SAVED_BODY))
    page.wait_for_selector("#save-look")
    page.click("#save-look")
    page.wait_for_selector("#look-folder option[value='2']", state="attached")
    page.select_option("#look-folder", "2")  # Sales: the analyst may view it, not edit it
    page.fill("#look-title", "Not allowed")
    page.click("#save-look-confirm")
    page.wait_for_function("document.querySelector('#save-look-message').textContent.startsWith('Looker refused')")
    message = page.inner_text("#save-look-message")
    assert "permission to save content" in message and "Forbidden" in message, message
    assert page.evaluate("location.hash").startswith("#/explore")
    assert len(looker.api("GET", "looks").json()) == before


def test_a_look_can_filter_on_any_field_of_its_explore(app, site, looker):
    app.goto(site.origin + "/#/look/1")
    rows_shown(app)
    offered = app.locator("select[aria-label='Add a filter on'] option").evaluate_all(
        "els => els.map(e => e.value).filter(Boolean)")
    explore = looker.api("GET", "lookml_models/thelook/explores/order_items", params={"fields": "fields"}).json()
    every = explore["fields"]["dimensions"] + explore["fields"]["measures"]
    views = list(dict.fromkeys(f["view_label"] for f in every))  # grouped by view, as Looker's field picker
    assert offered == [f["name"] for view in views for f in every if f["view_label"] == view]
    assert len(offered) > 3 and "products.brand" in offered
    app.select_option("select[aria-label='Add a filter on']", "products.department")
    app.fill("#filter-products-department", "Women")
    app.click("#run")
    query = looker.api("GET", "looks/1").json()["query"]
    filters = dict(query["filters"], **{"products.department": "Women"})
    expected = looker.api("POST", "queries/run/json", json={
        "model": "thelook", "view": "order_items", "fields": query["fields"], "filters": filters,
        "sorts": query["sorts"]}).json()
    total = "${:,.2f}".format(expected[0]["order_items.total_sale_price"])  # Women's total, not everyone's
    app.wait_for_function("([n, s]) => { const c = document.querySelector('#results .count');"
                          " const r = document.querySelectorAll('#results .grid-row:first-child .grid-cell');"
                          " return c && c.dataset.rows === String(n) && r.length > 2 && r[2].textContent === s; }",
                          arg=[len(expected), total])


# --- 5. dashboards as Looker lays them out ------------------------------------------------------------
def test_dashboard_layout_tile_csv_drill_suggestions_and_presets(app, site, looker):
    app.set_viewport_size({"width": 1366, "height": 900})
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_function(TILES_DONE, timeout=60_000)
    app.wait_for_timeout(300)
    boxes = {t.get_attribute("data-element"): t.bounding_box() for t in app.locator(".tile").all()}
    assert abs(boxes["1"]["y"] - boxes["3"]["y"]) < 2 and boxes["1"]["x"] < boxes["2"]["x"] < boxes["3"]["x"]
    assert 0.28 < boxes["1"]["width"] / boxes["9"]["width"] < 0.36  # 8 of 24 columns beside a full-width text
    assert boxes["4"]["y"] > boxes["1"]["y"] + boxes["1"]["height"] - 2  # the second row is below the first
    for a in boxes:
        for b in boxes:
            if a < b:
                one, two = boxes[a], boxes[b]
                assert (one["x"] + one["width"] <= two["x"] + 1 or two["x"] + two["width"] <= one["x"] + 1
                        or one["y"] + one["height"] <= two["y"] + 1 or two["y"] + two["height"] <= one["y"] + 1), (a, b)
    shot(app, "dashboard-1366")  # docs/ shows it: `make screenshots` copies it there
    link = app.get_attribute(".tile[data-element='2'] .tile-looker", "href")
    assert link.startswith(looker.ui_url + "/explore/thelook/order_items?fields=order_items.status%2Corder_items.count")
    assert app.get_attribute(".open-in-looker", "href") == looker.ui_url + "/dashboards/1"
    with app.expect_download() as download_info:
        app.click(".tile[data-element='2'] .tile-csv")
    table = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text())))
    assert table[0] == ["Order Items Status", "Order Items Count"] and len(table) == 6
    # drill: a row of the table tile opens its underlying items
    app.locator(".tile[data-element='8'] .grid-row").first.click()
    app.wait_for_selector("#drill-panel:not([hidden]) #drill-results .count", timeout=30_000)
    assert header_texts(app, "#drill-results")[:3] == ["ID", "Created Date", "State"]
    assert int(app.get_attribute("#drill-results .count", "data-rows")) >= 1
    app.click("#close-drill")
    assert app.locator("#drill-panel").is_hidden()
    # drill from a chart: the first bar of "Items by Status" opens that status's items
    canvas = app.locator(".tile[data-element='2'] canvas")
    bar = canvas.evaluate("c => { const b = Chart.getChart(c).getDatasetMeta(0).data[0];"
                          " return {x: b.x, y: (b.y + b.base) / 2}; }")
    canvas.click(position=bar)
    app.wait_for_selector("#drill-panel:not([hidden]) #drill-results .count", timeout=30_000)
    status = app.evaluate("Chart.getChart(document.querySelector(\".tile[data-element='2'] canvas\")).data.labels[0]")
    assert app.inner_text("#drill-panel .muted").startswith("Status: " + status + " · Count: ")  # labelled
    assert header_texts(app, "#drill-results")[:3] == ["ID", "Created Date", "State"]
    app.click("#close-drill")
    # filter suggestions and date presets
    app.fill("#dashboard-filter-state", "Cal")
    app.wait_for_function("document.querySelectorAll('#suggest-state option').length > 0")
    assert app.locator("#suggest-state option").evaluate_all("els => els.map(e => e.value)") == ["California"]
    app.locator(".date-presets").select_option("7 days")
    assert app.input_value("#dashboard-filter-date") == "7 days"
    assert app.locator("#auto-refresh option").count() == 4


def test_auto_refresh_reruns_every_tiles_query(app, site, looker):
    runs = []  # the saved queries the page ran (a tile runs its own saved query)
    app.on("request", lambda r: runs.append(r.url) if re.search(r"/queries/\d+/run/", r.url) else None)
    app.goto(site.origin + "/#/dashboard/1?refresh=5")  # a wall screen's link: every 5 s (the floor)
    app.wait_for_function(TILES_DONE, timeout=60_000)
    assert app.input_value("#auto-refresh") == "5"
    tiles = set(runs)
    assert len(tiles) == 8
    calls = looker.local("GET", "stats")["api_calls"]
    deadline = time.time() + 60  # waiting for the counter, not timing it
    while min(runs.count(u) for u in tiles) < 3 and time.time() < deadline:
        app.wait_for_timeout(250)
    assert min(runs.count(u) for u in tiles) >= 3, [runs.count(u) for u in tiles]  # each tile re-ran twice
    assert looker.local("GET", "stats")["api_calls"] - calls >= 8  # and Looker saw them
    app.select_option("#auto-refresh", "0")
    assert app.evaluate("location.hash") == "#/dashboard/1"  # the link keeps the choice
    app.select_option("#auto-refresh", "60")
    assert app.evaluate("location.hash") == "#/dashboard/1?refresh=60"
    app.goto(site.origin + "/#/dashboard/1?refresh=soon")
    app.wait_for_selector("#refresh-problem")
    assert "whole number of seconds" in app.inner_text("#refresh-problem") and app.input_value("#auto-refresh") == "0"
    app.goto(site.origin + "/#/dashboard/1?refresh=1")  # 8 queries a second: refused, said why
    app.wait_for_selector("#refresh-problem")
    assert "at least 5 seconds" in app.inner_text("#refresh-problem") and app.input_value("#auto-refresh") == "0"


def test_dashboard_on_a_phone_is_one_column(app, site):
    app.set_viewport_size({"width": 390, "height": 844})
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_function(TILES_DONE, timeout=60_000)
    app.wait_for_timeout(300)
    tiles = app.locator(".tile").all()
    boxes = [t.bounding_box() for t in tiles]
    assert all(abs(b["x"] - boxes[0]["x"]) < 2 and abs(b["width"] - boxes[0]["width"]) < 2 for b in boxes)
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    assert app.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    shot(app, "dashboard-390")  # docs/ shows it: `make screenshots` copies it there


TILES_SETTLED = """() => [...document.querySelectorAll('.tile[data-type=vis]')].filter((tile) =>
    tile.querySelector('.count') || (tile.querySelector('.error') && tile.querySelector('.tile-retry'))).length === 8"""


def test_every_dashboard_tile_owns_its_failures_and_retry_recovers_it(app, site, looker):
    # the explore's fields (each tile's first call) always fail: every tile says so, with its own Retry
    def refuse(route):
        route.fulfill(status=500, headers={"Access-Control-Allow-Origin": site.origin, "Content-Type": "application/json"},
                      body=json.dumps({"message": "Internal server error (injected by the test)"}))

    app.route("**/api/4.0/lookml_models/**", refuse)
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_function(TILES_SETTLED, timeout=30_000)
    assert app.locator(".tile[data-type=vis] .tile-retry").count() == 8
    assert app.locator(".tile[data-type=vis] .error[data-kind=ServerError]").count() == 8  # said in words
    assert "Looker could not answer" in app.inner_text(".tile[data-type=vis] .error >> nth=0")
    app.unroute("**/api/4.0/lookml_models/**")
    retry_every_tile(app)
    app.wait_for_function(TILES_DONE, timeout=30_000)
    assert app.locator(".tile-retry").count() == 0

    # 10 % of API calls answer 500 and every 10th a 429: each tile reaches its data or its own error + Retry
    looker.local("POST", "faults", json={"error_rate": 0.1, "rate_limit_every": 10, "retry_after": 1})
    try:
        for _ in range(2):
            started = time.monotonic()
            app.goto(site.origin + "/#/browse")
            app.goto(site.origin + "/#/dashboard/1")
            app.wait_for_function(TILES_SETTLED, timeout=30_000)
            assert time.monotonic() - started < 30
            print("tiles with data:", app.locator(".tile[data-type=vis] .count").count(), "of 8;",
                  looker.local("GET", "stats"))
    finally:
        looker.local("POST", "faults", json={"error_rate": 0.0, "rate_limit_every": 0})
    retry_every_tile(app)
    app.wait_for_function(TILES_DONE, timeout=30_000)


def retry_every_tile(page):
    """Press each failed tile's Retry."""
    for button in page.query_selector_all(".tile-retry"):  # handles: each press replaces only its own tile
        button.click()
