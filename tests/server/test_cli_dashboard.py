"""`looker-pkce new DIR --dashboard ID`: a page showing a Looker dashboard to whoever signs in.

The page, registered, built and served from its own origin, draws every tile for a viewer, passes
axe, and draws the same tiles with the same values as the reference app (both dashboards the local
Looker holds, the pivoted one among them); its dashboard.toml changes the page without touching
Looker; the built site names nothing of the data model."""

from __future__ import annotations

import io
import json
import re
import time

import pypdf
import pytest
import test_cli
from conftest import hidden_shown, sign_in_app
from test_cli import Published, assert_sign_out_says_looker_keeps_the_token

from drive import axe_audit, blocking, focus_unseen, looker_login, sideways, sign_in_at, with_axe
from local_looker.process import free_port
from looker_pkce.cli import main

admin_env = test_cli.admin_env  # the local Looker's admin API credentials, as register reads them
VIEWER = "viewer@example.com"
# every vis tile shows its row count and has drawn its chart, single value or grid
DRAWN = """() => { const tiles = [...document.querySelectorAll('.tile[data-type=vis]')];
  return tiles.length > 0 && tiles.every((t) => t.querySelector('.count') &&
    (t.querySelector('.visual canvas, .visual .single-value, .visual .vis-note, .grid-host .grid-row'))); }"""
# what each tile shows: its place on the grid, title, row count, chart data (labels and every series' values),
# single value, its first rows (how many more the virtual grid draws depends on the page's height)
SHOWN = """() => [...document.querySelectorAll('.tile')].map((t) => {
  const canvas = t.querySelector('canvas'); const chart = canvas && Chart.getChart(canvas);
  const text = (selector) => { const e = t.querySelector(selector); return e ? e.textContent : null; };
  return {id: t.dataset.element, title: text('h2'), rows: text('.count'), single: text('.single-value'),
    place: ['--col', '--row', '--w', '--h'].map((name) => t.style.getPropertyValue(name)),
    body: text('.tile-text'), note: text('.vis-note'),
    chart: chart ? {labels: chart.data.labels, series: chart.data.datasets.map((d) => [d.label, d.data])} : null,
    grid: [...t.querySelectorAll('.grid-host .grid-row')].slice(0, 5).map((r) => r.textContent)}; })"""
# names of the local Looker's model a published page must not carry (the model, its explores and fields)
MODEL_NAMES = ["thelook", "order_items", "products.category", "users.state", "order_items.total_sale_price",
               "order_items.created_year", "products.department", "inventory_items"]


@pytest.fixture(scope="module")
def boards(tmp_path_factory, looker, admin_env):
    """`new --dashboard 1` and `--dashboard 2` -> `register` -> `build` -> each served on its own origin."""
    sites = {}
    for board in ("1", "2"):
        folder = tmp_path_factory.mktemp("board") / f"board{board}"
        port = free_port()
        client = f"board-{board}"
        assert main(["new", str(folder), "--dashboard", board, "--client-id", client, "--api-url", looker.api_url]) == 0
        assert main(["register", f"http://127.0.0.1:{port}/", "--client-id", client, "--page", str(folder)]) == 0
        assert main(["build", str(folder)]) == 0
        sites[board] = Published(folder / "dist", port)
        sites[board].source = folder
    yield sites
    for site in sites.values():
        site.stop()


# rows of tiles as laid out for print: [top, bottom] in px of each line of tiles, in order
PRINT_LINES = """() => { const lines = [];
  for (const t of document.querySelectorAll('.tile')) {
    const r = t.getBoundingClientRect(); const top = r.top + scrollY, bottom = r.bottom + scrollY;
    const line = lines.find((l) => Math.abs(l[0] - top) < 1);
    if (line) { line[1] = Math.max(line[1], bottom); } else { lines.push([top, bottom]); } }
  return lines; }"""
