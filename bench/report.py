"""The benchmark's report: medians and same-run ratios, as Markdown (the raw numbers go to report.json)."""

from __future__ import annotations

import statistics

from bench.pages import BARE_OF, FULL, PAGES


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def overlap(alone: list[float], together: dict) -> float:
    """How much N queries overlap: 1.0 when together they take as long as the slowest one run
    alone, 0.0 when they take as long as all of them one after another."""
    spread = sum(alone) - max(alone)
    return (sum(alone) - together["wall"]) / spread if spread > 0 else 1.0


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b and a == a and b == b else "n/a"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1),
            *("| " + " | ".join(row) + " |" for row in rows)]


def startup(raw: dict, deployment: str, with_python: bool) -> list[str]:
    warm = {page: median(raw[deployment]["first_warm"][page]) for page in PAGES}
    cold = {page: median(raw[deployment]["first_cold"][page]) for page in PAGES}
    rows = []
    for page, info in PAGES.items():
        bare = BARE_OF.get(page)
        row = [info.label, f"{warm[page]:,.0f}", f"{cold[page]:,.0f}", ratio(warm[page], warm["sdk"]),
               ratio(cold[page], cold["sdk"]), ratio(warm[page], warm["fetch"]),
               f"{ratio(warm[page], warm[bare])} / {ratio(cold[page], cold[bare])}" if bare else "—"]
        if with_python:
            row.append(f"{median(raw[deployment]['python_warm'][page]):,.0f}"
                       if any(x is not None for x in raw[deployment]["python_warm"][page]) else "—")
        rows.append(row)
    header = ["page", "warm", "cold", "warm vs JS SDK", "cold vs JS SDK", "warm vs fetch",
              "vs bare interpreter (warm / cold)"] + (["first Python line (warm)"] if with_python else [])
    return table(header, rows)


def slow_looker(raw: dict) -> list[str]:
    """Start-up when Looker takes its time to answer, per deployment: what the lean loader's head start
    (session.py, "First calls") overlaps with the interpreter's start."""
    columns = [(name, how) for name in ("h1", "h2") if name in raw for how in ("warm", "cold")]
    ms = {(name, how): {page: median(raw[name][f"first_{how}_slow_looker"][page]) for page in PAGES}
          for name, how in columns}
    rows = [[info.label] + [cell for column in columns for cell in
                            (f"{ms[column][page]:,.0f}", ratio(ms[column][page], ms[column]["sdk"]))]
            for page, info in PAGES.items()]
    return table(["page"] + [cell for name, how in columns for cell in (f"{how}, {name}", "vs JS SDK")], rows)


def concurrency(raw: dict, deployment: str) -> list[str]:
    rows = []
    for page in FULL:
        alone, together = raw[deployment]["sequential"][page], raw[deployment]["concurrent"][page]
        over = median([overlap(a, t) for a, t in zip(alone, together)])
        rows.append([PAGES[page].label, f"{median([sum(a) for a in alone]):,.0f}",
                     f"{median([max(a) for a in alone]):,.0f}", f"{median([t['wall'] for t in together]):,.0f}",
                     f"{over * 100:.0f} %"])
    return table(["page", "one after another (ms)", "slowest alone (ms)", "all at once: wall (ms)", "overlap"], rows)


