"""API console: search every API 4.0 method, fill in a form, run it, see the answer and the code.

Like Looker's API Explorer "Run It", plus the same call as curl, Python requests
and looker_sdk. Calls that change data need an explicit confirmation.
"""

import asyncio
import json

import js

from looker_pkce import LookerError
from looker_pkce.compat import quote, unquote, urlencode
from looker_pkce.dom import field_value, h, listen, now_ms, replace

from .render import Spinner
from .shell import pretty

MUTATING = ("post", "put", "patch", "delete")
_operations = []


async def operations(app):
    if not _operations:
        spec = await app.client.get("swagger.json")
        for path in spec["paths"]:
            for method in spec["paths"][path]:
                op = spec["paths"][path][method]
                _operations.append({"id": op["operationId"], "method": method, "path": path,
                                    "summary": op.get("summary", ""), "parameters": op.get("parameters") or []})
        _operations.sort(key=lambda op: op["id"])
    return _operations


async def show(app, hash_query=""):
    search = h("input", {"type": "search", "id": "method-search", "placeholder": "Search 500 API methods…",
                         "aria-label": "Search API methods"})
    results = h("ul", {"class": "methods", "id": "methods"})
    panel = h("section", {"class": "method-panel", "id": "method-panel"})
    replace(app.main, h("div", {"class": "toolbar"}, h("h1", {}, "API console"), search),
            h("div", {"class": "console"}, results, panel))
    ops = await app.load(results, "Loading the API reference…", operations(app))
    if ops is None:
        return

    def list_matches(event=None):
        text = field_value(search).lower().strip()
        found = [op for op in ops if not text or text in op["id"] or text in op["summary"].lower()
                 or text in op["path"]][:60]
        replace(results, [h("li", {}, h("button", {"type": "button", "class": "method", "data-op": op["id"],
                                                     "on_click": lambda e, op=op: open_method(app, panel, op)},
                                          h("span", {"class": "verb " + op["method"]}, op["method"].upper()),
                                          " " + op["id"], h("small", {}, op["path"]))) for op in found])

    listen(search, "input", list_matches)
    list_matches()
    preset = [op for op in ops if op["id"] == "me"]
    if preset:
        open_method(app, panel, preset[0])


