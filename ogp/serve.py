"""`python -m ogp serve`: the dashboard as N Streamlit processes behind Debian's nginx.

    python -m ogp serve --replicas 2 --port 8080 [--host 127.0.0.1] [--data-dir DIR]
    python -m ogp serve --replicas 4 --port 80 --print-nginx-config    # the config, nothing run

Starts N `streamlit run dashboard.py` replicas on free loopback ports and nginx in front on
HOST:PORT with a generated config in a temporary folder, runs in the foreground and stops
everything on Ctrl-C or SIGTERM, leaving no process and no file behind (children also get
SIGTERM from the kernel if this process dies: PR_SET_PDEATHSIG).

nginx (the same config ships as deploy/nginx.conf):
- websocket upgrade (Upgrade/Connection forwarded), a one-day proxy_read_timeout: a session's
  websocket stays open while its tab does;
- sticky sessions: `hash $ogp_route consistent`, where $ogp_route is the `ogp_replica` cookie
  (a random routing token nginx sets on the first response, nothing else) or, for a client
  without it, the request id. A browser's page, websocket and downloads (served from the
  replica's memory) reach one replica, while many users behind one address (a summit's wifi,
  a company proxy) still spread over all replicas, which `hash $remote_addr` would not do;
- passive health checks: a replica that refuses a connection or answers 502/503 is skipped
  (`proxy_next_upstream`) and left alone for `fail_timeout`; consistent hashing moves only
  its own sessions;
- active health checks: this process polls each replica's /_stcore/health every few seconds
  and restarts a replica whose process died or that stopped answering.

The replicas share one snapshot folder (read only) and one cookie secret, so any replica can
serve any user; a new snapshot published into the folder is seen by every replica at its next
rerun (ogp.ui.get_store lists the folder)."""

from __future__ import annotations

import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from ogp import paths

NGINX = os.environ.get("OGP_NGINX", "/usr/sbin/nginx")
NGINX_HINT = f"nginx is missing at {NGINX}: run `bash scripts/setup-tests.sh` (apt-get install nginx)."
MAX_REPLICAS = 32
HEALTH_EVERY_S = 2.0
HEALTH_FAILS_BEFORE_RESTART = 3
ROUTE_COOKIE = "ogp_replica"

# One template for `serve` and deploy/nginx.conf. {upstreams}: one `server` line per replica.
NGINX_TEMPLATE = """\
# OGP Progress Dashboard: nginx in front of N Streamlit replicas ({generated_by}).
worker_processes auto;
daemon off;
pid {run_dir}/nginx.pid;
error_log {log_dir}/nginx-error.log warn;

events {{
    worker_connections 8192;
}}

http {{
    access_log off;
    client_body_temp_path {run_dir}/client_body;
    proxy_temp_path {run_dir}/proxy;
    fastcgi_temp_path {run_dir}/fastcgi;
    uwsgi_temp_path {run_dir}/uwsgi;
    scgi_temp_path {run_dir}/scgi;
    types {{ text/html html; }}
    server_tokens off;

    # Websocket upgrade; an empty Connection header otherwise keeps upstream connections alive.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      "";
    }}
    # Sticky sessions without tying users to their address: the routing cookie, else a random id.
    map $cookie_{cookie} $ogp_route {{
        ""      $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $ogp_set_route {{
        ""      "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    # Pages (HTML) come uncompressed from the replica, so that sub_filter below can edit them;
    # Streamlit's own files (/static/, /_stcore/, media) keep their compression.
    map $uri $ogp_accept_encoding {{
        ~^/(static|_stcore|media|component|app)/ $http_accept_encoding;
        default "";
    }}

    upstream ogp_replicas {{
        hash $ogp_route consistent;
{upstreams}
        keepalive 32;
    }}

    server {{
        listen {listen};
        # TLS: terminate here (listen 443 ssl; ssl_certificate ...) or in front of this proxy.

        location / {{
            proxy_pass http://ogp_replicas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_timeout 10s;
            proxy_buffering off;
            add_header Set-Cookie $ogp_set_route always;
            add_header X-OGP-Replica $upstream_addr always;
            # Tell Streamlit's frontend where its server is. Without it, a page opened by its URL
            # (/members) first probes /members/_stcore/health and /members/_stcore/host-config,
            # two 404s per deep link, before trying the root (streamlit/streamlit#7074;
            # getPossibleBaseUris reads window.__streamlit.BACKEND_BASE_URL when the host sets it).
            proxy_set_header Accept-Encoding $ogp_accept_encoding;
            sub_filter_once on;
            sub_filter '<head>' '<head><script>window.__streamlit = {{BACKEND_BASE_URL: location.origin + "/"}};</script>';
        }}
    }}
}}
"""


