# Pyodide, started on demand (py/app/pyodide_runner.py) by the API console, to call the official
# looker_sdk, and by the scratchpad, to run code on CPython. It signs nothing in: it shares the
# app's session (same client id, same sessionStorage), and exposes window.lookerSdk with
#   run(method, kwargs_json) -> Promise of {"type", "value"} as JSON text
#   exec(code) -> Promise of {"error", "shown"} as JSON text (app/user_code.py)
#   stop() -> what the run in progress showed so far, as JSON text; cancels it at its next await
import asyncio
import json

import js

from app import user_code
from app.config import load_config
from looker_pkce.browser import create_client
from looker_pkce.browser.bridge import create_proxy
from looker_pkce.browser.components import run_query
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

    running = []  # the scratchpad run in progress, if any: [(its task, its show)]

    async def execute(code):
        """Run scratchpad code with `looker`, `sdk`, `show` and `run_query`, in a task stop() cancels.
        One run at a time: one still going (its scratchpad was left) is stopped first."""
        stop()
        show = user_code.Shown(to_json=model_json)
        task = asyncio.ensure_future(user_code.run(code, {"looker": client, "sdk": sdk, "show": show,
                                                          "run_query": run_query}))
        running.append((task, show))
        try:
            error = await task
        except asyncio.CancelledError:  # stop(): the scratchpad has drawn what it showed by then
            error = None
        finally:
            if running and running[0][0] is task:
                running.clear()
        return json.dumps({"error": error, "shown": show.items})

    def stop():
        """Cancel the run in progress at its next await; what it showed so far, as JSON text."""
        if not running:
            return "[]"
        task, show = running.pop()
        task.cancel()
        return json.dumps(show.items)

    js.window.lookerSdk = js.Object.fromEntries(js.Array.of(js.Array.of("run", create_proxy(run)),
                                                            js.Array.of("exec", create_proxy(execute)),
                                                            js.Array.of("stop", create_proxy(stop))))


await start()
