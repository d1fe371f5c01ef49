"""`python -m ogp bench`: how fast the dashboard answers, page by page.

    python -m ogp bench [--data-dir DIR] [--json] [--runs N]

For every page of the dashboard it replays the page's set of named queries with the default
filters, exactly as the page calls them (PAGE_QUERIES below, for the pages of
ogp/model/registry.py as OPENED opens them; tests/test_bench.py checks each list against the
queries the page runs under AppTest),
and reports:

- store open: the time `Store(DIR)` takes (the dashboard opens it once, st.cache_resource);
- cold: a freshly opened Store, the page's query set run once;
- warm: the same store open, the page's query set p50 / p95 over N runs (what a page costs when
  the dashboard's cache misses: new filters);
- served: the same set through ui.run, whose st.cache_data answers a repeat visit;
- a pandas-only baseline of the overview's aggregates (headline, completion by year, by member)
  from the parquet files, checked to EQUAL DuckDB's results, and the DuckDB/pandas speed ratio;
- the import time of each bundled real export (data/raw, into a temporary folder);
- the peak resident memory of a fresh process that opens the store and runs every page.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ogp.model import paths, registry
from ogp.model.filters import Filters
from ogp.render import monitor

# Placeholders resolved against the data (resolve_page): a member, a theme, a search term, the
# first and last snapshot, a commitment key.
MEMBER, THEME, SEARCH, FIRST, LAST, KEY = "@member", "@theme", "@q", "@first", "@last", "@key"
PREVIOUS = "@previous"  # the snapshot before the last (the monitor's change list)
COMPLETE = "@complete"  # the complete (not extract) snapshots' names (the monitor's late plans)
PREVIOUS_COMPLETE, LAST_COMPLETE = "@previous-complete", "@last-complete"  # is each one complete
PREFERRED_MEMBER = "GBR"
SEARCH_TERM = "budget"

# bench page -> how a browser opens it: a page's script (ogp/model/registry.py; a theme's page
# at THEME) and its URL query. Every page with a filter bar is here (tests/test_bench.py).
OPENED: dict[str, tuple[str, dict[str, str]]] = {
    "overview": (registry.OVERVIEW.file, {}),
    "map": (registry.MAP.file, {}),
    "members": (registry.MEMBERS.file, {}),
    "member profile": (registry.MEMBERS.file, {"member": MEMBER}),
    "commitments": (registry.COMMITMENTS.file, {}),
    "commitments search": (registry.COMMITMENTS.file, {"q": SEARCH}),
    "commitment detail": (registry.COMMITMENTS.file, {"id": KEY}),
    "progress": (registry.PROGRESS.file, {}),
    "theme": (THEME, {}),
    "monitor": (registry.MONITOR.file, {}),
}

# Every page with the filter bar (dashboard.py draws it first, ui.filter_bar): member options and
# the all-data headline (years).
SIDEBAR: list[tuple[str, dict | None, dict]] = [("member_options", None, {}), ("headline", {}, {})]

# page -> [(query, filters (Filters(**kw).params() bound; None: no filter parameters), extra params)]
# in the order the page runs them. Identical calls within a page are run once (ui.shared).
PAGE_QUERIES: dict[str, list[tuple[str, dict | None, dict]]] = {
    "overview": SIDEBAR
    + [  # pages/overview.py
        ("headline", {}, {}),
        ("completion_by_year", {}, {}),
        ("completion_by_cycle", {}, {}),
        ("by_member", {}, {}),  # ui.world_map
    ],
    "map": SIDEBAR
    + [  # pages/map.py
        ("headline", {}, {}),
        ("by_member", {}, {}),
    ],
    "members": SIDEBAR
    + [  # pages/members.py, no ?member
        ("member_options", None, {}),
        ("by_member", {}, {}),
    ],
    "member profile": SIDEBAR
    + [  # pages/members.py?member=CODE
        ("member_options", None, {}),
        ("member", None, {"member": MEMBER}),
        ("headline", {"members": (MEMBER,)}, {}),
        ("headline", {}, {}),
        ("member_plans", None, {"snapshot": None, "member": MEMBER, "rating": None}),
        ("themes_count", {"members": (MEMBER,)}, {}),
        ("commitments_page", {"members": (MEMBER,)}, {"limit": 1000, "offset": 0}),
    ],
    "commitments": SIDEBAR
    + [  # pages/commitments.py
        ("headline", {}, {}),
        ("commitments_page", {}, {"limit": 50, "offset": 0}),
    ],
    "commitments search": SIDEBAR
    + [  # pages/commitments.py?q=...
        ("headline", {"q": SEARCH}, {}),
        ("commitments_page", {"q": SEARCH}, {"limit": 50, "offset": 0}),
    ],
    "commitment detail": SIDEBAR
    + [  # pages/commitments.py?id=KEY
        ("commitment_key", None, {"id": KEY}),
        ("commitment_history", None, {"key": KEY}),
        ("headline", {}, {}),
        ("commitments_page", {}, {"limit": 50, "offset": 0}),
    ],
    "progress": SIDEBAR
    + [  # pages/progress.py
        ("transitions", {}, {"from_snapshot": FIRST, "to_snapshot": LAST}),  # filters without snapshot
        ("movers", {}, {"from_snapshot": FIRST, "to_snapshot": LAST, "direction": None, "limit": 500}),
        ("midterm_vs_end", {}, {}),
        ("at_risk", {}, {}),
    ],
    "theme": SIDEBAR
    + [  # pages/theme.py (one theme)
        ("headline", {"theme": THEME}, {}),
        ("headline", {}, {}),
        ("by_member", {"theme": THEME}, {}),  # ui.world_map
        ("completion_by_cycle", {"theme": THEME}, {}),
        ("completion_by_cycle", {}, {}),
        ("ambition_by_cycle", {"theme": THEME}, {}),
        ("ambition_by_cycle", {}, {}),
        ("by_member", {"theme": THEME}, {}),
        ("standout_commitments", {"theme": THEME}, {"limit": 20}),
    ],
    "monitor": SIDEBAR
    + [  # pages/monitor.py -> ogp/monitor.build
        ("monitor_late_plans", {}, {"plan_years": monitor.PLAN_YEARS, "complete": COMPLETE}),
        ("monitor_awaiting", {}, {"plan_years": monitor.PLAN_YEARS, "wait_years": monitor.WAIT_YEARS}),
        ("at_risk", {}, {}),
        ("monitor_gaps", {}, {}),
        (
            "monitor_changes",
            {},
            {
                "from_snapshot": PREVIOUS,
                "to_snapshot": LAST,
                "from_complete": PREVIOUS_COMPLETE,
                "to_complete": LAST_COMPLETE,
            },
        ),  # filters without snapshot
    ],
}
OVERVIEW_AGGREGATES = ("headline", "completion_by_year", "by_member")  # the pandas baseline's
# The bundled real exports, imported as data/raw/SOURCES.md does.
RAW = paths.BUNDLED_DATA_DIR / "raw"
IMPORTS = (
    ("2024-07-06", ("g0v_ogp-commitments/open_parliament_0703.csv",)),
    (
        "2017-03-30",
        (
            "Vizzuality_ogp/explorer/data/latest_data/ogpirm_live_data.csv",
            "Vizzuality_ogp/explorer/data/latest_data/"
            "ogp_irm__OGP_Process_Database_July_2016__VERSION_TWO__modified_by_miska_04.csv",
        ),
    ),
)


# -------------------------------------------------------------------------------- machine
def machine() -> dict:
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "ram_gb": None,
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        info["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        info["load_avg"] = None
    import duckdb

    info["duckdb"], info["pandas"] = duckdb.__version__, pd.__version__
    return info


# -------------------------------------------------------------------------------- pages
def _sub(value, values: dict):
    if isinstance(value, str) and value in values:
        return values[value]
    if isinstance(value, tuple):
        return tuple(_sub(v, values) for v in value)
    return value


def placeholders(store) -> dict:
    from ogp.model.themes import load_themes

    options = store.query("member_options")
    codes = list(options["member_code"])
    member = PREFERRED_MEMBER if PREFERRED_MEMBER in codes else (codes[0] if codes else "")
    first = store.query("commitments_page", **Filters().params(), limit=1, offset=0)
    names = store.snapshot_names
    return {
        MEMBER: member,
        THEME: load_themes()[0].slug,
        SEARCH: SEARCH_TERM,
        FIRST: names[0],
        LAST: names[-1],
        PREVIOUS: names[-2] if len(names) > 1 else names[-1],
        COMPLETE: [n for n in names if store.snapshot(n).complete],
        PREVIOUS_COMPLETE: store.snapshot(names[-2] if len(names) > 1 else names[-1]).complete,
        LAST_COMPLETE: store.snapshot(names[-1]).complete,
        KEY: first["key"].iloc[0] if len(first) else "",
    }


def resolve_page(page: str, values: dict) -> list[tuple[str, dict]]:
    """The page's distinct (query, bound parameters), in call order."""
    calls, seen = [], set()
    for name, filt, extra in PAGE_QUERIES[page]:
        params = {} if filt is None else Filters(**{k: _sub(v, values) for k, v in filt.items()}).params()
        params.update({k: _sub(v, values) for k, v in extra.items()})
        frozen = (name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())))
        if frozen not in seen:
            seen.add(frozen)
            calls.append((name, params))
    return calls


