"""The API console against the official spec: reference, deep links, history, snippets that run
as written, and the one-time token copy (MicroPython app, Chromium, local Looker)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import shot  # the signed-in `app` fixture lives in conftest.py

SPEC = json.loads((Path(__file__).resolve().parents[2] / "local_looker" / "spec" / "Looker.4.0.json").read_text())
OPERATIONS = {op["operationId"]: (path, verb, op) for path, verbs in SPEC["paths"].items()
              for verb, op in verbs.items()}
# a sample across tags: path and query parameters, a body, arrays, hashes, no content
SAMPLE = ["look", "create_query", "all_users", "search_dashboards", "run_inline_query", "delete_group",
          "user_attribute_user_values", "folder_children"]


def spec_type(schema: dict) -> str:
    """The type as the spec writes it, read here independently of scripts/api_index.py."""
    if "$ref" in schema:
        return schema["$ref"].split("/")[-1]
    if schema.get("type") == "array":
        return spec_type(schema["items"]) + "[]"
    if "additionalProperties" in schema:
        return "Hash[" + spec_type(schema["additionalProperties"]) + "]"
    return schema.get("type", "any") + (f" ({schema['format']})" if "format" in schema else "")


def open_method(page, site, method: str, query: str = ""):
    page.goto(f"{site.origin}/#/console/{method}{query}")
    page.wait_for_function(f"document.querySelector('#method-id')?.textContent === {json.dumps(method)}")


def squash(text: str) -> str:
    return " ".join(text.split())


def plain(markdown: str) -> str:
    """The words of a spec description as the console shows them: Markdown's marks gone, items bulleted."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"^\s*[-*] ", "• ", text, flags=re.M)
    return re.sub(r"[#*`]", "", text)


def test_console_shows_the_spec_for_a_sample_of_methods(app, site):
    for method in SAMPLE:
        path, verb, op = OPERATIONS[method]
        open_method(app, site, method)
        assert squash(app.inner_text("#method-description")) == squash(plain(op["description"])), method
        for param in op.get("parameters", []):
            row = app.locator(f".param[data-param='{param['name']}']")
            text = squash(row.inner_text())
            assert squash(param.get("description") or "") in text, (method, param["name"])
            assert spec_type(param.get("schema", param)) in text, (method, param["name"])
            assert row.locator("abbr.required").count() == (1 if param.get("required") else 0), (method, param)
        ok = [code for code in op["responses"] if code.startswith("2")][0]
        schema = op["responses"][ok].get("schema")
        assert app.inner_text("#response-type") == (spec_type(schema) if schema else "no content"), method
        model = spec_type(schema).rstrip("[]") if schema else None
        if model in SPEC["definitions"]:
            fields = app.locator(f"#response-ref .type-ref[data-type='{model}'] > table > tbody > tr > td:first-child")
            assert fields.all_inner_texts() == list(SPEC["definitions"][model]["properties"]), method
        group = app.locator(f".tag-group[data-tag='{op['tags'][0]}']")
        assert group.get_attribute("open") is not None and group.locator(f"button[data-op='{method}']").count() == 1
    tags = app.locator(".tag-group > summary").all_inner_texts()
    assert [t.rsplit(" ", 1)[0] for t in tags] == [t["name"] for t in SPEC["tags"]
                                                   if any(op[2]["tags"][0] == t["name"] for op in OPERATIONS.values())]


def test_json_keys_keep_lookers_order_on_micropython(app, site, looker):
    open_method(app, site, "look", "?look_id=1")
    app.click("#run-method")
    app.wait_for_selector("#call-status")
    keys = app.locator("#call-output > details > .json-children > *").evaluate_all(
        "nodes => nodes.map(n => (n.tagName === 'DETAILS' ? n.querySelector('summary') : n).textContent.split(':')[0])")
    assert keys == list(looker.api("GET", "looks/1").json()), keys


