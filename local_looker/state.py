"""Everything the local Looker remembers, in memory: settings, users, OAuth apps,
codes and tokens, saved content, and the fault switches.

One `State` per server process. Handlers read and change it under one lock,
so concurrent requests (the tests fire many) see consistent token rotation.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import access
from .origins import normalize_entry, origin_allowed
from .results_cache import ResultsCache
from .seed import seed_content

DEMO_PASSWORD = "looker-demo"


@dataclass
class Settings:
    """Start-up configuration; every field can come from an environment variable."""

    ui_port: int = 9990
    api_port: int = 19999
    host: str = "127.0.0.1"
    app_origin: str = "http://127.0.0.1:8000"
    token_ttl: int = 3600  # docs/REAL_LOOKER.md#token-lifetimes
    # How long a sign-in's refresh tokens may be used, from the sign-in (rotation does not extend it):
    # docs/REAL_LOOKER.md#refresh-token-expiry. 0: no limit.
    refresh_token_ttl: int = 30 * 24 * 3600
    code_ttl: int = 120
    cache_dir: Path = Path(__file__).resolve().parent.parent / "build"
    latency_ms: int = 0
    error_rate: float = 0.0
    validate_responses: bool = False  # check every /api/4.0 JSON answer against the spec (GET /_local/violations)
    https: bool = False  # HTTPS with HTTP/2 (Hypercorn, a certificate for 127.0.0.1: tls.py); else plain HTTP/1.1
    # As strict as a real Looker (docs/REAL_LOOKER.md): PKCE verifier rules, no CORS on the UI host, JSON 414/431
    # past the request-line and header limits. LOOKER_LENIENT=1 (--lenient) turns all of that off, for experiments.
    strict: bool = True

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        values = dict(
            ui_port=int(env.get("LOOKER_UI_PORT", 9990)),
            api_port=int(env.get("LOOKER_API_PORT", 19999)),
            app_origin=env.get("LOOKER_APP_ORIGIN", "http://127.0.0.1:8000"),
            token_ttl=int(env.get("LOOKER_TOKEN_TTL", 3600)),
            refresh_token_ttl=int(env.get("LOOKER_REFRESH_TOKEN_TTL", 30 * 24 * 3600)),
            code_ttl=int(env.get("LOOKER_CODE_TTL", 120)),
            latency_ms=int(env.get("LOOKER_FAULT_LATENCY_MS", 0)),
            error_rate=float(env.get("LOOKER_FAULT_ERROR_RATE", 0.0)),
            validate_responses=env.get("LOOKER_VALIDATE_RESPONSES", "") == "1",
            https=env.get("LOOKER_HTTPS", "") == "1",
            strict=env.get("LOOKER_LENIENT", "") != "1",
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def scheme(self) -> str:
        return "https" if self.https else "http"

    @property
    def ui_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.ui_port}"

    @property
    def api_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.api_port}"


@dataclass
class Faults:
    """Switches for the client's error paths; all off by default."""

    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_next: int = 0  # answer the next N API calls with 429
    retry_after: int = 1
    rate_limit_every: int = 0  # answer every Nth API call with 429 (0: never)
    expose_retry_after: bool = True  # list Retry-After in Access-Control-Expose-Headers
    fail_next: int = 0  # answer the next N API calls with 503
    trickle_ms: int = 0  # send API answers' bodies in TRICKLE_BYTES pieces, this many ms apart (a slow download)
    refuse_logout_cors: bool = False  # /api/logout answers no CORS, as some real instances do (REAL_LOOKER.md#logout-cors)
    outage: bool = False  # Looker is down: every call on the API host, /api/token included, answers 503
    no_refresh_tokens: bool = False  # sign-ins get an access token only (the spec's AccessToken.refresh_token is nullable)


@dataclass
class Grant:
    """An access token with its refresh token; `family` links everything issued from one code."""

    access_token: str
    refresh_token: str | None
    user_id: str
    client_guid: str | None
    expires_at: float
    family: str | None = None
    revoked: bool = False
    refresh_until: float | None = None  # when the refresh token stops working (None: never)