def run_calls(store, calls, cpu: list | None = None) -> tuple[float, dict[str, float]]:
    """Wall seconds for the whole set, and per call (keyed 'query#i'); the set's CPU seconds
    (every thread of this process: insensitive to other load on the machine) go to `cpu`."""
    per = {}
    start, start_cpu = time.perf_counter(), time.process_time()
    for i, (name, params) in enumerate(calls):
        t = time.perf_counter()
        store.query(name, **params)
        per[f"{name}#{i}"] = time.perf_counter() - t
    if cpu is not None:
        cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start, per


def run_served(store, calls) -> float:
    """Wall seconds for the set as the dashboard serves a repeat visit: through ui.run, whose
    st.cache_data (keyed on the data version and the parameters) returns a copy of the result.
    ui.run reaches the store through ui.get_store (st.cache_resource in the app); for the
    duration of the call it is pointed at the bench's store."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")  # "No runtime found" is expected here
    from ogp.app import ui

    own = ui.get_store
    ui.get_store = lambda: store
    try:
        start = time.perf_counter()
        for name, params in calls:
            ui.run(name, **params)
        return time.perf_counter() - start
    finally:
        ui.get_store = own


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def open_store(data_dir):
    from ogp.data.store import Store

    t = time.perf_counter()
    store = Store(data_dir)
    return store, time.perf_counter() - t


def close_store(store) -> None:
    close = getattr(store, "close", None)
    if close:
        close()
    else:
        store._con.close()


def bench_pages(data_dir, runs: int, values: dict) -> tuple[dict, list[float]]:
    """Per page: cold (a fresh store, the page's first run) and warm p50/p95 over `runs` runs."""
    out, opens = {}, []
    for page in PAGE_QUERIES:
        calls = resolve_page(page, values)
        store, opened = open_store(data_dir)
        opens.append(opened)
        cold, _ = run_calls(store, calls)
        # Warm is the steady state: the search text is built by a background thread after the
        # store opens; runs during that build would time the build too, so they wait for it.
        store.wait_search()
        totals: list[float] = []
        per: dict[str, list[float]] = {}
        cpu: list[float] = []
        for _ in range(runs):
            total, one = run_calls(store, calls, cpu)
            totals.append(total)
            for k, v in one.items():
                per.setdefault(k, []).append(v)
        served = [run_served(store, calls) for _ in range(runs + 1)][1:]  # the first run fills the cache
        out[page] = {
            "queries": len(calls),
            "cold_ms": cold * 1e3,
            "warm_p50_ms": pct(totals, 50) * 1e3,
            "warm_p95_ms": pct(totals, 95) * 1e3,
            "warm_cpu_p50_ms": pct(cpu, 50) * 1e3,
            "served_p50_ms": pct(served, 50) * 1e3,
            "served_p95_ms": pct(served, 95) * 1e3,
            "per_query_p50_ms": {k: pct(v, 50) * 1e3 for k, v in per.items()},
        }
        close_store(store)
    return out, opens


# -------------------------------------------------------------------------------- pandas
COMMITMENT_COLS = [
    "key",
    "member_code",
    "action_plan",
    "year_submitted",
    "completion_end",
    "completion_midterm",
    "potential_impact",
    "potential_for_results",
    "starred",
    "diog",
    "early_results",
]
MEMBER_COLS = ["member_code", "member_name", "kind", "iso3", "region", "status", "lat", "lon"]
ASSESSED = ["Not Started", "Limited", "Substantial", "Complete"]
HIGH = ["Substantial", "Complete"]


def pandas_read(data_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    root = paths.snapshots_dir(data_dir)
    from ogp.data.store import check_snapshot

    cs, ms = [], []
    for name in paths.snapshot_names(data_dir):
        if check_snapshot(root / name)[1]:
            continue
        snap = pd.Timestamp(name)
        path = root / name / "commitments.parquet"
        links = ["links"] if "links" in pq.ParquetFile(path).schema_arrow.names else []
        cs.append(pd.read_parquet(path, columns=COMMITMENT_COLS + links).assign(snapshot=snap))
        ms.append(pd.read_parquet(root / name / "members.parquet", columns=MEMBER_COLS).assign(snapshot=snap))
    return pd.concat(cs, ignore_index=True), pd.concat(ms, ignore_index=True)


def _round1(x: pd.Series) -> pd.Series:
    """SQL round(x, 1): half away from zero (numpy rounds half to even)."""
    return np.sign(x) * np.floor(np.abs(x) * 10 + 0.5) / 10


def _superseded(c: pd.DataFrame) -> pd.Series:
    """Rows whose key is linked (`links`, a group and its parts, ogp/data/matching.py) to a key whose
    newest snapshot is newer: the newer export's form counts in the latest state."""
    if "links" not in c.columns:
        return pd.Series(False, index=c.index)
    newest = c.groupby("key")["snapshot"].max()
    e = c.loc[c["links"].map(lambda x: x is not None and len(x) > 0), ["key", "links"]].explode("links")
    edges = pd.concat(
        [e.set_axis(["a", "b"], axis=1), e[["links", "key"]].set_axis(["a", "b"], axis=1)], ignore_index=True
    )
    older = edges[edges["b"].map(newest) > edges["a"].map(newest)]
    return c["key"].isin(set(older["a"]))


def pandas_overview(c: pd.DataFrame, m: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """headline, completion_by_year and by_member for the default filters (latest state of
    every commitment), computed with pandas only."""
    latest = c[(c["snapshot"] == c.groupby("key")["snapshot"].transform("max")) & ~_superseded(c)]
    latest = latest.merge(m[["member_code", "snapshot", "kind"]], on=["member_code", "snapshot"], how="left")
    completion = latest["completion_end"].fillna(latest["completion_midterm"])
    latest = latest.assign(
        completion=completion,
        assessed=completion.isin(ASSESSED),
        high=completion.isin(HIGH),
        amb_assessed=latest["potential_impact"].notna() | latest["potential_for_results"].notna(),
        ambitious=(latest["potential_impact"] == "Transformative")
        | (latest["potential_for_results"] == "Substantial"),
        strong=latest["diog"].isin(["Major", "Outstanding"]),
        star_assessed=latest["starred"].notna(),  # NULL: no star formula applied (ogp/model/measures.py)
        star=latest["starred"].eq(True),
    )
    plans = latest[["member_code", "action_plan"]].drop_duplicates()
    headline = pd.DataFrame(
        [
            {
                "members_national": latest.loc[latest["kind"] == "national", "member_code"].nunique(),
                "members_local": latest.loc[latest["kind"] == "local", "member_code"].nunique(),
                "members": latest["member_code"].nunique(),
                "action_plans": len(plans),
                "commitments": len(latest),
                "completion_assessed": int(latest["assessed"].sum()),
                "high_completion": int(latest["high"].sum()),
                "ambition_assessed": int(latest["amb_assessed"].sum()),
                "ambitious": int(latest["ambitious"].sum()),
                "impact_assessed": int(latest["potential_impact"].notna().sum()),
                "transformative": int((latest["potential_impact"] == "Transformative").sum()),
                "results_assessed": int(latest["potential_for_results"].notna().sum()),
                "substantial_results": int((latest["potential_for_results"] == "Substantial").sum()),
                "star_assessed": int(latest["star_assessed"].sum()),
                "starred": int(latest["star"].sum()),
                "diog_assessed": int(latest["diog"].notna().sum()),
                "strong_results": int(latest["strong"].sum()),
                "early_results_assessed": int(latest["early_results"].notna().sum()),
                "notable_early_results": int(latest["early_results"].isin(["Moderate", "Significant"]).sum()),
                "first_year": latest["year_submitted"].min(),
                "last_year": latest["year_submitted"].max(),
                "oldest_snapshot": latest["snapshot"].min(),
                "newest_snapshot": latest["snapshot"].max(),
            }
        ]
    )
    by_year = (
        latest[latest["year_submitted"].notna()]
        .groupby(["year_submitted", "completion"], dropna=False)
        .size()
        .rename("commitments")
        .reset_index()
        .sort_values(["year_submitted", "completion"], na_position="last", kind="stable")
        .reset_index(drop=True)
    )
    g = latest.groupby("member_code")
    per = pd.DataFrame(
        {
            "commitments": g.size(),
            "action_plans": g["action_plan"].nunique(),
            "completion_assessed": g["assessed"].sum(),
            "high_completion": g["high"].sum(),
            "amb_assessed": g["amb_assessed"].sum(),
            "ambitious": g["ambitious"].sum(),
            "star_assessed": g["star_assessed"].sum(),
            "starred": g["star"].sum(),
            "strong_results": g["strong"].sum(),
            "first_year": g["year_submitted"].min(),
            "last_year": g["year_submitted"].max(),
        }
    ).reset_index()
    per["high_completion_pct"] = _round1(
        100.0 * per["high_completion"] / per["completion_assessed"].where(per["completion_assessed"] > 0)
    )
    per["ambition_assessed"] = per["amb_assessed"]
    per["ambitious_pct"] = _round1(
        100.0 * per["ambitious"] / per["amb_assessed"].where(per["amb_assessed"] > 0)
    )
    per["starred_pct"] = _round1(
        100.0 * per["starred"] / per["star_assessed"].where(per["star_assessed"] > 0)
    )
    facts = m.sort_values("snapshot").drop_duplicates("member_code", keep="last")[MEMBER_COLS]
    by_member = (
        per.merge(facts, on="member_code", how="inner")
        .sort_values("member_name", kind="stable")
        .reset_index(drop=True)
    )
    by_member = by_member[
        [
            "member_code",
            "member_name",
            "kind",
            "iso3",
            "region",
            "status",
            "lat",
            "lon",
            "commitments",
            "action_plans",
            "completion_assessed",
            "high_completion",
            "high_completion_pct",
            "ambitious",
            "ambition_assessed",
            "ambitious_pct",
            "star_assessed",
            "starred",
            "starred_pct",
            "strong_results",
            "first_year",
            "last_year",
        ]
    ]
    return {"headline": headline, "completion_by_year": by_year, "by_member": by_member}


def _normal(df: pd.DataFrame, sort: list[str] | None = None) -> pd.DataFrame:
    """Values only: numbers as float (None as NaN), text as object, dates as Timestamps."""
    out = {}
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            out[col] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = pd.to_datetime(s).astype("datetime64[ns]")
        else:
            out[col] = s.astype(object).where(s.notna(), None)
    df = pd.DataFrame(out)
    if sort:
        df = df.sort_values(sort, kind="stable", na_position="last").reset_index(drop=True)
    return df


def compare(duck: pd.DataFrame, pand: pd.DataFrame, sort: list[str] | None = None) -> str | None:
    """None when equal (same columns, same values), else what differs."""
    if list(duck.columns) != list(pand.columns):
        return f"columns differ: {list(duck.columns)} vs {list(pand.columns)}"
    if len(duck) != len(pand):
        return f"rows differ: {len(duck)} vs {len(pand)}"
    try:
        pd.testing.assert_frame_equal(
            _normal(duck, sort), _normal(pand, sort), check_exact=True, check_dtype=False
        )
    except AssertionError as exc:
        return " ".join(str(exc).split())[:300]
    return None


def bench_pandas(data_dir, runs: int) -> dict:
    from ogp.data.store import Store

    store = Store(data_dir)
    calls = [(name, Filters().params()) for name in OVERVIEW_AGGREGATES]
    run_calls(store, calls)
    duck_times = [run_calls(store, calls)[0] for _ in range(runs)]
    duck = {name: store.query(name, **params) for name, params in calls}
    close_store(store)
    n = max(3, min(runs, 5))
    read_times, compute_times = [], []
    for _ in range(n):
        t = time.perf_counter()
        c, m = pandas_read(data_dir)
        read_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        pand = pandas_overview(c, m)
        compute_times.append(time.perf_counter() - t)
        del c, m
    problems = {}
    for name in OVERVIEW_AGGREGATES:
        # by_member is ordered by name only: ties between equal names keep any order
        problem = compare(
            duck[name], pand[name], ["member_name", "member_code"] if name == "by_member" else None
        )
        if problem:
            problems[name] = problem
    duck_ms = pct(duck_times, 50) * 1e3
    compute_ms = statistics.median(compute_times) * 1e3
    read_ms = statistics.median(read_times) * 1e3
    return {
        "queries": list(OVERVIEW_AGGREGATES),
        "agree": not problems,
        "problems": problems,
        "duckdb_warm_p50_ms": duck_ms,
        "pandas_compute_ms": compute_ms,
        "pandas_read_ms": read_ms,
        "speedup_vs_compute": compute_ms / duck_ms if duck_ms else None,
        "speedup_vs_read_and_compute": (compute_ms + read_ms) / duck_ms if duck_ms else None,
    }


# -------------------------------------------------------------------------------- imports
def bench_imports() -> list[dict]:
    from ogp.data.ingest import import_files

    out = []
    for as_of, files in IMPORTS:
        full = [RAW / f for f in files]
        if not all(f.is_file() for f in full):
            continue
        with tempfile.TemporaryDirectory(prefix="ogp-bench-") as tmp:
            t = time.perf_counter()
            result = import_files(full, as_of, Path(tmp))
            seconds = time.perf_counter() - t
        out.append(
            {
                "as_of": as_of,
                "files": [Path(f).name for f in files],
                "commitments": result.manifest["counts"]["commitments"],
                "seconds": seconds,
            }
        )
    return out


# -------------------------------------------------------------------------------- memory
def memory_probe(data_dir) -> dict:
    """In this process: open the store, run every page three times; resident memory (MB)."""
    store, opened = open_store(data_dir)
    after_open = _rss_mb()["rss"]
    values = placeholders(store)
    for _ in range(3):
        for page in PAGE_QUERIES:
            run_calls(store, resolve_page(page, values))
    mem = _rss_mb()
    return {
        "open_s": opened,
        "rss_after_open_mb": after_open,
        "rss_mb": mem["rss"],
        "peak_rss_mb": mem["peak"],
    }


def _rss_mb() -> dict:
    out: dict[str, float | None] = {"rss": None, "peak": None}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss"] = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                out["peak"] = int(line.split()[1]) / 1024
    except OSError:
        import resource

        out["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def bench_memory(data_dir) -> dict:
    """A fresh process (the bench's own memory would blur it) that opens and queries the store."""
    code = "import json, sys; from ogp.ops.bench import memory_probe; print(json.dumps(memory_probe(sys.argv[1])))"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        capture_output=True,
        text=True,
        cwd=str(paths.PROJECT_DIR),
    )
    if proc.returncode:
        return {"error": " ".join(proc.stderr.split())[-300:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -------------------------------------------------------------------------------- report
def run_bench(data_dir=None, runs: int = 20, imports: bool = True, memory: bool = True) -> dict:
    data_dir = paths.data_dir(data_dir)
    probe, probe_open = open_store(data_dir)
    if not probe.ok:
        raise SystemExit(f"error: no readable snapshot in {probe.data_dir}")
    t = time.perf_counter()
    if hasattr(probe, "wait_search"):
        probe.wait_search()
    search_ready = time.perf_counter() - t
    values = placeholders(probe)
    counts = {
        "snapshots": probe.snapshot_names,
        "rows": int(probe._con.execute("SELECT count(*) FROM commitments_all").fetchone()[0])
        if probe.ok
        else 0,
        "latest_commitments": int(probe.query("headline", **Filters().params())["commitments"].iloc[0])
        if probe.ok
        else 0,
    }
    close_store(probe)
    pages, opens = bench_pages(data_dir, runs, values)
    report: dict[str, Any] = {
        "machine": machine(),
        "data_dir": str(data_dir),
        "data": counts,
        "placeholders": values,
        "runs": runs,
        "store_open_s": {
            "first": probe_open,
            "median": statistics.median(opens),
            "min": min(opens),
            "search_text_ready_after": search_ready,
        },
        "pages": pages,
        "pandas_baseline": bench_pandas(data_dir, runs),
        "imports": bench_imports() if imports else [],
        "memory": bench_memory(data_dir) if memory else {},
    }
    report["machine"]["load_avg_end"] = machine().get("load_avg")
    return report


def format_report(r: dict) -> str:
    m = r["machine"]
    lines = [
        f"machine: {m['cores']} cores, {m['ram_gb']} GB RAM, {m['cpu']} "
        f"(Python {m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']}); "
        f"load average {m.get('load_avg')} at start, {m.get('load_avg_end')} at end",
        f"data: {r['data_dir']}: snapshots {', '.join(r['data']['snapshots'])}; "
        f"{r['data']['rows']:,} commitment rows, {r['data']['latest_commitments']:,} latest",
        f"store open: {r['store_open_s']['median']:.2f} s median of {len(r['pages'])} "
        f"(first {r['store_open_s']['first']:.2f} s); search text ready "
        f"{r['store_open_s']['search_text_ready_after']:.2f} s later (background)",
        "",
    ]
    head = (
        f"{'page':<20} {'queries':>7} {'cold ms':>9} {'warm p50':>9} {'warm p95':>9} {'cpu p50':>8}"
        f" {'served p95':>10}  slowest query (p50 ms)"
    )
    lines += [
        "warm: the page's queries run again on the open store (a cache miss in the dashboard); "
        "served: the same through ui.run's st.cache_data (a repeat visit)",
        head,
        "-" * len(head),
    ]
    for page, p in r["pages"].items():
        slow = max(p["per_query_p50_ms"].items(), key=lambda kv: kv[1]) if p["per_query_p50_ms"] else ("", 0)
        lines.append(
            f"{page:<20} {p['queries']:>7} {p['cold_ms']:>9.1f} {p['warm_p50_ms']:>9.1f} "
            f"{p['warm_p95_ms']:>9.1f} {p['warm_cpu_p50_ms']:>8.1f} {p['served_p95_ms']:>10.1f}  "
            f"{slow[0].split('#')[0]} {slow[1]:.1f}"
        )
    b = r["pandas_baseline"]
    lines += [
        "",
        f"overview aggregates ({', '.join(b['queries'])}): DuckDB warm p50 {b['duckdb_warm_p50_ms']:.1f} ms; "
        f"pandas {b['pandas_compute_ms']:.1f} ms compute (+{b['pandas_read_ms']:.1f} ms parquet read); "
        f"DuckDB {b['speedup_vs_compute']:.1f}x faster than pandas compute "
        f"({b['speedup_vs_read_and_compute']:.1f}x with the read); "
        + ("results EQUAL" if b["agree"] else f"RESULTS DIFFER: {b['problems']}"),
    ]
    for imp in r["imports"]:
        lines.append(
            f"import {imp['as_of']} ({' + '.join(imp['files'])}): {imp['commitments']:,} commitments "
            f"in {imp['seconds']:.2f} s"
        )
    mem = r["memory"]
    if mem:
        if "error" in mem:
            lines.append(f"memory: probe failed: {mem['error']}")
        else:
            lines.append(
                f"memory (fresh process, store open + every page x3): {mem['rss_mb']:.0f} MB resident, "
                f"peak {mem['peak_rss_mb']:.0f} MB (after open {mem['rss_after_open_mb']:.0f} MB)"
            )
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.runs < 1:
        print("error: --runs must be at least 1", file=sys.stderr)
        return 2
    report = run_bench(args.data_dir, args.runs, imports=not args.no_imports, memory=not args.no_memory)
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print(format_report(report))
    return 0 if report["pandas_baseline"]["agree"] else 1


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "bench",
        help="time every page's queries, cold and warm, against a pandas baseline",
        description="Benchmark the dashboard's query sets per page (see ogp/ops/bench.py).",
    )
    p.add_argument("--data-dir", default=None, help="data folder (default: $OGP_DATA_DIR, else data)")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--runs", type=int, default=20, help="warm runs per page (default 20)")
    p.add_argument("--no-imports", action="store_true", help="skip timing the imports of the bundled exports")
    p.add_argument("--no-memory", action="store_true", help="skip the resident-memory probe")
    p.set_defaults(func=cmd_bench)
