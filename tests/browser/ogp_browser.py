"""Driving the real dashboard in Debian's chromium: shared by tests/browser and bench/*.py.

- `Server` starts `streamlit run dashboard.py` on a free localhost port and stops it.
- `Guard` lets a browser context reach only the app's own host:port (plus data: and blob:)
  and records every other request it aborts.
- `wait_idle` waits until Streamlit is idle and every chart on the page is drawn (MapLibre
  maps included), and returns how long that took since navigation start.
- `page_list` is every page of the app, computed from data/themes.toml and pages/.

No import of Playwright at module level, so the bench scripts can print a clear message
when it is missing."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("OGP_CHROMIUM", "/usr/bin/chromium")
# Software WebGL (SwiftShader) must stay allowed: MapLibre maps need WebGL, so no --disable-gpu.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
]
SETUP_HINT = (
    f"Debian's chromium is missing at {CHROMIUM}: run `bash scripts/setup-tests.sh` "
    "(it installs it with apt-get; Playwright's own browser download does not work here)."
)

SETTLE_MS = int(
    float(os.environ.get("OGP_BROWSER_SETTLE_S", "60")) * 1000
)  # generous: 2 cores, software WebGL
STABLE_MS = 400  # idle this long (no rerun, charts drawn) before a page counts as settled
VIEWPORT = {"width": 1400, "height": 1000}


def chromium_problem() -> str | None:
    """None when chromium is usable, else what to do about it."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return SETUP_HINT
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "The playwright Python package is missing: run `bash scripts/setup-tests.sh`."
    return None


# Chromium resolves no host name but the app's: nothing leaves the machine, at no cost per request.
BLOCK_OUTSIDE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


def chromium_args(block_outside: bool = False) -> list[str]:
    return CHROMIUM_ARGS + (BLOCK_OUTSIDE_ARGS if block_outside else [])


def launch(playwright, block_outside: bool = False, **kwargs):
    """Debian's chromium, headless, with software WebGL (sync or async Playwright)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=chromium_args(block_outside), headless=True, **kwargs
    )


# -- the pages -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AppPage:
    name: str  # short id for test names and tables
    path: str  # URL path and query, e.g. "/members?member=GBR"
    min_charts: int  # charts that must be drawn once the page has settled
    min_maps: int = 0  # of which MapLibre maps
    table: bool = False  # a data grid is the page's main content
    theme: str = ""  # the theme's slug on a theme page


# What each page of ogp/model/registry.py must show once settled: (charts, of which maps, a data
# grid as its main content). A page added to the registry fails here until it says what it shows.
SHOWS: dict[str, tuple[int, int, bool]] = {
    "overview": (3, 1, False),
    "map": (1, 1, False),
    "members": (0, 0, True),  # a sortable list: no chart by design
    "commitments": (0, 0, True),  # search and a paged table
    "progress": (2, 0, False),
    "monitor": (0, 0, True),  # lists of what needs attention: no chart
    "present": (1, 0, False),
    "data": (0, 0, True),  # snapshots, coverage and import reports: tables
    "methodology": (0, 0, False),  # definitions and a Markdown table of the counts
}


def page_list(root: Path = ROOT) -> list[AppPage]:
    """Every page of the registry (a member's profile too), then one per theme of data/themes.toml."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from ogp.model import registry

    pages = []
    for page in registry.PAGES:
        charts, maps, table = SHOWS[page.key]
        pages.append(AppPage(page.key, f"/{page.url}", charts, maps, table=table))
        if page is registry.MEMBERS:
            pages.append(AppPage("member-GBR", f"/{page.url}?member=GBR", 3))
    pages += [AppPage(f"theme-{p.url}", f"/{p.url}", 2, 1, theme=p.url) for p in registry.theme_pages()]
    return pages


# -- the server ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m streamlit run dashboard.py` on a free localhost port (cwd = repo root)."""

    def __init__(
        self,
        *,
        data_dir: str | os.PathLike | None = None,
        port: int | None = None,
        root: Path = ROOT,
        extra_args: tuple[str, ...] = (),
        base_path: str = "",
    ):
        self.root = root
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self.url = f"http://{self.host}:{self.port}"
        self.data_dir = data_dir
        # served under a sub-path (server.baseUrlPath), as behind a proxy at /ogp/: "/ogp", else ""
        self.base = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.extra_args = extra_args + (("--server.baseUrlPath", self.base) if self.base else ())
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="ogp-streamlit-", suffix=".log")[1])

    def start(self, timeout: float = 120) -> Server:
        env = {k: v for k, v in os.environ.items() if k != "OGP_DATA_DIR"}
        if self.data_dir:
            env["OGP_DATA_DIR"] = str(self.data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(self.port),
            "--server.address",
            self.host,
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            # other engineers edit the tree while tests run: no reload prompts mid-test
            "--server.fileWatcherType",
            "none",
            *self.extra_args,
        ]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.root,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"streamlit did not answer /_stcore/health within {timeout:.0f} s:\n{self.log_tail()}"
        )

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def __enter__(self) -> Server:
        return self if self.proc else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def cpu_seconds(pids) -> float:
    """User + system CPU time of these processes (those still alive), in seconds."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (0 if gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


# -- outside requests ----------------------------------------------------------------------
class Guard:
    """Allow only the app's own host:port (and data:/blob:); abort and record the rest."""

    def __init__(self, base_url: str):
        self.netloc = urlsplit(base_url).netloc
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            return True
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc == self.netloc

    def outside(self):
        """A URL pattern matching everything but the app (Playwright matches regexes itself,
        so the app's own requests never make a round trip through Python)."""
        app = re.escape(self.netloc)
        return re.compile(rf"^(?!(https?|wss?)://{app}(/|$)|data:|blob:)")

    def install(self, context) -> Guard:
        """Abort and record every request and websocket that is not the app's."""

        def on_route(route):
            url = route.request.url
            if self.allows(url):  # never expected: the pattern leaves the app's URLs alone
                route.continue_()
            else:
                self.blocked.append(url)
                route.abort("blockedbyclient")

        def on_socket(ws):  # never connected to a server: the socket goes nowhere
            self.blocked.append(ws.url)
            ws.close()

        context.route(self.outside(), on_route)
        context.route_web_socket(self.outside(), on_socket)
        return self

    def observe(self, context) -> Guard:
        """Record outside requests without intercepting anything (routing disables the HTTP
        cache and costs a round trip per request, which would distort timings). Use with
        launch(..., block_outside=True), which makes chromium unable to resolve any host."""
        context.on("request", lambda r: None if self.allows(r.url) else self.blocked.append(r.url))
        return self