def open_method(app, panel, op):
    inputs = {}
    rows = []
    body = None
    for param in op["parameters"]:
        name = param["name"]
        if param["in"] == "body":
            model = param.get("schema", {}).get("$ref", "").split("/")[-1]
            body = h("textarea", {"id": "param-body", "rows": "8", "spellcheck": "false",
                                  "aria-label": "Request body (JSON)", "placeholder": "{ … " + model + " as JSON }"})
            rows.append(h("label", {"class": "body-param"}, h("span", {}, "body (" + model + ")"), body))
            continue
        if param.get("type") == "boolean":
            control = h("select", {"id": "param-" + name, "aria-label": name},
                        h("option", {"value": ""}, "—"), h("option", {"value": "true"}, "true"),
                        h("option", {"value": "false"}, "false"))
        else:
            control = h("input", {"id": "param-" + name, "aria-label": name,
                                  "placeholder": param.get("type", "string") + (" (required)" if param.get("required") else "")})
        inputs[name] = (param, control)
        rows.append(h("label", {}, h("span", {}, name + ("*" if param.get("required") else "")), control))
    confirm = None
    if op["method"] in MUTATING:
        confirm = h("input", {"type": "checkbox", "id": "confirm-mutation"})
        rows.append(h("label", {"class": "confirm"}, confirm,
                      " I understand this " + op["method"].upper() + " changes data in Looker"))
    output = h("div", {"class": "call-output", "id": "call-output"})
    code = h("div", {"class": "code", "id": "call-code"})
    with_sdk = h("button", {"type": "button", "id": "run-with-sdk",
                            "title": "Starts Pyodide (a few seconds, once) and calls the official looker_sdk"},
                 "Run with looker_sdk (Pyodide)")
    form = h("form", {"class": "method-form"}, rows,
             h("div", {"class": "actions"},
               h("button", {"class": "primary", "type": "submit", "id": "run-method"}, "Run"), with_sdk))
    replace(panel, h("h2", {}, h("span", {"class": "verb " + op["method"]}, op["method"].upper()), " ", op["id"]),
            h("p", {"class": "muted"}, op["summary"], " — ", h("code", {}, op["path"])), form, output, code)

    def build():
        path = op["path"]
        params = {}
        for name in inputs:
            param, control = inputs[name]
            value = field_value(control).strip()
            if param["in"] == "path":
                if not value:
                    raise ValueError("“" + name + "” is required.")
                path = path.replace("{" + name + "}", quote(value))
            elif value:
                params[name] = value
        payload = None
        if body is not None and field_value(body).strip():
            try:
                payload = json.loads(field_value(body))
            except ValueError:
                raise ValueError("The body is not valid JSON.")
        return path, params, payload

    def prepared():
        """(path, params, payload) for a call that may run now, or None with the reason shown."""
        try:
            path, params, payload = build()
        except ValueError as exc:
            replace(output, h("p", {"class": "error", "role": "alert"}, str(exc)))
            return None
        show_code(app, code, op, path, params, payload)
        if confirm is not None and not confirm.checked:
            replace(output, h("p", {"class": "error", "role": "alert", "id": "confirm-needed"},
                              "This call changes data in Looker. Tick the confirmation box to run it."))
            return None
        return path, params, payload

    async def run(event):
        call = prepared()
        if call is None:
            return
        path, params, payload = call
        spinner = Spinner(output, "Calling " + op["id"] + "…")
        started = now_ms()
        try:
            response = await app.client.request(op["method"].upper(), path.lstrip("/"), params,
                                                json_body=payload, raw=True)
        except LookerError as exc:
            spinner.stop()
            app.error(output, exc)
            return
        spinner.stop()
        show_response(output, response, now_ms() - started)

    async def run_sdk(event):
        call = prepared()
        if call is None:
            return
        path, params, payload = call
        kwargs = sdk_arguments(op, path, params, payload)
        spinner = Spinner(output, "Starting Pyodide and looker_sdk…" if not sdk_started() else "Calling sdk." +
                          op["id"] + "…")
        try:
            runner = await start_sdk_runner()
            spinner.label = "Calling sdk." + op["id"] + "…"
            answer = json.loads(str(await runner.run(op["id"], json.dumps(kwargs))))
        except Exception as exc:  # SDKError and friends arrive as JS errors: show the message
            spinner.stop()
            replace(output, h("p", {"class": "error", "role": "alert"}, "looker_sdk: " + str(exc)))
            return
        millis = spinner.stop()
        value = answer["value"]
        replace(output, h("p", {"class": "call-status", "id": "sdk-status"},
                          h("strong", {"class": "ok"}, answer["type"]), " from sdk." + op["id"] + "() · " +
                          str(int(millis)) + " ms"),
                tree(value) if isinstance(value, (dict, list)) else h("pre", {"class": "response-text"}, str(value)))

    listen(form, "submit", run)
    listen(with_sdk, "click", run_sdk)


def sdk_arguments(op, path, params, payload):
    """Keyword arguments for sdk.<operation>(): path values, query values, the body as a dict."""
    kwargs = dict(params)
    template, actual = op["path"].split("/"), path.split("/")
    for position, segment in enumerate(template):
        if segment.startswith("{") and position < len(actual):
            kwargs[segment[1:-1]] = unquote(actual[position])
    if payload is not None:
        kwargs["body"] = payload
    return kwargs


def sdk_started():
    return getattr(js.window, "lookerSdk", None) is not None


async def start_sdk_runner():
    """Start Pyodide with the official SDK the first time it is needed; it shares this tab's session."""
    if not sdk_started() and js.document.getElementById("sdk-runner") is None:
        # its configuration is index.html's <py-config>: PyScript reads configs once, at start-up
        js.document.body.appendChild(h("script", {"type": "py", "id": "sdk-runner", "src": "./py/app/sdk_runner.py"}))
    for _ in range(1200):  # up to a minute on a slow machine
        if sdk_started():
            return js.window.lookerSdk
        await asyncio.sleep(0.05)
    raise RuntimeError("Pyodide did not start within a minute")


