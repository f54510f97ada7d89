# The library under test in a real page: boots a Client from /looker.json and
# runs named scenarios that Playwright triggers with window.runScenario(name, argsJson).
# Results land in window.__results[name] as JSON text. Same file on both interpreters.
# On harness-both.html both interpreters run it in one tab: each answers to
# window["runScenario " + interpreter] and prefixes its results with "<interpreter> ".
# harness-lean.html runs it on MicroPython through the lean loader (assets/boot.js); there
# `?first={"method":..,"path":..,"body":..}` (or a list of them) makes those the first API calls.
import js

js.window.__pythonStarted = js.performance.now()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

from looker_pkce import LookerError  # noqa: E402
from looker_pkce.browser import connect  # noqa: E402
from looker_pkce.browser.bridge import create_proxy  # noqa: E402
from looker_pkce.core.compat import parse_query  # noqa: E402

INTERPRETER = "mpy" if sys.implementation.name == "micropython" else "py"
BOTH = bool(js.document.body.hasAttribute("data-both"))
PREFIX = INTERPRETER + " " if BOTH else ""
CLIENT_ID = str(js.document.body.getAttribute("data-client") or "tests-" + INTERPRETER)
session = {}


def put(name, value):
    js.Reflect.set(js.window.__results, PREFIX + name, json.dumps(value))


def failure(exc):
    report = {"error": type(exc).__name__, "message": str(exc)}
    if not isinstance(exc, LookerError) and INTERPRETER == "py":  # unexpected: keep the traceback
        import traceback

        report["traceback"] = traceback.format_exc()
    return report


async def me(client, args):
    return (await client.me())["email"]


async def concurrent_me(client, args):
    answers = await asyncio.gather(*[client.me() for _ in range(args.get("count", 20))])
    return {"calls": len(answers), "emails": sorted(set(a["email"] for a in answers)),
            "refreshes": client.refresh_count}


async def get(client, args):
    if "timeout" in args:
        return await client.get(args["path"], args.get("params"), timeout=args["timeout"])
    return await client.get(args["path"], args.get("params"))


async def timed(client, args):
    started = js.Date.now()
    answer = await getattr(client, args["method"])(args["path"])
    return {"answer": answer, "ms": js.Date.now() - started}


async def call_for(client, args):
    """me() every `interval` s for `seconds` s; every failure is counted by its error's name."""
    calls, failures, started = 0, [], js.Date.now()
    while js.Date.now() - started < args.get("seconds", 30) * 1000:
        try:
            await client.me()
        except LookerError as exc:
            failures.append(type(exc).__name__ + ": " + str(exc))
        calls += 1
        await asyncio.sleep(args.get("interval", 0.1))
    return {"calls": calls, "failures": failures[:5], "failed": len(failures), "stats": stats(client)}


def stats(client):
    return {"refreshes": client.stats["refreshes"], "adopted": client.stats["adopted"],
            "joined": client.stats["joined"], "signed_in": client.signed_in}


async def state(client, args):
    return stats(client)


async def other_host(client, args):
    """A second client, same client id, another Looker: it must see nothing of this session."""
    from looker_pkce.browser import create_client

    other = await create_client(args["ui_url"], CLIENT_ID, api_url=args["api_url"])
    report = {"signed_in": other.signed_in, "joined": await other.join()}
    try:
        await other.me()
    except LookerError as exc:
        report["me"] = type(exc).__name__
    await other.sign_out()
    report["first_still_works"] = (await client.me())["email"]
    return report


async def unreachable(client, args):
    from looker_pkce.browser import fetch_transport
    from looker_pkce.core.messages import Request

    return await fetch_transport(Request("GET", args["url"]), 10)


async def connect_without_api_url(client, args):
    """connect() as pages called it before the API URL was configuration: UI URL and client id only."""
    return str(await connect(client.config.ui_url, CLIENT_ID))


async def post(client, args):
    return await client.post(args["path"], args.get("json"), args.get("params"))


async def sign_out(client, args):
    note = await client.sign_out()
    return {"signed_in": client.signed_in, "note": note} if note else {"signed_in": client.signed_in}


