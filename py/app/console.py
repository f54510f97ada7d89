"""API console: every API 4.0 method from the official spec, grouped by area, with its
descriptions, parameters and response type; run it, see the answer, copy the same call as
curl, Python requests or looker_sdk, or open it in the scratchpad.

Like Looker's API Explorer. The reference (descriptions, types) is a compact index generated
from the spec at set-up (scripts/api_index.py) and fetched when the console first opens.
A method has a link, #/console/<method>?<inputs>, that restores its inputs. Calls that
change data need an explicit confirmation. This tab's calls are listed under "History".
"""

import asyncio
import json

import js

from looker_pkce import LookerError
from looker_pkce.browser.components import Spinner
from looker_pkce.browser.dom import field_value, h, listen, replace
from looker_pkce.core.compat import now, quote

from . import pyodide_runner, scratchpad, snippets
from .json_tree import parse, tree
from .snippets import MUTATING, link_for, parse_inputs, python_call, sdk_arguments, snippets_for
from .text import markdown_blocks

INDEX_URL = "./static/api/looker-4.0.json"
HISTORY_KEY = "looker_pkce_app:console-history"  # this tab's calls: method and inputs, never tokens
HISTORY_SIZE = 30
TOKEN_SHOWN_FOR = 60  # seconds the one-time token copy stays on screen
ROW = ("id", "method", "path", "tag", "summary", "status")  # an index row's columns
_reference = []


class Reference:
    """The generated index, as the browser parsed it; Python copies only what is on screen."""

    def __init__(self, data):
        self.data = data
        self.version = str(data.version)
        self.tags = json.loads(js.JSON.stringify(data.tags))
        self.methods = []
        for row in json.loads(js.JSON.stringify(data.methods)):
            op = {}
            for position, column in enumerate(ROW):
                op[column] = row[position]
            self.methods.append(op)
        self.by_id = {op["id"]: op for op in self.methods}

    def details(self, op):
        """The op with its description, params [name, in, type, required, description, type ref]
        and response [status, type, description, type ref]."""
        detail = json.loads(js.JSON.stringify(self.data.details[op["id"]]))
        full = dict(op)
        full.update(detail)
        return full

    def type(self, name):
        """{"description", "fields": [[name, type, description, read_only, type ref]]} or None."""
        if not name or not js.Object.hasOwn(self.data.types, name):
            return None
        return json.loads(js.JSON.stringify(self.data.types[name]))


async def reference():
    if not _reference:
        answer = await js.fetch(INDEX_URL, js.JSON.parse('{"cache": "no-cache"}'))
        if not answer.ok:
            raise LookerError("The API reference (" + INDEX_URL + ") is missing (" + str(answer.status) +
                              "): `make setup` generates it from the official spec.")
        _reference.append(Reference(await answer.json()))
    return _reference[0]


async def show(app, op_id="me", query=""):
    search = h("input", {"type": "search", "id": "method-search", "aria-label": "Search API methods"})
    results = h("div", {"class": "methods", "id": "methods"})
    history = h("ol", {"class": "history", "id": "history"})
    panel = h("section", {"class": "method-panel", "id": "method-panel"})
    replace(app.view, h("div", {"class": "toolbar"}, h("h1", {}, "API console"), search),
            h("div", {"class": "console"},
              h("div", {"class": "console-side"}, results,
                h("details", {"class": "history-box", "open": True}, h("summary", {}, "History (this tab)"),
                  history)),
              panel))
    ref = await app.load(results, "Loading the API reference…", reference())
    if ref is None:
        return
    search.setAttribute("placeholder", "Search " + str(len(ref.methods)) + " methods (API " + ref.version + ")…")
    console = Console(app, ref, search, results, panel, history)
    listen(search, "input", lambda event: console.list_methods())
    op = ref.by_id.get(op_id)
    if op is None:
        replace(panel, h("p", {"class": "error", "role": "alert"}, "No API 4.0 method is called “" + op_id + "”."))
        console.list_methods()
        return
    console.open(op, parse_inputs(query))


