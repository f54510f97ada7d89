"""The official looker_sdk 4.0, awaitable, on a signed-in Client (Pyodide only, like the rest of
this package: `sync` for synchronous code, `wheels` for the pinned wheels fetched on first use).

Every Looker40SDK method builds its request through self.get/post/put/patch/delete
and returns what they return; here those return coroutines, so all of them
become awaitable with the official models: `me = await sdk.me()`.
"""

from ..driver.client import Client
from . import wheels

TYPE_CHECKING = False  # True for mypy only: nothing imports typing at run time here
if TYPE_CHECKING:
    from collections.abc import Coroutine
    from typing import Any

    Call = Coroutine[Any, Any, Any]  # what every method of the awaitable SDK returns: await it for the model

# The subclass's get/post/put/patch/delete return coroutines where Looker40SDK's return models: that is the
# point of it, and why mypy is told (type: ignore[override]) that their signatures differ from the base's.


async def official_sdk(client: "Client", vendor_url: str = "./static/vendor/") -> "Any":
    """An awaitable Looker40SDK bound to `client` (installs the SDK's wheels on first use)."""
    await wheels.install(wheels.SDK_WHEELS, vendor_url)
    return _async_sdk_class()(client)


def _async_sdk_class() -> "type[Any]":
    from looker_sdk.rtl import serialize, transport
    from looker_sdk.sdk.api40.methods import Looker40SDK

    class AsyncLooker40SDK(Looker40SDK):
        def __init__(self, client: "Client") -> None:  # no AuthSession, no transport: the Client is both
            self.client = client
            self.api_path = client.config.api_url + "/api/4.0/"
            self.deserialize = serialize.deserialize40
            self.serialize = serialize.serialize40
            self.auth = None  # type: ignore[assignment]  # (the Client signs the calls)
            self.transport = None  # type: ignore[assignment]  # (the Client sends them)

        async def _call(self, method: str, path: str, structure: "Any", query_params: "Any" = None, body: "Any" = None,
                        transport_options: "Any" = None) -> "Any":
            # (the query parameters: a dict at run time, declared a MutableMapping by looker_sdk)
            payload = self._get_serialized(body) if body is not None else None
            headers = {"Content-Type": "application/json"} if payload is not None else None
            response = await self.client.request(
                method, path.lstrip("/"), self._convert_query_params(query_params or {}),  # type: ignore[arg-type]
                body=payload.decode() if payload is not None else None, headers=headers, raw=True)
            answer = transport.Response(ok=response.status < 400, value=response.content(),
                                        response_mode=transport.response_mode(response.content_type),
                                        encoding="utf-8")
            return self._return(answer, structure)  # the official decoding and SDKError

        def get(self, path: str, structure: "Any", query_params: "Any" = None,  # type: ignore[override]
                transport_options: "Any" = None) -> "Call":
            return self._call("GET", path, structure, query_params)

        def delete(self, path: str, structure: "Any", query_params: "Any" = None,  # type: ignore[override]
                   transport_options: "Any" = None) -> "Call":
            return self._call("DELETE", path, structure, query_params)

        def post(self, path: str, structure: "Any", query_params: "Any" = None,  # type: ignore[override]
                 body: "Any" = None, transport_options: "Any" = None) -> "Call":
            return self._call("POST", path, structure, query_params, body)

        def put(self, path: str, structure: "Any", query_params: "Any" = None,  # type: ignore[override]
                body: "Any" = None, transport_options: "Any" = None) -> "Call":
            return self._call("PUT", path, structure, query_params, body)

        def patch(self, path: str, structure: "Any", query_params: "Any" = None,  # type: ignore[override]
                  body: "Any" = None, transport_options: "Any" = None) -> "Call":
            return self._call("PATCH", path, structure, query_params, body)

    return AsyncLooker40SDK
