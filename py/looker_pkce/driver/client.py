"""The async Looker API client: one session, any transport.

`Client` drives the pure protocols in `oauth` (signing in) and `protocol` (one session shared
by the page's contexts) and the rules in `session`, with injected I/O (an async transport, a
storage, a navigator, the siblings, a clock, randomness), so the exact same code signs in from
Pyodide, MicroPython and CPython tests.
"""

import asyncio
import json

from ..core import oauth, protocol, session, sign_in_again
from ..core.compat import hex_digest, now as _now, random_bytes as _random_bytes, urlencode
from ..core.errors import (
    AccessDenied,
    ConfigError,
    CorsError,
    InvalidGrant,
    LookerError,
    NetworkError,
    SessionBusy,
    SignedOut,
    Timeout,
)
from ..core.messages import Request, api_error
from .siblings import LockTimeout, Neighbourhood

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from typing import Any, Protocol

    from ..core.messages import Response

    Transport = Callable[[Request, float], Awaitable[Response]]  # sends a request, within a timeout in seconds

    class Storage(Protocol):  # MemoryStorage, browser.WebStorage
        def get(self, key: str) -> "str | None": ...
        def set(self, key: str, value: str) -> None: ...
        def remove(self, key: str) -> None: ...

    class Navigator(Protocol):  # browser.Navigator: the page's address
        def current_url(self) -> str: ...
        def current_path(self) -> str: ...
        def assign(self, url: str) -> None: ...
        def replace(self, url: str) -> None: ...

    class Siblings(Protocol):  # siblings.LocalSiblings, browser.WebSiblings
        def join_channel(self, name: str) -> None: ...
        async def exclusive(self, name: str, critical: "Callable[[], Awaitable[Any]]", timeout: float) -> "Any": ...
        def hold(self, name: str) -> "Callable[[], None]": ...
        async def held(self, name: str) -> bool: ...
        def post(self, text: str) -> None: ...
        def listen(self, callback: "Callable[[str], None]") -> None: ...

    class HeadStart(Protocol):  # browser.HeadStart: the page's first calls (session.py, "First calls")
        def take(self, call: "list[Any] | None", keep: "str | None" = None) -> "Awaitable[Response | None] | None": ...
        def expect(self, count: int) -> None: ...
        def forget(self) -> None: ...

API_VERSION = session.API_VERSION


async def _wait(event: asyncio.Event, timeout: float, clock: "Callable[[], float]" = _now) -> bool:
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

    def __init__(self) -> None:
        self._items: "dict[str, str]" = {}

    def get(self, key: str) -> "str | None":
        return self._items.get(key)

    def set(self, key: str, value: str) -> None:
        self._items[key] = value

    def remove(self, key: str) -> None:
        self._items.pop(key, None)


