"""Browser adapters: fetch, Web Storage, the address bar, Web Locks and BroadcastChannel,
for Pyodide and MicroPython.

Only this module imports `js`; the rest of the package never touches the browser.
"""

import json

import js

from ..core import session
from ..core.compat import origin_of
from ..core.errors import ConfigError, CorsError, Framed, NetworkError, Timeout
from ..core.messages import Request, Response
from ..core.oauth import Config
from ..core.session import RETRY_STATUSES
from ..driver.client import Client, MemoryStorage
from ..driver.siblings import LockTimeout, Neighbourhood
from .bridge import bytes_of, create_proxy, random_bytes


async def _reachable(url):
    """True when something answers at `url`, CORS or not (an opaque no-cors fetch)."""
    try:
        await js.fetch(url, js.JSON.parse(json.dumps({"mode": "no-cors", "cache": "no-store"})))
        return True
    except Exception:
        return False


def _fetch_init(request: Request) -> dict:
    """fetch()'s options for a Request.

    No `cache` mode, as with the official SDK: any mode but the default makes Chromium skip its
    CORS preflight cache, so every call would wait for an OPTIONS round trip of its own. Whether
    an answer may be stored is the server's to say (token answers carry `Cache-Control: no-store`).
    """
    init = {"method": request.method, "headers": request.headers, "credentials": "omit"}
    if request.body is not None:
        init["body"] = request.body
    return init


async def fetch_transport(request: Request, timeout: float) -> Response:
    """Send a Request with the browser's fetch; text bodies stay text, others bytes."""
    options = js.JSON.parse(json.dumps(_fetch_init(request)))
    options.signal = js.AbortSignal.timeout(int(timeout * 1000))
    try:
        answer = await js.fetch(request.url, options)
    except Exception as exc:
        if "TimeoutError" in str(exc) or "timed out" in str(exc):
            raise Timeout("Looker did not answer %s within %d s." % (request.url.split("?")[0], timeout))
        origin = str(js.location.origin)
        if await _reachable(request.url):
            raise CorsError(origin, origin_of(request.url))
        raise NetworkError(
            "Could not reach Looker at " + origin_of(request.url) + ". Check the API URL and your network."
        )
    return await _response(answer, request.keep)


async def _response(answer, keep) -> Response:
    """A fetch() answer as a Response; with `keep`, a successful body stays a JS value."""
    status = int(answer.status)
    headers = {}  # only what the client reads: each header costs a trip across the JS boundary
    for name in ("content-type", "retry-after") if status in RETRY_STATUSES else ("content-type",):
        value = answer.headers.get(name)
        if _defined(value):
            headers[name] = str(value)
    kind = headers.get("content-type", "")
    if keep == "js-json" and 200 <= status < 300:
        body = await answer.json()
    elif keep == "js-blob" and 200 <= status < 300:
        body = await answer.blob()
    elif "json" in kind or kind.startswith("text/") or not kind:
        body = await answer.text()
    else:
        body = bytes_of(await answer.arrayBuffer())
    return Response(status, headers, body)


class HeadStart:
    """The page's first calls (session.FirstCalls) in this tab's sessionStorage, and the answers the
    lean loader already has for them (window.lookerPkceFirstCalls: promises aligned with the record)."""

    def __init__(self, ident: str):
        self.key = session.first_calls_key(ident)
        self.storage = WebStorage(js.sessionStorage)
        self.record = session.FirstCalls(self.storage.get(self.key), str(js.location.pathname) + str(js.location.hash))
        loader = getattr(js.window, "lookerPkceFirstCalls", None)
        sent = js.Reflect.get(loader, self.key) if _defined(loader) else None
        self.sent = sent if _defined(sent) else None
        legacy = session.storage_key(ident, "first calls ")  # the per-page records of earlier versions
        for index in reversed(range(int(js.sessionStorage.length))):
            name = str(js.sessionStorage.key(index))
            if name.startswith(legacy):
                self.storage.remove(name)

    def take(self, call, keep=None):
        """Remember `call` (a session.first_call record, or None); the loader's answer to it, once, or None."""
        if self.record.done():
            return None  # nothing left to remember or to take: the usual path, at no cost
        recording = self.record.recording
        index = self.record.take(call)
        if recording:
            self._store()
        if index is None or self.sent is None or index >= int(self.sent.length):
            return None
        return self._taken(self.sent[index], keep)

    def forget(self):
        """The session ended: no call is remembered any more, and none of the loader's answers is taken."""
        self.record = session.FirstCalls(None, self.record.page)
        self.sent = None
        self.storage.remove(self.key)

    def _store(self):
        text = self.record.stored()
        if text is None:
            self.storage.remove(self.key)
        else:
            self.storage.set(self.key, text)

    async def _taken(self, sent, keep):
        answer = await sent
        return await _response(answer, keep) if _defined(answer) else None


