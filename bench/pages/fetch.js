// The floor: hand-written fetch calls with the session's token, no library.
"use strict";
(async () => {
  const config = await (await fetch("/looker.json", { cache: "no-store" })).json();
  const headers = () => ({ Authorization: "Bearer " + benchToken(), "Content-Type": "application/json" });
  const post = (body, format = "json") => fetch(config.api_url + "/api/4.0/queries/run/" + format,
    { method: "POST", headers: headers(), body: JSON.stringify(body) });
  const run = async (body) => (await post(body)).json();
  const get = async () => (await fetch(config.api_url + "/api/4.0/user", { headers: headers() })).json();
  const blob = async (body) => (await post(body, "csv")).blob();
  const rows = await run(BENCH.small);
  LookerGrid.create(document.getElementById("small"), BENCH.columns.small, rows);
  window.__firstRows = performance.now();
  exposeBench(standardBench(run, get, blob));
})();
