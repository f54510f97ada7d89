"""What the person types on the command line, checked as argparse types: each refusal says what
is wrong, with the value, and what to pass instead (argparse prints it, exit status 2)."""

from __future__ import annotations

import argparse
import re
import urllib.parse

# client_guid travels in a URL path (/api/4.0/oauth_client_apps/ID) and as OAuth's client_id:
# RFC 3986's unreserved characters need no escaping in either
CLIENT_ID = re.compile(r"[A-Za-z0-9._~-]+")
WEB_SCHEMES = ("http", "https")


def client_id(text: str) -> str:
    """An OAuth client app's client_guid."""
    if not text:
        raise argparse.ArgumentTypeError("empty: pass the OAuth client app's id, e.g. my-page")
    if not CLIENT_ID.fullmatch(text):
        bad = "".join(sorted({c for c in text if not CLIENT_ID.fullmatch(c)}))
        raise argparse.ArgumentTypeError(f"{text!r} has characters a client id cannot have ({bad!r}): "
                                         "use letters, digits and - . _ ~, e.g. my-page")
    return text


def looker_url(text: str) -> str:
    """A Looker host's URL (UI or API): http(s)://host[:port], no query or fragment."""
    parts = urllib.parse.urlsplit(text)
    example = "https://you.looker.com (or http://127.0.0.1:9990 for the local Looker)"
    if parts.scheme.lower() not in WEB_SCHEMES:
        what = f"uses {parts.scheme}" if parts.scheme and parts.netloc else "is not a URL"
        raise argparse.ArgumentTypeError(f"{text!r} {what}: Looker answers on http(s), e.g. {example}")
    try:
        parts.port  # noqa: B018 (raises for a port out of range or not a number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} has a bad port: e.g. {example}") from None
    if not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} names no host: e.g. {example}")
    if parts.query or parts.fragment:
        raise argparse.ArgumentTypeError(f"{text!r} has a query or fragment: pass the host's URL only, e.g. {example}")
    return text.rstrip("/")


def content_id(text: str) -> str:
    """A dashboard's or Look's id, as Looker's URL shows it (/dashboards/1, /looks/7, or a LookML
    dashboard's model::name)."""
    if not text or not all(c.isalnum() or c in "_-:" for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a dashboard or Look id: pass it as Looker's URL shows it, "
                                         "e.g. 1 for /dashboards/1")
    return text


def port(text: str) -> int:
    """A TCP port to listen on, 1-65535."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: pass a number from 1 to 65535")
    return int(text)