# Each tile's top and bottom edges marked with a word the printed PDF carries as text (a chart prints as a
# picture): placed absolutely, so the layout does not change; {tile id: its title} back.
EDGES = """() => Object.fromEntries([...document.querySelectorAll('.tile')].map((t) => {
  t.style.position = 'relative';
  for (const [edge, word] of [['top', 'BEGINS'], ['bottom', 'ENDS']]) {
    const mark = document.createElement('span'); mark.textContent = 'TILE' + t.dataset.element + word;
    Object.assign(mark.style, {position: 'absolute', [edge]: '0', left: '0', fontSize: '6px'});
    t.append(mark); }
  return [t.dataset.element, t.querySelector('h2').textContent]; }))"""
EDGE = re.compile(r"TILE(\d+)(BEGINS|ENDS)")
# The titles of the tiles whose chart does not fit inside them as laid out for print (a chart prints as a
# picture, so this is read from the layout, not the PDF). Chart.js does not redraw for print: a printout has
# the canvas sizes it set for the screen, which the test keeps (SCREEN_CHARTS) and puts back before reading,
# as emulating print media lets Chart.js react.
SCREEN_CHARTS = """() => { window.screenCharts = [...document.querySelectorAll('.tile canvas')]
  .map((c) => [c, c.style.width, c.style.height]); }"""
CUT_CHARTS = """() => { for (const [canvas, width, height] of window.screenCharts) {
    canvas.style.width = width; canvas.style.height = height; }
  return [...document.querySelectorAll('.tile')].filter((t) => { const box = t.getBoundingClientRect();
    return [...t.querySelectorAll('canvas')].some((c) => { const r = c.getBoundingClientRect();
      return r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5 || r.height < 60; }); })
    .map((t) => t.querySelector('h2').textContent); }"""
PAPERS = {"A4": (297, 210), "Letter": (279.4, 215.9)}  # landscape, mm
MARGIN = 10  # mm, components.css's @page
PX = 96 / 25.4  # CSS px per mm


