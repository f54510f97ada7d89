"""What injected markup, a framing site and a same-origin script can do to the page.

The reference app is the page under test (its CSP enforces Trusted Types and loads the
page guard, as every page the scaffold and the build make does).
"""

from __future__ import annotations

import pytest
from conftest import sign_in_app

from drive import looker_login, stored_tokens

PAYLOAD = "import js; js.window.__pwned = 1"
# Each HTML sink, given markup that would carry Python: with Trusted Types each one throws.
SINKS = {
    "innerHTML": "(m) => { const d = document.createElement('div'); document.body.append(d); d.innerHTML = m; }",
    "outerHTML": "(m) => { const d = document.createElement('div'); document.body.append(d); d.outerHTML = m; }",
    "insertAdjacentHTML": "(m) => document.body.insertAdjacentHTML('beforeend', m)",
    "document.write": "(m) => document.write(m)",
    "createContextualFragment": "(m) => document.body.append(document.createRange().createContextualFragment(m))",
    "iframe.srcdoc": "(m) => { const f = document.createElement('iframe'); f.srcdoc = m; document.body.append(f); }",
}
MARKUP = {
    "script-mpy": f'<script type="mpy">{PAYLOAD}</script>',
    "mpy-script": f"<mpy-script>{PAYLOAD}</mpy-script>",
}
# Python tags added with DOM APIs after start-up (no HTML sink involved): the guard refuses them.
LATE_TAGS = {
    "script-mpy": ("script", {"type": "mpy"}),
    "script-py": ("script", {"type": "py"}),
    "mpy-script": ("mpy-script", {}),
    "py-script": ("py-script", {}),
    "py-config": ("py-config", {}),
}


@pytest.fixture
def started(page, site, looker):
    page.goto(site.origin + "/")
    page.wait_for_selector("#sign-in")  # MicroPython has started and drawn the page
    return page


def not_run(page, wait_ms=1500):
    page.wait_for_timeout(wait_ms)
    return page.evaluate("window.__pwned === undefined")


@pytest.mark.parametrize("sink", SINKS)
@pytest.mark.parametrize("markup", MARKUP)
def test_every_html_sink_refuses_strings(started, sink, markup):
    started.expected_csp = ["require-trusted-types-for"]
    with pytest.raises(Exception, match="TrustedHTML|TrustedScript|Trusted"):
        started.evaluate(SINKS[sink], MARKUP[markup])
    assert not_run(started)


# Forces the race the guard must not lose: every MutationObserver hears of insertions only after
# DOMContentLoaded, as a busy page's observers may (their callbacks run later than the insertions).
LATE_OBSERVERS = """(() => {
    const Native = window.MutationObserver;
    window.MutationObserver = class extends Native {
        constructor(callback) {
            super((records, observer) => {
                const later = () => setTimeout(() => callback(records, observer), 20);
                if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later, { once: true });
                else later();
            });
        }
    };
})();"""


def test_the_guard_never_refuses_the_pages_own_markup_however_late_the_observer_reports_it(page, site, looker):
    page.add_init_script(LATE_OBSERVERS)
    page.goto(site.origin + "/tests/pages/guarded.html")  # a served <script type="mpy"> in <body>
    page.wait_for_function("document.getElementById('out').textContent === 'mpy ran'", timeout=60_000)
    assert page.evaluate("lookerPkceGuard.refused()") == []
    page.goto(site.origin + "/")  # the app: its <py-config> (Pyodide on demand) ends <body>
    page.wait_for_selector("#sign-in")
    page.wait_for_timeout(500)
    assert page.evaluate("lookerPkceGuard.refused()") == []
    assert page.locator("py-config").count() == 1
    page.evaluate("""() => document.body.append(Object.assign(document.createElement("script"), {type: "mpy"}))""")
    page.wait_for_timeout(200)  # what is inserted afterwards is still refused
    assert page.evaluate("lookerPkceGuard.refused()") == ["script[type=text/x-refused]"]


@pytest.mark.parametrize("form", LATE_TAGS)
def test_python_added_after_start_up_does_not_run(started, form):
    tag, attributes = LATE_TAGS[form]
    started.evaluate("""([tag, attributes, code]) => {
        const element = document.createElement(tag);
        for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
        if (tag !== "py-config") element.append(code);
        document.body.append(element);
    }""", [tag, attributes, PAYLOAD])
    assert not_run(started, 3000 if "py" in form and "mpy" not in form else 1500)
    assert started.evaluate("lookerPkceGuard.refused().length") == 1


def test_the_page_refuses_to_work_inside_another_sites_frame(page, site, other_site, looker):
    page.goto(site.origin + "/")  # sign in at the top level first: a live session exists
    page.click("#sign-in")
    page.wait_for_selector("#login-email")
    looker_login(page)
    page.click("#approve")
    page.wait_for_selector("body[data-ready]")
    assert stored_tokens(page) is not None
    framing = page.context.new_page()
    try:
        framing.goto(other_site.origin + "/tests/pages/harness-mpy.html")  # any page of another origin
        page.context.requests_seen.clear()
        framing.evaluate("""(url) => { const f = document.createElement("iframe"); f.src = url;
                                       f.style.width = "900px"; f.style.height = "600px"; document.body.append(f); }""",
                         site.origin + "/")
        frame = framing.frame_locator("iframe")
        frame.locator("text=inside another site's frame").wait_for()
        assert frame.locator("#user").inner_text() == ""
        assert not [u for u in page.context.requests_seen if u.startswith(looker.api_url)]  # nothing asked of Looker
    finally:
        framing.close()


def test_storage_after_sign_in_and_after_refresh_holds_only_the_session(page, site, looker):
    sign_in_app(page, site)
    scans = {"after sign-in": scan(page)}
    looker.local("POST", "expire_tokens")
    page.click("text=Dashboards")
    page.wait_for_selector(".card, .tile, a[href^='#/dashboard/']")
    scans["after refresh"] = scan(page)
    for moment, (session_keys, local_keys, tokens) in scans.items():
        # the PKCE verifier and state left storage the moment they were used; nothing in localStorage;
        # besides the tokens, only the page's first calls (for the lean loader), which hold no token
        names = {key.split(" ", 4)[4]: key for key in session_keys}  # "looker_pkce <ui> <api> <client> <name>"
        assert sorted(names) == ["first calls", "tokens"], (moment, session_keys)
        remembered = page.evaluate("(key) => sessionStorage.getItem(key)", names["first calls"])
        assert tokens["access_token"] not in remembered and tokens["refresh_token"] not in remembered
        assert local_keys == [], moment
    assert scans["after sign-in"][2]["access_token"] != scans["after refresh"][2]["access_token"]  # refreshed
    print("storage scan:", {moment: scan[:2] for moment, scan in scans.items()})


def scan(page):
    """Every Web Storage key of the page, checks what the session's value holds; and its access token."""
    session_keys = sorted(page.evaluate("Object.keys(sessionStorage)"))
    local_keys = sorted(page.evaluate("Object.keys(localStorage)"))
    tokens = stored_tokens(page)
    assert sorted(tokens) == ["access_token", "expires_at", "fresh_until", "lifetime", "refresh_token"]
    return session_keys, local_keys, tokens