class Console:
    def __init__(self, app, ref, search, results, panel, history):
        self.app, self.ref, self.search, self.results = app, ref, search, results
        self.panel, self.history = panel, history
        self.current = None
        self.draw_history()

    # --- the method list, grouped by the spec's tags --------------------------------------
    def method_button(self, op):
        return h("button", {"type": "button", "class": "method", "data-op": op["id"],
                            "aria-current": "true" if self.current == op["id"] else "false",
                            "on_click": lambda e: self.open(op, {}, push=True)},
                 h("span", {"class": "verb " + op["method"]}, op["method"].upper()), " " + op["id"],
                 h("small", {}, op["summary"]))

    def list_methods(self):
        """Search results while the search box has text, else every method under its tag."""
        text = field_value(self.search).lower().strip()
        if text:
            found = snippets.ranked(self.ref.methods, text)[:80]
            replace(self.results, h("ul", {}, [h("li", {}, self.method_button(op)) for op in found])
                    if found else h("p", {"class": "muted"}, "No method matches “" + text + "”."))
            return
        current_tag = self.ref.by_id[self.current]["tag"] if self.current else None
        groups = []
        for tag, description in self.ref.tags:
            ops = [op for op in self.ref.methods if op["tag"] == tag]
            if not ops:
                continue
            group = h("details", {"class": "tag-group", "data-tag": tag},
                      h("summary", {"title": description}, tag + " ", h("small", {}, str(len(ops)))),
                      h("ul", {}, [h("li", {}, self.method_button(op)) for op in ops]))
            group.open = tag == current_tag
            groups.append(group)
        replace(self.results, groups)

    # --- one method ---------------------------------------------------------------------
    def open(self, op, inputs, push=False):
        self.current = op["id"]
        op = self.ref.details(op)
        if push:
            js.history.pushState(None, "", link_for(op["id"], {}))
        self.list_methods()
        Method(self, op, inputs)

    # --- history ------------------------------------------------------------------------
    def calls(self):
        try:
            return json.loads(str(js.sessionStorage.getItem(HISTORY_KEY) or "[]"))
        except ValueError:
            return []

    def remember(self, entry):
        calls = [entry] + self.calls()[:HISTORY_SIZE - 1]
        js.sessionStorage.setItem(HISTORY_KEY, json.dumps(calls))
        self.draw_history()

    def draw_history(self):
        items = []
        for call in self.calls():
            link = h("a", {"href": link_for(call["id"], call["inputs"])},
                     h("span", {"class": "verb " + call["method"]}, call["method"].upper()), " " + call["id"])
            items.append(h("li", {}, link, h("small", {}, " " + str(call["status"]) + " · " +
                                                           str(call["ms"]) + " ms")))
        replace(self.history, items or h("li", {"class": "muted"}, "No calls yet."))


