"""The async Looker API client: one session, any transport.

`Client` drives the pure protocol in `oauth` and the session rules in `session`
with injected I/O (an async transport, a storage, a navigator, the siblings, a
clock, randomness), so the exact same code signs in from Pyodide, MicroPython
and CPython tests.
"""

import asyncio
import json

from . import oauth, session
from .compat import now as _now, random_bytes as _random_bytes, urlencode
from .errors import AccessDenied, ConfigError, InvalidGrant, NetworkError, SignedOut
from .messages import Request, api_error
from .siblings import Neighbourhood

API_VERSION = "4.0"
HANDOVER_TIMEOUT = 10.0  # seconds to wait for a sibling to hand over the successor of a spent token
JOIN_TIMEOUT = 2.0  # seconds a new context waits for a live sibling to share its session
REMEMBERED_ROTATIONS = 32  # successors kept to answer siblings that still hold a spent token


def _tokens_in(data):
    """The Tokens a sibling's message carries, or None when they are malformed."""
    try:
        return oauth.Tokens.from_dict(data.get("tokens"))
    except ValueError:
        return None


async def _wait(event, timeout, clock=_now):
    """True once `event` is set, False after `timeout` seconds. A poll, not asyncio.wait_for:
    PyScript's MicroPython cannot cancel a wait made from a page's top-level code."""
    deadline = clock() + timeout
    while not event.is_set():
        if clock() >= deadline:
            return False
        await asyncio.sleep(0.01)
    return True


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

    Calls made while the token is expiring wait for one shared refresh, and every
    sibling context of the origin (tabs, interpreters) shares that refresh too; a 401
    gets one refresh and one retry; calls are retried on 429/5xx as `session` says.
    With share=False the session stays in this tab: no joining, no sign-out from other
    tabs (refreshes are still coordinated, so a duplicated tab cannot revoke it).
    """

    def __init__(self, config, transport, storage=None, navigator=None, siblings=None, share=True,
                 pending_storage=None, clock=_now, sleep=None, random_bytes=_random_bytes, timeout=60.0,
                 max_retries=3, head_start=None):
        self.config = config
        self.transport = transport
        self.storage = storage if storage is not None else MemoryStorage()
        # a sign-in in progress must survive the trip to Looker and back, whatever keeps the tokens
        self.pending_storage = pending_storage if pending_storage is not None else self.storage
        self.navigator = navigator
        self.siblings = siblings if siblings is not None else Neighbourhood().context()
        self.share = share
        self.clock = clock
        self.sleep = sleep or asyncio.sleep
        self.random_bytes = random_bytes
        self.timeout = timeout
        self.max_retries = max_retries
        # the page's first calls: remembered, and taken from the loader when it sent them already
        self.head_start = head_start
        self.identity = session.identity(config)
        self.stats = {"refreshes": 0, "adopted": 0, "joined": 0}
        self.on_change = []  # callables(signed_in: bool), told when a sibling changes the session
        self._refreshing = None  # an asyncio.Event while this context refreshes
        self._successors = {}  # spent refresh digest -> its successor Tokens
        self._order = []  # digests in _successors, oldest first
        self._marked_spent = set()  # digests whose "spent" lock this context holds
        self._waiting = {}  # digest (or "join") -> asyncio.Event
        self._release_holder = None
        self.siblings.join_channel(session.channel_name(self.identity))
        self.siblings.listen(self._on_message)
        self._tokens = None
        self._set_tokens(self._load_tokens())

    # --- session state -------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    @property
    def tokens(self):
        return self._tokens

    @property
    def refresh_count(self) -> int:
        """How many refreshes this context performed (adopted ones excluded)."""
        return self.stats["refreshes"]

    def _key(self, name):
        return session.storage_key(self.identity, name)

    def _load_tokens(self):
        text = self.storage.get(self._key("tokens"))
        if not text:
            return None
        try:
            return oauth.Tokens.from_json(text)
        except ValueError:
            self.storage.remove(self._key("tokens"))
            return None

    def _set_tokens(self, tokens):
        """The one place the session changes: memory, storage and the holder lock."""
        self._tokens = tokens
        if tokens is None:
            self.storage.remove(self._key("tokens"))
            if self._release_holder is not None:
                self._release_holder()
                self._release_holder = None
            return
        self.storage.set(self._key("tokens"), tokens.to_json())
        if self.share and self._release_holder is None:
            self._release_holder = self.siblings.hold(session.lock_name(self.identity, "holder"))

    def forget(self) -> None:
        """Drop the session in this context without telling Looker (see sign_out)."""
        self._set_tokens(None)

    def needs_refresh(self) -> bool:
        return self._tokens is not None and self._tokens.needs_refresh(self.clock())

    # --- sign-in -------------------------------------------------------
    def sign_in_url(self, return_path: str = "/") -> str:
        """The /auth URL for a fresh sign-in; remembers its state and verifier in storage."""
        url, pending = oauth.begin_sign_in(self.config, self.random_bytes, self.clock(), return_path)
        self.pending_storage.set(self._key("pending"), pending.to_json())
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

        The pending state (and its verifier) leaves storage first, so whatever happens
        it cannot be replayed.
        """
        text = self.pending_storage.get(self._key("pending"))
        self.pending_storage.remove(self._key("pending"))
        pending = None
        if text:
            try:
                pending = oauth.PendingSignIn.from_json(text)
            except (ValueError, KeyError):
                pending = None
        denied = False
        try:
            code = oauth.read_callback(url, pending, self.clock())
        except AccessDenied:  # the person's choice: the page they asked for stays their address
            denied = True
            raise
        finally:
            if self.navigator is not None:  # code and state leave the address bar
                self.navigator.replace(pending.return_path if denied else oauth.clean_url(url))
        response = await self._send(oauth.exchange_request(self.config, code, pending))
        self._set_tokens(oauth.parse_token_response(response, self.clock()))
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

    async def join(self, timeout: float = JOIN_TIMEOUT) -> bool:
        """Share a sibling's live session when this context has none. True if it joined."""
        if self._tokens is not None or not self.share:
            return self._tokens is not None
        if not await self.siblings.held(session.lock_name(self.identity, "holder")):
            return False  # nobody holds one: no need to wait
        event = self._waiting.setdefault("join", asyncio.Event())
        self.siblings.post(session.message(session.JOIN))
        await _wait(event, timeout)
        self._waiting.pop("join", None)
        return self._tokens is not None

    async def sign_out(self) -> None:
        """Revoke the tokens at Looker and forget them here and in every sibling.

        Forgets even if Looker is unreachable; revokes once, from this context.
        """
        tokens = self._tokens
        self.forget()
        if self.share:
            self.siblings.post(session.message(session.SIGNED_OUT))
        if tokens is None:
            return
        try:
            await self._send(oauth.logout_request(self.config, tokens))
        except NetworkError:
            pass  # local state is already gone; the token will expire on its own

    # --- tokens --------------------------------------------------------
    async def access_token(self) -> str:
        """A token good for at least the refresh margin, refreshing once if needed."""
        for _ in range(3):  # an adopted token may itself be due: follow it, boundedly
            if self._tokens is None:
                raise SignedOut("Not signed in to Looker. Sign in first.")
            if not self.needs_refresh():
                break
            await self._refresh(self._tokens.access_token)
        return self._tokens.access_token

    async def _refresh(self, stale_token):
        """Replace `stale_token`; every caller in every sibling shares one refresh request."""
        while self._refreshing is not None:
            await self._refreshing.wait()
        if self._tokens is None:
            raise SignedOut("The Looker session ended. Sign in again.")
        if self._tokens.access_token != stale_token:
            return  # refreshed (or adopted) while we waited
        self._refreshing = asyncio.Event()
        try:
            await self.siblings.exclusive(session.lock_name(self.identity, "refresh"),
                                          lambda: self._refresh_locked(stale_token))
        finally:
            event, self._refreshing = self._refreshing, None
            event.set()

    async def _refresh_locked(self, stale_token):
        """Under the origin-wide refresh lock: adopt a sibling's rotation, or rotate."""
        tokens = self._tokens
        if tokens is None:
            raise SignedOut("The Looker session ended. Sign in again.")
        if tokens.access_token != stale_token:
            return  # a sibling's rotation arrived while we waited for the lock
        if not tokens.refresh_token:
            self.forget()
            raise SignedOut("This Looker session cannot be renewed (no refresh token). Sign in again.")
        spent = session.digest(tokens.refresh_token)
        if spent in self._successors or await self.siblings.held(self._spent_lock(spent)):
            self._adopt(spent, await self._successor(spent))
            return
        self.stats["refreshes"] += 1
        response = await self._send(oauth.refresh_request(self.config, tokens))
        try:
            fresh = oauth.parse_token_response(response, self.clock(), tokens)
        except InvalidGrant:
            self.forget()
            raise SignedOut("The Looker session expired and could not be renewed. Sign in again.")
        self._adopt(spent, fresh, rotated_here=True)
        self.siblings.post(session.message(session.ROTATED, spent=spent, tokens=fresh.to_dict()))

    def _spent_lock(self, spent):
        return session.lock_name(self.identity, "spent " + spent)

    def _remember(self, spent, tokens):
        if spent not in self._successors:
            self._order.append(spent)
            if len(self._order) > REMEMBERED_ROTATIONS:
                self._successors.pop(self._order.pop(0), None)
        self._successors[spent] = tokens
        event = self._waiting.pop(spent, None)
        if event is not None:
            event.set()

    def _adopt(self, spent, tokens, rotated_here=False):
        """Take `tokens` as the successor of the spent refresh token `spent`, marked spent for life."""
        if not rotated_here and tokens is not self._tokens:
            self.stats["adopted"] += 1
        if spent not in self._marked_spent:
            self._marked_spent.add(spent)
            self.siblings.hold(self._spent_lock(spent))  # never released: the token stays spent
        self._remember(spent, tokens)
        self._set_tokens(tokens)

    async def _successor(self, spent):
        """The tokens that replaced the spent refresh token `spent`, from whoever holds them."""
        if spent in self._successors:
            return self._successors[spent]
        event = self._waiting.setdefault(spent, asyncio.Event())
        self.siblings.post(session.message(session.SUCCESSOR, spent=spent))
        if not await _wait(event, HANDOVER_TIMEOUT):
            self.forget()
            raise SignedOut("Another tab or interpreter renewed this Looker session but did not hand it over."
                            " Sign in again.")
        return self._successors[spent]

    # --- siblings' messages --------------------------------------------
    def _on_message(self, text):
        data = session.read_message(text)
        if data is not None:
            getattr(self, "_on_" + data["kind"])(data)

    def _on_join(self, data):
        if self.share and self._tokens is not None:
            self.siblings.post(session.message(session.TOKENS, tokens=self._tokens.to_dict()))

    def _on_tokens(self, data):
        tokens = _tokens_in(data)
        if tokens is not None and "join" in self._waiting and self._tokens is None:
            self.stats["joined"] += 1
            self._set_tokens(tokens)
            self._waiting.pop("join").set()
            self._tell(True)

    def _on_successor(self, data):
        spent = data.get("spent")
        if spent in self._successors:
            self.siblings.post(session.message(session.ROTATED, spent=spent, tokens=self._successors[spent].to_dict()))

    def _on_rotated(self, data):
        tokens, spent = _tokens_in(data), data.get("spent")
        if tokens is None or not isinstance(spent, str):
            return
        held = self._tokens.refresh_token if self._tokens is not None else None
        if held and session.digest(held) == spent:
            self._adopt(spent, tokens)
        else:
            self._remember(spent, tokens)

    def _on_signed_out(self, data):
        if self.share and self._tokens is not None:
            self.forget()
            self._tell(False)

    def _tell(self, signed_in):
        for callback in self.on_change:
            callback(signed_in)

    # --- API calls -----------------------------------------------------
    def url(self, path: str, params: "dict | None" = None) -> str:
        """The API URL of `path`; an absolute URL only on the API origin (the bearer goes nowhere else)."""
        if path.startswith("http://") or path.startswith("https://"):
            if not session.may_carry_token(self.config, path):
                raise ConfigError("Refusing to send the Looker session to " + path.split("?")[0]
                                  + ": this client calls " + self.config.api_url + " only.")
            base = path
        else:
            base = self.config.api_url + "/api/" + API_VERSION + "/" + path.lstrip("/")
        query = urlencode(params or {})
        return base + ("?" + query if query else "")

    async def request(self, method: str, path: str, params: "dict | None" = None, json_body=None,
                      body: "str | bytes | None" = None, headers: "dict | None" = None,
                      timeout: "float | None" = None, raw: bool = False, keep: "str | None" = None,
                      ordered: bool = False):
        """Call the API; returns parsed JSON, text or bytes by content type.

        With raw=True the Response itself comes back, error statuses included (401s and
        retries are still handled), for adapters that decode answers their own way.
        With keep="js-json" or "js-blob" (browser only) a successful answer stays a
        JavaScript value (parsed JSON, or a Blob): big results skip the Python heap.
        With ordered=True JSON objects keep the order of Looker's keys (looker_pkce.ordered), also
        on MicroPython, whose dict does not: for answers shown to people as they came.
        """
        method = method.upper()
        all_headers = {"Accept": "application/json"}
        if json_body is not None:
            body = json.dumps(json_body)
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        url = self.url(path, params)
        early = None
        if self.head_start is not None:  # the page's first calls: remembered, maybe already answered
            unasked = session.replayable(method, path)  # may be sent again, unasked, on the next load
            early = self.head_start.take(Request(method, url, dict(all_headers), body, keep) if unasked else None)
        attempt = 0
        retried_401 = False
        while True:
            token = await self.access_token()
            all_headers["Authorization"] = "Bearer " + token
            response = (await early) if early is not None else None
            early = None
            if response is None:
                response = await self._send(Request(method, url, all_headers, body, keep), timeout)
            if response.status == 401:
                if retried_401:
                    self.forget()
                    raise SignedOut("Looker no longer accepts this session (401). Sign in again.")
                retried_401 = True
                await self._refresh(token)
                continue
            delay = None
            if response.status in session.RETRY_STATUSES:
                jitter = self.random_bytes(1)[0] / 256
                delay = session.retry_delay(method, path, response.status, response.headers.get("retry-after"),
                                            attempt, jitter, self.max_retries)
            if delay is not None:
                attempt += 1
                await self.sleep(delay)
                continue
            if raw:
                return response
            if response.status >= 400:
                raise api_error(response, method, path)
            return response.body if keep else response.decoded(ordered)

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