def test_deep_link_restores_a_method_with_its_inputs_and_history_lists_calls_or_names_no_such_method(app, site):
    open_method(app, site, "folder_children", "?folder_id=1&fields=id%2Cname&sorts=name")
    assert app.input_value("#param-folder_id") == "1" and app.input_value("#param-fields") == "id,name"
    curl = app.inner_text("#code-curl")  # shown before running
    assert "/api/4.0/folders/1/children?fields=id%2Cname&sorts=name" in curl
    app.fill("#param-sorts", "")
    app.fill("#param-per_page", "2")  # the address follows the form
    app.reload()
    app.wait_for_selector("#method-id")
    assert app.inner_text("#method-id") == "folder_children"
    assert (app.input_value("#param-folder_id"), app.input_value("#param-fields"), app.input_value("#param-sorts"),
            app.input_value("#param-per_page")) == ("1", "id,name", "", "2")
    app.click("#run-method")
    app.wait_for_selector("#call-status")
    open_method(app, site, "me")
    app.click("#run-method")
    app.wait_for_selector("#call-status")
    history = app.locator("#history li")
    assert history.all_inner_texts()[0].startswith("GET me") and "200" in history.all_inner_texts()[1]
    history.nth(1).locator("a").click()  # back to the earlier call, inputs and all
    app.wait_for_function("document.querySelector('#method-id')?.textContent === 'folder_children'")
    assert app.input_value("#param-per_page") == "2"
    shot(app, "console-reference")
    app.goto(f"{site.origin}/#/console/not_a_method")  # a deep link to no method says so, over the method list
    app.wait_for_selector("#method-panel [role=alert]")
    assert app.inner_text("#method-panel [role=alert]") == "No API 4.0 method is called “not_a_method”."
    assert app.locator("#method-id").count() == 0 and app.locator("#methods button[data-op='look']").count() == 1


def test_copied_token_runs_the_snippets_and_nothing_of_it_is_stored(app, site, looker, browser_context):
    open_method(app, site, "folder_children", "?folder_id=1&fields=id%2Cname")
    storage = "JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])"
    before = app.evaluate(storage)
    app.click("#get-token")
    app.wait_for_selector("#token-warning")
    assert app.locator("#token-once").count() == 0  # nothing before the confirmation
    app.click("#show-token")
    token = app.inner_text("#token-once").removeprefix("export LOOKER_TOKEN=").strip()
    assert len(token) > 20
    env = {**os.environ, "LOOKER_TOKEN": token}
    curl = subprocess.run(["bash", "-c", app.inner_text("#code-curl")], env=env, capture_output=True, text=True,
                          timeout=30)
    names = [item["name"] for item in looker.api("GET", "folders/1/children").json()]
    assert [item["name"] for item in json.loads(curl.stdout)] == names, curl.stderr
    requests_snippet = subprocess.run([sys.executable, "-c", app.inner_text("#code-requests")], env=env,
                                      capture_output=True, text=True, timeout=30)
    assert requests_snippet.returncode == 0 and names[0] in requests_snippet.stdout, requests_snippet.stderr
    assert "needs API credentials on a machine" in app.inner_text("#code-sdk")
    app.click("#hide-token")
    assert token not in app.evaluate("document.documentElement.textContent")
    assert app.evaluate(storage) == before  # showing it wrote nothing
    assert token not in app.evaluate("location.href + JSON.stringify(history.state)")
    assert not [url for url in browser_context.requests_seen if token in url]


def test_open_in_scratchpad_turns_the_call_into_python(app, site):
    body = {"model": "thelook", "view": "users", "fields": ["users.state"]}
    open_method(app, site, "create_query")
    app.fill("#param-body", json.dumps(body))
    app.click("#open-in-scratchpad")
    app.wait_for_selector("#scratch-code")
    code = app.input_value("#scratch-code")
    assert code.startswith('# This POST changes data in Looker.\nresult = await looker.post("queries", {')
    assert app.locator("#shared-warning *").count() == 0
    app.click("#scratch-run")
    app.wait_for_selector(".run .shown-json")
    assert '"thelook"' in app.inner_text(".run .shown-json")
