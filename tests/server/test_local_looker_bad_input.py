"""The local Looker against malformed and hostile input: never a 5xx, always Looker's JSON error shape,
and the same keep-alive connection answers a valid call right after every error."""

from __future__ import annotations

import json

import pytest
import requests

VALID_QUERY = {"model": "thelook", "view": "users", "fields": ["users.state", "users.count"], "limit": "5"}
BODY_ENDPOINTS = [("POST", "/api/4.0/queries"), ("POST", "/api/4.0/queries/run/json"), ("POST", "/api/4.0/looks"),
                  ("PATCH", "/api/4.0/looks/1"), ("PATCH", "/api/4.0/setting"), ("POST", "/api/4.0/query_tasks"),
                  ("POST", "/api/4.0/oauth_client_apps/fuzz-app"), ("POST", "/api/token")]
MALFORMED_JSON = ["{", "[", "}", '{"a":}', "{'a': 1}", '{"a" 1}', "nul", "tru", '"unterminated', "\x00",
                  "[1,]", '{"a":1,}', "NaN", "Infinity", "-", "\ufeff{}", "{" * 5 + "}" * 4, '{"\\ud800": 1}',
                  '{"a": "\\x"}', "[" * 50_000 + "]" * 50_000, '{"a":' * 50_000 + "1" + "}" * 50_000]
WRONG_SHAPES = ["null", "1", "[]", '"text"', "true", "[{}]", json.dumps([VALID_QUERY])]
INVALID_BYTES = [b"\xff\xfe\x00{", b"{\"a\": \"\xc3\x28\"}", b"\x80" * 100]


def query_mutations() -> list[dict]:
    """Query bodies with one bad part each (every example from issue #11 included)."""
    bad = {
        "limit": ["abc", "1e3", "-5", 10 ** 30, [1], {}, True, 1.5, "99999999", " ", "0x10", "-2", "５"],
        "sorts": [[123], "users.state", [None], [["x"]], [{}], ["users.nope desc"], ["users.count"] * 300],
        "filters": [["users.state"], "users.state=CA", 5, {"users.state": 5}, {"users.state": ["CA"]},
                    {"users.nope": "1"}, {"users.created_date": "99999999 days"},
                    {"users.created_date": "after 99999-01-01"}, {"users.created_date": "0000-00-00"},
                    {"users.state": ",".join(["CA"] * 40_000)}, {"users.age": "[1, x]"}, {"users.age": ">>5"},
                    {f"users.f{i}": "1" for i in range(150)}, {"users.state": "x" * 6_000}],
        "fields": [[["x"]], "users.state", [], [1], [None], ["users.state"] * 3_000, ["users.nope"], [{}]],
        "view": [{}, 1, [], "nope", "", None],
        "model": [{}, 1, "nope", "", ["thelook"]],
        "pivots": ["users.state", [1], ["users.nope"], ["users.age"]],
        "total": ["yes", 1, {}],
        "vis_config": [[], "line", 5],
        "dynamic_fields": [5, {}],
    }
    return [dict(VALID_QUERY, **{key: value}) for key, values in bad.items() for value in values]


