// looker_pkce's lean loader: MicroPython straight from its own module, without PyScript.
//
//   <script type="module" async src="./looker_pkce/boot.js"
//           data-interpreter="./vendor/micropython/micropython.mjs"
//           data-modules="./main.romfs" data-main="./main.py"></script>
//
// Optional: data-pyscript="./vendor/pyscript/core.js" lets the page start PyScript later, for
// Pyodide on demand: looker_pkce.browser.add_python calls window.lookerPkceStartPyScript(),
// and PyScript then runs the <script type="py"> just added (with the page's <py-config>).
// data-keep lists files the page fetches by name at run time, for `looker-pkce build`.
//
// For pages that need no PyScript feature (no <py-editor>, no py-terminal, no `pyscript`
// module): the library and the app talk to the browser through `js` and looker_pkce.compat.
// Everything starts at once, as soon as this module runs (`async`: before the page is even
// parsed; the entry itself runs once the document is ready): the interpreter module, its wasm
// (a preload hint, so the interpreter's own fetch finds it under way), the modules image and
// the entry's source. The modules image is a MicroPython ROMFS of precompiled .mpy files
// (generated from what the entry imports: `looker-pkce serve` and `looker-pkce build`),
// mounted read-only at /rom, so imports neither fetch nor compile. The entry runs with
// top-level await, as in PyScript. And the page's first API calls, when they only read, are
// sent again at once with the stored access token while it is fresh (session.py, "First
// calls"): each is rebuilt from its method, API path and body on the session's API origin, under
// the same rules as the library (RULES below, generated from session.py), and the client takes
// those answers instead of waiting for the interpreter to send them. Each fetch may carry Subresource Integrity
// (data-main-integrity, data-modules-integrity; the build writes them). A failure is shown
// on the page as text and thrown, never swallowed.
"use strict";

const script = document.querySelector("script[type=module][data-main]");
const at = (name) => new URL(script.dataset[name], document.baseURI).href;

function preload(href) {
  const link = document.createElement("link");
  Object.assign(link, { rel: "preload", as: "fetch", crossOrigin: "anonymous", href });
  document.head.append(link);
}

async function bytes(name) {
  const integrity = script.dataset[name + "Integrity"];
  const answer = await fetch(at(name), integrity ? { integrity } : {});
  if (!answer.ok) throw new Error(`looker_pkce boot: ${script.dataset[name]} answered ${answer.status}`);
  return new Uint8Array(await answer.arrayBuffer());
}

// Generated from looker_pkce/session.py (LOADER_RULES) by `make boot-rules`; a test checks they agree.
const RULES = {"api_version": "4.0", "read_only_posts": [["queries/run/", ""], ["sql_queries/", "/run/"]], "first_calls": 4, "first_calls_version": 2};

// session.first_call: only GETs and the read-only POSTs, on a relative API path, are sent again.
function rebuilt(call, api, token) {
  if (!Array.isArray(call) || call.length !== 3) return null;
  const [method, path, body] = call;
  if (typeof path !== "string" || !/^[!-~]+$/.test(path) || /:\/\/|\\|#/.test(path)) return null;
  const base = path.split("?")[0];
  if (base.split("/").some((part) => part === "" || part === "." || part === "..")) return null;
  const readOnlyPost = RULES.read_only_posts.some(([prefix, part]) =>
    base.startsWith(prefix) && base.slice(prefix.length).includes(part));
  if (!(method === "GET" && body === null) && !(method === "POST" && readOnlyPost && typeof body === "string")) {
    return null;
  }
  const headers = { Accept: "application/json", Authorization: "Bearer " + token };
  if (body !== null) headers["Content-Type"] = "application/json";
  const init = { method, headers, credentials: "omit" };
  if (body !== null) init.body = body;
  return [`${api}/api/${RULES.api_version}/${path}`, init];
}

// {storage key: [a promise of each call's fetch() Response, or of null]}, for
// looker_pkce.browser.HeadStart, which takes each answer once, for the same call.
function sendFirstCalls() {
  const sent = {};
  const page = location.pathname + location.hash;
  for (let i = 0; i < sessionStorage.length; i++) {
    const key = sessionStorage.key(i);
    if (!key.startsWith("looker_pkce ") || !key.endsWith(" first calls")) continue;
    try {
      const identity = key.slice("looker_pkce ".length, -" first calls".length);  // "<ui> <api> <client id>"
      const tokens = JSON.parse(sessionStorage.getItem(`looker_pkce ${identity} tokens`));
      const api = identity.split(" ")[1];
      if (!tokens || typeof tokens.access_token !== "string" || !(Date.now() / 1000 < tokens.fresh_until)) continue;
      const record = JSON.parse(sessionStorage.getItem(key));
      if (!record || record.version !== RULES.first_calls_version || !Object.hasOwn(record.pages || {}, page)) continue;
      const calls = record.pages[page];
      if (!Array.isArray(calls)) continue;
      sent[key] = calls.slice(0, RULES.first_calls).map((call) => {
        const request = rebuilt(call, api, tokens.access_token);
        return request ? fetch(...request).catch(() => null) : Promise.resolve(null);
      });
    } catch (error) {
      console.warn("looker_pkce boot: ignored malformed first calls", error);
    }
  }
  return sent;
}

function show(error) {
  const box = document.createElement("pre");
  box.className = "looker-pkce-error";
  box.textContent = String(error && error.message || error);
  (document.body || document.documentElement).append(box);
  console.error(error);
}

async function boot() {
  window.lookerPkceFirstCalls = sendFirstCalls();
  if (script.dataset.pyscript) window.lookerPkceStartPyScript = () => import(at("pyscript"));
  const interpreterURL = at("interpreter");
  preload(new URL("micropython.wasm", interpreterURL).href);
  const interpreter = Promise.all([import(interpreterURL), bytes("modules")]).then(([{ loadMicroPython }, romfs]) =>
    loadMicroPython({ romfs, stdout: console.log, stderr: console.error, linebuffer: true }));
  const [python, main] = await Promise.all([interpreter, bytes("main")]);  // the entry may come last
  if (document.readyState === "loading") {  // an async script may be ready before the page is parsed
    await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
  }
  performance.mark("looker-pkce:python-ready");  // for profiling: the interpreter is up, the entry starts
  await python.runPythonAsync(new TextDecoder().decode(main));
}

export const ready = boot().catch((error) => { show(error); throw error; });
