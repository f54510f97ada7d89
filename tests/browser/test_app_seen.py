"""Issue 23 in the browser: what a person sees in the first ten minutes, judged by what is drawn.

No element marked hidden is displayed (checked on every view the `app` fixture leaves, and here
after each step); a chart's drawn bars don't overlap and every legend entry is on screen (Chart.js's
own element geometry); what a search or a filter should narrow is narrowed; a viewer sees every tile
of the dashboards they may see, and is offered nothing they may not do."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from conftest import hidden_shown, rows_shown, shot, sign_in_app
from test_app_views import ended_session

# Per chart: the bars as drawn (Chart.js element geometry, per dataset and category) and the legend's
# boxes. A bar is a rectangle; two datasets' bars overlapping means one hides the other. `reach`: per
# category, the top and bottom of its bars together; `area`: the chart area's top and bottom.
CHART_GEOMETRY = """(selector) => [...document.querySelectorAll(selector)].map((canvas) => {
  const chart = Chart.getChart(canvas);
  const bars = [];
  chart.data.datasets.forEach((set, i) => {
    const meta = chart.getDatasetMeta(i);
    if (meta.type !== 'bar') return;
    meta.data.forEach((bar, j) => {
      if (set.data[j] === null || set.data[j] === undefined) return;
      const p = bar.getProps(['x', 'y', 'base', 'width', 'height', 'horizontal'], true);
      bars.push(p.horizontal
        ? {set: i, at: j, l: Math.min(p.x, p.base), r: Math.max(p.x, p.base), t: p.y - p.height / 2, b: p.y + p.height / 2}
        : {set: i, at: j, l: p.x - p.width / 2, r: p.x + p.width / 2, t: Math.min(p.y, p.base), b: Math.max(p.y, p.base)});
    });
  });
  const overlaps = [];
  for (const a of bars) for (const b of bars) {
    if (a.set < b.set && Math.min(a.r, b.r) - Math.max(a.l, b.l) > 0.5 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 0.5)
      overlaps.push([chart.data.datasets[a.set].label, chart.data.datasets[b.set].label, chart.data.labels[a.at]]);
  }
  const legend = chart.legend, items = legend.legendItems || [], boxes = legend.legendHitBoxes || [];
  const seen = items.filter((item, k) => legend.options.display && !item.hidden && boxes[k] && boxes[k].left >= 0
    && boxes[k].top >= 0 && boxes[k].left + boxes[k].width <= chart.width + 0.5
    && boxes[k].top + boxes[k].height <= chart.height + 0.5).map((item) => item.text);
  const reach = chart.data.labels.map((_, j) => {
    const at = bars.filter((bar) => bar.at === j);
    return at.length ? [Math.min(...at.map((bar) => bar.t)), Math.max(...at.map((bar) => bar.b))] : null;
  });
  return {sets: chart.data.datasets.map((s) => s.label), bars: bars.length, overlaps, legend: seen,
          stacked: !!(chart.options.scales.y || {}).stacked, axes: chart.data.datasets.map((s) => s.yAxisID),
          reach, area: [chart.chartArea.top, chart.chartArea.bottom]};
})"""

# Per chart: every axis's tick labels as drawn (Chart.js's own label items, measured in their font) and
# those that run past the canvas's edges, where a person sees them cut off.
TICKS_DRAWN = """(selector) => [...document.querySelectorAll(selector)].map((canvas) => {
  const chart = Chart.getChart(canvas), ctx = chart.ctx, labels = {}, cut = [];
  for (const scale of Object.values(chart.scales)) {
    labels[scale.id] = [];
    if (!scale.options.display || !scale.options.ticks.display) continue;
    for (const item of scale.getLabelItems()) {
      const [x] = item.options.translation, align = item.options.textAlign;
      ctx.save();
      ctx.font = item.font.string;
      const width = Math.max(...[].concat(item.label).map((line) => ctx.measureText(String(line)).width));
      ctx.restore();
      const left = align === 'right' ? x - width : align === 'center' ? x - width / 2 : x;
      labels[scale.id].push(String(item.label));
      if (!item.options.rotation && (left < -0.5 || left + width > chart.width + 0.5)) cut.push(String(item.label));
    }
  }
  return {labels, cut};
})"""

# The grid's column headers: each one's text and whether all of it shows (nothing cut off or hidden by an ellipsis).
HEADERS_SHOWN = """(selector) => [...document.querySelectorAll(selector + ' [role=columnheader] button')].map((b) => ({
  text: b.innerText.replace(/\\s+/g, ' ').trim(),
  whole: b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1}))"""

PIVOTED = {"model": "thelook", "view": "order_items",
           "fields": ["products.department", "order_items.created_year", "order_items.count",
                      "order_items.total_sale_price"],
           "pivots": ["order_items.created_year"], "filters": {"order_items.created_date": "3 years"},
           "sorts": ["products.department"], "limit": "500", "vis_config": {"type": "looker_column"}}
BOARD_2_DONE = "document.querySelectorAll('.tile[data-type=vis] .count').length === 4"


def charts_drawn(page, selector):
    return page.evaluate(CHART_GEOMETRY, selector)


def assert_every_bar_and_legend_entry_is_seen(chart):
    assert chart["overlaps"] == [], chart["overlaps"][:5]
    if len(chart["sets"]) > 1:
        assert chart["legend"] == chart["sets"]


def test_explore_field_search_narrows_the_fields_and_save_opens_only_when_asked(app, site):
    app.set_viewport_size({"width": 1366, "height": 900})
    app.goto(site.origin + "/#/explore?q=" + quote(json.dumps(PIVOTED)))
    rows_shown(app)
    every = app.locator(".field").count()
    assert not app.locator("#save-look-form").is_visible()  # 2. the form waits for its button
    assert hidden_shown(app) == []
    app.fill("input[aria-label='Find a field']", "category")  # 1. the search narrows the list
    shown = app.locator(".field:visible")
    assert 0 < shown.count() < every
    assert all("category" in (t.lower() + n) for t, n in zip(shown.all_inner_texts(), [
        e.get_attribute("data-name") for e in shown.all()]))
    assert hidden_shown(app) == []
    app.fill("input[aria-label='Find a field']", "")
    assert app.locator(".field:visible").count() == every
    app.click("#save-look")
    app.wait_for_selector("#save-look-form", state="visible")
    app.click("#save-look-cancel")
    assert not app.locator("#save-look-form").is_visible() and hidden_shown(app) == []
    # 3. two measures x three years: six grouped bars per department, each measure on its own axis
    chart = charts_drawn(app, "#results canvas")[0]
    assert len(chart["sets"]) == 6 and chart["bars"] == 12 and not chart["stacked"]
    assert chart["axes"] == ["y", "y", "y", "y1", "y1", "y1"]
    assert_every_bar_and_legend_entry_is_seen(chart)
    assert app.evaluate(TICKS_DRAWN, "#results canvas")[0]["cut"] == []
    shot(app, "explore-pivot-1366")
    app.set_viewport_size({"width": 390, "height": 844})
    app.wait_for_timeout(300)  # Chart.js redraws on resize
    assert_every_bar_and_legend_entry_is_seen(charts_drawn(app, "#results canvas")[0])
    assert app.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1  # nothing pushes sideways
    # a narrow chart's ticks are written compactly ($2M) and shown whole; the pivoted headers keep their years
    ticks = app.evaluate(TICKS_DRAWN, "#results canvas")[0]
    assert ticks["cut"] == [], ticks
    assert any(re.fullmatch(r"\$\d+(\.\d+)?M", label) for label in ticks["labels"]["y1"]), ticks
    headers = app.evaluate(HEADERS_SHOWN, "#results")
    assert all(h["whole"] for h in headers), headers
    texts = [h["text"] for h in headers]
    assert len(set(texts)) == len(texts) and len([t for t in texts if re.fullmatch(r"Count · \d{4}", t)]) == 3, texts
    shot(app, "explore-pivot-390")


def test_a_pivoted_dashboard_draws_every_bar_and_its_filters_live_in_the_address(app, site, looker):
    app.set_viewport_size({"width": 1366, "height": 900})
    app.goto(site.origin + "/#/dashboard/2")
    app.wait_for_function(BOARD_2_DONE, timeout=60_000)
    grouped, two_measures, stacked, percent = charts_drawn(app, "#tiles canvas")
    assert len(grouped["sets"]) == 3 and set(grouped["axes"]) == {"y"} and not grouped["stacked"]
    assert len(two_measures["sets"]) == 6 and not two_measures["stacked"]
    assert stacked["stacked"] and stacked["sets"] == ["Men", "Women"]  # the vis says "normal" stacking
    for chart in (grouped, two_measures, stacked, percent):
        assert_every_bar_and_legend_entry_is_seen(chart)
    assert_stacked_to_100_percent(app, percent)
    everyone = app.evaluate("Chart.getChart(document.querySelector('#tiles canvas')).data.datasets[0].data")
    # 4. Apply puts the filter in the address; a reload and a shared link keep it
    app.fill("#dashboard-filter-state", "Texas")
    app.click("#dashboard-filters button[type=submit]")
    app.wait_for_function("location.hash === '#/dashboard/2?State=Texas'")
    app.wait_for_function(BOARD_2_DONE, timeout=60_000)
    texas = app.evaluate("Chart.getChart(document.querySelector('#tiles canvas')).data.datasets[0].data")
    assert sum(texas) < sum(everyone) / 5  # narrowed to one state
    app.reload()
    app.wait_for_function(BOARD_2_DONE, timeout=60_000)
    assert app.input_value("#dashboard-filter-state") == "Texas"
    assert app.evaluate("Chart.getChart(document.querySelector('#tiles canvas')).data.datasets[0].data") == texas
    for chart in charts_drawn(app, "#tiles canvas"):
        assert_every_bar_and_legend_entry_is_seen(chart)
    assert app.locator("#tiles .limit-reached").count() == 0  # 8. a tile's limit is not the viewer's
    shot(app, "dashboard-filtered-1366")
    app.set_viewport_size({"width": 390, "height": 844})
    app.wait_for_timeout(300)
    for chart in charts_drawn(app, "#tiles canvas"):
        assert_every_bar_and_legend_entry_is_seen(chart)
    assert [t["cut"] for t in app.evaluate(TICKS_DRAWN, "#tiles canvas")] == [[]] * 4  # every tick label whole
    assert app.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    shot(app, "dashboard-filtered-390")
    # 8. a tile's CSV is named after its title
    app.set_viewport_size({"width": 1366, "height": 900})
    with app.expect_download() as download:
        app.click(".tile[data-element='11'] .tile-csv")
    assert download.value.suggested_filename == "items_and_revenue_by_department_and_year.csv"


def assert_stacked_to_100_percent(page, percent):
    """The "percent" tile: every year's bars reach from the axis to the top of the chart area, the ticks
    end at 100%, a tooltip says the share and the count, the summary the counts."""
    assert percent["stacked"] and len(percent["sets"]) > 1 and percent["bars"] > len(percent["sets"])
    top, bottom = percent["area"]
    assert all(abs(at[0] - top) < 1 and abs(at[1] - bottom) < 1 for at in percent["reach"]), (percent["reach"], top)
    assert page.evaluate(TICKS_DRAWN, ".tile[data-element='13'] canvas")[0]["labels"]["y"][-1] == "100%"
    told = page.evaluate("""() => {
      const canvas = document.querySelector(".tile[data-element='13'] canvas"), chart = Chart.getChart(canvas);
      const bar = chart.getDatasetMeta(0).data[0];
      chart.tooltip.setActiveElements([{datasetIndex: 0, index: 0}], {x: bar.x, y: bar.y});
      chart.update();
      return {lines: chart.tooltip.body.map((b) => b.lines.join()), summary: canvas.getAttribute("aria-label"),
              count: chart.data.datasets[0].valueTexts[0]};
    }""")
    assert re.fullmatch(r".+: \d+\.\d% \(" + re.escape(told["count"]) + r"\)", told["lines"][0]), told
    assert "stacked to 100% per category" in told["summary"] and re.search(r"highest [\d,]+ \(\d{4}, \d+\.\d%\)",
                                                                          told["summary"]), told["summary"]


def test_look_filters_live_in_the_address_and_an_added_filter_can_be_removed(app, site, looker):
    app.goto(site.origin + "/#/look/1")
    everyone = rows_shown(app)
    app.select_option("select[aria-label='Add a filter on']", "users.state")
    app.fill("#filter-users-state", "Texas")
    app.select_option("select[aria-label='Add a filter on']", "products.brand")
    app.click("button[aria-label='Remove the filter on Brand']")  # 8. an added filter can be removed
    assert app.locator("#filter-products-brand").count() == 0
    app.click("#run")
    app.wait_for_function("location.hash.includes('f%5Busers.state%5D=Texas')")
    assert "brand" not in app.evaluate("location.hash")
    app.wait_for_function("document.querySelectorAll('#results .grid-row').length === 1")
    app.reload()
    assert rows_shown(app) == 1 < everyone
    assert app.input_value("#filter-users-state") == "Texas"
    cells = app.locator("#results .grid-row").first.locator(".grid-cell").all_inner_texts()
    assert cells[0] == "Texas"


def test_a_viewer_sees_every_tile_filters_dashboards_and_is_offered_nothing_they_may_not_do(page, site, looker):
    refused = []
    page.on("response", lambda r: refused.append(r.url) if r.status in (401, 403) else None)
    sign_in_app(page, site, "viewer@example.com")
    assert page.inner_text("#user") == "Vic Viewer"
    assert not page.locator("nav.tabs a[data-view=explore]").is_visible()  # 5. no Explore in the menu
    page.goto(site.origin + "/#/dashboard/1")
    page.wait_for_function("document.querySelectorAll('.tile[data-type=vis] .count').length === 8", timeout=60_000)
    assert page.locator("#tiles .error").count() == 0
    page.goto(site.origin + "/#/dashboard/2?State=Texas")  # a dashboard filter: Looker lets viewers change it
    page.wait_for_function(BOARD_2_DONE, timeout=60_000)
    assert page.locator("#tiles .error").count() == 0
    texas = page.evaluate("Chart.getChart(document.querySelector('#tiles canvas')).data.datasets[0].data")
    admin_view = looker.api("POST", "queries/run/json", json={
        "model": "thelook", "view": "order_items", "fields": ["products.category", "order_items.created_year",
                                                              "order_items.count"],
        "pivots": ["order_items.created_year"], "sorts": ["products.category"], "limit": "8",
        "filters": {"order_items.created_date": "3 years", "users.state": "Texas"}}).json()
    first_year = sorted(admin_view[0]["order_items.count"])[0]
    assert texas == [row["order_items.count"].get(first_year) for row in admin_view]
    shot(page, "dashboard-viewer")
    page.goto(site.origin + "/#/look/1")
    rows_shown(page)
    assert page.locator("#run").count() == 0 and page.locator("select[aria-label='Add a filter on']").count() == 0
    assert page.get_attribute("#look-filters input", "readonly") is not None
    page.goto(site.origin + "/#/explore")
    page.wait_for_selector("#no-explore")
    assert page.locator("#save-look").count() == 0 and page.locator("#builder").count() == 0
    assert hidden_shown(page) == []
    assert refused == [], refused
    assert re.fullmatch(r"#/explore", page.evaluate("location.hash"))


def test_after_sign_out_the_page_says_looker_still_knows_you_and_links_to_its_sign_out(app, site, looker):
    app.click("#auth-button")
    app.wait_for_selector("#still-in-looker")
    assert "Ada Admin" in app.inner_text("#still-in-looker")
    logout = app.get_attribute("#looker-sign-out-link", "href")
    assert logout == looker.ui_url + "/logout"
    app.click("#sign-in")  # 6. Looker still has Ada: straight to Allow, no login form
    app.wait_for_selector("#approve")
    assert "admin@example.com" in app.inner_text("main") and app.locator("#login-email").count() == 0
    app.goto(logout)  # Looker's own sign-out page ends that session
    app.click("#looker-sign-out")
    app.wait_for_selector("#back-to-page")
    app.click("#back-to-page")
    app.wait_for_selector("#sign-in")
    app.click("#sign-in")
    app.wait_for_selector("#login-email")  # now Looker asks who you are
    sign_in_as = "viewer@example.com"
    app.fill("#login-email", sign_in_as)
    app.fill("#login-password", "looker-demo")
    app.click("#login-submit")
    app.click("#approve")
    app.wait_for_selector("body[data-ready]")
    assert app.inner_text("#user") == "Vic Viewer"


def test_errors_say_what_happened_mark_the_bad_filter_and_keep_the_last_results(app, site):
    app.goto(site.origin + "/#/look/99999")  # 7. a Look that is not there: words and a way back
    app.wait_for_selector(".view .error")
    text = app.inner_text(".view .error")
    assert text.startswith("Looker has no Look 99999, or it is not shared with you.") and "failed with" not in text
    assert app.locator(".view .error a.back[href='#/browse']").is_visible()
    body = {"model": "thelook", "view": "order_items", "fields": ["users.state", "order_items.count"],
            "sorts": ["order_items.count desc"], "limit": "5", "vis_config": {"type": "looker_grid"}}
    app.goto(site.origin + "/#/explore?q=" + quote(json.dumps(body)))
    assert rows_shown(app) == 5
    app.click("#add-filter")
    app.select_option("#filter-rows .filter-field", "order_items.created_date")
    app.fill("#filter-rows .filter-expression", "blah blah")
    app.click("#run")
    app.wait_for_selector("#results .status-line .error")
    error = app.locator("#results .status-line .error")
    assert error.inner_text().startswith("Looker could not do this") and "ApiError" not in error.inner_text()
    assert "'blah blah' is not a date" in error.inner_text()
    assert error.locator("a.error-docs").get_attribute("href").startswith("https://")  # a link, not text
    assert app.get_attribute("#filter-rows .filter-expression", "aria-invalid") == "true"
    assert app.locator("#previous-results .grid-row").count() == 5  # what the last run showed stays


def test_the_console_writes_into_the_view_so_an_ended_session_is_said_there(app, site, looker):
    app.goto(site.origin + "/#/console/me")
    app.wait_for_selector("#run-method")
    api = re.compile(re.escape(looker.api_url) + r"/api/(4\.0/.*|token)$")
    app.route(api, ended_session(site))
    app.click("#run-method")
    app.wait_for_selector(".view #session-ended", state="visible")  # the banner, in the view on screen
    assert app.locator("#session-ended button").inner_text() == "Sign in"
    app.unroute(api)


def test_sorts_and_pivots_are_picked_from_the_explores_fields(app, site, looker):
    body = {"model": "thelook", "view": "order_items", "fields": ["products.department", "order_items.created_year",
                                                                  "order_items.count"],
            "filters": {"order_items.created_date": "3 years"}, "limit": "10", "vis_config": {"type": "looker_column"}}
    app.goto(site.origin + "/#/explore?q=" + quote(json.dumps(body)))
    rows_shown(app)
    offered = app.locator("#pivots option").evaluate_all("els => els.map(e => e.value).filter(Boolean)")
    assert "order_items.created_year" in offered and "order_items.count" not in offered  # pivots are dimensions
    app.select_option("#pivots", "order_items.created_year")
    app.select_option("#sorts", "order_items.count")
    app.select_option("[data-picked=sorts] .chip select", "desc")
    app.select_option("#sorts", "products.department")
    app.click("button[aria-label='Remove Department']")
    app.click("#run")
    app.wait_for_function("location.hash.includes('pivots')")
    rows_shown(app)
    sent = json.loads(app.text_content("#query-body"))
    assert sent["pivots"] == ["order_items.created_year"] and sent["sorts"] == ["order_items.count desc"]
    chart = charts_drawn(app, "#results canvas")[0]
    assert len(chart["sets"]) == 3  # a series per year
    assert_every_bar_and_legend_entry_is_seen(chart)


def test_smaller_things_a_person_meets(app, site, browser_context):
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.origin)
    app.goto(site.origin + "/#/nosuchview")  # 8. an unknown address says so
    app.wait_for_selector("#no-such-view")
    assert "#/nosuchview" in app.inner_text("#no-such-view")
    app.goto(site.origin + "/#/console/me")
    app.wait_for_selector("#run-method")
    app.fill("#method-search", "look")  # the exact method first
    app.wait_for_function("document.querySelector('#methods button.method')?.dataset.op === 'look'")
    app.click("#methods button.method[data-op='look']")
    app.wait_for_selector("#method-description h3")
    description = app.inner_text("#method-description")
    assert "###" not in description and "**" not in description and "Get a Look" in description
    app.click("#copy-curl")  # Copy says so, and nothing fails behind it
    app.wait_for_function("document.querySelector('#copy-curl').firstChild.textContent === 'Copied'")  # what is seen
    assert app.inner_text("#copy-curl + [role=status]") == "Copied"  # and what a screen reader hears
    assert not [line for line in app.console_lines if "AttributeError" in line]
    app.goto(site.origin + "/#/browse")  # kinds drawn by CSS, not emoji
    app.wait_for_selector("#listing li")
    assert not re.search("[\U0001F300-\U0001FAFF]", app.inner_text("main"))
    assert app.locator(".folders .kind-icon.folder").first.bounding_box()["width"] > 5
    app.set_viewport_size({"width": 390, "height": 844})
    app.goto(site.origin + "/#/scratchpad")  # the snippet menu fits a phone
    app.wait_for_selector("#scratch-starter")
    assert app.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    box = app.locator("#scratch-starter").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_deny_on_a_deep_link_keeps_the_destination_for_the_next_try(page, site, looker):
    page.goto(site.origin + "/#/dashboard/2?State=Texas")
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    page.fill("#login-email", "admin@example.com")
    page.fill("#login-password", "looker-demo")
    page.click("#login-submit")
    page.click("#deny")
    page.wait_for_selector("#declined")
    assert page.evaluate("location.hash") == "#/dashboard/2?State=Texas"  # 8. the destination stays
    page.click("#sign-in")  # "Try again"
    page.click("#approve")
    page.wait_for_function(BOARD_2_DONE, timeout=60_000)
    assert page.input_value("#dashboard-filter-state") == "Texas"
