// Dashboard 1 drawn with the official Looker browser SDK and Chart.js (bundled by esbuild): the dashboard,
// each tile's saved query run as JSON (all at once), then one chart per tile with rows (a table when it has
// no measure to plot). Same session token as the other benchmark pages (common.js's benchToken).
import { Looker40SDK } from "@looker/sdk/lib/esm/4.0/methods";
import { DefaultSettings } from "@looker/sdk-rtl/lib/esm/apiSettings";
import { BrowserTransport } from "@looker/sdk-rtl/lib/esm/browserTransport";
import Chart from "chart.js/auto";

class TokenSession {
  constructor(settings) { this.settings = settings; this.transport = new BrowserTransport(settings); this.sudoId = ""; }
  isAuthenticated() { return true; }
  async authenticate(props) {
    props.headers = Object.assign({}, props.headers, { Authorization: "Bearer " + benchToken() });
    return props;
  }
  async getToken() { return { access_token: benchToken() }; }
  async login() { return this.getToken(); }
  async logout() { return true; }
  isSudo() { return false; }
  reset() {}
}

function drawTable(host, fields, rows) {
  const table = document.createElement("table");
  const head = table.insertRow();
  for (const f of fields) head.insertCell().textContent = f;
  for (const row of rows.slice(0, 50)) {
    const tr = table.insertRow();
    for (const f of fields) tr.insertCell().textContent = String((row[f] && row[f].value !== undefined) ? row[f].value : row[f]);
  }
  host.append(table);
}

function draw(element, rows) {
  const tile = document.createElement("section");
  tile.className = "tile";
  const title = document.createElement("h2");
  title.textContent = element.title || "";
  tile.append(title);
  document.getElementById("board").append(tile);
  const query = element.query || (element.result_maker && element.result_maker.query) || {};
  const fields = query.fields || [];
  const numeric = fields.filter((f) => rows.length && typeof rows[0][f] === "number");
  const labels = fields.filter((f) => !numeric.includes(f));
  if (!numeric.length || !labels.length) return drawTable(tile, fields, rows);
  const canvas = document.createElement("canvas");
  tile.append(canvas);
  new Chart(canvas, { type: "bar", options: { animation: false, responsive: false },
    data: { labels: rows.map((r) => String(r[labels[0]])),
            datasets: numeric.map((f) => ({ label: f, data: rows.map((r) => r[f]) })) } });
}

(async () => {
  const config = await (await fetch("/looker.json", { cache: "no-store" })).json();
  const settings = Object.assign(DefaultSettings(), { base_url: config.api_url, verify_ssl: false, timeout: 120,
                                                      agentTag: "bench" });
  const sdk = new Looker40SDK(new TokenSession(settings));
  const board = await sdk.ok(sdk.dashboard("1"));
  const tiles = (board.dashboard_elements || []).filter((e) => e.query_id || (e.result_maker && e.result_maker.query_id));
  const results = await Promise.all(tiles.map((e) => sdk.ok(sdk.run_query({
    query_id: e.query_id || e.result_maker.query_id, result_format: "json" }))));
  tiles.forEach((e, i) => draw(e, results[i]));
  await nextFrame();
  window.__tiles = tiles.length;
  window.__firstRows = performance.now();
})();
