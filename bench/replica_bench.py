"""Many sessions at once: one server against N replicas behind nginx, in the same run.

    python bench/replica_bench.py [--users 40] [--reruns 3] [--replicas 2] [--repeat 2]
                                  [--data-dir DIR] [--baseline-root DIR] [--json]

For each setup, starts it (`ogp.ops.serve.Replica`, or `ogp.ops.serve.Cluster` for nginx + replicas),
warms every replica with one overview rerun, then runs the load generator
(`python -m ogp load --scenario overview --users U --reruns-per-user K`: U sessions that each
rerun the overview K times, no pause) and reads reruns/s, p50/p95 and failures, and the resident
memory of each replica after the load. --baseline-root runs the same load against another
checkout (e.g. the commit before issue 16) for a same-machine "before". --repeat alternates the
setups that many times: the machine is shared, so compare ratios within one run."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ogp.ops.bench import machine  # noqa: E402
from ogp.ops.serve import Cluster, Replica  # noqa: E402
from ogp.ops.stream import Session  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    total = 0
    pids, seen = [pid], set()
    while pids:
        p = pids.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for child in Path(f"/proc/{p}/task/{p}/children").read_text().split():
                pids.append(int(child))
        except OSError:
            pass
    return round(total / 1024)


def warm(urls: list[str]) -> None:
    for url in urls:
        with Session(url, timeout=300) as s:
            s.rerun("")


def load(url: str, users: int, reruns: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "ogp", "load", "--url", url, "--users", str(users),
         "--spawn-rate", str(users), "--duration", "900", "--scenario", "overview",
         "--reruns-per-user", str(reruns), "--rerun-timeout", "300", "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def one_server(users, reruns, data_dir, root=None) -> dict:
    replica = Replica(data_dir=data_dir)
    if root is not None:  # another checkout: its own dashboard.py and .streamlit/config.toml
        replica.script = str(Path(root) / "dashboard.py")
        replica.cwd = root
    with replica:
        warm([replica.url])
        r = load(replica.url, users, reruns)
        r["rss_mb"] = [rss_mb(replica.pid)]
    return r


def behind_nginx(replicas, users, reruns, data_dir) -> dict:
    with Cluster(replicas, data_dir=data_dir) as c:
        warm([r.url for r in c.replicas])
        r = load(c.url, users, reruns)
        r["rss_mb"] = [rss_mb(x.pid) for x in c.replicas]
    return r


def summary(r: dict) -> dict:
    return {k: r[k] for k in ("requests", "failures", "per_s", "p50_ms", "p95_ms", "elapsed_s", "rss_mb")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--reruns", type=int, default=3)
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--baseline-root", default=None, help="another checkout to measure the same way")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results: dict[str, list[dict]] = {}
    started = machine()
    for _ in range(args.repeat):
        if args.baseline_root:
            results.setdefault("baseline, one server", []).append(
                summary(one_server(args.users, args.reruns, args.data_dir, args.baseline_root))
            )
        results.setdefault("one server", []).append(
            summary(one_server(args.users, args.reruns, args.data_dir))
        )
        results.setdefault(f"{args.replicas} replicas behind nginx", []).append(
            summary(behind_nginx(args.replicas, args.users, args.reruns, args.data_dir))
        )
        time.sleep(1)
    report = {"machine": started, "users": args.users, "reruns_per_user": args.reruns, "results": results}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    m = started
    print(f"Machine: {m.get('cores')} cores, {m.get('cpu')}, load average at start {m.get('load_avg')}")
    print(f"{args.users} sessions x {args.reruns} overview reruns each")
    for name, runs in results.items():
        for r in runs:
            print(
                f"{name:<28} {r['per_s']:>6} reruns/s  p50 {r['p50_ms']:>7,.0f} ms  p95 {r['p95_ms']:>7,.0f} ms  "
                f"failures {r['failures']}/{r['requests']}  RSS {r['rss_mb']} MB"
            )
    # Each round ran one server then the replicas, back to back: a ratio per round, then their
    # median (the goal of issue 16: at least 1.3x on this 2-core machine).
    one, many = results["one server"], results[f"{args.replicas} replicas behind nginx"]
    ratios = [b["per_s"] / a["per_s"] for a, b in zip(one, many) if a["per_s"]]
    if ratios:
        shown = ", ".join(f"{r:.2f}x" for r in ratios)
        print(
            f"{args.replicas} replicas / one server, round by round: {shown}; median {statistics.median(ratios):.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
