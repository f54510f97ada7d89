"""Every operation in the official API 4.0 spec answers honestly: implemented (2xx or a Looker 4xx), or a
501 that names it; never a 5xx, never anything but JSON. Runs on its own local Looker, since it deletes."""

from __future__ import annotations

import pytest
import requests

from local_looker import contract
from local_looker.process import LocalLooker, free_port

# known ids by path or body parameter name; anything else gets "1"
KNOWN = {"look_id": "1", "dashboard_id": "1", "folder_id": "2", "user_id": "2", "query_id": "1", "role_id": "3",
         "permission_set_id": "2", "model_set_id": "2", "group_id": "1", "content_metadata_id": "2",
         "dashboard_element_id": "1", "dashboard_filter_id": "1", "dashboard_layout_id": "1",
         "dashboard_layout_component_id": "1_1", "lookml_model_name": "thelook", "explore_name": "users",
         "model_name": "thelook", "query_task_id": None, "view_name": "users", "field_name": "users.state",
         "result_format": "json",
         "connection_name": "demo", "client_guid": "looker-pkce-demo", "user_attribute_id": "2", "slug": "demo0001",
         "parent_id": "1", "model": "thelook", "view": "users", "terms": "sales", "redirect_uri": "https://x.example/",
         "permission_type": "view", "fields": None, "collection_id": "looker", "type": "look", "resource_id": "1",
         "pattern": "Ada"}
