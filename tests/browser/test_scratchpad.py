"""The scratchpad: starter snippets on MicroPython and through `sdk` on Pyodide, what `show`
draws, errors with their line, and shared links that run nothing by themselves."""

from __future__ import annotations

import csv
import io
import re

from conftest import shot  # the signed-in `app` fixture lives in conftest.py


def run(page, number: int, key: str = "", timeout: float = 30_000):
    """Run the editor's code (with the Run button, or a key), wait for run `number` to finish."""
    if key:
        page.focus("#scratch-code")
        page.keyboard.press(key)
    else:
        page.click("#scratch-run")
    section = f".run[data-run='{number}']"
    page.wait_for_function(f"document.querySelector(\"{section} .run-status\")?.textContent.includes(' ms')",
                           timeout=timeout)
    return page.locator(section)


def starter(page, key: str):
    page.select_option("#scratch-starter", key)


# Sleeps for an hour; window[flag] says it reached the sleep, then whether the sleep was cancelled.
SLEEPER = """import asyncio, js
show("before")
js.window.{flag} = "sleeping"
try:
    await asyncio.sleep(3600)
finally:
    js.window.{flag} = "cancelled"
show("never")
"""


def stop(page, number: int, key: str = ""):
    """Stop the run in progress (with the Stop button, or a key); wait for run `number` to say so."""
    if key:
        page.focus("#scratch-code")
        page.keyboard.press(key)
    else:
        page.click("#scratch-stop")
    section = f".run[data-run='{number}']"
    page.wait_for_function(f"document.querySelector(\"{section} .run-status\")?.textContent.includes('stopped')")
    return page.locator(section)


def assert_idle(page):
    assert page.is_enabled("#scratch-run") and page.is_hidden("#scratch-stop")


def test_starter_snippets_run_on_micropython_and_show_draws_them(app, site, looker):
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    assert app.input_value("#scratch-runtime") == "micropython"

    starter(app, "look")  # get a Look, change a filter, run it as CSV
    out = run(app, 1)
    texts = out.locator(".shown-text pre").all_inner_texts()
    assert texts[0] == "Sales by State, California and Texas only:"
    query = looker.api("GET", "looks/1").json()["query"]
    expected = looker.api("POST", "queries/run/csv", json={
        "model": "thelook", "view": "order_items", "fields": query["fields"], "sorts": query["sorts"],
        "filters": {"users.state": "California,Texas"}}).text
    table = list(csv.reader(io.StringIO(texts[1])))
    assert table == list(csv.reader(io.StringIO(expected))) and {row[0] for row in table[1:]} == {"California", "Texas"}

    starter(app, "dashboards")
    out = run(app, 2, key="Control+Enter")
    dashboards = looker.api("GET", "dashboards").json()
    assert out.locator(".shown-text pre").inner_text() == str(len(dashboards))
    tree = out.locator(".shown-json").inner_text()
    assert all(board["title"] in tree for board in dashboards)

    starter(app, "query")
    out = run(app, 3)
    rows = looker.api("POST", "queries/run/json", json={
        "model": "thelook", "view": "order_items", "fields": ["users.state", "order_items.count"],
        "sorts": ["order_items.count desc"], "limit": "10"}).json()
    assert out.locator(".shown-query .count").get_attribute("data-rows") == str(len(rows))
    first = out.locator(".shown-query .grid-row").first.locator(".grid-cell").all_inner_texts()
    assert first[0] == rows[0]["users.state"]
    out.locator(".shown-query canvas").wait_for()  # the run's status shows before its chart (Chart.js loads first)
    assert out.locator(".shown-query canvas[aria-label^='Column chart, ']").count() == 1

    starter(app, "users")
    out = run(app, 4)
    names = [user["display_name"] for user in looker.api("GET", "users").json()]
    assert out.locator(".shown-json .json-leaf .json-value").all_inner_texts() == [f'"{n}"' for n in names]

    assert app.locator(".run").count() == 4  # output accumulates, one section per run
    shot(app, "scratchpad")


def test_answers_show_their_keys_in_lookers_order_on_micropython(app, site, looker):
    """MicroPython's dict forgets key order: the scratchpad's `looker` asks for ordered answers."""
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    app.fill("#scratch-code", 'show(await looker.get("looks/1"))\nshow(await looker.me())\n')
    out = run(app, 1)
    keys = out.locator(".shown-json").evaluate_all("""trees => trees.map((tree) =>
        [...tree.querySelector('.json-children').children].map((node) => node.textContent.split(': ')[0]))""")
    assert keys == [list(looker.api("GET", "looks/1").json()), list(looker.api("GET", "user").json())]
    assert len(keys[0]) > 10