class WebStorage:
    """sessionStorage (per tab: survives reload, gone when the tab closes) or localStorage."""

    def __init__(self, area):
        self._area = area

    def get(self, key):
        value = self._area.getItem(key)
        return str(value) if _defined(value) else None

    def set(self, key, value):
        self._area.setItem(key, value)

    def remove(self, key):
        self._area.removeItem(key)


class Navigator:
    """The address bar: where we are, leaving, and rewriting without a history entry."""

    def current_url(self):
        return str(js.location.href)

    def current_path(self):
        return str(js.location.pathname) + str(js.location.search) + str(js.location.hash)

    def assign(self, url):
        js.location.assign(url)

    def replace(self, url):
        js.history.replaceState(js.history.state, "", url)


def _defined(value):
    """False for None, JavaScript's undefined and null (and ""), however the interpreter hands them over."""
    return value is not None and bool(js.Boolean(value))


def _promise():
    """A JavaScript Promise and the function that resolves it."""
    box = []
    promise = js.Promise.new(create_proxy(lambda resolve, reject: box.append(resolve)))
    return promise, box[0]


def _options(**values):
    return js.JSON.parse(json.dumps(values))


class WebSiblings:
    """The other contexts of this origin (tabs, interpreters): Web Locks and a BroadcastChannel."""

    def __init__(self):
        self._channel = None
        self._listeners = []
        self.available = True

    @staticmethod
    def supported():
        return _defined(getattr(js.navigator, "locks", None)) and _defined(getattr(js, "BroadcastChannel", None))

    def join_channel(self, name):
        self._channel = js.BroadcastChannel.new(name)
        self._channel.onmessage = create_proxy(self._deliver)

    async def exclusive(self, name, critical, timeout):
        granted, grant = _promise()
        finished, finish = _promise()

        def on_grant(lock):
            grant(True)
            return finished  # the lock is held until this settles

        options = _options(mode="exclusive")
        options.signal = js.AbortSignal.timeout(int(timeout * 1000))  # ignored once granted
        held = js.navigator.locks.request(name, options, create_proxy(on_grant))
        held.catch(create_proxy(lambda reason: grant(False)))  # not granted in time
        if not await granted:
            raise LockTimeout(name)
        try:
            return await critical()
        finally:
            finish(True)
            await held

    def hold(self, name):
        forever, release = _promise()
        js.navigator.locks.request(name, _options(mode="shared"), create_proxy(lambda lock: forever))
        return lambda: release(True)

    async def held(self, name):
        snapshot = await js.navigator.locks.query()
        return any(str(snapshot.held[index].name) == name for index in range(int(snapshot.held.length)))

    def post(self, text):
        self._channel.postMessage(text)

    def listen(self, callback):
        self._listeners.append(callback)

    def _deliver(self, event):
        text = str(event.data)
        for callback in self._listeners:
            callback(text)


def framed_by_another_origin() -> bool:
    """True inside a frame of another origin: the page guard knows (assets/guard.js); without
    it, the frame's ancestors as the browser lists them (Python cannot touch the other window)."""
    guard = getattr(js.window, "lookerPkceGuard", None)
    if _defined(guard):
        return bool(guard.framedByAnotherOrigin)
    ancestors = getattr(js.location, "ancestorOrigins", None)
    if not _defined(ancestors):
        return False
    own = str(js.location.origin)
    return any(str(ancestors.item(i)) != own for i in range(int(ancestors.length)))


