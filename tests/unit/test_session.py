"""core/session.py: the session's identity and names, the refresh margin, the retry rules and the first calls."""

from __future__ import annotations

import json
import subprocess

import pytest

from looker_pkce.core import oauth, session

CONFIG = oauth.Config("https://ui.example", "https://api.example:19999", "app", "https://page.example/")
IDENT = session.identity(CONFIG)


def test_every_name_of_a_session_is_made_of_its_full_identity():
    assert session.identity(CONFIG) == IDENT == "https://ui.example https://api.example:19999 app"  # stored keys stay
    assert session.storage_key(IDENT, "tokens") == "looker_pkce " + IDENT + " tokens"
    assert session.lock_name(IDENT, "refresh") == "looker_pkce " + IDENT + " refresh"
    assert session.channel_name(IDENT) == "looker_pkce " + IDENT
    assert session.first_calls_key(IDENT) == "looker_pkce " + IDENT + " first calls"


def test_a_tokens_digest_is_the_first_half_of_its_sha256_in_hex():
    assert session.digest("abc") == "ba7816bf8f01cfea414140de5dae2223"
    assert session.digest("abd") != session.digest("abc")


def test_the_refresh_margin_is_a_tenth_of_the_lifetime_capped_at_a_minute():
    assert session.refresh_margin(100) == 10
    assert session.refresh_margin(600) == 60
    assert session.refresh_margin(601) == 60
    assert session.refresh_margin(7200) == 60


def test_the_backoff_doubles_from_a_second_and_stops_growing_at_its_cap():
    delays = [session.retry_delay("GET", "user", 503, None, attempt, 0.0, max_attempts=10) for attempt in range(7)]
    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert session.retry_delay("GET", "user", 503, None, 4, 0.99, max_attempts=10) == pytest.approx(16 * 1.495)
    assert session.retry_delay("GET", "user", 503, None, 5, 0.99, max_attempts=10) == 30.0  # jitter never passes it
    assert session.retry_delay("GET", "user", 503, None, 3, 0.5, max_attempts=10) == 10.0


def test_a_retry_after_is_waited_for_up_to_two_minutes_and_a_negative_one_means_now():
    assert session.retry_delay("GET", "user", 429, "120", 0, 0.0) == 120.0
    assert session.retry_delay("GET", "user", 429, "120.5", 0, 0.0) is None
    assert session.retry_delay("GET", "user", 429, "-5", 0, 0.0) == 0.0
    assert session.retry_delay("GET", "user", 429, "0", 0, 0.4) == pytest.approx(0.1)
    assert session.retry_delay("GET", "user", 429, "", 0, 0.0) == 1.0  # empty: the backoff


def test_the_number_of_attempts_is_bounded_by_max_attempts():
    assert session.retry_delay("GET", "user", 503, None, 2, 0.0) == 4.0
    assert session.retry_delay("GET", "user", 503, None, 3, 0.0) is None
    assert session.retry_delay("GET", "user", 503, None, 1, 0.0, max_attempts=1) is None


@pytest.mark.parametrize("path,read", [
    ("queries/run/json", True),  # run_inline_query
    ("/queries/run/csv?limit=5", True),
    ("sql_queries/abc/run/json", True),  # run_sql_query
    ("sql_queries", False),  # create_sql_query: makes a SQL Runner query
    ("sql_queries/", False),
    ("sql_queries/abc", False),
    ("queries", False),  # create_query
    ("queries/5/run/json", False),  # run_query: a GET in Looker's API, never a POST
    ("looks", False),
    ("run/queries/run/", False),
    ("xsql_queries/a/run/json", False),
    ("sql_queries/a/json?x=/run/", False),  # the part must be in the path, not its query
])
def test_only_the_query_runs_are_posts_that_only_read(path, read):
    assert session.is_read_only_post(path) is read
    assert session.replayable("POST", path) is read
    assert session.replayable("post", path) is read
    assert (session.retry_delay("POST", path, 503, None, 0, 0.0) is not None) is read