class Client:
    """Signs a person into Looker and calls the API 4.0 on their behalf.

    Calls made while the token is expiring wait for one shared renewal, and every sibling
    context of the origin (tabs, interpreters) shares the session as `protocol` says; a 401
    gets one refresh and one retry; calls are retried on 429/5xx and network errors as
    `session` says. With share=False the session stays in this tab: no joining, no sign-out
    from other tabs (refreshes are still coordinated, so a duplicated tab cannot revoke it).
    share_refresh=True lets contexts that join receive the refresh token too: only for a page
    that has its origin to itself (see the README's Security section). A context that borrowed
    the session and finds no holder left signs in again by itself, back to the page's address,
    as core/sign_in_again.py says; sign_in_again=False makes that a SignedOut instead.
    `on_sign_in_again` callables hear it just before the page leaves (keep unsaved work then);
    `leaving` is true from then on, and `signed_in_again` once the sign-in it started completed.
    """

    def __init__(self, config: oauth.Config, transport: "Transport", storage: "Storage | None" = None,
                 navigator: "Navigator | None" = None, siblings: "Siblings | None" = None, share: bool = True,
                 pending_storage: "Storage | None" = None, clock: "Callable[[], float]" = _now,
                 sleep: "Callable[[float], Awaitable[Any]] | None" = None,
                 random_bytes: "Callable[[int], bytes] | None" = _random_bytes, timeout: float = 60.0,
                 max_retries: int = 3, head_start: "HeadStart | None" = None, share_refresh: bool = False,
                 sign_in_again: bool = True) -> None:
        self.config = config
        self.transport = transport
        self.storage: "Storage" = storage if storage is not None else MemoryStorage()
        # a sign-in in progress must survive the trip to Looker and back, whatever keeps the tokens
        self.pending_storage = pending_storage if pending_storage is not None else self.storage
        self.navigator = navigator
        self.siblings: "Siblings" = siblings if siblings is not None else Neighbourhood().context()
        self.share = share
        self.clock = clock
        self.sleep: "Callable[[float], Awaitable[Any]]" = sleep or asyncio.sleep
        if random_bytes is None:  # MicroPython has no os.urandom: browser.connect passes the browser's CSPRNG
            raise ConfigError("Client needs random_bytes (a CSPRNG) on this interpreter")
        self.random_bytes = random_bytes
        self.timeout = timeout
        self.max_retries = max_retries
        # the page's first calls: remembered, and taken from the loader when it sent them already
        self.head_start = head_start
        self.identity = session.identity(config)
        self.stats = {"refreshes": 0, "adopted": 0, "joined": 0}
        self.on_change: "list[Callable[[bool], Any]]" = []  # callables(signed_in: bool), told when a sibling changes the session
        self.may_sign_in_again = sign_in_again  # leave for Looker's sign-in by itself when no holder is left
        self.on_sign_in_again: "list[Callable[[], Any]]" = []  # callables(), told just before the page leaves for it
        self.leaving = False  # the page is leaving to sign in again by itself
        self.signed_in_again = False  # this page load completed a sign-in the page started by itself
        self.machine = protocol.Machine(share, share_refresh)
        self._refreshing: "asyncio.Event | None" = None  # an asyncio.Event while this context renews its token
        self._waits: "dict[str, asyncio.Event]" = {}  # an ask or a spent digest -> the asyncio.Event its answer sets
        self._verifying = False
        self._leaving_task: "asyncio.Task[None] | None" = None
        self._release_holder: "Callable[[], None] | None" = None
        self.siblings.join_channel(session.channel_name(self.identity))
        self.siblings.listen(self._on_message)
        self._set_tokens(self._load_tokens())

    # --- session state -------------------------------------------------
    @property
    def signed_in(self) -> bool:
        return self.machine.tokens is not None

    @property
    def tokens(self) -> "oauth.Tokens | None":
        return self.machine.tokens

    @property
    def refresh_count(self) -> int:
        """How many refreshes this context performed (adopted ones excluded)."""
        return self.stats["refreshes"]

    def _key(self, name: str) -> str:
        return session.storage_key(self.identity, name)

    def _load_tokens(self) -> "oauth.Tokens | None":
        text = self.storage.get(self._key("tokens"))
        if not text:
            return None
        try:
            return oauth.Tokens.from_json(text)
        except ValueError:
            self.storage.remove(self._key("tokens"))
            return None

    def _set_tokens(self, tokens: "oauth.Tokens | None") -> None:
        """The one place the session changes: the machine, storage, the first calls and the holder lock."""
        self.machine.become(tokens)
        self._keep(tokens)

    def _keep(self, tokens: "oauth.Tokens | None") -> None:
        """Storage and the holder lock, after the machine took `tokens`."""
        if tokens is None:
            self.storage.remove(self._key("tokens"))
            if self.head_start is not None:
                self.head_start.forget()
        else:
            self.storage.set(self._key("tokens"), tokens.to_json())
        holder = self.share and self.machine.state == protocol.HOLDER
        if holder and self._release_holder is None:
            self._release_holder = self.siblings.hold(session.lock_name(self.identity, "holder"))
        elif not holder and self._release_holder is not None:
            self._release_holder()
            self._release_holder = None

    def forget(self) -> None:
        """Drop the session in this context without telling Looker (see sign_out)."""
        self._set_tokens(None)

    def needs_refresh(self) -> bool:
        return self.tokens is not None and self.tokens.needs_refresh(self.clock())

    # --- sign-in -------------------------------------------------------
    def sign_in_url(self, return_path: str = "/", automatic: bool = False) -> str:
        """The /auth URL for a fresh sign-in; remembers its state and verifier in storage."""
        url, pending = oauth.begin_sign_in(self.config, self.random_bytes, self.clock(), return_path, automatic)
        self.pending_storage.set(self._key("pending"), pending.to_json())
        return url

    def sign_in(self, return_path: "str | None" = None, automatic: bool = False) -> None:
        """Leave for Looker's sign-in page (the browser comes back to the redirect URI)."""
        if self.navigator is None:
            raise ConfigError("sign_in() needs a navigator; use sign_in_url() outside a browser")
        if return_path is None:
            return_path = self.navigator.current_path()
        self.navigator.assign(self.sign_in_url(return_path, automatic))

    async def complete_sign_in(self, url: str) -> str:
        """Finish the sign-in from the redirect URL; returns the path to go back to.

        The pending state (and its verifier) leaves storage first, so whatever happens
        it cannot be replayed.
        """
        self.leaving = False  # back from Looker, whatever it answered
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
                self.navigator.replace(pending.return_path if denied and pending else oauth.clean_url(url))
        assert pending is not None  # read_callback refuses an answer without a sign-in in progress
        response = await self._send(oauth.exchange_request(self.config, code, pending))
        tokens = oauth.parse_token_response(response, self.clock())
        self.machine.signed_out_heard = False  # a new session: nothing heard of it yet
        self._set_tokens(tokens)
        self.signed_in_again = pending.automatic
        return pending.return_path

    async def handle_redirect(self) -> bool:
        """If the page was loaded as the redirect URI, finish sign-in. Returns True if it did."""
        if self.navigator is None:
            raise ConfigError("handle_redirect() needs a navigator; use complete_sign_in(url) outside a browser")
        url = self.navigator.current_url()
        if not oauth.is_callback(url):
            return False
        path = await self.complete_sign_in(url)
        if path and path != self.navigator.current_path():
            self.navigator.replace(path)
        return True

    async def join(self, timeout: float = session.JOIN_TIMEOUT) -> bool:
        """Borrow a sibling's live session when this context has none. True if it joined."""
        if self.signed_in or not self.share:
            return self.signed_in
        return await self._ask(timeout) is None

    async def _ask(self, timeout: float) -> "str | None":
        """JOIN, and wait at most `timeout` s for a holder's TOKENS: None once they came, else why not
        (sign_in_again.NO_HOLDER at once when no context holds the session, UNANSWERED after `timeout`)."""
        if not await self.siblings.held(session.lock_name(self.identity, "holder")):
            return sign_in_again.NO_HOLDER
        ask = hex_digest(self.random_bytes(16))
        event = self._waits[ask] = asyncio.Event()
        self.siblings.post(self.machine.ask(ask))
        answered = await _wait(event, timeout)
        self._waits.pop(ask, None)
        if answered:
            return None
        self.machine.give_up(ask)
        return sign_in_again.UNANSWERED

    async def sign_out(self) -> "str | None":
        """Revoke the tokens at Looker and forget them here and in the siblings that hear of it
        (protocol, rule 2). Never raises: when Looker cannot be told (unreachable, or /api/logout
        refused, as by CORS on some instances) the session is still forgotten here, and the
        answer is a sentence saying that Looker keeps the token valid until it expires; None
        when Looker revoked it."""
        tokens = self.tokens
        self.leaving = False  # the person's sign-out stays one: a pending automatic sign-in is called off
        text = self.machine.sign_out()
        self._keep(None)
        try:
            return await self._revoke(tokens)
        finally:  # after Looker's answer: a sibling that checks with Looker then finds the token refused
            if text is not None:
                self.siblings.post(text)

    async def _revoke(self, tokens: "oauth.Tokens | None") -> "str | None":
        if tokens is None:
            return None
        try:
            response = await self._send(oauth.logout_request(self.config, tokens))
        except LookerError as exc:
            return self._not_revoked(tokens, "it could not be reached: " + type(exc).__name__)
        if response.status < 300 or response.status == 401:  # revoked now, or already refused
            return None
        return self._not_revoked(tokens, "/api/logout answered " + str(response.status))

    def _not_revoked(self, tokens: oauth.Tokens, why: str) -> str:
        minutes = max(1, int((tokens.expires_at - self.clock()) / 60 + 0.999))
        return ("Signed out here, but Looker was not told (" + why + "), so it keeps this session's access"
                " token valid until it expires, in about " + str(minutes) + " minute" + ("s" if minutes > 1 else "")
                + ". Close the other tabs of this page that use it, or sign out of Looker itself.")

    # --- tokens --------------------------------------------------------
    async def access_token(self) -> str:
        """A token good for at least the refresh margin, renewing once if needed."""
        for _ in range(3):  # an adopted token may itself be due: follow it, boundedly
            if self.tokens is None:
                raise SignedOut(sign_in_again.MESSAGE if self.leaving else "Not signed in to Looker. Sign in first.")
            if not self.needs_refresh():
                break
            await self._refresh(self.tokens.access_token)
        if self.tokens is None:  # the session ended during the last renewal (a sibling's sign-out, a 401)
            raise SignedOut("The Looker session ended. Sign in again.")
        return self.tokens.access_token

    async def _refresh(self, stale_token: str, refused: bool = False) -> None:
        """Replace `stale_token` (`refused`: Looker answered it with a 401); every caller in every sibling
        shares one renewal."""
        while self._refreshing is not None:
            await self._refreshing.wait()
        if self.tokens is None:
            raise SignedOut("The Looker session ended. Sign in again.")
        if self.tokens.access_token != stale_token:
            return  # renewed (or adopted) while we waited
        self._refreshing = asyncio.Event()
        try:
            if self.machine.state == protocol.BORROWER:
                await self._borrow(stale_token, refused)
                return
            try:
                await self.siblings.exclusive(session.lock_name(self.identity, "refresh"),
                                              lambda: self._refresh_locked(stale_token), session.LOCK_TIMEOUT)
            except LockTimeout:
                raise SessionBusy("Another tab or window of this site held this Looker session's renewal lock for"
                                  " %d s, so this page could not renew its session. Retry, or sign in again."
                                  % session.LOCK_TIMEOUT)
        finally:
            event, self._refreshing = self._refreshing, None
            event.set()

    async def _borrow(self, stale_token: str, refused: bool) -> None:
        """A BORROWER's renewal: this tab's storage, or a holder's TOKENS, or sign in again."""
        stored = self._load_tokens()
        if stored is not None and stored.access_token != stale_token and not stored.needs_refresh(self.clock()):
            self._set_tokens(stored)  # another interpreter of this tab renewed it
            return
        missing = await self._ask(session.HANDOVER_TIMEOUT)
        if missing is None:
            return
        why = sign_in_again.cause(self.machine.signed_out_heard, refused, missing == sign_in_again.UNANSWERED)
        self.forget()
        if self._leave_to_sign_in(why):
            raise SignedOut(sign_in_again.MESSAGE)
        self._tell(False)
        raise SignedOut(ENDED[why])

    def _leave_to_sign_in(self, why: str) -> bool:
        """Start signing in again by itself when sign_in_again.leaves says so: keep the marker, tell the
        page (it keeps its unsaved work and says where it is going), leave after NOTICE seconds."""
        key, now = self._key("signed in again"), self.clock()
        allowed = self.may_sign_in_again and self.navigator is not None
        if not sign_in_again.leaves(why, allowed, self.pending_storage.get(key), now):
            return False
        self.pending_storage.set(key, sign_in_again.marker(now))
        self.leaving = True
        self._leaving_task = asyncio.create_task(self._leave())  # kept: a task nothing refers to may be collected
        for callback in self.on_sign_in_again:  # before the page leaves (NOTICE), whatever they do
            callback()
        return True

    async def _leave(self) -> None:
        await self.sleep(sign_in_again.NOTICE)
        if self.leaving and not self.signed_in:  # not called off by a sign-out, nor signed in meanwhile
            self.sign_in(automatic=True)  # back to the page's address as it is now

    async def _refresh_locked(self, stale_token: str) -> None:
        """Under the origin-wide refresh lock: this tab's newer set, a sibling's rotation, or rotate."""
        tokens = self.tokens
        if tokens is None:
            raise SignedOut("The Looker session ended. Sign in again.")
        stored = self._load_tokens()
        if self.machine.newer_in_storage(stored):
            self._set_tokens(stored)
            return
        if tokens.access_token != stale_token:
            return  # a sibling's rotation arrived while we waited for the lock
        assert tokens.refresh_token  # a HOLDER's set (a BORROWER renews in _borrow)
        spent = session.digest(tokens.refresh_token)
        if await self.siblings.held(self._spent_lock(spent)):
            await self._successor(spent)
            return
        self.stats["refreshes"] += 1
        response = await self._send(oauth.refresh_request(self.config, tokens))
        try:
            fresh = oauth.parse_token_response(response, self.clock(), tokens)
        except InvalidGrant:
            self.forget()
            raise SignedOut("The Looker session expired and could not be renewed. Sign in again.")
        self._apply(self.machine.rotated(tokens.refresh_token, fresh))
        self._keep(fresh)

    def _spent_lock(self, spent: str) -> str:
        return session.lock_name(self.identity, "spent " + spent)

    async def _successor(self, spent: str) -> None:
        """Wait for the proved successor of this context's spent refresh token (protocol, rule 1)."""
        event = self._waits[spent] = asyncio.Event()
        self.siblings.post(self.machine.await_successor(spent))
        answered = await _wait(event, session.HANDOVER_TIMEOUT)
        self._waits.pop(spent, None)
        if not answered:
            self.machine.give_up(spent)
            self.forget()
            raise SignedOut("Another tab or interpreter renewed this Looker session but did not hand it over."
                            " Sign in again.")

    # --- siblings' messages: what the machine decides, done --------------
    def _on_message(self, text: str) -> None:
        self._apply(self.machine.receive(text))

    def _apply(self, actions: "list[protocol.Action]") -> None:
        for action, argument in actions:
            DO[action](self, argument)

    def _do_post(self, text: str) -> None:
        self.siblings.post(text)

    def _do_become(self, change: "tuple[oauth.Tokens | None, str]") -> None:
        tokens, reason = change
        self._keep(tokens)
        if reason == "adopted":
            self.stats["adopted"] += 1
        elif reason == "joined" and self._refreshing is None:
            self.stats["joined"] += 1
            self._tell(True)
        elif tokens is None:
            self._tell(False)

    def _do_wake(self, key: str) -> None:
        event = self._waits.pop(key, None)
        if event is not None:
            event.set()

    def _do_mark_spent(self, spent: str) -> None:
        self.siblings.hold(self._spent_lock(spent))  # never released: the token stays spent

    def _do_answer(self, ask: str) -> None:
        if self.needs_refresh():  # renew first, then answer
            asyncio.create_task(self._answer_later(ask))
        else:
            self._post_answer(ask)

    async def _answer_later(self, ask: str) -> None:
        try:
            await self.access_token()
        except LookerError:
            return
        self._post_answer(ask)

    def _post_answer(self, ask: str) -> None:
        text = self.machine.answer(ask)  # None when this context stopped holding the session meanwhile
        if text is not None:
            self.siblings.post(text)

    def _do_verify(self, _: None) -> None:
        if not self._verifying:
            self._verifying = True
            asyncio.create_task(self._verify())

    async def _verify(self) -> None:
        """An unproved SIGNED_OUT: the session ends here only if Looker refuses its token."""
        try:
            token = await self.access_token()
            response = await self._send(Request("GET", self.url("user", {"fields": "id"}),
                                                {"Accept": "application/json", "Authorization": "Bearer " + token}))
            if response.status == 401:
                self.forget()
                self._tell(False)
        except SignedOut:
            self._tell(False)
        except LookerError:
            pass  # Looker unreachable: nothing learned, the session stays
        finally:
            self._verifying = False

    def _tell(self, signed_in: bool) -> None:
        for callback in self.on_change:
            callback(signed_in)

    # --- API calls -----------------------------------------------------
    def expect_first_calls(self, count: int) -> None:
        """The page's next `count` calls belong to its start-up (a dashboard's tiles, once it has read them): on
        the next signed-in load the lean loader sends them too, before Python runs (session.py, "First calls")."""
        if self.head_start is not None:
            self.head_start.expect(count)

    def url(self, path: str, params: "dict[str, Any] | None" = None) -> str:
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

    async def request(self, method: str, path: str, params: "dict[str, Any] | None" = None, json_body: "Any" = None,
                      body: "str | bytes | None" = None, headers: "dict[str, str] | None" = None,
                      timeout: "float | None" = None, raw: bool = False, keep: "str | None" = None,
                      ordered: bool = False, signal: "Any" = None, on_progress: "Any" = None) -> "Any":
        """Call the API; returns parsed JSON, text or bytes by content type.

        With raw=True the Response itself comes back, error statuses included (401s and
        retries are still handled), for adapters that decode answers their own way.
        With keep="js-json" or "js-blob" (browser only) a successful answer stays a
        JavaScript value (parsed JSON, or a Blob): big results skip the Python heap.
        With ordered=True JSON objects keep the order of Looker's keys (looker_pkce.ordered), also
        on MicroPython, whose dict does not: for answers shown to people as they came.
        `signal` (a JavaScript AbortSignal) cancels the call: Cancelled, never retried; with
        keep="js-blob", `on_progress(received, total)` hears the body arrive (total: None when unsaid).
        """
        method = method.upper()
        all_headers = {"Accept": "application/json"}
        if json_body is not None:
            body = json.dumps(json_body)
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        url = self.url(path, params)
        early = self._early(method, url, body, not headers and (body is None or json_body is not None), keep)
        attempt = 0
        retried_401 = False
        while True:
            token = await self.access_token()
            all_headers["Authorization"] = "Bearer " + token
            response = (await early) if early is not None else None
            early = None
            if response is None:
                try:
                    response = await self._send(Request(method, url, all_headers, body, keep, signal, on_progress), timeout)
                except NetworkError as exc:  # no answer: retried like a 503, unless it will not change
                    delay = None if isinstance(exc, (CorsError, Timeout)) else self._backoff(
                        method, path, session.NO_ANSWER, None, attempt)
                    if delay is None:
                        raise
                    attempt += 1
                    await self.sleep(delay)
                    continue
            if response.status == 401:
                if retried_401:
                    self.forget()
                    raise SignedOut(ENDED[sign_in_again.REFUSED])
                retried_401 = True
                await self._refresh(token, refused=True)
                continue
            delay = self._backoff(method, path, response.status, response.headers.get("retry-after"),
                                  attempt) if response.status >= 429 else None
            if delay is not None:
                attempt += 1
                await self.sleep(delay)
                continue
            if raw:
                return response
            if response.status >= 400:
                raise api_error(response, method, path)
            return response.body if keep else response.decoded(ordered)

    def _early(self, method: str, url: str, body: "str | bytes | None", plain: bool, keep: "str | None") -> "Any":
        """The lean loader's answer to this call when it sent it before Python ran (the page's first calls,
        remembered with a session), else None. `plain`: the call carries only the loader's own headers."""
        if self.head_start is None or not self.signed_in:
            return None
        base = self.url("")
        call = session.first_call(method, url[len(base):], body) if plain and url.startswith(base) else None
        return self.head_start.take(call, keep)

    def _backoff(self, method: str, path: str, status: int, retry_after: "str | None", attempt: int) -> "float | None":
        """Seconds to wait before sending again (session.retry_delay, with this client's jitter), or None: give up."""
        return session.retry_delay(method, path, status, retry_after, attempt, self.random_bytes(1)[0] / 256,
                                   self.max_retries)

    async def _send(self, request: Request, timeout: "float | None" = None) -> "Response":
        return await self.transport(request, timeout or self.timeout)

    async def get(self, path: str, params: "dict[str, Any] | None" = None, **options: "Any") -> "Any":
        return await self.request("GET", path, params, **options)

    async def post(self, path: str, json: "Any" = None, params: "dict[str, Any] | None" = None,
                   **options: "Any") -> "Any":
        return await self.request("POST", path, params, json_body=json, **options)

    async def put(self, path: str, json: "Any" = None, params: "dict[str, Any] | None" = None,
                  **options: "Any") -> "Any":
        return await self.request("PUT", path, params, json_body=json, **options)

    async def patch(self, path: str, json: "Any" = None, params: "dict[str, Any] | None" = None,
                    **options: "Any") -> "Any":
        return await self.request("PATCH", path, params, json_body=json, **options)

    async def delete(self, path: str, params: "dict[str, Any] | None" = None, **options: "Any") -> "Any":
        return await self.request("DELETE", path, params, **options)

    async def me(self) -> "Any":
        """The signed-in user (GET /user)."""
        return await self.get("user")


# What a context whose session ended here says, by sign_in_again's cause (when it does not sign in again by itself).
ENDED = {
    sign_in_again.SIGNED_OUT: "This Looker session was signed out in another tab of this page. Sign in again.",
    sign_in_again.REFUSED: "Looker no longer accepts this session (401). Sign in again.",
    sign_in_again.UNANSWERED: ("Another tab of this page holds this Looker session but did not hand over a fresh"
                               " token within %d s. Retry, or sign in again." % session.HANDOVER_TIMEOUT),
    sign_in_again.NO_HOLDER: ("No other tab of this page holds this Looker session any more, so it cannot be"
                              " renewed here. Sign in again."),
}

# What the driver does for each of the machine's actions (protocol.py).
DO: "dict[str, Callable[[Client, Any], None]]" = {
    protocol.POST: Client._do_post,
    protocol.BECOME: Client._do_become,
    protocol.WAKE: Client._do_wake,
    protocol.MARK_SPENT: Client._do_mark_spent,
    protocol.ANSWER: Client._do_answer,
    protocol.VERIFY: Client._do_verify,
}

