"""looker.json: a page's Looker settings (api_url, ui_url, client_id), read and checked with the file named."""

from __future__ import annotations

import json
import os
from pathlib import Path

from . import http
from .errors import CommandError

NAME = "looker.json"
EXAMPLE = '{"api_url": "https://you.looker.com:19999", "ui_url": "https://you.looker.com", "client_id": "my-page"}'


def read(path: Path) -> dict:
    """The settings in `path`, which must hold a JSON object."""
    if path.is_dir():
        raise CommandError(f"{path} is a folder: looker.json must be a file like {EXAMPLE}")
    try:
        data = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as problem:  # JSONDecodeError is a ValueError
        raise CommandError(f"{path} is not valid JSON ({problem}): write it like {EXAMPLE}") from None
    if not isinstance(data, dict):
        raise CommandError(f"{path} holds a JSON {type(data).__name__}, not an object: write it like {EXAMPLE}")
    return data


def ui_url(api_url: str, fix: str, timeout: float = 10.0) -> str:
    """The UI URL Looker's API server announces (http.announced_ui_url), or a CommandError ending in `fix`."""
    try:
        url = http.announced_ui_url(api_url, timeout=timeout)
    except http.Unreachable as problem:
        raise CommandError(f"cannot reach Looker's API server at {api_url} to ask its UI URL ({problem}): {fix}") from None
    if not url:
        raise CommandError(f"{api_url.rstrip('/')}/versions named no web_server_url (is {api_url} Looker's API Host URL,"
                           f" as Admin › API shows it?): {fix}")
    return url


def writable(folder: Path) -> dict:
    """What `folder`/looker.json holds now ({} when absent), once sure it can be rewritten."""
    if not folder.exists():
        raise CommandError(f"--page {folder}: no such folder (create the page first: looker-pkce new {folder})")
    if not folder.is_dir():
        raise CommandError(f"--page {folder} is a file: pass the page's folder")
    path = folder / NAME
    current = read(path) if path.exists() else {}
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise CommandError(f"{path} is not writable: fix its permissions or pass another --page")
    return current
