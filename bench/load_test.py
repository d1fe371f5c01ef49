"""Many people using the dashboard at once: N concurrent browser sessions moving between pages
of one real server for a given time; reports errors, render times and the server's peak memory.

    python bench/load_test.py                              # 20 sessions, 120 s, bundled data
    python bench/load_test.py --sessions 30 --duration 300 --data-dir /tmp/synth1m --json

Starts its own server (`streamlit run dashboard.py` on a free localhost port) and one or a few
headless Debian chromium processes (--browsers), each holding several contexts (a context is an
independent user: its own cookies, its own Streamlit session). Every session opens a page, then
moves from page to page through the sidebar navigation the way a user does (the websocket stays
open), or by opening a URL for pages with parameters (/members?member=GBR), with a short pause
between moves. Chromium resolves no host but the app's; any outside request is counted.

Errors (goal: none): an exception element on a page, a navigation that fails or does not settle
within --settle-s, a websocket that closes when the session did not leave the page, a JavaScript
error, a request outside the machine. Render time: from the click (or navigation start) until
Streamlit is idle and every chart is drawn (maps in software WebGL, so the browsers compete with
the server for the same cores: see --no-map-draw). Peak memory: VmRSS of the server process and
its children, polled every 0.5 s. Bounded: it stops by itself after --duration plus one last
settle per session."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "browser"))
from ogp_browser import (  # noqa: E402
    IDLE_JS,
    ROOT,
    STABLE_MS,
    VIEWPORT,
    Guard,
    Server,
    chromium_problem,
    cpu_seconds,
    launch,
    page_list,
    process_tree,
    rss_kb,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_bench import machine, percentile  # noqa: E402

# Streamlit idle without requiring MapLibre to have finished drawing (--no-map-draw).
IDLE_NO_MAP_JS = IDLE_JS.replace("if (!m || !m.loaded() || m.isMoving() ||", "if (!m ||")


class Stats:
    def __init__(self):
        self.renders: list[float] = []
        self.by_page: dict[str, list[float]] = {}
        self.errors: Counter = Counter()
        self.examples: dict[str, list[str]] = {}
        self.visits = 0
        self.moves: Counter = Counter()
        self.peak_rss_kb = 0
        self.rss_samples: list[tuple[float, int]] = []

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, [])
        if len(self.examples[kind]) < 5:
            self.examples[kind].append(detail[:300])

    def render(self, name: str, ms: float) -> None:
        self.renders.append(ms)
        self.by_page.setdefault(name, []).append(ms)


def observe_outside(context, base: str, stats: Stats) -> None:
    """Record requests outside the app; chromium itself resolves no other host (block_outside),
    so nothing leaves the machine and no request pays a round trip through Python."""
    guard = Guard(base)
    context.on("request", lambda r: None if guard.allows(r.url) else stats.error("outside request", r.url))


async def session(i: int, browser, base: str, pages, deadline: float, args, stats: Stats) -> None:
    rnd = random.Random(args.seed + i)
    await asyncio.sleep(args.ramp_s * i / max(1, args.sessions))
    context = await browser.new_context(viewport=VIEWPORT)
    observe_outside(context, base, stats)
    page = await context.new_page()
    state = {"ws": None}  # the page's current Streamlit websocket
    idle_js = IDLE_NO_MAP_JS if args.no_map_draw else IDLE_JS

    def on_ws(ws):
        if "/_stcore/stream" not in ws.url:
            return

        state["ws"] = ws

        def closed(_=None):  # only the current socket counts: leaving a page closes the old one
            if state["ws"] is ws and not page.is_closed():
                stats.error("websocket disconnect", f"session {i} at {page.url}")

        def failed(e):
            if state["ws"] is ws and not page.is_closed():
                stats.error("websocket error", f"session {i} at {page.url}: {e}")

        ws.on("close", closed)
        ws.on("socketerror", failed)

    page.on("websocket", on_ws)
    page.on("pageerror", lambda e: stats.error("javascript error", f"session {i} at {page.url}: {e}"))

    async def settle(name: str, t0: float | None) -> None:
        try:
            await page.wait_for_function(idle_js, arg=STABLE_MS, polling=100, timeout=args.settle_s * 1000)
        except Exception as e:
            stats.error("navigation did not settle", f"session {i} {name}: {str(e).splitlines()[0]}")
            return
        idle_at = await page.evaluate("window.__ogpIdleSince")
        stats.render(name, idle_at - (t0 or 0.0))
        shown = await page.locator('[data-testid="stException"]').count()
        if shown:
            text = (await page.locator('[data-testid="stException"]').first.inner_text())[:200]
            stats.error("exception on page", f"{name}: {text}")
        stats.visits += 1

    async def open_url(app_page) -> None:
        state["ws"] = None  # a full navigation closes the old websocket on purpose
        stats.moves["URL opened"] += 1
        try:
            await page.goto(base + app_page.path, wait_until="commit", timeout=args.settle_s * 1000)
        except Exception as e:
            stats.error("navigation failed", f"session {i} {app_page.path}: {str(e).splitlines()[0]}")
            return
        await settle(app_page.name, None)

    async def click_nav(app_page) -> bool:
        nav = '[data-testid="stSidebarNav"] '
        link = page.locator(
            f'{nav}a[href="{base}/"], {nav}a[href="/"]'
            if app_page.path == "/"
            else f'{nav}a[href$="{app_page.path}"]'
        )
        if not await link.count():
            more = page.locator('[data-testid="stSidebarNavViewButton"]')
            if await more.count() and "more" in (await more.first.inner_text()).lower():
                await more.first.click()
        if not await link.count():
            return False
        t0 = await page.evaluate("window.__ogpIdleSince = null; performance.now()")
        await link.first.click()
        stats.moves["sidebar click"] += 1
        try:
            await page.wait_for_url(
                re.compile(re.escape(base + app_page.path) + r"(\?|$)"), timeout=args.settle_s * 1000
            )
        except Exception as e:
            stats.error("navigation failed", f"session {i} {app_page.path}: {str(e).splitlines()[0]}")
            return True
        await settle(app_page.name, t0)
        return True

    order = pages[i % len(pages) :] + pages[: i % len(pages)]
    try:
        await open_url(order[0])
        step = 0
        while time.monotonic() < deadline and step < args.max_moves:
            step += 1
            target = rnd.choice(pages) if args.random else order[step % len(order)]
            if "?" in target.path or not await click_nav(target):
                await open_url(target)
            await asyncio.sleep(rnd.uniform(*args.think_s))
    finally:
        state["ws"] = None
        await context.close()


async def poll_memory(pid: int, stats: Stats, stop: asyncio.Event, started: float) -> None:
    while not stop.is_set():
        kb = await asyncio.to_thread(rss_kb, pid)
        stats.peak_rss_kb = max(stats.peak_rss_kb, kb)
        stats.rss_samples.append((round(time.monotonic() - started, 1), kb))
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def drive(args, server: Server) -> dict:
    from playwright.async_api import async_playwright

    pages = page_list()
    stats = Stats()
    started = time.monotonic()
    stop = asyncio.Event()
    memory = asyncio.create_task(poll_memory(server.pid, stats, stop, started))
    idle_rss = rss_kb(server.pid)
    server_cpu0 = cpu_seconds(process_tree(server.pid))
    own_cpu0 = cpu_seconds(p for p in process_tree(os.getpid()) if p not in process_tree(server.pid))
    browser_cpu = 0.0
    async with async_playwright() as p:
        browsers = [await launch(p, block_outside=True) for _ in range(args.browsers)]
        deadline = time.monotonic() + args.duration
        tasks = [
            asyncio.create_task(
                session(i, browsers[i % len(browsers)], server.url, pages, deadline, args, stats)
            )
            for i in range(args.sessions)
        ]
        hard_stop = args.duration + args.ramp_s + 2 * args.settle_s + 30
        done, pending = await asyncio.wait(tasks, timeout=hard_stop)
        for t in pending:
            t.cancel()
            stats.error("session cancelled at the hard stop", f"after {hard_stop} s")
        for t in done:
            if t.exception():
                stats.error("session crashed", f"{type(t.exception()).__name__}: {t.exception()}")
        server_tree = set(process_tree(server.pid))
        browser_cpu = cpu_seconds(p for p in process_tree(os.getpid()) if p not in server_tree) - own_cpu0
        for b in browsers:
            await b.close()
    stop.set()
    await memory
    elapsed = time.monotonic() - started
    server_cpu = cpu_seconds(process_tree(server.pid)) - server_cpu0
    return {
        "machine": machine(),
        "data_dir": str(args.data_dir or ROOT / "data"),
        "sessions": args.sessions,
        "browsers": args.browsers,
        "duration_s": args.duration,
        "elapsed_s": round(elapsed, 1),
        "map_draw_waited": not args.no_map_draw,
        "visits": stats.visits,
        "moves": dict(stats.moves),
        "visits_per_s": round(stats.visits / elapsed, 2),
        "render_ms": {
            "p50": percentile(stats.renders, 50),
            "p95": percentile(stats.renders, 95),
            "max": max(stats.renders) if stats.renders else None,
        },
        "render_p95_by_page": {k: round(percentile(v, 95)) for k, v in sorted(stats.by_page.items())},
        "cpu_seconds": {
            "server": round(server_cpu, 1),
            "browsers_and_driver": round(browser_cpu, 1),
            "available": round(elapsed * (os.cpu_count() or 1), 1),
        },
        "errors": dict(stats.errors),
        "error_examples": stats.examples,
        "server_rss_mb": {
            "before": round(idle_rss / 1024),
            "peak": round(stats.peak_rss_kb / 1024),
            "end": round(stats.rss_samples[-1][1] / 1024) if stats.rss_samples else None,
        },
    }


def print_report(r: dict) -> None:
    m = r["machine"]
    print(
        f"Machine: {m.get('cores')} cores, {m.get('ram_gb')} GB RAM, {m.get('cpu', '?')}; "
        f"load average at start {m.get('load_avg_at_start')}"
    )
    print(
        f"Data: {r['data_dir']}; {r['sessions']} sessions in {r['browsers']} chromium process(es) for "
        f"{r['duration_s']} s (ran {r['elapsed_s']} s); map drawing {'awaited' if r['map_draw_waited'] else 'not awaited'}"
    )
    rm = r["render_ms"]
    fmt = lambda v: f"{v:,.0f} ms" if v is not None else "–"  # noqa: E731
    print(
        f"Page visits: {r['visits']} ({r['visits_per_s']}/s); render p50 {fmt(rm['p50'])}, "
        f"p95 {fmt(rm['p95'])}, max {fmt(rm['max'])}"
    )
    print("Moves: " + ", ".join(f"{n} by {k}" for k, n in r["moves"].items()))
    print("Render p95 by page: " + ", ".join(f"{k} {v:,}" for k, v in r["render_p95_by_page"].items()))
    mem = r["server_rss_mb"]
    print(
        f"Server memory (RSS, with children): {mem['before']} MB before, peak {mem['peak']} MB, {mem['end']} MB at the end"
    )
    cpu = r["cpu_seconds"]
    print(
        f"CPU used: server {cpu['server']} s, browsers {cpu['browsers_and_driver']} s, of {cpu['available']} s "
        "the machine's cores offered (the rest went to other processes)"
    )
    total = sum(r["errors"].values())
    print(f"Errors (goal: none): {total}" + ("" if not total else ""))
    for kind, n in r["errors"].items():
        print(f"  {kind}: {n}")
        for example in r["error_examples"].get(kind, []):
            print(f"      e.g. {example}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    ap.add_argument("--duration", type=int, default=120, help="seconds of load (default 120)")
    ap.add_argument(
        "--browsers", type=int, default=2, help="chromium processes sharing the sessions (default 2)"
    )
    ap.add_argument("--data-dir", help="OGP_DATA_DIR for the server (default: the bundled data/)")
    ap.add_argument(
        "--settle-s", type=int, default=120, help="a page that has not settled after this is an error"
    )
    ap.add_argument("--ramp-s", type=float, default=10, help="sessions start spread over this many seconds")
    ap.add_argument(
        "--think-s",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        metavar=("MIN", "MAX"),
        help="pause between moves, seconds (default 0.5 2)",
    )
    ap.add_argument("--max-moves", type=int, default=500, help="upper bound of moves per session")
    ap.add_argument("--random", action="store_true", help="random next page instead of a tour of every page")
    ap.add_argument(
        "--no-map-draw",
        action="store_true",
        help="count a page as rendered when Streamlit is idle, without waiting for MapLibre to draw",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    args = ap.parse_args(argv)
    if not (1 <= args.sessions <= 200 and 1 <= args.browsers <= 8 and 1 <= args.duration <= 3600):
        ap.error("--sessions 1..200, --browsers 1..8, --duration 1..3600")
    problem = chromium_problem()
    if problem:
        sys.exit(f"error: {problem}")
    with Server(data_dir=args.data_dir).start(timeout=300) as server:
        report = asyncio.run(drive(args, server))
        report["server_log_tail"] = server.log_tail(1500) if sum(report["errors"].values()) else ""
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
