// Shared by the benchmark's reference pages (raw fetch, official JS SDK): the same
// queries, the same grid, the same measurements as the Python pages.
"use strict";

window.__results = {};
window.BENCH = {
  small: { model: "thelook", view: "order_items", fields: ["products.category", "order_items.count"],
           sorts: ["products.category"] },
  large: { model: "thelook", view: "order_items",
           fields: ["order_items.id", "order_items.sale_price", "order_items.created_date"],
           sorts: ["order_items.id"], limit: "100000" },
  columns: {
    small: [{ key: "products.category", label: "Category" }, { key: "order_items.count", label: "Count", numeric: true }],
    large: [{ key: "order_items.id", label: "ID", numeric: true }, { key: "order_items.sale_price", label: "Price", numeric: true },
            { key: "order_items.created_date", label: "Date" }],
  },
};

window.nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

// The access token the app's sign-in left in this tab (key: "looker_pkce <ui> <api> <client id> tokens").
window.benchToken = () => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith("looker_pkce ") && k.endsWith(" tokens"));
  return key ? JSON.parse(sessionStorage.getItem(key)).access_token : null;
};


// Run a benchmark named `name` with `impl` (an object of async functions) and store the result.
window.exposeBench = (impl) => {
  window.runBench = (name, argsJson) => {
    const args = JSON.parse(argsJson || "{}");
    impl[name](args).then(
      (value) => { window.__results[name] = JSON.stringify({ ok: value }); },
      (error) => { window.__results[name] = JSON.stringify({ error: String(error) }); });
  };
};

// The same measurements for any page that can `run(body)` -> rows and `get()` one /user.
window.standardBench = (run, get, blob) => ({
  async calls({ count }) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) await get();
    return performance.now() - t0;
  },
  async large({ limit }) {
    const body = Object.assign({}, BENCH.large, { limit: String(limit) });
    const t0 = performance.now();
    const rows = await run(body);
    const received = performance.now() - t0;
    LookerGrid.create(document.getElementById("large"), BENCH.columns.large, rows);
    await nextFrame();
    return { rows: rows.length, received, painted: performance.now() - t0,
             js_heap: performance.memory ? performance.memory.usedJSHeapSize : null, wasm: wasmBytes() };
  },
  async csv({ limit }) {
    const t0 = performance.now();
    const file = await blob(Object.assign({}, BENCH.large, { limit: String(limit) }));
    return { bytes: file.size, ms: performance.now() - t0 };
  },
  async sequential({ count }) {
    const each = [];
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      await run(BENCH.small);
      each.push(performance.now() - s);
    }
    return each;
  },
  async concurrent({ count }) {
    const t0 = performance.now();
    const each = await Promise.all(Array.from({ length: count }, async () => {
      const s = performance.now();
      await run(BENCH.small);
      return performance.now() - s;
    }));
    return { wall: performance.now() - t0, slowest: Math.max(...each), sum: each.reduce((a, b) => a + b, 0) };
  },
});
