# The same benchmark through looker_pkce, on MicroPython (ours-mpy.html) or Pyodide (ours-py.html).
import js

js.window.__firstPython = js.performance.now()  # the first Python line

import asyncio  # noqa: E402
import json  # noqa: E402

from looker_pkce.browser import connect  # noqa: E402
from looker_pkce.browser.bridge import create_proxy  # noqa: E402

BENCH = js.BENCH
SMALL = json.loads(js.JSON.stringify(BENCH.small))
LARGE = json.loads(js.JSON.stringify(BENCH.large))


def put(name, value):
    js.Reflect.set(js.window.__results, name, json.dumps(value))


async def main():
    config = json.loads(await (await js.fetch("/looker.json", js.JSON.parse('{"cache":"no-store"}'))).text())
    # the session the app (index.html, same client id) signed in with, in this tab's sessionStorage
    client = await connect(config["ui_url"], config["client_id"], api_url=config["api_url"],
                           redirect_uri=str(js.location.origin) + "/")
    if not client.signed_in:
        js.window.__needsSignIn = True
        return

    async def run(body, keep="js-json"):
        return await client.request("POST", "queries/run/" + ("csv" if keep == "js-blob" else "json"),
                                    json_body=body, keep=keep)

    rows = await run(SMALL)
    js.LookerGrid.create(js.document.getElementById("small"), BENCH.columns.small, rows)
    js.window.__firstRows = js.performance.now()

    async def calls(args):
        t0 = js.performance.now()
        for _ in range(args["count"]):
            await client.get("user")
        return js.performance.now() - t0

    async def large(args):
        body = dict(LARGE, limit=str(args["limit"]))
        t0 = js.performance.now()
        result = await run(body)
        received = js.performance.now() - t0
        js.LookerGrid.create(js.document.getElementById("large"), BENCH.columns.large, result)
        await js.nextFrame()
        heap = js.performance.memory.usedJSHeapSize if hasattr(js.performance, "memory") else None
        return {"rows": int(result.length), "received": received, "painted": js.performance.now() - t0,
                "js_heap": heap, "wasm": js.wasmBytes()}

    async def csv(args):
        t0 = js.performance.now()
        blob = await run(dict(LARGE, limit=str(args["limit"])), "js-blob")
        return {"bytes": int(blob.size), "ms": js.performance.now() - t0}

    async def one():
        started = js.performance.now()
        await run(SMALL)
        return js.performance.now() - started

    async def sequential(args):
        each = []
        for _ in range(args["count"]):  # no await inside comprehensions: MicroPython lacks it
            each.append(await one())
        return each

    async def concurrent(args):
        t0 = js.performance.now()
        each = await asyncio.gather(*[one() for _ in range(args["count"])])
        return {"wall": js.performance.now() - t0, "slowest": max(each), "sum": sum(each)}

    benches = {"calls": calls, "large": large, "csv": csv, "sequential": sequential, "concurrent": concurrent}

    async def go(name, args):
        try:
            put(name, {"ok": await benches[name](args)})
        except Exception as exc:
            put(name, {"error": type(exc).__name__ + ": " + str(exc)})

    js.window.runBench = create_proxy(lambda name, args: asyncio.create_task(go(name, json.loads(args or "{}"))))


await main()  # noqa: F704
