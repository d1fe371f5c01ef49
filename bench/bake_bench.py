"""The baked public site, measured side by side with the dashboard in one run (issue 28):

1. bake time: `ogp bake` of the bundled data in three languages (goal <= 60 s);
2. nginx: requests/s for a member page, deploy/nginx-site.conf on this machine, ApacheBench
   `ab -n N -c 100` (goal >= 3,000 req/s, 0 failures; `apt-get install apache2-utils`);
3. time to content on a 390x844 phone profile in headless chromium: the baked home page
   (navigation start to the load event: every figure, chart and the map are in the HTML) against
   the dashboard's overview (navigation start until Streamlit is idle and every chart is drawn,
   as bench/browser_bench.py measures it), same browser, same run (goal: baked <= 1/4);
4. with --explorer DIR, the 2015 OGP Explorer (github.com/Vizzuality/ogp at 69d32715, a checkout
   or `git archive`: DIR/explorer/all-data.html, or DIR is that explorer/ folder) in the same
   browser, run and phone profile, served by the same nginx configuration as the baked site
   (minus its Content-Security-Policy: the Explorer is one large inline script; plus the JPEG type
   of its loading-screen image). Goal: baked <= 1/4 of the Explorer too.

   The Explorer's time to content runs from navigation start until its commitments are drawn:
   its intro screen ("Welcome to the OGP Explorer") and its loading screen are gone and the
   commitment table has rows (`.individual_commitment_ROW`; it draws the first 250 of the 1,927,
   grouped by country with their summary rows), timed at the next animation frame after that
   DOM state first holds. That is the Explorer's own "done": it removes its loading screen right
   after drawing the table view, which is the view it opens on (its graph view is one click
   further, and it draws with HTML and a few inline SVG column headers; d3 is never loaded, the
   `../libraries/d3/d3.js` tag is commented out). The Explorer loads no data until a person
   picks "See all commitments" on its intro screen: the measurement clicks that button from
   inside the page the moment its image has loaded (no reaction time, generous to the Explorer),
   and the time includes the data (a 2 MB CSV parsed in the browser), two scripts fetched after
   it, and a fixed 1 s setTimeout the Explorer waits before drawing. A run that is not drawn
   within the browser settle time (OGP_BROWSER_SETTLE_S, 60 s) counts as a failed run. Requests
   leaving the machine are not possible (chromium resolves no outside host) and are listed: the
   Explorer asks for a Google Fonts stylesheet (its favicon link on opengovpartnership.org is not
   requested by headless chromium). Deployed, that stylesheet blocks rendering on a real fetch, so
   the Explorer's time here is a lower bound.

    python bench/bake_bench.py [--runs 5] [--requests 20000] [--skip-dashboard] [--data-dir D]
                               [--explorer DIR]

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
from ogp_browser import SETTLE_MS, Guard, Server, chromium_problem, launch, wait_idle  # noqa: E402

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
EXPLORER_COMMIT = "69d32715"
EXPLORER_GET = (
    f"get it with `git clone https://github.com/Vizzuality/ogp && git -C ogp checkout {EXPLORER_COMMIT}`, "
    "then --explorer ogp"
)
# In the Explorer's page before its scripts: clicks "See all commitments" once the button's image
# has loaded, and stamps window.__exShownAt (ms since navigation start) at the first animation
# frame after the intro and loading screens are gone and commitment rows are in the table.
EXPLORER_INIT_JS = """
(() => {
  let loadingSeen = false, clickHooked = false;
  const check = () => {
    if (window.__exShownAt !== undefined) return;
    const button = document.getElementById('intro_screens__inner_svg_content_area__CLICKABLE__see_ALL_COMMITMENTS_img');
    if (button && !clickHooked) {
      clickHooked = true;
      const go = () => { window.__exClickAt = performance.now(); button.click(); };
      if (button.complete && button.naturalWidth) go(); else button.addEventListener('load', go, {once: true});
    }
    if (document.getElementById('loading_screen___outer_outer__w__packground_of_explorer_bitmap')) { loadingSeen = true; return; }
    if (!loadingSeen || window.__exClickAt === undefined) return;
    if (document.getElementById('intro_screens__outer_outer_div')) return;
    if (!document.getElementsByClassName('individual_commitment_ROW').length) return;
    window.__exShownAt = null;
    requestAnimationFrame(() => {
      window.__exShownAt = performance.now();
      window.__exRows = document.getElementsByClassName('individual_commitment_ROW').length;
    });
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true});
})();
"""


def start_nginx(site: Path, port: int, explorer: bool = False) -> tuple[subprocess.Popen, Path]:
    """deploy/nginx-site.conf serving `site`; explorer=True: the same, for the 2015 Explorer's
    files (no Content-Security-Policy, which forbids its inline script; JPEG for its images)."""
    run_dir = Path(tempfile.mkdtemp(prefix="ogp-bake-nginx-"))
    run_dir.chmod(0o755)
    conf = (HERE.parent / "deploy" / "nginx-site.conf").read_text()
    conf = conf.replace("/srv/ogp-site", str(site)).replace("/run/ogp", str(run_dir))
    conf = conf.replace("/var/log/ogp", str(run_dir)).replace("listen 8080 ", f"listen 127.0.0.1:{port} ")
    if explorer:
        conf = re.sub(r"\n\s*add_header Content-Security-Policy [^\n]*", "", conf)
        conf = conf.replace("image/png png;", "image/png png;\n        image/jpeg jpg;")
        assert "Content-Security-Policy" not in conf and "jpeg" in conf, "deploy/nginx-site.conf changed"
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


def explorer_page(root: Path) -> tuple[Path, str]:
    """The folder to serve and the Explorer's URL path, for a checkout or its explorer/ folder."""
    if (root / "explorer" / "all-data.html").is_file():
        return root, "/explorer/all-data.html"
    if (root / "all-data.html").is_file():
        return root, "/all-data.html"
    raise SystemExit(f"--explorer {root}: no explorer/all-data.html there; {EXPLORER_GET}")


