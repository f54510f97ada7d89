"""Looker's admin API as the official looker_sdk configures it: looker.ini's [Looker] section
(base_url, client_id, client_secret, verify_ssl), overridden by LOOKERSDK_* environment variables."""

from __future__ import annotations

import configparser
import json
import os
import ssl
import urllib.parse
from pathlib import Path

from . import http, settings
from .errors import CommandError

ENV = {"base_url": "LOOKERSDK_BASE_URL", "client_id": "LOOKERSDK_CLIENT_ID",
       "client_secret": "LOOKERSDK_CLIENT_SECRET", "verify_ssl": "LOOKERSDK_VERIFY_SSL"}


def add_credential_arguments(parser) -> None:
    parser.add_argument("--ini", default="looker.ini", help="looker_sdk's settings file (default ./looker.ini)")
    parser.add_argument("--section", default="Looker", help="its section (default Looker)")


def credentials(ini: str = "looker.ini", section: str = "Looker") -> dict | None:
    """{base_url, client_id, client_secret} from looker.ini and LOOKERSDK_*; None when there are none."""
    values: dict = {}
    parser = configparser.ConfigParser()
    if Path(ini).is_file():
        parser.read(ini)
        if parser.has_section(section):
            values.update({key: parser.get(section, key) for key in ENV if parser.has_option(section, key)})
    values.update({key: os.environ[name] for key, name in ENV.items() if os.environ.get(name)})
    if not any(values.get(k) for k in ("base_url", "client_id", "client_secret")):
        return None
    missing = [ENV[k] for k in ("base_url", "client_id", "client_secret") if not values.get(k)]
    if missing:
        raise CommandError(f"admin API credentials are incomplete: set {', '.join(missing)} "
                           f"(or base_url/client_id/client_secret in [{section}] of {ini})")
    if values.get("verify_ssl", "true").lower() in ("false", "0", "no"):
        ssl._create_default_https_context = ssl._create_unverified_context  # as looker_sdk's verify_ssl=false
    values["base_url"] = values["base_url"].rstrip("/")
    return values


# what a refused admin login means, by status: no such endpoint is the wrong host, not wrong credentials
NOT_THE_API = ("no API 4.0 there: LOOKERSDK_BASE_URL (looker.ini's base_url) must be Looker's API URL, which "
               "the UI host's /versions names as api_server_url (often port 19999 or 443), not the UI URL")
LOGIN_REFUSED = {
    401: "Looker refused the admin API credentials: check LOOKERSDK_CLIENT_ID / LOOKERSDK_CLIENT_SECRET",
    403: "Looker refused the admin API credentials: check LOOKERSDK_CLIENT_ID / LOOKERSDK_CLIENT_SECRET",
    404: NOT_THE_API,
    405: NOT_THE_API,
}


class Admin:
    """A logged-in admin API session (API 4.0)."""

    def __init__(self, creds: dict):
        self.base_url = creds["base_url"]
        form = urllib.parse.urlencode({"client_id": creds["client_id"], "client_secret": creds["client_secret"]})
        try:
            answer = http.request("POST", self.base_url + "/api/4.0/login", {
                "Content-Type": "application/x-www-form-urlencoded"}, form.encode())
        except http.Unreachable as problem:
            raise CommandError(f"cannot reach Looker's API at {problem} (is LOOKERSDK_BASE_URL the API URL?)") from None
        if answer.status != 200:
            raise CommandError(f"{self.base_url}/api/4.0/login answered {answer.status}: "
                               + LOGIN_REFUSED.get(answer.status, LOGIN_REFUSED[401]))
        self._token = answer.json()["access_token"]

    def call(self, method: str, path: str, body=None) -> http.Answer:
        headers = {"Authorization": "Bearer " + self._token, "Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body).encode()
        return http.request(method, f"{self.base_url}/api/4.0/{path}", headers, data)

    def expect(self, method: str, path: str, body=None):
        answer = self.call(method, path, body)
        if not 200 <= answer.status < 300:
            raise CommandError(f"{method} /api/4.0/{path} answered {answer.status}: {answer.text[:300]}")
        return answer.json()

    def app(self, client_guid: str) -> dict | None:
        answer = self.call("GET", "oauth_client_apps/" + urllib.parse.quote(client_guid, safe=""))
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise CommandError(f"GET oauth_client_apps/{client_guid} answered {answer.status}: {answer.text[:300]}")
        return answer.json()

    def allowlist(self) -> list[str]:
        setting = self.expect("GET", "setting?fields=embed_config")
        return list((setting.get("embed_config") or {}).get("domain_allowlist") or [])

    def web_server_url(self) -> str:
        """The UI URL Looker announces for this API host (its /versions' web_server_url)."""
        return settings.ui_url(self.base_url, "check LOOKERSDK_BASE_URL (the API Host URL, as Admin › API shows it)")