def printed(pdf: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [sheet.extract_text() for sheet in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pages_needed(lines: list[list[float]], height: float) -> int:
    """Pages for lines of tiles ([top, bottom], px) that never break: a line that does not fit on what is
    left of a page starts the next one."""
    pages, page_top = 1, 0.0
    for top, bottom in lines:
        if bottom - page_top > height:
            pages, page_top = pages + 1, top
    return pages


def failed(capsys, *args) -> str:
    """What a refused command said (it exits non-zero)."""
    capsys.readouterr()
    assert main([str(a) for a in args]) != 0
    said = capsys.readouterr()
    return said.out + said.err


def sign_in_on(page, url, email="admin@example.com"):
    sign_in_at(page, url, email)
    page.wait_for_function(DRAWN, timeout=60_000)


def test_new_dashboard_writes_the_title_and_the_tiles_by_id_and_nothing_of_the_model(boards, looker):
    folder = boards["1"].source
    assert "<title>Business Pulse</title>" in (folder / "index.html").read_text()
    toml = (folder / "dashboard.toml").read_text()
    assert 'dashboard = "1"' in toml and "#   3: Sales by State" in toml  # the tiles by id, to override
    assert json.loads((boards["1"].dist / "dashboard.json").read_text()) == {"dashboard": "1"}
    for site in boards.values():
        published = [p for p in site.dist.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
        leaks = {(p.name, name) for p in published for name in MODEL_NAMES if name.encode() in p.read_bytes()}
        assert not leaks, leaks


def test_editing_dashboard_toml_and_rebuilding_changes_the_page_and_bad_files_are_refused(boards, tmp_path, capsys):
    folder = boards["1"].source
    toml = folder / "dashboard.toml"
    original = toml.read_text()
    try:
        toml.write_text('dashboard = "1"\norder = ["3"]\nhidden = ["2"]\n[titles]\n"3" = "States"\n'
                        '[styles."3"]\n"--tile-accent" = "#8a3b00"\n')
        assert main(["build", str(folder), "--out", str(tmp_path / "dist")]) == 0
        assert json.loads((tmp_path / "dist" / "dashboard.json").read_text()) == {
            "dashboard": "1", "order": ["3"], "hidden": ["2"], "titles": {"3": "States"},
            "styles": {"3": {"--tile-accent": "#8a3b00"}}}
        for bad, said in [('dashboard = "1"\nquery = "x"\n', "unknown key “query”"),
                          ('dashboard = "1"\n[styles."3"]\ncolor = "red"\n', "not a CSS custom property"),
                          ('dashboard = "1"\n[styles."3"]\n"--a" = "red;}body{x:url(//evil)"\n', "letters, digits"),
                          ("dashboard = 1 2\n", "not TOML")]:
            toml.write_text(bad)
            assert said in failed(capsys, "build", folder, "--out", tmp_path / "refused")
            assert not (tmp_path / "refused").exists()
    finally:
        toml.write_text(original)


# pixels of each chart's canvas in an exact colour, per tile id: {id: {"r,g,b": count}} for the colours asked
PAINTED = """(colours) => Object.fromEntries([...document.querySelectorAll('.tile')].filter((t) => t.querySelector('canvas'))
  .map((t) => { const c = t.querySelector('canvas'); const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = Object.fromEntries(colours.map((k) => [k, 0]));
    for (let i = 0; i < data.length; i += 4) { const k = data[i] + ',' + data[i + 1] + ',' + data[i + 2];
      if (k in counts && data[i + 3] === 255) counts[k] += 1; }
    return [t.dataset.element, counts]; }))"""
DEFAULT_FIRST, THEMED_FIRST = "26,115,232", "138,59,0"  # components.css's --series-1, and the theme's


def test_the_overrides_file_and_the_theme_change_what_the_visitor_sees(page, boards):
    """dashboard.toml's order, hidden tiles, titles and styles, and theme.css's custom properties, seen on
    the page after `build`: the charts' colours included, no Python touched."""
    folder = boards["1"].source
    toml, theme = folder / "dashboard.toml", folder / "theme.css"
    original_toml, original_theme = toml.read_text(), theme.read_text()
    sign_in_on(page, boards["1"].url)
    before = page.evaluate(SHOWN)
    painted = page.evaluate(PAINTED, [DEFAULT_FIRST, THEMED_FIRST])
    assert [t["id"] for t in before][:3] == ["1", "2", "3"] and any(c[DEFAULT_FIRST] > 100 for c in painted.values())
    assert not any(c[THEMED_FIRST] for c in painted.values())
    try:
        toml.write_text('dashboard = "1"\norder = ["3"]\nhidden = ["2"]\n[titles]\n"3" = "States"\n'
                        '[styles."3"]\n"--tile-accent" = "#8a3b00"\n')
        theme.write_text(":root { --card: #fffdf7; --font: Georgia, serif; --gap: 6px; --series-1: #8a3b00; }\n")
        assert main(["build", str(folder)]) == 0
        page.reload()
        page.wait_for_function(DRAWN, timeout=60_000)
        after = page.evaluate(SHOWN)
        assert [t["id"] for t in after] == ["3"] + [t["id"] for t in before if t["id"] not in ("2", "3")]
        assert after[0]["title"] == "States" and after[0]["rows"] == next(t for t in before if t["id"] == "3")["rows"]
        tile = page.locator('.tile[data-element="3"]')
        assert tile.evaluate("(t) => getComputedStyle(t).borderTopColor") == "rgb(138, 59, 0)"
        other = page.locator('.tile[data-element="1"]')
        assert other.evaluate("(t) => getComputedStyle(t).borderTopColor") != "rgb(138, 59, 0)"
        assert other.evaluate("(t) => getComputedStyle(t).backgroundColor") == "rgb(255, 253, 247)"
        assert "Georgia" in other.evaluate("(t) => getComputedStyle(t).fontFamily")
        painted = page.evaluate(PAINTED, [DEFAULT_FIRST, THEMED_FIRST])
        assert any(c[THEMED_FIRST] > 100 for c in painted.values()), painted
        assert not any(c[DEFAULT_FIRST] for c in painted.values()), painted
    finally:
        toml.write_text(original_toml)
        theme.write_text(original_theme)
        assert main(["build", str(folder)]) == 0


def test_the_published_dashboards_filters_and_auto_refresh_live_in_its_address(page, boards):
    """Apply puts the filter in the address (Back undoes it), a reload and a shared link keep it, and an
    auto-refresh choice replaces the address; the tiles show what Looker answers for those values."""
    sign_in_on(page, boards["1"].url)
    # the values Items by Status (it listens to the State filter) draws
    counts = "JSON.stringify(Chart.getChart(document.querySelector(\".tile[data-element='2'] canvas\"))?.data.datasets[0].data)"
    everyone = page.evaluate(counts)
    page.fill("#dashboard-filter-state", "Texas")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_function("location.hash === '#?State=Texas'")
    page.wait_for_function(f"{counts} !== {json.dumps(everyone)}", timeout=30_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    texas = page.evaluate(counts)
    page.reload()
    page.wait_for_function(DRAWN, timeout=60_000)
    assert page.input_value("#dashboard-filter-state") == "Texas" and page.evaluate(counts) == texas
    page.select_option("#auto-refresh", "300")
    page.wait_for_function("location.hash === '#?State=Texas&refresh=300'")
    page.go_back()  # before Apply: no filter
    page.wait_for_function("location.hash === ''")
    page.wait_for_function(f"{counts} === {json.dumps(everyone)}", timeout=30_000)
    assert page.input_value("#dashboard-filter-state") == "" and page.input_value("#auto-refresh") == "0"


# the middle of the first bar (or slice) of a tile's chart, where a click lands on its datum
FIRST_BAR = """(c) => { const b = Chart.getChart(c).getDatasetMeta(0).data[0];
  return {x: Math.round(b.x), y: Math.round(b.base === undefined ? b.y : (b.y + b.base) / 2)}; }"""
DRILL_SHOWN = "#drill-panel:not([hidden]) #drill-results .count"
FORGET_FIRST_CALLS = """() => Object.keys(sessionStorage).filter((k) => k.endsWith(' first calls'))
  .forEach((k) => sessionStorage.removeItem(k))"""


def drill_cursors(page, rows, canvas):
    """The pointer over a table tile's first row, and over the first bar of a chart tile (hovered)."""
    at = page.locator(canvas).evaluate(FIRST_BAR)
    page.locator(canvas).hover(position=at)
    return (page.locator(rows).first.evaluate("(r) => getComputedStyle(r).cursor"),
            page.locator(canvas).evaluate("(c) => getComputedStyle(c).cursor"))


def test_the_published_dashboard_drills_for_people_who_may_explore_and_offers_no_drill_to_a_viewer(page, boards):
    """The page `new --dashboard` writes passes no drill setting: the component reads the person's Looker roles.
    The admin's table rows and chart bars show the pointer, and a row or a bar opens the drill dialog with its
    rows; the viewer's do not, and the same clicks open nothing and ask Looker for no drill query. Reading the roles
    holds no tile's query up: with their answer held back, every tile's query is sent and answered, and the tiles
    wait for it only to be drawn. When Looker does not say what the viewer may do (their roles unreadable), drills
    are offered and Looker's refusal is said in the drill dialog."""
    table_rows, bar = ".tile[data-element='8'] .grid-host .grid-row", ".tile[data-element='2'] canvas"
    sign_in_on(page, boards["1"].url)
    assert page.locator(table_rows).count() > 0 and page.locator(table_rows + ".clickable").count() == page.locator(
        table_rows).count()
    assert drill_cursors(page, table_rows, bar) == ("pointer", "pointer")
    page.locator(table_rows).first.click()
    page.wait_for_selector(DRILL_SHOWN, timeout=30_000)
    assert page.inner_text("#drill-panel h2") == "Drill: " + page.inner_text(".tile[data-element='8'] h2")
    assert int(page.get_attribute("#drill-results .count", "data-rows")) >= 1
    assert page.locator("#drill-results .grid-row").count() >= 1
    page.click("#close-drill")
    assert page.locator("#drill-panel").is_hidden()
    page.locator(bar).click(position=page.locator(bar).evaluate(FIRST_BAR))
    page.wait_for_selector(DRILL_SHOWN, timeout=30_000)
    label = page.evaluate(f"Chart.getChart(document.querySelector(\"{bar}\")).data.labels[0]")
    assert page.inner_text("#drill-panel .muted").startswith("Status: " + label + " · ")
    assert page.locator("#drill-results .grid-row").count() >= 1
    page.click("#close-drill")

    page.click("#sign-out")
    page.wait_for_selector("#sign-in", timeout=30_000)
    page.context.clear_cookies()  # Looker's login form again, for the viewer
    sign_in_on(page, boards["1"].url, VIEWER)
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/queries" in request.url
            and request.method == "POST" else None)
    assert page.locator(table_rows).count() > 0 and page.locator(table_rows + ".clickable").count() == 0
    assert drill_cursors(page, table_rows, bar) == ("auto", "auto")
    page.locator(table_rows).first.click()
    page.wait_for_timeout(1_000)  # a drill would have opened by now: the admin's opened within this
    assert page.locator("#drill-panel").is_hidden() and not asked, asked
    page.locator(bar).click(position=page.locator(bar).evaluate(FIRST_BAR))
    page.wait_for_timeout(1_000)
    assert page.locator("#drill-panel").is_hidden() and not asked, asked
    assert page.locator(".tile .error").count() == 0

    held, answered = [], set()
    page.route("**/api/4.0/users/*/roles", lambda route: route.continue_() if route.request.method == "OPTIONS"
               else held.append(route))
    page.on("response", lambda response: answered.add(response.url) if "/run/json" in response.url else None)
    page.evaluate(FORGET_FIRST_CALLS)  # this load's calls are the component's own, in its order, not the loader's
    page.reload()
    for _ in range(300):
        if held and len(answered) == 8:  # every vis tile's rows are in, the roles are not
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)
    assert held and len(answered) == 8 and page.locator(".tile .count").count() == 0, (held, answered)
    for route in held:  # the roles answer nothing usable
        route.fulfill(status=404, content_type="application/json", body='{"message": "Not found"}',
                      headers={"Access-Control-Allow-Origin": boards["1"].origin})
    page.wait_for_function(DRAWN, timeout=60_000)
    assert page.locator(table_rows + ".clickable").count() == page.locator(table_rows).count() > 0
    page.locator(table_rows).first.click()
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-results .error", timeout=30_000)
    assert "explore" in page.inner_text("#drill-results .error") and asked, asked  # Looker's own refusal


def test_new_dashboard_says_what_is_wrong_before_writing(looker, admin_env, tmp_path, capsys, monkeypatch):
    assert "has no dashboard 404" in failed(capsys, "new", tmp_path / "x", "--dashboard", "404", "--api-url", looker.api_url)
    assert not (tmp_path / "x").exists()
    monkeypatch.delenv("LOOKERSDK_CLIENT_SECRET")
    monkeypatch.delenv("LOOKERSDK_CLIENT_ID")
    monkeypatch.delenv("LOOKERSDK_BASE_URL")
    said = failed(capsys, "new", tmp_path / "y", "--look", "1", "--api-url", looker.api_url, "--ini", tmp_path / "none")
    assert "admin API credentials" in said and not (tmp_path / "y").exists()


def test_a_viewer_signs_in_on_the_published_page_sees_every_tile_axe_finds_nothing_and_it_prints_whole(page, boards):
    with_axe(page)
    page.goto(boards["1"].url)  # signed out: the page's title as its heading and a Sign in button, nothing more
    page.wait_for_selector("#sign-in", timeout=60_000)
    assert page.inner_text("h1") == "Business Pulse"
    assert not blocking(found := axe_audit(page, "dashboard-page-signed-out")), blocking(found)
    sign_in_on(page, boards["1"].url, VIEWER)
    assert page.locator(".tile[data-type=vis]").count() == 8 and page.locator(".tile .error").count() == 0
    assert page.inner_text("h1") == "Business Pulse"
    found = axe_audit(page, "dashboard-page")
    assert not blocking(found), blocking(found)
    assert hidden_shown(page) == []  # the drill dialog and the other hidden parts stay hidden without app.css
    assert sideways(page) == {}  # 320 px and 200 % zoom
    assert focus_unseen(page, 60) == []  # every control's focus drawn with components.css's 3 px ring

    # printed on A4 and Letter landscape, every tile whole: each tile's title and both its edges on one page of
    # the PDF. One tile made taller than a page (what `[styles."8"] "--h" = "30"` in dashboard.toml does) is
    # printed a page tall at most. The pages are as many as the lines of tiles need, none blank, every chart
    # is drawn inside its tile, and the controls are left out.
    titles = page.evaluate(EDGES)
    page.evaluate("document.querySelector('.tile[data-element=\"8\"]').style.setProperty('--h', '30')")
    printouts = {paper: printed(page.pdf(format=paper, landscape=True)) for paper in PAPERS}
    page.evaluate(SCREEN_CHARTS)
    assert not [control for control in ("Open in Looker", "CSV", "Auto-refresh") if control in str(printouts)]
    for paper, pages in printouts.items():
        on = {}  # (tile id, "BEGINS" or "ENDS") -> the pages that edge is on
        for number, text in enumerate(pages):
            for mark in EDGE.findall(text):
                on.setdefault(mark, []).append(number)
        for tile, title in titles.items():
            begins, ends = on.get((tile, "BEGINS")), on.get((tile, "ENDS"))
            assert begins is not None and len(begins) == 1 and begins == ends, (paper, title, begins, ends)
            assert title in pages[begins[0]] and sum(title in text for text in pages) == 1, (paper, title)
        assert all(EDGE.search(text) for text in pages), (paper, pages)  # no page without a tile
        width, height = PAPERS[paper]  # the lines of tiles as laid out on this paper's width
        page.emulate_media(media="print")
        page.set_viewport_size({"width": int((width - 2 * MARGIN) * PX), "height": int((height - 2 * MARGIN) * PX)})
        lines, cut = page.evaluate(PRINT_LINES), page.evaluate(CUT_CHARTS)
        page.emulate_media(media="screen")
        assert not cut, (paper, cut)
        assert len(lines) >= 4 and len(pages) == pages_needed(lines, (height - 2 * MARGIN) * PX) >= 2, (paper, pages, lines)

    # the viewer changes the dashboard's filter as far as Looker lets them: the tiles that listen to it answer
    # for Texas (their saved queries, re-made with the dashboard filter), none ends in an error
    counts = "JSON.stringify(Chart.getChart(document.querySelector(\".tile[data-element='2'] canvas\"))?.data.datasets[0].data)"
    everyone = page.evaluate(counts)
    page.fill("#dashboard-filter-state", "Texas")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_function(f"{counts} !== {json.dumps(everyone)}", timeout=30_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    assert page.locator(".tile .error").count() == 0

def test_a_sign_out_looker_refuses_is_said_on_the_published_dashboard(page, boards, looker):
    with_axe(page)
    sign_in_on(page, boards["1"].url)
    assert_sign_out_says_looker_keeps_the_token(page, looker, "dashboard-signed-out", ".tile")
    page.evaluate("location.hash = '#?State=Texas'")  # an address change no longer draws the signed-out dashboard
    page.wait_for_timeout(1_000)
    assert page.inner_text("#board") == "Business Pulse" and page.locator("#sign-out-note").is_visible()


def test_new_look_writes_a_page_that_draws_the_look(page, looker, admin_env, tmp_path):
    folder = tmp_path / "look"
    port = free_port()
    assert main(["new", str(folder), "--look", "1", "--client-id", "look-1", "--api-url", looker.api_url]) == 0
    assert main(["register", f"http://127.0.0.1:{port}/", "--client-id", "look-1", "--page", str(folder)]) == 0
    assert main(["build", str(folder)]) == 0
    site = Published(folder / "dist", port)
    try:
        page.goto(site.url)
        page.click("#sign-in", timeout=60_000)
        page.wait_for_selector("#login-email, #approve")
        looker_login(page)
        page.click("#approve")
        page.wait_for_selector(".look .count", timeout=60_000)
        page.wait_for_selector(".look canvas, .look .grid-row")
        assert page.inner_text("h1") == "Sales by State" and page.locator(".error").count() == 0
        found = axe_audit(page, "look-page")
        assert not blocking(found), blocking(found)
        assert sideways(page) == {}  # 320 px and 200 % zoom
        assert focus_unseen(page) == []
    finally:
        site.stop()


def test_the_published_page_and_the_app_draw_the_same_tiles_with_the_same_values(page, boards, site):
    drawn = {}
    for board in boards:
        sign_in_on(page, boards[board].url)
        drawn[board] = page.evaluate(SHOWN)
    sign_in_app(page, site)
    for board in boards:
        page.goto(site.origin + "/#/dashboard/" + board)
        ids = ",".join(t["id"] for t in drawn[board])
        page.wait_for_function("(ids) => [...document.querySelectorAll('.tile')].map((t) => t.dataset.element).join() === ids",
                               arg=ids, timeout=60_000)  # this dashboard's tiles, not the previous one's
        page.wait_for_function(DRAWN, timeout=60_000)
        assert drawn[board] == page.evaluate(SHOWN)
        charts = [t["chart"] for t in drawn[board] if t["chart"]]
        assert len(charts) >= 3 and all(t["rows"] for t in drawn[board] if t["id"] and t["body"] is None)
    assert any(len(chart["series"]) > 1 for chart in [t["chart"] for t in drawn["2"]])  # the pivot: a series per year


# boot.js's JSON tagger, counted: Looker's key order is read through it on the lean loader
COUNT_TAGGED = """Object.defineProperty(window, "lookerPkceTaggedJson", {configurable: true,
  set(tagger) { this.__tagger = (text) => { window.__tagged = (window.__tagged || 0) + 1; return tagger(text); }; },
  get() { return this.__tagger; }});"""
API_ENTRIES = """() => performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/4.0/"))
  .map((e) => ({path: e.name.split("/api/4.0/")[1], start: e.startTime}))"""


def test_a_signed_in_reload_has_every_tiles_call_under_way_before_python_starts(page, boards, looker):
    """The dashboard says its tiles' calls are its start-up (the dashboard, each explore's fields, each tile's rows,
    and the person's `user` and roles, which say whether it offers drills):
    on a signed-in reload the lean loader sends all of them before Python runs, each once, and the tiles take
    those answers; the dashboard's JSON is read in Looker's key order through the loader's tagger; the charts
    share one Chart.js <script>."""
    sign_in_on(page, boards["1"].url)  # this load remembers its start-up calls
    page.add_init_script(COUNT_TAGGED)
    page.route("**/chart.umd.min.js", lambda route: (time.sleep(0.5), route.continue_()))  # tiles wait on it together
    before = looker.local("GET", "stats")["api_calls"]
    page.reload()
    page.wait_for_function(DRAWN, timeout=60_000)
    assert page.locator(".tile .error").count() == 0
    calls = page.evaluate(API_ENTRIES)
    python = page.evaluate("performance.getEntriesByName('looker-pkce:python-ready')[0].startTime")
    paths = sorted(call["path"].split("?")[0] for call in calls)
    assert paths == sorted(["dashboards/1", "lookml_models/thelook/explores/order_items", "user", "users/1/roles",
                            "lookml_models/thelook/explores/users"] + [f"queries/{n}/run/json" for n in
                                                                        (1, 2, 3, 5, 6, 7, 8, 9)]), paths
    assert all(call["start"] < python for call in calls), (python, calls)
    assert looker.local("GET", "stats")["api_calls"] == before + len(calls)  # none sent twice
    assert page.evaluate("window.__tagged") >= 1
    assert page.evaluate("document.querySelectorAll('head script[src*=chart]').length") == 1  # one Chart.js for all