USERS = [
    {"id": "1", "first_name": "Ada", "last_name": "Admin", "email": "admin@example.com", "role_ids": ["2"],
     "personal_folder_id": "4", "api_client_id": "demo-admin-id",
     "api_client_secret": "demo-admin-secret"},
    {"id": "2", "first_name": "Alex", "last_name": "Analyst", "email": "analyst@example.com", "role_ids": ["3"],
     "personal_folder_id": "5", "api_client_id": "demo-analyst-id",
     "api_client_secret": "demo-analyst-secret"},
    {"id": "3", "first_name": "Vic", "last_name": "Viewer", "email": "viewer@example.com", "role_ids": ["4"],
     "personal_folder_id": "6", "api_client_id": "demo-viewer-id",
     "api_client_secret": "demo-viewer-secret"},
]

DEMO_CLIENT_GUID = "looker-pkce-demo"


def demo_apps(settings: Settings) -> dict[str, dict]:
    """The OAuth client apps a fresh local Looker has: the reference page, registered at start-up."""
    return {
        DEMO_CLIENT_GUID: {
            "client_guid": DEMO_CLIENT_GUID,
            "redirect_uri": settings.app_origin.rstrip("/") + "/",
            "display_name": "Looker PKCE demo page",
            "description": "The reference static page (registered by the local Looker at start-up)",
            "enabled": True,
            "group_id": None,
            "tokens_invalid_before": "2026-01-01T00:00:00.000+00:00",
            "activated_users": [],
            "can": {},
        }
    }


def initial_setting(settings: Settings) -> dict:
    """The instance settings (`GET /setting`) a fresh local Looker answers, its allowlist naming the app's origin."""
    return {
        "extension_framework_enabled": True,
        "extension_load_url_enabled": False,
        "marketplace_auto_install_enabled": False,
        "marketplace_enabled": False,
        "onboarding_enabled": False,
        "privatelabel_configuration": {"logo_file": None, "logo_url": None, "favicon_file": None,
                                       "favicon_url": None, "default_title": None, "show_help_menu": True,
                                       "show_docs": True, "show_email_sub_options": True,
                                       "allow_looker_mentions": True, "allow_looker_links": True,
                                       "custom_welcome_email_advanced": False, "setup_mentions": True,
                                       "alerts_logo": True, "alerts_links": True, "folders_mentions": True},
        "custom_welcome_email": {"enabled": False, "content": None, "subject": None, "header": None},
        "email_domain_allowlist": [],
        "embed_cookieless_v2": False,
        "embed_enabled": True,
        "embed_config": {
            "domain_allowlist": [normalize_entry(settings.app_origin)],
            "alert_url_allowlist": [],
            "alert_url_param_owner": None,
            "alert_url_label": None,
            "sso_auth_enabled": False,
            "embed_cookieless_v2": False,
            "embed_content_navigation": False,
            "embed_content_management": False,
            "strict_sameorigin_for_login": False,
            "look_filters": False,
            "hide_look_navigation": False,
            "embed_enabled": True,
        },
        "login_notification_enabled": False,
        "login_notification_text": None,
        "timezone": "UTC",
        "allow_user_timezones": True,
        "data_connector_default_enabled": False,
        "host_url": settings.ui_url,
        "override_warnings": False,
    }


