"""`python -m ogp refresh`, measured against a web server and an SMTP server on loopback.

    python bench/refresh_bench.py [--runs 5] [--no-replica] [--json]

1. **A new export**: the bundled 2024 export (data/raw/g0v_ogp-commitments/open_parliament_0703.csv)
   served as if new (ETag, Last-Modified 2024-07-06) to a data folder holding only the 2017
   snapshot, with a dashboard replica running on it: one `ogp refresh --notify` -> the new
   snapshot, the mailed digest (aiosmtpd keeps it), /data's source row (read by the replica over
   its websocket, ogp/ops/stream.py) and the replica's overview showing the new snapshot.
2. **An unchanged source**: `--runs` more `ogp refresh` commands (each a fresh process, as the
   timer starts it): wall time, requests the server saw, bytes written under snapshots/ (every
   file hashed before and after) and the size of the state file (refresh.json, the one file a
   refresh that finds nothing new rewrites: its last attempt).
3. **Every bad answer** of issue 26 (tests/origin.py `bad_answers`): each refused with one
   `error:` line, 0 bytes changed under snapshots/, and the replica answering a rerun of /data
   after each.

It measures and prints; tests/test_refresh.py and tests/test_serve.py assert."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from origin import Mailbox, Origin, Route, bad_answers, current_extract, sources_file, tree_digest  # noqa: E402
from pagetest import CURRENT_CSV  # noqa: E402

from ogp.ops.serve import Replica  # noqa: E402
from ogp.ops.stream import Session  # noqa: E402

LAST_MODIFIED = "Sat, 06 Jul 2024 10:00:00 GMT"
FAST = ["--timeout", "1", "--tries", "3", "--backoff", "0.01"]  # the reasons of bad_answers() expect these


def ogp(*args: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Wall seconds and the finished `python -m ogp ARGS` (its CPU seconds go to CPU[-1])."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ogp", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    took = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime)
    return took, done


CPU: list[float] = []


def size_under(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="unchanged refreshes to time")
    ap.add_argument("--no-replica", action="store_true", help="no dashboard replica beside it")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="refresh-bench-"))
    data = work / "data"
    shutil.copytree(ROOT / "data" / "snapshots" / "2017-03-30", data / "snapshots" / "2017-03-30")
    report: dict = {}
    replica = None
    try:
        with Origin() as web, Mailbox() as box:
            if not args.no_replica:
                replica = Replica(data_dir=data).__enter__()
            web.routes["/sheet.csv"] = Route(
                CURRENT_CSV.read_bytes(), etag='"2024"', last_modified=LAST_MODIFIED
            )
            srcs = sources_file(
                work, {"name": "ogp-commitments", "url": web.url("/sheet.csv"), "layout": "current"}
            )
            base = ["refresh", "--sources", str(srcs), "--data-dir", str(data)]

            # 1. a new export
            took, done = ogp(*base, "--notify", env=box.env())
            snap = data / "snapshots" / "2024-07-06"
            mails = [m for _, _, m in box.messages]
            new = {
                "exit": done.returncode,
                "seconds": round(took, 2),
                "cpu_seconds": round(CPU[-1], 2),
                "stdout": done.stdout.strip(),
                "stderr": done.stderr.strip(),
                "snapshot": snap.is_dir(),
                "commitments": json.loads((snap / "manifest.json").read_text())["counts"]["commitments"]
                if snap.is_dir()
                else None,
                "mails": len(mails),
                "mail_subject": mails[0]["Subject"] if mails else None,
                "mail_parts": [p.get_content_type() for p in mails[0].iter_parts()] if mails else [],
                "mail_bytes": len(mails[0].as_bytes()) if mails else 0,
            }
            if replica is not None:
                seen: list[str] = []
                with Session(replica.url, timeout=120) as s:
                    s.on_message = lambda m: seen.append(str(m))
                    r = s.rerun("data")
                page = "\n".join(seen)
                new["data_page"] = {
                    "failure": r.failure,
                    "shows_source": "ogp-commitments" in page,
                    "shows_new_snapshot": "rows: 558 read, 558 kept" in page,
                }
            report["new export"] = new

            # 2. unchanged
            before = tree_digest(data / "snapshots")
            size0 = size_under(data / "snapshots")
            state_before = (data / "refresh.json").stat().st_size
            times, requests, outs, cpu = [], [], [], []
            for _ in range(args.runs):
                seen_requests = len(web.requests)
                took, done = ogp(*base, "--notify", env=box.env())
                times.append(took)
                cpu.append(CPU[-1])
                requests.append(len(web.requests) - seen_requests)
                outs.append(done.stdout.strip())
            report["unchanged"] = {
                "runs": args.runs,
                "seconds_p50": round(statistics.median(times), 2),
                "seconds_max": round(max(times), 2),
                "cpu_seconds_p50": round(statistics.median(cpu), 2),
                "load_average": os.getloadavg()[0],
                "requests_per_run": sorted(set(requests)),
                "conditional": all("If-None-Match" in h for _, h in web.requests[-args.runs :]),
                "snapshots_unchanged": tree_digest(data / "snapshots") == before,
                "snapshots_bytes": size0,
                "state_file_bytes": [state_before, (data / "refresh.json").stat().st_size],
                "mails_sent": len(box.messages) - len(mails),
                "stdout": sorted(set(outs)),
            }
            changed = tree_digest(data / "snapshots")
            report["unchanged"]["bytes_written_under_snapshots"] = sum(
                (data / "snapshots" / f).stat().st_size for f, h in changed.items() if before.get(f) != h
            )

            # 3. every bad answer, against a folder whose source had a 40-row import
            bad_data = work / "bad"
            web.routes["/first.csv"] = Route(current_extract(40))
            first = sources_file(work, {"name": "sheet", "url": web.url("/first.csv"), "layout": "current"})
            ogp("refresh", "--sources", str(first), "--data-dir", str(bad_data), *FAST)
            rows = []
            for case, (route, reason, extra, _) in bad_answers().items():
                path = "/bad/" + "-".join(case.replace(",", "").split())
                web.routes[path] = Route(**vars(route))
                srcs_bad = sources_file(
                    work, {"name": "sheet", "url": web.url(path), "layout": "current", **extra}
                )
                hashed = tree_digest(bad_data / "snapshots")
                took, done = ogp("refresh", "--sources", str(srcs_bad), "--data-dir", str(bad_data), *FAST)
                err = done.stderr.strip().splitlines()
                serving = None
                if replica is not None:
                    with Session(replica.url, timeout=60) as s:
                        failure = s.rerun("data").failure
                        serving = failure is None or str(failure)[:200]
                rows.append(
                    {
                        "case": case,
                        "exit": done.returncode,
                        "error_lines": len(err),
                        "reason_ok": bool(err) and reason in err[0],
                        "snapshots_unchanged": tree_digest(bad_data / "snapshots") == hashed,
                        "dashboard_answered": serving,
                        "seconds": round(took, 2),
                        "line": err[0] if err else "",
                    }
                )
            report["bad answers"] = rows
    finally:
        if replica is not None:
            replica.__exit__(None, None, None)
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    n = report["new export"]
    print("1. a new export (the bundled 2024 file served as new), one `ogp refresh --notify`:")
    print(f"   exit {n['exit']} in {n['seconds']} s (CPU {n['cpu_seconds']} s): {n['stdout']}")
    print(
        f"   snapshot 2024-07-06: {n['snapshot']} ({n['commitments']} commitments); mails: {n['mails']} "
        f"({', '.join(n['mail_parts'])}; {n['mail_bytes']:,} bytes) '{n['mail_subject']}'"
    )
    if "data_page" in n:
        print(f"   running replica's /data: {n['data_page']}")
    u = report["unchanged"]
    print(f"2. an unchanged source, {u['runs']} runs (each a new process):")
    print(
        f"   p50 {u['seconds_p50']} s, max {u['seconds_max']} s (CPU p50 {u['cpu_seconds_p50']} s; load average "
        f"{u['load_average']:.1f}); requests per run {u['requests_per_run']} "
        f"(conditional: {u['conditional']}); bytes written under snapshots/: {u['bytes_written_under_snapshots']} "
        f"(every file's sha256 unchanged: {u['snapshots_unchanged']}); refresh.json {u['state_file_bytes'][0]:,} -> "
        f"{u['state_file_bytes'][1]:,} bytes (the last attempt); mails: {u['mails_sent']}"
    )
    print(f"   {u['stdout']}")
    print("3. every bad answer:")
    print(f"   {'case':26} exit lines reason snapshots-unchanged dashboard-answered  s")
    for r in report["bad answers"]:
        print(
            f"   {r['case']:26} {r['exit']:>4} {r['error_lines']:>5} {str(r['reason_ok']):>6} "
            f"{str(r['snapshots_unchanged']):>19} {str(r['dashboard_answered']):>18} {r['seconds']:>5}"
        )
        print(f"      {r['line']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
