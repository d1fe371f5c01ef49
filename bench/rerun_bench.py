"""What a rerun costs the server, page by page, against a bare Streamlit page in the same run.

    python bench/rerun_bench.py [--runs 20] [--data-dir DIR] [--all-themes] [--no-twins] [--json]

Starts the dashboard and a bare page (`st.title` and one line of text, run from the project
folder so the same .streamlit/config.toml applies) on free loopback ports, opens one
protocol-level session per view (ogp/ops/stream.py: a websocket that asks for a rerun and waits
for `script_finished`, no browser), reruns each view once to warm it, then --runs times,
round robin, with a bare rerun between two views so that both see the same load. Prints p50 and
p95 per view and their ratio to the bare page (goal of issue 16: at most 2x), the bytes a repeat
rerun sends, and the server's resident memory. A number, not a test: the machine is shared.
The bare page runs on the dashboard's transport (ogp.app.host.no_nagle); a second bare page,
Streamlit out of the box, is timed beside it. Then a few views and both bare pages rerun back
to back (one session, reruns in a row), where Nagle's algorithm made a rerun wait 40 ms.

Twins (unless --no-twins): for each view, a bare Streamlit page that sends the same elements
(kind and count, recorded from the view's own rerun) with trivial content, and registers as
many pages as the dashboard's menu (bench/twin_page.py), timed in the same round. A twin's
ratio to the bare page is what Streamlit itself charges for that page's elements: the floor
under the view's own ratio."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import shutil  # noqa: E402
from collections import Counter  # noqa: E402

from ogp.model.themes import load_themes  # noqa: E402
from ogp.ops.bench import machine  # noqa: E402
from ogp.ops.serve import Replica  # noqa: E402
from ogp.ops.stream import Session  # noqa: E402

# Streamlit out of the box: a title and a line.
VANILLA_PAGE = 'import streamlit as st\n\nst.title("A bare page")\nst.write("A line of text.")\n'
# The same page on the dashboard's transport (ogp.app.host.no_nagle), imported by `streamlit run`
# as dashboard.py is: the page every view is compared to.
BARE_PAGE = f"""import streamlit as st

if __name__ == "__main__":
    st.title("A bare page")
    st.write("A line of text.")
else:
    import sys

    sys.path.insert(0, {str(ROOT)!r})
    from ogp.app import host

    host.no_nagle()
    app = st.App(__file__)