def test_errors_show_the_message_and_the_line_and_code_and_interpreter_stay_in_the_tab(app, site):
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    app.fill("#scratch-code", 'show("before")\nlook = await looker.get("looks/999999")\nshow("after")\n')
    out = run(app, 1)
    error = out.locator(".error").inner_text()
    assert error.startswith("NotFound on line 2: ") and "Traceback" not in error, error
    assert out.locator(".shown-text").all_inner_texts() == ["before"]
    app.fill("#scratch-code", "x = 1\nshow(y)\n")
    out = run(app, 2)
    assert out.locator(".error").inner_text().startswith("NameError on line 2: ")
    app.select_option("#scratch-runtime", "pyodide")  # picked, not started
    app.reload()
    app.wait_for_selector("#scratch-code")
    assert app.input_value("#scratch-code") == "x = 1\nshow(y)\n"
    assert app.input_value("#scratch-runtime") == "pyodide"  # the interpreter picked stays with the code


def test_a_shared_link_round_trips_and_runs_nothing_by_itself(app, site, browser_context):
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    code = ('import js\njs.window.__ran = "yes"\nme = await looker.get("user", {"fields": "id"})\n'
            'show("ran as " + me["id"])  # ünïcode & #?=\n')
    app.fill("#scratch-code", code)
    app.click("#scratch-share")
    link = app.input_value("#share-url")
    assert link.startswith(site.origin + "/#/scratchpad?code=")
    second = app.context.new_page()
    try:
        browser_context.requests_seen.clear()
        second.goto(link)
        second.wait_for_selector("#scratch-code")
        assert second.input_value("#scratch-code") == code
        assert "This code came from a link" in second.inner_text("#shared-warning")
        second.wait_for_timeout(1500)  # time enough to have run, had it been started
        assert second.evaluate("window.__ran") is None
        assert second.locator(".run").count() == 0
        assert not [url for url in browser_context.requests_seen if "/api/4.0/user?" in url]
        second.click("#scratch-run")  # the person's choice: now it runs
        second.wait_for_selector(".run .shown-text")
        assert second.evaluate("window.__ran") == "yes"
        assert second.inner_text(".run .shown-text").startswith("ran as ")
        assert second.locator("#shared-warning *").count() == 0 and "code=" not in second.evaluate("location.hash")
    finally:
        second.close()


def test_sdk_starter_runs_on_pyodide(app, site, looker):
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    starter(app, "sdk")
    assert app.input_value("#scratch-runtime") == "pyodide"
    out = run(app, 1, timeout=120_000)
    assert out.locator(".error").count() == 0, out.inner_text()
    assert out.locator(".shown-text pre").inner_text() == "Ada Admin"
    titles = [look["title"] for look in looker.api("GET", "looks").json()]
    assert out.locator(".shown-json .json-leaf .json-value").all_inner_texts() == [f'"{t}"' for t in titles]

    # Stop, on Pyodide: the runner's task is cancelled at its await, what it showed stays, the next run works
    app.fill("#scratch-code", SLEEPER.format(flag="__py"))
    app.click("#scratch-run")
    app.wait_for_function("window.__py === 'sleeping'")
    assert app.is_disabled("#scratch-run")
    out = stop(app, 2)
    assert re.fullmatch(r"Run 2 · Pyodide \+ looker_sdk · stopped after \d+\.\d s", out.locator(".run-status").inner_text())
    assert out.locator(".shown-text").all_inner_texts() == ["before"]
    app.wait_for_function("window.__py === 'cancelled'")
    assert_idle(app)
    app.fill("#scratch-code", 'show("after stop")\n')
    out = run(app, 3)
    assert out.locator(".shown-text").all_inner_texts() == ["after stop"]
    assert "never" not in app.inner_text("#scratch-output")