def cases() -> list[tuple[str, str, dict]]:
    found = []
    for method, path in BODY_ENDPOINTS:
        found += [(method, path, {"data": text.encode(), "headers": {"Content-Type": "application/json"}})
                  for text in MALFORMED_JSON + WRONG_SHAPES]
        found += [(method, path, {"data": raw, "headers": {"Content-Type": "application/json"}})
                  for raw in INVALID_BYTES]
        found.append((method, path, {"data": b"{" + b" " * 1_100_000 + b"}"}))  # over the body limit
    for body in query_mutations():
        found += [("POST", "/api/4.0/queries/run/json", {"json": body}), ("POST", "/api/4.0/queries", {"json": body})]
    for body in [{"pivots": ["users.count"]}, {"pivots": ["users.age"]}, {"pivots": ["users.nope"]},
                 {"pivots": "users.state"}, {"pivots": ["users.state"], "fields": ["users.state"]},
                 {"filters": {"users.count": ">99999999"}}]:  # totals asked for, with a bad or empty part
        found.append(("POST", "/api/4.0/queries/run/json_detail", {"json": dict(VALID_QUERY, total=True, **body)}))
    for body in [{"title": 123, "query_id": "1", "folder_id": "2"}, {"title": "x", "query_id": {}, "folder_id": "2"},
                 {"title": "x", "query_id": "1", "folder_id": "999"}, {"title": ["x"]}, {"folder_id": [1]},
                 {"query_id": "999999"}, {"is_run_on_load": "yes"}, {"title": "\ud800"}, {"description": "\udfff x"}]:
        found += [("POST", "/api/4.0/looks", {"json": body}), ("PATCH", "/api/4.0/looks/1", {"json": body})]
    for body in [{"embed_config": []}, {"embed_config": False}, {"embed_config": {"domain_allowlist": None}},
                 {"embed_config": {"domain_allowlist": "https://a.example"}},
                 {"embed_config": {"domain_allowlist": [1]}}, {"embed_config": {"domain_allowlist": ["*"]}},
                 {"embed_config": {"domain_allowlist": ["https://*"]}}, {"embed_config": "x"}, {"timezone": 5},
                 {"embed_config": {"domain_allowlist": ["javascript:alert(1)"]}}]:
        found.append(("PATCH", "/api/4.0/setting", {"json": body}))
    for query in ["limit=abc", "limit=1e3", "limit=-5", f"limit={10 ** 30}", "limit=[1]", "offset=-1", "offset=x",
                  "limit=", "title=%", "title=%25%00", "sorts=%FF", "fields=%00", "fields=" + "a," * 5_000,
                  "id=%C2%B2", "folder_id=[]", "limit=1&limit=abc"]:
        found += [("GET", f"/api/4.0/looks/search?{query}", {}), ("GET", f"/api/4.0/dashboards/search?{query}", {})]
    for query in ["limit=abc", "limit=-5", "limit=99999999", f"limit={10 ** 30}", "apply_formatting=maybe",
                  "cache=1", "image_width=wide"]:
        found += [("GET", f"/api/4.0/queries/1/run/json?{query}", {}), ("GET", f"/api/4.0/looks/1/run/csv?{query}", {})]
    for bad_id in ["%C2%B2", "-1", "1e3", "99999999999999999999999", "abc", "%00", "..%2F..%2Fetc", "%20",
                   "x" * 5_000, "1;DROP TABLE users", "%FF", "1.0", "0x1", "[1]", "%22"]:
        for template in ["users/{}", "looks/{}", "dashboards/{}", "folders/{}", "queries/{}", "looks/{}/run/json",
                         "queries/{}/run/csv", "folders/{}/children", "lookml_models/{}/explores/users",
                         "oauth_client_apps/{}"]:
            found.append(("GET", "/api/4.0/" + template.format(bad_id), {}))
    for fmt in ["xlsx", "%00", "json%2Fx", "JSON", "png"]:
        found.append(("GET", f"/api/4.0/queries/1/run/{fmt}", {}))
    for headers in [{"Authorization": "Bearer"}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer " + "a" * 9_000},
                    {"Authorization": "token"}, {"Authorization": "Bearer x y z"}, {"Authorization": "Bearer é"},
                    {"Origin": "null"}, {"Origin": "http://evil.example"}, {"Origin": "://"}, {"Origin": "http://[::1"},
                    {"Origin": "x" * 5_000}, {"Accept": "text/html"}, {"Accept": "*/*;q=x"},
                    {"Content-Type": "application/json; charset=utf-16"}, {"Content-Type": "multipart/form-data"},
                    {"X-Forwarded-For": "1.2.3.4"}, {"Cookie": "a=" + "b" * 5_000}]:
        found.append(("GET", "/api/4.0/user", {"headers": headers, "replace_auth": True}))
        found.append(("POST", "/api/4.0/queries/run/json", {"headers": headers, "json": VALID_QUERY}))
    for method, path in [("PUT", "/api/4.0/looks/1"), ("DELETE", "/api/4.0/user"), ("POST", "/api/4.0/versions"),
                         ("GET", "/api/token"), ("PUT", "/api/4.0/setting"), ("GET", "/api/4.0/nope"),
                         ("GET", "/api/4.0/"), ("GET", "/api/4.0//looks"), ("GET", "/nope"), ("PATCH", "/login"),
                         ("GET", "/api/logout")]:
        found.append((method, path, {}))
    for form in [{"grant_type": "x"}, {"grant_type": "authorization_code", "code": "é" * 100},
                 {"grant_type": "refresh_token", "refresh_token": ["x"]}, {}]:
        found.append(("POST", "/api/token", {"data": form}))
        found.append(("POST", "/api/token", {"json": form}))
    found.append(("POST", "/login", {"data": {"client_id": "é", "client_secret": "é"}}))
    found.append(("POST", "/api/4.0/login?client_id=%C3%A9&client_secret=%C3%A9", {}))
    return found


