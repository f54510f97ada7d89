"""Helpers for driving the harness and Looker's own pages from Playwright."""

from __future__ import annotations

import json
from pathlib import Path

DEMO_EMAIL, DEMO_PASSWORD = "admin@example.com", "looker-demo"


def result(page, name: str, timeout: float = 30_000) -> dict:
    """Wait for window.__results[name] and return it parsed."""
    page.wait_for_function(f"window.__results && window.__results[{json.dumps(name)}] !== undefined",
                           timeout=timeout)
    return json.loads(page.evaluate(f"window.__results[{json.dumps(name)}]"))


def start(page, name: str, args: dict | None = None, interp: str | None = None) -> str:
    """Start a harness scenario without waiting; returns the result's name for `result`.

    `interp` picks an interpreter on harness-both.html (both run in that one tab)."""
    key = f"{interp} {name}" if interp else name
    runner = f"runScenario {interp}" if interp else "runScenario"
    page.evaluate(f"delete window.__results[{json.dumps(key)}]")
    page.evaluate("([r, n, a]) => window[r](n, a)", [runner, name, json.dumps(args or {})])
    return key


def scenario(page, name: str, args: dict | None = None, timeout: float = 30_000, interp: str | None = None) -> dict:
    return result(page, start(page, name, args, interp), timeout)


def boot_key(interp: str) -> str:
    return "mpy boot" if interp == "both" else "boot"


def open_harness(page, site, interp: str) -> dict:
    page.goto(f"{site.origin}/tests/pages/harness-{interp}.html")
    return result(page, boot_key(interp), 60_000)