class State:
    def __init__(self, settings: Settings, db_path: Path):
        self.settings = settings
        self.db_path = db_path
        self.today = dt.date.today()
        self.lock = threading.RLock()
        self.clock_offset = 0.0  # seconds the tests moved this Looker's clock forward (/_local/clock)
        self.faults = Faults(latency_ms=settings.latency_ms, error_rate=settings.error_rate)
        self.stats = {"refresh_grants": 0, "code_grants": 0, "api_calls": 0, "family_revocations": 0,
                      "logouts": 0, "unknown_tokens": 0, "rate_limited": 0,
                      "expired_refresh_tokens": 0,  # refresh grants refused because the sign-in's refresh life ended
                      "outage_answers": 0,  # 503s answered by the `outage` fault
                      "query_runs": 0,  # queries run against the database (not answered from the results cache)
                      "preflights": 0}  # CORS preflights (OPTIONS) answered: a browser caches them, per URL
        self.violations: list[dict] = []  # answers that broke the spec (validation mode)
        self.results = ResultsCache()  # run_inline_query and friends, unless called with cache=false
        self.users = {u["id"]: dict(u, password=DEMO_PASSWORD) for u in USERS}
        self.apps = demo_apps(settings)
        self.setting = initial_setting(settings)
        self.codes: dict[str, dict] = {}
        self.grants: dict[str, Grant] = {}  # by access token
        self.refresh: dict[str, Grant] = {}  # by refresh token
        self.spent: dict[str, str | None] = {}  # rotated-away refresh token -> its family (reuse detection)
        self.ui_sessions: dict[str, str] = {}  # UI-host session cookie -> user id
        self.auth_requests: dict[str, dict] = {}  # consent page id -> validated /auth params
        self.queries, self.looks, self.dashboards, self.folders = seed_content()
        self.access = access.seed_access()  # roles, permission sets, model sets, groups, content access
        self.next_query_id = max(int(q) for q in self.queries) + 1

    def now(self) -> float:
        """This Looker's clock: the host's, plus what the tests moved it forward by."""
        return time.time() + self.clock_offset

    # --- tokens -----------------------------------------------------------
    def issue(self, user_id: str, client_guid: str | None, family: str | None, refreshable: bool = True,
              refresh_until: float | None = None) -> Grant:
        """A new grant. A sign-in's first refresh token lives `refresh_token_ttl` seconds; its successors
        inherit that end (`refresh_until`): docs/REAL_LOOKER.md#refresh-token-expiry."""
        ttl = self.settings.refresh_token_ttl
        if refreshable and refresh_until is None and ttl:
            refresh_until = self.now() + ttl
        grant = Grant(
            access_token=secrets.token_urlsafe(30),
            refresh_token=secrets.token_urlsafe(30) if refreshable else None,
            user_id=user_id,
            client_guid=client_guid,
            expires_at=self.now() + self.settings.token_ttl,
            family=family,
            refresh_until=refresh_until if refreshable else None,
        )
        self.grants[grant.access_token] = grant
        if grant.refresh_token:
            self.refresh[grant.refresh_token] = grant
        return grant

    def revoke(self, grant: Grant) -> None:
        grant.revoked = True
        self.grants.pop(grant.access_token, None)
        if grant.refresh_token:
            self.refresh.pop(grant.refresh_token, None)

    def rotate(self, old: Grant) -> Grant:
        """Refresh-token rotation: the old pair stops working and its refresh token is remembered as spent
        (docs/REAL_LOOKER.md#refresh-token-rotation); the successor ends when the sign-in's first one does
        (#refresh-token-expiry)."""
        self.revoke(old)
        self.spent[old.refresh_token] = old.family
        return self.issue(old.user_id, old.client_guid, family=old.family, refresh_until=old.refresh_until)

    def refresh_expired(self, grant: Grant) -> bool:
        return grant.refresh_until is not None and grant.refresh_until <= self.now()

    def revoke_family(self, family: str) -> None:
        self.stats["family_revocations"] += 1
        for grant in [g for g in self.grants.values() if g.family == family]:
            self.revoke(grant)

    def revoke_client(self, client_guid: str) -> None:
        """Deleting or disabling an OAuth client app invalidates its tokens at once (docs/REAL_LOOKER.md#registration)."""
        for grant in [g for g in self.grants.values() if g.client_guid == client_guid]:
            self.revoke(grant)

    def user_for_token(self, token: str) -> dict | None:
        grant = self.grants.get(token)
        if grant is None or grant.revoked or grant.expires_at <= self.now():
            return None
        return self.users.get(grant.user_id)

    def is_admin(self, user: dict) -> bool:
        return access.is_admin(self.access, user)

    def can(self, user: dict, permission: str) -> bool:
        return permission in access.permissions(self.access, user)

    def folder_access(self, user: dict, folder_id) -> str | None:
        return access.folder_access(self.access, self.folders, user, folder_id)

    def allowed_origin(self, origin: str) -> bool:
        return origin_allowed(origin, self.setting["embed_config"]["domain_allowlist"])
