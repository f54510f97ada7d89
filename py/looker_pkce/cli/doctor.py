"""Check, from the page's point of view, everything it needs from Looker; each failure names its fix.

Reads the published page and its looker.json, then: the page has its origin to itself (no other
sites on it; required when looker.json sets share_refresh_tokens); UI and API hosts reachable;
whether the API server's /versions names the same UI and API URLs as looker.json; HTTPS; the OAuth
client app exists, is enabled and has this page's exact redirect URI (needs admin API credentials,
as for `register`); real CORS preflights from the page's origin, for /api/token (sign-in) and for
DELETE /api/logout (sign-out; some instances refuse it: docs/REAL_LOOKER.md#logout-cors); the
page's CSP allows both hosts; clock skew. Exit status 1 when a check fails.
"""

from __future__ import annotations

import email.utils
import time
import urllib.parse
from dataclasses import dataclass

from looker_pkce.core.compat import origin_of

from . import http
from .admin import Admin, add_credential_arguments, credentials
from .errors import CommandError
from .pages import page_csp
from .register import OWN_ORIGIN_FIX, redirect_uri, shared_origin

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
ALLOWLIST_ADMIN = "Admin › Platform › Embed › Embedded Domain Allowlist"
MAX_SKEW = 120  # seconds: token lifetimes are computed on the browser's clock


@dataclass
class Finding:
    check: str
    status: str  # "ok" | "warn" | "fail"
    message: str
    fix: str = ""


class Context:
    """What the checks share: the page, its looker.json, and answers gathered on the way."""

    def __init__(self, page_url: str, admin: Admin | None):
        self.page_url = page_url
        self.redirect_uri = redirect_uri(page_url)
        self.origin = origin_of(page_url)
        self.admin = admin
        self.page: http.Answer | None = None
        self.settings: dict = {}
        self.versions: dict = {}
        self.api_ok = False


def check_page(ctx: Context) -> Finding:
    try:
        ctx.page = http.request("GET", ctx.page_url)
    except http.Unreachable as problem:
        return Finding("page", "fail", f"page unreachable: {problem}", "serve the build at this URL: "
                       "`looker-pkce serve DIR/dist --port PORT` previews it, or publish DIR/dist on your host")
    if ctx.page.status != 200:
        return Finding("page", "fail", f"page answered {ctx.page.status}", "serve or publish the build's files "
                       "(DIR/dist) at this URL")
    return Finding("page", "ok", f"{ctx.page_url} answers")


def check_settings(ctx: Context) -> Finding:
    url = urllib.parse.urljoin(ctx.redirect_uri, "looker.json")
    answer = http.request("GET", url)
    try:
        ctx.settings = answer.json() if answer.status == 200 else {}
    except ValueError:
        ctx.settings = {}
    missing = [key for key in ("api_url", "ui_url", "client_id") if not ctx.settings.get(key)]
    if missing:
        return Finding("looker.json", "fail", f"{url} lacks {', '.join(missing)} (status {answer.status})",
                       "run `looker-pkce register PAGE_URL --client-id ID --page DIR`, then `looker-pkce build DIR`")
    return Finding("looker.json", "ok", f"API {ctx.settings['api_url']}, UI {ctx.settings['ui_url']}, "
                                        f"client {ctx.settings['client_id']}")


def check_own_origin(ctx: Context) -> Finding:
    """The page must have its origin to itself; looker.json's share_refresh_tokens claims it does."""
    warning = shared_origin(ctx.redirect_uri)
    claimed = ctx.settings.get("share_refresh_tokens") is True
    if warning and claimed:
        return Finding("own origin", "fail", "looker.json sets share_refresh_tokens (the page claims its origin to"
                       " itself), but " + warning, OWN_ORIGIN_FIX + ", or remove share_refresh_tokens")
    if warning:
        return Finding("own origin", "warn", warning, OWN_ORIGIN_FIX)
    return Finding("own origin", "ok", f"{ctx.origin} at its root" + (" (refresh tokens shared between tabs)"
                                                                     if claimed else ""))


def check_https(ctx: Context) -> Finding:
    plain = [url for url in (ctx.page_url, ctx.settings["ui_url"], ctx.settings["api_url"])
             if url.startswith("http://") and urllib.parse.urlsplit(url).hostname not in LOOPBACK]
    if plain:
        return Finding("https", "warn", "plain http outside loopback: " + ", ".join(plain),
                       "serve the page and Looker over https (tokens cross the network)")
    return Finding("https", "ok", "https (or loopback)")


