"""app/snippets.py: the console's search, its links, and the same call as curl, requests, looker_sdk and Python."""

from __future__ import annotations

import pytest

from app import snippets

GET = {"id": "search_looks", "method": "get", "path": "/looks/search",
       "params": [["limit", "query", "integer(int64)", False, "", ""], ["deleted", "query", "boolean", False, "", ""]]}
POST = {"id": "create_query", "method": "post", "path": "/queries", "params": []}
DELETE = {"id": "delete_look", "method": "delete", "path": "/looks/{look_id}", "params": []}


def test_the_search_ranks_exact_then_prefix_then_contained_names_then_summaries_and_paths():
    methods = [{"id": i, "summary": s, "path": p} for i, s, p in (
        ("x_path", "x", "/A/looks"), ("x_summary", "All LOOKS", "/x"), ("has_look_in", "x", "/x"),
        ("look_at", "x", "/x"), ("Look", "x", "/x"), ("other", "x", "/x"))]
    assert [op["id"] for op in snippets.ranked(methods, "  LOOK ")] == [
        "Look", "look_at", "has_look_in", "x_path", "x_summary"]
    assert [op["id"] for op in snippets.ranked(methods, "/a/")] == ["x_path"]


def test_a_link_keeps_only_the_inputs_that_have_a_value():
    assert snippets.link_for("look", {"look_id": "7", "fields": ""}) == "#/console/look?look_id=7"
    assert snippets.link_for("me", {}) == "#/console/me"
    assert snippets.link_for("x", {"a b": "1&2"}) == "#/console/x?a%20b=1%262"


def test_a_get_is_written_without_a_body_and_without_a_warning():
    made = {key: (title, code) for key, title, code in snippets.snippets_for(
        "https://x", GET, "/looks/search", {"limit": "5", "deleted": "true"}, None)}
    assert list(made) == ["curl", "requests", "sdk", "python"]
    assert [title for title, _ in made.values()] == ["curl", "Python requests", "looker_sdk",
                                                     "Scratchpad (this page's Python)"]
    assert made["curl"][1] == ("# " + snippets.TOKEN_NOTE + "curl -X GET 'https://x/api/4.0/looks/search?limit=5&deleted"
                               "=true' \\\n  -H \"Authorization: Bearer $LOOKER_TOKEN\"")
    assert made["requests"][1].endswith(
        'response = requests.get(\n    "https://x/api/4.0/looks/search",\n'
        '    headers={"Authorization": "Bearer " + token},\n'
        '    params={\n      "limit": "5",\n      "deleted": "true"\n    },\n)\n'
        "response.raise_for_status()\nprint(response.json() if response.content else response.status_code)")
    assert "sdk = looker_sdk.init40()\nresult = sdk.search_looks(limit=5, deleted=" in made["sdk"][1]
    assert made["python"] == ("Scratchpad (this page's Python)",
                              'result = await looker.get("looks/search", {\n  "limit": "5",\n  "deleted": "true"\n})\n'
                              "show(result)\n")


def test_the_sdk_gets_integers_and_booleans_as_such():
    assert snippets.sdk_args(GET, "/looks/search", {"limit": "5", "fields": "id"}, None) == ["limit=5", 'fields="id"']
    assert snippets.sdk_arguments(GET, "/looks/search", {"limit": "5", "deleted": "false", "other": "7"}, None) == {
        "limit": 5, "deleted": False, "other": "7"}


def test_a_post_carries_its_body_as_json_and_warns_that_it_changes_data():
    made = {key: code for key, _, code in snippets.snippets_for("https://x", POST, "/queries", {}, {"model": "m"})}
    assert made["curl"].endswith("-H 'Content-Type: application/json' \\\n  -d '{\"model\": \"m\"}'")
    assert "params=" not in made["requests"] and '    json={\n      "model": "m"\n    },\n)' in made["requests"]
    assert made["sdk"].endswith('result = sdk.create_query(body={\n      "model": "m"\n    })\nprint(result)')
    assert made["python"] == ('# This POST changes data in Looker.\nresult = await looker.post("queries", {\n'
                              '  "model": "m"\n})\nshow(result)\n')
    empty = snippets.python_call(POST, "/queries", {}, None)
    assert 'looker.post("queries", None)' in empty


def test_a_delete_is_warned_about_and_sends_no_body_argument():
    assert snippets.python_call(DELETE, "/looks/1", {}, None) == (
        '# This DELETE changes data in Looker.\nresult = await looker.delete("looks/1")\nshow(result)\n')


def test_path_values_are_read_from_the_path_by_the_templates_positions():
    op = {"path": "/looks/{look_id}/run/{result_format}", "params": []}
    assert snippets.sdk_arguments(op, "/looks/1%2F2/run/json", {}, {"a": 1}) == {
        "look_id": "1/2", "result_format": "json", "body": {"a": 1}}
    assert snippets.sdk_arguments(op, "/looks/1", {}, None) == {"look_id": "1"}


@pytest.mark.parametrize("value,kind,typed", [
    ("12", "integer", 12), ("-12", "integer(int64)", -12), ("1.5", "integer", "1.5"), ("", "integer", ""),
    ("true", "boolean", True), ("false", "boolean", False), ("yes", "boolean", "yes"), ("7", "string", "7"),
    ("7", "number", "7"),
])
def test_query_values_are_typed_as_looker_sdk_wants_them(value, kind, typed):
    assert snippets.typed(value, kind) == typed and type(snippets.typed(value, kind)) is type(typed)


NOTE = ("# LOOKER_TOKEN: no client secret needed. On the console page, \"Get a token\" shows your own\n"
        "# short-lived access token once; then, in your terminal:  export LOOKER_TOKEN=…\n")


def test_a_call_without_query_values_is_written_in_full_as_runnable_shell_and_python():
    made = {key: code for key, _, code in snippets.snippets_for("https://x", POST, "/queries", {}, {"model": "m"})}
    assert made["curl"] == (NOTE + "curl -X POST 'https://x/api/4.0/queries' \\\n"
                            "  -H \"Authorization: Bearer $LOOKER_TOKEN\" \\\n"
                            "  -H 'Content-Type: application/json' \\\n  -d '{\"model\": \"m\"}'")
    assert made["requests"] == ("import os\n\nimport requests\n\n" + NOTE + "token = os.environ[\"LOOKER_TOKEN\"]\n"
                                "response = requests.post(\n    \"https://x/api/4.0/queries\",\n"
                                "    headers={\"Authorization\": \"Bearer \" + token},\n"
                                "    json={\n      \"model\": \"m\"\n    },\n)\nresponse.raise_for_status()\n"
                                "print(response.json() if response.content else response.status_code)")
    assert made["sdk"] == (
        "# looker_sdk needs API credentials on a machine: a client_id and client_secret (Looker admin >\n"
        "# Users > API keys) in looker.ini or LOOKERSDK_BASE_URL / LOOKERSDK_CLIENT_ID /\n"
        "# LOOKERSDK_CLIENT_SECRET. This page's sign-in has no secret to give it.\n"
        "import looker_sdk\n\nsdk = looker_sdk.init40()\nresult = sdk.create_query(body={\n      \"model\": \"m\"\n"
        "    })\nprint(result)")
    for key in ("requests", "sdk"):
        compile(made[key], key, "exec")  # Python as written