class Method:
    """The form, reference, snippets and output of one method."""

    def __init__(self, console, op, inputs):
        self.console, self.app, self.op = console, console.app, op
        self.controls = []  # (param, control)
        self.output = h("div", {"class": "call-output", "id": "call-output"})
        self.code = h("div", {"class": "code", "id": "call-code"})
        self.token_box = h("div", {"class": "token-box", "id": "token-box"})
        self.confirm = None
        rows = [self.param_row(param, inputs.get(param[0], "")) for param in op["params"]]
        if op["method"] in MUTATING:
            self.confirm = h("input", {"type": "checkbox", "id": "confirm-mutation"})
            rows.append(h("label", {"class": "confirm"}, self.confirm,
                          " I understand this " + op["method"].upper() + " changes data in Looker"))
        form = h("form", {"class": "method-form"}, rows,
                 h("div", {"class": "actions"},
                   h("button", {"class": "primary", "type": "submit", "id": "run-method"}, "Run"),
                   h("button", {"type": "button", "id": "run-with-sdk", "on_click": self.run_sdk,
                                "title": "Starts Pyodide (a few seconds, once) and calls the official looker_sdk"},
                     "Run with looker_sdk (Pyodide)"),
                   h("button", {"type": "button", "id": "open-in-scratchpad", "on_click": self.to_scratchpad},
                     "Open in scratchpad")))
        status = [h("span", {"class": "badge"}, op["status"])] if op["status"] not in ("", "stable") else []
        replace(console.panel,
                h("h2", {}, h("span", {"class": "verb " + op["method"]}, op["method"].upper()), " ",
                  h("span", {"id": "method-id"}, op["id"]), " ", status,
                  copy_button("Copy link", lambda: str(js.location.href), "copy-link", " to " + op["id"])),
                h("p", {"class": "summary"}, h("strong", {}, op["summary"]), " — ",
                  h("code", {}, op["method"].upper() + " /api/4.0" + op["path"])),
                h("div", {"class": "description", "id": "method-description"}, description(op["description"])),
                form, response_reference(console.ref, op["response"]), self.output,
                h("h3", {}, "The same call elsewhere"), self.token_box, self.code)
        listen(form, "submit", self.run)
        listen(form, "input", lambda event: self.changed())
        listen(form, "change", lambda event: self.changed())
        self.draw_code()

    def param_row(self, param, value):
        name, where, kind, required, description, ref = param
        if where == "body":
            control = h("textarea", {"id": "param-body", "rows": "8", "spellcheck": "false",
                                     "aria-label": "Request body (JSON)", "placeholder": "{ … " + kind + " as JSON }"})
        elif kind == "boolean":
            control = h("select", {"id": "param-" + name, "aria-label": name},
                        [h("option", {"value": v}, v or "—") for v in ("", "true", "false")])
        else:
            control = h("input", {"id": "param-" + name, "aria-label": name, "placeholder": kind})
        control.value = value
        self.controls.append((param, control))
        title = h("span", {"class": "param-name"}, name,
                  h("abbr", {"class": "required", "title": "required"}, "*") if required else None)
        about = h("small", {"class": "param-about"}, h("code", {"class": "type"}, kind), " · " + where,
                  (" · " + description) if description else "")
        ref_types = type_reference(self.console.ref, ref) if where == "body" else None
        return h("div", {"class": "param" + (" body-param" if where == "body" else ""), "data-param": name},
                 h("label", {}, title, control), about, ref_types)

    def inputs(self):
        return {param[0]: field_value(control) for param, control in self.controls}

    def changed(self):
        js.history.replaceState(None, "", link_for(self.op["id"], self.inputs()))
        self.draw_code()

    def build(self, strict=True):
        """(path, params, payload); with strict=False a missing path value stays {name} (for snippets)."""
        path, params, payload = self.op["path"], {}, None
        for param, control in self.controls:
            name, where = param[0], param[1]
            value = field_value(control).strip()
            if where == "body":
                if value:
                    try:
                        payload = json.loads(value)
                    except ValueError:
                        if strict:
                            raise ValueError("The body is not valid JSON.")
                        payload = "…"
            elif where == "path":
                if not value and strict:
                    raise ValueError("“" + name + "” is required.")
                path = path.replace("{" + name + "}", quote(value) if value else "{" + name + "}")
            elif value:
                params[name] = value
            elif param[3] and strict:
                raise ValueError("“" + name + "” is required.")
        return path, params, payload

    def prepared(self):
        """(path, params, payload) for a call that may run now, or None with the reason shown."""
        try:
            call = self.build()
        except ValueError as exc:
            replace(self.output, h("p", {"class": "error", "role": "alert"}, str(exc)))
            return None
        if self.confirm is not None and not self.confirm.checked:
            replace(self.output, h("p", {"class": "error", "role": "alert", "id": "confirm-needed"},
                                   "This call changes data in Looker. Tick the confirmation box to run it."))
            return None
        return call

    async def run(self, event):
        call = self.prepared()
        if call is None:
            return
        path, params, payload = call
        spinner = Spinner(self.output, "Calling " + self.op["id"] + "…")
        try:
            response = await self.app.client.request(self.op["method"].upper(), path.lstrip("/"), params,
                                                     json_body=payload, raw=True)
        except LookerError as exc:
            spinner.stop()
            self.app.error(self.output, exc)
            return
        millis = int(spinner.stop())
        self.console.remember({"id": self.op["id"], "method": self.op["method"], "inputs": self.inputs(),
                               "status": response.status, "ms": millis})
        show_response(self.output, response, millis)

    async def run_sdk(self, event):
        call = self.prepared()
        if call is None:
            return
        path, params, payload = call
        kwargs = sdk_arguments(self.op, path, params, payload)
        started = pyodide_runner.started()
        spinner = Spinner(self.output, ("Calling sdk." if started else "Starting Pyodide and looker_sdk for sdk.") +
                          self.op["id"] + "…")
        try:
            runner = await pyodide_runner.runner()
            answer = json.loads(str(await runner.run(self.op["id"], json.dumps(kwargs))))
        except Exception as exc:  # SDKError and friends arrive as JS errors: show the message
            spinner.stop()
            replace(self.output, h("p", {"class": "error", "role": "alert"}, "looker_sdk: " + str(exc)))
            return
        millis = spinner.stop()
        value = answer["value"]
        replace(self.output, h("p", {"class": "call-status", "id": "sdk-status"},
                               h("strong", {"class": "ok"}, answer["type"]), " from sdk." + self.op["id"] +
                               "() · " + str(int(millis)) + " ms"),
                tree(parse(json.dumps(value))) if isinstance(value, (dict, list))
                else h("pre", {"class": "response-text"}, str(value)))

    def to_scratchpad(self, event):
        path, params, payload = self.build(strict=False)
        scratchpad.open_with(python_call(self.op, path, params, payload))

    # --- snippets -----------------------------------------------------------------------
    def draw_code(self):
        path, params, payload = self.build(strict=False)
        snippets = snippets_for(self.app.client.config.api_url, self.op, path, params, payload)
        replace(self.code, [h("details", {"class": "snippet", "open": True}, h("summary", {}, title),
                              copy_button("Copy", lambda text=text: text, "copy-" + key, " the " + title + " code"),
                              h("pre", {"id": "code-" + key}, text))
                            for key, title, text in snippets])
        if not self.token_box.firstChild:
            self.token_offer()

    def token_offer(self):
        replace(self.token_box,
                h("p", {"class": "muted"}, "curl and requests need a token. This page has no client secret; "
                                           "it can show a copy of its own short-lived access token."),
                h("button", {"type": "button", "id": "get-token", "on_click": lambda e: self.token_confirm()},
                  "Get a token for curl / requests…"))

    def token_confirm(self):
        expires = self.app.client.tokens.expires_at if self.app.client.tokens else 0
        minutes = max(0, int((expires - now()) / 60))
        replace(self.token_box,
                h("div", {"class": "warning", "role": "alert", "id": "token-warning"},
                  h("p", {}, "This shows your own Looker access token. Anyone who has it can call Looker as you "
                             "for about " + str(minutes) + " more minutes (until it expires or you sign out). "
                             "It is shown once, here, for " + str(TOKEN_SHOWN_FOR) + " s, and never stored. "
                             "Paste it only into your own terminal."),
                  h("button", {"type": "button", "class": "primary", "id": "show-token",
                               "on_click": self.token_show}, "Show my token once"), " ",
                  h("button", {"type": "button", "on_click": lambda e: self.token_offer()}, "Cancel")))

    async def token_show(self, event):
        token = await self.app.client.access_token()
        line = h("pre", {"id": "token-once"}, "export LOOKER_TOKEN=" + token)
        replace(self.token_box, h("p", {}, "Your token (hidden in " + str(TOKEN_SHOWN_FOR) + " s): "),
                line, copy_button("Copy", lambda: str(line.textContent), "copy-token", " the token"), " ",
                h("button", {"type": "button", "id": "hide-token", "on_click": lambda e: self.token_offer()},
                  "Hide now"))
        await asyncio.sleep(TOKEN_SHOWN_FOR)
        if line.isConnected:
            self.token_offer()