def add_python(src: str, interpreter: str = "py", config: "str | None" = None):
    """Add a <script type="py|mpy"> to the page after start-up: the one way the page guard
    (assets/guard.js) lets Python added later run. On a lean-loader page (assets/boot.js, whose
    config names PyScript's core.js as [looker_pkce] pyscript) this starts PyScript too. Returns the element."""
    guard = getattr(js.window, "lookerPkceGuard", None)
    guard = guard if _defined(guard) else None
    script = js.document.createElement("script")
    script.type = interpreter
    script.setAttribute("src", guard.scriptURL(src) if guard is not None else src)  # a Trusted Types sink
    if config:
        script.setAttribute("config", config)
    if guard is not None:
        guard.allow(script)
    js.document.body.append(script)
    start = getattr(js.window, "lookerPkceStartPyScript", None)
    if _defined(start):  # a lean-loader page: PyScript starts now, and runs the script just added
        start()
    return script


STORAGES = {
    "session": lambda: WebStorage(js.sessionStorage),
    "memory": MemoryStorage,
    "local": lambda: WebStorage(js.localStorage),  # only when asked for: survives the tab
}


MISSING_API_URL = ("api_url is required: Looker's API Host URL (Admin › API), e.g. https://you.looker.com:19999 or"
                   " https://you.looker.com. Pass connect(api_url=..., ui_url=..., client_id=...) as looker.json"
                   " names them; `looker-pkce new`, `register` or `build` write looker.json with both URLs. A page no"
                   " longer asks Looker's UI host for it (nothing says a UI host answers CORS).")


async def create_client(ui_url: str, client_id: str, api_url: "str | None" = None,
                        redirect_uri: "str | None" = None, storage: str = "session", share: bool = True,
                        **options) -> Client:
    """A Client for this page (nothing signed in or completed yet).

    `api_url` is required: Looker's "API Host URL" (Admin › API), looker.json's api_url; the page
    asks no host for it (no source says a UI host answers CORS: docs/REAL_LOOKER.md#ui-host-cors).
    `looker-pkce new`, `register` and `build` write looker.json with both URLs.
    `redirect_uri` defaults to this page's URL without query or fragment.
    `share=False` keeps the session in this tab (other tabs neither join it nor sign it out);
    `share_refresh=True` hands the refresh token to tabs that join: only for a page that has its
    origin to itself (README, Security).
    Without Web Locks (an insecure context or an old browser) contexts cannot coordinate
    refreshes, so the session stays in this context's memory and each tab signs in on its own.
    """
    if storage not in STORAGES:
        raise ConfigError("storage must be one of " + ", ".join(STORAGES) + ", got " + repr(storage))
    if framed_by_another_origin():
        raise Framed("This page is shown inside another site's frame, so it will not sign in to Looker or show"
                     " data here. Open " + str(js.location.origin) + str(js.location.pathname) + " in its own tab.")
    if not api_url:
        raise ConfigError(MISSING_API_URL)
    if redirect_uri is None:
        redirect_uri = str(js.location.origin) + str(js.location.pathname)
    config = Config(ui_url, api_url, client_id, redirect_uri, options.pop("challenge_encoding", "padded"))
    if WebSiblings.supported():
        siblings, store = WebSiblings(), STORAGES[storage]()
    else:
        js.console.warn("looker_pkce: this browser context has no Web Locks (is the page served over https?);"
                        " the Looker session is kept in this context only and each tab signs in separately.")
        siblings, store, share = Neighbourhood().context(), MemoryStorage(), False
        siblings.available = False
    return Client(config, fetch_transport, store, Navigator(), siblings=siblings, share=share,
                  pending_storage=WebStorage(js.sessionStorage), head_start=HeadStart(session.identity(config)),
                  random_bytes=options.pop("random_bytes", random_bytes), **options)


async def connect(ui_url: str, client_id: str, **options) -> Client:
    """create_client(), then finish the sign-in if this page load is Looker's redirect back,
    or join a session another tab of this page already holds.

    A refused sign-in (state mismatch, access_denied, invalid grant) raises; use
    create_client() + handle_redirect() to keep the client for a new attempt.
    """
    client = await create_client(ui_url, client_id, **options)
    if not await client.handle_redirect():
        await client.join()
    return client