@pytest.mark.parametrize("method,status,attempt,expected", [
    ("GET", 429, 0, True), ("get", 502, 0, True), ("HEAD", 504, 0, True), ("OPTIONS", 503, 0, True),
    ("PUT", 503, 0, True), ("DELETE", session.NO_ANSWER, 0, True), ("PATCH", 503, 0, False),
    ("POST", 503, 0, False), ("GET", 500, 0, True), ("get", 500, 0, True), ("GET", 500, 1, False),
    ("PUT", 500, 0, False), ("GET", 501, 0, False), ("GET", 404, 0, False), ("GET", 401, 0, False),
    ("GET", 200, 0, False),
])
def test_which_answers_may_be_retried(method, status, attempt, expected):
    assert session.retryable(method, "looks/1", status, attempt) is expected


def test_a_call_is_on_its_first_try_unless_told_otherwise():
    assert session.retryable("GET", "user", 500) is True


def test_only_gets_are_replayable_among_the_methods_that_are_not_post():
    for method in ("PUT", "DELETE", "PATCH", "HEAD"):
        assert not session.replayable(method, "queries/run/json")
    assert session.replayable("get", "looks/1")


@pytest.mark.parametrize("path,ok", [
    ("user", True), ("folders/1/children?fields=id%2Cname", True), ("", False), ("?x=1", False),
    ("/user", False), ("https://evil.example/x", False), ("a\\b", False), ("user#x", False),
    ("a//b", False), ("a/./b", False), ("a/../b", False), ("user/", False), ("a b", False),
    ("a\x7fb", False), ("a\x1fb", False), ("é", False), ("a?b=~", True), ("!", True),
    ("a/%2e%2E/b", False), ("%2e/user", False), ("a%2eb", True), ("a?b=..%2e", True),
])
def test_the_loader_may_rebuild_only_relative_clean_api_paths(path, ok):
    assert session.api_path(path) is ok


@pytest.mark.parametrize("method,path,body,record", [
    ("get", "user", None, ["GET", "user", None]),
    ("post", "queries/run/json", "{}", ["POST", "queries/run/json", "{}"]),
    ("GET", "user", "", None),
    ("POST", "queries/run/json", {"a": 1}, None),
    ("POST", "sql_queries", "{}", None),
    ("PUT", "looks/1", "{}", None),
])
def test_a_first_call_record_is_the_upper_case_method_the_path_and_the_body_text(method, path, body, record):
    assert session.first_call(method, path, body) == record


def test_the_loader_rules_line_is_fixed_text_in_a_fixed_key_order():
    assert session.loader_rules_js() == (
        'const RULES = {"api_version": "4.0", "read_only_posts": [["queries/run/", ""], ["sql_queries/", "/run/"]],'
        ' "first_calls": 24, "first_calls_version": 2};')


def stored(pages, version=session.FIRST_CALLS_VERSION):
    return json.dumps({"version": version, "pages": pages})


def test_stored_first_calls_keep_only_well_formed_pages_and_at_most_the_most_a_page_may_have():
    many = [["GET", "t" + str(n), None] for n in range(session.MAX_FIRST_CALLS + 1)]
    text = stored({"/": many, "/bad": [["GET", "user"]], "/write": [["DELETE", "looks/1", None]],
                   "/empty": [], "/not a list": {"a": 1}})
    assert session.read_first_calls(text) == {"/": many[:24], "/empty": []}
    assert session.read_first_calls(stored({"/": many}, version=1)) == {}
    assert session.read_first_calls(json.dumps({"version": 2, "pages": [["GET", "a", None]]})) == {}
    assert session.read_first_calls("[]") == {}


def test_a_page_load_records_its_first_calls_until_four_or_until_one_that_may_not_be_replayed():
    record = session.FirstCalls(None, "/p")
    assert record.before == [] and record.pages == {}
    assert record.stored() is None  # nothing at all: nothing kept
    for name in "abc":
        assert record.take(["GET", name, None]) is None
    assert record.recording
    record.take(["GET", "d", None])
    assert not record.recording and record.done()
    assert json.loads(record.stored()) == {"version": 2, "pages": {"/p": [["GET", n, None] for n in "abcd"]}}
    stopped = session.FirstCalls(None, "/p")
    stopped.take(["GET", "a", None])
    stopped.take(None)
    stopped.take(["GET", "b", None])
    assert stopped.calls == [["GET", "a", None]]


