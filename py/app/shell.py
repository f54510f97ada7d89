"""What every view shares: the signed-in client, field metadata, running queries, errors in place."""

import json

from looker_pkce import LookerError, SignedOut
from looker_pkce.components import Result, chart, table
from looker_pkce.dom import by_id, h, replace

from .render import Spinner, single_value


class App:
    def __init__(self, client, config):
        self.client = client
        self.config = config
        self.main = by_id("main")
        self._explores = {}

    async def explore_fields(self, model, explore):
        """(labels, kinds) for an explore's fields: kinds maps name -> 'dimension' | 'measure'."""
        key = model + "::" + explore
        if key not in self._explores:
            data = await self.client.get("lookml_models/" + model + "/explores/" + explore,
                                         {"fields": "fields"})
            labels, kinds = {}, {}
            for group in ("dimensions", "measures"):
                for field in data["fields"][group]:
                    labels[field["name"]] = field.get("label_short") or field["name"]
                    kinds[field["name"]] = field["category"]
                    if field.get("is_numeric") and field["category"] == "dimension":
                        kinds[field["name"]] = "numeric_dimension"
            self._explores[key] = (labels, kinds, data["fields"])
        return self._explores[key]

    async def load(self, container, label, awaitable):
        """Await a call with a spinner in `container`; on failure show why there and return None."""
        spinner = Spinner(container, label)
        try:
            return await awaitable
        except LookerError as exc:
            self.error(container, exc)
            return None
        finally:
            spinner.stop()

    async def run_js(self, method, path, body=None, keep="js-json"):
        """A query result kept in JavaScript: the parsed rows, or a Blob for downloads."""
        return await self.client.request(method, path, json_body=body, keep=keep)

    async def show_query(self, area, body, vis_type=None, run_path=None, table_too=True):
        """Run a query and draw it into `area`: status line, chart (by vis type), and the table
        (always for table vis types; for charts only when `table_too`)."""
        status = h("div", {"class": "status-line"})
        visual = h("div", {"class": "visual"})
        grid = h("div", {"class": "grid-host"})
        replace(area, status, visual, grid)
        spinner = Spinner(status, "Running query…")
        try:
            labels, kinds, _ = await self.explore_fields(body["model"], body["view"])
            if run_path is None:
                rows = await self.run_js("POST", "queries/run/json", body)
            else:
                rows = await self.run_js("GET", run_path)
            millis = spinner.stop()
            result = Result(rows, body["fields"], body.get("pivots"))
        except Exception as exc:  # shown in place, whatever it is (LookerError, MemoryError...)
            spinner.stop()
            self.error(status, exc)
            return None
        replace(status, h("span", {"class": "count", "data-rows": result.count},
                          str(result.count) + " rows"), " · " + str(int(millis)) + " ms")
        vis = vis_type or (body.get("vis_config") or {}).get("type") or "looker_grid"
        drawn = False
        if vis == "single_value":
            single_value(visual, result, body["fields"], labels)
            drawn = True
        elif vis not in ("looker_grid", "table"):
            drawn = await chart(visual, result, vis, kinds, labels)
        if drawn and not table_too:
            return result
        numeric = {}
        for name in body["fields"]:
            if kinds.get(name) in ("measure", "numeric_dimension"):
                numeric[name] = kinds[name]
        table(grid, result, labels, numeric)
        return result

    def error(self, container, exc):
        """Show an error where it happened, with what to do."""
        if isinstance(exc, SignedOut):
            action = h("button", {"class": "primary", "on_click": lambda e: self.client.sign_in()}, "Sign in again")
        else:
            action = None
        replace(container, h("div", {"class": "error", "role": "alert"},
                             h("strong", {}, type(exc).__name__ + ": "), str(exc), " ", action))


def pretty(data, indent=""):
    """JSON with two-space indentation (MicroPython's json.dumps has no indent)."""
    inner = indent + "  "
    if isinstance(data, dict) and data:
        items = [inner + json.dumps(str(k)) + ": " + pretty(data[k], inner) for k in data]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(data, list) and data:
        return "[\n" + ",\n".join(inner + pretty(v, inner) for v in data) + "\n" + indent + "]"
    return json.dumps(data)