def explorer_ms(browser, url: str, blocked: set[str]) -> tuple[float, float] | None:
    """(ms to the click on "See all commitments", ms to content) since navigation start, or
    None when the commitments were not drawn within the settle time."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(**PHONE)
    guard = Guard(url).observe(context)
    context.add_init_script(EXPLORER_INIT_JS)
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function("() => window.__exShownAt > 0", polling=50, timeout=SETTLE_MS)
        except PlaywrightTimeout:
            return None
        click, shown = page.evaluate("() => [window.__exClickAt, window.__exShownAt]")
        return float(click), float(shown)
    finally:
        blocked.update(guard.blocked)
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
    p.add_argument(
        "--explorer",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"a checkout or `git archive` of github.com/Vizzuality/ogp at {EXPLORER_COMMIT}: "
        "measure the 2015 Explorer in the same browser and run",
    )
    args = p.parse_args()
    explorer = explorer_page(args.explorer.resolve()) if args.explorer else None
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
            if explorer is None:
                print(f"2015 Explorer: skipped (no --explorer DIR; {EXPLORER_GET})")
            else:
                ex_root, ex_path = explorer
                ex_port = serve.free_port()
                ex_proc, ex_run_dir = start_nginx(ex_root, ex_port, explorer=True)
                try:
                    ex_url = f"http://127.0.0.1:{ex_port}{ex_path}"
                    blocked: set[str] = set()
                    explorer_ms(browser, ex_url, blocked)  # first visit: nginx and chromium warm
                    runs = [explorer_ms(browser, ex_url, blocked) for _ in range(args.runs)]
                finally:
                    ex_proc.terminate()
                    ex_proc.wait(timeout=10)
                    shutil.rmtree(ex_run_dir, ignore_errors=True)
                drawn = [r for r in runs if r]
                failed = len(runs) - len(drawn)
                if drawn:
                    ex = [r[1] for r in drawn]
                    ratio = statistics.median(baked) / statistics.median(ex)
                    print(
                        f"2015 Explorer ({ex_path.lstrip('/')}, commitments drawn) on a 390x844 phone: median "
                        f'{statistics.median(ex):.0f} ms ({", ".join(f"{x:.0f}" for x in ex)}; "See all '
                        f'commitments" clicked at median {statistics.median(r[0] for r in drawn):.0f} ms)'
                        f"{f', {failed} runs not drawn within {SETTLE_MS / 1000:.0f} s' if failed else ''}; "
                        f"baked/Explorer = {ratio:.3f} (goal <= {GOAL_RATIO})"
                    )
                else:
                    print(f"2015 Explorer: no run drew its commitments within {SETTLE_MS / 1000:.0f} s")
                print(
                    "2015 Explorer requests leaving the machine (blocked): "
                    + (", ".join(sorted(blocked)) if blocked else "none")
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
