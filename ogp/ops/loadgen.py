"""Locust users that speak Streamlit's websocket protocol (see ogp/ops/stream.py), and a headless
runner. Importing this module imports Locust, which monkey-patches the process for gevent:
run it as its own process (`python -m ogp load ...` starts `python -m ogp.ops.loadgen ...`), or as
a locustfile: `locust -f ogp/ops/loadgen.py --host http://127.0.0.1:8501`.

Every request Locust counts is one rerun (request type "rerun", name = the view) or one download
("download"): the time from asking until `script_finished` (or the file's last byte). A rerun
fails when an exception element reaches the page, the page is not found, or the websocket
closes or times out (the user then reconnects, as the browser does, on its next task).

The three kinds of users of the dashboard (docs: GUIDE, issue 16):
- PublicUser: the overview and its map, the map by another measure, a member's page, a theme;
- StaffUser: filters on the commitments list, a search, progress between snapshots, the CSV
  and Excel downloads of the filtered rows, a member brief;
- DeckUser: the summit deck, slide after slide (a presenter pressing the right arrow).
`OverviewUser` reruns the overview only: the scenario of bench/replica_bench.py."""

from __future__ import annotations

import random
import time

from locust import User, between, constant, task
from locust.exception import StopUser

from ogp.ops.stream import Session, StreamError


class RerunFailure(Exception):
    """What the page showed instead of the view (an exception element, page not found)."""


def _members() -> list[str]:
    """Member codes of the newest snapshot the dashboard reads ($OGP_DATA_DIR or data/)."""
    import pandas as pd

    from ogp.model import paths

    names = paths.snapshot_names()
    if not names:
        return ["GBR"]
    try:
        codes = pd.read_parquet(paths.snapshots_dir() / names[-1] / "members.parquet")["member_code"]
        return sorted(codes.dropna().astype(str).unique()) or ["GBR"]
    except (OSError, KeyError, ValueError):
        return ["GBR"]


def _themes() -> list[str]:
    from ogp.model.themes import load_themes

    return [t.slug for t in load_themes()]


MEMBERS: list[str] = []
THEMES: list[str] = []
MEASURES = ("Starred+commitments", "High+completion+%28%25+of+assessed%29", "Action+plans")
SEARCHES = ("budget", "parliament", "open data", "lobbying", "procurement")
REGIONS = ("Europe", "Americas", "Africa", "Asia+and+the+Pacific")
DECK_SLIDES = 8


class StreamlitUser(User):
    """One browser tab: one websocket session, reruns on it, a reconnect after it broke."""

    abstract = True
    wait_time = between(0.5, 2.0)
    max_reruns: int | None = None  # set by the runner: stop after this many reruns

    def on_start(self) -> None:
        global MEMBERS, THEMES
        if not MEMBERS:
            MEMBERS, THEMES = _members(), _themes()
        self.session: Session | None = None
        self.reruns = 0
        self.rnd = random.Random()

    def on_stop(self) -> None:
        if self.session is not None:
            self.session.close()

    def _session(self) -> Session:
        if self.session is None:
            if self.host is None:  # Locust gives each user its environment's host (run() sets one)
                raise RuntimeError("a StreamlitUser needs a host: the Streamlit server's URL")
            self.session = Session(
                self.host,
                timeout=self.environment.parsed_options.rerun_timeout
                if getattr(self.environment, "parsed_options", None)
                else 120,
            )
            self.session.connect()
        return self.session

    def fire(self, kind: str, name: str, seconds: float, size: int, error: Exception | None) -> None:
        self.environment.events.request.fire(
            request_type=kind,
            name=name,
            response_time=seconds * 1000,
            response_length=size,
            exception=error,
            context={},
        )

    def visit(self, name: str, page: str = "", query: str = "") -> None:
        if self.max_reruns is not None and self.reruns >= self.max_reruns:
            raise StopUser()
        self.reruns += 1
        t0 = time.perf_counter()
        try:
            result = self._session().rerun(page, query)
        except (StreamError, OSError) as exc:
            if self.session is not None:
                self.session.close()
            self.session = None  # the next task reconnects, as the browser does
            self.fire("rerun", name, time.perf_counter() - t0, 0, exc)
            return
        failure = result.failure
        self.fire("rerun", name, result.seconds, result.bytes, RerunFailure(failure) if failure else None)

    def download(self, name: str, label: str) -> None:
        if self.session is None:
            return
        try:
            d = self.session.download(label)
        except (StreamError, OSError) as exc:
            self.session.close()
            self.session = None
            self.fire("download", name, 0, 0, exc)
            return
        self.fire("download", name, d.seconds, d.bytes, RerunFailure(d.error) if d.error else None)


class PublicUser(StreamlitUser):
    weight = 6

    @task(4)
    def overview(self):
        self.visit("overview", "")

    @task(2)
    def map_by_measure(self):
        self.visit("map", "map", "measure=" + self.rnd.choice(MEASURES))

    @task(3)
    def member(self):
        self.visit("member", "members", "member=" + self.rnd.choice(MEMBERS))

    @task(2)
    def theme(self):
        self.visit("theme", self.rnd.choice(THEMES))


class StaffUser(StreamlitUser):
    weight = 3

    @task(3)
    def filters(self):
        region = self.rnd.choice(REGIONS)
        self.visit("commitments filtered", "commitments", f"region={region}&completion=Complete")

    @task(3)
    def search(self):
        self.visit("search", "commitments", "q=" + self.rnd.choice(SEARCHES).replace(" ", "+"))

    @task(2)
    def progress(self):
        self.visit("progress", "progress")

    @task(1)
    def downloads(self):
        self.visit("commitments filtered", "commitments", f"region={self.rnd.choice(REGIONS)}")
        self.download("download csv", "Download")
        self.download("download excel", "Download")

    @task(1)
    def brief(self):
        self.visit("member", "members", "member=" + self.rnd.choice(MEMBERS))
        self.download("download brief", "Download member brief")


