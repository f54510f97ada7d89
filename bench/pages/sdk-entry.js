// The official Looker browser SDK (@looker/sdk + @looker/sdk-rtl), bundled by esbuild,
// doing the same calls with the same session token.
// Deep imports: the packages' ESM index re-exports TypeScript-only names that a bundler cannot resolve.
import { Looker40SDK } from "@looker/sdk/lib/esm/4.0/methods";
import { DefaultSettings } from "@looker/sdk-rtl/lib/esm/apiSettings";
import { BrowserTransport } from "@looker/sdk-rtl/lib/esm/browserTransport";

class TokenSession {
  constructor(settings) {
    this.settings = settings;
    this.transport = new BrowserTransport(settings);
    this.sudoId = "";
  }
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

(async () => {
  const config = await (await fetch("/looker.json", { cache: "no-store" })).json();
  const settings = Object.assign(DefaultSettings(), { base_url: config.api_url, verify_ssl: false, timeout: 120,
                                                      agentTag: "bench" });
  const sdk = new Looker40SDK(new TokenSession(settings));
  const run = async (body) => sdk.ok(sdk.run_inline_query({ result_format: "json", body }));
  const get = async () => sdk.ok(sdk.me());
  const blob = async (body) => new Blob([await sdk.ok(sdk.run_inline_query({ result_format: "csv", body }))]);
  const rows = await run(BENCH.small);
  LookerGrid.create(document.getElementById("small"), BENCH.columns.small, rows);
  window.__firstRows = performance.now();
  exposeBench(standardBench(run, get, blob));
})();
