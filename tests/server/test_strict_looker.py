"""The local Looker is as strict as a real one by default (docs/REAL_LOOKER.md), and lenient only when asked.

Each test names the behaviour of real Looker it stands for; the document gives the source or the assumption.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import socket
import string
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
from test_local_looker import REDIRECT, approve_in_browserless_login

from local_looker.__main__ import parse
from local_looker.errors import MAX_HEADER_BYTES, MAX_REQUEST_LINE
from local_looker.process import LocalLooker, free_port
from looker_pkce.core import pkce

CLIENT = "strict-tests"
UNRESERVED = string.ascii_letters + string.digits + "-._~"


@pytest.fixture(scope="module")
def app(looker):
    looker.register_app(CLIENT, REDIRECT)
    return CLIENT


def verifier_of(length: int, alphabet: str = UNRESERVED) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def redeem(looker, verifier: str, challenge: str) -> requests.Response:
    """Sign in with `challenge` on /auth, then trade the code with `verifier` on /api/token."""
    query = urlencode({"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "scope": "cors_api",
                       "state": "s", "code_challenge_method": "S256", "code_challenge": challenge})
    code = approve_in_browserless_login(f"{looker.ui_url}/auth?{query}")["code"]
    return requests.post(looker.api_url + "/api/token", json={
        "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "client_id": CLIENT,
        "redirect_uri": REDIRECT})


def test_a_power_of_two_verifier_is_checked_against_a_hex_challenge_only(looker, app):
    """REAL_LOOKER.md#pkce-hex-compatibility (sdk-codegen PR #345)."""
    for length in (64, 128):
        verifier = verifier_of(length)
        for encoding in ("padded", "rfc7636"):
            refused = redeem(looker, verifier, pkce.code_challenge(verifier, encoding))
            assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", (length, encoding)
        assert redeem(looker, verifier, pkce.code_challenge(verifier, "hex")).status_code == 200
    verifier = verifier_of(66)  # what the official browser client and looker_pkce send: base64url is checked
    assert redeem(looker, verifier, pkce.code_challenge(verifier, "padded")).status_code == 200


@pytest.mark.parametrize("verifier", [verifier_of(42), verifier_of(129), verifier_of(66, "+/="), "é" * 50,
                                      verifier_of(50) + " "],
                         ids=["42 characters", "129 characters", "base64 characters", "non-ASCII", "a space"])
def test_a_verifier_outside_rfc_7636_is_refused_with_an_oauth_error(looker, app, verifier):
    """REAL_LOOKER.md#pkce-verifier-syntax: 43-128 unreserved characters."""
    answer = redeem(looker, verifier, hashlib.sha256(verifier.encode()).hexdigest())
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request" and "RFC 7636" in answer.json()["error_description"]


def test_the_ui_host_answers_no_cors_and_the_api_host_does(looker, site):
    """REAL_LOOKER.md#ui-host-cors: a page cannot ask the UI host anything, so it discovers nothing there."""
    asked = {"Origin": site.origin, "Access-Control-Request-Method": "GET"}
    for host, allowed in ((looker.ui_url, False), (looker.api_url, True)):
        preflight = requests.options(host + "/versions", headers=asked)
        plain = requests.get(host + "/versions", headers={"Origin": site.origin})
        for answer in (preflight, plain):
            assert (answer.headers.get("access-control-allow-origin") == site.origin) is allowed, host


