"""`python -m ogp bench` on the bundled data: the report's structure, and the pandas baseline
agreeing with DuckDB (correctness, not timing)."""

from __future__ import annotations

import json

import pytest
import recompute
from pagetest import ROOT

from ogp import bench, cli


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
    from ogp.filters import Filters
    from ogp.store import Store

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
