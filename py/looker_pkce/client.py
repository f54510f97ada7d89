"""The async Looker API client: one session, any transport.

`Client` drives the pure protocol in `oauth` with injected I/O (an async
transport, a storage, a navigator, a clock, randomness), so the exact same
code signs in from Pyodide, MicroPython and CPython tests.
"""

import asyncio
import json

from . import oauth
from .compat import now as _now, random_bytes as _random_bytes, urlencode
from .errors import ConfigError, InvalidGrant, NetworkError, SignedOut
from .messages import RETRY_STATUSES, Request, Response, api_error, retry_delay

API_VERSION = "4.0"


class MemoryStorage:
    """Storage that forgets on reload: the most private option."""

    def __init__(self):
        self._items = {}

    def get(self, key):
        return self._items.get(key)

    def set(self, key, value):
        self._items[key] = value

    def remove(self, key):
        self._items.pop(key, None)


class Client:
    """Signs a person into Looker and calls the API 4.0 on their behalf.

    Calls made while the token is expiring wait for one shared refresh; a 401
    gets one refresh and one retry; idempotent calls are retried on 429/5xx.
    """

    def __init__(self, config, transport, storage=None, navigator=None, clock=_now, sleep=None,
                 random_bytes=_random_bytes, timeout=60.0, max_retries=3):
        self.config = config
        self.transport = transport
        self.storage = storage if storage is not None else MemoryStorage()
        self.navigator = navigator
        self.clock = clock
        self.sleep = sleep or asyncio.sleep
        self.random_bytes = random_bytes
        self.timeout = timeout
        self.max_retries = max_retries
        self.refresh_count = 0  # how many refreshes this client performed
        self._key = "looker_pkce:" + config.client_id + ":"
        self._refreshing = None  # an asyncio.Event while a refresh is in flight
        self._tokens = self._load_tokens()

    # --- session state -------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    def _load_tokens(self):
        text = self.storage.get(self._key + "tokens")
        if not text:
            return None
        try:
            return oauth.Tokens.from_json(text)
        except (ValueError, KeyError, TypeError):
            self.storage.remove(self._key + "tokens")
            return None

    def _save_tokens(self, tokens):
        self._tokens = tokens
        if tokens is None:
            self.storage.remove(self._key + "tokens")
        else:
            self.storage.set(self._key + "tokens", tokens.to_json())

    def forget(self) -> None:
        """Drop the local session without telling Looker (see sign_out)."""
        self._save_tokens(None)

    @property
    def tokens(self):
        return self._tokens

    def needs_refresh(self) -> bool:
        return self._tokens is not None and self._tokens.needs_refresh(self.clock())

    def accept_token_response(self, response: "Response") -> None:
        """Store the tokens from a /api/token answer; a refused refresh signs out."""
        try:
            self._save_tokens(oauth.parse_token_response(response, self.clock(), self._tokens))
        except InvalidGrant:
            self.forget()
            raise SignedOut("The Looker session expired and could not be renewed. Sign in again.")

    # --- sign-in -------------------------------------------------------
    def sign_in_url(self, return_path: str = "/") -> str:
        """The /auth URL for a fresh sign-in; remembers its state and verifier in storage."""
        url, pending = oauth.begin_sign_in(self.config, self.random_bytes, self.clock(), return_path)
        self.storage.set(self._key + "pending", pending.to_json())
        return url

    def sign_in(self, return_path: "str | None" = None) -> None:
        """Leave for Looker's sign-in page (the browser comes back to the redirect URI)."""
        if self.navigator is None:
            raise ConfigError("sign_in() needs a navigator; use sign_in_url() outside a browser")
        if return_path is None:
            return_path = self.navigator.current_path()
        self.navigator.assign(self.sign_in_url(return_path))

    async def complete_sign_in(self, url: str) -> str:
        """Finish the sign-in from the redirect URL; returns the path to go back to.

        The pending state is consumed first, so whatever happens it cannot be replayed.
        """
        text = self.storage.get(self._key + "pending")
        self.storage.remove(self._key + "pending")
        pending = None
        if text:
            try:
                pending = oauth.PendingSignIn.from_json(text)
            except (ValueError, KeyError):
                pending = None
        try:
            code = oauth.read_callback(url, pending, self.clock())
        finally:
            if self.navigator is not None:
                self.navigator.replace(oauth.clean_url(url))  # code and state leave the address bar
        response = await self._send(oauth.exchange_request(self.config, code, pending))
        self._save_tokens(oauth.parse_token_response(response, self.clock()))
        return pending.return_path

    async def handle_redirect(self) -> bool:
        """If the page was loaded as the redirect URI, finish sign-in. Returns True if it did."""
        url = self.navigator.current_url()
        if not oauth.is_callback(url):
            return False
        path = await self.complete_sign_in(url)
        if path and path != self.navigator.current_path():
            self.navigator.replace(path)
        return True

    async def sign_out(self) -> None:
        """Revoke the tokens at Looker and forget them here, even if Looker is unreachable."""
        tokens = self._tokens
        self.forget()
        if tokens is None:
            return
        try:
            await self._send(oauth.logout_request(self.config, tokens))
        except NetworkError:
            pass  # local state is already gone; the token will expire on its own

    # --- tokens --------------------------------------------------------
    async def access_token(self) -> str:
        """A token good for at least the refresh margin, refreshing once if needed."""
        if self._tokens is None:
            raise SignedOut("Not signed in to Looker. Sign in first.")
        if self.needs_refresh():
            await self._refresh(self._tokens.access_token)
        return self._tokens.access_token

    async def _refresh(self, stale_token):
        """Replace `stale_token`; concurrent callers share one refresh request."""
        while self._refreshing is not None:
            await self._refreshing.wait()
        if self._tokens is None:
            raise SignedOut("The Looker session ended. Sign in again.")
        if self._tokens.access_token != stale_token:
            return  # someone else refreshed while we waited
        stored = self._load_tokens()
        if stored is not None and stored.access_token != stale_token:
            self._tokens = stored  # another client on this storage (a second interpreter) refreshed
            return
        self._refreshing = asyncio.Event()
        try:
            self.refresh_count += 1
            response = await self._send(oauth.refresh_request(self.config, self._tokens))
            self.accept_token_response(response)
        finally:
            event, self._refreshing = self._refreshing, None
            event.set()

    # --- API calls -----------------------------------------------------
    def url(self, path: str, params: "dict | None" = None) -> str:
        if path.startswith("http://") or path.startswith("https://"):
            base = path
        else:
            base = self.config.api_url + "/api/" + API_VERSION + "/" + path.lstrip("/")
        query = urlencode(params or {})
        return base + ("?" + query if query else "")

    async def request(self, method: str, path: str, params: "dict | None" = None, json_body=None,
                      body: "str | bytes | None" = None, headers: "dict | None" = None,
                      timeout: "float | None" = None, raw: bool = False, keep: "str | None" = None):
        """Call the API; returns parsed JSON, text or bytes by content type.

        With raw=True the Response itself comes back, error statuses included (401s and
        retries are still handled), for adapters that decode answers their own way.
        With keep="js-json" or "js-blob" (browser only) a successful answer stays a
        JavaScript value (parsed JSON, or a Blob): big results skip the Python heap.
        """
        method = method.upper()
        all_headers = {"Accept": "application/json"}
        if json_body is not None:
            body = json.dumps(json_body)
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        url = self.url(path, params)
        attempt = 0
        retried_401 = False
        while True:
            token = await self.access_token()
            all_headers["Authorization"] = "Bearer " + token
            response = await self._send(Request(method, url, all_headers, body, keep), timeout)
            if response.status == 401:
                if retried_401:
                    self.forget()
                    raise SignedOut("Looker no longer accepts this session (401). Sign in again.")
                retried_401 = True
                await self._refresh(token)
                continue
            delay = None
            if response.status in RETRY_STATUSES:
                jitter = self.random_bytes(1)[0] / 256
                delay = retry_delay(method, response.status, response.headers.get("retry-after"), attempt, jitter,
                                    self.max_retries)
            if delay is not None:
                attempt += 1
                await self.sleep(delay)
                continue
            if raw:
                return response
            if response.status >= 400:
                raise api_error(response, method, path)
            return response.body if keep else response.decoded()

    async def _send(self, request, timeout=None):
        return await self.transport(request, timeout or self.timeout)

    async def get(self, path: str, params: "dict | None" = None, **options):
        return await self.request("GET", path, params, **options)

    async def post(self, path: str, json=None, params: "dict | None" = None, **options):
        return await self.request("POST", path, params, json_body=json, **options)

    async def put(self, path: str, json=None, params: "dict | None" = None, **options):
        return await self.request("PUT", path, params, json_body=json, **options)

    async def patch(self, path: str, json=None, params: "dict | None" = None, **options):
        return await self.request("PATCH", path, params, json_body=json, **options)

    async def delete(self, path: str, params: "dict | None" = None, **options):
        return await self.request("DELETE", path, params, **options)

    async def me(self) -> dict:
        """The signed-in user (GET /user)."""
        return await self.get("user")


async def discover_api_url(transport: "callable", ui_url: str, timeout: float = 15.0) -> str:
    """The API URL Looker announces in /versions, given only the UI URL."""
    response = await transport(Request("GET", ui_url.rstrip("/") + "/versions", {"Accept": "application/json"}), timeout)
    if response.status != 200:
        raise api_error(response, "GET", "/versions")
    data = response.json()
    url = data.get("api_server_url") if isinstance(data, dict) else None
    if not url:
        raise ConfigError("Looker's /versions at " + ui_url + " did not name an api_server_url; set api_url yourself.")
    return url.rstrip("/")
