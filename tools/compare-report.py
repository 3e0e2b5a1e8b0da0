#!/usr/bin/env python3
"""Turns tools/compare.sh's JSON results into the table and the latency plot in BENCHMARKS.md.

usage: compare-report.py OUT_DIR BENCHMARKS_MD SVG_PATH TARGET...

The table goes between the markers <!-- compare:begin --> and <!-- compare:end --> (added at
the end of the file when missing); the plot is an SVG of each server's latency percentiles
(p50, p90, p99, p99.9, max; log scale) under loads C and D.
"""
import json
import math
import os
import sys
import time

NAMES = {"ngircd": "ngIRCd", "inspircd": "InspIRCd", "native": "native door", "irc": "IRC door"}
LOADS = {
    "A": "A 100 clients, 10 senders, max speed: server µs per delivery (deliveries/s)",
    "B": "B 1000 clients, 10 senders, max speed",
    "C": "C 1000 clients, 10 x 20 msg/s: p50 / p99",
    "D": "D 100 clients, 100 x 100 msg/s: p50 / p99",
    "idle": "idle: RSS per connection, time to register all",
}
PCTS = [("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p99_9", "p99.9"), ("max", "max")]
COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]


def load(out, target, load_name):
    path = os.path.join(out, f"{target}-{load_name}.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def ms(us):
    return f"{us / 1000:.1f}" if us >= 1000 else f"{us / 1000:.2f}"


def generator_note(r):
    gen = r.get("generator") or {}
    cores, server = gen.get("cores"), (r.get("server") or {}).get("cores")
    if cores is None:
        return ""
    note = f"; generator {cores * 100:.0f} %"
    if cores >= 0.9 and (server is None or server < 0.9):
        note += " (the generator was the limit)"
    return note


def cell(r, load_name):
    if r is None:
        return "(no result)"
    if load_name == "idle":
        server = r.get("server") or {}
        per = server.get("rss_per_connection_bytes")
        seconds = (r.get("connect") or {}).get("seconds")
        n = (r.get("connect") or {}).get("connections")
        per_text = "?" if per is None else f"{per / 1024:.1f} KiB"
        return f"{per_text}, {seconds:.1f} s ({n:,} connections)" if seconds else per_text
    server = r.get("server") or {}
    lost = r.get("lost", 0)
    flags = "" if r.get("ok") else " **failed**"
    if lost:
        flags += f", {lost:,} lost"
    rss = server.get("rss_peak_bytes")
    rss_text = f"; RSS {rss / 2**20:.0f} MiB" if rss else ""
    if load_name in ("A", "B"):
        us = server.get("cpu_us_per_delivery")
        rate = (r.get("deliveries") or {}).get("measured", 0) / max(
            (r.get("config") or {}).get("duration_seconds", 1), 1e-9)
        return (f"{us:.2f} µs ({rate / 1e6:.2f}M/s)" if us is not None else "?") \
            + rss_text + generator_note(r) + flags
    lat = r.get("latency_us") or {}
    if "p50" not in lat:
        return "(no deliveries)" + flags
    cores = server.get("cores")
    cpu = f"; server {cores * 100:.0f} %" if cores is not None else ""
    return f"{ms(lat['p50'])} / {ms(lat['p99'])} ms" + cpu + rss_text + generator_note(r) + flags


def table(out, targets):
    head = "| load | " + " | ".join(NAMES.get(t, t) for t in targets) + " |"
    rule = "|---|" + "---|" * len(targets)
    rows = [head, rule]
    for name, label in LOADS.items():
        rows.append(f"| {label} | " + " | ".join(cell(load(out, t, name), name) for t in targets)
                    + " |")
    return "\n".join(rows)


def svg(out, targets):
    width, height, left, top, bottom, gap = 800, 330, 60, 30, 50, 60
    panels = ["C", "D"]
    panel_w = (width - left - gap * len(panels)) / len(panels)
    values = []
    for p in panels:
        for t in targets:
            r = load(out, t, p)
            if r and "p50" in (r.get("latency_us") or {}):
                values += [r["latency_us"][k] for k, _ in PCTS]
    lo = 10 ** math.floor(math.log10(max(min(values or [100]), 1)))
    hi = 10 ** math.ceil(math.log10(max(values or [100000])))

    def y(v):
        v = max(v, lo)
        return top + (height - top - bottom) * (1 - (math.log10(v) - math.log10(lo))
                                                 / (math.log10(hi) - math.log10(lo)))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    decade = lo
    while decade <= hi:
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y(decade):.1f}" '
                     f'y2="{y(decade):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">'
                     f'{ms(decade)} ms</text>')
        decade *= 10
    for i, p in enumerate(panels):
        x0 = left + gap / 2 + i * (panel_w + gap)
        parts.append(f'<text x="{x0 + panel_w / 2:.1f}" y="18" text-anchor="middle" '
                     f'font-weight="bold">load {p}: latency percentiles</text>')
        step = panel_w / (len(PCTS) - 1)
        for k, (_, label) in enumerate(PCTS):
            parts.append(f'<text x="{x0 + k * step:.1f}" y="{height - bottom + 16}" '
                         f'text-anchor="middle">{label}</text>')
        for j, t in enumerate(targets):
            r = load(out, t, p)
            if not r or "p50" not in (r.get("latency_us") or {}):
                continue
            pts = " ".join(f"{x0 + k * step:.1f},{y(r['latency_us'][key]):.1f}"
                           for k, (key, _) in enumerate(PCTS))
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{COLOURS[j % 4]}" '
                         f'stroke-width="2"/>')
    for j, t in enumerate(targets):
        x = left + j * 150
        parts.append(f'<rect x="{x}" y="{height - 22}" width="12" height="12" '
                     f'fill="{COLOURS[j % 4]}"/>')
        parts.append(f'<text x="{x + 16}" y="{height - 12}">{NAMES.get(t, t)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    out, md, svg_path, *targets = sys.argv[1:]
    with open(svg_path, "w", encoding="utf-8") as f:
        f.write(svg(out, targets))
    machine = {}
    for t in targets:
        for name in LOADS:
            r = load(out, t, name)
            if r and r.get("machine"):
                machine = r["machine"]
                break
        if machine:
            break
    block = "\n".join([
        "<!-- compare:begin (written by tools/compare.sh; edits here are overwritten) -->",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `tools/compare.sh`; "
        f"machine: `{json.dumps(machine)}`. Each server on CPU 0, the generator on CPU 1, one "
        "fresh server per run, memory store, flood and per-address limits off, `--io-threads 1`;"
        " the native door's idle run stays in the default room (the default configuration).",
        "",
        table(out, targets),
        "",
        f"![latency percentiles under loads C and D]({os.path.basename(svg_path)})",
        "<!-- compare:end -->",
    ])
    with open(md, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find("<!-- compare:begin"), text.find("<!-- compare:end -->")
    if begin >= 0 and end > begin:
        text = text[:begin] + block + text[end + len("<!-- compare:end -->"):]
    else:
        text = text.rstrip("\n") + "\n\n## Side by side: the C servers and ours\n\n" + block + "\n"
    with open(md, "w", encoding="utf-8") as f:
        f.write(text)
    print(table(out, targets))


if __name__ == "__main__":
    main()
