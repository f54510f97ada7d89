"""Register a page with Looker: its OAuth client app (exact redirect URI) and its origin on the embed allowlist.

Needs admin API credentials, read as the official looker_sdk reads them: looker.ini's
[Looker] section or LOOKERSDK_BASE_URL (the API URL), LOOKERSDK_CLIENT_ID and
LOOKERSDK_CLIENT_SECRET. Idempotent: running it again changes nothing. Existing
allowlist entries are kept. --dry-run prints the changes without making them.
With --page DIR it also writes DIR/looker.json: the API URL (LOOKERSDK_BASE_URL), the UI URL that API
server's /versions announces (web_server_url) and the client id.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from looker_pkce.core.compat import origin_of

from . import arguments, settings
from .admin import Admin, add_credential_arguments, credentials
from .errors import CommandError


def add_arguments(parser) -> None:
    parser.add_argument("page_url", metavar="PAGE_URL", help="where the page is published, e.g. https://you.example/dash/")
    parser.add_argument("--client-id", required=True, type=arguments.client_id,
                        help="the OAuth client app's client_guid (your choice, e.g. my-page)")
    parser.add_argument("--name", help="display name in Looker's admin (default: the client id)")
    parser.add_argument("--page", type=Path, help="the page's folder: write its looker.json for this Looker")
    parser.add_argument("--dry-run", action="store_true", help="print the changes, make none")
    add_credential_arguments(parser)


def redirect_uri(page_url: str) -> str:
    """The page's URL as the library sends it: no query, no fragment."""
    parts = urllib.parse.urlsplit(page_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandError(f"{page_url!r} is not a page URL (expected https://host/path/)")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def exact_redirect_uri(page_url: str) -> str:
    """The redirect URI to register: the page's URL exactly, refused when it carries what the library drops."""
    uri = redirect_uri(page_url)
    parts = urllib.parse.urlsplit(page_url)
    if parts.fragment or page_url.endswith("#"):
        raise CommandError(f"{page_url!r} has a fragment (#{parts.fragment}): an OAuth redirect URI must not "
                           f"carry one (RFC 6749, 3.1.2): register {uri}")
    if parts.query or page_url.endswith("?"):
        raise CommandError(f"{page_url!r} has a query (?{parts.query}): the page signs in with its URL without one, "
                           f"so that is the redirect URI Looker must know: register {uri}")
    return uri


# Hosts where one origin serves many people's sites, one per path (assumption, from each host's
# documented URL scheme: GitHub Pages <owner>.github.io/<repo>, GitLab Pages <group>.gitlab.io/<project>,
# Codeberg Pages <user>.codeberg.page/<repo>, Bitbucket Cloud <workspace>.bitbucket.io/<folder>, and
# path-style buckets on Cloud Storage and S3).
SHARED_HOST_SUFFIXES = (".github.io", ".gitlab.io", ".codeberg.page", ".bitbucket.io")
SHARED_HOSTS = ("storage.googleapis.com", "s3.amazonaws.com")
OWN_ORIGIN_FIX = ("publish the page at the root of an origin of its own (a domain or subdomain that serves nothing"
                  " else, e.g. a custom domain for the site); see the README's Security section")


def _shared_host(host: str) -> bool:
    return (host in SHARED_HOSTS or host.endswith(SHARED_HOST_SUFFIXES)
            or (host.startswith("s3.") and host.endswith(".amazonaws.com")))


def shared_origin(page_url: str) -> str | None:
    """Why other sites may share the page's origin, or None. Every page of an origin can read the
    session of a signed-in tab of this one (its sessionStorage, its channel, its locks)."""
    parts = urllib.parse.urlsplit(page_url)
    host = (parts.hostname or "").lower()
    folder = (parts.path or "/").rsplit("/", 1)[0] + "/"
    reasons = []
    if _shared_host(host):
        reasons.append(f"{host} serves many sites from this one origin")
    if folder != "/":
        reasons.append(f"the page lives below the root ({folder}), where other paths of the origin may be other sites")
    if not reasons:
        return None
    return (f"{origin_of(page_url)} may not be this page's alone: " + "; ".join(reasons)
            + ". Any page of the origin can reach a signed-in tab's Looker session.")


def plan(admin: Admin, client_guid: str, uri: str, name: str) -> list[tuple[str, str, str, dict]]:
    """The changes needed, as (what, method, path, body); empty when all is in place."""
    changes = []
    app = admin.app(client_guid)
    path = "oauth_client_apps/" + urllib.parse.quote(client_guid, safe="")
    if app is None:
        body = {"redirect_uri": uri, "display_name": name, "description": "Static page " + uri, "enabled": True}
        changes.append((f"create OAuth client app {client_guid!r} -> {uri}", "POST", path, body))
    else:
        body = {key: value for key, value in (("redirect_uri", uri), ("enabled", True)) if app.get(key) != value}
        if body:
            was = ", ".join(f"{key} {app.get(key)!r} -> {value!r}" for key, value in body.items())
            changes.append((f"update OAuth client app {client_guid!r}: {was}", "PATCH", path, body))
    allowlist = admin.allowlist()
    page_origin = origin_of(uri)
    if page_origin not in allowlist:
        changes.append((f"add {page_origin} to the embedded domain allowlist (keeping {len(allowlist)} "
                        f"{'entry' if len(allowlist) == 1 else 'entries'})",
                        "PATCH", "setting", {"embed_config": {"domain_allowlist": [*allowlist, page_origin]}}))
    return changes


def run(args) -> int:
    uri = exact_redirect_uri(args.page_url)  # everything the person gave is checked before Looker is changed
    current = settings.writable(args.page) if args.page is not None else {}
    creds = credentials(args.ini, args.section)
    if creds is None:
        raise CommandError("no admin API credentials: set LOOKERSDK_BASE_URL, LOOKERSDK_CLIENT_ID and "
                           f"LOOKERSDK_CLIENT_SECRET, or write them in [{args.section}] of {args.ini}")
    admin = Admin(creds)
    changes = plan(admin, args.client_id, uri, args.name or args.client_id)
    for what, method, path, body in changes:
        if args.dry_run:
            print(f"would {what}\n    {method} /api/4.0/{path} {json.dumps(body)}")
        else:
            admin.expect(method, path, body)
            print(f"did {what}")
    if not changes:
        print(f"nothing to change: {args.client_id!r} -> {uri} is registered and {origin_of(uri)} is allowlisted")
    warning = shared_origin(uri)
    if warning:
        print(f"warn  {warning}\n      fix: {OWN_ORIGIN_FIX}")
    if args.page is not None:
        written = {**current, "api_url": admin.base_url, "ui_url": admin.web_server_url(), "client_id": args.client_id}
        target = args.page / settings.NAME
        if args.dry_run:
            print(f"would write {target}: {json.dumps(written)}")
        else:
            target.write_text(json.dumps(written, indent=2) + "\n")
            print(f"wrote {target}")
    return 0
