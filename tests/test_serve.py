"""Replicas behind nginx (`python -m ogp serve`, ogp/ops/serve.py) and faults under load: a replica
killed, a snapshot published, a session that leaves mid-rerun. Real Streamlit processes, Debian's
nginx, protocol-level sessions (ogp/ops/stream.py) in threads; a few sessions for a few seconds."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from origin import Origin, Route, current_extract, sources_file
from pagetest import CURRENT_CSV, ROOT

from ogp.ops import serve
from ogp.ops.serve import Cluster, Replica
from ogp.ops.stream import Session, StreamError

JULY_6 = "Sat, 06 Jul 2024 10:00:00 GMT"
pytestmark = pytest.mark.skipif(not os.access(serve.NGINX, os.X_OK), reason=serve.NGINX_HINT)


def tree(pid: int) -> set[int]:
    """A process and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        out.add(p)
        todo += children.get(p, [])
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


class Load:
    """Sessions that rerun a page in a loop until stopped, each in its own thread; a session
    whose websocket breaks records the error and reconnects (as the browser does)."""

    def __init__(self, url: str, page: str = "", query: str = "", pause: float = 0.1):
        self.url, self.page, self.query, self.pause = url, page, query, pause
        self.stop = threading.Event()
        self.log: dict[int, list[tuple[float, str | None, str | None, str]]] = {}
        self.threads: list[threading.Thread] = []
        self.texts: dict[int, str] = {}

    def add(self, n: int) -> list[int]:
        ids = []
        for _ in range(n):
            i = len(self.log)
            self.log[i] = []
            t = threading.Thread(target=self._run, args=(i,), daemon=True)
            self.threads.append(t)
            t.start()
            ids.append(i)
        return ids

    def _run(self, i: int) -> None:
        session = None
        while not self.stop.is_set():
            try:
                if session is None:
                    session = Session(self.url, timeout=60).connect()
                seen: list[str] = []
                session.on_message = lambda m: seen.append(m.delta.new_element.markdown.body)
                r = session.rerun(self.page, self.query)
                self.texts[i] = "\n".join(seen)
                self.log[i].append((time.monotonic(), session.replica, r.failure, "rerun"))
            except (StreamError, OSError) as exc:
                self.log[i].append(
                    (time.monotonic(), session.replica if session else None, str(exc), "rerun")
                )
                if session is not None:
                    session.close()
                session = None
                time.sleep(0.2)
            time.sleep(self.pause)
        if session is not None:
            session.close()

    def wait_runs(self, ids, n: int = 1, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while any(sum(1 for e in self.log[i] if e[2] is None) < n for i in ids):
            assert time.monotonic() < deadline, {i: self.log[i][-3:] for i in ids}
            time.sleep(0.1)

    def finish(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=90)


# -- the config -----------------------------------------------------------------------------
def test_deploy_config_is_the_generated_one_and_nginx_accepts_it(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ogp", "serve", "--replicas", "2", "--host", "0.0.0.0", "--port", "80",
         "--print-nginx-config"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    shipped = (ROOT / "deploy" / "nginx.conf").read_text()
    assert done.stdout == shipped
    for needed in ("proxy_set_header Upgrade $http_upgrade", "proxy_read_timeout 1d", "hash $ogp_route consistent",
                   "server 127.0.0.1:8501 max_fails=1", "server 127.0.0.1:8502 max_fails=1"):  # fmt: skip
        assert needed in shipped
    local = shipped.replace("/run/ogp", str(tmp_path)).replace("/var/log/ogp", str(tmp_path))
    local = local.replace("listen 0.0.0.0:80;", "listen 127.0.0.1:1;")
    (tmp_path / "nginx.conf").write_text(local)
    test = subprocess.run(
        [serve.NGINX, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert test.returncode == 0, test.stderr


# -- the command ----------------------------------------------------------------------------
def test_serve_spreads_sessions_keeps_downloads_on_their_replica_and_stops_clean():
    port = serve.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ogp", "serve", "--replicas", "2", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "serving on" in line or "error" in line:
                break
        assert "serving on" in lines[-1], "".join(lines)
        temp = Path(re.search(r"config and logs in (\S+)\)", lines[0]).group(1))
        assert (temp / "nginx.conf").is_file()
        everything = tree(proc.pid)
        assert len(everything) >= 4  # serve, nginx master + worker(s), 2 replicas

        url = f"http://127.0.0.1:{port}"
        replicas = Counter()
        for _ in range(12):
            with Session(url) as s:
                r = s.rerun("members", "member=GBR")
                assert r.failure is None
                replicas[s.replica] += 1
                brief = s.download("Download member brief")  # fetched over HTTP: same replica
                assert brief.error is None and brief.bytes > 1000
        assert len(replicas) == 2, replicas  # 12 sessions on one replica: 1 chance in 2,048

        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0, out
        deadline = time.monotonic() + 10
        while any(alive(p) for p in everything) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in everything if alive(p)]
        assert not temp.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# -- faults under load ----------------------------------------------------------------------
def test_a_killed_replica_costs_only_its_own_sessions_a_reconnect():
    with Cluster(2) as cluster:
        load = Load(cluster.url)
        ids = load.add(6)
        load.wait_runs(ids)
        on = lambda i: load.log[i][0][1]  # noqa: E731  the replica a session started on
        while len({on(i) for i in ids}) < 2 and len(ids) < 20:  # make sure both replicas carry sessions
            more = load.add(2)
            load.wait_runs(more)
            ids += more
        victim = cluster.replicas[0]
        dead = f"127.0.0.1:{victim.port}"
        others = [i for i in ids if on(i) != dead]
        mine = [i for i in ids if on(i) == dead]
        assert others and mine
        killed_at = time.monotonic()
        os.killpg(victim.pid, signal.SIGKILL)
        # new sessions while the replica is down go to the living one, with no error
        fresh = []
        for _ in range(4):
            with Session(cluster.url, timeout=60) as s:
                r = s.rerun("")
                assert r.failure is None
                fresh.append(s.replica)
        time.sleep(3)
        load.finish()
        assert set(fresh) == {f"127.0.0.1:{cluster.replicas[1].port}"}, fresh
        for i in others:  # nobody else saw anything
            assert [e for e in load.log[i] if e[2]] == [], load.log[i]
            assert sum(1 for e in load.log[i] if e[0] > killed_at) >= 2
        for i in mine:  # their websocket broke; after one reconnect they run on the living replica
            errors = [e for e in load.log[i] if e[2]]
            assert 1 <= len(errors) <= 3, load.log[i]
            after = [e for e in load.log[i] if e[0] > errors[-1][0]]
            assert after and all(e[2] is None for e in after), load.log[i]
        # the health check restarts the dead replica
        deadline = time.monotonic() + 120
        while not (victim.alive() and serve.healthy(victim.url)):
            assert time.monotonic() < deadline, cluster.events
            time.sleep(0.5)
        assert victim.restarts == 1


def test_a_snapshot_published_under_load_is_seen_without_errors(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "snapshots" / "2017-03-30", data / "snapshots" / "2017-03-30")
    with Cluster(2, data_dir=data) as cluster:
        load = Load(cluster.url)
        ids = load.add(4)
        load.wait_runs(ids)
        assert all("2024-07-06" not in load.texts[i] for i in ids)
        done = subprocess.run(
            [sys.executable, "-m", "ogp", "import", str(CURRENT_CSV), "--as-of", "2024-07-06", "--data-dir", str(data)],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        published = time.monotonic()
        deadline = published + 90
        while not all("2024-07-06" in load.texts.get(i, "") for i in ids):
            assert time.monotonic() < deadline, "new reruns did not show the new snapshot"
            time.sleep(0.2)
        load.finish()
        for i in ids:
            assert [e for e in load.log[i] if e[2]] == [], load.log[i]
            assert any(e[0] > published for e in load.log[i])


def test_a_snapshot_refreshed_under_load_is_seen_without_errors(tmp_path):
    """The same, published by `ogp refresh` from a web server on loopback (the bundled 2024 export
    served as new); then the day's snapshot replaced by a later export of that day (same folder
    name: the replicas still reopen their store). Sessions read /data, whose import reports give
    each snapshot's rows."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "snapshots" / "2017-03-30", data / "snapshots" / "2017-03-30")
    with Origin() as web, Cluster(2, data_dir=data) as cluster:
        web.routes["/sheet.csv"] = Route(CURRENT_CSV.read_bytes(), etag='"1"', last_modified=JULY_6)
        srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/sheet.csv"), "layout": "current"})
        refresh = [sys.executable, "-m", "ogp", "refresh", "--sources", str(srcs), "--data-dir", str(data)]
        load = Load(cluster.url, page="data")
        ids = load.add(4)
        load.wait_runs(ids)
        assert all("558 read" not in load.texts[i] for i in ids)
        for served, rows, said in ((None, 558, "sheet: new snapshot 2024-07-06"),
                                   (current_extract(300), 300, "sheet: replaced snapshot 2024-07-06")):  # fmt: skip
            if served is not None:
                web.routes["/sheet.csv"] = Route(served, etag='"2"', last_modified=JULY_6)
            # a run that starts once the refresh has begun may already read the new snapshot (it
            # is published before the command exits): "after" counts from the refresh's start
            published = time.monotonic()
            done = subprocess.run(refresh, cwd=ROOT, capture_output=True, text=True, timeout=300)
            assert done.returncode == 0 and done.stdout.startswith(said), done.stdout + done.stderr
            deadline = time.monotonic() + 90
            while not all(f"rows: {rows} read, {rows} kept" in load.texts.get(i, "") for i in ids):
                assert time.monotonic() < deadline, "new reruns did not show the refreshed snapshot"
                time.sleep(0.2)
        load.finish()
        for i in ids:
            assert [e for e in load.log[i] if e[2]] == [], load.log[i]
            assert any(e[0] > published for e in load.log[i])


def test_a_session_that_leaves_mid_rerun_leaves_no_work_behind():
    with Replica() as server:
        with Session(server.url) as s:
            assert s.rerun("commitments", "q=budget").failure is None
        time.sleep(2)
        threads_before = len(os.listdir(f"/proc/{server.pid}/task"))
        for word in ("parliament", "lobbying", "procurement", "open data", "health"):
            s = Session(server.url).connect()
            s.send_rerun("commitments", "q=" + word.replace(" ", "+"))  # a cache miss: real work
            time.sleep(0.05)
            s.close()  # the tab is closed while the script runs
        deadline = time.monotonic() + 60
        while True:  # the server goes quiet: no run left going, no thread left behind
            cpu0 = _cpu_s(server.pid)
            time.sleep(2)
            busy = _cpu_s(server.pid) - cpu0
            threads = len(os.listdir(f"/proc/{server.pid}/task"))
            if busy < 0.3 and threads <= threads_before + 2:
                break
            assert time.monotonic() < deadline, (busy, threads, threads_before)
        t0 = time.monotonic()
        with Session(server.url) as s:  # and answers the next visitor at once
            assert s.rerun("commitments", "q=budget").failure is None
        assert time.monotonic() - t0 < 30


def _cpu_s(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
