"""The reference app (index.html, MicroPython) end to end in Chromium against the local Looker."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import requests
from conftest import rows_shown, shot

from drive import looker_login, stored_tokens


def test_browse_folders_and_search(app, site):
    app.click("text=Sales")
    app.wait_for_selector("#listing li.look")
    assert {"Sales by State", "Orders by Month", "Business Pulse"} <= set(
        t.strip("📊🗂 ").strip() for t in app.locator("#listing li a").all_inner_texts())
    shot(app, "browse")
    app.fill("#search", "products")
    app.press("#search", "Enter")
    app.wait_for_selector("#listing h2:has-text('Results')")
    assert [t.strip("📊 ").strip() for t in app.locator("#listing li.look a").all_inner_texts()] == ["Top Products"]


def test_look_with_changed_filter_downloads_matching_csv(app, site, looker):
    app.goto(site.origin + "/#/look/1")
    saved_rows = rows_shown(app)
    assert saved_rows == 8
    shot(app, "look")
    app.fill("#filter-orders-created_date", "")
    app.select_option("select[aria-label='Add a filter on']", "users.state")
    app.fill("#filter-users-state", "California,Texas")
    app.click("#run")
    app.wait_for_function("document.querySelector('#results .count') && "
                          "document.querySelector('#results .count').dataset.rows === '2'")
    with app.expect_download() as download_info:
        app.click("#download-csv")
    path = download_info.value.path()
    table = list(csv.reader(io.StringIO(Path(path).read_text())))
    assert table[0] == ["Users State", "Order Items Count", "Order Items Total Sale Price"]
    expected = looker.api("POST", "queries/run/csv", json={
        "model": "thelook", "view": "order_items", "fields": ["users.state", "order_items.count",
                                                              "order_items.total_sale_price"],
        "filters": {"users.state": "California,Texas"}, "sorts": ["order_items.total_sale_price desc"]}).text
    assert table == list(csv.reader(io.StringIO(expected)))
    assert {row[0] for row in table[1:]} == {"California", "Texas"}


def test_a_download_shows_its_progress_and_can_be_cancelled(app, site, looker):
    """Looker's answer trickles in (64-byte pieces, 300 ms apart): the status line counts what arrived,
    Cancel aborts the fetch (no file is saved), and the next download completes with its size."""
    app.goto(site.origin + "/#/look/1")
    rows_shown(app)
    downloads = []
    app.on("download", lambda download: downloads.append(download))
    looker.local("POST", "faults", json={"trickle_ms": 300})
    try:
        app.click("#download-csv")
        status = app.locator("#results .download")
        app.wait_for_function("/: [1-9]\\d* bytes of \\d+ bytes \\(\\d+ %\\)/.test("
                              "document.querySelector('#results .download-status')?.textContent)")
        assert app.is_disabled("#download-csv")
        progress = status.inner_text()
        assert progress.startswith("Downloading sales_by_state.csv: ") and " of " in progress
        app.click("#results .download-cancel")
        app.wait_for_function("document.querySelector('#results .download-status').textContent.includes('cancelled')")
    finally:
        looker.local("POST", "faults", json={"trickle_ms": 0})
    cancelled = status.inner_text()
    assert cancelled.startswith("Download of sales_by_state.csv cancelled after ") and "Cancel" not in cancelled
    assert app.is_enabled("#download-csv") and app.locator("#results .download-cancel").count() == 0
    with app.expect_download():
        app.click("#download-csv")
    app.wait_for_function("document.querySelector('#results .download-status').textContent.startsWith('Downloaded')")
    expected = looker.api("GET", "looks/1/run/csv").content
    assert status.inner_text() == f"Downloaded sales_by_state.csv ({len(expected)} bytes)."
    assert len(downloads) == 1  # the cancelled download saved nothing


def test_explore_builds_runs_and_shares_a_query(app, site, looker):
    app.goto(site.origin + "/#/explore")
    app.wait_for_selector("#field-products-category")
    app.check("#field-products-category")
    app.check("#field-order_items-count")
    app.click("#add-filter")
    app.select_option("#filter-rows .filter-field", "products.department")
    app.fill("#filter-rows .filter-expression", "Women")
    app.select_option("#sorts", "products.category")  # picked from the explore's fields, not typed
    app.select_option("#vis-type", "looker_column")
    app.click("#run")
    assert rows_shown(app) == 8
    shot(app, "explore")
    body = json.loads(app.text_content("#query-body"))
    assert body["fields"] == ["products.category", "order_items.count"]
    assert body["filters"] == {"products.department": "Women"}
    expected = looker.api("POST", "queries/run/json", json=body).json()
    first_cell = app.locator("#results .grid-row").first.locator(".grid-cell").first.inner_text()
    assert first_cell == expected[0]["products.category"]
    share = app.get_attribute("#share-link", "href")
    app.goto(site.origin + "/" + share)  # a shared link rebuilds and runs the same query
    app.reload()
    assert rows_shown(app) == 8
    assert app.is_checked("#field-products-category")


def test_dashboard_renders_every_tile(app, site):
    app.goto(site.origin + "/#/dashboard/1")
    app.wait_for_function("document.querySelectorAll('.tile .count').length === 8", timeout=60_000)
    # a tile's count shows before its chart is drawn (Chart.js may still be loading)
    app.wait_for_function("document.querySelectorAll('.tile canvas').length >= 6", timeout=30_000)
    assert app.locator(".tile canvas").count() == 6  # column, bar, line, pie, area, scatter
    assert app.locator(".tile .single-value").count() == 1
    assert app.locator(".tile .grid").count() == 1  # the table tile
    text = app.locator(".tile[data-type=text] .tile-text").inner_text()
    assert "<b>This markup must show as text.</b>" in text
    shot(app, "dashboard")
    app.fill("#dashboard-filter-state", "Oregon")
    app.click("#dashboard-filters button[type=submit]")
    app.wait_for_function("document.querySelectorAll('.tile .count').length === 8", timeout=60_000)
    assert app.locator(".tile").nth(1).locator(".count").get_attribute("data-rows") == "5"


def test_api_console_runs_a_call_and_refuses_unconfirmed_mutations(app, site, browser_context):
    app.goto(site.origin + "/#/console")
    app.wait_for_selector("#run-method")
    app.click("#run-method")
    app.wait_for_selector("#call-status")
    assert app.inner_text("#call-status").startswith("200")
    assert "admin@example.com" in app.inner_text("#call-output")
    assert "Authorization: Bearer $LOOKER_TOKEN" in app.inner_text("#code-curl")
    assert "sdk.me()" in app.inner_text("#code-sdk")
    app.fill("#method-search", "create_query")
    app.click("button[data-op=create_query]")
    app.fill("#param-body", json.dumps({"model": "thelook", "view": "users", "fields": ["users.state"]}))
    browser_context.requests_seen.clear()
    app.click("#run-method")
    app.wait_for_selector("#confirm-needed")
    assert not [u for u in browser_context.requests_seen if "/api/4.0/queries" in u]  # nothing was sent
    app.check("#confirm-mutation")
    app.click("#run-method")
    app.wait_for_selector("#call-status")
    assert app.inner_text("#call-status").startswith("200")
    assert "models.WriteQuery" not in app.inner_text("#code-sdk") and "sdk.create_query(body=" in app.inner_text(
        "#code-sdk")
    shot(app, "console")


def test_html_in_data_is_rendered_as_text(app, site):
    app.goto(site.origin + "/#/look/4")
    rows_shown(app)
    cells = app.locator("#results .grid-cell").all_inner_texts()
    assert '<img src=x onerror="window.__xss=1">' in cells
    assert "<script>window.__xss=1</script>" in cells
    assert app.evaluate("window.__xss") is None
    assert app.locator("#results img, #results script, #results b").count() == 0


def test_large_result_stays_usable(app, site):
    body = {"model": "thelook", "view": "order_items", "fields": ["order_items.id", "order_items.sale_price",
                                                                  "order_items.created_date"],
            "sorts": ["order_items.id"], "limit": "100000", "vis_config": {"type": "looker_grid"}}
    app.goto(site.origin + "/#/explore?q=" + requests.utils.quote(json.dumps(body)))
    assert rows_shown(app) == 100_000
    assert app.locator("#results .grid-row").count() < 100  # virtual scrolling: only visible rows exist
    header = app.locator("#results .grid-header .grid-cell").nth(1)

    def first_prices():
        cells = app.locator("#results .grid-row").all()[:10]
        return [float(row.locator(".grid-cell").nth(1).inner_text().lstrip("$").replace(",", "")) for row in cells]

    def sorted_by_looker(direction):  # a header click re-runs the query sorted, as Looker does
        app.wait_for_selector(f"#results .grid-header .grid-cell[aria-sort={direction}]", timeout=60_000)
        assert rows_shown(app) == 100_000

    header.click()  # numbers sort largest first
    sorted_by_looker("descending")
    prices = first_prices()
    assert prices == sorted(prices, reverse=True) and prices[0] > 300
    header.click()
    sorted_by_looker("ascending")
    prices = first_prices()
    assert prices == sorted(prices) and prices[0] < 5


def test_sign_out_revokes_the_token(app, site, looker):
    token = stored_tokens(app)["access_token"]
    app.click("#auth-button")
    app.wait_for_selector("#sign-in")
    assert stored_tokens(app) is None
    assert requests.get(looker.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + token}).status_code == 401


def test_a_second_tab_joins_and_signing_out_there_signs_out_here(app, site, looker):
    app.context.requests_seen.clear()
    second = app.context.new_page()
    try:
        second.goto(site.origin + "/#/dashboards")
        second.wait_for_selector("body[data-ready]")
        assert second.inner_text("#user") == "Ada Admin"  # no sign-in page, no consent
        assert not [url for url in app.context.requests_seen if url.startswith(looker.ui_url)]
        second.click("#auth-button")
        second.wait_for_selector("#sign-in")
        app.wait_for_selector("#sign-in")  # this tab heard it and says so
        assert app.inner_text("#user") == "" and app.inner_text("#auth-button") == "Sign in"
        assert stored_tokens(app) is None
    finally:
        second.close()


def test_denied_sign_in_is_explained_in_place(page, site, looker):
    page.goto(site.origin + "/")
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    looker_login(page)
    page.click("#deny")
    page.wait_for_selector("#declined")
    assert page.inner_text("#declined").startswith("You chose not to connect.")
    assert page.locator(".signin .error").count() == 0  # a choice, not a failure: no traceback, no error box
    assert "error=" not in page.evaluate("location.href")
    assert page.inner_text("#sign-in") == "Try again"  # and a new sign-in is one click away
    page.click("#sign-in")
    page.wait_for_selector("#approve")


def test_settings_form_remembers_no_secret(page, site, looker):
    page.goto(site.origin + "/#/settings")
    page.wait_for_selector("#setting-client_id")
    page.fill("#setting-client_id", "another-app")
    page.click(".settings button[type=submit]")
    page.wait_for_selector("#sign-in")
    saved = json.loads(page.evaluate("localStorage.getItem('looker_pkce_app:settings')"))
    assert saved == {"ui_url": "", "api_url": "", "client_id": "another-app"}
    page.click("#sign-in")  # Looker now sees the other client id, which is not registered
    page.wait_for_selector("text=Unknown application")
    page.goto(site.origin + "/#/settings")
    page.wait_for_selector("#setting-client_id")
    page.click("text=Reset")
    page.wait_for_selector("#sign-in")
    assert page.evaluate("localStorage.getItem('looker_pkce_app:settings')") is None


@pytest.mark.parametrize("view,ready", [("#/dashboard/1", ".tile .count"), ("#/look/1", ".count"),
                                        ("#/explore", "#run"), ("#/console", "#run-method")])
def test_fits_a_phone_screen(app, site, view, ready):
    app.set_viewport_size({"width": 390, "height": 844})
    app.goto(site.origin + "/" + view)
    app.wait_for_selector(ready, timeout=60_000)
    app.wait_for_timeout(300)
    overflow = app.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    shot(app, "phone-" + view.strip("#/").replace("/", "-"))
    assert overflow <= 1, f"{view} is {overflow}px wider than the phone"


# Where a grid's last column is drawn, in its header and in its first row, against the grid's own box.
LAST_COLUMN = """(grid) => {
  const box = grid.getBoundingClientRect();
  const head = grid.querySelector('.grid-header .grid-cell:last-child').getBoundingClientRect();
  const cell = grid.querySelector('.grid-window .grid-row .grid-cell:last-child').getBoundingClientRect();
  return {shown: head.right <= box.right + 1 && head.left >= box.left - 1, aligned: Math.abs(head.left - cell.left) <= 1,
          page: document.documentElement.scrollWidth - window.innerWidth};
}"""


def test_a_table_wider_than_a_phone_scrolls_sideways_with_its_header(app, site):
    """Look 4's five text columns need ~720 px: at 390 px the grid, not the page, scrolls sideways, and a
    person's sideways swipe brings the last column into view with its header above it."""
    app.set_viewport_size({"width": 390, "height": 844})
    app.goto(site.origin + "/#/look/4")
    app.wait_for_selector(".grid .grid-window .grid-row", timeout=60_000)
    grid = app.locator(".grid").first
    before = grid.evaluate(LAST_COLUMN)
    assert not before["shown"] and before["page"] <= 1, before
    box = grid.locator(".grid-header").bounding_box()
    app.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.mouse.wheel(3000, 0)
    app.wait_for_timeout(200)
    after = grid.evaluate(LAST_COLUMN)
    assert after == {"shown": True, "aligned": True, "page": after["page"]} and after["page"] <= 1, after


def test_console_starts_pyodide_only_to_run_the_official_sdk(app, site, browser_context):
    app.goto(site.origin + "/#/console")
    app.wait_for_selector("#run-with-sdk")
    assert not [u for u in browser_context.requests_seen if "/static/vendor/pyodide/" in u]  # not loaded yet
    app.click("#run-with-sdk")
    app.wait_for_selector("#sdk-status", timeout=90_000)
    assert app.inner_text("#sdk-status").startswith("User from sdk.me()")
    assert '"admin@example.com"' in app.inner_text("#call-output")
    assert [u for u in browser_context.requests_seen if u.endswith("pyodide.asm.wasm")]
    app.fill("#method-search", "folder_children")
    app.click("button[data-op=folder_children]")
    app.fill("#param-folder_id", "1")
    app.click("#run-with-sdk")  # Pyodide is up now: this one is quick
    app.wait_for_function("document.querySelector('#sdk-status') && "
                          "document.querySelector('#sdk-status').textContent.startsWith('list from sdk.folder_children')")
    assert "Operations" in app.inner_text("#call-output")
