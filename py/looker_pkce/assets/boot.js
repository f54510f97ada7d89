// looker_pkce's lean loader: MicroPython straight from its own module, without PyScript. A page
// describes its Python the way PyScript reads it, and picks its loader by one attribute:
//
//   <script type="mpy" src="./main.py" config="./pyscript.toml"></script>
//   <script type="module" async src="./looker_pkce/assets/boot.js"></script>   (this loader)
//   <script type="module" async src="./vendor/pyscript/core.js"></script>      (or PyScript)
//
// The config (TOML or JSON, in a `config` attribute or an <mpy-config>) is PyScript's: `interpreter`
// (the page's own micropython.mjs) and `[files]`, fetched and written to the file system as PyScript
// does. Where it also names a modules image (`[looker_pkce] modules`, which `looker-pkce build` and
// the development server generate from what the entries import), that one request replaces
// [files]: a MicroPython ROMFS of the same modules precompiled to .mpy, mounted read-only at /rom,
// so imports neither fetch nor compile. `[looker_pkce] pyscript` names PyScript's core.js, started
// only when the page first adds Python (Pyodide on demand: looker_pkce.browser.add_python calls
// window.lookerPkceStartPyScript()). The scripts this loader runs are taken out of PyScript's sight
// first (their type changes), so PyScript never runs them a second time. What PyScript does and this
// loader does not (workers, terminals, packages, plugins, <py-editor>, ...) is said on the console.
//
// For pages that need no PyScript feature: the library and the app talk to the browser through `js`
// and looker_pkce.browser.bridge. Everything starts at once, as soon as this module runs (before the
// page is even parsed; put the <script type="mpy"> before this tag so it is found at once; the
// entries run once the document is ready): the config, the interpreter module, its wasm, the modules
// image and the entries' sources (`looker-pkce build` and the development server add preload hints
// for them, so none waits for the config). Entries run with top-level await, as in PyScript. And the
// page's first API calls, when they only read, are sent again at once with the stored access token
// while it is fresh (session.py, "First calls"): each is rebuilt from its method, API path and body
// on the session's API origin, under the same rules as the library (RULES below, generated from
// session.py), and the client takes those answers instead of waiting for the interpreter to send
// them. In a build every fetch carries Subresource Integrity (the page guard, assets/guard.js, adds
// it from the build's list). A failure is shown on the page as text and thrown, never swallowed.
"use strict";

function preload(href) {  // unless the page has one (a build's carries the file's integrity)
  if ([...document.querySelectorAll('link[rel="preload"]')].some((link) => link.href === href)) return;
  const link = document.createElement("link");
  Object.assign(link, { rel: "preload", as: "fetch", crossOrigin: "anonymous", href });
  document.head.append(link);
}

async function bytes(url) {
  const answer = await fetch(url);
  if (!answer.ok) throw new Error(`looker_pkce boot: ${url} answered ${answer.status}`);
  return new Uint8Array(await answer.arrayBuffer());
}

// Generated from looker_pkce/core/session.py (LOADER_RULES) by `make boot-rules`; a test checks they agree.
const RULES = {"api_version": "4.0", "read_only_posts": [["queries/run/", ""], ["sql_queries/", "/run/"]], "first_calls": 24, "first_calls_version": 2};