# -- waiting for a page --------------------------------------------------------------------
# True once Streamlit is connected and not running, nothing is stale or loading, and every
# Plotly chart is drawn (svg or canvas; MapLibre maps loaded and still). It records in
# window.__ogpIdleSince when that state began and is satisfied once it has lasted STABLE_MS.
IDLE_JS = """
(stableMs) => {
  const idleNow = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]')) return false;
    const main = document.querySelector('[data-testid="stMain"]') || document.querySelector('section.main');
    if (!main || !main.querySelector('[data-testid="stElementContainer"], .element-container')) return false;
    if (window.__ogpScriptDoneAt == null) window.__ogpScriptDoneAt = performance.now();  // script run over
    if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      const gd = chart.querySelector('.js-plotly-plot');
      if (!gd || !gd._fullLayout) return false;
      if (!chart.querySelector('svg.main-svg, canvas')) return false;
      const fl = gd._fullLayout;
      for (const key of Object.keys(fl)) {
        if (!/^map\\d*$/.test(key) || !fl[key] || !fl[key]._subplot) continue;
        const m = fl[key]._subplot.map;
        if (!m || !m.loaded() || m.isMoving() || !chart.querySelector('canvas.maplibregl-canvas')) return false;
      }
    }
    return true;
  };
  if (idleNow()) {
    if (window.__ogpIdleSince == null) window.__ogpIdleSince = performance.now();
    return performance.now() - window.__ogpIdleSince >= stableMs;
  }
  window.__ogpIdleSince = null;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.dataset.testScriptState !== 'notRunning') window.__ogpScriptDoneAt = null;
  return false;
}
"""

CHARTS_JS = """
() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).map((chart, i) => {
  const gd = chart.querySelector('.js-plotly-plot');
  const fl = gd && gd._fullLayout;
  const maps = fl ? Object.keys(fl).filter(k => /^map\\d*$/.test(k) && fl[k] && fl[k]._subplot) : [];
  const title = fl && fl.title && fl.title.text || '';
  return {index: i, drawn: !!(gd && chart.querySelector('svg.main-svg, canvas')),
          map: maps.length > 0, title: title.replace(/<[^>]+>/g, ''),
          mapLoaded: maps.every(k => fl[k]._subplot.map && fl[k]._subplot.map.loaded())};
})
"""


def wait_idle(page, timeout_ms: int = SETTLE_MS, stable_ms: int = STABLE_MS) -> float:
    """Wait until the page has settled; return ms from navigation start until it went idle."""
    page.wait_for_function(IDLE_JS, arg=stable_ms, polling=50, timeout=timeout_ms)
    return float(page.evaluate("window.__ogpIdleSince"))


def script_done_ms(page) -> float | None:
    """When the last script run had been delivered (before the charts finished drawing)."""
    return page.evaluate("window.__ogpScriptDoneAt")


def reset_idle(page) -> None:
    """Forget the last idle time (before an action that reruns the script in the same page)."""
    page.evaluate("window.__ogpIdleSince = null; window.__ogpScriptDoneAt = null")


def charts(page) -> list[dict]:
    return page.evaluate(CHARTS_JS)


def distinct_colours(page, png: bytes, inner: float = 0.5, sample_step: int = 3) -> int:
    """Distinct colours in the central `inner` part of a PNG screenshot: 1 means blank."""
    import base64

    return page.evaluate(
        """async ([b64, inner, step]) => {
        const img = new Image(); img.src = 'data:image/png;base64,' + b64; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const x = c.getContext('2d'); x.drawImage(img, 0, 0);
        const w = Math.max(1, Math.floor(img.width * inner)), h = Math.max(1, Math.floor(img.height * inner));
        const d = x.getImageData(Math.floor((img.width - w) / 2), Math.floor((img.height - h) / 2), w, h).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * step) { seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); if (seen.size > 200) break; }
        return seen.size; }""",
        [base64.b64encode(png).decode(), inner, sample_step],
    )
