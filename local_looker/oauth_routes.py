"""Sign-in as Looker does it: /auth, the login and consent pages on the UI host;
/api/token, /api/logout and /login on the API host.

Follows RFC 6749, RFC 7636 and RFC 9700 where Looker's docs are silent:
exact redirect URI match, single-use short-lived codes bound to client,
redirect URI and challenge, refresh-token rotation, reuse detection.
Each behaviour names its source or assumption in docs/REAL_LOOKER.md (the anchors below).

The PKCE rules (strict mode, the default; `--lenient` checks any verifier against all three encodings):
- the verifier is 43-128 characters from RFC 7636's unreserved set, else invalid_request
  (REAL_LOOKER.md#pkce-verifier-syntax);
- a verifier whose length is a power of two is the old hex kind: only a hex challenge matches it
  (REAL_LOOKER.md#pkce-hex-compatibility); any other length matches padded or unpadded base64url, or hex.
"""

from __future__ import annotations

import hmac
import html
import re
import secrets
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from looker_pkce.core.compat import origin_of
from looker_pkce.core.pkce import ENCODINGS, code_challenge, power_of_two  # one S256 implementation for both sides

from .errors import ApiProblem, parse_json
from .state import State

VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636 4.1 (REAL_LOOKER.md#pkce-verifier-syntax)
VERIFIER_RULE = "code_verifier must be 43 to 128 characters from A-Z, a-z, 0-9 and - . _ ~ (RFC 7636 section 4.1)"


def verifier_problem(verifier, strict: bool) -> str | None:
    """Why a code_verifier is malformed, or None (lenient mode checks nothing)."""
    if strict and not (isinstance(verifier, str) and VERIFIER.fullmatch(verifier)):
        return VERIFIER_RULE
    return None


def challenge_encodings(verifier: str, strict: bool) -> tuple:
    """The challenge encodings checked for this verifier (REAL_LOOKER.md#pkce-hex-compatibility)."""
    return ("hex",) if strict and power_of_two(len(verifier)) else ENCODINGS


def challenge_matches(verifier: str, challenge: str, strict: bool) -> bool:
    return any(code_challenge(verifier, encoding) == challenge for encoding in challenge_encodings(verifier, strict))


SESSION_COOKIE = "looker_ui_session"
CSRF_COOKIE = "looker_csrf"
PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f4f6fa;display:grid;place-items:center;min-height:100vh;margin:0}"
    "main{background:#fff;padding:2rem 2.5rem;border-radius:12px;box-shadow:0 4px 24px #0002;max-width:26rem}"
    "h1{font-size:1.3rem;color:#1a73e8}label{display:block;margin:.8rem 0 .2rem}"
    "input{width:100%;padding:.55rem;font-size:1rem;box-sizing:border-box}"
    "button{margin-top:1.2rem;padding:.6rem 1.4rem;font-size:1rem;border:0;border-radius:6px;cursor:pointer}"
    ".primary{background:#1a73e8;color:#fff}.secondary{background:#e8eaed;margin-left:.5rem}.error{color:#b3261e}"
    ":focus-visible{outline:3px solid #0b57d0;outline-offset:2px}"
)


def page(title: str, body: str, status: int = 200, form_target: str = "") -> HTMLResponse:
    """A Looker-looking page. `body` is built from html.escape()d parts only.

    `form_target` is the origin a form's answer may redirect to (CSP form-action covers redirects).
    """
    return HTMLResponse(
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<meta name=viewport content='width=device-width, initial-scale=1'><title>{html.escape(title)}</title>"
        f"<style>{PAGE_STYLE}</style></head><body><main>{body}</main></body></html>",
        status_code=status,
        headers={"Content-Security-Policy": ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self' " + form_target).strip(),
                 "X-Frame-Options": "DENY", "Cache-Control": "no-store"},
    )


def oauth_error_json(error: str, description: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status,
                        headers={"Cache-Control": "no-store"})


