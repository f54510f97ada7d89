"""The official looker_sdk 4.0, awaitable, on a signed-in Client (Pyodide only, like the rest of
this package: `sync` for synchronous code, `wheels` for the pinned wheels fetched on first use).

Every Looker40SDK method builds its request through self.get/post/put/patch/delete
and returns what they return; here those return coroutines, so all of them
become awaitable with the official models: `me = await sdk.me()`.
"""

from ..driver.client import Client
from . import wheels


async def official_sdk(client: "Client", vendor_url: str = "./static/vendor/"):
    """An awaitable Looker40SDK bound to `client` (installs the SDK's wheels on first use)."""
    await wheels.install(wheels.SDK_WHEELS, vendor_url)
    return _async_sdk_class()(client)


def _async_sdk_class():
    from looker_sdk.rtl import serialize, transport
    from looker_sdk.sdk.api40.methods import Looker40SDK

    class AsyncLooker40SDK(Looker40SDK):
        def __init__(self, client):  # no AuthSession, no transport: the Client is both
            self.client = client
            self.api_path = client.config.api_url + "/api/4.0/"
            self.deserialize = serialize.deserialize40
            self.serialize = serialize.serialize40
            self.auth = None
            self.transport = None

        async def _call(self, method, path, structure, query_params=None, body=None, transport_options=None):
            payload = self._get_serialized(body) if body is not None else None
            headers = {"Content-Type": "application/json"} if payload is not None else None
            response = await self.client.request(
                method, path.lstrip("/"), self._convert_query_params(query_params or {}),
                body=payload.decode() if payload is not None else None, headers=headers, raw=True)
            answer = transport.Response(ok=response.status < 400, value=response.content(),
                                        response_mode=transport.response_mode(response.content_type),
                                        encoding="utf-8")
            return self._return(answer, structure)  # the official decoding and SDKError

        def get(self, path, structure, query_params=None, transport_options=None):
            return self._call("GET", path, structure, query_params)

        def delete(self, path, structure, query_params=None, transport_options=None):
            return self._call("DELETE", path, structure, query_params)

        def post(self, path, structure, query_params=None, body=None, transport_options=None):
            return self._call("POST", path, structure, query_params, body)

        def put(self, path, structure, query_params=None, body=None, transport_options=None):
            return self._call("PUT", path, structure, query_params, body)

        def patch(self, path, structure, query_params=None, body=None, transport_options=None):
            return self._call("PATCH", path, structure, query_params, body)

    return AsyncLooker40SDK