// session.first_call: only GETs and the read-only POSTs, on a relative API path, are sent again.
function rebuilt(call, api, token) {
  if (!Array.isArray(call) || call.length !== 3) return null;
  const [method, path, body] = call;
  if (typeof path !== "string" || !/^[!-~]+$/.test(path) || /:\/\/|\\|#/.test(path)) return null;
  const base = path.split("?")[0];
  const dots = (part) => part.toLowerCase().replaceAll("%2e", ".");  // "%2e" is a dot to the URL parser
  if (base.split("/").some((part) => ["", ".", ".."].includes(dots(part)))) return null;
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

// JSON in the tagged form of looker_pkce.core.ordered, for MicroPython, whose dict keeps no key order: every
// object as [0, key, value, ...], every array as [1, item, ...], strings and numbers copied as they are (so
// Python reads them exactly as in the text). Python's json.loads (C) reads the result, and ordered.from_tagged
// makes the OrderedDicts: a 25 kB dashboard in ~5 ms instead of ~19 ms walking the text in Python. Text that
// is not JSON: null (Python's own walk then says what is wrong).
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|[{}[\]]|[^\s,:{}[\]"]+/g;
function taggedJson(text) {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const out = [];
  for (const [token] of text.matchAll(JSON_TOKEN)) {
    const first = token[0];
    if (first === "}" || first === "]") out.push("]");
    else out.push((out.length ? "," : "") + (first === "{" ? "[0" : first === "[" ? "[1" : token));
  }
  return out.join("");
}

function show(error) {
  const box = document.createElement("pre");
  box.className = "looker-pkce-error";
  box.textContent = String(error && error.message || error);
  (document.body || document.documentElement).append(box);
  console.error(error);
}

// ---- The page's Python as PyScript describes it: its <script type="mpy"> and their config ----

const MPY = 'script[type="mpy"]';
const CLAIMED = "text/x-looker-pkce-mpy";  // run by this loader: out of PyScript's sight (it looks for type=mpy)
const KEYS = new Set(["interpreter", "files", "looker_pkce"]);  // the config keys this loader acts on
const ATTRIBUTES = ["worker", "terminal", "target", "env", "service-worker"];  // PyScript's, not this loader's
const ELSEWHERE = 'script[type="py"], script[type="py-editor"], script[type="mpy-editor"], py-script, mpy-script';

function unsupported(what) {
  console.warn(`looker_pkce boot: ${what} is a PyScript feature this loader does not have (ignored; ` +
               "start the page with PyScript's core.js to use it)");
}

function claim() {
  const scripts = [...document.querySelectorAll(MPY)];
  for (const script of scripts) script.type = CLAIMED;
  return scripts;
}

async function documentReady() {  // an async module may run before the page is parsed
  if (document.readyState !== "loading") return;
  await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
}

// The page's <script type="mpy">, claimed: those parsed already, else those there once parsing ends.
async function pageScripts() {
  let scripts = claim();
  if (!scripts.length) {
    await documentReady();
    scripts = claim();
  }
  if (!scripts.length) throw new Error('looker_pkce boot: the page has no <script type="mpy" src=... config=...>');
  return scripts;
}

function sameConfig(scripts, attribute) {
  if (scripts.some((script) => script.getAttribute("config") !== attribute)) {
    throw new Error('looker_pkce boot: the page\'s <script type="mpy"> name different configs (PyScript refuses that too)');
  }
}

// {config, base}: the scripts' config, found as PyScript finds it, and the URL its paths are relative to.
async function readConfig(scripts) {
  const attribute = scripts[0].getAttribute("config");
  sameConfig(scripts, attribute);
  const element = attribute === null ? document.querySelector("mpy-config") : null;
  const text = (attribute ?? (element && (element.getAttribute("src") || element.textContent)) ?? "").trim();
  if (!text) {
    throw new Error('looker_pkce boot: the page names no config: add config="./pyscript.toml" to its <script type="mpy"> '
                    + "(the config's `interpreter` is the page's micropython.mjs)");
  }
  if (text.startsWith("{")) return { config: JSON.parse(text), base: document.baseURI };
  if (!/\.(toml|json)(\?\S*)?$/.test(text)) return { config: parseToml(text, "the inline config"), base: document.baseURI };
  const url = new URL(text, document.baseURI).href;
  const body = new TextDecoder().decode(await bytes(url));
  return { config: /\.json(\?\S*)?$/.test(text) ? JSON.parse(body) : parseToml(body, text), base: url };
}

// TOML as PyScript configs write it: key = value, [table], [[array of tables]], comments; strings,
// numbers, booleans, arrays (over several lines too) and inline tables. Anything else is an error
// that names its line.
function parseToml(text, where) {
  const root = {};
  let table = root;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const at = `${where}, line ${i + 1}`;
    let line = withoutComment(lines[i]).trim();
    if (!line) continue;
    const header = /^(\[\[?)\s*(.+?)\s*\]\]?$/.exec(line);
    if (header) {
      const keys = keyPath({ text: header[2], at, position: 0 });
      const last = keys.pop();
      const parent = keys.reduce((node, key) => (node[key] ??= {}), root);
      if (header[1] === "[[") (parent[last] ??= []).push(table = {});
      else table = parent[last] ??= {};
      continue;
    }
    while (!balanced(line) && i + 1 < lines.length) line += " " + withoutComment(lines[++i]).trim();
    const reader = { text: line, at, position: 0 };
    const keys = keyPath(reader);
    expect(reader, "=");
    const last = keys.pop();
    keys.reduce((node, key) => (node[key] ??= {}), table)[last] = readValue(reader);
    skipSpace(reader);
    if (reader.position < line.length) throw new SyntaxError(`${at}: unexpected ${line.slice(reader.position)}`);
  }
  return root;
}

function withoutComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

function balanced(line) {  // every [ and { closed: else the value goes on on the next line
  const bare = line.replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, "");
  return bare.split(/[[{]/).length === bare.split(/[\]}]/).length;
}

function keyPath(reader) {
  const keys = [readKey(reader)];
  while ((skipSpace(reader), reader.text[reader.position] === ".")) {
    reader.position++;
    keys.push(readKey(reader));
  }
  return keys;
}

function skipSpace(reader) {
  while (/\s/.test(reader.text[reader.position] || "")) reader.position++;
}

function expect(reader, character) {
  skipSpace(reader);
  if (reader.text[reader.position] !== character) throw new SyntaxError(`${reader.at}: expected ${character}`);
  reader.position++;
}

function readKey(reader) {
  skipSpace(reader);
  if (/["']/.test(reader.text[reader.position])) return readString(reader);
  const bare = /^[A-Za-z0-9_-]+/.exec(reader.text.slice(reader.position));
  if (!bare) throw new SyntaxError(`${reader.at}: expected a key`);
  reader.position += bare[0].length;
  return bare[0];
}

function readString(reader) {
  const rest = reader.text.slice(reader.position);
  if (/^("""|''')/.test(rest)) throw new SyntaxError(`${reader.at}: multi-line strings are not read here`);
  const found = rest[0] === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(rest) : /^'[^']*'/.exec(rest);
  if (!found) throw new SyntaxError(`${reader.at}: a string that does not end`);
  reader.position += found[0].length;
  return rest[0] === '"' ? JSON.parse(found[0]) : found[0].slice(1, -1);
}

function readValue(reader) {
  skipSpace(reader);
  const c = reader.text[reader.position];
  if (c === '"' || c === "'") return readString(reader);
  if (c === "[" || c === "{") {
    const close = c === "[" ? "]" : "}", value = c === "[" ? [] : {};
    reader.position++;
    while ((skipSpace(reader), reader.text[reader.position] !== close)) {
      if (reader.position >= reader.text.length) throw new SyntaxError(`${reader.at}: expected ${close}`);
      if (c === "[") value.push(readValue(reader));
      else {
        const key = readKey(reader);
        expect(reader, "=");
        value[key] = readValue(reader);
      }
      skipSpace(reader);
      if (reader.text[reader.position] === ",") reader.position++;
      else if (reader.text[reader.position] !== close) throw new SyntaxError(`${reader.at}: expected , or ${close}`);
    }
    reader.position++;
    return value;
  }
  const word = /^[^\s,\]}]+/.exec(reader.text.slice(reader.position));
  if (!word) throw new SyntaxError(`${reader.at}: expected a value`);
  reader.position += word[0].length;
  if (word[0] === "true" || word[0] === "false") return word[0] === "true";
  const number = Number(word[0].replaceAll("_", ""));
  if (Number.isNaN(number)) throw new SyntaxError(`${reader.at}: ${word[0]} is not a value this reader knows`);
  return number;
}

// What the page asks of PyScript that this loader does not do: one console line each.
function sayUnsupported(scripts, config) {
  for (const script of scripts) {
    for (const name of ATTRIBUTES) if (script.hasAttribute(name)) unsupported(`<script type="mpy" ${name}>`);
  }
  for (const key of Object.keys(config)) if (!KEYS.has(key)) unsupported(`the config's \`${key}\``);
  for (const element of document.querySelectorAll(ELSEWHERE)) {
    unsupported(`<${element.localName}${element.type ? ` type="${element.type}"` : ""}> (this loader runs ` +
                'MicroPython\'s <script type="mpy"> only)');
  }
}

// [files] as PyScript reads it: [{url, path}], "{NAME}" templates expanded, a folder destination
// ("./lib/") taking the file's name. Unpacking an archive ("./*") is PyScript's only.
function filesOf(config, base) {
  const templates = new Map(), found = [];
  const expand = (text) => text.replace(/\{.+?\}/g, (name) => {
    if (!templates.has(name)) throw new SyntaxError(`looker_pkce boot: [files] uses ${name} without defining it`);
    return templates.get(name);
  });
  for (const [source, destination] of Object.entries(config.files || {})) {
    if (/^\{.+\}$/.test(source)) {
      templates.set(source, expand(destination));
      continue;
    }
    const url = expand(source), path = expand(destination || "./");
    if (path.endsWith("*")) unsupported(`[files] unpacking an archive (${source})`);
    else found.push({ url: new URL(url, base).href, path: path.endsWith("/") ? path + url.split("/").pop() : path });
  }
  return found;
}

function writeFiles(python, files) {  // relative to the interpreter's working folder, as PyScript writes them
  for (const { path, data } of files) {
    const absolute = path.startsWith("/") ? path : python.FS.cwd().replace(/\/$/, "") + "/" + path.replace(/^\.\//, "");
    python.FS.mkdirTree(absolute.slice(0, absolute.lastIndexOf("/")) || "/");
    python.FS.writeFile(absolute, data);
  }
}

async function source(script) {  // an entry's code: its src, or its text (dedented, as PyScript does)
  if (script.hasAttribute("src")) {
    return new TextDecoder().decode(await bytes(new URL(script.getAttribute("src"), document.baseURI).href));
  }
  const lines = script.textContent.replace(/^\s*\n/, "").split("\n");
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^\s*/.exec(line)[0].length));
  return lines.map((line) => line.slice(indent)).join("\n");
}

async function boot() {
  window.lookerPkceFirstCalls = sendFirstCalls();
  window.lookerPkceTaggedJson = taggedJson;  // for looker_pkce.browser (core.ordered.use_tagger)
  const scripts = await pageScripts();
  const { config, base } = await readConfig(scripts);
  sayUnsupported(scripts, config);
  if (typeof config.interpreter !== "string" || !/\.mjs(\?\S*)?$/.test(config.interpreter)) {
    throw new Error('looker_pkce boot: the config needs interpreter = "./.../micropython.mjs", the page\'s own '
                    + "(PyScript would fetch one from its CDN)");
  }
  const lean = config.looker_pkce || {};
  if (lean.pyscript) window.lookerPkceStartPyScript = () => import(new URL(lean.pyscript, base).href);
  const interpreterURL = new URL(config.interpreter, base).href;
  preload(new URL("micropython.wasm", interpreterURL).href);
  const image = lean.modules ? bytes(new URL(lean.modules, base).href) : undefined;  // [files]' modules, compiled
  const files = lean.modules ? [] : filesOf(config, base).map(({ url, path }) => bytes(url).then((data) => ({ path, data })));
  const interpreter = Promise.all([import(interpreterURL), image]).then(([{ loadMicroPython }, romfs]) =>
    loadMicroPython({ romfs, stdout: console.log, stderr: console.error, linebuffer: true }));
  const sources = scripts.map(source);
  const [python, written] = await Promise.all([interpreter, Promise.all(files)]);  // the entries may come last
  writeFiles(python, written);
  await documentReady();
  const later = claim();  // parsed after this module started: same config, run after the first ones
  sameConfig(later, scripts[0].getAttribute("config"));
  sources.push(...later.map(source));
  performance.mark("looker-pkce:python-ready");  // for profiling: the interpreter is up, the entries start
  for (const code of sources) await python.runPythonAsync(await code);
}

export const ready = boot().catch((error) => { show(error); throw error; });
