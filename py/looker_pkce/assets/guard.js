// The page guard: the first script of every looker_pkce page, loaded before PyScript.
//
// 1. Trusted Types. The page's CSP says `require-trusted-types-for 'script'`, so every
//    HTML sink (innerHTML, outerHTML, insertAdjacentHTML, document.write, srcdoc,
//    DOMParser, script text and src) refuses plain strings. Two policies exist and the CSP
//    names only them (`trusted-types default looker-pkce`): `default` turns a string into a
//    script for the interpreters' own eval/Function and nothing else (no createHTML), and
//    `looker-pkce` makes script URLs of this page's own origin, for add_python.
// 2. Python added after start-up does not run. PyScript runs any <script type="mpy|py">,
//    <mpy-script>, <py-script> or <py-config> that appears in the document. What was in the
//    document as served (there at DOMContentLoaded) is the page's, whenever the observer
//    reports it; an element inserted afterwards is disarmed and removed unless the page added
//    it through `lookerPkceGuard.allow(element)` (looker_pkce.browser.add_python does).
// 3. Framing. `lookerPkceGuard.framedByAnotherOrigin` tells the library, which then
//    refuses to sign in or call Looker (the build's headers also send frame-ancestors 'none').
"use strict";
(() => {
  const EVAL_SINKS = new Set(["eval", "Function"]);
  if (window.trustedTypes && !window.trustedTypes.defaultPolicy) {
    window.trustedTypes.createPolicy("default", {
      createScript(source, type, sink) {
        if (EVAL_SINKS.has(sink)) return source;
        throw new TypeError("looker_pkce: refused a script from a string (" + sink + ")");
      },
    });
  }

  const scriptURLs = window.trustedTypes && window.trustedTypes.createPolicy("looker-pkce", {
    createScriptURL(url) {
      if (new URL(url, location.href).origin === location.origin) return url;
      throw new TypeError("looker_pkce: refused a script from another origin: " + url);
    },
  });

  const PYTHON = ['script[type="py"]', 'script[type="mpy"]', 'script[type="pyodide"]',
    'script[type="micropython"]', "py-script", "mpy-script", "py-config", "mpy-config"].join(",");
  const allowed = new WeakSet();
  const refused = [];
  let started = false;
  // The served markup, taken when parsing ends: an observer may report its last elements only
  // after that (its callbacks run later than the insertions they report).
  const start = () => {
    for (const element of document.querySelectorAll(PYTHON)) allowed.add(element);
    started = true;
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();

  const disarmed = new WeakSet();
  const refuse = (element) => {
    if (disarmed.has(element)) return;
    disarmed.add(element);
    if (element.localName === "script") element.type = "text/x-refused";
    element.remove();
    refused.push(element.localName + (element.type ? "[type=" + element.type + "]" : ""));
    console.error("looker_pkce: refused Python added to the page after start-up (" + element.localName + ")");
  };
  const check = (node) => {
    if (!started || node.nodeType !== Node.ELEMENT_NODE) return;
    const found = node.matches(PYTHON) ? [node] : [];
    found.push(...node.querySelectorAll(PYTHON));
    for (const element of found) if (!allowed.has(element)) refuse(element);
  };
  // Observers are told in the order they were made: this one runs before PyScript's.
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) check(node);
  }).observe(document, { childList: true, subtree: true });

  // <mpy-script> and <py-script> are custom elements: they run from connectedCallback,
  // before any observer hears of them, so their class is checked as PyScript defines it.
  const define = customElements.define.bind(customElements);
  customElements.define = (name, constructor, options) => {
    if (/^(m?py)-(script|config)$/.test(name)) {
      const connected = constructor.prototype.connectedCallback;
      constructor.prototype.connectedCallback = function () {
        if (started && !allowed.has(this)) return refuse(this);
        return connected && connected.call(this);
      };
    }
    return define(name, constructor, options);
  };

  let framed = false;
  try {
    framed = window.top !== window.self && window.top.location.origin !== window.location.origin;
  } catch (error) {
    framed = true; // another origin's frame: its location cannot even be read
  }

  window.lookerPkceGuard = Object.freeze({
    framedByAnotherOrigin: framed,
    allow(element) { allowed.add(element); return element; },
    scriptURL(url) { return scriptURLs ? scriptURLs.createScriptURL(url) : url; },
    refused() { return refused.slice(); },
  });
})();
