"""The embedded domain allowlist: which entries are valid, and which origins they let in (pure rules).

Looker's documented forms (docs/REAL_LOOKER.md#api-cors): an origin with its scheme (`https://app.example.com`, `http://localhost:8080`)
or a subdomain wildcard (`https://*.example.com`). A wildcard stands for one or more whole labels in front
of the domain; scheme and port must match exactly. Nothing looser: no bare `*`, no wildcard over a
top-level domain alone, no paths, no user info.
"""

from __future__ import annotations

import re

from looker_pkce.core.compat import origin_of

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*"
_IPV6 = r"\[[0-9a-f:.]+\]"
ENTRY = re.compile(rf"(https?)://(\*\.)?({_HOST}|{_IPV6})(?::(\d{{1,5}}))?/?")


def normalize_entry(text: str) -> str:
    """The entry in canonical form (lower case, no trailing slash); ValueError says what is wrong."""
    if not isinstance(text, str):
        raise ValueError("must be a string like https://app.example.com or https://*.example.com")
    m = ENTRY.fullmatch(text.strip().lower())
    if not m:
        raise ValueError(f"'{text[:80]}' is not an origin like https://app.example.com or https://*.example.com")
    scheme, wildcard, host, port = m.groups()
    if wildcard and ("." not in host or host.startswith("[")):
        raise ValueError(f"'{text[:80]}': a wildcard needs a domain of at least two labels (https://*.example.com)")
    if port is not None and not 0 < int(port) < 65536:
        raise ValueError(f"'{text[:80]}': port out of range")
    return f"{scheme}://{wildcard or ''}{host}" + (f":{port}" if port else "")


def origin_allowed(origin: str, allowlist: list[str]) -> bool:
    """Does a browser's Origin header match an allowlist entry?"""
    text = origin.strip().lower()
    own = origin_of(text)  # what an origin is: the library's rule (core.compat)
    m = ENTRY.fullmatch(own) if text in (own, own + "/") else None
    if not m or m.group(2):
        return False  # "null", malformed, with a path, or a wildcard
    scheme, host, port = m.group(1), m.group(3), m.group(4)
    for entry in allowlist:
        e = ENTRY.fullmatch(entry)
        if not e or e.group(1) != scheme or e.group(4) != port:
            continue
        if e.group(2):  # *.example.com: one or more labels in front of example.com
            if host.endswith("." + e.group(3)) and not host.startswith("["):
                return True
        elif e.group(3) == host:
            return True
    return False
