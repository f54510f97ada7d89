"""WCAG 2.2 AA, checked in the browser: axe-core on every view once it has drawn its data (the app,
the local Looker's login and consent pages, a page of the library's components; the scaffold's page
is in test_cli.py), no view scrolling sideways at 320 px or at 200 % zoom, and the docs' workflow
and a dashboard drill done with the keyboard alone."""

from __future__ import annotations

import json
from urllib.parse import quote

from browser import IMPACTS, axe_audit, blocking, looker_login, with_axe

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


def test_axe_finds_nothing_moderate_or_worse_on_any_view(page, site, looker):
    with_axe(page)
    problems, table = {}, []
    for view in audit_views(page, site):
        found = axe_audit(page, view)
        table.append(f"| {view} | " + " | ".join(str(found["counts"][i]) for i in IMPACTS) + " |")
        if blocking(found):
            problems[view] = blocking(found)
    print("\n| view | " + " | ".join(IMPACTS) + " |\n" + "\n".join(table))
    assert not problems, json.dumps(problems, indent=1)


def test_axe_on_the_librarys_components(page, site):
    with_axe(page)
    page.goto(site.origin + "/tests/pages/components.html")
    page.wait_for_selector("body[data-drawn]", timeout=60_000)
    found = axe_audit(page, "components")
    print("components", found["counts"])
    assert not blocking(found), blocking(found)