"""


def views(all_themes: bool) -> list[tuple[str, str, str]]:
    """(name, page url_path, query string) of every page the dashboard serves."""
    themes = load_themes()
    out = [
        ("overview", "", ""),
        ("map", "map", ""),
        ("map, starred", "map", "measure=starred"),
        ("members", "members", ""),
        ("member profile", "members", "member=GBR"),
        ("commitments", "commitments", ""),
        ("search", "commitments", "q=budget"),
        ("filtered", "commitments", "region=Europe&completion=Complete"),
        ("progress", "progress", ""),
    ]
    out += [(f"theme {t.slug}", t.slug, "") for t in (themes if all_themes else themes[:1])]
    out += [(f"deck slide {n}", "present", f"slide={n}") for n in (1, 2, 3)]
    return out


BACK_TO_BACK = ("overview", "map", "deck slide 2")
# Streamlit's floor for any page of the dashboard: a twin with the bare page's title and line,
# the menu and the overview's filter bar (its widgets), and nothing else.
FLOOR = "menu and filter bar only"
FILTER_WIDGETS = ("new_element:multiselect", "new_element:selectbox", "new_element:slider")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def element_counts(session: Session, page: str, query: str) -> tuple[Counter, int]:
    """What one rerun of a view sends: elements and blocks by kind (a cached message sent as a
    reference counts as `ref_hash`), and how many pages its menu lists."""
    counts: Counter = Counter()
    pages = [0]

    def seen(msg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta":
            delta = msg.delta.WhichOneof("type")
            if delta == "new_element":
                kind = "new_element:" + msg.delta.new_element.WhichOneof("type")
            elif delta == "add_block":
                kind = "add_block:" + (msg.delta.add_block.WhichOneof("type") or "")
            else:
                kind = "delta:" + str(delta)
        elif kind == "navigation":
            pages[0] = len(msg.navigation.app_pages)
        counts[kind] += 1

    session.on_message = seen
    try:
        session.rerun(page, query)
    finally:
        session.on_message = None
    return counts, pages[0]


def measure(runs: int, data_dir: str | None, all_themes: bool, twins: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="ogp-bare-") as tmp:
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE_PAGE)
        vanilla_script = Path(tmp) / "vanilla.py"
        vanilla_script.write_text(VANILLA_PAGE)
        twin_script = Path(tmp) / "twin.py"
        shutil.copy(ROOT / "bench" / "twin_page.py", twin_script)
        with (
            Replica(data_dir=data_dir) as app,
            Replica(script=bare_script) as bare,
            Replica(script=vanilla_script) as vanilla,
        ):
            rss_start = rss_mb(app.pid)
            todo = views(all_themes)
            sessions = {name: Session(app.url, timeout=600) for name, _, _ in todo}
            bare_session = Session(bare.url)  # connected at its first rerun, after the warm-up
            times: dict[str, list[float]] = {name: [] for name, _, _ in todo}
            twin_times: dict[str, list[float]] = {name: [] for name, _, _ in todo}
            sizes: dict[str, int] = {}
            failures: dict[str, str] = {}
            bare_times: list[float] = []
            vanilla_session = Session(vanilla.url)
            vanilla_times: list[float] = []
            back_to_back: dict[str, dict] = {}
            floor_times: list[float] = []
            kinds: dict[str, dict] = {}
            twin = None
            twin_sessions: dict[str, Session] = {}
            try:
                for name, page, query in todo:  # warm: first run of each view (cache misses)
                    r = sessions[name].rerun(page, query)
                    if r.failure:
                        failures[name] = r.failure
                    sessions[name].close()  # an idle client answers no ping: reconnect below
                menu = 0
                for name, page, query in todo:  # fresh sessions, each rerun once (cached now)
                    sessions[name] = Session(app.url, timeout=600)
                    sessions[name].rerun(page, query)
                    counts, menu = element_counts(sessions[name], page, query)
                    kinds[name] = dict(counts)
                if twins:
                    kinds[FLOOR] = {k: v for k, v in kinds["overview"].items() if k in FILTER_WIDGETS}
                    kinds[FLOOR] |= {"new_element:heading": 1, "new_element:markdown": 1}
                    (Path(tmp) / "twin.json").write_text(
                        json.dumps({"root": str(ROOT), "pages": max(menu, 1), "views": kinds})
                    )
                    twin = Replica(script=twin_script).__enter__()
                    for name in [*(n for n, _, _ in todo), FLOOR]:
                        twin_sessions[name] = Session(twin.url, timeout=600)
                        twin_sessions[name].rerun("", "view=" + name)
                        twin_sessions[name].rerun("", "view=" + name)
                bare_session.rerun()
                vanilla_session.rerun()
                started = time.monotonic()
                for _ in range(runs):
                    for name, page, query in todo:
                        r = sessions[name].rerun(page, query)
                        times[name].append(r.seconds * 1000)
                        sizes[name] = r.bytes
                        if r.failure:
                            failures[name] = r.failure
                        if twins:
                            t = twin_sessions[name].rerun("", "view=" + name)
                            twin_times[name].append(t.seconds * 1000)
                            if t.failure:
                                failures[name] = "twin: " + t.failure
                        bare_times.append(bare_session.rerun().seconds * 1000)
                    vanilla_times.append(vanilla_session.rerun().seconds * 1000)
                    if twins:
                        floor_times.append(twin_sessions[FLOOR].rerun("", "view=" + FLOOR).seconds * 1000)
                elapsed = time.monotonic() - started
                # Back to back (a reader clicking Next, dragging a slider): the same session
                # reruns at once, where a server with Nagle's algorithm on waits for the
                # reader's delayed ACK (ogp.app.host.no_nagle).
                in_a_row = [
                    ("bare page", bare_session, "", ""),
                    ("bare page, out of the box", vanilla_session, "", ""),
                ]
                in_a_row += [
                    (name, sessions[name], page, query) for name, page, query in todo if name in BACK_TO_BACK
                ]
                for name, session, page, query in in_a_row:
                    row = [session.rerun(page, query).seconds * 1000 for _ in range(runs)]
                    back_to_back[name] = {
                        "p50_ms": round(statistics.median(row), 1),
                        "over_40_ms": sum(t > 40 for t in row),
                        "runs": len(row),
                    }
            finally:
                for s in [*sessions.values(), bare_session, vanilla_session, *twin_sessions.values()]:
                    s.close()
                if twin is not None:
                    twin.__exit__(None, None, None)
            rss_end = rss_mb(app.pid)
    bare50 = statistics.median(bare_times)

    def twin_of(name: str) -> dict:
        if not twin_times[name]:
            return {}
        p50 = statistics.median(twin_times[name])
        return {
            "twin_p50_ms": round(p50, 1),
            "twin_ratio_p50": round(p50 / bare50, 2),
            "ratio_to_twin": round(statistics.median(times[name]) / p50, 2),
        }

    return {
        "machine": machine(),
        "data_dir": data_dir or str(ROOT / "data"),
        "runs": runs,
        "elapsed_s": round(elapsed, 1),
        "bare_ms": {"p50": round(bare50, 1), "p95": round(percentile(bare_times, 95), 1)},
        "vanilla_bare_ms": {
            "p50": round(statistics.median(vanilla_times), 1),
            "p95": round(percentile(vanilla_times, 95), 1),
        },
        "views": [
            {
                "view": name,
                "path": "/" + page + (f"?{query}" if query else ""),
                "p50_ms": round(statistics.median(times[name]), 1),
                "p95_ms": round(percentile(times[name], 95), 1),
                "ratio_p50": round(statistics.median(times[name]) / bare50, 2),
                "bytes": sizes.get(name),
                "elements": sum(v for k, v in kinds.get(name, {}).items() if ":" in k or k == "ref_hash"),
                **twin_of(name),
                "failure": failures.get(name),
            }
            for name, page, query in todo
        ],
        "server_rss_mb": {"start": round(rss_start), "end": round(rss_end)},
        "back_to_back": back_to_back,
        "floor": {
            "p50_ms": round(statistics.median(floor_times), 1),
            "ratio_p50": round(statistics.median(floor_times) / bare50, 2),
            "elements": sum(kinds.get(FLOOR, {}).values()),
        }
        if floor_times
        else None,
    }


def print_report(r: dict) -> None:
    m = r["machine"]
    print(
        f"Machine: {m.get('cores')} cores, {m.get('ram_gb')} GB, {m.get('cpu')}; "
        f"load average {m.get('load_avg')}; data {r['data_dir']}; {r['runs']} reruns per view"
    )
    b = r["bare_ms"]
    v = r["vanilla_bare_ms"]
    print(
        f"Bare Streamlit page on the dashboard's transport: p50 {b['p50']} ms, p95 {b['p95']} ms "
        f"(out of the box: p50 {v['p50']} ms, p95 {v['p95']} ms)"
    )
    twins = any("twin_p50_ms" in v for v in r["views"])
    head = f"{'view':<28} {'p50 ms':>7} {'p95 ms':>7} {'x bare':>7} {'bytes':>7} {'elems':>5}"
    if twins:
        head += f" {'twin ms':>7} {'twin x bare':>11} {'x twin':>6}"
    print(head)
    for v in r["views"]:
        flag = f"  FAILED: {v['failure']}" if v["failure"] else ""
        line = (
            f"{v['view']:<28} {v['p50_ms']:>7} {v['p95_ms']:>7} {v['ratio_p50']:>7} "
            f"{v['bytes'] or 0:>7,} {v['elements']:>5}"
        )
        if "twin_p50_ms" in v:
            line += f" {v['twin_p50_ms']:>7} {v['twin_ratio_p50']:>11} {v['ratio_to_twin']:>6}"
        print(line + flag)
    if r.get("floor"):
        f = r["floor"]
        print(
            f"Streamlit's floor, a twin with the menu and the filter bar and nothing else "
            f"({f['elements']} elements and the menu): p50 {f['p50_ms']} ms, {f['ratio_p50']}x the bare page"
        )
    worst = max(r["views"], key=lambda v: v["ratio_p50"])
    print(
        f"Worst: {worst['view']} at {worst['ratio_p50']}x the bare page (goal: at most 2x); "
        f"server RSS {r['server_rss_mb']['start']} -> {r['server_rss_mb']['end']} MB"
    )
    print("Back to back (one session, reruns in a row):")
    for name, b in r["back_to_back"].items():
        print(f"  {name:<28} p50 {b['p50_ms']:>6} ms, over 40 ms: {b['over_40_ms']}/{b['runs']}")
    if twins:
        print(
            "twin: a bare page sending the same elements (kind and count) and menu; "
            "'twin x bare' is Streamlit's own floor for that page, 'x twin' what the dashboard adds."
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="reruns per view (default 20)")
    ap.add_argument("--data-dir", default=None, help="snapshot folder (default: the bundled data/)")
    ap.add_argument("--all-themes", action="store_true", help="every theme page, not only the first")
    ap.add_argument("--no-twins", action="store_true", help="skip the same-elements bare pages")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not 1 <= args.runs <= 1000:
        ap.error("--runs 1..1000")
    report = measure(args.runs, args.data_dir, args.all_themes, twins=not args.no_twins)
    print(json.dumps(report, indent=2) if args.json else "", end="")
    if not args.json:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
