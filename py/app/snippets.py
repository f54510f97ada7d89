"""The API console's pure part: a method's link (#/console/<method>?<inputs>) and the same call
written as curl, Python requests, looker_sdk and the scratchpad's Python, runnable as written.
Pure: no browser, no I/O; unit-tested on CPython and MicroPython.
"""

import json

from looker_pkce.core import session
from looker_pkce.core.compat import quote, unquote, urlencode

from .text import pretty

TYPE_CHECKING = False  # True for mypy only: no interpreter imports typing here (MicroPython has none)
if TYPE_CHECKING:
    from typing import Any

    Op = dict[str, Any]  # one method of the API index (static/api/looker-4.0.json): id, method, path, params...


def changes_data(op: "Op") -> bool:
    """Does calling `op` change data in Looker? The library's rule, so that the console asks for a
    confirmation exactly where the client would not retry on its own (session.replayable): a GET and
    the POSTs that only run a query (run_inline_query, run_sql_query) read; everything else writes."""
    return not session.replayable(op["method"], op["path"])


def ranked(methods: "list[Op]", text: str) -> "list[Op]":
    """The methods matching a search, best first: the exact name, names starting with it, names
    containing it, then summaries and paths; the spec's order within each."""
    text = text.lower().strip()
    tiers: "tuple[list[Op], list[Op], list[Op], list[Op]]" = ([], [], [], [])
    for op in methods:
        name = op["id"].lower()
        if name == text:
            tiers[0].append(op)
        elif name.startswith(text):
            tiers[1].append(op)
        elif text in name:
            tiers[2].append(op)
        elif text in op["summary"].lower() or text in op["path"].lower():
            tiers[3].append(op)
    return tiers[0] + tiers[1] + tiers[2] + tiers[3]


def link_for(op_id: str, inputs: "dict[str, str]") -> str:
    pairs = [(name, inputs[name]) for name in inputs if inputs[name]]
    return "#/console/" + op_id + ("?" + "&".join(quote(k) + "=" + quote(v) for k, v in pairs) if pairs else "")


TOKEN_NOTE = ("LOOKER_TOKEN: no client secret needed. On the console page, \"Get a token\" shows your own\n"
              "# short-lived access token once; then, in your terminal:  export LOOKER_TOKEN=…\n")


def snippets_for(api: str, op: "Op", path: str, params: "dict[str, str]",
                 payload: "Any") -> "list[tuple[str, str, str]]":
    """[(key, title, text)]: the call as curl, requests and looker_sdk, runnable as written."""
    url = api + "/api/4.0" + path + ("?" + urlencode(params) if params else "")
    method = op["method"].upper()
    curl = ("# " + TOKEN_NOTE + "curl -X " + method + " '" + url + "' \\\n"
            "  -H \"Authorization: Bearer $LOOKER_TOKEN\"")
    if payload is not None:
        curl += " \\\n  -H 'Content-Type: application/json' \\\n  -d '" + json.dumps(payload).replace("'", "'\\''") + "'"
    req = ("import os\n\nimport requests\n\n# " + TOKEN_NOTE + "token = os.environ[\"LOOKER_TOKEN\"]\n"
           "response = requests." + op["method"] + "(\n    \"" + api + "/api/4.0" + path + "\",\n"
           "    headers={\"Authorization\": \"Bearer \" + token},\n")
    if params:
        req += "    params=" + pretty(params, "    ") + ",\n"
    if payload is not None:
        req += "    json=" + pretty(payload, "    ") + ",\n"
    req += ")\nresponse.raise_for_status()\nprint(response.json() if response.content else response.status_code)"
    sdk = ("# looker_sdk needs API credentials on a machine: a client_id and client_secret (Looker admin >\n"
           "# Users > API keys) in looker.ini or LOOKERSDK_BASE_URL / LOOKERSDK_CLIENT_ID /\n"
           "# LOOKERSDK_CLIENT_SECRET. This page's sign-in has no secret to give it.\n"
           "import looker_sdk\n\nsdk = looker_sdk.init40()\nresult = sdk." + op["id"] + "(" +
           ", ".join(sdk_args(op, path, params, payload)) + ")\nprint(result)")
    return [("curl", "curl", curl), ("requests", "Python requests", req), ("sdk", "looker_sdk", sdk),
            ("python", "Scratchpad (this page's Python)", python_call(op, path, params, payload))]


def sdk_args(op: "Op", path: str, params: "dict[str, str]", payload: "Any") -> "list[str]":
    args = []
    for name, value in sdk_arguments(op, path, params, payload).items():
        args.append(name + "=" + (pretty(value, "    ") if name == "body" else json.dumps(value)))
    return args


def python_call(op: "Op", path: str, params: "dict[str, str]", payload: "Any") -> str:
    """The call with the scratchpad's `looker` client (paths relative to /api/4.0/)."""
    args = [json.dumps(path.lstrip("/"))]
    if op["method"] in ("post", "put", "patch"):
        args.append(pretty(payload) if payload is not None else "None")
    if params:
        args.append(pretty(params))
    warning = ("# This " + op["method"].upper() + " changes data in Looker.\n") if changes_data(op) else ""
    return warning + "result = await looker." + op["method"] + "(" + ", ".join(args) + ")\nshow(result)\n"


def sdk_arguments(op: "Op", path: str, params: "dict[str, str]", payload: "Any") -> "dict[str, Any]":
    """Keyword arguments for sdk.<operation>(): path values, query values, the body as a dict."""
    kwargs: "dict[str, Any]" = {}
    template, actual = op["path"].split("/"), path.split("/")
    for position, segment in enumerate(template):
        if segment.startswith("{") and position < len(actual):
            kwargs[segment[1:-1]] = unquote(actual[position])
    kinds = {param[0]: param[2] for param in op["params"]}
    for name in params:
        kwargs[name] = typed(params[name], kinds.get(name, "string"))
    if payload is not None:
        kwargs["body"] = payload
    return kwargs


def typed(text: str, kind: str) -> "str | int | bool":
    """A query value as looker_sdk wants it: integers and booleans as such, the rest as text."""
    if kind.startswith("integer") and text.lstrip("-").isdigit():
        return int(text)
    if kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text
