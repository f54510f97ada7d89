# Pyodide, started on demand (py/app/pyodide_runner.py) by the API console, to call the official
# looker_sdk, and by the scratchpad, to run code on CPython. It signs nothing in: it shares the
# app's session (same client id, same sessionStorage), and exposes window.lookerSdk with
#   run(method, kwargs_json) -> Promise of {"type", "value"} as JSON text
#   exec(code) -> Promise of {"error", "shown"} as JSON text (app/user_code.py)
import json

import js

from app import user_code
from app.config import load_config
from looker_pkce.browser import create_client
from looker_pkce.compat import create_proxy
from looker_pkce.components import run_query
from looker_pkce.sdk import official_sdk


async def start():
    config = await load_config()
    client = await create_client(config["ui_url"], config["client_id"], api_url=config.get("api_url") or None)
    sdk = await official_sdk(client)

    def model_json(value):
        """looker_sdk models (and lists of them) as JSON text; None for anything else."""
        try:
            return sdk.serialize(api_model=value).decode()
        except Exception:
            return None

    async def run(method, kwargs_json):
        """Call sdk.<method>(**kwargs); answer {"type", "value"} as JSON text (models serialized)."""
        result = await getattr(sdk, method)(**json.loads(kwargs_json))
        kind = type(result).__name__
        if isinstance(result, (str, bytes)):
            value = result if isinstance(result, str) else "<" + str(len(result)) + " bytes>"
        else:
            value = json.loads(sdk.serialize(api_model=result)) if result is not None else None
        return json.dumps({"type": kind, "value": value})

    async def execute(code):
        """Run scratchpad code with `looker`, `sdk`, `show` and `run_query`."""
        show = user_code.Shown(to_json=model_json)
        error = await user_code.run(code, {"looker": client, "sdk": sdk, "show": show, "run_query": run_query})
        return json.dumps({"error": error, "shown": show.items})

    js.window.lookerSdk = js.Object.fromEntries(js.Array.of(js.Array.of("run", create_proxy(run)),
                                                            js.Array.of("exec", create_proxy(execute))))


await start()
