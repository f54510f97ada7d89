// The reference pages' Python (bare-mpy.html, bare-py.html): an interpreter loaded directly, without PyScript
// or looker_pkce, doing the small query's fetch with the session's token and rendering the first rows.
export const FIRST_ROWS = `
import js
js.window.__firstPython = js.performance.now()  # the first Python line
import json
config = await (await js.fetch("/looker.json", js.JSON.parse('{"cache": "no-store"}'))).json()
init = {"method": "POST", "body": js.JSON.stringify(js.BENCH.small),
        "headers": {"Authorization": "Bearer " + js.benchToken(), "Content-Type": "application/json"}}
rows = await (await js.fetch(config.api_url + "/api/4.0/queries/run/json", js.JSON.parse(json.dumps(init)))).json()
js.LookerGrid.create(js.document.getElementById("small"), js.BENCH.columns.small, rows)
js.window.__firstRows = js.performance.now()
`;