SAMPLES = {"string": "spec-test", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}
ORDER = {"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}


def sample(schema: dict, name: str = ""):
    """A small value that fits `schema`, using known ids for fields named like ids."""
    if name in KNOWN:
        return KNOWN[name]
    schema = contract.resolve(schema)
    kind = schema.get("type") or ("object" if "properties" in schema else "string")
    if kind == "object" and "properties" in schema:
        return {key: sample(schema["properties"][key], key) for key in schema.get("required", [])}
    if kind == "array" and name == "fields":
        return ["users.state"]
    return SAMPLES.get(kind, "spec-test")


def arguments(op: contract.Operation) -> tuple[str, dict, object]:
    path = op.path
    for param in op.path_parameters():
        path = path.replace("{" + param["name"] + "}", str(KNOWN.get(param["name"], "1")))
    query = {p["name"]: "1" if p.get("type") == "array" else sample(p, p["name"])
             for p in op.query_parameters() if p.get("required")}
    body = sample(op.body_schema, "") if op.body_schema else None
    if op.id in ("create_query", "run_inline_query"):
        body = {"model": "thelook", "view": "users", "fields": ["users.state"], "limit": "2"}
    if op.id == "run_url_encoded_query":  # the query itself travels in undeclared parameters
        query = {"fields": "users.state,users.count", "limit": "2"}
    if op.id == "login":
        query = {"client_id": "demo-admin-id", "client_secret": "demo-admin-secret"}
    return path, query, body


@pytest.fixture(scope="module")
def own_looker():
    server = LocalLooker(free_port(), free_port(), "http://127.0.0.1:9", env={"LOOKER_VALIDATE_RESPONSES": "1"})
    yield server
    server.stop()


def test_a_missing_object_is_a_404_and_a_missing_operation_a_501(own_looker):
    missing = own_looker.api("GET", "looks/424242")
    assert missing.status_code == 404 and missing.json()["message"] == "Not found"
    absent = own_looker.api("GET", "themes")
    assert absent.status_code == 501 and "all_themes" in absent.json()["message"]
    unknown = own_looker.api("GET", "no_such_thing")
    assert unknown.status_code == 404


def test_swagger_json_is_the_official_spec(own_looker):
    served = requests.get(own_looker.api_url + "/api/4.0/swagger.json").json()
    official = contract.spec()
    assert served["info"]["version"] == official["info"]["version"] == "4.0.26.12"
    assert set(served["definitions"]) == set(official["definitions"])
    assert {(p, m) for p, ms in served["paths"].items() for m in ms} == {
        (p, m) for p, ms in official["paths"].items() for m in ms}
    assert served["paths"]["/looks/{look_id}"]["get"]["responses"]["200"]["schema"] == {
        "$ref": "#/definitions/LookWithQuery"}
    assert served["host"] == own_looker.api_url.split("://")[1]


def test_the_official_python_sdk_reads_through_every_implemented_get(own_looker):
    """Each implemented GET, called through looker_sdk's method of the same name: its answer must
    deserialize into the SDK's models (run before the logout at the end of the test above)."""
    from looker_sdk.rtl import auth_session, requests_transport, serialize
    from looker_sdk.sdk.api40 import methods
    from test_local_looker import Settings

    settings = Settings({"base_url": own_looker.api_url, "client_id": "demo-admin-id",
                         "client_secret": "demo-admin-secret", "verify_ssl": "false"})
    transport = requests_transport.RequestsTransport.configure(settings)
    sdk = methods.Looker40SDK(auth_session.AuthSession(settings, transport, serialize.deserialize40, "4.0"),
                              serialize.deserialize40, serialize.serialize40, transport, "4.0")
    KNOWN["query_task_id"] = sdk.create_query_task(body={"query_id": "1", "result_format": "json"}).id
    called, failures = [], []
    for op in [op for op in contract.operations() if op.method == "GET"]:
        path, query, _ = arguments(op)
        if own_looker.api("GET", path, params=query).status_code == 501 or op.id == "run_url_encoded_query":
            continue
        kwargs = {p["name"]: KNOWN.get(p["name"], "1") for p in op.path_parameters()}
        kwargs.update({k: v for k, v in query.items()})
        try:
            getattr(sdk, op.id)(**kwargs)
            called.append(op.id)
        except Exception as exc:  # any SDK error or deserialization failure is a finding
            failures.append(f"{op.id}({kwargs}): {type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, "\n".join(failures)
    assert len(called) >= 60


def test_dashboards_come_with_layouts_and_copy_with_new_ids(own_looker):
    api = own_looker.api
    layout = api("GET", "dashboards/1/dashboard_layouts").json()[0]
    components = api("GET", f"dashboard_layouts/{layout['id']}/dashboard_layout_components").json()
    elements = api("GET", "dashboards/1/dashboard_elements").json()
    assert {c["dashboard_element_id"] for c in components} == {e["id"] for e in elements}
    assert all(c["width"] > 0 and c["height"] > 0 and c["row"] >= 0 and 0 <= c["column"] < 24 for c in components)
    moved = api("PATCH", f"dashboard_layout_components/{components[0]['id']}", json={"row": 40, "width": 12})
    assert (moved.json()["row"], moved.json()["width"]) == (40, 12)
    copy = api("POST", "dashboards/1/copy", params={"folder_id": "3"}).json()
    copied = api("GET", f"dashboards/{copy['id']}").json()
    assert copied["folder_id"] == "3" and len(copied["dashboard_elements"]) == len(elements)
    assert not {e["id"] for e in copied["dashboard_elements"]} & {e["id"] for e in elements}
    assert {c["dashboard_element_id"] for c in copied["dashboard_layouts"][0]["dashboard_layout_components"]} == {
        e["id"] for e in copied["dashboard_elements"]}
    assert api("GET", f"dashboard_elements/{copied['dashboard_elements'][0]['id']}").json()["dashboard_id"] == copy["id"]
    element = api("POST", "dashboard_elements", json={"dashboard_id": copy["id"], "query_id": "2", "title": "New"})
    assert element.status_code == 200 and element.json()["query"]["id"] == "2"
    assert api("DELETE", f"dashboards/{copy['id']}").status_code == 204
    assert api("GET", f"dashboards/{copy['id']}").status_code == 404


def test_query_tasks_run_in_the_background(own_looker):
    import time

    task = own_looker.api("POST", "query_tasks", json={"query_id": "4", "result_format": "csv"}).json()
    for _ in range(50):
        if own_looker.api("GET", f"query_tasks/{task['id']}").json()["status"] == "complete":
            break
        time.sleep(0.05)
    results = own_looker.api("GET", f"query_tasks/{task['id']}/results")
    assert results.status_code == 200 and results.text.startswith("Users ID,")
    assert own_looker.api("GET", "query_tasks/nope").status_code == 404


def test_folder_navigation_and_suggestions(own_looker):
    api = own_looker.api
    assert api("GET", "folders/2/parent").json()["id"] == "1"
    assert [f["name"] for f in api("GET", "folders/2/ancestors").json()] == ["Shared"]
    assert [f["name"] for f in api("GET", "folders/1/children/search", params={"name": "oper%"}).json()] == [
        "Operations"]
    assert api("GET", "folders/1/parent").status_code == 404
    suggestions = api("GET", "models/thelook/views/users/fields/users.state/suggestions", params={"term": "New"})
    found = suggestions.json()["suggestions"]
    assert "New York" in found and all(s.startswith("New") for s in found)
    assert api("GET", "models/thelook/views/users/fields/users.state/suggestions",
               params={"term": "zzz"}).json()["suggestions"] == []
    rows = api("GET", "queries/models/thelook/views/users/run/json",
               params={"fields": "users.state,users.count", "f[users.state]": "Texas"}).json()
    assert [r["users.state"] for r in rows] == ["Texas"]


def test_every_spec_operation_answers_honestly(own_looker):
    looker = own_looker
    task = looker.api("POST", "query_tasks", json={"query_id": "1", "result_format": "json"})
    KNOWN["query_task_id"] = task.json()["id"]
    operations = sorted(contract.operations(), key=lambda op: (op.id == "logout", ORDER[op.method], op.id))
    implemented, not_implemented, problems, refused = [], [], [], []
    for op in operations:
        path, query, body = arguments(op)
        answer = looker.admin.request(op.method, looker.api_url + "/api/4.0" + path, params=query,
                                      json=body if op.body_schema else None)
        kind = answer.headers.get("content-type", "")
        label = f"{op.id} {op.method} {path} -> {answer.status_code} {answer.text[:160]}"
        if answer.status_code == 501:
            named = op.id in answer.json()["message"] and "not implemented by the local Looker" in answer.json()[
                "message"]
            (not_implemented if named else problems).append(label)
        elif answer.status_code >= 500:
            problems.append(label)
        elif answer.status_code != 204 and not kind.startswith("application/json") and kind.split(";")[0] not in (
                contract.spec()["paths"][op.path][op.method.lower()].get("produces", [])):  # as content_thumbnail's
            problems.append(label + " (not JSON)")
        elif answer.status_code >= 400:
            if not {"message", "documentation_url"} <= set(answer.json()):
                problems.append(label + " (not Looker's error shape)")
            refused.append(label)
            implemented.append(op.id)
        else:
            implemented.append(op.id)
    print(f"\n{len(implemented)} implemented ({len(refused)} of them refused the sample arguments), "
          f"{len(not_implemented)} answer a named 501, {len(operations)} in the spec")
    assert not problems, "\n".join(problems[:30])
    in_spec = sum(1 for verbs in contract.spec()["paths"].values() for verb in verbs if verb.upper() in ORDER)
    assert len(implemented) + len(not_implemented) == len(operations) == in_spec
    assert len(implemented) >= 100
    gets = [r for r in refused if " GET " in r]
    assert not gets, "implemented reads should answer the sample ids:\n" + "\n".join(gets)
    broken = looker.local("GET", "violations")
    assert not broken, broken[:10]