def nginx_config(
    ports: list[int],
    listen: str,
    run_dir: str | Path,
    log_dir: str | Path | None = None,
    *,
    generated_by: str = "generated by `python -m ogp serve`",
    replica_host: str = "127.0.0.1",
) -> str:
    upstreams = "\n".join(f"        server {replica_host}:{p} max_fails=1 fail_timeout=5s;" for p in ports)
    return NGINX_TEMPLATE.format(
        generated_by=generated_by,
        run_dir=run_dir,
        log_dir=log_dir or run_dir,
        upstreams=upstreams,
        listen=listen,
        cookie=ROUTE_COOKIE,
    )


# -- processes ------------------------------------------------------------------------------
def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: its own process group, SIGTERM when the parent dies."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


class Replica:
    """One `streamlit run SCRIPT` on a loopback port (cwd: the project, so its .streamlit
    config applies), in its own process group."""

    def __init__(
        self,
        *,
        script: str | Path = "dashboard.py",
        port: int | None = None,
        data_dir: str | Path | None = None,
        extra_args: tuple[str, ...] = (),
        log_path: str | Path | None = None,
        env: dict | None = None,
        warm: bool | None = None,
    ):
        self.script = str(script)
        self.warm_up = self.script == "dashboard.py" if warm is None else warm
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.extra_args = extra_args
        self.log_path = Path(log_path or tempfile.mkstemp(prefix="ogp-replica-", suffix=".log")[1])
        self.env = env or {}
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self.starting = False  # restarted by a Cluster's health check, first visit not done yet
        self.cwd = paths.PROJECT_DIR  # its .streamlit/config.toml applies

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *self.extra_args,
        ]

    def spawn(self) -> Replica:
        env = {k: v for k, v in os.environ.items() if k != "OGP_DATA_DIR"}
        if self.data_dir:
            env["OGP_DATA_DIR"] = str(self.data_dir)
        env.update(self.env, PYTHONUNBUFFERED="1")
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        return self

    def wait_healthy(self, timeout: float = 120) -> Replica:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                code = self.proc.returncode if self.proc else None
                raise RuntimeError(f"replica on port {self.port} exited ({code}):\n{self.log_tail()}")
            if healthy(self.url):
                return self
            time.sleep(0.2)
        raise RuntimeError(
            f"replica on port {self.port} not healthy after {timeout:.0f} s:\n{self.log_tail()}"
        )

    def start(self, timeout: float = 120) -> Replica:
        self.spawn().wait_healthy(timeout)
        return self.warm() if self.warm_up else self

    def warm(self, timeout: float = 900) -> Replica:
        """One visit to the dashboard's default page over the websocket, as a browser's first
        visit. Streamlit runs a fresh server's first session in its old file-based page mode
        (a `pages/` folder sits beside dashboard.py): a deep link to a theme page then drew the
        right page under a "Page not found" dialog, for the first reader of every replica
        (re)started. After this visit the replica is in st.navigation mode and its store is
        open, so no reader pays for either."""
        from ogp.stream import Session

        with Session(self.url, timeout=timeout) as s:
            r = s.rerun("")
        if r.failure:
            raise RuntimeError(f"replica on port {self.port}: first visit failed: {r.failure}")
        return self

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self, timeout: float = 15) -> None:
        _stop_group(self.proc, signal.SIGTERM, timeout)

    def __enter__(self) -> Replica:
        return self if self.alive() else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _each(fn, replicas: list[Replica]) -> None:
    """fn(replica) for every replica at once (threads); the first error is raised."""
    errors: list[BaseException] = []

    def run(r: Replica) -> None:
        try:
            fn(r)
        except BaseException as exc:  # noqa: BLE001  re-raised below, in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,), daemon=True) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def _stop_group(proc: subprocess.Popen | None, sig: int, timeout: float) -> None:
    """Signal a child's process group (it leads one), wait, then SIGKILL whatever is left."""
    if proc is None:
        return
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers of the group, if any
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


