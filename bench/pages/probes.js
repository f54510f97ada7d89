// Loaded before anything else on every benchmark page (and the app): remember each
// WebAssembly.Memory so the report can add up wasm memory next to the JS heap, note
// when the first grid row appears (the app's "first rendered data"), and settle
// window.__benchDone when a page sets one of its moments (__firstRows, __needsSignIn,
// __firstGridRow), for bench/tab.py to await over CDP.
"use strict";
(() => {
  const memories = new Set();
  const remember = (instance) => {
    for (const value of Object.values((instance && instance.exports) || {})) {
      if (value instanceof WebAssembly.Memory) memories.add(value);
    }
  };
  const NativeMemory = WebAssembly.Memory;
  WebAssembly.Memory = function (descriptor) { const m = new NativeMemory(descriptor); memories.add(m); return m; };
  WebAssembly.Memory.prototype = NativeMemory.prototype;
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const native = WebAssembly[name];
    WebAssembly[name] = async (...args) => {
      const result = await native(...args);
      remember(result.instance || result);
      return result;
    };
  }
  let done;
  window.__benchDone = new Promise((resolve) => { done = resolve; });
  for (const name of ["__firstRows", "__needsSignIn", "__firstGridRow"]) {
    let value;
    Object.defineProperty(window, name, { configurable: true, get: () => value,
                                          set: (moment) => { value = moment; done(name); } });
  }
  window.wasmBytes = () => [...memories].reduce((total, m) => total + m.buffer.byteLength, 0);
  new MutationObserver((changes, observer) => {
    if (document.querySelector(".grid-row")) {
      window.__firstGridRow = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
})();
