"""What MicroPython's standard library lacks, written once for CPython, Pyodide and MicroPython.

Pure: no `js`, no I/O. Everything else in the core uses only what all three interpreters share
plus this module. Where JavaScript values cross into Python (proxies, buffers, the browser's
CSPRNG) is `looker_pkce.browser.bridge`, the other side of the same boundary.
"""

import binascii
import hashlib
import time

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

try:  # CPython and Pyodide
    from os import urandom as _urandom

    random_bytes: "Callable[[int], bytes] | None" = _urandom
except ImportError:  # MicroPython's webassembly port has no os.urandom: browser.bridge.random_bytes
    random_bytes = None

_UNRESERVED = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# each byte as quote() writes it: a table lookup per byte (MicroPython took ~7 us a byte for a membership test and
# a "%02X" format: 1.3 ms for one "open in Looker" URL, 10 ms for a dashboard's eight tiles). Made without a
# membership test per byte too: that way the table itself took 4 ms of every page's start-up.
_QUOTED = ["%%%02X" % byte for byte in range(256)]
for _byte in _UNRESERVED:
    _QUOTED[_byte] = chr(_byte)


def now() -> float:
    """Seconds since the epoch, as a float where the platform has one."""
    return time.time()


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hex_digest(data: bytes) -> str:
    return binascii.hexlify(data).decode()


def b64url(data: bytes, pad: bool = False) -> str:
    """Base64url of bytes, with or without '=' padding (RFC 4648 section 5)."""
    text = binascii.b2a_base64(data).decode().strip()
    text = text.replace("+", "-").replace("/", "_")
    return text if pad else text.rstrip("=")


def quote(text: str) -> str:
    """Percent-encode everything outside RFC 3986's unreserved set."""
    return "".join([_QUOTED[byte] for byte in text.encode()])


def unquote(text: str) -> str:
    """Undo percent-encoding and '+' for space, as in a query string."""
    raw = text.replace("+", " ").encode()
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 37 and _is_hex(raw[i + 1 : i + 3]):  # '%'
            out.append(int(raw[i + 1 : i + 3].decode(), 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out).decode()


def _is_hex(pair: bytes) -> bool:
    return len(pair) == 2 and all(c in b"0123456789abcdefABCDEF" for c in pair)


def urlencode(params: "dict[str, Any]") -> str:
    """A query string from a dict; None values are left out, lists repeat the key."""
    parts = []
    for key in params:
        value = params[key]
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is True or item is False:
                item = "true" if item else "false"
            parts.append(quote(str(key)) + "=" + quote(str(item)))
    return "&".join(parts)


def parse_query(query: str) -> dict[str, str]:
    """A dict from a query string (the first value wins for repeated keys)."""
    if query.startswith("?"):
        query = query[1:]
    result = {}
    for part in query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        key = unquote(key)
        if key not in result:
            result[key] = unquote(value)
    return result


def split_url(url: str) -> tuple[str, str, str]:
    """(base, query, fragment) of a URL, without parsing the base further."""
    base, _, fragment = url.partition("#")
    base, _, query = base.partition("?")
    return base, query, fragment


def origin_of(url: str) -> str:
    """scheme://host[:port] of an absolute URL, or '' for anything else."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme:
        return ""
    host = rest.split("/")[0].split("?")[0].split("#")[0]
    return scheme.lower() + "://" + host.lower()

