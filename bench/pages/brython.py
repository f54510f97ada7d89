# The same benchmark in plain Brython: no library, the browser's fetch with the session's token.
from browser import aio, document, window

window.__firstPython = window.performance.now()  # the first Python line

BENCH = window.BENCH


def now():
    return window.performance.now()


def token():
    """The access token the app's sign-in left in this tab (key: "looker_pkce <ui> <api> <client id> tokens")."""
    storage = window.sessionStorage
    for i in range(storage.length):
        key = storage.key(i)
        if key.startswith("looker_pkce ") and key.endswith(" tokens"):
            return window.JSON.parse(storage.getItem(key)).access_token
    return None


def put(name, value):
    window.__results[name] = window.JSON.stringify(value)


async def main():
    config = await (await window.fetch("/looker.json", {"cache": "no-store"})).json()
    api = config.api_url + "/api/4.0/"

    def headers():
        return {"Authorization": "Bearer " + token(), "Content-Type": "application/json"}

    async def post(body, fmt="json"):
        return await window.fetch(api + "queries/run/" + fmt,
                                  {"method": "POST", "headers": headers(), "body": window.JSON.stringify(body)})

    async def run(body):
        return await (await post(body)).json()

    def sized(body, limit):
        return window.Object.assign(window.Object(), body, {"limit": str(limit)})

    rows = await run(BENCH.small)
    window.LookerGrid.create(document["small"], BENCH.columns.small, rows)
    window.__firstRows = now()

    async def calls(args):
        t0 = now()
        for _ in range(args.count):
            await (await window.fetch(api + "user", {"headers": headers()})).json()
        return now() - t0

    async def large(args):
        t0 = now()
        result = await run(sized(BENCH.large, args.limit))
        received = now() - t0
        window.LookerGrid.create(document["large"], BENCH.columns.large, result)
        await window.nextFrame()
        heap = window.performance.memory.usedJSHeapSize if hasattr(window.performance, "memory") else None
        return {"rows": len(result), "received": received, "painted": now() - t0, "js_heap": heap,
                "wasm": window.wasmBytes()}

    async def csv(args):
        t0 = now()
        blob = await (await post(sized(BENCH.large, args.limit), "csv")).blob()
        return {"bytes": blob.size, "ms": now() - t0}

    async def one():
        started = now()
        await run(BENCH.small)
        return now() - started

    async def sequential(args):
        return [await one() for _ in range(args.count)]

    async def concurrent(args):
        t0 = now()
        each, done = [], aio.Future()

        async def task():
            each.append(await one())
            if len(each) == args.count:
                done.set_result(None)

        for _ in range(args.count):
            aio.run(task())
        await done
        return {"wall": now() - t0, "slowest": max(each), "sum": sum(each)}

    benches = {"calls": calls, "large": large, "csv": csv, "sequential": sequential, "concurrent": concurrent}

    async def go(name, args):
        try:
            put(name, {"ok": await benches[name](window.JSON.parse(args or "{}"))})
        except Exception as exc:
            put(name, {"error": type(exc).__name__ + ": " + str(exc)})

    window.runBench = lambda name, args: aio.run(go(name, args))


aio.run(main())
