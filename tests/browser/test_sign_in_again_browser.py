"""A tab that borrowed the session (issue 21, point 2) signs in again by itself when the tab holding the
refresh token is gone, back on its view with the person's work; never after a sign-out, never in a loop
(looker_pkce/core/sign_in_again.py).

Tab A is the app signed in (the `app` fixture: it holds the refresh token); tab B opens the scratchpad in
the same browser, joins A's session (an access token only) and gets the person's code typed in. A closes.
B's token falls due on B's own clock, which the test moves (drive.MOVABLE_CLOCK): the shared local Looker's
clock stays put (other tests' tokens live on it), and Looker still accepts the token, as it would in the
minute before a real one expires. A 401 would be Looker refusing the token, after which no page signs
back in by itself (test_sign_in_again.py covers that case)."""

from __future__ import annotations

from drive import MOVABLE_CLOCK, axe_audit, blocking, stored_tokens, with_axe

HOUR = 3600
CODE = 'me = await looker.get("user", {"fields": "display_name"})\nshow("hello " + me["display_name"])\n'


def borrower_on_scratchpad(app, site, auth_visits):
    """Tab B on the scratchpad, joined to A's session, the person's code typed in; every navigation of B
    to Looker's /auth is appended to `auth_visits`."""
    tab = app.context.new_page()
    tab.add_init_script(MOVABLE_CLOCK)
    with_axe(tab)
    tab.on("request", lambda request: auth_visits.append(request.url)
           if request.is_navigation_request() and "/auth?" in request.url else None)
    tab.goto(site.origin + "/#/scratchpad")
    tab.wait_for_selector("body[data-ready]")
    tab.wait_for_selector("#scratch-code")
    assert stored_tokens(tab)["refresh_token"] is None  # it borrowed: the access token only
    tab.fill("#scratch-code", CODE)
    return tab


def holder_gone(app, tab):
    """Close tab A and wait until B's origin has no holder of the session left (the lock goes with A)."""
    app.close()
    tab.wait_for_function("""navigator.locks.query().then((s) =>
        s.held.filter((lock) => lock.name.endsWith(" holder")).length === 0)""")


def due(tab):
    """B's borrowed token falls due: an hour on B's clock."""
    tab.evaluate("(ms) => window.__moveClock(ms)", HOUR * 1000)


def back_on_the_scratchpad(tab, site):
    """Looker's consent page (the local Looker always shows it; a real one may not: REAL_LOOKER.md#auth),
    approved, and the page back and ready."""
    tab.wait_for_selector("#approve")
    tab.click("#approve")
    tab.wait_for_selector("body[data-ready]")
    tab.wait_for_selector("#scratch-code")
    assert tab.evaluate("location.href") == site.origin + "/#/scratchpad"  # the view, and no code or state


def test_a_borrower_left_alone_signs_in_again_by_itself_and_comes_back_with_its_code(app, site, looker):
    auth_visits = []
    tab = borrower_on_scratchpad(app, site, auth_visits)
    holder_gone(app, tab)
    due(tab)
    tab.click("#scratch-run")  # its first call needs a fresh token
    status = tab.locator("#signing-in-again")
    status.wait_for()  # said before the page leaves, as a status, with nothing to press
    assert status.get_attribute("role") == "status" and status.locator("button").count() == 0
    assert "Signing in again to Looker" in status.inner_text() and "comes back here" in status.inner_text()
    assert tab.inner_text("#auth-button") == "Sign in"  # no session here to sign out of any more
    back_on_the_scratchpad(tab, site)
    assert len(auth_visits) == 1  # and the test pressed nothing of the page's
    assert tab.input_value("#scratch-code") == CODE  # the code, as the person left it
    notice = tab.locator("#signed-in-again")
    assert notice.get_attribute("role") == "status" and "Signed in to Looker again" in notice.inner_text()
    assert blocking(axe_audit(tab, "signed-in-again")) == []
    assert tab.inner_text("#user") == "Ada Admin"
    assert stored_tokens(tab)["refresh_token"]  # this tab holds the session now: it renews by itself
    tab.click("#scratch-run")  # and the code runs, signed in
    tab.wait_for_selector(".run[data-run='1'] .shown-text")
    assert tab.inner_text(".run[data-run='1'] .shown-text") == "hello Ada Admin"
    tab.click("nav.tabs a[data-view=browse]")
    tab.wait_for_selector("#signed-in-again", state="detached")  # said once, above the view it came back to
    tab.close()


def test_after_a_sign_out_in_the_holders_tab_the_borrower_does_not_sign_back_in(app, site, looker):
    auth_visits = []
    tab = borrower_on_scratchpad(app, site, auth_visits)
    looker.local("POST", "faults", json={"refuse_logout_cors": True})  # Looker keeps the borrowed token valid
    try:
        app.click("#auth-button")  # the person signs out, in tab A
        app.wait_for_selector("#sign-out-note")
    finally:
        looker.local("POST", "faults", json={"refuse_logout_cors": False})
    tab.wait_for_timeout(500)  # B heard the sign-out, asked Looker, and kept its still-valid token
    assert tab.locator("#sign-in").count() == 0
    holder_gone(app, tab)
    due(tab)
    tab.click("#scratch-run")
    tab.wait_for_selector("#sign-in")  # the sign-in card, for the person to choose
    tab.wait_for_timeout(3_000)  # longer than the page would wait before leaving
    assert auth_visits == [] and tab.evaluate("location.href") == site.origin + "/#/scratchpad"
    assert tab.locator("#signing-in-again").count() == 0
    tab.close()


def test_a_sign_in_that_gives_no_lasting_session_does_not_bounce_the_tab_again(app, site, looker):
    auth_visits = []
    tab = borrower_on_scratchpad(app, site, auth_visits)
    holder_gone(app, tab)
    due(tab)
    looker.local("POST", "faults", json={"no_refresh_tokens": True})  # the sign-in brings an access token only
    try:
        tab.click("#scratch-run")
        back_on_the_scratchpad(tab, site)
    finally:
        looker.local("POST", "faults", json={"no_refresh_tokens": False})
    assert stored_tokens(tab)["refresh_token"] is None and len(auth_visits) == 1
    # due again soon after it came back (its clock starts afresh with the new page: moved an hour once more,
    # it reads an hour after it left, as the marker it left says): no holder, and it left a moment ago
    due(tab)
    tab.click("#scratch-run")
    tab.wait_for_selector("#sign-in")
    tab.wait_for_timeout(3_000)
    assert len(auth_visits) == 1 and tab.evaluate("location.href") == site.origin + "/#/scratchpad"
    assert tab.evaluate("sessionStorage.getItem('looker_pkce_app:scratchpad')") == CODE  # kept for the next sign-in
    tab.close()
