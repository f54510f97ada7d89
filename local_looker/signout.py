"""Looker's own sign-out page on the UI host (/logout): a page that signed someone out of its API
session still leaves them signed in to Looker, so its next sign-in goes straight to "Allow … as
<them>". This page ends that Looker session, so the next person can sign in as themselves.

GET shows who is signed in and a Sign out button (a form, CSRF-protected: a link or an image must
not sign anyone out); POST ends the session and says so, with a way back to the page.
"""

from __future__ import annotations

import html
import secrets

from starlette.requests import Request
from starlette.responses import Response

from .oauth_routes import CSRF_COOKIE, SESSION_COOKIE, page, same
from .state import State


class SignOut:
    def __init__(self, state: State):
        self.state = state

    def _back(self) -> str:
        app = html.escape(self.state.settings.app_origin, quote=True)
        return f"<p><a id=back-to-page href='{app}/'>Back to the page</a></p>"

    async def show(self, request: Request) -> Response:
        """GET /logout: who is signed in to Looker here, and a button to sign out."""
        uid = self.state.ui_sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        user = self.state.users.get(uid) if uid else None
        if user is None:
            return page("Looker", "<h1>Signed out</h1><p>You are not signed in to Looker.</p>" + self._back())
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)
        response = page("Looker", f"<h1>Sign out of Looker</h1><p>You are signed in as "
                        f"<b>{html.escape(user['email'])}</b>.</p><form method=post action=/logout>"
                        f"<input type=hidden name=csrf_token value='{html.escape(csrf)}'>"
                        "<button class=primary id=looker-sign-out type=submit>Sign out</button></form>")
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
        return response

    async def submit(self, request: Request) -> Response:
        """POST /logout: end this browser's Looker session."""
        form = await request.form()
        cookie = request.cookies.get(CSRF_COOKIE, "")
        if not cookie or not same(cookie, str(form.get("csrf_token", ""))):
            return page("Looker", "<h1>Form expired</h1><p class=error>Reload and try again.</p>", 403)
        self.state.ui_sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        response = page("Looker", "<h1>Signed out</h1><p>You are signed out of Looker: the next sign-in asks "
                        "who you are.</p>" + self._back())
        response.delete_cookie(SESSION_COOKIE)
        return response
