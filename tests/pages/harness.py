# The library under test in a real page: boots a Client from /looker.json and
# runs named scenarios that Playwright triggers with window.runScenario(name, argsJson).
# Results land in window.__results[name] as JSON text. Same file on both interpreters.
import asyncio
import json
import sys

import js
from pyscript.ffi import create_proxy

from looker_pkce import LookerError
from looker_pkce.browser import connect

INTERPRETER = "mpy" if sys.implementation.name == "micropython" else "py"
session = {}


def put(name, value):
    js.Reflect.set(js.window.__results, name, json.dumps(value))


def failure(exc):
    return {"error": type(exc).__name__, "message": str(exc)}


async def me(client, args):
    return (await client.me())["email"]


async def concurrent_me(client, args):
    answers = await asyncio.gather(*[client.me() for _ in range(args.get("count", 20))])
    return {"calls": len(answers), "emails": sorted(set(a["email"] for a in answers)),
            "refreshes": client.refresh_count}


async def get(client, args):
    return await client.get(args["path"], args.get("params"))


async def post(client, args):
    return await client.post(args["path"], args.get("json"), args.get("params"))


async def sign_out(client, args):
    await client.sign_out()
    return {"signed_in": client.signed_in}


async def sign_in(client, args):
    client.sign_in(args.get("return_path"))
    return "navigating"


SCENARIOS = {"me": me, "concurrent_me": concurrent_me, "get": get, "post": post, "sign_out": sign_out,
             "sign_in": sign_in}


async def _run(name, args):
    try:
        put(name, {"ok": await SCENARIOS[name](session["client"], args)})
    except LookerError as exc:
        put(name, failure(exc))


def run(name, args_json):
    asyncio.create_task(_run(name, json.loads(args_json or "{}")))


async def boot():
    config = json.loads(await (await js.fetch("/looker.json", js.JSON.parse('{"cache":"no-store"}'))).text())
    try:
        client = await connect(config["ui_url"], "tests-" + INTERPRETER, api_url=config.get("api_url"))
    except LookerError as exc:
        put("boot", failure(exc))
        return
    session["client"] = client
    put("boot", {"signed_in": client.signed_in, "interpreter": INTERPRETER})


js.window.runScenario = create_proxy(run)
await boot()  # noqa: F704 (top-level await: PyScript runs this file as async)