def test_a_switch_makes_logout_refuse_cors_while_token_still_allows_it(looker, site):
    """REAL_LOOKER.md#logout-cors (sdk-codegen issue #1346)."""

    def allowed(path: str, method: str) -> bool:
        answer = requests.options(looker.api_url + path, headers={
            "Origin": site.origin, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization"})
        return answer.headers.get("access-control-allow-origin") == site.origin

    assert allowed("/api/logout", "DELETE") and allowed("/api/token", "POST")
    try:
        looker.local("POST", "faults", json={"refuse_logout_cors": True})
        assert not allowed("/api/logout", "DELETE") and allowed("/api/token", "POST")
        actual = requests.delete(looker.api_url + "/api/logout", headers={"Origin": site.origin,
                                                                          "Authorization": "Bearer not-a-token"})
        assert "access-control-allow-origin" not in actual.headers
    finally:
        looker.local("POST", "faults", json={"refuse_logout_cors": False})
    assert allowed("/api/logout", "DELETE")


def connection_port(response: requests.Response) -> int:
    sock = response.raw.connection.sock if response.raw.connection else None
    return sock.getsockname()[1] if sock else -1


def test_heads_over_the_limits_get_json_414_and_431_on_a_connection_that_stays_usable(looker):
    """REAL_LOOKER.md#request-size-limits (the limits are an assumption)."""
    session = requests.Session()
    token = looker.admin.headers["Authorization"]

    def call(path: str, **headers) -> tuple[int, dict, int]:
        answer = session.get(looker.api_url + path, headers={"Authorization": token, **headers}, stream=True)
        port = connection_port(answer)
        body = answer.json()
        return answer.status_code, body, port

    status, _, port = call("/api/4.0/user")
    assert status == 200
    long_target = "/api/4.0/looks/search?title=" + "a" * MAX_REQUEST_LINE
    big_header = "b" * (MAX_HEADER_BYTES + 1)
    for path, headers, expected in ((long_target, {}, 414), ("/api/4.0/user", {"X-Big": big_header}, 431),
                                    ("/api/4.0/user", {"Authorization": "Bearer " + "a" * 9_000}, 431),
                                    ("/api/4.0/user", {"X-Big": "b" * 20_000}, 431)):  # past h11's default 16 KiB
        status, body, used = call(path, **headers)
        assert status == expected and str(MAX_REQUEST_LINE if expected == 414 else MAX_HEADER_BYTES) in body["message"]
        assert body["documentation_url"].startswith("https://cloud.google.com/looker/docs/r/err/4.0/")
        again, me, after = call("/api/4.0/user")
        assert (again, me["email"], used, after) == (200, "admin@example.com", port, port)
    under = "/api/4.0/looks/search?title=" + "a" * (MAX_REQUEST_LINE - 200)
    assert call(under)[0] == 200  # the limits are the limits, not less


@pytest.fixture(scope="module")
def lenient(site):
    server = LocalLooker(free_port(), free_port(), site.origin, env={"LOOKER_LENIENT": "1"})
    server.register_app(CLIENT, REDIRECT)
    yield server
    server.stop()


def test_strict_is_the_default_and_lenient_is_asked_for(monkeypatch):
    monkeypatch.delenv("LOOKER_LENIENT", raising=False)
    assert parse([]).strict and not parse(["--lenient"]).strict
    monkeypatch.setenv("LOOKER_LENIENT", "1")
    assert not parse([]).strict


def test_lenient_mode_is_kinder_for_experiments(lenient, site):
    verifier = verifier_of(64)
    assert redeem(lenient, verifier, pkce.code_challenge(verifier, "padded")).status_code == 200
    short = "x" * 10
    assert redeem(lenient, short, pkce.code_challenge(short, "padded")).status_code == 200
    answer = requests.get(lenient.ui_url + "/versions", headers={"Origin": site.origin})
    assert answer.headers.get("access-control-allow-origin") == site.origin
    big = requests.get(lenient.api_url + "/api/4.0/user", headers={"Authorization": "Bearer " + "a" * 9_000})
    assert big.status_code == 401  # no head limit of its own: the token is simply unknown


def test_a_head_arriving_in_pieces_past_the_parsers_default_buffer_still_gets_json_431(looker):
    """h11 (uvicorn's parser) answers a plain 400 and closes once an unfinished head passes 16 KiB; the strict
    Looker raises that buffer (errors.PARSER_HEAD_LIMIT), so the 431 is its JSON on a connection that stays open."""
    host, port = looker.api_url.removeprefix("http://").split(":")
    token = looker.admin.headers["Authorization"]
    head = f"GET /api/4.0/user HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall((head + "X-Big: " + "b" * 20_000).encode())  # unfinished: no end of the header line yet
        time.sleep(0.3)  # the server has received (and buffered) the first part on its own
        conn.sendall(b"\r\n\r\n")
        first = read_response(conn)
        conn.sendall((head + "\r\n").encode())
        second = read_response(conn)
    assert first[0] == 431 and "over Looker's limit" in json.loads(first[1])["message"]
    assert second[0] == 200 and json.loads(second[1])["email"] == "admin@example.com"


def read_response(conn: socket.socket) -> tuple[int, bytes]:
    """One HTTP/1.1 response with a Content-Length: (status, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += conn.recv(65536)
    return int(head.split()[1]), body


def test_every_reference_to_real_looker_md_names_a_section_there():
    """Code says which behaviour of real Looker it follows as docs/REAL_LOOKER.md#<section>: each must exist."""
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "REAL_LOOKER.md").read_text()
    anchors = {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
               for heading in re.findall(r"^#+ (.*)$", doc, re.M)}
    named = {(anchor, path.relative_to(root).as_posix())
             for folder in ("local_looker", "py", "tests", "docs") for path in (root / folder).rglob("*.[pm][yd]")
             for anchor in re.findall(r"REAL_LOOKER\.md#([\w-]+)", path.read_text())}
    named |= {(anchor, "docs/REAL_LOOKER.md") for anchor in re.findall(r"\]\(#([\w-]+)\)", doc)}
    assert len(named) > 20
    assert not sorted(pair for pair in named if pair[0] not in anchors)
