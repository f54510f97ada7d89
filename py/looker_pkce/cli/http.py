"""HTTP for the command line (the standard library's urllib): answers of any status come back,
only an unreachable host raises."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message


class Unreachable(Exception):
    """Nothing answered (DNS, refused connection, TLS, timeout)."""


@dataclass
class Answer:
    status: int
    headers: Message
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(method: str, url: str, headers: dict | None = None, body: bytes | None = None,
            timeout: float = 10.0) -> Answer:
    call = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(call, timeout=timeout) as answer:
            return Answer(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as answer:
        return Answer(answer.code, answer.headers, answer.read())
    except (urllib.error.URLError, OSError) as problem:
        reason = getattr(problem, "reason", problem)
        raise Unreachable(f"{url.split('?')[0]}: {reason}") from None


def get_json(url: str, headers: dict | None = None, timeout: float = 10.0):
    return request("GET", url, {"Accept": "application/json", **(headers or {})}, timeout=timeout)


def announced_ui_url(api_url: str, timeout: float = 10.0) -> str | None:
    """The UI URL Looker's API server announces in /versions (web_server_url), asked as API Explorer's
    "Run It" asks it (docs/REAL_LOOKER.md#versions); None when it names none. Raises Unreachable when
    nothing answers. Asked once, by the command that writes looker.json: a page never asks."""
    answer = get_json(api_url.rstrip("/") + "/versions", timeout=timeout)
    try:
        data = answer.json() if answer.status == 200 else None
    except ValueError:
        data = None
    url = data.get("web_server_url") if isinstance(data, dict) else None
    return url.rstrip("/") if isinstance(url, str) and url else None
