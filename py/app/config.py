"""Which Looker the page talks to: looker.json beside index.html, overridden by the settings form.

Shared by the app (MicroPython) and the SDK runner (Pyodide). Never holds a secret or token.
"""

import json

import js

SETTINGS_KEY = "looker_pkce_app:settings"


def saved_settings():
    text = js.localStorage.getItem(SETTINGS_KEY)
    return json.loads(str(text)) if text else {}


async def load_config():
    """looker.json (the deployer's), with this browser's non-blank settings on top."""
    answer = await js.fetch("looker.json", js.JSON.parse('{"cache": "no-cache"}'))
    config = json.loads(await answer.text()) if answer.ok else {}
    for key, value in saved_settings().items():
        if value:
            config[key] = value
    return config