class Cluster:
    """N replicas and nginx in front; `with Cluster(...) as c:` starts and stops them all."""

    def __init__(
        self,
        replicas: int = 2,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        data_dir: str | Path | None = None,
        script: str | Path = "dashboard.py",
        quiet: bool = True,
    ):
        if not 1 <= replicas <= MAX_REPLICAS:
            raise ValueError(f"--replicas must be 1..{MAX_REPLICAS}")
        self.dir = Path(tempfile.mkdtemp(prefix="ogp-serve-"))
        self.dir.chmod(0o755)  # nginx workers run as an unprivileged user when started as root
        secret = secrets.token_hex(32)  # one cookie secret: any replica accepts any session's tokens
        self.replicas = [
            Replica(
                script=script,
                data_dir=data_dir,
                env={"STREAMLIT_SERVER_COOKIE_SECRET": secret},
                log_path=self.dir / f"replica-{i + 1}.log",
            )
            for i in range(replicas)
        ]
        self.host = host
        self.port = port or free_port(host)
        self.url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{self.port}"
        self.nginx: subprocess.Popen | None = None
        self.quiet = quiet
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self.events: list[str] = []

    def say(self, text: str) -> None:
        self.events.append(text)
        if not self.quiet:
            print(text, flush=True)

    def start(self, timeout: float = 180) -> Cluster:
        if not (os.path.isfile(NGINX) and os.access(NGINX, os.X_OK)):
            raise RuntimeError(NGINX_HINT)
        try:
            for r in self.replicas:  # all start together, then wait for each
                r.spawn()
            for r in self.replicas:
                r.wait_healthy(timeout)
            _each(Replica.warm, self.replicas)  # together: each opens its store
            conf = self.dir / "nginx.conf"
            conf.write_text(
                nginx_config([r.port for r in self.replicas], f"{self.host}:{self.port}", self.dir)
            )
            test = subprocess.run(
                [NGINX, "-t", "-q", "-p", str(self.dir), "-c", str(conf)], capture_output=True, text=True
            )
            if test.returncode:
                raise RuntimeError(f"nginx refused the generated config:\n{test.stderr}")
            self.nginx = subprocess.Popen(
                [NGINX, "-p", str(self.dir), "-c", str(conf)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=open(self.dir / "nginx-stderr.log", "wb"),
                preexec_fn=_die_with_parent,
            )
            deadline = time.monotonic() + 30
            while not healthy(self.url):
                if self.nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start:\n{self.nginx_log()}")
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise
        self._monitor = threading.Thread(target=self._watch, name="ogp-health", daemon=True)
        self._monitor.start()
        return self

    def nginx_log(self) -> str:
        text = ""
        for name in ("nginx-error.log", "nginx-stderr.log"):
            try:
                text += (self.dir / name).read_text(errors="replace")[-2000:]
            except OSError:
                pass
        return text

    def _watch(self) -> None:
        """Active health checks: restart a replica whose process died or that stopped answering."""
        fails = [0] * len(self.replicas)
        while not self._stop.wait(HEALTH_EVERY_S):
            for i, r in enumerate(self.replicas):
                if self._stop.is_set():
                    return
                if r.alive() and r.starting:  # spawned again, not warm yet: give it its time
                    continue
                ok = r.alive() and healthy(r.url)
                fails[i] = 0 if ok else fails[i] + 1
                if ok or (r.alive() and fails[i] < HEALTH_FAILS_BEFORE_RESTART):
                    continue
                why = "exited" if not r.alive() else "stopped answering /_stcore/health"
                self.say(f"replica {i + 1} (port {r.port}) {why}: restarting it")
                r.stop(timeout=5)
                r.restarts += 1
                try:
                    r.spawn()
                    fails[i] = 0
                    r.starting = True
                    threading.Thread(target=self._warm, args=(i, r), daemon=True).start()
                except OSError as exc:
                    self.say(f"replica {i + 1} did not restart: {exc}")

    def _warm(self, i: int, r: Replica) -> None:
        try:
            r.wait_healthy()
            r.warm()
        except Exception as exc:  # noqa: BLE001  reported; the health check goes on
            self.say(f"replica {i + 1}: first visit after its restart failed: {exc}")
        finally:
            r.starting = False

    def stop(self) -> None:
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join(timeout=10)
        if self.nginx is not None:
            _stop_group(self.nginx, signal.SIGTERM, 10)  # fast shutdown: closes the websockets
        for r in self.replicas:
            _stop_group(r.proc, signal.SIGTERM, 15)
        shutil.rmtree(self.dir, ignore_errors=True)

    def pids(self) -> list[int]:
        return [p.pid for p in [self.nginx, *(r.proc for r in self.replicas)] if p is not None]

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# -- command line ---------------------------------------------------------------------------
def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="N Streamlit replicas behind nginx, in the foreground",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument("--replicas", type=int, default=2, help=f"Streamlit processes (1..{MAX_REPLICAS})")
    p.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    p.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    p.add_argument("--data-dir", default=None, help="snapshot folder (default $OGP_DATA_DIR or data/)")
    p.add_argument(
        "--print-nginx-config", action="store_true", help="print the nginx config for these ports and exit"
    )
    p.add_argument(
        "--warm",
        type=int,
        metavar="PORT",
        help="wait for the replica already started on 127.0.0.1:PORT and make its first visit, then exit "
        "(deploy/ogp@.service runs it after each start, as `serve` does for its own replicas)",
    )
    p.set_defaults(func=run)


def warm(port: int, timeout: float = 300) -> int:
    """The first visit of a replica started by someone else (systemd): see Replica.warm."""
    replica = Replica(port=port)
    deadline = time.monotonic() + timeout
    while not healthy(replica.url):
        if time.monotonic() > deadline:
            print(f"error: nothing healthy on {replica.url} after {timeout:.0f} s", file=sys.stderr)
            return 1
        time.sleep(0.5)
    try:
        replica.warm(timeout)
    except (RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{replica.url}: first visit made", flush=True)
    return 0


def run(args) -> int:
    if args.warm is not None:
        return warm(args.warm)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        print(f"error: --replicas must be 1..{MAX_REPLICAS}", file=sys.stderr)
        return 2
    if not 1 <= args.port <= 65535:
        print("error: --port must be 1..65535", file=sys.stderr)
        return 2
    if args.print_nginx_config:
        ports = [8501 + i for i in range(args.replicas)]
        command = (
            f"python -m ogp serve --replicas {args.replicas} --host {args.host} --port {args.port} "
            "--print-nginx-config"
        )
        print(
            nginx_config(ports, f"{args.host}:{args.port}", "/run/ogp", "/var/log/ogp", generated_by=command),
            end="",
        )
        return 0
    data_dir = args.data_dir or os.environ.get("OGP_DATA_DIR") or None
    stopping = threading.Event()

    def on_signal(signum, _frame):
        stopping.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    cluster = Cluster(args.replicas, port=args.port, host=args.host, data_dir=data_dir, quiet=False)
    try:
        print(f"starting {args.replicas} replica(s) and nginx (config and logs in {cluster.dir})", flush=True)
        cluster.start()
        ports = ", ".join(str(r.port) for r in cluster.replicas)
        print(f"serving on {cluster.url} (replicas on 127.0.0.1: {ports}); Ctrl-C stops", flush=True)
        while not stopping.wait(0.5):
            if cluster.nginx is not None and cluster.nginx.poll() is not None:
                print(f"error: nginx exited:\n{cluster.nginx_log()}", file=sys.stderr)
                return 1
        print("stopping", flush=True)
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        for s, h in previous.items():
            signal.signal(s, h)
