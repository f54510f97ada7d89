// A page of the app's origin that is not the app (tests/browser/test_sessions_browser.py): it listens on
// the session's channel, posts what an attacker would, holds the session's locks and plants first
// calls in a window of the app it opens. window.other.* drives it; window.other.report() tells.
"use strict";
window.other = (() => {
  const heard = [];
  const answers = [];
  let channel = null;
  let identity = null;
  const evil = { access_token: "attacker-token", refresh_token: "attacker-refresh", expires_at: Date.now() / 1000 + 3600,
    lifetime: 3600 };
  const post = (kind, fields, proof) => channel.postMessage(JSON.stringify({ kind, body: JSON.stringify(fields),
    proof: proof || "" }));
  const randomHex = () => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

  async function listen(clientId) {
    const config = await (await fetch("/looker.json")).json();
    const origin = (url) => new URL(url).origin;
    identity = `${origin(config.ui_url)} ${origin(config.api_url)} ${clientId}`;
    channel = new BroadcastChannel("looker_pkce " + identity);
    channel.onmessage = (event) => {
      heard.push(event.data);
      let message = null;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (message.kind === "tokens") answers.push(event.data);
      let body = {};
      try { body = JSON.parse(message.body || "{}"); } catch (error) { /* the previous version's shape */ }
      if (message.kind === "successor") {  // someone waits for a successor: answer first, with ours
        post("rotated", { spent: body.spent, tokens: evil }, randomHex());
        post("rotated", { spent: body.spent, tokens: evil });
        channel.postMessage(JSON.stringify({ kind: "rotated", spent: body.spent, tokens: evil }));
      }
    };
    return identity;
  }

  function attack() {  // every forgery it can make without a refresh token, and a request for the session
    channel.postMessage(JSON.stringify({ kind: "join" }));  // the previous version's join
    post("join", { ask: randomHex() });
    post("signed_out", {});
    post("signed_out", {}, randomHex());
    channel.postMessage(JSON.stringify({ kind: "signed_out" }));
    post("tokens", { ask: randomHex(), tokens: evil });
    post("rotated", { spent: randomHex().slice(0, 32), tokens: evil }, randomHex());
  }

  let release = null;
  function holdRefreshLock() {  // held until release(): the app must not wait for it without end
    return new Promise((granted) => {
      navigator.locks.request(`looker_pkce ${identity} refresh`, () => {
        granted(true);
        return new Promise((resolve) => { release = resolve; });
      });
    });
  }

  // opens the app in a window it scripts, plants `calls` (this version's record) and the previous
  // version's record of a DELETE and a POST (stored URL and fetch() options), and reloads it
  function plant(url, calls) {
    const app = window.open(url, "planted");
    return new Promise((done) => {
      const tick = () => {
        const key = Object.keys(app.sessionStorage).find((k) => k.startsWith("looker_pkce ") && k.endsWith(" tokens"));
        if (!key) return setTimeout(tick, 100);
        const ident = key.slice("looker_pkce ".length, -" tokens".length);
        const page = app.location.pathname + app.location.hash;
        app.sessionStorage.setItem(`looker_pkce ${ident} first calls`, JSON.stringify({ version: 2, pages: { [page]: calls } }));
        const api = ident.split(" ")[1];
        app.sessionStorage.setItem(`looker_pkce ${ident} first calls ${page}`, JSON.stringify([
          JSON.stringify({ url: `${api}/api/4.0/looks/1`, init: { method: "DELETE" }, headers: [] }),
          JSON.stringify({ url: `${api}/api/4.0/queries`, init: { method: "POST", body: "{}" }, headers: [] })]));
        app.location.reload();
        done(page);
      };
      tick();
    });
  }

  return {
    listen, attack, holdRefreshLock, plant,
    release: () => release && release(),
    report: () => ({ heard: heard.slice(), answers: answers.slice() }),
  };
})();
