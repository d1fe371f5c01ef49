"""`python -m ogp load`: many users at once against a running dashboard, with Locust.

    python -m ogp load --url http://127.0.0.1:8501 --users 40 --spawn-rate 10 --duration 60 [--json]
    python -m ogp load --url URL --users 40 --scenario overview --reruns-per-user 3 --duration 300

Runs Locust headless (its own Environment and local runner, no web UI) with users that speak
Streamlit's websocket protocol (ogp/ops/loadgen.py) and prints requests/s and p50/p95/p99 per page,
and the failures (an exception on a page counts as one). Bounded: at most MAX_USERS users and
MAX_DURATION seconds, and only against this machine (loopback addresses): it is a tool to
measure our own servers, not to load anyone else's.

Locust monkey-patches the process it is imported in (gevent), so the run happens in a child
process, `python -m ogp.ops.loadgen` with the same arguments."""

from __future__ import annotations

import argparse
import ipaddress
import subprocess
import sys
from urllib.parse import urlsplit

MAX_USERS = 500
MAX_DURATION = 3600
SCENARIOS = ("mixed", "public", "staff", "deck", "overview")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", required=True, help="the dashboard, e.g. http://127.0.0.1:8501 (loopback only)")
    p.add_argument("--users", type=int, default=10, help=f"concurrent users (1..{MAX_USERS})")
    p.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    p.add_argument("--duration", type=float, default=30, help=f"seconds (at most {MAX_DURATION})")
    p.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="mixed",
        help="mixed (public 6 : staff 3 : deck 1), one kind of user, or the overview only",
    )
    p.add_argument("--reruns-per-user", type=int, default=None, help="each user stops after this many reruns")
    p.add_argument(
        "--think", type=float, nargs=2, metavar=("MIN", "MAX"), default=None, help="pause between tasks, s"
    )
    p.add_argument("--rerun-timeout", type=float, default=120, help="a rerun not finished by then fails")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ogp load", description=__doc__.split("\n\n")[0])
    add_arguments(p)
    return p


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:  # the client speaks plain ws:// (loopback)
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def check(args) -> str | None:
    """Why these arguments are refused, or None."""
    if not is_loopback(args.url):
        return f"--url must be an http:// URL on this machine (127.0.0.1, ::1 or localhost), not {args.url!r}"
    if not 1 <= args.users <= MAX_USERS:
        return f"--users must be 1..{MAX_USERS}"
    if not 0 < args.spawn_rate <= 1000:
        return "--spawn-rate must be above 0 and at most 1000"
    if not 0 < args.duration <= MAX_DURATION:
        return f"--duration must be above 0 and at most {MAX_DURATION} s"
    if args.reruns_per_user is not None and args.reruns_per_user < 1:
        return "--reruns-per-user must be at least 1"
    if args.think and not 0 <= args.think[0] <= args.think[1] <= 600:
        return "--think MIN MAX: 0 <= MIN <= MAX <= 600"
    return None


def register(sub) -> None:
    p = sub.add_parser(
        "load", help="Locust load run against a local dashboard", description=__doc__.split("\n\n")[0]
    )
    add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    problem = check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    argv = [
        "--url", args.url,
        "--users", str(args.users),
        "--spawn-rate", str(args.spawn_rate),
        "--duration", str(args.duration),
        "--scenario", args.scenario,
        "--rerun-timeout", str(args.rerun_timeout),
    ]  # fmt: skip
    if args.reruns_per_user is not None:
        argv += ["--reruns-per-user", str(args.reruns_per_user)]
    if args.think:
        argv += ["--think", str(args.think[0]), str(args.think[1])]
    if args.json:
        argv.append("--json")
    return subprocess.call([sys.executable, "-m", "ogp.ops.loadgen", *argv])
