"""`python -m ogp bench` on the bundled data: the report's structure, and the pandas baseline
agreeing with DuckDB (correctness, not timing)."""

from __future__ import annotations

import json

import pytest
import recompute
from pagetest import ROOT

from ogp import cli
from ogp.model import registry
from ogp.ops import bench


@pytest.fixture(scope="module")
def report():
    return bench.run_bench(ROOT / "data", runs=2, imports=True, memory=False)


def test_every_page_is_timed(report):
    assert set(report["pages"]) == set(bench.PAGE_QUERIES)
    assert {
        "overview",
        "map",
        "members",
        "member profile",
        "commitments",
        "commitments search",
        "progress",
        "theme",
    } <= set(report["pages"])
    for page, p in report["pages"].items():
        assert p["queries"] >= 2, page
        for key in ("cold_ms", "warm_p50_ms", "warm_p95_ms"):
            assert p[key] > 0, (page, key)
        assert p["warm_p95_ms"] >= p["warm_p50_ms"]
        assert len(p["per_query_p50_ms"]) == p["queries"]
        # A repeat visit is served from st.cache_data: no query runs, so it is far below warm.
        assert 0 < p["served_p50_ms"] <= p["served_p95_ms"]
        assert p["served_p50_ms"] < p["warm_p50_ms"] / 2, page
    assert report["store_open_s"]["median"] > 0
    assert report["data"]["latest_commitments"] == len(recompute.latest())
    m = report["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["ram_gb"]


def test_pandas_baseline_equals_duckdb(report):
    b = report["pandas_baseline"]
    assert b["agree"], b["problems"]
    assert b["queries"] == ["headline", "completion_by_year", "by_member"]
    assert b["duckdb_warm_p50_ms"] > 0 and b["pandas_compute_ms"] > 0


def test_pandas_baseline_catches_a_difference(tmp_path):
    from ogp.data.store import Store
    from ogp.model.filters import Filters

    c, m = bench.pandas_read(ROOT / "data")
    pand = bench.pandas_overview(c, m)
    duck = Store(ROOT / "data").query("by_member", **Filters().params())
    assert bench.compare(duck, pand["by_member"], ["member_name", "member_code"]) is None
    changed = pand["by_member"].copy()
    changed.loc[0, "commitments"] += 1
    assert bench.compare(duck, changed, ["member_name", "member_code"])


def test_imports_of_the_real_exports_are_timed(report):
    assert [(i["as_of"], i["commitments"]) for i in report["imports"]] == [
        ("2024-07-06", 558),
        ("2017-03-30", 1927),
    ]
    assert all(i["seconds"] > 0 for i in report["imports"])


def test_command_line_prints_a_table_or_json(capsys):
    assert (
        cli.main(["bench", "--data-dir", str(ROOT / "data"), "--runs", "2", "--no-imports", "--no-memory"])
        == 0
    )
    out = capsys.readouterr().out
    assert "machine:" in out and "warm p95" in out and "results EQUAL" in out
    assert (
        cli.main(
            [
                "bench",
                "--data-dir",
                str(ROOT / "data"),
                "--runs",
                "2",
                "--json",
                "--no-imports",
                "--no-memory",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"machine", "pages", "store_open_s", "pandas_baseline", "imports", "memory"}


def test_memory_probe_reports_resident_memory():
    mem = bench.memory_probe(ROOT / "data")
    assert mem["rss_mb"] > 0 and mem["peak_rss_mb"] >= mem["rss_mb"]


# -- the benchmark follows the pages ------------------------------------------------------


def queries_run_by(page: str, query: dict, monkeypatch) -> set[tuple]:
    """The named queries (name, bound parameters) a page asks ui.run for when it opens, recorded
    under AppTest. cache._cached_query is wrapped (outside its cache, so hits count too), and every
    cached chart, map and derived table is dropped first, so queries that run only when those are
    built are seen whatever ran before in this process (they were missed after other page tests)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    from ogp.app import cache, widgets

    seen: list[tuple] = []
    cached = cache._cached_query

    def recording(version, name, params):
        seen.append((name, params))
        return cached(version, name, params)

    monkeypatch.setattr(cache, "_cached_query", recording)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()  # the default page first, as pagetest.run_page does
    if page.endswith(".py"):
        at.switch_page(page)
    else:
        at._page_hash = calc_hash(page)
    for kept in (cache._built_chart, cache._derived, widgets._world_map):
        kept.clear()
    seen.clear()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return set(seen)


@pytest.mark.parametrize("name", list(bench.OPENED))
def test_page_queries_are_what_the_page_runs(name, monkeypatch):
    """bench.PAGE_QUERIES is written by hand: it must list exactly the queries the page runs."""
    from ogp.data.store import Store

    store = Store(ROOT / "data")
    values = bench.placeholders(store)
    store.close()
    page, query = bench.OPENED[name]
    ran = queries_run_by(
        bench._sub(page, values), {k: bench._sub(v, values) for k, v in query.items()}, monkeypatch
    )
    listed = {(q, ui_frozen(params)) for q, params in bench.resolve_page(name, values)}
    assert ran == listed, (
        f"{name}: run by the page but not in bench.PAGE_QUERIES: {sorted(ran - listed)}; "
        f"listed but not run: {sorted(listed - ran)}"
    )


def ui_frozen(params: dict) -> tuple:
    from ogp.app import cache

    return cache._frozen(params)


def test_every_page_with_a_filter_bar_is_benchmarked():
    assert set(bench.OPENED) == set(bench.PAGE_QUERIES)
    opened = {page for page, _ in bench.OPENED.values()}
    with_bar = {p.file for p in registry.PAGES if p.filter_bar is not None}
    assert with_bar | {bench.THEME} == opened, f"not benchmarked: {sorted(with_bar - opened)}"