def test_a_page_that_expects_more_start_up_calls_records_them_too_up_to_the_most_a_page_may_have():
    record = session.FirstCalls(None, "/board")
    record.take(["GET", "dashboards/1", None])
    record.expect(10)  # the dashboard's explores and tiles
    for n in range(10):
        record.take(["GET", "t" + str(n), None])
    assert not record.recording and len(record.calls) == 11
    assert json.loads(record.stored())["pages"]["/board"] == record.calls
    few = session.FirstCalls(None, "/p")
    few.expect(2)  # never fewer than FIRST_CALLS
    for name in "abcde":
        few.take(["GET", name, None])
    assert few.calls == [["GET", n, None] for n in "abcd"]
    capped = session.FirstCalls(None, "/p")
    capped.expect(1000)
    for n in range(30):
        capped.take(["GET", "t" + str(n), None])
    assert len(capped.calls) == session.MAX_FIRST_CALLS == 24
    stopped = session.FirstCalls(None, "/p")
    stopped.take(None)  # a write: the record has ended
    stopped.expect(5)
    stopped.take(["GET", "a", None])
    assert stopped.calls == [] and not stopped.recording


def test_a_replayed_answer_is_handed_out_once_by_its_place_in_the_loaders_order():
    calls = [["GET", "a", None], ["GET", "b", None]]
    record = session.FirstCalls(stored({"/p": calls, "/q": [["GET", "q", None]]}), "/p")
    assert record.take(["GET", "b", None]) == 1
    assert not record.done()  # recording, and "a" not taken yet
    record.take(None)
    assert not record.done()
    assert record.take(["GET", "a", None]) == 0
    assert record.done()
    assert record.take(["GET", "a", None]) is None
    assert json.loads(record.stored())["pages"] == {"/p": [["GET", "b", None]], "/q": [["GET", "q", None]]}
    nothing = session.FirstCalls(stored({"/p": calls}), "/p")
    nothing.take(None)
    assert nothing.stored() is None  # this page remembers nothing now, and no other page has anything