def test_stop_cancels_a_run_at_its_next_await_and_a_stopped_run_never_draws_again(app, site):
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    assert_idle(app)
    assert "never awaits" in app.inner_text("#scratch-help")  # the limit, said where it is seen

    app.fill("#scratch-code", SLEEPER.format(flag="__mp"))
    app.click("#scratch-run")
    app.wait_for_function("window.__mp === 'sleeping'")
    assert app.is_disabled("#scratch-run") and app.is_visible("#scratch-stop") and app.is_enabled("#scratch-stop")
    assert app.evaluate("document.activeElement.id") == "scratch-stop"  # the disabled Run hands focus on
    out = stop(app, 1)
    assert re.fullmatch(r"Run 1 · MicroPython · stopped after \d+\.\d s", out.locator(".run-status").inner_text())
    assert out.locator(".shown-text").all_inner_texts() == ["before"]  # what it showed so far stays
    app.wait_for_function("window.__mp === 'cancelled'")  # the code's task itself was cancelled
    assert_idle(app)

    # Code that swallows the cancellation and runs on must still never draw after Stop (Esc here),
    # neither into its own section nor over the next run's.
    app.fill("#scratch-code", 'import asyncio\nshow("two")\ntry:\n    await asyncio.sleep(3600)\n'
                              'except BaseException:\n    pass\nawait asyncio.sleep(0.3)\nshow("late")\n')
    app.click("#scratch-run")
    app.wait_for_selector("#scratch-stop:not([hidden])")
    second = stop(app, 2, key="Escape")
    assert_idle(app)
    app.fill("#scratch-code", 'import asyncio\nshow("three")\nawait asyncio.sleep(1)\nshow("three done")\n')
    third = run(app, 3)  # the stopped run's code ends 0.3 s into this one
    assert third.locator(".shown-text").all_inner_texts() == ["three", "three done"]
    assert re.fullmatch(r"Run 3 · MicroPython · \d+ ms", third.locator(".run-status").inner_text())
    assert "stopped after" in second.locator(".run-status").inner_text()
    assert second.locator(".shown-text").all_inner_texts() == ["two"]
    assert "late" not in app.inner_text("#scratch-output")
    assert_idle(app)

    # Leaving the scratchpad stops a run in progress: unseen, it would go on calling Looker.
    app.fill("#scratch-code", SLEEPER.format(flag="__left"))
    app.click("#scratch-run")
    app.wait_for_function("window.__left === 'sleeping'")
    app.evaluate("location.hash = '#/browse'")
    app.wait_for_function("window.__left === 'cancelled'")


# A Looker answer as run_query keeps it (a JavaScript array): a sum above 2**31 and an epoch in ms.
BIG = [{"orders.day": "2025-12-05", "orders.total": 3_000_000_000, "orders.created_ms": 1_764_923_456_789},
       {"orders.day": "2025-12-06", "orders.total": 2_500_000_000, "orders.created_ms": 1_764_923_456_790}]
BIG_CODE = """import js
from looker_pkce.browser.components import Result
rows = js.JSON.parse('%s')
show(Result(rows, ["orders.day", "orders.total", "orders.created_ms"]))
show(Result(rows, ["orders.day", "orders.total"]), chart="looker_column")
show(Result(rows, ["orders.day", "orders.total"]), chart="single_value")
show(Result(rows, ["orders.created_ms"]), chart="single_value")
show(js.JSON.parse('{"total": 3000000000, "created_ms": 1764923456789}'))
show({"total": 3000000000, "created_ms": 1764923456789})
"""


def test_numbers_above_2_31_reach_the_grid_a_chart_a_single_value_and_show_unchanged_on_micropython(app, site):
    """MicroPython's js bridge wraps whole numbers above 2**31 to 32 bits (3,000,000,000 would arrive as
    -1,294,967,296): whatever Python reads of a result crosses as JSON text (browser/bridge.py)."""
    import json

    from looker_pkce.core import series
    app.goto(site.origin + "/#/scratchpad")
    app.wait_for_selector("#scratch-code")
    app.fill("#scratch-code", BIG_CODE % json.dumps(BIG))
    out = run(app, 1)
    grid, column, single, epoch, from_js, from_python = (out.locator(".shown").nth(i) for i in range(6))

    cells = [row.locator(".grid-cell").all_inner_texts() for row in grid.locator(".grid-row").all()]
    assert [[text.replace(",", "") for text in row] for row in cells] == [
        [row["orders.day"], str(row["orders.total"]), str(row["orders.created_ms"])] for row in BIG]

    fields = ["orders.day", "orders.total"]
    meta = series.guessed_meta(fields, BIG[0])
    summary = series.chart_summary("looker_column", series.chart_config("looker_column", BIG, fields, [], meta, "")[0])
    assert "highest 3,000,000,000" in summary
    assert column.locator("canvas").get_attribute("aria-label") == summary  # the chart's text alternative
    column.locator(".chart-data summary").click()  # its data, as a table
    column.locator(".chart-data .grid-row").first.wait_for()
    assert column.locator(".chart-data .grid-row").first.locator(".grid-cell").all_inner_texts() == ["2025-12-05",
                                                                                                     "3,000,000,000"]

    assert single.locator(".single-value strong").inner_text() == series.single_value(BIG, fields, [], meta)["value"]
    assert epoch.locator(".single-value strong").inner_text().replace(",", "") == "1764923456789"
    for tree in (from_js, from_python):
        assert sorted(tree.locator(".json-leaf .json-value").all_inner_texts()) == ["1764923456789", "3000000000"]