def check_ui_host(ctx: Context) -> Finding:
    """Reachable: people are sent there to sign in (a page asks it nothing: REAL_LOOKER.md#ui-host-cors)."""
    try:
        answer = http.request("GET", ctx.settings["ui_url"] + "/")
    except http.Unreachable as problem:
        return Finding("ui host", "fail", f"UI host unreachable: {problem}",
                       "check ui_url in looker.json (your Looker's address in the browser) and the network")
    return Finding("ui host", "ok", f"{ctx.settings['ui_url']} answers ({answer.status})")


def check_api_host(ctx: Context) -> Finding:
    api = ctx.settings["api_url"]
    try:
        answer = http.get_json(api + "/versions")
    except http.Unreachable as problem:
        return Finding("api host", "fail", f"API host unreachable: {problem}",
                       "check api_url in looker.json: the API Host URL Admin › API shows (port 443 on most "
                       "instances, 19999 on older ones); a firewall must let browsers reach it")
    ctx.api_ok = True
    ctx.api_date = answer.headers.get("Date")
    try:
        data = answer.json() if answer.status == 200 else {}
    except ValueError:
        data = {}
    ctx.versions = data if isinstance(data, dict) else {}
    return Finding("api host", "ok", f"{api} answers ({answer.status})")


def check_versions(ctx: Context) -> Finding:
    """What the API server's /versions announces (web_server_url, api_server_url) against looker.json."""
    announced = {key: str(ctx.versions.get(announced) or "").rstrip("/")
                 for key, announced in (("ui_url", "web_server_url"), ("api_url", "api_server_url"))}
    if not all(announced.values()):
        return Finding("versions", "warn", f"{ctx.settings['api_url']}/versions names no web_server_url or "
                                           "api_server_url (is api_url Looker's API Host URL?)",
                       "set api_url to the API Host URL Admin › API shows")
    differ = [f"{key} {ctx.settings[key]} (Looker says {url})" for key, url in announced.items()
              if url != ctx.settings[key].rstrip("/")]
    if differ:
        return Finding("versions", "warn", "looker.json differs from /versions: " + "; ".join(differ),
                       "run `looker-pkce register ... --page DIR` (or fix looker.json), then rebuild")
    port = urllib.parse.urlsplit(announced["api_url"]).port or 443
    return Finding("versions", "ok", f"/versions names UI {announced['ui_url']} and API host {announced['api_url']} "
                                     f"(port {port}), as looker.json does")


def check_client_app(ctx: Context) -> Finding:
    guid = ctx.settings["client_id"]
    register = f"run `looker-pkce register {ctx.redirect_uri} --client-id {guid}`"
    if ctx.admin is None:
        return Finding("client app", "warn", "not checked: no admin API credentials (looker.ini or LOOKERSDK_*)",
                       "set LOOKERSDK_BASE_URL, LOOKERSDK_CLIENT_ID, LOOKERSDK_CLIENT_SECRET")
    app = ctx.admin.app(guid)
    if app is None:
        return Finding("client app", "fail", f"OAuth client app {guid!r} does not exist", register)
    if not app.get("enabled"):
        return Finding("client app", "fail", f"OAuth client app {guid!r} is disabled",
                       f"{register} (or PATCH /api/4.0/oauth_client_apps/{guid} with enabled: true)")
    if app.get("redirect_uri") != ctx.redirect_uri:
        return Finding("client app", "fail", f"wrong redirect URI: {guid!r} has {app.get('redirect_uri')}, "
                                             f"the page is {ctx.redirect_uri}", register)
    return Finding("client app", "ok", f"{guid!r} is enabled with redirect URI {ctx.redirect_uri}")


def preflight(ctx: Context, method: str, path: str, headers: str) -> tuple:
    """The CORS preflight a page at ctx.origin makes before `method path` on the API host: (answer, the
    Access-Control-Allow-Origin it got)."""
    answer = http.request("OPTIONS", ctx.settings["api_url"] + path, {
        "Origin": ctx.origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers})
    return answer, answer.headers.get("Access-Control-Allow-Origin")


def check_cors(ctx: Context) -> Finding:
    if not ctx.api_ok:
        return Finding("cors", "warn", "not checked: the API host did not answer")
    answer, allowed = preflight(ctx, "POST", "/api/token", "content-type")
    if allowed not in (ctx.origin, "*"):
        return Finding("cors", "fail", f"origin not allowlisted: the CORS preflight from {ctx.origin} was refused "
                                       f"(status {answer.status}, Access-Control-Allow-Origin {allowed!r})",
                       f"add {ctx.origin} in {ALLOWLIST_ADMIN}, or run `looker-pkce register`")
    return Finding("cors", "ok", f"preflight from {ctx.origin} allowed")