# --- the lean loader decides as session.py does --------------------------------------------------------
# boot.js's rebuilt() re-states api_path/replayable/first_call in JavaScript. Each stored record below is run
# through both, under Node: boot.js sends it (rebuilt() gives a request) exactly when session.py would have
# written it (read_first_calls keeps it), and what it sends stays on the API origin, under /api/<version>/, as
# Node's WHATWG URL parser (the browsers' own) reads the URL.
SENT, REFUSED = True, False
STORED_CALLS = [
    (["GET", "user", None], SENT),
    (["GET", "looks/1?fields=id,title", None], SENT),
    (["GET", "looks/search?title=SDK%25", None], SENT),  # percent-escapes in the query
    (["GET", "%2F%2Fevil.example/x", None], SENT),  # an escaped slash is no slash: /api/4.0/%2F%2Fevil.example/x
    (["GET", "looks%2F..%2Flogin", None], SENT),  # likewise: one segment, on the API origin
    (["POST", "queries/run/json", "{}"], SENT),  # run_inline_query only reads
    (["POST", "queries/run/json?limit=10", '{"model":"thelook"}'], SENT),
    (["POST", "sql_queries/abc/run/json", ""], SENT),  # run_sql_query
    (["POST", "queries", "{}"], REFUSED),  # create_query changes data
    (["POST", "sql_queries/abc", "{}"], REFUSED),
    (["POST", "queries/run/", "{}"], REFUSED),  # an empty segment
    (["POST", "queries/run/json", None], REFUSED),  # a POST's body is text
    (["POST", "queries/run/json", {"model": "thelook"}], REFUSED),
    (["GET", "user", "{}"], REFUSED),  # a GET has no body
    (["GET", "user", False], REFUSED),
    (["DELETE", "looks/1", None], REFUSED),
    (["PATCH", "users/1", "{}"], REFUSED),
    (["PUT", "looks/1", "{}"], REFUSED),
    (["get", "user", None], REFUSED),  # session.py writes the method upper-case
    (["GET", "https://evil.example/x", None], REFUSED),  # another host
    (["GET", "http://127.0.0.1:9/x", None], REFUSED),  # another loopback port
    (["GET", "//evil.example/x", None], REFUSED),  # protocol-relative
    (["GET", "user?next=https://evil.example/", None], REFUSED),
    (["GET", "/user", None], REFUSED),
    (["GET", "../../login", None], REFUSED),
    (["GET", "looks/../../../login", None], REFUSED),
    (["GET", "./user", None], REFUSED),
    (["GET", "%2e%2e/%2E%2e/login", None], REFUSED),  # escaped dots are dots to the URL parser: /login
    (["GET", ".%2e/login", None], REFUSED),
    (["GET", "looks/%2E/1", None], REFUSED),
    (["GET", "looks\\..\\login", None], REFUSED),  # the URL parser reads a backslash as a slash
    (["GET", "looks/1#x", None], REFUSED),
    (["GET", "looks//1", None], REFUSED),
    (["GET", "user ", None], REFUSED),
    (["GET", "us\ter", None], REFUSED),  # the URL parser drops tabs and newlines
    (["GET", "us\ner", None], REFUSED),
    (["GET", "lóoks", None], REFUSED),
    (["GET", "", None], REFUSED),
    (["GET", "?x=1", None], REFUSED),
    (["GET", 5, None], REFUSED),  # wrong types and shapes: refused, never an error
    (["GET", ["user"], None], REFUSED),
    ([5, "user", None], REFUSED),
    ([None, "user", None], REFUSED),
    (["GET", "user"], REFUSED),
    (["GET", "user", None, None], REFUSED),
    ("GET user", REFUSED),
    ({"0": "GET", "1": "user", "2": None}, REFUSED),
]
API = "https://api.example:19999"
REBUILT = """const fs = require("fs");
const source = fs.readFileSync(process.argv[1], "utf8").replace(/^export const ready.*$/m, "");
const rebuilt = new Function(source + "; return rebuilt;")();
const [calls, api] = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(calls.map((call) => {
  const request = rebuilt(call, api, "the-token");
  if (request === null) return null;
  const [url, init] = request, parsed = new URL(url);
  return {url, origin: parsed.origin, pathname: parsed.pathname, init};
})));
"""


def boot_js_rebuilt(calls):
    from scripts.boot_rules import BOOT_JS

    answer = subprocess.run(["node", "-e", REBUILT, str(BOOT_JS)], input=json.dumps([calls, API]),
                            capture_output=True, text=True, check=True)
    return json.loads(answer.stdout)


def kept_by_session_py(call) -> bool:
    return session.read_first_calls(stored({"/": [call]})) == {"/": [call]}


def test_boot_js_sends_a_stored_call_exactly_when_session_py_would_have_written_it():
    sent = boot_js_rebuilt([call for call, _ in STORED_CALLS])
    decided = [(call, expected, kept_by_session_py(call), request is not None)
               for (call, expected), request in zip(STORED_CALLS, sent, strict=True)]
    assert [d for d in decided if d[1:] != (d[1], d[1], d[1])] == []  # (call, the rule, session.py, boot.js)
    for (call, _), request in zip(STORED_CALLS, sent):
        if request is not None:
            method, path, body = call
            assert request["url"] == API + "/api/4.0/" + path, request
            assert request["origin"] == API and request["pathname"].startswith("/api/4.0/"), request
            headers = {"Accept": "application/json", "Authorization": "Bearer the-token"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            assert request["init"] == {"method": method, "headers": headers, "credentials": "omit",
                                       **({} if body is None else {"body": body})}, request
