"""The member brief: its figures against the snapshots (computed here with DuckDB and pandas
straight from the parquet files, not through ogp.data.store), self-contained and safe HTML, one A4 page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pagetest import ROOT, assert_clean, run_page
from pagetest import member_brief as brief_for

from ogp.data.store import Store
from ogp.model import measures, text
from ogp.render import brief

SNAPSHOTS = ROOT / "data" / "snapshots"
ASSESSED = ("Not Started", "Limited", "Substantial", "Complete")
HIGH = ("Substantial", "Complete")
FIGURE = re.compile(r'data-figure="(\w+)"><span class="label">[^<]*</span><b>([^<]*)</b><span>([^<]*)</span>')
MEASURE = re.compile(
    r'<tr data-measure="([^"]+)"><td>[^<]*</td><td class="n">(\d+) of (\d+)</td>'
    r'<td class="n">([^<]*)</td><td class="n">([^<]*)</td></tr>'
)


def read(table: str) -> pd.DataFrame:
    sql = (
        f"SELECT *, regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})', 1) AS snap "
        f"FROM read_parquet('{SNAPSHOTS}/*/{table}.parquet', filename = true, union_by_name = true)"
    )
    return duckdb.sql(sql).df()


@pytest.fixture(scope="module")
def commitments() -> pd.DataFrame:
    return read("commitments")


@pytest.fixture(scope="module")
def plans() -> pd.DataFrame:
    return read("action_plans")


@pytest.fixture(scope="module")
def store() -> Store:
    return Store()


def scope(rows: pd.DataFrame, snapshot: str | None) -> pd.DataFrame:
    """The latest record of each commitment across snapshots, or one snapshot's records."""
    if snapshot:
        return rows[rows["snap"] == snapshot]
    newest = rows.groupby("key")["snap"].max()
    # a key linked (`links`: a group and its parts) to a key of a newer snapshot is superseded
    linked = rows.loc[rows["links"].map(len) > 0, ["key", "snap", "links"]].explode("links")
    older = set(linked.loc[linked["links"].map(newest) > linked["snap"], "key"]) | set(
        linked.loc[linked["links"].map(newest) < linked["snap"], "links"]
    )
    return rows[(rows["snap"] == rows["key"].map(newest)) & ~rows["key"].isin(older)]


def expected(rows: pd.DataFrame) -> dict:
    completion = rows["completion_end"].fillna(rows["completion_midterm"])
    ambition_assessed = rows["potential_impact"].notna() | rows["potential_for_results"].notna()
    ambitious = (rows["potential_impact"] == "Transformative") | (
        rows["potential_for_results"] == "Substantial"
    )
    return {
        "commitments": len(rows),
        "action_plans": rows["action_plan"].nunique(),
        "assessed": int(completion.isin(ASSESSED).sum()),
        "high": int(completion.isin(HIGH).sum()),
        "ambition_assessed": int(ambition_assessed.sum()),
        "ambitious": int(ambitious.sum()),
        "starred": int(rows["starred"].fillna(False).astype(bool).sum()),
        "star_assessed": int(rows["starred"].notna().sum()),
    }


pct = text.pct  # the one way shares are written (its rule: tests/test_text.py)


def figures(html: str) -> dict[str, tuple[str, str]]:
    return {key: (value, note) for key, value, note in FIGURE.findall(html)}


@pytest.mark.parametrize(
    "code, snapshot", [("GBR", None), ("ESMD", None), ("GBR", "2024-07-06"), ("IDN", None)]
)
def test_figures_match_the_snapshots(store, commitments, plans, code, snapshot):
    html = brief_for(store, code, snapshot, "scope line")
    rows = scope(commitments, snapshot)
    mine, world = expected(rows[rows["member_code"] == code]), expected(rows)
    assert mine["commitments"] > 0
    got = figures(html)
    assert got["commitments"][0] == f"{mine['commitments']:,}"
    assert got["action_plans"][0] == f"{mine['action_plans']:,}"
    assert got["starred"][0] == (f"{mine['starred']:,}" if mine["star_assessed"] else "–")
    assert got["high_completion"][0] == (
        pct(mine["high"], mine["assessed"]) if mine["assessed"] else "Pending"
    )
    assert got["high_completion"][1].startswith(
        f"{mine['high']} of {mine['assessed']} commitments rated for completion"
    )
    assert got["high_completion"][1].endswith(
        f"all: {pct(world['high'], world['assessed'])}"
    )  # the global figure
    assert got["ambitious"][1].startswith(
        f"{mine['ambitious']} of {mine['ambition_assessed']} commitments rated for ambition"
    )
    # completion against all members, as a table next to the chart
    table = {m: rest for m, *rest in MEASURE.findall(html)}
    assert table[measures.HIGH_COMPLETION.label][:2] == [str(mine["high"]), str(mine["assessed"])]
    assert table[measures.HIGH_COMPLETION.label][3] == pct(world["high"], world["assessed"])
    # of the commitments a star formula was applied to (it said "of {commitments}": the wrong denominator)
    assert table[measures.STARRED.label][:2] == [str(mine["starred"]), str(mine["star_assessed"])]
    assert got["starred"][1].startswith(f"of {mine['star_assessed']:,} commitment")
    assert "a star formula was applied to" in got["starred"][1]
    # the action plans with commitments in scope (those the "Action plans" figure counts)
    per_plan = rows[rows["member_code"] == code].groupby("action_plan").size()
    shown = [int(n) for n in re.findall(r'<tr data-plan="(\d+)">', html)]
    assert shown == sorted(int(n) for n in per_plan.index)[: brief.MAX_PLANS]
    assert len(per_plan) == mine["action_plans"]
    for n in shown:
        cells = re.search(
            rf'<tr data-plan="{n}"><td>Plan {n}</td><td>[^<]*</td><td class="n">(\d+)</td>', html
        )
        assert int(cells.group(1)) == int(per_plan.get(n, 0))


