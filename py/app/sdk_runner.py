# Pyodide, started by the API console only when someone asks to run a call with the
# official looker_sdk. It signs nothing in: it shares the app's session (same client id,
# same sessionStorage), and exposes window.lookerSdk.run(method, kwargs_json) -> Promise.
import json

import js
from pyscript.ffi import create_proxy

from app.config import load_config
from looker_pkce.browser import create_client
from looker_pkce.sdk import official_sdk


async def start():
    config = await load_config()
    client = await create_client(config["ui_url"], config["client_id"], api_url=config.get("api_url") or None)
    sdk = await official_sdk(client)

    async def run(method, kwargs_json):
        """Call sdk.<method>(**kwargs); answer {"type", "value"} as JSON text (models serialized)."""
        result = await getattr(sdk, method)(**json.loads(kwargs_json))
        kind = type(result).__name__
        if isinstance(result, (str, bytes)):
            value = result if isinstance(result, str) else "<" + str(len(result)) + " bytes>"
        else:
            value = json.loads(sdk.serialize(api_model=result)) if result is not None else None
        return json.dumps({"type": kind, "value": value})

    js.window.lookerSdk = js.Object.fromEntries(js.Array.of(js.Array.of("run", create_proxy(run))))


await start()