class DeckUser(StreamlitUser):
    weight = 1
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        super().on_start()
        self.slide = 0

    @task
    def next_slide(self):
        self.slide = self.slide % DECK_SLIDES + 1
        self.visit("deck slide", "present", f"slide={self.slide}")


class OverviewUser(StreamlitUser):
    """The overview, again and again, with no pause (`--scenario overview`, bench/replica_bench.py)."""

    weight = 1
    wait_time = constant(0)

    @task
    def overview(self):
        self.visit("overview", "")


SCENARIOS = {
    "mixed": (PublicUser, StaffUser, DeckUser),
    "public": (PublicUser,),
    "staff": (StaffUser,),
    "deck": (DeckUser,),
    "overview": (OverviewUser,),
}


# -- headless runner (python -m ogp.ops.loadgen, started by `python -m ogp load`) ---------------
def run(
    url: str,
    users: int,
    spawn_rate: float,
    duration: float,
    scenario: str = "mixed",
    reruns_per_user: int | None = None,
    think: tuple[float, float] | None = None,
    rerun_timeout: float = 120,
) -> dict:
    import gevent
    from locust.env import Environment

    classes = [
        type(
            c.__name__,
            (c,),
            {
                "max_reruns": reruns_per_user,
                **({"wait_time": between(*think)} if think is not None else {}),
            },
        )
        for c in SCENARIOS[scenario]
    ]
    env = Environment(user_classes=classes, host=url)

    class Options:  # what the users read from Locust's parsed options
        rerun_timeout: float

    env.parsed_options = Options()
    env.parsed_options.rerun_timeout = rerun_timeout
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=spawn_rate)
    deadline = started + duration
    gevent.sleep(min(1.0, duration))
    while time.monotonic() < deadline:
        if reruns_per_user is not None and runner.user_count == 0:
            break  # every user did its reruns
        gevent.sleep(0.2)
    runner.stop()
    runner.quit()
    elapsed = time.monotonic() - started
    return report(env, elapsed, url, users, spawn_rate, duration, scenario)


def report(env, elapsed, url, users, spawn_rate, duration, scenario) -> dict:
    stats = env.stats
    rows = []
    for (name, kind), e in sorted(stats.entries.items()):
        rows.append(
            {
                "type": kind,
                "name": name,
                "requests": e.num_requests,
                "failures": e.num_failures,
                "per_s": round(e.num_requests / elapsed, 2) if elapsed else 0.0,
                "p50_ms": e.get_response_time_percentile(0.5) if e.num_requests else None,
                "p95_ms": e.get_response_time_percentile(0.95) if e.num_requests else None,
                "p99_ms": e.get_response_time_percentile(0.99) if e.num_requests else None,
            }
        )
    t = stats.total
    errors = [
        {"type": err.method, "name": err.name, "error": str(err.error)[:300], "count": err.occurrences}
        for err in stats.errors.values()
    ]
    return {
        "url": url,
        "scenario": scenario,
        "users": users,
        "spawn_rate": spawn_rate,
        "duration_s": duration,
        "elapsed_s": round(elapsed, 1),
        "requests": t.num_requests,
        "failures": t.num_failures,
        "per_s": round(t.num_requests / elapsed, 2) if elapsed else 0.0,
        "p50_ms": t.get_response_time_percentile(0.5) if t.num_requests else None,
        "p95_ms": t.get_response_time_percentile(0.95) if t.num_requests else None,
        "p99_ms": t.get_response_time_percentile(0.99) if t.num_requests else None,
        "pages": rows,
        "errors": errors,
    }


def print_report(r: dict) -> None:
    print(
        f"{r['url']}: scenario {r['scenario']}, {r['users']} users (spawn rate {r['spawn_rate']}/s), "
        f"{r['elapsed_s']} s"
    )
    print(
        f"{'type':<9} {'name':<22} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    fmt = lambda v: "-" if v is None else f"{v:,.0f}"  # noqa: E731
    for p in r["pages"]:
        print(
            f"{p['type']:<9} {p['name']:<22} {p['requests']:>8} {p['failures']:>5} {p['per_s']:>7} "
            f"{fmt(p['p50_ms']):>8} {fmt(p['p95_ms']):>8} {fmt(p['p99_ms']):>8}"
        )
    print(
        f"{'total':<32} {r['requests']:>8} {r['failures']:>5} {r['per_s']:>7} "
        f"{fmt(r['p50_ms']):>8} {fmt(r['p95_ms']):>8} {fmt(r['p99_ms']):>8}"
    )
    print(f"Failures: {r['failures']}")
    for e in r["errors"]:
        print(f"  {e['count']} x {e['type']} {e['name']}: {e['error']}")


def main(argv: list[str] | None = None) -> int:
    import json

    from ogp.ops.load import build_parser, check

    args = build_parser().parse_args(argv)
    problem = check(args)
    if problem:
        import sys

        print(f"error: {problem}", file=sys.stderr)
        return 2
    r = run(
        args.url,
        args.users,
        args.spawn_rate,
        args.duration,
        args.scenario,
        args.reruns_per_user,
        tuple(args.think) if args.think else None,
        args.rerun_timeout,
    )
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print_report(r)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