def description(markdown):
    """A method's Markdown description as headings, code, list items and paragraphs, as text."""
    tags = {"heading": "h3", "code": "pre", "item": "p", "paragraph": "p"}  # under the method's h2
    return [h(tags[kind], {"class": kind}, ("• " if kind == "item" else "") + words)
            for kind, words in markdown_blocks(markdown)]


def copy_button(label, text_of, element_id, what):
    """A button that copies text_of() to the clipboard and says so, on the button and to a screen
    reader (a status message). `what` ends its accessible name: "Copy" + " the curl code"."""
    shown = h("span", {}, label)
    said = h("span", {"class": "sr-only", "role": "status"})

    async def copy(event):
        try:
            await js.navigator.clipboard.writeText(text_of())
            shown.textContent = said.textContent = "Copied"
        except Exception:  # no clipboard permission: the text is on screen to select
            shown.textContent = said.textContent = "Select and copy"
        await asyncio.sleep(1.5)
        shown.textContent = label
        said.textContent = ""

    return h("span", {"class": "copy-box"},
             h("button", {"type": "button", "class": "copy", "id": element_id, "on_click": copy},
               shown, h("span", {"class": "sr-only"}, what)), said)


# --- the reference: response and body types ------------------------------------------------
def response_reference(ref, response):
    status, kind, description, type_ref = response
    head = h("summary", {}, "Response ", h("code", {}, status or "—"), " ",
             h("code", {"class": "type", "id": "response-type"}, kind or "no content"),
             (" — " + description) if description else "")
    return h("details", {"class": "response-ref", "id": "response-ref", "open": True}, head,
             type_reference(ref, type_ref))


