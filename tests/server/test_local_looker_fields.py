"""What the official Looker Python SDK's own integration suite (sdk-codegen c2bf549b, run by
scripts/official_suite.py) found the local Looker losing or answering wrongly, and the operations it
needed, each as one rule here, through the official looker_sdk or plain HTTP (issue #20)."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
import requests
from looker_sdk import error
from looker_sdk.rtl import auth_session, requests_transport, serialize
from looker_sdk.sdk.api40 import methods, models
from test_local_looker import Settings

from local_looker.process import LocalLooker, free_port

# looker_sdk warns on every login_user that its behaviour changed in 21.4.0; sudo here is that behaviour
pytestmark = pytest.mark.filterwarnings("ignore:login_user behavior changed")


@pytest.fixture(scope="module")
def looker():
    server = LocalLooker(free_port(), free_port(), "http://127.0.0.1:9", env={"LOOKER_VALIDATE_RESPONSES": "1"})
    yield server
    assert server.local("GET", "violations") == []  # every answer above fitted the spec
    server.stop()


def sdk_for(looker, who: str = "admin") -> methods.Looker40SDK:
    settings = Settings({"base_url": looker.api_url, "client_id": f"demo-{who}-id",
                         "client_secret": f"demo-{who}-secret", "verify_ssl": "false"})
    transport = requests_transport.RequestsTransport.configure(settings)
    return methods.Looker40SDK(auth_session.AuthSession(settings, transport, serialize.deserialize40, "4.0"),
                               serialize.deserialize40, serialize.serialize40, transport, "4.0")


@pytest.fixture(scope="module")
def sdk(looker):
    return sdk_for(looker)


@pytest.fixture(scope="module")
def analyst(looker):
    token = requests.post(looker.api_url + "/login", data={"client_id": "demo-analyst-id",
                                                           "client_secret": "demo-analyst-secret"}).json()
    headers = {"Authorization": "Bearer " + token["access_token"]}
    return lambda method, path, **kw: requests.request(method, f"{looker.api_url}/api/4.0/{path}", headers=headers,
                                                       **kw)


def new_user(sdk, first="Rudolph", last="Doe", **fields) -> models.User:
    return sdk.create_user(models.WriteUser(first_name=first, last_name=last, **fields))


def fields_of(answer: requests.Response) -> list[str]:
    return [e["field"] for e in answer.json().get("errors", [])]


# --- users ------------------------------------------------------------------------------------------
def test_a_user_keeps_the_locale_and_disabled_flag_it_is_created_and_updated_with(sdk):
    user = new_user(sdk, locale="fr", is_disabled=False)
    assert (user.locale, user.is_disabled) == ("fr", False)
    sdk.update_user(user.id, models.WriteUser(is_disabled=True, locale="uk"))
    again = sdk.user(user.id)
    assert (again.locale, again.is_disabled, again.first_name) == ("uk", True, "Rudolph")


def test_a_disabled_users_tokens_stop_working(sdk, looker):
    user = new_user(sdk, "Dora", "Disabled")
    token = sdk.login_user(user.id).access_token
    me = requests.get(looker.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + token})
    assert me.json()["first_name"] == "Dora"
    sdk.update_user(user.id, models.WriteUser(is_disabled=True))
    assert requests.get(looker.api_url + "/api/4.0/user",
                        headers={"Authorization": "Bearer " + token}).status_code == 401
    with pytest.raises(error.SDKError, match="disabled"):
        sdk.login_user(user.id)


def test_an_explicit_null_clears_a_users_name_to_an_empty_string(sdk, looker):
    user = new_user(sdk, "Nullable", "Person")
    sdk.update_user(user.id, models.WriteUser(first_name=models.EXPLICIT_NULL))  # the SDK's way
    assert (sdk.user(user.id).first_name, sdk.user(user.id).last_name) == ("", "Person")
    looker.api("PATCH", f"users/{user.id}", json={"last_name": None}).raise_for_status()  # plain JSON null
    assert (sdk.user(user.id).first_name, sdk.user(user.id).last_name) == ("", "")
    looker.api("PATCH", f"users/{user.id}", json={"locale": "de"}).raise_for_status()  # absent is not null
    assert sdk.user(user.id).last_name == ""


def test_me_lists_an_api_callers_api3_credentials_without_the_secret(sdk, looker):
    me = sdk.me()
    assert [c.client_id for c in me.credentials_api3] == ["demo-admin-id"]
    assert isinstance(me.credentials_api3[0], models.CredentialsApi3)
    assert "demo-admin-secret" not in looker.api("GET", "user").text
    assert sdk.user(new_user(sdk, "No", "Keys").id).credentials_api3 == []


def test_all_users_answers_only_the_ids_asked_for(sdk):
    ids = [u.id for u in sdk.all_users()]
    assert len(ids) > 2
    picked = sdk.all_users(ids=models.DelimSequence(ids[:2]))
    assert [u.id for u in picked] == ids[:2]


def test_search_users_matches_a_whole_name_case_insensitively_unless_it_has_wildcards(sdk):
    new_user(sdk, "Lloyd", "Llookicorn")
    assert [u.first_name for u in sdk.search_users(first_name="Lloy")] == []  # no substring match
    assert [u.first_name for u in sdk.search_users(first_name="lloyd")] == ["Lloyd"]
    assert [u.first_name for u in sdk.search_users(first_name="Lloy%")] == ["Lloyd"]
    assert [u.first_name for u in sdk.search_users(first_name="Ll_yd")] == ["Lloyd"]
    assert sdk.search_users(first_name="L_yd") == []  # `_` is exactly one character


def test_search_users_names_matches_first_last_or_email_and_sorts(sdk):
    for first, last in (("Zachary", "Zoomify"), ("Aaron", "Aardvark"), ("Amanda", "Aardvark")):
        made = new_user(sdk, first, last)
        sdk.create_user_credentials_email(made.id, models.WriteCredentialsEmail(email=f"{first}.{last}@names.test"))
    found = sdk.search_users_names(pattern="%@names.test", sorts="last_name, first_name")
    assert [(u.first_name, u.last_name) for u in found] == [("Aaron", "Aardvark"), ("Amanda", "Aardvark"),
                                                           ("Zachary", "Zoomify")]
    assert [u.first_name for u in sdk.search_users_names(pattern="aardvark", sorts="first_name desc")] == [
        "Amanda", "Aaron"]
    assert [u.email for u in sdk.search_users_names(pattern="Zachary.Zoomify@names.test")] == [
        "Zachary.Zoomify@names.test"]


def test_email_credentials_are_created_once_and_an_email_belongs_to_one_user(sdk, looker):
    user = new_user(sdk, "Mail", "Less")
    assert sdk.user(user.id).credentials_email is None
    made = sdk.create_user_credentials_email(user.id, models.WriteCredentialsEmail(email="mail.less@example.test"))
    assert (made.email, sdk.user(user.id).credentials_email.email, sdk.user(user.id).email) == (
        "mail.less@example.test",) * 3
    again = looker.api("POST", f"users/{user.id}/credentials_email", json={"email": "other@example.test"})
    assert again.status_code == 409
    other = new_user(sdk, "Mail", "Twin")
    taken = looker.api("POST", f"users/{other.id}/credentials_email", json={"email": "MAIL.LESS@example.test"})
    assert taken.status_code == 422 and fields_of(taken) == ["email"]


def test_login_user_gives_a_token_that_acts_as_that_user_and_only_an_admin_may_ask(sdk, looker, analyst):
    user = new_user(sdk, "Sudo", "Target")
    sdk.auth.login_user(user.id)
    try:
        assert (sdk.me().id, sdk.me().first_name) == (user.id, "Sudo")
        assert sdk.me().credentials_api3 == []
    finally:
        sdk.auth.logout()  # back to the admin's own token
    assert sdk.me().id == "1"
    assert analyst("POST", f"login/{user.id}").status_code == 403
    assert looker.api("POST", "login/424242").status_code == 404


# --- queries ----------------------------------------------------------------------------------------
def test_a_query_answers_its_sql_and_a_look_its_json_with_labels(sdk):
    query = sdk.create_query(models.WriteQuery(model="thelook", view="users", fields=["users.state", "users.count"],
                                               filters={"users.state": "Texas"}, limit="5"))
    sql = sdk.run_query(query.id, "sql")
    assert sql.startswith("SELECT") and "'Texas'" in sql and "LIMIT 5" in sql
    look = sdk.create_look(models.WriteLookWithQuery(title="Labelled", query_id=query.id, folder_id="2"))
    labelled = sdk.run_look(look.id, "json_label")
    assert '"Users State": "Texas"' in labelled and '"Users Count"' in labelled
    assert '"users.state"' in sdk.run_look(look.id, "json")


def test_create_query_takes_an_integer_limit_as_the_official_tests_send_it(looker):
    made = looker.api("POST", "queries", json={"model": "thelook", "view": "users", "fields": ["users.state"],
                                               "limit": 100})
    assert made.status_code == 200 and made.json()["limit"] == "100", made.text
    named = looker.api("POST", "queries", json={"model": "thelook", "view": 5, "fields": ["users.state"]})
    assert named.status_code == 422 and fields_of(named) == ["view"]  # only id and limit fields take a number


def test_a_filter_expression_is_refused_by_name_not_ignored(looker):
    body = {"model": "thelook", "view": "users", "fields": ["users.state"], "filter_expression": "${users.age} > 30"}
    for path in ("queries", "queries/run/json"):
        answer = looker.api("POST", path, json=body)
        assert answer.status_code == 422 and fields_of(answer) == ["filter_expression"], answer.text
    assert looker.api("POST", "queries", json=dict(body, filter_expression="")).status_code == 200


def test_a_created_query_keeps_what_it_was_given_and_refuses_what_cannot_be_computed(looker):
    """Nothing written is dropped: the fields Looker stores read back as written; those that would change the
    results and the local Looker cannot compute are refused by name (422), on create and on run."""
    base = {"model": "thelook", "view": "users", "fields": ["users.created_date", "users.count"]}
    kept = {"fill_fields": ["users.created_date"], "column_limit": "50", "query_timezone": "America/New_York",
            "visible_ui_sections": "data,vis", "filter_config": {"users.state": [{"type": "="}]},
            "client_id": "abcdefghij0123456789AB"}
    made = looker.api("POST", "queries", json=dict(base, **kept))
    assert made.status_code == 200, made.text
    read = looker.api("GET", "queries/" + made.json()["id"]).json()
    assert {name: read[name] for name in kept} == kept
    for name, value in [("dynamic_fields", '[{"table_calculation": "x", "expression": "1"}]'),
                        ("subtotals", ["users.created_date"]), ("row_total", "right")]:
        for path in ("queries", "queries/run/json"):
            answer = looker.api("POST", path, json=dict(base, **{name: value}))
            assert answer.status_code == 422 and fields_of(answer) == [name], (name, answer.text)
    for client_id in ("abcdefghij0123456789AB", "short", "abcdefghij0123456789-_"):  # taken, too short, not alnum
        answer = looker.api("POST", "queries", json=dict(base, client_id=client_id))
        assert answer.status_code == 422 and fields_of(answer) == ["client_id"], answer.text
    assert looker.api("POST", "queries", json=dict(base, dynamic_fields="[]", subtotals=[])).status_code == 200


def test_system_activity_answers_from_the_instances_own_dashboards(sdk, looker, analyst):
    before = looker.api("GET", "dashboards").json()
    sdk.create_dashboard(models.WriteDashboard(title="Counted in System Activity", folder_id="1"))
    query = sdk.create_query(models.WriteQuery(model="system__activity", view="dashboard",
                                               fields=["dashboard.id", "dashboard.title", "dashboard.count"]))
    rows = json.loads(sdk.run_query(query.id, "json"))
    assert {r["dashboard.title"] for r in rows} >= {d["title"] for d in before} | {"Counted in System Activity"}
    assert all(r["dashboard.count"] == 1 for r in rows)
    csv = sdk.run_query(query.id, "csv")
    assert csv.splitlines()[0] == "Dashboard ID,Dashboard Title,Dashboard Count"
    assert "system__activity" in {m.name for m in sdk.all_lookml_models()}
    task = sdk.create_query_task(models.WriteCreateQueryTask(query_id=query.id, result_format=models.ResultFormat.csv))
    assert task.result_format == "csv"
    refused = analyst("POST", "queries/run/json", json={"model": "system__activity", "view": "user",
                                                        "fields": ["user.count"]})
    assert refused.status_code == 403 and "see_system_activity" in refused.json()["message"]


# --- looks and dashboards ----------------------------------------------------------------------------
def test_update_with_deleted_moves_a_look_to_the_trash_and_back_and_delete_is_permanent(sdk, looker):
    query = sdk.create_query(models.WriteQuery(model="thelook", view="users", fields=["users.state"]))
    look = sdk.create_look(models.WriteLookWithQuery(title="Trashable", query_id=query.id, folder_id="2"))
    trashed = sdk.update_look(look.id, models.WriteLookWithQuery(deleted=True))
    assert (trashed.deleted, trashed.title, trashed.deleter_id) == (True, "Trashable", "1")
    assert looker.api("GET", f"looks/{look.id}").status_code == 404
    assert [lk.id for lk in sdk.search_looks(title="Trashable")] == []
    assert [lk.id for lk in sdk.search_looks(title="Trashable", deleted=True)] == [look.id]
    restored = sdk.update_look(look.id, models.WriteLookWithQuery(deleted=False))
    assert (restored.deleted, restored.deleted_at) == (False, None)
    sdk.delete_look(look.id)
    assert looker.api("PATCH", f"looks/{look.id}", json={"deleted": False}).status_code == 404


def test_update_with_deleted_moves_a_dashboard_to_the_trash_and_back(sdk, looker):
    board = sdk.create_dashboard(models.WriteDashboard(title="Trashable board", folder_id="1"))
    assert sdk.update_dashboard(board.id, models.WriteDashboard(deleted=True)).deleted is True
    assert looker.api("GET", f"dashboards/{board.id}").status_code == 404
    assert sdk.update_dashboard(board.id, models.WriteDashboard(deleted=False)).deleted is False
    assert sdk.dashboard(board.id).title == "Trashable board"
    sdk.delete_dashboard(board.id)
    assert looker.api("PATCH", f"dashboards/{board.id}", json={"deleted": False}).status_code == 404


def test_search_looks_title_is_a_sql_like_pattern(sdk):
    query = sdk.create_query(models.WriteQuery(model="thelook", view="users", fields=["users.state"]))
    sdk.create_look(models.WriteLookWithQuery(title="An SDK Look", query_id=query.id, folder_id="3"))
    assert sdk.search_looks(title="SDK%") == []  # a prefix pattern: "An SDK Look" does not start with SDK
    for pattern in ("An SDK%", "%sdk look", "An_SDK Look", "an sdk look"):
        assert [lk.title for lk in sdk.search_looks(title=pattern)] == ["An SDK Look"], pattern
    assert sdk.search_looks(title="An SDK Loo") == []


def test_renaming_moving_or_restoring_a_look_onto_a_taken_title_is_a_409(sdk, looker):
    query = sdk.create_query(models.WriteQuery(model="thelook", view="users", fields=["users.state"]))
    first = sdk.create_look(models.WriteLookWithQuery(title="Taken", query_id=query.id, folder_id="2"))
    second = sdk.create_look(models.WriteLookWithQuery(title="Free", query_id=query.id, folder_id="2"))
    elsewhere = sdk.create_look(models.WriteLookWithQuery(title="Taken", query_id=query.id, folder_id="3"))
    assert looker.api("PATCH", f"looks/{second.id}", json={"title": "Taken"}).status_code == 409
    assert looker.api("PATCH", f"looks/{elsewhere.id}", json={"folder_id": "2"}).status_code == 409
    assert looker.api("PATCH", f"looks/{elsewhere.id}/move", params={"folder_id": "2"}).status_code == 409
    assert sdk.look(second.id).title == "Free" and sdk.look(elsewhere.id).folder_id == "3"  # nothing changed
    sdk.update_look(first.id, models.WriteLookWithQuery(deleted=True))  # in the trash, the title is free
    assert sdk.update_look(second.id, models.WriteLookWithQuery(title="Taken")).title == "Taken"
    assert looker.api("PATCH", f"looks/{first.id}", json={"deleted": False}).status_code == 409


def test_a_dashboard_keeps_its_colors_and_settings(sdk):
    colors = {"background_color": "green", "tile_background_color": "#ffffff", "tile_text_color": "#20272D",
              "title_color": "#e0060b", "text_tile_text_color": "#333333"}
    board = sdk.create_dashboard(models.WriteDashboard(title="Colorful", folder_id="1", show_title=False, **colors))
    assert {k: getattr(board, k) for k in colors} == colors and board.show_title is False
    changed = sdk.update_dashboard(board.id, models.WriteDashboard(background_color="navy"))
    assert (changed.background_color, sdk.dashboard(board.id).title_color) == ("navy", "#e0060b")


def test_a_dashboard_filter_keeps_its_model_explore_row_and_options_and_a_wrong_explore_is_named(sdk, looker):
    board = sdk.create_dashboard(models.WriteDashboard(title="Filtered", folder_id="1"))
    made = sdk.create_dashboard_filter(models.WriteCreateDashboardFilter(
        dashboard_id=board.id, name="Brand Match", title="Brand Match", type="field_filter", model="thelook",
        explore="products", dimension="products.brand", row=0, allow_multiple_values=True,
        default_value="A%,B%"))
    assert (made.model, made.explore, made.dimension, made.row, made.allow_multiple_values, made.required) == (
        "thelook", "products", "products.brand", 0, True, False)
    for wrong, field in (({"explore": "nope"}, "explore"), ({"dimension": "users.state"}, "dimension"),
                         ({"model": "nope"}, "model")):
        answer = looker.api("POST", "dashboard_filters", json={
            "dashboard_id": board.id, "name": "x", "title": "x", "type": "field_filter", "model": "thelook",
            "explore": "products", "dimension": "products.brand", **wrong})
        assert answer.status_code == 422 and fields_of(answer) == [field], answer.text


def test_a_text_element_keeps_its_title_and_every_element_its_type(sdk):
    board = sdk.create_dashboard(models.WriteDashboard(title="Tiled", folder_id="1"))
    text = sdk.create_dashboard_element(models.WriteDashboardElement(
        dashboard_id=board.id, type="text", title="What's all this", title_text="Heading", body_text="Body",
        subtitle_text="Sub"))
    assert (text.title, text.title_text, text.subtitle_text, text.body_text, text.type) == (
        "What's all this", "Heading", "Sub", "Body", "text")
    data = sdk.create_dashboard_element(models.WriteDashboardElement(
        dashboard_id=board.id, type="data", title="Users Data Title", query_id="1", note_text="a note"))
    assert (data.title, data.type, data.note_text) == ("Users Data Title", "data", "a note")


# --- sessions, colors, themes, thumbnails ----------------------------------------------------------------
def test_the_api_session_switches_to_dev_and_back_for_that_token_only(sdk, looker, analyst):
    assert sdk.update_session(models.WriteApiSession(workspace_id="dev")).workspace_id == "dev"
    assert sdk.session().workspace_id == "dev"
    assert looker.api("GET", "session").json()["workspace_id"] == "production"  # another token
    assert sdk.update_session(models.WriteApiSession(workspace_id="production")).workspace_id == "production"
    assert analyst("PATCH", "session", json={"workspace_id": "dev"}).status_code == 403  # no develop permission
    assert looker.api("PATCH", "session", json={"workspace_id": "staging"}).status_code == 422


def test_an_admin_sets_the_default_color_collection_and_others_get_a_404(sdk, looker, analyst):
    original = sdk.default_color_collection()
    other = next(c for c in sdk.all_color_collections() if c.id != original.id)
    assert sdk.set_default_color_collection(other.id).id == other.id
    assert sdk.default_color_collection().id == other.id
    assert analyst("GET", "color_collections/default").json()["id"] == other.id  # anyone reads the default
    assert analyst("GET", "color_collections").status_code == 404
    assert analyst("PUT", "color_collections/default", params={"collection_id": original.id}).status_code == 404
    missing = looker.api("PUT", "color_collections/default", params={"collection_id": "nope"})
    assert missing.status_code == 422 and fields_of(missing) == ["collection_id"]
    assert sdk.set_default_color_collection(original.id).id == original.id


def test_validate_theme_accepts_a_valid_theme_and_names_each_bad_field(sdk, looker):
    valid = models.WriteTheme(name="valid_theme", settings=models.ThemeSettings(
        font_family='"Comic Sans MS", Arial', background_color="#b83232", font_color="rgb(62, 63, 64)",
        base_font_size="12px", tile_background_color="white", show_title=False))
    assert sdk.validate_theme(valid) == ""
    answer = looker.api("POST", "themes/validate", json={"settings": {
        "font_family": "Arial;", "title_color": "url(x)", "base_font_size": "big"}})
    assert answer.status_code == 422
    assert sorted(fields_of(answer)) == ["name", "settings.base_font_size", "settings.font_family",
                                         "settings.title_color"]
    assert fields_of(looker.api("POST", "themes/validate", json={"name": "has space"})) == ["name"]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG whose chunks all carry a correct CRC and whose pixels decompress."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + length
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    return width, height


def test_content_thumbnail_is_a_real_png_or_svg_of_content_the_caller_may_see(sdk, looker, analyst):
    png = sdk.content_thumbnail(type="dashboard", resource_id="1", format="png", width=120, height=80)
    assert isinstance(png, bytes) and png_size(png) == (120, 80)
    svg = sdk.content_thumbnail(type="look", resource_id="1", format="svg")
    root = ET.fromstring(svg.encode())
    assert svg.startswith("<?xml") and root.tag == "{http://www.w3.org/2000/svg}svg" and len(root) > 1
    assert looker.api("GET", "content_thumbnail/look/424242").status_code == 404
    assert analyst("GET", "content_thumbnail/dashboard/1").status_code == 200
    for bad, field in ((("look/1", {"format": "gif"}), "format"), (("look/1", {"width": "0"}), "width"),
                       (("chart/1", {}), "type")):
        answer = looker.api("GET", f"content_thumbnail/{bad[0]}", params=bad[1])
        assert answer.status_code == 422 and fields_of(answer) == [field], answer.text
