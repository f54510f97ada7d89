"""The local Looker against the official Python SDK and against independent SQL."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import sqlite3

import pytest
import requests
from looker_sdk import api_settings, error
from looker_sdk.rtl import auth_session, requests_transport, serialize
from looker_sdk.sdk.api40 import methods, models

from drive import DEMO_EMAIL, DEMO_PASSWORD

REDIRECT = "http://127.0.0.1:1/sdk-callback"


class Settings(api_settings.ApiSettings):
    """ApiSettings from values instead of looker.ini (OAuthSession also wants looker_url and redirect_uri)."""

    def __init__(self, values: dict):
        self.values = values
        super().__init__(filename="looker.ini", sdk_version="test")

    def read_config(self):
        return dict(self.values)


class Crypto(auth_session.CryptoHash):
    """The SDK's crypto with the challenge written in a chosen encoding."""

    def __init__(self, encoding: str):
        self.encoding = encoding

    def sha256_hash(self, message: str) -> str:
        digest = hashlib.sha256(message.encode()).digest()
        if self.encoding == "hex":
            return digest.hex()  # exactly what the official SDK sends
        text = base64.urlsafe_b64encode(digest).decode()
        return text if self.encoding == "padded" else text.rstrip("=")


def oauth_sdk(looker, client_id: str, encoding: str = "hex"):
    settings = Settings({"base_url": looker.api_url, "looker_url": looker.ui_url + "/", "client_id": client_id,
                         "redirect_uri": REDIRECT, "verify_ssl": "false"})
    transport = requests_transport.RequestsTransport.configure(settings)
    session = auth_session.OAuthSession(settings=settings, transport=transport, deserialize=serialize.deserialize40,
                                        serialize=serialize.serialize40, crypto=Crypto(encoding), version="4.0")
    return session, methods.Looker40SDK(session, serialize.deserialize40, serialize.serialize40, transport, "4.0")


def hidden(html: str, name: str) -> str:
    return re.search(rf"name={name} value='([^']*)'", html).group(1)


def approve_in_browserless_login(auth_url: str, decision: str = "approve") -> dict:
    """Drive Looker's login and consent forms over HTTP; returns the redirect's query parameters."""
    web = requests.Session()
    login = web.get(auth_url)
    assert "login-email" in login.text
    consent = web.post(login.url.split("?")[0], data={
        "email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": hidden(login.text, "csrf_token"),
        "return_to": hidden(login.text, "return_to").replace("&amp;", "&")})
    assert "Allow access" in consent.text, consent.text
    answer = web.post(consent.url.split("/auth")[0] + "/auth/decide", allow_redirects=False, data={
        "request_id": hidden(consent.text, "request_id"), "csrf_token": hidden(consent.text, "csrf_token"),
        "decision": decision})
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return dict(re.findall(r"([^?&=]+)=([^&]*)", location.split("?", 1)[1]))


@pytest.fixture(scope="module")
def sdk_app(looker):
    looker.register_app("sdk-tests", REDIRECT)
    return "sdk-tests"


@pytest.mark.parametrize("encoding", ["hex", "padded", "rfc7636"])
def test_official_oauth_session_signs_in(looker, sdk_app, encoding):
    session, sdk = oauth_sdk(looker, sdk_app, encoding)
    params = approve_in_browserless_login(session.create_auth_code_request_url("cors_api", "st4te"))
    assert params["state"] == "st4te"
    session.redeem_auth_code(params["code"])
    assert sdk.me().email == DEMO_EMAIL


def sign_in_code(looker, sdk_app):
    session, sdk = oauth_sdk(looker, sdk_app)
    params = approve_in_browserless_login(session.create_auth_code_request_url("cors_api", "s"))
    return session, sdk, params["code"]


def token_call(looker, **body):
    return requests.post(looker.api_url + "/api/token", json=body)