def report(raw: dict, info: dict) -> str:
    s = raw["settings"]
    h1 = raw["h1"]
    med = {key: {page: median(h1[key][page]) for page in FULL} for key in
           ("per_call", "large_received", "large_painted")}
    csv = {page: median([x["ms"] for x in h1["csv"][page]]) for page in FULL}
    mem = {page: h1["memory"][page][-1] for page in FULL}
    lines = [
        "# Benchmark report", "",
        f"{s['rounds']} interleaved rounds; medians; ratios against references measured in the same run.",
        f"Machine: {info['cpu']}, {info['cores']} cores, {int(info['memory_kib']) // 1024} MiB; {info['chromium']}; "
        f"PyScript {info['pyscript']}, Pyodide {info['pyodide']}, MicroPython {info['micropython']}, "
        f"Brython {info['brython']}, @looker/sdk {info['looker_sdk_js']}.",
        "Deployments: **h1** = static site and local Looker over plain HTTP/1.1 (as the tests serve them); "
        "**h2** = both over HTTPS + HTTP/2, static files brotli-compressed (as real deployments are served).", "",
        "## 1. Signed-in reload → first rendered rows of a small query (ms from navigation start), h1", "",
        *startup(raw, "h1", with_python=True),
        "", "The app itself (index.html, MicroPython), signed-in reload of a look (`#/look/1`: "
            "profile, look, explore metadata, run_look, chart library, grid) → first grid row: "
            f"**{median(raw['app']['warm']):,.0f} ms warm**, {median(raw['app']['cold']):,.0f} ms cold.",
    ]
    if "h2" in raw:
        lines += ["", "## 1b. The same over HTTPS + HTTP/2 with compressed static files (h2)", "",
                  *startup(raw, "h2", with_python=False)]
    lines += ["", f"## 1c. The same reload when Looker takes {s['concurrency_latency_ms']} ms to answer each API call",
              "", "Section 1 is the worst case for an interpreter: the local Looker answers from its results cache "
                  "in about a millisecond, on loopback. A real Looker takes tens to hundreds of milliseconds "
                  "(injected here as server latency: the same for every page).", "", *slow_looker(raw)]
    lines += ["", f"## 2. Per-call overhead: {s['calls']} sequential GET /user (ms per call), h1", "",
              *table(["page", "ms/call", "vs fetch"],
                     [[PAGES[p].label, f"{med['per_call'][p]:.2f}", ratio(med["per_call"][p], med["per_call"]["fetch"])]
                      for p in FULL])]
    lines += ["", f"## 3. Large result: run_inline_query, {s['large_rows']:,} rows as JSON, into the same grid (ms), h1",
              "", *table(["page", "received", "painted & usable", "painted vs JS SDK", "CSV download"],
                         [[PAGES[p].label, f"{med['large_received'][p]:,.0f}", f"{med['large_painted'][p]:,.0f}",
                           ratio(med["large_painted"][p], med["large_painted"]["sdk"]), f"{csv[p]:,.0f}"]
                          for p in FULL])]
    for deployment, how in (("h1", "HTTP/1.1 (Chromium: at most 6 connections per origin)"),
                            ("h2", "HTTP/2 over TLS (one connection, many streams)")):
        if deployment in raw:
            lines += ["", f"## 4{'' if deployment == 'h1' else 'b'}. Concurrency over {how}: {s['concurrency']} "
                          f"small queries, {s['concurrency_latency_ms']} ms server latency injected", "",
                      *concurrency(raw, deployment)]
    lines += ["", "The same query each time: after the first, the local Looker answers from its results cache "
                  "(as Looker does), so the batch measures latency and the connection, not this machine's SQLite."]
    lines += ["", "## 5. Memory after (3)", "",
              *table(["page", "JS heap (MB)", "wasm memory (MB)"],
                     [[PAGES[p].label, f"{(mem[p]['js_heap'] or 0) / 1e6:.1f}", f"{mem[p]['wasm'] / 1e6:.1f}"]
                      for p in FULL])]
    if raw.get("throttled"):
        net = s["network"]
        first = {p: median([x["ms"] for x in raw["throttled"][p]]) for p in PAGES}
        rows = [[PAGES[p].label, f"{first[p]:,.0f}", ratio(first[p], first["sdk"]),
                 f"{median([x['bytes'] for x in raw['throttled'][p]]) / 1e3:,.0f}",
                 f"{median([x['requests'] for x in raw['throttled'][p]]):.0f}"] for p in PAGES]
        lines += ["", f"## 6. First visit on a throttled network (h2, empty cache), {s['throttled_rounds']} rounds", "",
                  f"Chrome DevTools network emulation with Lighthouse's \"Slow 4G\" preset: {net['latency']:.1f} ms "
                  f"request latency, {net['downloadThroughput'] * 8 / 1e6:.2f} Mbit/s down, "
                  f"{net['uploadThroughput'] * 8 / 1e3:.0f} kbit/s up (150 ms RTT, 1.6 Mbit/s, 750 kbit/s "
                  "× DevTools' 3.75 latency / 0.9 throughput factors). Bytes: what came over the wire until the "
                  "first rows (DevTools' encodedDataLength: compressed bodies and headers).", "",
                  *table(["page", "navigation → first rows (ms)", "vs JS SDK", "transferred (kB)", "requests"], rows)]
    if raw.get("dashboard"):
        lines += ["", *dashboard_section(raw["dashboard"])]
    server = raw.get("server")
    if server:
        lines += ["", "## 7. The local Looker itself (from Python, no browser, h1)", "",
                  f"Start-up to first answer: {server['startup_s']:.2f} s. run_inline_query, {s['large_rows']:,} rows: "
                  f"JSON {median(server['json_ms']):,.0f} ms ({server['json_mb']:.1f} MB), "
                  f"CSV {median(server['csv_ms']):,.0f} ms ({server['csv_mb']:.1f} MB), medians of "
                  f"{len(server['json_ms'])}."]
    lines += ["", "Overlap = (one after another − all at once) / (one after another − slowest alone): "
                  "100 % when the batch takes no longer than its slowest query.",
              "Raw numbers: report.json, written beside report.md (build/bench/ by default).", ""]
    return "\n".join(lines)


def dashboard_section(board: dict) -> list[str]:
    """Dashboard 1 drawn by the page `new --dashboard` writes and by the official SDK + Chart.js page."""
    ms = {name: {how: median([x["ms"] for x in board[name][how]]) for how in ("warm", "cold")} for name in ("ours", "sdk")}
    kb = {name: median([x["bytes"] for x in board[name]["cold"]]) / 1e3 for name in ("ours", "sdk")}
    rounds = len(board["ours"]["warm"])
    rows = [[label, f"{ms[name]['warm']:,.0f}", f"{ms[name]['cold']:,.0f}", f"{kb[name]:,.0f}",
             str(board["tiles"][name])] for name, label in (("ours", "`looker-pkce new --dashboard 1`, built"),
                                                            ("sdk", "official @looker/sdk + Chart.js"))]
    rows.append(["ratio (ours / official)", ratio(ms["ours"]["warm"], ms["sdk"]["warm"]),
                 ratio(ms["ours"]["cold"], ms["sdk"]["cold"]), ratio(kb["ours"], kb["sdk"]), ""])
    return [f"## 8. Dashboard 1, every tile drawn: signed-in reload (ms from navigation start), h1, {rounds} rounds",
            "", *table(["page", "warm", "cold (empty cache)", "first visit: transferred (kB)", "tiles"], rows)]
