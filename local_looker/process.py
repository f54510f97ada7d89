"""Start the local Looker as a child process and talk to it as its admin (tests and benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from .tls import certificate

ROOT = Path(__file__).resolve().parent.parent


TOKEN_SWITCHES = ("expire_tokens", "revoke_tokens")  # /_local switches that end every session they match


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalLooker:
    """A running local Looker plus an admin API session for test set-up."""

    def __init__(self, ui_port: int, api_port: int, app_origin: str, env: dict | None = None, https: bool = False):
        """`https`: HTTPS + HTTP/2 with the certificate `self.certificate` (a browser trusts it through
        `self.certificate.chromium_flag`); else plain HTTP/1.1."""
        scheme = "https" if https else "http"
        self.ui_url = f"{scheme}://127.0.0.1:{ui_port}"
        self.api_url = f"{scheme}://127.0.0.1:{api_port}"
        self.certificate = certificate(ROOT / "build") if https else None  # the one the server will load
        self.log = ROOT / "build" / f"local-looker-{api_port}.log"
        self.log.parent.mkdir(exist_ok=True)
        with open(self.log, "w") as log:  # a file, not a pipe: a full pipe would stall the server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "local_looker", "--ui-port", str(ui_port), "--api-port", str(api_port),
                 "--app-origin", app_origin, *(["--https"] if https else [])],
                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
            )
        self.admin = requests.Session()
        self.admin.verify = str(self.certificate.pemfile) if https else True
        self.admin.trust_env = False  # else REQUESTS_CA_BUNDLE would win over `verify`; and no proxy for loopback
        started = time.time()
        deadline = started + 60
        while True:
            try:
                if self.admin.get(self.api_url + "/versions", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise RuntimeError("local Looker did not start:\n" + self.log.read_text())
            time.sleep(0.1)
        self.startup_seconds = time.time() - started
        self.log_in_admin()

    def log_in_admin(self) -> None:
        """The admin session the helpers below use: API credentials, as a script signs in."""
        login = self.admin.post(self.api_url + "/login",
                                data={"client_id": "demo-admin-id", "client_secret": "demo-admin-secret"})
        login.raise_for_status()
        self.admin.headers["Authorization"] = "Bearer " + login.json()["access_token"]

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.admin.request(method, f"{self.api_url}/api/4.0/{path.lstrip('/')}", **kwargs)

    def local(self, method: str, path: str, **kwargs):
        """Call a /_local test switch (with the header that proves the caller is not a web page)."""
        headers = {"X-Local-Looker": "1", **kwargs.pop("headers", {})}
        response = requests.request(method, f"{self.api_url}/_local/{path}", headers=headers,
                                    verify=self.admin.verify, **kwargs)
        response.raise_for_status()
        if path in TOKEN_SWITCHES:  # they end the admin session too: the helpers sign in again, as a script would
            self.log_in_admin()
        return response.json()

    def register_app(self, client_guid: str, redirect_uri: str, enabled: bool = True) -> None:
        self.api("DELETE", f"oauth_client_apps/{client_guid}")
        self.api("POST", f"oauth_client_apps/{client_guid}", json={
            "redirect_uri": redirect_uri, "display_name": client_guid, "description": "test", "enabled": enabled,
        }).raise_for_status()

    def allowlist(self, origins: list[str]) -> None:
        self.api("PATCH", "setting", json={"embed_config": {"domain_allowlist": origins}}).raise_for_status()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.unlink(missing_ok=True)