def looker_login(page, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> None:
    """Fill Looker's login form (if shown)."""
    if page.locator("#login-email").count():
        page.fill("#login-email", email)
        page.fill("#login-password", password)
        page.click("#login-submit")


def sign_in_at(page, url: str, email: str = DEMO_EMAIL) -> None:
    """Open the page at `url`, press its Sign in, pass Looker's login form (when shown) and Allow."""
    page.goto(url)
    page.click("#sign-in", timeout=60_000)
    page.wait_for_selector("#login-email, #approve")
    looker_login(page, email)
    page.click("#approve")


def sign_in(page, site, interp: str, approve: bool = True) -> dict:
    """Full sign-in from the harness: leave for Looker, log in, answer consent, come back.

    interp "both" signs in on harness-both.html through its MicroPython interpreter."""
    boot = open_harness(page, site, interp)
    if interp == "both":
        assert boot == {"signed_in": False, "interpreter": "mpy"}, boot
        start(page, "sign_in", interp="mpy")
    else:
        assert boot == {"signed_in": False, "interpreter": "mpy" if interp == "lean" else interp}, boot
        start(page, "sign_in")
    page.wait_for_selector("#login-email, #approve")
    looker_login(page)
    page.wait_for_selector("#approve")
    page.click("#approve" if approve else "#deny")
    page.wait_for_url(f"{site.origin}/tests/pages/harness-{interp}.html**")
    return result(page, boot_key(interp), 60_000)


def stored_tokens(page) -> dict | None:
    """The token set the library keeps in this tab's sessionStorage (None when signed out)."""
    text = page.evaluate("""() => {
        const key = Object.keys(sessionStorage).find((k) => k.startsWith("looker_pkce ") && k.endsWith(" tokens"));
        return key ? sessionStorage.getItem(key) : null;
    }""")
    return json.loads(text) if text else None


# --- accessibility: axe-core (the pinned npm devDependency) in the page ---------------------------------
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_REPORTS = ROOT / "build" / "axe"
BLOCKING = ("moderate", "serious", "critical")  # the impacts that fail a test; "minor" is reported only
IMPACTS = ("critical", "serious", "moderate", "minor")


def with_axe(page) -> None:
    """Make axe-core part of every document this tab loads from now on. An init script runs through
    the DevTools protocol, which no page's CSP governs, so no page's policy is loosened for it."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: `make setup` installs the pinned npm devDependencies")
    page.add_init_script(path=str(AXE))


# The rules axe runs. Its defaults leave some WCAG A/AA rules out: `target-size` (2.2 AA, 2.5.8 Target
# Size (Minimum)) is off by default, and rules tagged "experimental" (`css-orientation-lock`, 2.1 AA
# 1.3.4; `p-as-heading`, `td-has-header`, `table-fake-caption`, 1.3.1) or "deprecated" are skipped. So
# every rule whose tags name a WCAG 2.0/2.1/2.2 A or AA criterion is switched on by name (an explicit
# `enabled` wins over axe's defaults and tag exclusions), on top of the rules axe runs by default (its
# best practices too). Not switched on: WCAG AAA rules (`wcag2aaa`) and 4.1.1 Parsing (`wcag2a-obsolete`,
# removed from WCAG 2.2). axe_audit checks, from axe's own answer, that each such rule really ran.
WCAG_A_AA = r"^wcag2[12]?a{1,2}$"
AXE_RUN = """async (wcag) => {
    const wanted = axe.getRules().filter((r) => r.tags.some((t) => new RegExp(wcag).test(t))).map((r) => r.ruleId);
    const r = await axe.run(document, {rules: Object.fromEntries(wanted.map((id) => [id, {enabled: true}]))});
    const ran = new Set([r.violations, r.incomplete, r.passes, r.inapplicable].flat().map((x) => x.id));
    const brief = (items) => items.map((x) => ({id: x.id, impact: x.impact, help: x.help,
        nodes: x.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary || ""}))}));
    return {version: axe.version, url: location.href, violations: brief(r.violations),
            incomplete: brief(r.incomplete), not_run: wanted.filter((id) => !ran.has(id))};
}"""


def axe_audit(page, name: str) -> dict:
    """Run axe-core on the whole document as it is now: every WCAG 2.2 A/AA rule it has (AXE_RUN) and its
    default rules, nothing excluded. Writes build/axe/<name>.json (violations and axe's "incomplete"
    results: what it could not decide) and returns {"violations": [...], "incomplete": [...],
    "counts": {impact: nodes}}."""
    if not page.evaluate("typeof axe !== 'undefined'"):  # a document loaded before with_axe, or without it
        page.evaluate(AXE.read_text())  # through the DevTools protocol too: no page's CSP governs it
    found = page.evaluate(AXE_RUN, WCAG_A_AA)
    if found["not_run"]:
        raise AssertionError(f"axe did not run the WCAG A/AA rules {found['not_run']} on {name}")
    found["counts"] = {impact: sum(len(v["nodes"]) for v in found["violations"] if v["impact"] == impact)
                       for impact in IMPACTS}
    AXE_REPORTS.mkdir(parents=True, exist_ok=True)
    (AXE_REPORTS / f"{name}.json").write_text(json.dumps(found, indent=1))
    return found


WIDE = {"width": 1280, "height": 900}  # the suite's window (conftest.py)
# WCAG 1.4.10 Reflow: 320 CSS px wide, and 200 % zoom of the 1280 px window, which lays the page out
# 640 CSS px wide (a browser's zoom divides the viewport's CSS width by the zoom factor).
NARROW = {"320 px": {"width": 320, "height": 640}, "200 % zoom": {"width": 640, "height": 450}}
SIDEWAYS = """() => { const page = document.scrollingElement;
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > innerWidth + 1
        && !e.closest(".grid") && getComputedStyle(e).position !== "fixed");
    return {overflow: page.scrollWidth - innerWidth, wide: wide.slice(0, 5).map((e) => e.tagName + "." + e.className)}; }"""


def sideways(page) -> dict:
    """The page as it is now at 320 px and at 200 % zoom: {width: what scrolls sideways} for each width
    where the page does (a data grid scrolls inside itself, as WCAG allows for two-dimensional tables).
    The window is back at WIDE afterwards."""
    found = {}
    for name, size in NARROW.items():
        page.set_viewport_size(size)
        page.wait_for_timeout(150)  # charts resize on the next frame
        measured = page.evaluate(SIDEWAYS)
        if measured["overflow"] > 1:
            found[name] = measured
    page.set_viewport_size(WIDE)
    return found


UNRINGED = """() => { const e = document.activeElement, style = getComputedStyle(e);
    const ringed = e.matches(":focus-visible") && style.outlineStyle !== "none" && style.outlineStyle !== "auto"
        && parseFloat(style.outlineWidth) >= 3;
    return e === document.body || ringed ? null : e.outerHTML.slice(0, 90); }"""


def focus_unseen(page, presses: int = 40) -> list[str]:
    """Tab through the page from its top: the stops where focus is not drawn as a 3 px outline (the
    browser's own thin ring does not count)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    unseen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate(UNRINGED)
        if stop is not None and stop not in unseen:
            unseen.append(stop)
    return unseen


def blocking(found: dict) -> list[str]:
    """The violations of impact moderate or above, one line each with the nodes they hit."""
    return [f"{v['impact']} {v['id']} ({v['help']}): " + "; ".join(n["target"] for n in v["nodes"][:6])
            for v in found["violations"] if v["impact"] in BLOCKING]


# A clock for one tab that the test moves forward (page.add_init_script). Playwright's page.clock is its
# BrowserContext's: installed once it stays for every later tab of the suite's one persistent context, and
# it cannot be uninstalled. This one shifts Date (MicroPython's time.time() and its asyncio's ticks are
# Date.now()) and brings forward every setTimeout due on the moved clock (MicroPython's asyncio.sleep is a
# setTimeout), so a sleep of an hour ends when the test moves the clock an hour.
MOVABLE_CLOCK = """(() => {
  const RealDate = Date, realNow = Date.now.bind(Date);
  const realSet = window.setTimeout.bind(window), realClear = window.clearTimeout.bind(window);
  let offset = 0, next = 1;
  const now = () => realNow() + offset;
  class MovedDate extends RealDate {
    constructor(...args) { if (args.length === 0) { super(now()); } else { super(...args); } }
    static now() { return now(); }
  }
  window.Date = MovedDate;
  const timers = new Map();
  window.setTimeout = (fn, delay, ...args) => {
    const id = next++, wait = Math.max(0, Number(delay) || 0);
    const fire = () => { timers.delete(id); if (typeof fn === "function") { fn(...args); } };
    timers.set(id, {due: now() + wait, fire, real: realSet(fire, wait)});
    return id;
  };
  window.clearTimeout = (id) => { const t = timers.get(id); if (t) { realClear(t.real); timers.delete(id); } };
  window.__moveClock = (ms) => {
    offset += ms;
    for (const t of timers.values()) { if (t.due <= now()) { realClear(t.real); t.real = realSet(t.fire, 0); } }
  };
})();"""


def move_clock(page, looker, seconds: float) -> None:
    """Move the local Looker's clock and the tab's (MOVABLE_CLOCK) forward together."""
    looker.local("POST", "clock", json={"advance": seconds})
    page.evaluate("(ms) => window.__moveClock(ms)", seconds * 1000)
