"""Looker's permissions in the local Looker: roles are a permission set plus a model set, content access
follows folders. Seeds: admin (everything), analyst (explore and save in Operations and their own folder),
viewer (sees and runs shared content)."""

from __future__ import annotations

import pytest
import requests


class As:
    """API calls as one of the seeded users (signed in with their API credentials)."""

    def __init__(self, looker, who: str):
        login = requests.post(looker.api_url + "/login", data={"client_id": f"demo-{who}-id",
                                                               "client_secret": f"demo-{who}-secret"})
        login.raise_for_status()
        self.looker, self.session = looker, requests.Session()
        self.session.headers["Authorization"] = "Bearer " + login.json()["access_token"]

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, f"{self.looker.api_url}/api/4.0/{path}", **kwargs)


@pytest.fixture(scope="module")
def analyst(looker):
    return As(looker, "analyst")


@pytest.fixture(scope="module")
def viewer(looker):
    return As(looker, "viewer")


QUERY = {"model": "thelook", "view": "users", "fields": ["users.state", "users.count"], "limit": "3"}


def test_each_seed_user_has_the_role_looker_would_give(looker, analyst, viewer):
    names = {who: [r["name"] for r in looker.api("GET", f"users/{uid}/roles").json()]
             for who, uid in (("admin", "1"), ("analyst", "2"), ("viewer", "3"))}
    assert names == {"admin": ["Admin"], "analyst": ["Analyst"], "viewer": ["Viewer"]}
    role = looker.api("GET", "roles/3").json()
    assert "explore" in role["permission_set"]["permissions"] and role["model_set"]["models"] == ["thelook"]
    assert analyst("GET", "user").json()["role_ids"] == ["3"]


def test_an_analyst_cannot_edit_others_content_but_can_edit_where_the_folder_allows(looker, analyst):
    before = looker.api("GET", "looks/1").json()["title"]
    refused = analyst("PATCH", "looks/1", json={"title": "taken over"})
    assert refused.status_code == 403 and looker.api("GET", "looks/1").json()["title"] == before
    assert analyst("DELETE", "looks/1").status_code == 403
    assert analyst("POST", "looks", json={"title": "mine", "query_id": "1", "folder_id": "2"}).status_code == 403
    made = analyst("POST", "looks", json={"title": "Analyst look", "query_id": "1", "folder_id": "3"})
    assert made.status_code == 200, made.text
    look_id = made.json()["id"]
    assert analyst("PATCH", f"looks/{look_id}", json={"title": "Analyst look 2"}).json()["title"] == "Analyst look 2"
    assert analyst("PATCH", f"looks/{look_id}", json={"folder_id": "2"}).status_code == 403  # not into Sales
    assert analyst("DELETE", f"looks/{look_id}").status_code == 204


def test_create_look_checks_permission_before_saying_what_exists_and_validates_types(looker, analyst):
    taken = looker.api("GET", "looks/1").json()  # an existing title in Sales, where the analyst may not save
    refused = analyst("POST", "looks", json={"title": taken["title"], "query_id": "1", "folder_id": taken["folder_id"]})
    assert refused.status_code == 403  # not 409: a refusal tells nothing about the folder's content
    for bad, field in (({"title": 5}, "title"), ({"public": "yes"}, "public"), ({"description": []}, "description")):
        answer = analyst("POST", "looks", json={"title": "typed", "query_id": "1", "folder_id": "5", **bad})
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field, answer.text
    made = analyst("POST", "looks", json={"title": "Quiet look", "query_id": "1", "folder_id": "5",
                                          "is_run_on_load": False, "description": "for later"})
    assert made.status_code == 200, made.text
    assert (made.json()["is_run_on_load"], made.json()["description"], made.json()["user_id"]) == (False, "for later", "2")
    again = analyst("POST", "looks", json={"title": "Quiet look", "query_id": "1", "folder_id": "5"})
    assert again.status_code == 409
    assert analyst("DELETE", f"looks/{made.json()['id']}").status_code == 204


def test_an_analyst_cannot_read_admin_endpoints_or_other_users(analyst):
    for path in ("setting", "oauth_client_apps", "roles", "permission_sets", "model_sets", "groups",
                 "user_attributes", "connections", "users", "users/search?email=%25", "users/1", "users/1/roles"):
        answer = analyst("GET", path)
        assert answer.status_code == 403 and answer.json()["message"].startswith("Forbidden"), path
    assert analyst("GET", "users/2").json()["email"] == "analyst@example.com"
    assert analyst("PATCH", "setting", json={"timezone": "UTC"}).status_code == 403


