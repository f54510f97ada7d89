"""Pyodide with the official looker_sdk, started on demand (py/app/sdk_runner.py) and shared by
the API console and the scratchpad. It exposes window.lookerSdk once it is ready."""

import asyncio

import js

from looker_pkce.browser import add_python

RUNNER = "./py/app/sdk_runner.py"  # its configuration is index.html's <py-config>, read at start-up


def started():
    return getattr(js.window, "lookerSdk", None) is not None


async def runner():
    """window.lookerSdk, starting Pyodide the first time (a few seconds, once per tab)."""
    if not started() and js.document.getElementById("sdk-runner") is None:
        add_python(RUNNER).id = "sdk-runner"  # the page guard lets only the library add Python
    for _ in range(1200):  # up to a minute on a slow machine
        if started():
            return js.window.lookerSdk
        await asyncio.sleep(0.05)
    raise RuntimeError("Pyodide did not start within a minute")