def same(secret: str, presented: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (hmac refuses non-ASCII str)."""
    return hmac.compare_digest(secret.encode(), presented.encode(errors="replace"))


def redirect_with(redirect_uri: str, params: dict) -> RedirectResponse:
    sep = "&" if "?" in redirect_uri else "?"
    return RedirectResponse(redirect_uri + sep + urlencode({k: v for k, v in params.items() if v is not None}),
                            status_code=302)


class OAuth:
    def __init__(self, state: State):
        self.state = state

    # --- UI host ---------------------------------------------------------------
    def _session_user(self, request: Request) -> dict | None:
        uid = self.state.ui_sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        return self.state.users.get(uid) if uid else None

    async def auth(self, request: Request) -> Response:
        """GET /auth: validate, then login page (if needed) and consent page (docs/REAL_LOOKER.md#auth)."""
        p = dict(request.query_params)
        app = self.state.apps.get(p.get("client_id", ""))
        # Errors that cannot be sent back: never redirect to an unverified URI.
        if app is None:
            return page("Sign-in error", "<h1>Unknown application</h1><p class=error>This client_id is not "
                        "registered with Looker. Ask an admin to register the OAuth client app.</p>", 400)
        if p.get("redirect_uri") != app["redirect_uri"]:
            return page("Sign-in error", "<h1>Redirect URI mismatch</h1><p class=error>The redirect_uri does not "
                        "exactly match the one registered for this application.</p>", 400)
        redirect_uri, state = app["redirect_uri"], p.get("state")
        if not app["enabled"]:
            return redirect_with(redirect_uri, {"error": "unauthorized_client",
                                                "error_description": "This application is disabled", "state": state})
        if p.get("response_type") != "code":
            return redirect_with(redirect_uri, {"error": "unsupported_response_type",
                                                "error_description": "response_type must be code", "state": state})
        if p.get("scope") != "cors_api":
            return redirect_with(redirect_uri, {"error": "invalid_scope",
                                                "error_description": "scope must be cors_api", "state": state})
        if p.get("code_challenge_method") != "S256" or not p.get("code_challenge"):
            return redirect_with(redirect_uri, {"error": "invalid_request",
                                                "error_description": "PKCE S256 code_challenge is required",
                                                "state": state})
        user = self._session_user(request)
        if user is None:
            return RedirectResponse("/login?" + urlencode({"return_to": str(request.url.path) + "?" +
                                                           request.url.query}), status_code=302)
        request_id = secrets.token_urlsafe(16)
        self.state.auth_requests[request_id] = {**p, "user_id": user["id"], "created": self.state.now()}
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        body = (f"<h1>Allow access?</h1><p><b>{html.escape(app['display_name'])}</b> wants to use Looker's API "
                f"as <b>{html.escape(user['email'])}</b>.</p>"
                f"<form method=post action=/auth/decide><input type=hidden name=request_id "
                f"value='{request_id}'><input type=hidden name=csrf_token value='{html.escape(csrf)}'>"
                "<button class=primary name=decision value=approve id=approve>Allow</button>"
                "<button class=secondary name=decision value=deny id=deny>Deny</button></form>")
        response = page("Allow access", body, form_target=origin_of(redirect_uri))
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    def _csrf_ok(self, request: Request, form) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        return bool(cookie) and same(cookie, str(form.get("csrf_token", "")))

    async def decide(self, request: Request) -> Response:
        """POST /auth/decide: the consent answer. Approve issues a code, deny sends access_denied."""
        form = await request.form()
        if not self._csrf_ok(request, form):
            return page("Sign-in error", "<h1>Form expired</h1><p class=error>Reload and try again.</p>", 403)
        with self.state.lock:
            pending = self.state.auth_requests.pop(str(form.get("request_id", "")), None)
        user = self._session_user(request)
        if pending is None or user is None or pending["user_id"] != user["id"]:
            return page("Sign-in error", "<h1>Sign-in expired</h1><p class=error>Start again from the app.</p>", 400)
        redirect_uri, state = pending["redirect_uri"], pending.get("state")
        if form.get("decision") != "approve":
            return redirect_with(redirect_uri, {"error": "access_denied",
                                                "error_description": "The user denied access", "state": state})
        code = secrets.token_urlsafe(32)
        with self.state.lock:
            self.state.codes[code] = {
                "client_guid": pending["client_id"], "redirect_uri": redirect_uri,
                "challenge": pending["code_challenge"], "user_id": user["id"],
                "expires_at": self.state.now() + self.state.settings.code_ttl, "used": False,
            }
        return redirect_with(redirect_uri, {"code": code, "state": state})

    async def home(self, request: Request) -> Response:
        """GET / on the UI host, for a person who opens it by hand: what it is and where the page is."""
        app = html.escape(self.state.settings.app_origin, quote=True)
        return page("Looker", "<h1>Local Looker</h1><p>This is the UI host of the local Looker: pages send people "
                    "here to sign in (<code>/auth</code>), and they come back signed in.</p>"
                    f"<p>The page it serves by default: <a href='{app}/'>{app}/</a></p>")

    async def login_page(self, request: Request) -> Response:
        """GET /login on the UI host: the email/password form, CSRF-protected."""
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        response = page("Looker", self._login_form(request.query_params.get("return_to", "/"), csrf, ""))
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    def _login_form(self, return_to: str, csrf: str, error: str) -> str:
        err = f"<p class=error role=alert>{html.escape(error)}</p>" if error else ""
        return (f"<h1>Looker</h1><p>Sign in to continue</p>{err}<form method=post action=/login>"
                f"<input type=hidden name=return_to value='{html.escape(return_to, quote=True)}'>"
                f"<input type=hidden name=csrf_token value='{html.escape(csrf)}'>"
                "<label for=login-email>Email</label><input id=login-email name=email type=email autocomplete=username>"
                "<label for=login-password>Password</label>"
                "<input id=login-password name=password type=password autocomplete=current-password>"
                "<button class=primary id=login-submit type=submit>Log In</button></form>")

    async def login_submit(self, request: Request) -> Response:
        form = await request.form()
        return_to = str(form.get("return_to", "/"))
        if not return_to.startswith("/") or return_to.startswith("//"):
            return_to = "/"
        if not self._csrf_ok(request, form):
            return page("Looker", "<h1>Form expired</h1><p class=error>Reload and try again.</p>", 403)
        email, password = str(form.get("email", "")).strip().lower(), str(form.get("password", ""))
        user = next((u for u in self.state.users.values() if u["password"] and u["email"] == email), None)
        if user is None or not same(user["password"], password):
            return page("Looker", self._login_form(return_to, request.cookies[CSRF_COOKIE],
                                                   "Invalid email or password."), 401)
        session = secrets.token_urlsafe(24)
        self.state.ui_sessions[session] = user["id"]
        response = RedirectResponse(return_to, status_code=303)
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax")
        return response

    # --- API host --------------------------------------------------------------
    async def _body(self, request: Request) -> dict:
        raw = await request.body()
        kind = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in kind:
            form = await request.form()
            return {k: str(v) for k, v in form.items()}
        if not raw.strip():
            return {}
        try:
            data = parse_json(raw)
        except ApiProblem as exc:
            if exc.status != 400:  # over a size or depth limit
                raise
            data = dict(parse_qsl(raw.decode(errors="replace")))  # a form body sent without its content type
        return data if isinstance(data, dict) else {}

    async def token(self, request: Request) -> Response:
        """POST /api/token: authorization_code and refresh_token grants (docs/REAL_LOOKER.md#apitoken)."""
        try:
            body = await self._body(request)
        except ApiProblem as exc:
            detail = exc.errors[0][2] if exc.errors else exc.message
            return oauth_error_json("invalid_request", detail, exc.status)
        grant_type = body.get("grant_type")
        if grant_type == "authorization_code":
            return self._code_grant(body)
        if grant_type == "refresh_token":
            return self._refresh_grant(body)
        return oauth_error_json("unsupported_grant_type", "grant_type must be authorization_code or refresh_token")

    def _token_json(self, grant) -> JSONResponse:
        return JSONResponse({"access_token": grant.access_token, "token_type": "Bearer",
                             "expires_in": self.state.settings.token_ttl, "refresh_token": grant.refresh_token},
                            headers={"Cache-Control": "no-store"})

    def _code_grant(self, body: dict) -> Response:
        """Single-use, short-lived, bound codes (docs/REAL_LOOKER.md#authorization-codes), then PKCE (docs/REAL_LOOKER.md#pkce)."""
        code = str(body.get("code", ""))
        with self.state.lock:
            record = self.state.codes.get(code)
            if record is None:
                return oauth_error_json("invalid_grant", "Unknown authorization code")
            if record["used"]:
                self.state.revoke_family(code)  # RFC 6749 10.5: a replayed code revokes what it issued
                return oauth_error_json("invalid_grant", "Authorization code was already used")
            record["used"] = True
            if record["expires_at"] <= self.state.now():
                return oauth_error_json("invalid_grant", "Authorization code expired")
            if body.get("client_id") != record["client_guid"]:
                return oauth_error_json("invalid_grant", "Authorization code was issued to another client")
            if body.get("redirect_uri") != record["redirect_uri"]:
                return oauth_error_json("invalid_grant", "redirect_uri does not match the authorization request")
            app = self.state.apps.get(record["client_guid"])
            if app is None or not app["enabled"]:
                return oauth_error_json("unauthorized_client", "This application is disabled")
            verifier = body.get("code_verifier", "")
            problem = verifier_problem(verifier, self.state.settings.strict)
            if problem:
                return oauth_error_json("invalid_request", problem)
            if not challenge_matches(str(verifier), record["challenge"], self.state.settings.strict):
                return oauth_error_json("invalid_grant", "code_verifier does not match the code_challenge")
            self.state.stats["code_grants"] += 1
            grant = self.state.issue(record["user_id"], record["client_guid"], family=code,
                                     refreshable=not self.state.faults.no_refresh_tokens)
        return self._token_json(grant)

    def _refresh_grant(self, body: dict) -> Response:
        """Rotation and reuse detection (docs/REAL_LOOKER.md#refresh-token-rotation)."""
        with self.state.lock:
            presented = str(body.get("refresh_token", ""))
            old = self.state.refresh.get(presented)
            if old is None and presented in self.state.spent:
                # RFC 9700 4.14.2: a spent refresh token presented again means two holders; revoke the family
                family = self.state.spent[presented]
                if family is not None:
                    self.state.revoke_family(family)
                return oauth_error_json("invalid_grant", "Refresh token was already used; the session is revoked")
            if old is None or old.revoked:
                self.state.stats["unknown_tokens"] += 1
                return oauth_error_json("invalid_grant", "Refresh token is invalid, expired or revoked")
            if self.state.refresh_expired(old):  # docs/REAL_LOOKER.md#refresh-token-expiry
                self.state.stats["expired_refresh_tokens"] += 1
                self.state.revoke(old)
                return oauth_error_json("invalid_grant", "Refresh token expired; sign in again")
            if body.get("client_id") != old.client_guid:
                return oauth_error_json("invalid_grant", "Refresh token was issued to another client")
            app = self.state.apps.get(old.client_guid or "")
            if app is None or not app["enabled"] or body.get("redirect_uri") != app["redirect_uri"]:
                return oauth_error_json("invalid_grant", "Client or redirect_uri does not match the refresh token")
            self.state.stats["refresh_grants"] += 1
            grant = self.state.rotate(old)
        return self._token_json(grant)

    async def logout(self, request: Request) -> Response:
        """DELETE /api/logout: revoke the caller's access token and its refresh token (docs/REAL_LOOKER.md#apilogout)."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ").removeprefix("token ").strip()
        with self.state.lock:
            grant = self.state.grants.get(token)
            if grant is None or grant.revoked:
                self.state.stats["unknown_tokens"] += grant is None
                raise ApiProblem(401, "Requires authentication.")
            self.state.revoke(grant)
            self.state.stats["logouts"] += 1
        return Response(status_code=204)

    async def api_login(self, request: Request) -> Response:
        """POST /login (API host): client id + secret, for scripts. Refused for browsers (docs/REAL_LOOKER.md#login)."""
        if request.headers.get("origin"):
            raise ApiProblem(403, "/login cannot be called from a browser (CORS). Use OAuth.")
        body = await self._body(request)
        body.update({k: v for k, v in request.query_params.items()})
        client_id = body.get("client_id")
        user = next((u for u in self.state.users.values() if client_id and u["api_client_id"] == client_id), None)
        if user is None or not same(user["api_client_secret"], str(body.get("client_secret", ""))):
            raise ApiProblem(404, "Not found")
        with self.state.lock:
            grant = self.state.issue(user["id"], None, None, refreshable=False)
        return JSONResponse({"access_token": grant.access_token, "token_type": "Bearer",
                             "expires_in": self.state.settings.token_ttl, "refresh_token": None})