def test_a_viewer_sees_and_runs_shared_content_but_cannot_explore_or_save(viewer):
    assert {lk["title"] for lk in viewer("GET", "looks").json()} >= {"Sales by State", "Top Products"}
    assert viewer("GET", "looks/1/run/json").status_code == 200
    assert viewer("GET", "dashboards/1").status_code == 200
    assert viewer("POST", "queries/run/json", json=QUERY).status_code == 403
    assert viewer("POST", "queries", json=QUERY).status_code == 403
    assert viewer("POST", "looks", json={"title": "v", "query_id": "1", "folder_id": "3"}).status_code == 403
    assert viewer("PATCH", "dashboard_elements/1", json={"title": "v"}).status_code == 403


def test_a_viewer_runs_every_tile_and_changes_only_the_dashboards_filters(viewer):
    for board in ("1", "2"):
        for element in viewer("GET", f"dashboards/{board}").json()["dashboard_elements"]:
            if element["query"]:
                assert viewer("GET", f"queries/{element['query_id']}/run/json").status_code == 200, element["title"]
    tile = viewer("GET", "dashboards/2").json()["dashboard_elements"][0]  # its State filter feeds users.state
    keys = ("model", "view", "fields", "pivots", "sorts", "limit", "filters", "vis_config")
    body = {k: tile["query"][k] for k in keys}
    texas = {**body, "filters": {**body["filters"], "users.state": "Texas"}}
    made = viewer("POST", "queries", json=texas)
    assert made.status_code == 200, made.text
    assert viewer("GET", f"queries/{made.json()['id']}/run/json").status_code == 200
    refused = [{**body, "fields": body["fields"] + ["order_items.total_sale_price"]},  # not the tile's fields
               {**body, "filters": {**body["filters"], "order_items.created_date": "1 year"}},  # not a dashboard filter
               {**body, "filters": {**body["filters"], "products.brand": "Levi's"}},
               {**body, "limit": "5000"}]
    for wrong in refused:
        answer = viewer("POST", "queries", json=wrong)
        assert answer.status_code == 403 and "explore" in answer.json()["message"], (wrong, answer.text)
    assert viewer("POST", "queries/run/json", json=texas).status_code == 403  # inline runs stay Explore's


def test_personal_folders_belong_to_their_owner(looker, analyst, viewer):
    assert analyst("GET", "folders/5").json()["name"] == "Alex Analyst"
    assert viewer("GET", "folders/5").status_code == 404
    assert "5" not in {f["id"] for f in viewer("GET", "folders").json()}
    assert looker.api("GET", "folders/5").status_code == 200  # admins see every folder


def test_queries_run_only_on_models_the_role_allows(looker, viewer):
    empty = looker.api("POST", "model_sets", json={"name": "No models", "models": []}).json()
    role = looker.api("POST", "roles", json={"name": "Blind viewer", "permission_set_id": "3",
                                            "model_set_id": empty["id"]}).json()
    try:
        assert looker.api("PUT", "users/3/roles", json=[role["id"]]).status_code == 200
        refused = viewer("GET", "looks/1/run/json")
        assert refused.status_code == 403 and "thelook" in refused.json()["message"]
    finally:
        assert looker.api("PUT", "users/3/roles", json=["4"]).status_code == 200
        looker.api("DELETE", f"roles/{role['id']}")
        looker.api("DELETE", f"model_sets/{empty['id']}")
    assert viewer("GET", "looks/1/run/json").status_code == 200


def test_folder_access_lists_decide_who_may_edit(looker, viewer):
    made = looker.api("POST", "content_metadata_access", json={"content_metadata_id": "3", "permission_type": "edit",
                                                               "user_id": "3"}).json()
    try:
        # still no save_content in the viewer's permission set: folder access alone is not enough
        assert viewer("PATCH", "looks/3", json={"description": "x"}).status_code == 403
    finally:
        assert looker.api("DELETE", f"content_metadata_access/{made['id']}").status_code == 204


def test_a_role_carried_by_a_group_counts(looker, viewer):
    group = looker.api("POST", "groups", json={"name": "Explorers"}).json()
    try:
        assert looker.api("PUT", "roles/3/groups", json=[group["id"]]).status_code == 200
        assert viewer("POST", "queries/run/json", json=QUERY).status_code == 403  # not a member yet
        assert looker.api("POST", f"groups/{group['id']}/users", json={"user_id": "3"}).status_code == 200
        assert viewer("POST", "queries/run/json", json=QUERY).status_code == 200
        assert [r["name"] for r in looker.api("GET", "users/3/roles", params={
            "direct_association_only": "true"}).json()] == ["Viewer"]
    finally:
        looker.api("PUT", "roles/3/groups", json=[])
        looker.api("DELETE", f"groups/{group['id']}")
    assert viewer("POST", "queries/run/json", json=QUERY).status_code == 403