async def timed_me(client, args):
    """me(), its outcome and how long it took (ms): whatever happens, it says so."""
    started = js.performance.now()
    try:
        answer = {"ok": (await client.me())["email"]}
    except LookerError as exc:
        answer = failure(exc)
    answer["ms"] = int(js.performance.now() - started)
    return answer


async def sign_in(client, args):
    client.sign_in(args.get("return_path"))
    return "navigating"


async def versions(client, args):
    from looker_pkce.core.messages import Request

    answer = await client.transport(Request("GET", client.config.api_url + "/versions"), 10)
    return answer.json()["api_server_url"]


async def official_sdk(client, args):
    from looker_pkce.sdk import official_sdk as load

    sdk = await load(client, "/static/vendor/")
    from looker_sdk.sdk.api40 import models

    me = await sdk.me()
    explore = await sdk.lookml_model_explore("thelook", "order_items")
    query = await sdk.create_query(models.WriteQuery(model="thelook", view="products",
                                                     fields=["products.category", "products.count"], limit="3"))
    rows = json.loads(await sdk.run_inline_query("json", models.WriteQuery(
        model="thelook", view="products", fields=["products.department", "products.count"],
        sorts=["products.department"])))
    folder = await sdk.folder("2")
    looks = await sdk.all_looks()
    return {"me": [type(me).__name__, me.email], "dimensions": len(explore.fields.dimensions),
            "query": [type(query).__name__, query.fields, (await sdk.query(query.id)).id == query.id],
            "rows": rows, "folder": [type(folder).__name__, folder.name], "looks": sorted(lk.title for lk in looks)}


async def sync_code(client, args):
    from looker_pkce.sdk import sync

    await sync.enable("/static/vendor/")
    session = sync.requests_session(client)
    email = session.get(client.config.api_url + "/api/4.0/user").json()["email"]
    sdk = sync.official_sdk_sync(client)
    from looker_sdk.sdk.api40 import models

    csv = sdk.run_inline_query("csv", models.WriteQuery(model="thelook", view="products",
                                                        fields=["products.department", "products.count"],
                                                        sorts=["products.department"]))
    return {"requests": email, "sdk": sdk.me().email, "csv": csv}


SCENARIOS = {"call_for": call_for, "state": state, "other_host": other_host, "timed": timed, "unreachable": unreachable,
             "connect_without_api_url": connect_without_api_url,
             "versions": versions, "official_sdk": official_sdk, "sync_code": sync_code, "me": me,
             "concurrent_me": concurrent_me, "get": get, "post": post, "sign_out": sign_out, "sign_in": sign_in,
             "timed_me": timed_me}


async def first_calls(client, calls):
    """Each call in turn: the page's first calls (a single call answers alone)."""
    answers = []
    for call in calls if isinstance(calls, list) else [calls]:
        answers.append(await client.request(call["method"], call["path"], json_body=call.get("body")))
    return answers if isinstance(calls, list) else answers[0]


async def _run(name, scenario, args):
    try:
        put(name, {"ok": await scenario(session["client"], args)})
    except Exception as exc:  # report anything, so a test sees the failure instead of a timeout
        put(name, failure(exc))


def run(name, args_json):
    asyncio.create_task(_run(name, SCENARIOS[name], json.loads(args_json or "{}")))


async def boot():
    config = json.loads(await (await js.fetch("/looker.json", js.JSON.parse('{"cache":"no-store"}'))).text())
    while BOTH and INTERPRETER == "py" and not js.Reflect.has(js.window.__results, "mpy boot"):
        await asyncio.sleep(0.05)  # MicroPython finishes any sign-in first (as the app's Pyodide runner does)
    try:
        client = await connect(config["ui_url"], CLIENT_ID, api_url=config.get("api_url"))
    except LookerError as exc:
        put("boot", failure(exc))
        return
    session["client"] = client
    report = {"signed_in": client.signed_in, "interpreter": INTERPRETER}
    if client.stats["joined"]:
        report["joined"] = True
    put("boot", report)
    first = parse_query(str(js.location.search)).get("first")
    if first and client.signed_in:
        await _run("first", first_calls, json.loads(first))


js.Reflect.set(js.window, "runScenario" + (" " + INTERPRETER if BOTH else ""), create_proxy(run))
await boot()  # noqa: F704 (top-level await: PyScript runs this file as async)
