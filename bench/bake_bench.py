"""The baked public site, measured side by side with the dashboard in one run (issue 28):

1. bake time: `ogp bake` of the bundled data in three languages (goal <= 60 s);
2. nginx: requests/s for a member page, deploy/nginx-site.conf on this machine, ApacheBench
   `ab -n N -c 100` (goal >= 3,000 req/s, 0 failures; `apt-get install apache2-utils`);
3. time to content on a 390x844 phone profile in headless chromium: the baked home page
   (navigation start to the load event: every figure, chart and the map are in the HTML) against
   the dashboard's overview (navigation start until Streamlit is idle and every chart is drawn,
   as bench/browser_bench.py measures it), same browser, same run (goal: baked <= 1/4).

    python bench/bake_bench.py [--runs 5] [--requests 20000] [--skip-dashboard] [--data-dir D]

A benchmark measures and prints; it asserts nothing."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))
from ogp_browser import Guard, Server, chromium_problem, launch, wait_idle  # noqa: E402

from ogp.ops import bake, serve  # noqa: E402

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
GOAL_BAKE_S = 60
GOAL_RPS = 3000
GOAL_RATIO = 0.25


def start_nginx(site: Path, port: int) -> tuple[subprocess.Popen, Path]:
    run_dir = Path(tempfile.mkdtemp(prefix="ogp-bake-nginx-"))
    run_dir.chmod(0o755)
    conf = (HERE.parent / "deploy" / "nginx-site.conf").read_text()
    conf = conf.replace("/srv/ogp-site", str(site)).replace("/run/ogp", str(run_dir))
    conf = conf.replace("/var/log/ogp", str(run_dir)).replace("listen 8080 ", f"listen 127.0.0.1:{port} ")
    (run_dir / "nginx.conf").write_text(conf)
    proc = subprocess.Popen([serve.NGINX, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")])
    time.sleep(0.5)
    return proc, run_dir


def ab(url: str, requests: int, concurrency: int, keepalive: bool) -> dict:
    cmd = ["ab", "-q", "-n", str(requests), "-c", str(concurrency)] + (["-k"] if keepalive else []) + [url]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    rps = re.search(r"Requests per second:\s+([\d.]+)", out)
    failed = re.search(r"Failed requests:\s+(\d+)", out)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "failed": int(failed.group(1)) if failed else -1,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def baked_ms(browser, url: str) -> float:
    context = browser.new_context(**PHONE)
    Guard(url).observe(context)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.locator("svg.map").wait_for()
        return float(
            page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd; }"
            )
        )
    finally:
        context.close()


def dashboard_ms(browser, url: str) -> float:
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(url)
        return wait_idle(page)
    finally:
        context.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--requests", type=int, default=20000)
    p.add_argument("--concurrency", type=int, default=100)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--skip-dashboard", action="store_true")
    args = p.parse_args()
    print(f"load average at start: {os.getloadavg()}; cores: {os.cpu_count()}")

    parent = Path(tempfile.mkdtemp(prefix="ogp-bake-bench-"))
    parent.chmod(0o755)
    site = parent / "site"
    cpu0 = time.process_time()
    report = bake.bake(site, data_dir=args.data_dir)
    cpu = time.process_time() - cpu0
    print(
        f"bake: {report.pages} pages, {len(report.languages)} languages, {report.bytes / 1e6:.1f} MB: "
        f"{report.seconds:.1f} s wall, {cpu:.1f} s CPU (goal <= {GOAL_BAKE_S} s)"
    )
    sizes = sorted(
        ((f.stat().st_size, str(f.relative_to(site))) for f in site.rglob("index.html")), reverse=True
    )
    print(f"largest page (HTML alone): {sizes[0][1]} {sizes[0][0] / 1024:.0f} KB")

    port = serve.free_port()
    proc, run_dir = start_nginx(site, port)
    try:
        member = f"http://127.0.0.1:{port}/members/GBR/"
        ab(member, 2000, 10, False)  # warm the file cache
        for keepalive in (False, True):
            r = ab(member, args.requests, args.concurrency, keepalive)
            print(
                f"nginx /members/GBR/ ab -n {args.requests} -c {args.concurrency}{' -k' if keepalive else ''}: "
                f"{r['rps']:.0f} req/s, {r['failed']} failed, {r['non_2xx']} non-2xx (goal >= {GOAL_RPS})"
            )
        problem = chromium_problem()
        if problem:
            print(f"browser: skipped ({problem})")
            return 0
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = launch(pw, block_outside=True)
            home = f"http://127.0.0.1:{port}/"
            baked_ms(browser, home)  # first visit: nginx and chromium warm
            baked = [baked_ms(browser, home) for _ in range(args.runs)]
            print(
                f"baked home on a 390x844 phone: median {statistics.median(baked):.0f} ms ({', '.join(f'{x:.0f}' for x in baked)})"
            )
            if not args.skip_dashboard:
                with Server(data_dir=args.data_dir) as server:
                    dashboard_ms(browser, server.url + "/")  # the server's first render
                    dash = [dashboard_ms(browser, server.url + "/") for _ in range(args.runs)]
                ratio = statistics.median(baked) / statistics.median(dash)
                print(
                    f"dashboard overview on a 390x844 phone: median {statistics.median(dash):.0f} ms "
                    f"({', '.join(f'{x:.0f}' for x in dash)}); baked/dashboard = {ratio:.3f} (goal <= {GOAL_RATIO})"
                )
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
