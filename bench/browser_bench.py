"""How long each page of the dashboard takes to render in a real browser, and how many bytes
it receives over Streamlit's websocket.

    python bench/browser_bench.py                          # bundled data, 5 runs per page
    python bench/browser_bench.py --data-dir /tmp/synth1m  # a synthetic 1M-commitment data set
    python bench/browser_bench.py --runs 3 --pages map overview --json

Starts its own server (`streamlit run dashboard.py` on a free localhost port), opens every page
in headless Debian chromium N times in a new tab (run 1 cold: first time the server renders that
page; runs 2..N warm), with chromium unable to reach any host but the app (outside requests are
recorded and reported; no request interception, which would disable the HTTP cache). Render time = navigation
start until Streamlit is idle (not running, nothing stale) and every chart is drawn, MapLibre
maps included. Websocket bytes = payloads of the frames received on /_stcore/stream until then.
A benchmark measures and prints; it asserts nothing (exit code 0 unless it could not run)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
from ogp_browser import (  # noqa: E402
    ROOT,
    VIEWPORT,
    Guard,
    Server,
    chromium_problem,
    launch,
    page_list,
    script_done_ms,
    wait_idle,
)

GOAL_WARM_MS = 1500  # every page rendered in under 1.5 s warm (p95)
GOAL_MAP_WS_BYTES = 1_000_000  # the map page under 1 MB over the websocket


def machine() -> dict:
    info = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?"
            )
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
        info["ram_gb"] = round(kb / 1024**2, 1)
        info["load_avg_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except (OSError, StopIteration, ValueError):
        pass
    try:
        import streamlit

        info["streamlit"] = streamlit.__version__
    except ImportError:
        pass
    return info


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (p95 of 4 samples is their maximum)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def measure(context, url: str, timeout_ms: int) -> dict:
    """Open `url` in a new tab of `context`; render time and websocket bytes until idle."""
    page = context.new_page()
    received = {"bytes": 0, "frames": 0}

    def on_socket(ws):
        if "/_stcore/stream" not in ws.url:
            return

        def on_frame(payload):
            received["bytes"] += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
            received["frames"] += 1

        ws.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    result = {"url": url}
    try:
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        result["render_ms"] = round(wait_idle(page, timeout_ms=timeout_ms), 1)
        done = script_done_ms(page)
        result["script_done_ms"] = round(done, 1) if done is not None else None
        result["ws_bytes_at_idle"] = received["bytes"]
        exceptions = page.locator('[data-testid="stException"]').count()
        if exceptions:
            errors.append(f"{exceptions} exception(s) on the page")
        result["charts"] = page.locator('[data-testid="stPlotlyChart"]').count()
    except Exception as e:  # a benchmark reports and goes on
        errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    result["ws_bytes"] = received["bytes"]
    result["ws_frames"] = received["frames"]
    result["errors"] = errors
    page.close()
    return result


def run(args) -> dict:
    problem = chromium_problem()
    if problem:
        sys.exit(f"error: {problem}")
    from playwright.sync_api import sync_playwright

    pages = page_list()
    if args.pages:
        pages = [p for p in pages if p.name in args.pages or p.path in args.pages]
        if not pages:
            sys.exit(f"error: no page among {args.pages}; pages: {[p.name for p in page_list()]}")
    report = {
        "machine": machine(),
        "data_dir": str(args.data_dir or ROOT / "data"),
        "runs": args.runs,
        "goals": {"warm_p95_ms": GOAL_WARM_MS, "map_ws_bytes": GOAL_MAP_WS_BYTES},
        "pages": [],
    }
    started = time.monotonic()
    with Server(data_dir=args.data_dir).start(timeout=args.start_timeout) as server, sync_playwright() as p:
        report["server_start_s"] = round(time.monotonic() - started, 1)
        browser = launch(p, block_outside=True)
        for app_page in pages:
            context = browser.new_context(viewport=VIEWPORT)  # cache warm across its runs
            guard = Guard(server.url).observe(context)
            runs = [
                measure(context, server.url + app_page.path, args.timeout_s * 1000) for _ in range(args.runs)
            ]
            context.close()
            warm = [r["render_ms"] for r in runs[1:] if "render_ms" in r]
            warm_bytes = [r["ws_bytes_at_idle"] for r in runs[1:] if "ws_bytes_at_idle" in r]
            row = {
                "page": app_page.name,
                "path": app_page.path,
                "cold_ms": runs[0].get("render_ms"),
                "warm_p50_ms": percentile(warm, 50),
                "warm_p95_ms": percentile(warm, 95),
                "warm_script_p50_ms": percentile(
                    [r["script_done_ms"] for r in runs[1:] if r.get("script_done_ms")], 50
                ),
                "ws_bytes": int(statistics.median(warm_bytes))
                if warm_bytes
                else runs[0].get("ws_bytes_at_idle"),
                "cold_ws_bytes": runs[0].get("ws_bytes_at_idle"),
                "charts": runs[-1].get("charts"),
                "errors": sorted({e for r in runs for e in r["errors"]}),
                "blocked": guard.blocked,
                "runs": runs,
            }
            row["goal_met"] = row["warm_p95_ms"] is not None and row["warm_p95_ms"] < GOAL_WARM_MS
            report["pages"].append(row)
            if not args.json:
                print(
                    f"  measured {app_page.path} ({len(report['pages'])}/{len(pages)})",
                    file=sys.stderr,
                    flush=True,
                )
        browser.close()
    report["total_s"] = round(time.monotonic() - started, 1)
    return report


def fmt_ms(v) -> str:
    return f"{v:,.0f}" if v is not None else "–"


def print_table(report: dict) -> None:
    m = report["machine"]
    print(
        f"Machine: {m.get('cores')} cores, {m.get('ram_gb')} GB RAM, {m.get('cpu', '?')}; "
        f"load average at start {m.get('load_avg_at_start')}; streamlit {m.get('streamlit')}"
    )
    print(
        f"Data: {report['data_dir']}; {report['runs']} runs per page (1 cold + {report['runs'] - 1} warm); "
        f"server started in {report.get('server_start_s')} s; total {report['total_s']} s"
    )
    print(
        f"Goals: every page warm p95 < {GOAL_WARM_MS:,} ms; the map page < {GOAL_MAP_WS_BYTES / 1e6:.0f} MB "
        "over the websocket\n"
    )
    print(
        "cold/warm: navigation start until idle with every chart drawn (ms); 'app p50': until the last script "
        "run was over (server side done), before the browser had loaded chart code and drawn the charts\n"
    )
    head = f"{'page':<28} {'cold ms':>8} {'warm p50':>9} {'warm p95':>9} {'app p50':>8} {'ws KB':>8} {'charts':>6}  goal"
    print(head)
    print("-" * len(head))
    for row in report["pages"]:
        kb = f"{row['ws_bytes'] / 1024:,.0f}" if row["ws_bytes"] is not None else "–"
        goal = "ok" if row["goal_met"] else "SLOW"
        if row["page"] == "map" and row["ws_bytes"] is not None:
            goal += ", ws ok" if row["ws_bytes"] < GOAL_MAP_WS_BYTES else ", ws OVER 1 MB"
        print(
            f"{row['page']:<28} {fmt_ms(row['cold_ms']):>8} {fmt_ms(row['warm_p50_ms']):>9} "
            f"{fmt_ms(row['warm_p95_ms']):>9} {fmt_ms(row['warm_script_p50_ms']):>8} {kb:>8} {row['charts'] if row['charts'] is not None else '–':>6}  {goal}"
        )
        for e in row["errors"]:
            print(f"{'':<28} error: {e}")
        for url in row["blocked"][:5]:
            print(f"{'':<28} blocked outside request: {url}")
    slow = [r["page"] for r in report["pages"] if not r["goal_met"]]
    print(
        f"\n{len(report['pages']) - len(slow)} of {len(report['pages'])} pages meet the 1.5 s warm goal"
        + (f"; slower: {', '.join(slow)}" if slow else ".")
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", help="OGP_DATA_DIR for the server (default: the bundled data/)")
    ap.add_argument("--runs", type=int, default=5, help="opens per page: 1 cold + N-1 warm (default 5)")
    ap.add_argument("--pages", nargs="*", help="only these pages (names as printed, or paths)")
    ap.add_argument(
        "--timeout-s", type=int, default=120, help="give up on one page load after this (default 120)"
    )
    ap.add_argument("--start-timeout", type=int, default=300, help="seconds to wait for the server to start")
    ap.add_argument("--json", action="store_true", help="print the report as JSON instead of a table")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if args.data_dir and not (Path(args.data_dir) / "snapshots").is_dir():
        ap.error(f"--data-dir {args.data_dir}: no snapshots/ folder there")
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
