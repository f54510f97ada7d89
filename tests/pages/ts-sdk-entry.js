// The official browser SDK (@looker/sdk + @looker/sdk-rtl OAuthSession), bundled by esbuild in the test.
// First visit: OAuthSession.login() leaves for Looker's /auth. Back with ?code=: it redeems the code
// (PKCE, its own verifier in sessionStorage), the page calls me() and signs out (logout()). The outcome lands on
// <body data-*>.
import { Looker40SDK } from "@looker/sdk/lib/esm/4.0/methods";
import { ApiSettings } from "@looker/sdk-rtl/lib/esm/apiSettings";
import { BrowserServices } from "@looker/sdk-rtl/lib/esm/browserServices";
import { OAuthSession } from "@looker/sdk-rtl/lib/esm/oauthSession";

class Settings extends ApiSettings {
  constructor(values) {
    super(values);
    Object.assign(this, values);  // looker_url, client_id, redirect_uri for OAuthSession
  }
}

(async () => {
  const config = await (await fetch("/looker.json", { cache: "no-store" })).json();
  const settings = new Settings({ base_url: config.api_url, looker_url: config.ui_url, verify_ssl: false,
                                  client_id: "tests-ts-sdk", redirect_uri: location.origin + location.pathname });
  const session = new OAuthSession(new BrowserServices({ settings }));
  const sdk = new Looker40SDK(session);
  try {
    await session.login();
    const me = await sdk.ok(sdk.me());
    document.body.dataset.loggedOut = String(await session.logout());  // DELETE /api/logout, as its sign-out
    document.body.dataset.email = me.email;
    document.body.dataset.idType = typeof me.id;
    document.body.dataset.roleIdType = typeof me.role_ids[0];
  } catch (error) {
    document.body.dataset.error = String((error && error.message) || error);
  }
})();