def test_brief_names_the_member_and_its_scope(store):
    html = brief_for(
        store, "ESMD", None, "Numbers from the snapshot of 2024-07-06.", generated=date(2026, 1, 2)
    )
    assert "<h1>Madrid, Spain</h1>" in html
    assert "Local member · Europe" in html
    assert "Numbers from the snapshot of 2024-07-06." in html and "generated 2026-01-02" in html
    # what the bundled extracts cover, from their manifests (not a fixed sentence about the files)
    assert "Source: Open Government Partnership" in html and "These snapshots are extracts: " in html
    assert "2024-07-06, commitments on open parliaments and legislation" in html
    assert html.count("<svg") == 3  # against all, completion levels, themes


@pytest.mark.parametrize("code", ["GBR", "ESMD", "IDN"])
def test_brief_is_self_contained(store, code):
    html = brief_for(store, code, None, "scope")
    lower = html.lower()
    for banned in (
        "<script",
        "http://",
        "https://",
        "javascript:",
        "src=",
        "href=",
        "@import",
        "url(",
        "<link",
        "<iframe",
    ):
        assert banned not in lower, banned
    assert lower.startswith("<!doctype html>") and "<style>" in lower and 'charset="utf-8"' in lower
    assert len(html.encode("utf-8")) < 50_000


def hostile_brief() -> str:
    evil = "<script>alert('x')</script>"
    member = {
        "member_name": evil,
        "kind": "national",
        "region": "<img src=x onerror=alert(1)>",
        "status": '"><b>x',
    }
    headline = {
        "commitments": 3,
        "action_plans": 1,
        "completion_assessed": 2,
        "high_completion": 1,
        "ambition_assessed": 2,
        "ambitious": 1,
        "starred": 0,
        "star_assessed": 0,
        "diog_assessed": 0,
        "strong_results": 0,
        "first_year": 2020,
        "last_year": 2020,
    }
    plans = pd.DataFrame(
        {
            "action_plan": [1],
            "ap_id": ["x"],
            "year_submitted": [2020],
            "end_year": [2022],
            "n_commitments": [3],
            "completion_assessed": [2],
            "high_completion": [1],
            "steps_followed": [3.0],
            "iap2_development": [evil],
        }
    )
    completion = pd.DataFrame({"completion": ["Limited", None, evil], "commitments": [1, 1, 1]})
    themes = pd.DataFrame({"theme": [evil], "commitments": [3]})
    return brief.member_brief_html(member, headline, headline, plans, completion, themes, scope=evil)


def test_hostile_text_is_escaped():
    html = hostile_brief()
    assert "<script" not in html.lower() and "<img" not in html.lower() and "<b>x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def pdf_pages(html: str, tmp_path: Path) -> int:
    source, pdf = tmp_path / "brief.html", tmp_path / "brief.pdf"
    source.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            shutil.which("chromium") or "/usr/bin/chromium",
            "--headless",
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.browser
@pytest.mark.skipif(
    not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()), reason="needs chromium"
)
def test_brief_prints_on_one_a4_page(store, tmp_path):
    # the member with the most action plans, and a worst case: every table and chart full, long names
    assert pdf_pages(brief_for(store, "IDN", None, "scope"), tmp_path) == 1
    long = "A member with a very long official name that goes on, and on, and on, and on"
    member = {"member_name": long, "kind": "local", "region": "Asia and the Pacific", "status": "active"}
    h = {
        "commitments": 999,
        "action_plans": 12,
        "completion_assessed": 900,
        "high_completion": 450,
        "ambition_assessed": 900,
        "ambitious": 100,
        "starred": 10,
        "star_assessed": 200,
        "diog_assessed": 100,
        "strong_results": 20,
        "first_year": 2011,
        "last_year": 2024,
    }
    plans = pd.DataFrame(
        {
            "action_plan": range(1, 13),
            "ap_id": "x",
            "year_submitted": range(2011, 2023),
            "end_year": range(2013, 2025),
            "n_commitments": 80,
            "completion_assessed": 70,
            "high_completion": 35,
            "steps_followed": 4.0,
            "iap2_development": "Collaborate",
        }
    )
    completion = pd.DataFrame(
        {
            "completion": [
                None,
                "Not Started",
                "Limited",
                "Substantial",
                "Complete",
                "Withdrawn",
                "Unclear",
                "No Evidence Available",
            ],
            "commitments": range(1, 9),
        }
    )
    themes = pd.DataFrame(
        {"theme": [f"Theme number {i} with a long name" for i in range(12)], "commitments": range(12)}
    )
    html = brief.member_brief_html(member, h, h, plans, completion, themes, scope="Numbers from " + "x" * 300)
    assert pdf_pages(html, tmp_path) == 1


def test_member_page_offers_the_brief():
    at = run_page("pages/members.py", member="ESMD")
    assert_clean(at)
    buttons = [b for b in at.get("download_button") if b.proto.label == "Download member brief (HTML)"]
    assert len(buttons) == 1 and buttons[0].proto.deferred_file_id  # generated only when clicked