CASES = cases()


def connection_port(response: requests.Response) -> int:
    """The client port of the connection that carried the response (-1 once the server has closed it)."""
    sock = response.raw.connection.sock if response.raw.connection else None
    return sock.getsockname()[1] if sock else -1


def test_there_are_at_least_300_cases():
    assert len(CASES) >= 300


def test_no_bad_input_gets_a_5xx_and_the_connection_survives(looker):
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1))
    token = looker.admin.headers["Authorization"]

    def call(method, path, **kwargs) -> tuple[requests.Response, int]:
        headers = {"Authorization": token}
        if kwargs.pop("replace_auth", False):
            headers = {}
        headers.update(kwargs.pop("headers", {}))
        response = session.request(method, looker.api_url + path, headers=headers, stream=True, **kwargs)
        port = connection_port(response)
        response.content  # noqa: B018 (read to the end; the connection goes back to the pool)
        return response, port

    _, port = call("GET", "/api/4.0/user")
    failures = []
    for method, path, kwargs in CASES:
        response, used = call(method, path, **dict(kwargs))
        label = f"{method} {path[:70]} {str(kwargs)[:70]} -> {response.status_code}"
        if response.status_code >= 500:
            failures.append(label + " " + response.text[:200])
        elif not response.headers.get("content-type", "").startswith("application/json"):
            failures.append(label + " is not JSON")
        elif response.status_code >= 400 and not ({"message", "documentation_url"} <= set(response.json())
                                                  or "error" in response.json()):
            failures.append(label + " is not Looker's error shape: " + response.text[:200])
        after, again = call("GET", "/api/4.0/user")
        if after.status_code != 200 or again != port or used != port:
            failures.append(label + f" then the valid call got {after.status_code} on port {again} (was {port})")
            port = again
    assert not failures, f"{len(failures)} of {len(CASES)}:\n" + "\n".join(failures[:40])


