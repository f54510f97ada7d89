// Subresource Integrity for everything a built page fetches, not only for its <script> tags.
//
// `looker-pkce build` lists every file of the site with its SHA-384 in the page's import map
// ("integrity") and puts this script inline right after it, before any other script (its hash is in
// the page's CSP). The browser checks modules against that list itself; this gives every fetch() of a
// listed URL the same integrity (the interpreters' wasm, PyScript's config and [files], the lean
// loader's config, modules image and entries, looker.json, the wheels), so the browser refuses any
// file that is not the one the build hashed. Inline because a file could fail to load: nothing else
// would then check. What is refused is said on the page as text, and on the console.
(() => {
  "use strict";
  const map = document.querySelector('script[type="importmap"]');
  const listed = new Map(Object.entries((map && JSON.parse(map.textContent).integrity) || {})
    .map(([url, hash]) => [new URL(url, document.baseURI).href, hash]));
  const said = new Set();
  const refused = (url) => {
    if (said.has(url)) return;
    said.add(url);
    const box = document.createElement("pre");
    box.className = "looker-pkce-error";
    box.setAttribute("role", "alert");
    box.textContent = `looker_pkce: ${url} was refused: it is not the file this page was built with ` +
                      "(its integrity does not match) or it could not be loaded";
    console.error(box.textContent);
    if (document.body) document.body.append(box);
    else document.addEventListener("DOMContentLoaded", () => document.body.append(box), { once: true });
  };

  const fetch = window.fetch;
  window.fetch = (resource, init) => {
    const url = new URL(resource instanceof Request ? resource.url : String(resource), document.baseURI).href;
    const integrity = listed.get(url);
    if (!integrity) return fetch(resource, init);
    return fetch(new Request(resource, { ...init, integrity })).catch((error) => {
      refused(url);
      throw error;
    });
  };
  // scripts, stylesheets and preloads the browser refused for their integrity attribute
  window.addEventListener("error", (event) => {
    const element = event.target;
    const url = element instanceof HTMLScriptElement ? element.src : element instanceof HTMLLinkElement ? element.href : "";
    if (listed.has(url)) refused(url);
  }, true);
})();
