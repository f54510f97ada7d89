"""Rules written once and used everywhere: each test names the rule and checks the places that
used to carry their own copy (an origin, whether a call changes data)."""

import pytest

from app import snippets
from local_looker.origins import origin_allowed
from looker_pkce.cli.pages import looker_hosts
from looker_pkce.core.compat import origin_of

URLS = [
    "HTTPS://Looker.Example.COM/login?x=1",
    "https://looker.example.com:19999/api/4.0",
    "http://127.0.0.1:9990",
    "https://[::1]:8443/#frag",
]


@pytest.mark.parametrize("url", URLS)
def test_an_origin_is_core_compat_origin_of_lower_cased_for_the_cli_the_local_looker_and_the_library(url):
    own = origin_of(url)
    assert own == own.lower() and "/" not in own.partition("://")[2]
    assert looker_hosts({"ui_url": url}) == [own]  # the page's CSP and preconnects
    assert origin_allowed(own, [own])  # the local Looker's CORS allowlist
    assert origin_allowed(url.split("/")[0] + "//" + url.split("/")[2], [own])


def test_an_origin_header_with_a_path_a_query_or_a_wildcard_is_no_origin():
    allow = ["https://app.example.com", "https://*.example.com"]
    for header in ("https://app.example.com/x", "https://app.example.com?q", "https://*.example.com", "null", ""):
        assert not origin_allowed(header, allow), header
    assert origin_allowed("https://app.example.com/", allow) and origin_allowed("https://a.b.example.com", allow)


OPERATIONS = [  # (operation, method, path, changes data): as in Looker's API 4.0 spec
    ("run_inline_query", "post", "/queries/run/{result_format}", False),
    ("run_sql_query", "post", "/sql_queries/{slug}/run/{result_format}", False),
    ("run_query", "get", "/queries/{query_id}/run/{result_format}", False),
    ("create_sql_query", "post", "/sql_queries", True),
    ("create_query", "post", "/queries", True),
    ("update_look", "patch", "/looks/{look_id}", True),
    ("delete_look", "delete", "/looks/{look_id}", True),
    ("set_user_attribute_user_value", "put", "/users/{user_id}/attribute_values/{user_attribute_id}", True),
]


@pytest.mark.parametrize("operation, method, path, writes", OPERATIONS, ids=[row[0] for row in OPERATIONS])
def test_a_call_changes_data_exactly_when_the_library_would_not_send_it_again(operation, method, path, writes):
    op = {"id": operation, "method": method, "path": path, "params": []}
    assert snippets.changes_data(op) is writes
    code = snippets.python_call(op, path, {}, {} if method != "get" else None)
    assert ("changes data in Looker" in code) is writes  # the scratchpad snippet's warning
