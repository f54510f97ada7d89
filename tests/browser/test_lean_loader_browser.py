"""The lean loader (assets/boot.js): MicroPython with a ROMFS of precompiled modules, no PyScript,
and the page's first call sent while the interpreter starts (session.py, "First call")."""

from __future__ import annotations

import json
import urllib.parse

from drive import result, sign_in, stored_tokens

QUERY = {"model": "thelook", "view": "products", "fields": ["products.department", "products.count"],
         "sorts": ["products.department"]}
RUN = {"method": "POST", "path": "queries/run/json", "body": QUERY}
FIRST_CALLS_KEY = """() => Object.keys(sessionStorage).find((k) => k.endsWith(" first calls"))"""


def open_lean(page, site, call: dict | None = None) -> dict:
    query = "?first=" + urllib.parse.quote(json.dumps(call)) if call else ""
    page.goto(f"{site.origin}/tests/pages/harness-lean.html{query}")
    assert result(page, "boot", 60_000)["signed_in"] is True
    return result(page, "first", 30_000) if call else {}


def api_calls(looker) -> int:
    return looker.local("GET", "stats")["api_calls"]


def api_entries(page) -> list[dict]:
    return page.evaluate("""() => performance.getEntriesByType("resource")
        .filter((e) => e.name.includes("/api/4.0/")).map((e) => ({name: e.name, start: e.startTime}))""")


def test_signs_in_and_calls_without_pyscript(page, site, looker):
    assert sign_in(page, site, "lean") == {"signed_in": True, "interpreter": "mpy"}
    assert not page.evaluate("[...document.scripts].some((s) => s.src.includes('pyscript'))")
    first = open_lean(page, site, {"method": "GET", "path": "user"})
    assert first["ok"]["email"] == "admin@example.com"
    requested = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert sum(name.endswith(".romfs") for name in requested) == 1  # every module in one request
    assert not any(name.endswith(".py") and "harness.py" not in name for name in requested)


def test_the_first_call_goes_out_once_before_python_starts(page, site, looker):
    sign_in(page, site, "lean")
    expected = open_lean(page, site, RUN)["ok"]  # remembered now: the next load sends it early
    record = json.loads(page.evaluate(f"sessionStorage.getItem(({FIRST_CALLS_KEY})())"))
    [remembered] = record["pages"]["/tests/pages/harness-lean.html"]
    assert remembered[:2] == ["POST", "queries/run/json"] and json.loads(remembered[2]) == QUERY  # no URL, no token
    before = api_calls(looker)
    assert open_lean(page, site, RUN)["ok"] == expected
    assert api_calls(looker) == before + 1  # sent by the loader, taken by the client: once
    [entry] = api_entries(page)
    assert entry["start"] < page.evaluate("window.__pythonStarted")


def test_the_first_calls_go_out_together_before_python_starts(page, site, looker):
    calls = [{"method": "GET", "path": "user"}, RUN, {"method": "GET", "path": "looks/1"}]
    sign_in(page, site, "lean")
    expected = open_lean(page, site, calls)["ok"]
    before = api_calls(looker)
    assert open_lean(page, site, calls)["ok"] == expected
    assert api_calls(looker) == before + 3
    entries = api_entries(page)
    assert len(entries) == 3 and max(e["start"] for e in entries) < page.evaluate("window.__pythonStarted")


def test_a_different_first_call_is_sent_anew(page, site, looker):
    sign_in(page, site, "lean")
    open_lean(page, site, RUN)
    before = api_calls(looker)
    assert open_lean(page, site, {"method": "GET", "path": "user"})["ok"]["email"] == "admin@example.com"
    assert api_calls(looker) == before + 2  # the loader's guess (wasted) and the real call


def test_no_early_call_with_a_token_that_is_not_fresh_or_a_call_that_writes(page, site, looker):
    sign_in(page, site, "lean")
    open_lean(page, site, RUN)
    tokens = stored_tokens(page)
    page.evaluate("""(stale) => {
        const key = Object.keys(sessionStorage).find((k) => k.endsWith(" tokens"));
        sessionStorage.setItem(key, JSON.stringify(stale)); }""", {**tokens, "fresh_until": 0})
    before = api_calls(looker)
    open_lean(page, site, RUN)
    assert api_calls(looker) == before + 1 and len(api_entries(page)) == 1  # only Python's own call
    assert api_entries(page)[0]["start"] > page.evaluate("window.__pythonStarted")
    create = {"method": "POST", "path": "queries", "body": QUERY}
    open_lean(page, site, create)
    assert page.evaluate(f"({FIRST_CALLS_KEY})()") is None  # a call that writes is never remembered
    before = api_calls(looker)
    open_lean(page, site, create)
    assert api_calls(looker) == before + 1