def show_response(output, response, millis):
    status = h("p", {"class": "call-status", "id": "call-status"},
               h("strong", {"class": "ok" if response.status < 400 else "bad"}, str(response.status)),
               " · " + str(int(millis)) + " ms · " + (response.content_type or "no content"))
    try:
        data = response.decoded()
    except LookerError as exc:
        replace(output, status, h("p", {"class": "error"}, str(exc)))
        return
    if isinstance(data, list) and data and isinstance(data[0], dict):
        keys = []
        for row in data[:50]:
            for key in row:
                if key not in keys:
                    keys.append(key)
        keys = keys[:12]
        view = h("table", {"class": "response-table"},
                 h("thead", {}, h("tr", {}, [h("th", {}, k) for k in keys])),
                 h("tbody", {}, [h("tr", {}, [h("td", {}, short(row.get(k))) for k in keys]) for row in data[:500]]))
    elif isinstance(data, (dict, list)):
        view = tree(data)
    else:
        view = h("pre", {"class": "response-text"}, data if isinstance(data, str) else repr(data))
    replace(output, status, view)


def short(value):
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) < 120 else text[:117] + "…"


def tree(data, key=None, depth=0):
    """A collapsible JSON tree (open two levels deep)."""
    label = (str(key) + ": ") if key is not None else ""
    if isinstance(data, (dict, list)):
        items = list(data.items()) if isinstance(data, dict) else list(enumerate(data))
        summary = label + ("{…} " + str(len(items)) + " keys" if isinstance(data, dict) else "[…] " + str(len(items)))
        node = h("details", {"class": "json-node"}, h("summary", {}, summary),
                 h("div", {"class": "json-children"}, [tree(v, k, depth + 1) for k, v in items[:300]]))
        if depth < 2:
            node.open = True
        return node
    return h("div", {"class": "json-leaf"}, label, h("span", {"class": "json-value"}, json.dumps(data)))


def show_code(app, code, op, path, params, payload):
    """The same call as curl, requests and looker_sdk (the token stays a placeholder)."""
    api = app.client.config.api_url
    url = api + "/api/4.0" + path + ("?" + urlencode(params) if params else "")
    method = op["method"].upper()
    curl = "curl -X " + method + " '" + url + "' \\\n  -H \"Authorization: Bearer $LOOKER_TOKEN\""
    if payload is not None:
        curl += " \\\n  -H 'Content-Type: application/json' \\\n  -d '" + json.dumps(payload).replace("'", "'\\''") + "'"
    req = ("import requests\n\nresponse = requests." + op["method"] + "(\n    \"" + api + "/api/4.0" + path + "\",\n"
           "    headers={\"Authorization\": \"Bearer \" + token},\n")
    if params:
        req += "    params=" + pretty(params, "    ") + ",\n"
    if payload is not None:
        req += "    json=" + pretty(payload, "    ") + ",\n"
    req += ")\nresponse.raise_for_status()\nprint(response.json())"
    args = []
    for param in op["parameters"]:
        name = param["name"]
        if param["in"] == "body" and payload is not None:
            args.append("body=" + pretty(payload, "    "))  # a dict works as well as the Write* model
        elif name in params:
            args.append(name + "=" + json.dumps(params[name]))
        elif param["in"] == "path":
            segment = [s for s in op["path"].split("/") if s == "{" + name + "}"]
            if segment:
                value = path.split("/")[op["path"].split("/").index(segment[0])]
                args.append(name + "=" + json.dumps(value))
    sdk = ("import looker_sdk\n\nsdk = looker_sdk.init40()  # reads looker.ini\nresult = sdk." + op["id"] + "(" +
           ", ".join(args) + ")\nprint(result)")
    replace(code, [h("details", {"class": "snippet", "open": True}, h("summary", {}, title),
                     h("pre", {"id": "code-" + key}, text))
                   for key, title, text in (("curl", "curl", curl), ("requests", "Python requests", req),
                                            ("sdk", "looker_sdk", sdk))])