def check_logout_cors(ctx: Context) -> Finding:
    """The preflight of sign-out's DELETE /api/logout: some instances refuse it while /api/token works."""
    if not ctx.api_ok:
        return Finding("logout cors", "warn", "not checked: the API host did not answer")
    answer, allowed = preflight(ctx, "DELETE", "/api/logout", "authorization")
    if allowed not in (ctx.origin, "*"):
        return Finding("logout cors", "warn",
                       f"Looker refused the CORS preflight of DELETE /api/logout from {ctx.origin} (status "
                       f"{answer.status}): sign-out forgets the session in the browser, but cannot revoke it, so "
                       "Looker keeps that access token valid until it expires (its expires_in, an hour by default)",
                       "nothing on the page's side changes this (sdk-codegen issue #1346): ask Looker support to "
                       "allow it; people on shared computers should close the browser after signing out")
    return Finding("logout cors", "ok", f"sign-out's preflight (DELETE /api/logout) from {ctx.origin} allowed")


def connect_sources(policy: str) -> list[str] | None:
    """connect-src's sources (default-src when absent); None when the policy does not restrict connections."""
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in policy.split(";") if d.strip()}
    return directives.get("connect-src", directives.get("default-src"))


def check_csp(ctx: Context) -> Finding:
    policies = [p for p in (ctx.page.headers.get("Content-Security-Policy"), page_csp(ctx.page.text)) if p]
    if not policies:
        return Finding("csp", "warn", "the page has no Content-Security-Policy",
                       "build it with `looker-pkce build` (meta tag and _headers)")
    hosts = sorted({origin_of(ctx.settings["ui_url"]), origin_of(ctx.settings["api_url"])})
    for policy in policies:
        sources = connect_sources(policy)
        if sources is None or "*" in sources:
            continue
        missing = [host for host in hosts if host not in sources]
        if missing:
            return Finding("csp", "fail", f"CSP missing a host: connect-src does not allow {', '.join(missing)}",
                           "rebuild with `looker-pkce build` (it asks Looker for the API host), and publish "
                           "its _headers too")
    return Finding("csp", "ok", "connect-src allows " + " and ".join(hosts))


def check_clock(ctx: Context) -> Finding:
    date = getattr(ctx, "api_date", None)
    if not date:
        return Finding("clock", "warn", "not checked: no Date header from the API host")
    skew = time.time() - email.utils.parsedate_to_datetime(date).timestamp()
    if abs(skew) > MAX_SKEW:
        return Finding("clock", "fail", f"this clock is {skew:+.0f} s off Looker's",
                       "sync the clock (NTP): token expiry is computed on the browser's clock")
    return Finding("clock", "ok", f"{skew:+.0f} s from Looker's clock")


# The checks in order; those after a failed "needs" check are not run.
CHECKS = [(check_page, None), (check_settings, "page"), (check_own_origin, "looker.json"),
          (check_https, "looker.json"), (check_ui_host, "looker.json"), (check_api_host, "looker.json"),
          (check_versions, "api host"), (check_client_app, "looker.json"), (check_cors, "looker.json"),
          (check_logout_cors, "looker.json"), (check_csp, "looker.json"), (check_clock, "looker.json")]


def add_arguments(parser) -> None:
    parser.add_argument("page_url", metavar="PAGE_URL", help="the published page, e.g. https://you.example/dash/")
    add_credential_arguments(parser)


def diagnose(page_url: str, admin: Admin | None) -> list[Finding]:
    ctx = Context(page_url, admin)
    findings: list[Finding] = []
    for check, needs in CHECKS:
        if needs and not any(f.check == needs and f.status != "fail" for f in findings):
            continue  # what it needs failed (or was not reached): that failure is the one to fix
        findings.append(check(ctx))
    return findings


def run(args) -> int:
    creds = credentials(args.ini, args.section)
    try:
        admin = Admin(creds) if creds else None
    except CommandError as problem:
        print(f"warn  admin API: {problem}")
        admin = None
    findings = diagnose(args.page_url, admin)
    for finding in findings:
        print(f"{finding.status:<5} {finding.check}: {finding.message}")
        if finding.fix and finding.status != "ok":
            print(f"      fix: {finding.fix}")
    failed = [f for f in findings if f.status == "fail"]
    print(f"{len(failed)} problem{'s' if len(failed) > 1 else ''}" if failed else "all checks passed")
    return 1 if failed else 0
