"""The official TypeScript browser SDK (its OAuthSession) against the local Looker: it signs in, calls me() and
signs out; and looker_pkce sends what it sends, field by field, where docs/REAL_LOOKER.md says they agree."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from drive import DEMO_EMAIL, looker_login, scenario, sign_in

ROOT = Path(__file__).resolve().parents[2]
WIRE_TABLE = re.compile(r"^\| (/auth|/api/token|/api/logout) \| ([^|]+?) \|.*\| (same|differs) \|$", re.M)


def ts_sign_in_and_out(page, site, looker) -> None:
    """The official client's page: sign in through Looker's pages, me(), logout(); the outcome on <body data-*>."""
    bundle = ROOT / "build" / "pages" / "ts-sdk-bundle.js"
    bundle.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(ROOT / "node_modules" / ".bin" / "esbuild"), str(ROOT / "tests" / "pages" / "ts-sdk-entry.js"),
                    "--bundle", "--format=iife", "--log-level=warning", f"--outfile={bundle}"], check=True, cwd=ROOT)
    page_url = f"{site.origin}/tests/pages/ts-sdk.html"
    looker.register_app("tests-ts-sdk", page_url)
    page.goto(page_url)
    page.wait_for_selector("#login-email, #approve")
    looker_login(page)
    page.wait_for_selector("#approve")
    page.click("#approve")
    page.wait_for_selector("body[data-email], body[data-error]", state="attached")
    assert page.evaluate("document.body.dataset.error") is None, page.evaluate("document.body.dataset.error")


def test_official_ts_oauth_session_signs_in_calls_me_and_signs_out(page, site, looker):
    ts_sign_in_and_out(page, site, looker)
    assert page.evaluate("document.body.dataset.email") == DEMO_EMAIL
    assert page.evaluate("[document.body.dataset.idType, document.body.dataset.roleIdType]") == ["string", "string"]
    assert page.evaluate("document.body.dataset.loggedOut") == "true"


class Sent:
    """One captured request, read the way the wire table's fields name its parts."""

    def __init__(self, request, looker):
        self.method, self.url, self.headers = request.method, request.url, request.all_headers()
        self.body = request.post_data
        self.host = {looker.ui_url: "UI host", looker.api_url: "API host"}.get(
            f"{urlsplit(self.url).scheme}://{urlsplit(self.url).netloc}", self.url)
        self.query = dict(parse_qsl(urlsplit(self.url).query))
        self.json = json.loads(self.body) if self.body and self.headers.get("content-type") == "application/json" else {}


def challenge_form(challenge: str) -> str:
    forms = {"base64url with =, 44 characters": r"[A-Za-z0-9_-]{43}=", "base64url, 43 characters": r"[A-Za-z0-9_-]{43}",
             "hex": r"[0-9a-f]{64}"}
    return next((name for name, pattern in forms.items() if re.fullmatch(pattern, challenge)), "other: " + challenge)


def alphabet(text: str) -> str:
    return "lower-case hex" if re.fullmatch(r"[0-9a-f]+", text) else (
        "RFC 7636 unreserved" if re.fullmatch(r"[A-Za-z0-9._~-]+", text) else "other")


# (request, field) -> what the field is in a captured request; a row of the document's table without one fails
FIELDS = {
    ("/auth", "method"): lambda r: r.method,
    ("/auth", "host"): lambda r: r.host,
    ("/auth", "parameter names"): lambda r: sorted(r.query),
    ("/auth", "response_type"): lambda r: r.query.get("response_type"),
    ("/auth", "scope"): lambda r: r.query.get("scope"),
    ("/auth", "code_challenge_method"): lambda r: r.query.get("code_challenge_method"),
    ("/auth", "code_challenge form"): lambda r: challenge_form(r.query.get("code_challenge", "")),
    ("/auth", "state"): lambda r: r.query.get("state"),
    ("/api/token", "method"): lambda r: r.method,
    ("/api/token", "host"): lambda r: r.host,
    ("/api/token", "Content-Type"): lambda r: r.headers.get("content-type"),
    ("/api/token", "body fields"): lambda r: sorted(r.json),
    ("/api/token", "grant_type"): lambda r: r.json.get("grant_type"),
    ("/api/token", "code_verifier length"): lambda r: len(r.json.get("code_verifier", "")),
    ("/api/token", "code_verifier alphabet"): lambda r: alphabet(r.json.get("code_verifier", "")),
    ("/api/token", "Authorization"): lambda r: r.headers.get("authorization"),
    ("/api/token", "Accept"): lambda r: r.headers.get("accept"),
    ("/api/token", "X-Looker-AppId"): lambda r: r.headers.get("x-looker-appid"),
    ("/api/logout", "method"): lambda r: r.method,
    ("/api/logout", "host"): lambda r: r.host,
    ("/api/logout", "Authorization"): lambda r: (r.headers.get("authorization") or "").split(" ")[0],
    ("/api/logout", "body"): lambda r: r.body,
    ("/api/logout", "X-Looker-AppId"): lambda r: r.headers.get("x-looker-appid"),
}


def test_looker_pkce_sends_what_the_official_ts_client_sends(page, site, looker):
    """Both clients sign in and out of the local Looker; their /auth, /api/token and /api/logout requests are
    compared on every row of docs/REAL_LOOKER.md's wire table: "same" rows must agree, "differs" rows differ."""
    captured = {"ts": [], "ours": []}
    client = {"now": "ts"}

    def record(request):
        if urlsplit(request.url).path in ("/auth", "/api/token", "/api/logout") and request.method != "OPTIONS":
            captured[client["now"]].append(Sent(request, looker))

    page.on("request", record)
    ts_sign_in_and_out(page, site, looker)
    client["now"] = "ours"
    sign_in(page, site, "mpy")
    assert scenario(page, "sign_out") == {"ok": {"signed_in": False}}

    def first(who: str, path: str) -> Sent:
        found = [sent for sent in captured[who] if urlsplit(sent.url).path == path]
        assert found, f"{who} sent no {path}: {[s.url for s in captured[who]]}"
        return found[0]

    rows = WIRE_TABLE.findall((ROOT / "docs" / "REAL_LOOKER.md").read_text())
    assert len(rows) >= 20 and {path for path, _, _ in rows} == {"/auth", "/api/token", "/api/logout"}
    unread = [(path, field) for path, field, _ in rows if (path, field) not in FIELDS]
    assert not unread, f"the document names fields this test cannot read: {unread}"
    wrong = []
    for path, field, verdict in rows:
        ours, theirs = (FIELDS[path, field](first(who, path)) for who in ("ours", "ts"))
        if (ours == theirs) != (verdict == "same"):
            wrong.append(f"{path} {field}: looker_pkce {ours!r}, official {theirs!r}, the document says {verdict}")
    assert not wrong, "\n".join(wrong)