def test_the_ui_hosts_root_says_what_it_is_and_where_the_page_is(looker):
    answer = requests.get(looker.ui_url + "/")
    assert answer.status_code == 200 and "Local Looker" in answer.text
    assert "Content-Security-Policy" in answer.headers  # as every page it serves
    versions = requests.get(looker.api_url + "/versions").json()
    assert versions["looker_release_version"] == "26.12.3"  # the release of the spec it follows (its README)


def test_wrong_verifier_is_refused(looker, sdk_app):
    session, _, code = sign_in_code(looker, sdk_app)
    answer = token_call(looker, grant_type="authorization_code", code=code, code_verifier="x" * 43,
                        client_id=sdk_app, redirect_uri=REDIRECT)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert "code_verifier" in answer.json()["error_description"]


def test_reused_code_is_refused_and_revokes_its_tokens(looker, sdk_app):
    session, sdk, code = sign_in_code(looker, sdk_app)
    session.redeem_auth_code(code)
    token = session.token.access_token
    with pytest.raises(error.SDKError, match="already used"):
        session.redeem_auth_code(code)
    assert requests.get(looker.api_url + "/api/4.0/user",
                        headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_expired_code_is_refused(looker, sdk_app):
    session, _, code = sign_in_code(looker, sdk_app)
    looker.local("POST", "expire_codes")
    with pytest.raises(error.SDKError, match="expired"):
        session.redeem_auth_code(code)


def test_mismatched_redirect_uri_is_refused(looker, sdk_app):
    session, _, code = sign_in_code(looker, sdk_app)
    answer = token_call(looker, grant_type="authorization_code", code=code, code_verifier=session.code_verifier,
                        client_id=sdk_app, redirect_uri=REDIRECT + "x")
    assert answer.json()["error"] == "invalid_grant" and "redirect_uri" in answer.json()["error_description"]


def test_unknown_client_and_bad_redirect_show_an_error_page_and_never_redirect(looker, sdk_app):
    for params in ({"client_id": "nobody", "redirect_uri": REDIRECT},
                   {"client_id": sdk_app, "redirect_uri": "https://evil.example/"}):
        answer = requests.get(looker.ui_url + "/auth", allow_redirects=False, params={
            **params, "response_type": "code", "scope": "cors_api", "state": "s",
            "code_challenge_method": "S256", "code_challenge": "c"})
        assert answer.status_code == 400 and "location" not in answer.headers


def test_disabled_client_is_refused(looker):
    looker.register_app("disabled-app", REDIRECT, enabled=False)
    answer = requests.get(looker.ui_url + "/auth", allow_redirects=False, params={
        "client_id": "disabled-app", "redirect_uri": REDIRECT, "response_type": "code", "scope": "cors_api",
        "state": "s", "code_challenge_method": "S256", "code_challenge": "c"})
    assert answer.status_code == 302 and "error=unauthorized_client" in answer.headers["location"]
    assert "state=s" in answer.headers["location"]


def test_missing_pkce_goes_back_as_error(looker, sdk_app):
    answer = requests.get(looker.ui_url + "/auth", allow_redirects=False, params={
        "client_id": sdk_app, "redirect_uri": REDIRECT, "response_type": "code", "scope": "cors_api", "state": "s"})
    assert "error=invalid_request" in answer.headers["location"]


def test_deny_redirects_with_access_denied(looker, sdk_app):
    session, _ = oauth_sdk(looker, sdk_app)
    params = approve_in_browserless_login(session.create_auth_code_request_url("cors_api", "s"), decision="deny")
    assert params["error"] == "access_denied" and params["state"] == "s" and "code" not in params


def test_refresh_rotates_and_logout_revokes(looker, sdk_app):
    session, sdk, code = sign_in_code(looker, sdk_app)
    session.redeem_auth_code(code)
    old_refresh = session.token.refresh_token
    answer = token_call(looker, grant_type="refresh_token", refresh_token=old_refresh, client_id=sdk_app,
                        redirect_uri=REDIRECT)
    new = answer.json()
    assert answer.status_code == 200 and new["refresh_token"] != old_refresh
    bearer = {"Authorization": "Bearer " + new["access_token"]}
    assert requests.delete(looker.api_url + "/api/logout", headers=bearer).status_code == 204
    assert requests.get(looker.api_url + "/api/4.0/user", headers=bearer).status_code == 401
    assert token_call(looker, grant_type="refresh_token", refresh_token=new["refresh_token"], client_id=sdk_app,
                      redirect_uri=REDIRECT).status_code == 400


def signed_in_tokens(looker, sdk_app) -> dict:
    session, _, code = sign_in_code(looker, sdk_app)
    answer = token_call(looker, grant_type="authorization_code", code=code, code_verifier=session.code_verifier,
                        client_id=sdk_app, redirect_uri=REDIRECT)
    assert answer.status_code == 200, answer.text
    return answer.json()


def refresh(looker, sdk_app, refresh_token):
    return token_call(looker, grant_type="refresh_token", refresh_token=refresh_token, client_id=sdk_app,
                      redirect_uri=REDIRECT)


def works(looker, access_token) -> bool:
    return requests.get(looker.api_url + "/api/4.0/user",
                        headers={"Authorization": f"Bearer {access_token}"}).status_code == 200


def test_a_spent_refresh_token_presented_again_revokes_the_whole_family(looker, sdk_app):
    first = signed_in_tokens(looker, sdk_app)
    second = refresh(looker, sdk_app, first["refresh_token"]).json()
    third = refresh(looker, sdk_app, second["refresh_token"]).json()
    assert works(looker, third["access_token"])
    before = looker.local("GET", "stats")["family_revocations"]
    replay = refresh(looker, sdk_app, first["refresh_token"])  # a second holder of a spent token
    assert replay.status_code == 400 and "already used" in replay.json()["error_description"]
    assert not works(looker, third["access_token"])  # RFC 9700 4.14.2: the live pair is gone too
    assert refresh(looker, sdk_app, third["refresh_token"]).status_code == 400
    assert looker.local("GET", "stats")["family_revocations"] == before + 1


@pytest.mark.parametrize("change", ["disable", "delete"])
def test_disabling_or_deleting_a_client_app_invalidates_its_tokens_at_once(looker, change):
    looker.register_app("short-lived-app", REDIRECT)
    tokens = signed_in_tokens(looker, "short-lived-app")
    assert works(looker, tokens["access_token"])
    if change == "disable":
        looker.api("PATCH", "oauth_client_apps/short-lived-app", json={"enabled": False}).raise_for_status()
    else:
        assert looker.api("DELETE", "oauth_client_apps/short-lived-app").status_code == 204
    assert not works(looker, tokens["access_token"])
    assert refresh(looker, "short-lived-app", tokens["refresh_token"]).status_code == 400


def test_retry_after_is_exposed_to_the_page_unless_switched_off(looker, site):
    cors = {"Origin": site.origin}
    try:
        for exposed in (True, False):
            looker.local("POST", "faults", json={"expose_retry_after": exposed, "rate_limit_next": 1, "retry_after": 1})
            answer = looker.api("GET", "user", headers=cors)
            assert answer.status_code == 429 and answer.headers["Retry-After"] == "1"
            assert ("Retry-After" in answer.headers["Access-Control-Expose-Headers"]) is exposed
    finally:
        looker.local("POST", "faults", json={"expose_retry_after": True, "rate_limit_next": 0})


def test_every_nth_call_can_be_rate_limited(looker):
    try:
        looker.local("POST", "faults", json={"rate_limit_every": 4})
        statuses = [looker.api("GET", "user").status_code for _ in range(8)]
    finally:
        looker.local("POST", "faults", json={"rate_limit_every": 0})
    assert statuses.count(429) == 2 and statuses.count(200) == 6


def test_token_endpoint_accepts_form_bodies(looker, sdk_app):
    answer = requests.post(looker.api_url + "/api/token", data={"grant_type": "refresh_token",
                                                                "refresh_token": "nope", "client_id": sdk_app})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_login_with_secret_is_refused_for_browsers(looker):
    answer = requests.post(looker.api_url + "/login", headers={"Origin": "http://127.0.0.1:9"},
                           data={"client_id": "demo-admin-id", "client_secret": "demo-admin-secret"})
    assert answer.status_code == 403 and "access-control-allow-origin" not in answer.headers


# --- every endpoint through the official SDK's models ------------------------------------------
@pytest.fixture(scope="module")
def admin_sdk(looker):
    settings = Settings({"base_url": looker.api_url, "client_id": "demo-admin-id",
                         "client_secret": "demo-admin-secret", "verify_ssl": "false"})
    transport = requests_transport.RequestsTransport.configure(settings)
    return methods.Looker40SDK(auth_session.AuthSession(settings, transport, serialize.deserialize40, "4.0"),
                               serialize.deserialize40, serialize.serialize40, transport, "4.0")


def test_endpoints_deserialize_into_official_models(admin_sdk, looker):
    sdk = admin_sdk
    assert sdk.me().email == DEMO_EMAIL
    assert {u.email for u in sdk.all_users()} >= {DEMO_EMAIL, "analyst@example.com"}
    assert sdk.user("2").display_name == "Alex Analyst"
    assert sdk.versions().api_server_url == looker.api_url
    assert [m.name for m in sdk.all_lookml_models()] == ["thelook", "system__activity"]  # admins see System Activity
    assert {e.name for e in sdk.lookml_model("thelook").explores} == {"order_items", "users", "products"}
    explore = sdk.lookml_model_explore("thelook", "order_items")
    assert "order_items.created_date" in {d.name for d in explore.fields.dimensions}
    assert "order_items.total_sale_price" in {m.name for m in explore.fields.measures}
    query = sdk.create_query(models.WriteQuery(model="thelook", view="order_items",
                                               fields=["products.category", "order_items.count"], limit="3"))
    assert sdk.query(query.id).fields == ["products.category", "order_items.count"]
    assert sdk.query_for_slug(query.slug).id == query.id
    assert sdk.run_query(query.id, "csv").count("\n") == 4
    assert len(sdk.run_inline_query("json", models.WriteQuery(
        model="thelook", view="users", fields=["users.state"], limit="2"))) > 0
    looks = sdk.all_looks()
    assert {lk.title for lk in looks} >= {"Sales by State", "Orders by Month"}
    assert sdk.look(looks[0].id).query.model == "thelook"
    assert [lk.title for lk in sdk.search_looks(title="%state%")] == ["Sales by State"]
    new = sdk.create_look(models.WriteLookWithQuery(title="SDK look", query_id=query.id, folder_id="2"))
    assert sdk.update_look(new.id, models.WriteLookWithQuery(title="SDK look 2")).title == "SDK look 2"
    assert "Products Category" in sdk.run_look(new.id, "csv")
    sdk.delete_look(new.id)
    with pytest.raises(error.SDKError):
        sdk.look(new.id)
    dashboards = sdk.all_dashboards()
    board = sdk.dashboard(dashboards[0].id)
    assert len(board.dashboard_elements) >= 8 and board.dashboard_filters[0].name == "Date"
    assert sdk.search_dashboards(title="Business%")[0].id == board.id
    elements = sdk.dashboard_dashboard_elements(board.id)
    assert all(e.query.model == "thelook" for e in elements if e.type == "vis")
    assert {f.name for f in sdk.all_folders()} >= {"Shared", "Sales"}
    assert sdk.folder("2").parent_id == "1"
    assert {f.name for f in sdk.folder_children("1")} == {"Sales", "Operations"}
    assert {lk.title for lk in sdk.folder_looks("2")} == {"Sales by State", "Orders by Month"}
    assert [d.title for d in sdk.folder_dashboards("2")] == ["Business Pulse"]
    assert sdk.search_folders(name="Sal%")[0].id == "2"
    setting = sdk.get_setting()
    assert looker.ui_url.replace("127.0.0.1", "") or setting.embed_config.domain_allowlist
    app = sdk.register_oauth_client_app("sdk-made", models.WriteOauthClientApp(
        redirect_uri="https://x.example/", display_name="made by sdk", enabled=True))
    assert app.client_guid == "sdk-made" and sdk.oauth_client_app("sdk-made").display_name == "made by sdk"
    assert sdk.update_oauth_client_app("sdk-made", models.WriteOauthClientApp(enabled=False)).enabled is False
    assert "sdk-made" in {a.client_guid for a in sdk.all_oauth_client_apps()}
    sdk.delete_oauth_client_app("sdk-made")


def test_errors_use_lookers_shapes(looker):
    assert requests.get(looker.api_url + "/api/4.0/user").json()["message"] == "Requires authentication."
    answer = looker.api("GET", "looks/999")
    assert answer.status_code == 404 and set(answer.json()) == {"message", "documentation_url"}
    answer = looker.api("POST", "looks", json={"title": "x"})
    assert answer.status_code == 422 and {e["field"] for e in answer.json()["errors"]} == {"query_id", "folder_id"}
    answer = looker.api("POST", "queries/run/json", json={"model": "thelook", "view": "users",
                                                          "fields": ["users.nope"]})
    assert answer.status_code == 422 and "users.nope" in answer.json()["errors"][0]["message"]
    assert looker.api("POST", "oauth_client_apps/looker-pkce-demo", json={
        "redirect_uri": "x", "display_name": "y"}).status_code == 409
    analyst = requests.post(looker.api_url + "/login", data={"client_id": "demo-analyst-id",
                                                             "client_secret": "demo-analyst-secret"}).json()
    assert requests.get(looker.api_url + "/api/4.0/setting",
                        headers={"Authorization": "Bearer " + analyst["access_token"]}).status_code == 403


# --- queries against independent SQL --------------------------------------------------------------
JOINS = ("FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN users u ON u.id = o.user_id "
         "JOIN products p ON p.id = oi.product_id")


def sql(looker_db, statement, *params):
    with sqlite3.connect(looker_db) as db:
        return db.execute(statement, params).fetchall()


@pytest.fixture(scope="module")
def db_path():
    from pathlib import Path

    from local_looker.data import database

    return database(Path(__file__).resolve().parents[2] / "build")


def inline(looker, **body):
    answer = looker.api("POST", "queries/run/json", json={"model": "thelook", **body})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_filters_lists_and_negation_match_sql(looker, db_path):
    rows = inline(looker, view="order_items", fields=["users.state", "order_items.count"],
                  filters={"users.state": "California,Texas"}, sorts=["users.state"])
    expected = sql(db_path, f"SELECT u.state, COUNT(*) {JOINS} WHERE u.state IN ('California','Texas') "
                            "GROUP BY 1 ORDER BY 1")
    assert [(r["users.state"], r["order_items.count"]) for r in rows] == expected
    rows = inline(looker, view="products", fields=["products.category", "products.count"],
                  filters={"products.category": "-Jeans,-Socks"}, sorts=["products.count desc", "products.category"],
                  limit="3")
    expected = sql(db_path, "SELECT category, COUNT(*) FROM products WHERE category NOT IN ('Jeans','Socks') "
                            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3")
    assert [(r["products.category"], r["products.count"]) for r in rows] == expected


def test_ranges_nulls_and_dates_match_sql(looker, db_path):
    rows = inline(looker, view="order_items", fields=["order_items.count"],
                  filters={"order_items.sale_price": "[50, 100]", "order_items.created_month": "2025-03"})
    expected = sql(db_path, f"SELECT COUNT(*) {JOINS} WHERE oi.sale_price BETWEEN 50 AND 100 "
                            "AND oi.created_at >= '2025-03-01' AND oi.created_at < '2025-04-01'")
    assert rows[0]["order_items.count"] == expected[0][0]
    rows = inline(looker, view="users", fields=["users.count"], filters={"users.gender": "NULL"})
    assert rows[0]["users.count"] == sql(db_path, "SELECT COUNT(*) FROM users WHERE gender IS NULL")[0][0] > 0
    rows = inline(looker, view="order_items", fields=["order_items.created_date", "order_items.count"],
                  filters={"order_items.created_date": "7 days"}, sorts=["order_items.created_date"])
    start = (dt.date.today() - dt.timedelta(days=6)).isoformat()
    expected = sql(db_path, "SELECT date(created_at), COUNT(*) FROM order_items WHERE created_at >= ? "
                            "GROUP BY 1 ORDER BY 1", start)
    assert [(r["order_items.created_date"], r["order_items.count"]) for r in rows] == expected
    assert 1 <= len(rows) <= 7


def test_pivots_totals_and_limits_match_sql(looker, db_path):
    answer = looker.api("POST", "queries/run/json_detail", json={
        "model": "thelook", "view": "order_items", "fields": ["products.category", "products.department",
                                                              "order_items.count"],
        "pivots": ["products.department"], "sorts": ["products.category"], "limit": "2", "total": True})
    detail = answer.json()
    expected = sql(db_path, f"SELECT p.category, p.department, COUNT(*) {JOINS} GROUP BY 1, 2 ORDER BY 1, 2")
    first_two = sorted({c for c, _, _ in expected})[:2]
    assert [row["products.category"]["value"] for row in detail["data"]] == first_two
    for row in detail["data"]:
        for category, department, count in expected:
            if category == row["products.category"]["value"]:
                assert row["order_items.count"][department]["value"] == count
    assert [p["key"] for p in detail["pivots"]] == ["Men", "Women"]
    by_department = sql(db_path, f"SELECT p.department, COUNT(*) {JOINS} GROUP BY 1")  # every row, not the first two
    assert detail["totals_data"] == {"order_items.count": {d: {"value": n} for d, n in by_department}}


def test_totals_follow_the_pivots_in_the_pivoted_rows_shape(looker, db_path):
    """Looker's totals of a pivoted query: each measure's total per pivot value, keyed as the pivoted rows
    are (a null pivot value is ∅), over every row the filters keep; unpivoted, one value per measure."""
    def detail(**body):
        answer = looker.api("POST", "queries/run/json_detail", json={"model": "thelook", "total": True, **body})
        assert answer.status_code == 200, answer.text
        return answer.json()

    pivoted = detail(view="order_items", fields=["products.category", "products.department", "order_items.count",
                                                 "order_items.total_sale_price"],
                     pivots=["products.department"], filters={"users.state": "California"}, limit="3")
    expected = sql(db_path, f"SELECT p.department, COUNT(*), ROUND(SUM(oi.sale_price), 2) {JOINS} "
                            "WHERE u.state = 'California' GROUP BY 1")
    assert pivoted["totals_data"] == {"order_items.count": {d: {"value": n} for d, n, _ in expected},
                                      "order_items.total_sale_price": {d: {"value": t} for d, _, t in expected}}
    assert [p["key"] for p in pivoted["pivots"]] == list(pivoted["totals_data"]["order_items.count"])
    in_rows = set().union(*(row["order_items.count"] for row in pivoted["data"]))
    assert in_rows == set(pivoted["totals_data"]["order_items.count"]) == {"Men", "Women"}
    by_gender = detail(view="users", fields=["users.state", "users.gender", "users.count"], pivots=["users.gender"])
    counts = {"∅" if g is None else g: n for g, n in sql(db_path, "SELECT gender, COUNT(*) FROM users GROUP BY 1")}
    assert by_gender["totals_data"] == {"users.count": {g: {"value": n} for g, n in counts.items()}} and "∅" in counts
    plain = detail(view="users", fields=["users.state", "users.count"], filters={"users.state": "Texas"})
    assert plain["totals_data"] == {"users.count": {"value": sql(db_path, "SELECT COUNT(*) FROM users "
                                                                          "WHERE state = 'Texas'")[0][0]}}
    none_kept = detail(view="users", fields=["users.count"], filters={"users.count": ">99999999"})
    assert none_kept["data"] == [] and none_kept["totals_data"] == {"users.count": {"value": None}}
    measure = looker.api("POST", "queries/run/json_detail", json={
        "model": "thelook", "view": "users", "fields": ["users.state", "users.count"], "pivots": ["users.count"],
        "total": True})
    assert measure.status_code == 422 and "only dimensions can be pivoted" in measure.json()["errors"][0]["message"]


def test_result_formats(looker):
    body = {"model": "thelook", "view": "products", "fields": ["products.brand", "products.count"],
            "sorts": ["products.brand"], "limit": "2"}
    csv = looker.api("POST", "queries/run/csv", json=body)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "Products Brand,Products Count"
    txt = looker.api("POST", "queries/run/txt", json=body)
    assert txt.text.splitlines()[0] == "Products Brand\tProducts Count" and len(txt.text.splitlines()) == 3
    assert looker.api("POST", "queries/run/xlsx", json=body).status_code == 400


def test_hostile_values_are_in_the_data(looker):
    rows = inline(looker, view="users", fields=["users.id", "users.first_name"], sorts=["users.id"], limit="5")
    names = [r["users.first_name"] for r in rows]
    assert any("<img" in n for n in names) and any("<script>" in n for n in names)
    assert any("🚀" in n for n in names) and any(len(n) > 500 for n in names)


def test_identical_queries_are_answered_from_the_results_cache(looker):
    """Looker reuses an identical query's results (same body, format, limit) unless asked `cache=false`."""
    body = {"model": "thelook", "view": "order_items", "fields": ["products.brand", "order_items.count"],
            "sorts": ["products.brand"], "limit": "7"}
    runs = lambda: looker.local("GET", "stats")["query_runs"]  # noqa: E731
    before = runs()
    first = looker.api("POST", "queries/run/json", json=body)
    again = looker.api("POST", "queries/run/json", json=body)
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    assert runs() == before + 1  # the second came from the cache
    assert looker.api("POST", "queries/run/json", json=body, params={"cache": "false"}).json() == first.json()
    assert runs() == before + 2
    assert looker.api("POST", "queries/run/csv", json=body).status_code == 200  # another format: run
    assert looker.api("POST", "queries/run/json", json=dict(body, limit="3")).json() == first.json()[:3]
    assert runs() == before + 4


def test_lookers_sign_out_page_ends_the_ui_session_only_through_its_form(looker):
    browser = requests.Session()
    browser.get(looker.ui_url + "/login")
    csrf = browser.cookies["looker_csrf"]
    signed_in = browser.post(looker.ui_url + "/login", data={"email": "admin@example.com", "password": "looker-demo",
                                                             "csrf_token": csrf, "return_to": "/"})
    assert signed_in.status_code == 200 and browser.cookies.get("looker_ui_session")
    assert "admin@example.com" in browser.get(looker.ui_url + "/logout").text
    forged = browser.post(looker.ui_url + "/logout", data={"csrf_token": "guessed"})
    assert forged.status_code == 403 and "admin@example.com" in browser.get(looker.ui_url + "/logout").text
    done = browser.post(looker.ui_url + "/logout", data={"csrf_token": csrf})
    assert done.status_code == 200 and "signed out of Looker" in done.text
    assert "not signed in" in browser.get(looker.ui_url + "/logout").text