def type_reference(ref, name, depth=0):
    """A type's fields (name, type, description, read-only), nested types opened on demand."""
    model = ref.type(name)
    if model is None:
        return None
    rows = []
    for field, kind, description, read_only, inner in model["fields"]:
        cell = h("td", {}, h("code", {"class": "type"}, kind))
        if inner and depth < 6 and ref.type(inner) is not None:
            cell = h("td", {}, h("details", {"class": "nested-type"}, h("summary", {}, h("code", {"class": "type"},
                                                                                      kind)), []))
            listen(cell.firstChild, "toggle", lambda e, cell=cell, inner=inner: expand(ref, cell.firstChild, inner,
                                                                                      depth + 1))
        rows.append(h("tr", {}, h("td", {}, h("code", {}, field)), cell,
                      h("td", {}, description, h("span", {"class": "muted"}, " (read-only)") if read_only else "")))
    return h("div", {"class": "type-ref", "data-type": name},
             h("p", {"class": "muted"}, name + (": " + model["description"] if model["description"] else "")),
             h("table", {"class": "fields"}, h("thead", {}, h("tr", {}, h("th", {}, "Field"), h("th", {}, "Type"),
                                                              h("th", {}, "Description"))),
               h("tbody", {}, rows)))


def expand(ref, details, name, depth):
    if details.open and details.childNodes.length < 2:
        details.appendChild(type_reference(ref, name, depth))


# --- answers --------------------------------------------------------------------------------
def show_response(output, response, millis):
    status = h("p", {"class": "call-status", "id": "call-status"},
               h("strong", {"class": "ok" if response.status < 400 else "bad"}, str(response.status)),
               " · " + str(millis) + " ms · " + (response.content_type or "no content"))
    if "json" in response.content_type:
        try:
            view = tree(parse(response.text()))
        except Exception:
            view = h("p", {"class": "error"}, "Looker answered malformed JSON.")
    elif isinstance(response.body, str):
        view = h("pre", {"class": "response-text"}, response.body)
    else:
        view = h("pre", {"class": "response-text"}, "<" + str(len(response.body)) + " bytes>")
    replace(output, status, view)