def test_errors_name_the_problem(looker):
    def problem(method, path, **kwargs):
        return looker.admin.request(method, looker.api_url + path, **kwargs)

    answer = problem("POST", "/api/4.0/queries/run/json", data=b"{", headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and "parse" in answer.json()["message"]
    answer = problem("POST", "/api/4.0/queries/run/json", json=dict(VALID_QUERY, limit="abc"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "limit"
    answer = problem("POST", "/api/4.0/queries/run/json", json=dict(VALID_QUERY, sorts=[123]))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "sorts[0]"
    answer = problem("POST", "/api/4.0/queries", json=dict(VALID_QUERY, fields=["users.state"] * 3000))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "fields"
    answer = problem("POST", "/api/4.0/queries", data=("[" * 50_000 + "]" * 50_000).encode())
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "too_deep"
    answer = requests.post(looker.api_url + "/api/token", data=("{" + '"a":{' * 50_000 + "}" * 50_001).encode())
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_request"
    answer = problem("POST", "/api/4.0/queries", data=b"[" + b" " * 1_100_000 + b"]")
    assert answer.status_code == 413
    answer = problem("GET", "/api/4.0/looks/search?limit=abc")
    assert answer.status_code == 400 and "'limit'" in answer.json()["message"]
    answer = problem("PUT", "/api/4.0/looks/1")
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, PATCH, DELETE"
    assert answer.json()["documentation_url"] == "https://cloud.google.com/looker/docs/r/err/4.0/405/put/looks/1"
    answer = problem("GET", "/api/4.0/looks/999")
    assert answer.json()["documentation_url"] == "https://cloud.google.com/looker/docs/r/err/4.0/404/get/looks/:look_id"
    assert problem("GET", "/api/4.0/users/%C2%B2").status_code == 404
    # heads past Looker's limits (docs/REAL_LOOKER.md#request-size-limits): the 9 KB header and the 10 KB URL
    # among the cases above get these, never a plain 400 and a closed connection
    answer = requests.get(looker.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + "a" * 9_000})
    assert answer.status_code == 431 and "8192" in answer.json()["message"]
    answer = problem("GET", "/api/4.0/looks/search?fields=" + "a," * 5_000)
    assert answer.status_code == 414 and "8192" in answer.json()["message"]


@pytest.mark.parametrize("limit", ["-5", "-1"])
def test_a_negative_limit_other_than_minus_one_is_refused(looker, limit):
    answer = looker.api("POST", "queries/run/json", json=dict(VALID_QUERY, limit=limit))
    assert answer.status_code == (200 if limit == "-1" else 422)


# --- settings never break CORS; the allowlist takes Looker's forms and nothing looser ----------------
def cors_allowed(looker, origin: str) -> bool:
    preflight = requests.options(looker.api_url + "/api/token", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code in (204, 403), preflight.text
    return preflight.headers.get("access-control-allow-origin") == origin


@pytest.mark.parametrize("embed_config", [[], False, None, "x", {"domain_allowlist": None},
                                          {"domain_allowlist": "https://a.example"}, {"domain_allowlist": [1]},
                                          {"domain_allowlist": ["*"]}, {"domain_allowlist": ["https://*"]},
                                          {"domain_allowlist": ["https://*.com"]},
                                          {"domain_allowlist": ["https://a.example/path"]},
                                          {"domain_allowlist": [["https://a.example"]]}, {"sso_auth_enabled": "yes"}])
def test_a_malformed_embed_config_is_refused_and_cors_keeps_working(looker, site, embed_config):
    before = looker.api("GET", "setting").json()["embed_config"]
    answer = looker.api("PATCH", "setting", json={"embed_config": embed_config, "timezone": "Europe/Paris"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"].startswith("embed_config")
    after = looker.api("GET", "setting").json()
    assert after["embed_config"] == before and after["timezone"] == "UTC"  # nothing half-applied
    assert cors_allowed(looker, site.origin)
    assert looker.api("GET", "user", headers={"Origin": site.origin}).headers[
        "access-control-allow-origin"] == site.origin


def test_the_allowlist_matches_lookers_forms_and_nothing_looser(looker, site):
    try:
        looker.allowlist([site.origin, "https://*.example.com", "HTTP://Partner.Example.org:8080/"])
        assert looker.api("GET", "setting").json()["embed_config"]["domain_allowlist"] == [
            site.origin, "https://*.example.com", "http://partner.example.org:8080"]
        for origin in ["https://a.example.com", "https://a.b.example.com", "http://partner.example.org:8080",
                       site.origin]:
            assert cors_allowed(looker, origin), origin
        for origin in ["https://example.com", "https://evil-example.com", "https://a.example.com.evil.org",
                       "http://a.example.com", "https://a.example.com:8443", "http://partner.example.org",
                       "https://partner.example.org:8080", "null", "https://a.example.com/x", site.origin + "0"]:
            assert not cors_allowed(looker, origin), origin
    finally:
        looker.allowlist([site.origin])


# --- /_local switches are not a web API ------------------------------------------------------------------
def test_fault_switches_need_the_custom_header_or_an_admin_token(looker, site):
    url = looker.api_url + "/_local/faults"
    simple = requests.post(url, data='{"latency_ms": 5000}', headers={"Content-Type": "text/plain",
                                                                       "Origin": "http://evil.example"})
    assert simple.status_code == 403 and "access-control-allow-origin" not in simple.headers
    preflight = requests.options(url, headers={"Origin": site.origin, "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": "x-local-looker"})
    assert "access-control-allow-origin" not in preflight.headers  # a page can never send the header
    analyst = requests.post(looker.api_url + "/login", data={"client_id": "demo-analyst-id",
                                                             "client_secret": "demo-analyst-secret"}).json()
    assert requests.get(url, headers={"Authorization": "Bearer " + analyst["access_token"]}).status_code == 403
    assert requests.get(url, headers={"Authorization": looker.admin.headers["Authorization"]}).status_code == 200
    assert looker.local("GET", "faults")["latency_ms"] == 0


@pytest.mark.parametrize("body", [{"latency_ms": "x"}, {"latency_ms": -1}, {"error_rate": 2}, {"fail_next": 1.5},
                                  {"expose_retry_after": "no"}, {"rate_limit_every": None}, {"nope": 1}, [1]])
def test_fault_switch_values_are_validated(looker, body):
    answer = requests.post(looker.api_url + "/_local/faults", json=body, headers={"X-Local-Looker": "1"})
    assert answer.status_code == 422 and answer.json()["errors"]
    assert looker.api("GET", "user").status_code == 200
    assert looker.local("GET", "faults")["latency_ms"] == 0
