"""WCAG 2.2 AA, checked in the browser: axe-core (every WCAG A/AA rule, drive.AXE_RUN) on every view
once it has drawn its data (the app's views signed in, signed out and declined, an error, the local
Looker's login, consent and sign-out pages, a page of the library's components; the pages `new`
writes are in tests/server/test_cli.py and test_cli_dashboard.py), no view scrolling sideways at
320 px or at 200 % zoom, and the docs' workflow and a dashboard drill done with the keyboard alone."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from drive import IMPACTS, axe_audit, blocking, looker_login, sideways, with_axe

TILES_DONE = "document.querySelectorAll('.tile[data-type=vis] .count').length === 8"
EXPLORE = {"model": "thelook", "view": "order_items", "fields": ["order_items.status", "order_items.count"],
           "sorts": ["order_items.count desc"], "limit": "500", "vis_config": {"type": "looker_column"}}


def explore_link(site):
    return site.origin + "/#/explore?q=" + quote(json.dumps(EXPLORE))


def audit_views(page, site):
    """(view, ready condition) in the order a person meets them, signed in from the first one on."""
    page.goto(site.origin + "/")
    page.wait_for_selector("#sign-in")
    yield "sign-in"
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    yield "looker-login"
    looker_login(page)
    page.wait_for_selector("#approve")
    yield "looker-consent"
    page.click("#approve")
    page.wait_for_selector("body[data-ready] #listing li")
    yield "browse"
    page.goto(site.origin + "/#/folder/2")
    page.wait_for_selector("#listing a[href='#/look/1']")
    yield "folder"
    page.fill("#search", "products")
    page.press("#search", "Enter")
    page.wait_for_selector("#listing h2:has-text('Results')")
    yield "search"
    page.goto(site.origin + "/#/dashboards")
    page.wait_for_selector("li.dashboard a")
    yield "dashboards"
    page.goto(site.origin + "/#/look/99999")  # an error: a Look that is not there
    page.wait_for_selector(".view .error a.back")
    yield "error"
    page.goto(site.origin + "/#/look/1")
    page.wait_for_selector("#results .count")
    page.wait_for_selector("#results canvas, #results .grid-row")
    yield "look"
    page.goto(explore_link(site))
    page.wait_for_selector("#results .grid-row")
    page.wait_for_selector("#results canvas")
    yield "explore"
    page.goto(site.origin + "/#/dashboard/1")
    page.wait_for_function(TILES_DONE, timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.tile canvas').length >= 6")
    page.click(".tile[data-element='2'] .chart-data > summary")  # a chart's data, as a table
    page.wait_for_selector(".tile[data-element='2'] .chart-data .grid-row")
    yield "dashboard"
    page.locator(".tile[data-element='8'] .grid-row").first.click()
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-results .grid-row")
    yield "dashboard-drill"
    page.goto(site.origin + "/#/console/me")
    page.wait_for_selector("#run-method")
    page.click("#run-method")
    page.wait_for_selector("#call-status")
    yield "console"
    page.goto(site.origin + "/#/scratchpad")
    page.wait_for_selector("#scratch-starter")
    page.select_option("#scratch-starter", "query")
    page.click("#scratch-run")
    page.wait_for_selector("#scratch-output .grid-row")
    page.wait_for_selector("#scratch-output canvas")
    yield "scratchpad"
    page.goto(site.origin + "/#/settings")
    page.wait_for_selector("#setting-client_id")
    yield "settings"
    page.click("#auth-button")  # signed out of the page, still signed in to Looker: the card says so
    page.wait_for_selector("#still-in-looker")
    yield "signed-out"
    page.goto(page.get_attribute("#looker-sign-out-link", "href"))  # Looker's own sign-out page (a new tab)
    page.wait_for_selector("#looker-sign-out")
    yield "looker-logout"
    page.click("#looker-sign-out")
    page.wait_for_selector("#back-to-page")
    yield "looker-logged-out"
    page.click("#back-to-page")
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    looker_login(page)
    page.click("#deny")  # declined: the card says so in place
    page.wait_for_selector("#declined")
    yield "declined"


def test_every_view_passes_axe_and_reflows_at_320px_and_200_percent_zoom(page, site, looker):
    """Each view once it has drawn its data: axe-core finds nothing of impact moderate or above, and at
    320 px and at 200 % zoom nothing makes the page scroll sideways (a data grid scrolls inside itself,
    as WCAG allows for two-dimensional tables). Motion stops for people who ask for less."""
    with_axe(page)
    problems, table = {}, []
    for view in audit_views(page, site):
        found = axe_audit(page, view)
        table.append(f"| {view} | " + " | ".join(str(found["counts"][i]) for i in IMPACTS) + " |")
        if blocking(found):
            problems[view] = blocking(found)
        for name, measured in sideways(page).items():
            problems[f"{view} at {name}"] = measured
    for motion, spinning in (("reduce", "none"), ("no-preference", "spin")):  # the spinner, say
        page.emulate_media(reduced_motion=motion)
        shown = page.evaluate("""() => { const box = document.createElement("div"); box.className = "spinner";
            const dot = document.createElement("span");
            dot.className = "dot"; box.append(dot); document.body.append(box);
            const name = getComputedStyle(dot).animationName; box.remove(); return name; }""")
        if shown != spinning:
            problems[f"prefers-reduced-motion: {motion}"] = f"the spinner's animation is {shown}, not {spinning}"
    print("\n| view | " + " | ".join(IMPACTS) + " |\n" + "\n".join(table))
    assert not problems, json.dumps(problems, indent=1)


def test_axe_on_the_librarys_components(page, site):
    with_axe(page)
    page.goto(site.origin + "/tests/pages/components.html")
    page.wait_for_selector("body[data-drawn]", timeout=60_000)
    found = axe_audit(page, "components")
    print("components", found["counts"])
    assert not blocking(found), blocking(found)


# --- the keyboard --------------------------------------------------------------------------------------
FOCUSED = """() => { const e = document.activeElement, row = e.closest("[role=row]"), style = getComputedStyle(e);
    return {tag: e.tagName, role: e.getAttribute("role"), text: e.textContent, id: e.id,
            row: row ? row.getAttribute("aria-rowindex") : null, visible: e.matches(":focus-visible")
            && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2}; }"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, selector: str, limit: int = 80) -> dict:
    """Press Tab until `selector` has focus (each stop's focus must be visible; past the page's last stop
    focus is in the browser's own controls, <body> here); what has focus then."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"] or now["tag"] == "BODY", f"focus is not visible on {now} on the way to {selector}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return now
    raise AssertionError(f"{selector} is not reached with Tab in {limit} presses")


def test_the_grid_and_chart_components_work_from_the_keyboard(page, site):
    """The library's grid is an ARIA grid under virtual scrolling (2,000 rows, a few dozen in the DOM):
    one tab stop, arrows/Home/End/Page keys/Ctrl+Home/End move, Enter and Space drill, Enter on a
    header sorts; a chart is named by its summary and its data opens as a table from the keyboard."""
    page.goto(site.origin + "/tests/pages/components.html")
    page.wait_for_selector("body[data-drawn]", timeout=60_000)
    grid = page.locator("#table[role=grid]")
    assert grid.get_attribute("aria-rowcount") == "2002" and grid.get_attribute("aria-colcount") == "3"
    assert grid.get_attribute("aria-label") == "Orders"
    assert page.locator("#table [role=columnheader]").evaluate_all("hs => hs.map(h => h.getAttribute('aria-sort'))") == [
        "ascending", "none", "none"]
    assert page.locator("#table [role=row]").count() < 80  # virtual: only a window of the rows is drawn
    assert page.locator("#table [role=row] > :not([role=gridcell]):not([role=columnheader])").count() == 0
    label = page.get_attribute("#chart canvas", "aria-label")
    assert label.startswith("Sales by category. Column chart, 5 categories. Amount: highest 5,000"), label
    assert "(Coats)" in label and "(Jeans)" in label

    tab_to(page, "#chart .chart-data > summary")  # the chart's data, on request
    page.keyboard.press("Enter")
    page.wait_for_selector("#chart .chart-data [role=grid] [role=row][aria-rowindex='6']")
    assert focused(page)["tag"] == "SUMMARY"
    first = tab_to(page, "#table *")  # one tab stop into the grid: the active header
    assert first["role"] is None and first["text"] == "Id" and first["tag"] == "BUTTON"
    assert grid.locator("[tabindex='0']").count() == 1
    page.keyboard.press("ArrowDown")
    assert focused(page) | {"visible": True} == {"tag": "DIV", "role": "gridcell", "text": "1", "id": "", "row": "2",
                                                 "visible": True}
    assert focused(page)["visible"]
    page.keyboard.press("End")
    assert focused(page)["text"] == "0.5"  # (0 * 37) % 500 + 0.5, the row's last column
    page.keyboard.press("PageDown")
    assert int(focused(page)["row"]) > 5
    page.keyboard.press("Control+End")  # the totals row, past 2,000 rows: the grid scrolled there
    assert focused(page)["row"] == "2002"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Home")
    last = focused(page)
    assert (last["row"], last["text"], last["role"]) == ("2001", "2000", "gridcell")
    assert grid.locator("[tabindex='0']").count() == 1 and page.locator("#table [role=row]").count() < 80
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.press(" ")
    assert page.evaluate("[...window.__drilled]") == [2000, 1999]
    page.keyboard.press("Control+Home")
    assert focused(page)["text"] == "Id"
    page.keyboard.press("Enter")  # sorted ascending already: Enter sorts it again, then the other way
    page.keyboard.press("Enter")
    assert page.get_attribute("#table [role=columnheader]:first-child", "aria-sort") == "descending"
    page.keyboard.press("ArrowDown")
    assert focused(page)["text"] == "2000" and focused(page)["row"] == "2"


def test_the_docs_workflow_and_a_dashboard_drill_with_the_keyboard_alone(page, site, looker):
    """Sign in, open a Look, change a filter, run it, download the CSV; then a dashboard: drill into a
    table tile's row and into a chart's bar (through its data table), each drill a dialog that takes
    focus, closes on Esc and gives focus back. No mouse; every stop's focus is visible."""
    page.goto(site.origin + "/")
    page.wait_for_selector("#sign-in")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "skip-link" and focused(page)["visible"]
    assert page.locator("#skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")  # past the header's stops, straight to the view
    assert focused(page)["id"] == "main" and page.evaluate("location.hash") == ""
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "sign-in"
    page.keyboard.press("Enter")
    page.wait_for_selector("#login-email")
    tab_to(page, "#login-email")
    page.keyboard.type("admin@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("looker-demo")
    page.keyboard.press("Enter")
    page.wait_for_selector("#approve")
    tab_to(page, "#approve")
    page.keyboard.press("Enter")
    page.wait_for_selector("body[data-ready] #listing a[href='#/folder/2']")

    tab_to(page, "#listing a[href='#/folder/2']")  # Browse › Sales › Sales by State
    page.keyboard.press("Enter")
    page.wait_for_selector("#listing a[href='#/look/1']")
    tab_to(page, "#listing a[href='#/look/1']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results .grid-row")
    assert page.title().startswith("Look ·")
    tab_to(page, "#filter-orders-created_date")
    page.keyboard.press("Control+A")
    page.keyboard.type("30 days")
    with page.expect_request(lambda r: r.method == "POST" and "/queries/run/json" in r.url) as ran:
        page.keyboard.press("Enter")  # runs the look with the changed filter
    assert json.loads(ran.value.post_data)["filters"]["orders.created_date"] == "30 days"
    page.wait_for_selector("#results .count")
    tab_to(page, "#download-csv")
    with page.expect_download() as download, page.expect_request(lambda r: "/queries/run/csv" in r.url) as asked:
        page.keyboard.press("Enter")
    assert json.loads(asked.value.post_data)["filters"]["orders.created_date"] == "30 days"
    assert download.value.suggested_filename == "sales_by_state.csv"
    rows = Path(download.value.path()).read_text().splitlines()
    assert rows[0] == "Users State,Order Items Count,Order Items Total Sale Price"

    tab_to(page, "nav a[data-view=dashboards]", limit=120)  # Shift+Tab would be shorter; Tab goes round
    page.keyboard.press("Enter")
    page.wait_for_selector("#main a[href='#/dashboard/1']")
    tab_to(page, "#main a[href='#/dashboard/1']")
    page.keyboard.press("Enter")
    page.wait_for_function(TILES_DONE, timeout=60_000)
    assert page.get_attribute(".tile[data-element='2'] .tile-csv", "aria-label") == "Download “Items by Status” as CSV"
    tab_to(page, ".tile[data-element='8'] [role=grid] *", limit=120)  # the table tile: one stop, the header
    page.keyboard.press("ArrowDown")
    cell = focused(page)
    assert cell["role"] == "gridcell" and cell["row"] == "2" and cell["visible"]
    page.keyboard.press("Enter")
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-results .count", timeout=30_000)
    assert page.evaluate("document.getElementById('drill-panel').contains(document.activeElement)")
    assert page.get_attribute("#drill-panel", "role") == "dialog"
    assert page.inner_text("#drill-panel h2") == "Drill: " + page.inner_text(".tile[data-element='8'] h2")
    page.keyboard.press("Escape")
    assert page.locator("#drill-panel").is_hidden()
    assert focused(page) == cell  # back where the drill started
    tab_to(page, ".tile[data-element='2'] .chart-data > summary", limit=120)  # a chart: its data as a table
    page.keyboard.press("Enter")
    page.wait_for_selector(".tile[data-element='2'] .chart-data .grid-row")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    status = focused(page)["text"]
    page.keyboard.press("Enter")
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-results .count", timeout=30_000)
    assert status in page.inner_text("#drill-panel .muted")
    tab_to(page, "#close-drill")
    page.keyboard.press("Enter")
    assert page.locator("#drill-panel").is_hidden() and focused(page)["text"] == status
