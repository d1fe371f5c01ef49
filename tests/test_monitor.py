"""The monitoring lists (ogp/monitor.py, queries/monitor_*.sql) against small snapshots written
here: plans ending, assessments arriving, ratings changing, commitments added and dropped, a
member in one snapshot only, a plan with no end year, a local member; and the change list of
the bundled data against an independent pandas comparison of the two parquet files.

The complaints they stand for: "the page said Latvia's plan was late, but it has a new one",
"a commitment moved from limited to substantial and the digest did not say so"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ogp import cli, digest, monitor
from ogp import schema as snapshot_schema
from ogp.filters import Filters
from ogp.store import Store

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "snapshots"
S1, S2 = "2023-06-30", "2024-06-30"
CIVIC, ANTI = "Freedom of Expression", "Anti-Corruption and Integrity"  # areas of two themes


HOSTILE_TITLE = "<script>alert(1)</script> [click](javascript:alert(1)) *x* & more"


def schema(table: str) -> pa.Schema:
    """The canonical columns and types, as the importer writes them."""
    return pq.read_schema(BUNDLED / "2024-07-06" / f"{table}.parquet").remove_metadata()


MEMBERS = {
    "AAA": dict(member_name="Aland", kind="national", iso3="AAA", region="Europe"),
    "BBB": dict(member_name="Beeland", kind="national", iso3="BBB", region="Americas"),
    "CCC": dict(member_name="Ceeland", kind="national", iso3="CCC", region="Americas"),
    "DDD": dict(member_name="Deeland", kind="national", iso3="DDD", region="Asia and the Pacific"),
    "EEE": dict(member_name="Eeland", kind="national", iso3="EEE", region="Africa and the Middle East"),
    "FFF": dict(member_name="Effland", kind="national", iso3=None, region=None),
    "LOC": dict(member_name="Locton, Spain", kind="local", iso3="ESP", region="Europe", lat=40.4, lon=-3.7),
}


def commitment(key: str, **kw) -> dict:
    code, plan, number = key.split("-")
    row = dict(
        key=key,
        member_code=code,
        member_name=MEMBERS[code]["member_name"],
        action_plan=int(plan),
        ap_id=f"AP_{code}{int(plan):02d}",
        commitment_no=number,
        title=f"Commitment {key}",
        policy_areas=[CIVIC],
        ogp_values=[],
        starred=False,
        irm_assessed=True,
        source_schema="current",
        source_file="test.csv",
        source_row=1,
    )
    row.update(kw)
    return row


def plan(code: str, number: int, submitted: int, ends: int | None) -> dict:
    return dict(
        member_code=code,
        action_plan=number,
        ap_id=f"AP_{code}{number:02d}",
        year_submitted=submitted,
        end_year=ends,
        n_commitments=1,
    )


def years(submitted: int, ends: int | None) -> dict:
    return dict(year_submitted=submitted, ap_end_year=ends)


SNAPSHOTS = {
    S1: dict(
        members=["AAA", "CCC", "EEE", "FFF", "LOC"],
        plans=[
            plan("AAA", 1, 2018, 2020),
            plan("AAA", 2, 2021, 2023),
            plan("CCC", 3, 2023, 2025),
            plan("EEE", 1, 2014, 2016),
            plan("FFF", 1, 2022, 2024),
            plan("LOC", 1, 2019, 2021),
        ],
        commitments=[
            commitment("AAA-1-1", **years(2018, 2020)),  # not assessed yet
            commitment(
                "AAA-1-2",
                **years(2018, 2020),
                completion_end="Complete",
                potential_impact="Minor",
                policy_areas=[ANTI],
            ),
            commitment("AAA-2-1", **years(2021, 2023)),
            commitment("AAA-2-5.1", **years(2021, 2023), links=["AAA-2-5"]),  # a group: one
            commitment("AAA-2-5.2", **years(2021, 2023), links=["AAA-2-5"]),  # row in 2024
            commitment("CCC-3-1", **years(2023, 2025), policy_areas=[ANTI]),
            commitment("CCC-3-3", **years(2023, 2025)),
            commitment("EEE-1-1", **years(2014, 2016), completion_end="Limited"),
            commitment("FFF-1-1", **years(2022, 2024), policy_areas=[]),
            commitment(
                "LOC-1-1", **years(2019, 2021), potential_impact="Minor", completion_midterm="Substantial"
            ),
        ],
    ),
    S2: dict(
        members=["AAA", "BBB", "CCC", "DDD", "FFF", "LOC"],
        plans=[
            plan("AAA", 1, 2018, 2020),
            plan("AAA", 2, 2021, 2023),
            plan("BBB", 1, 2020, None),  # no end year: 2020 + 2
            plan("CCC", 3, 2023, 2025),
            plan("DDD", 1, 2024, 2026),
            plan("FFF", 1, 2022, 2024),
            plan("LOC", 1, 2019, 2021),
        ],
        commitments=[
            commitment("AAA-1-1", **years(2018, 2020), completion_end="Limited"),  # assessment arrives
            commitment(
                "AAA-1-2",
                **years(2018, 2020),
                completion_end="Complete",
                potential_impact="Moderate",
                starred=True,
                policy_areas=[ANTI],
            ),
            commitment("AAA-2-1", **years(2021, 2023)),
            commitment("AAA-2-5", **years(2021, 2023)),
            commitment("AAA-2-9", **years(2021, 2023), policy_areas=[ANTI]),
            commitment("BBB-1-1", **years(2020, None)),
            commitment("CCC-3-1", **years(2023, 2025), completion_midterm="Limited", policy_areas=[ANTI]),
            commitment(
                "CCC-3-2", **years(2023, 2025), completion_midterm="Substantial", completion_end="Halfway"
            ),
            commitment("DDD-1-1", **years(2024, 2026), title=HOSTILE_TITLE),
            commitment("FFF-1-1", **years(2022, 2024), policy_areas=[]),
            commitment(
                "LOC-1-1", **years(2019, 2021), potential_impact="Huge", completion_midterm="Substantial"
            ),
        ],
    ),
}
UNKNOWN_LEVEL_WARNING = (
    "test.csv: 2 row(s) with Potential impact 'Vast', not a level of scale potential_impact: stored as null"
)


def write_snapshot(root: Path, as_of: str, spec: dict) -> None:
    folder = root / "snapshots" / as_of
    folder.mkdir(parents=True)
    members = [{"member_code": c, **MEMBERS[c]} for c in spec["members"]]
    tables = {"members": members, "action_plans": spec["plans"], "commitments": spec["commitments"]}
    for name, rows in tables.items():
        pq.write_table(pa.Table.from_pylist(rows, schema=schema(name)), folder / f"{name}.parquet")
    manifest = {
        "schema_version": snapshot_schema.SCHEMA_VERSION,
        "as_of": as_of,
        "synthetic": False,
        "counts": {k: len(v) for k, v in tables.items()},
        "warnings": [UNKNOWN_LEVEL_WARNING],
    }
    if as_of == S2:  # an import report (S1: an older manifest, warnings only)
        manifest["report"] = {
            "files": [
                {
                    "file": "test.csv",
                    "values_not_understood": {
                        "Potential impact": {"scale": "potential_impact", "rows": 2, "examples": ["Vast"]}
                    },
                }
            ]
        }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("monitor")
    for as_of, spec in SNAPSHOTS.items():
        write_snapshot(root, as_of, spec)
    s = Store(root)
    assert s.snapshot_names == [S1, S2] and not s.problems
    yield s
    s.close()


def report(store, **kw) -> monitor.Report:
    since = kw.pop("since", None)
    return monitor.build(store, Filters(**kw), since=since)


def late(r: monitor.Report) -> dict:
    return {
        row.member_code: (row.action_plan, row.end_year, row.months_since_end, str(row.as_of)[:10])
        for row in r.late.itertuples()
    }


def changes(r: monitor.Report) -> set:
    return {
        (c.change, c.key, c.rating, None if pd.isna(c.from_value) else c.from_value, c.to_value)
        if c.change == "rating changed"
        else (c.change, c.key)
        for c in r.changes.itertuples()
    }


# -- late action plans ----------------------------------------------------------------------
def test_late_plans_as_of_each_snapshot(store):
    # 2023-06-30: Eeland's plan 1 ended 31 Dec 2016 and it has no newer one; Locton (local) too.
    # Aland's plan 2 ends in Dec 2023: not yet late.
    assert late(report(store, snapshot=S1)) == {"EEE": (1, 2016, 78, S1), "LOC": (1, 2021, 18, S1)}
    # 2024-06-30: Aland's plan 2 has now ended; Beeland's plan has no end year: 2020 + 2;
    # Eeland is not in this export; Effland's plan ends in Dec 2024.
    r = report(store, snapshot=S2)
    assert late(r) == {"AAA": (2, 2023, 6, S2), "BBB": (1, 2022, 18, S2), "LOC": (1, 2021, 30, S2)}
    estimated = dict(zip(r.late["member_code"], r.late["end_year_estimated"]))
    assert estimated == {"AAA": False, "BBB": True, "LOC": False}
    assert monitor.since_text(30) == "2 years 6 months" and monitor.since_text(6) == "6 months"


def test_late_plans_of_the_latest_state_use_each_plans_own_snapshot(store):
    # Eeland is known from 2023-06-30 only: judged as of that date, not as of the newest.
    got = late(report(store))
    assert got == {
        "AAA": (2, 2023, 6, S2),
        "BBB": (1, 2022, 18, S2),
        "LOC": (1, 2021, 30, S2),
        "EEE": (1, 2016, 78, S1),
    }


def test_a_newer_plan_means_not_late(store, tmp_path):
    spec = {**SNAPSHOTS[S2], "plans": SNAPSHOTS[S2]["plans"] + [plan("LOC", 2, 2023, 2025)]}
    write_snapshot(tmp_path, S2, spec)
    s = Store(tmp_path)
    try:
        assert "LOC" not in late(monitor.build(s, Filters()))
    finally:
        s.close()


def test_late_plans_follow_the_filters(store):
    assert set(late(report(store, snapshot=S2, members=("AAA",)))) == {"AAA"}
    assert set(late(report(store, snapshot=S2, regions=("Americas",)))) == {"BBB"}
    assert set(late(report(store, snapshot=S2, kinds=("local",)))) == {"LOC"}
    # a theme keeps the plans with a commitment in it: Aland's plan 2 has AAA-2-9
    assert set(late(report(store, snapshot=S2, theme="anti-corruption"))) == {"AAA"}


# -- awaiting assessment ---------------------------------------------------------------------
def awaiting(r: monitor.Report) -> dict:
    return {
        (a.member_code, a.action_plan): (a.not_assessed, a.commitments, a.end_year, bool(a.none_assessed))
        for a in r.awaiting.itertuples()
    }


def test_awaiting_assessment_and_an_assessment_arriving(store):
    # 2023-06-30: Aland's plan 1 ended Dec 2020, AAA-1-1 has no completion rating.
    assert awaiting(report(store, snapshot=S1)) == {("AAA", 1): (1, 2, 2020, False)}
    # 2024-06-30: AAA-1-1 is assessed; Beeland's plan (no end year: 2022) ended 18 months ago,
    # its commitment unassessed; Aland's plan 2 ended only 6 months ago.
    assert awaiting(report(store, snapshot=S2)) == {("BBB", 1): (1, 1, 2022, True)}
    assert awaiting(report(store)) == {("BBB", 1): (1, 1, 2022, True)}
    assert awaiting(report(store, snapshot=S2, regions=("Europe",))) == {}


# -- at risk ---------------------------------------------------------------------------------
def test_at_risk_is_the_progress_query(store):
    r = report(store, snapshot=S2)
    assert r.at_risk["key"].tolist() == ["CCC-3-1"]
    assert r.at_risk.equals(store.query("at_risk", **Filters(snapshot=S2).params()))
    assert report(store, snapshot=S1).at_risk.empty
    assert report(store, snapshot=S2, regions=("Europe",)).at_risk.empty


# -- changes ---------------------------------------------------------------------------------
EXPECTED_CHANGES = {
    ("added", "AAA-2-9"),
    ("added", "BBB-1-1"),  # Beeland: in the later snapshot only
    ("added", "CCC-3-2"),
    ("added", "DDD-1-1"),  # Deeland: in the later snapshot only
    ("dropped", "CCC-3-3"),
    ("dropped", "EEE-1-1"),  # Eeland: in the earlier snapshot only
    ("regrouped", "AAA-2-5"),
    ("regrouped", "AAA-2-5.1"),
    ("regrouped", "AAA-2-5.2"),
    ("rating changed", "AAA-1-1", "completion", None, "Limited"),
    ("rating changed", "AAA-1-2", "potential_impact", "Minor", "Moderate"),
    ("rating changed", "AAA-1-2", "starred", "Not starred", "Starred"),
    ("rating changed", "CCC-3-1", "completion", None, "Limited"),
    ("rating changed", "LOC-1-1", "potential_impact", "Minor", "Huge"),  # local member
}


def test_changes_since_the_previous_snapshot(store):
    for r in (report(store), report(store, snapshot=S2), report(store, since=S1)):
        assert (r.previous, r.current) == (S1, S2)
        assert changes(r) == EXPECTED_CHANGES
    counts = report(store).counts()
    assert (
        counts["added"],
        counts["dropped"],
        counts["regrouped"],
        counts["changed"],
        counts["rating_changes"],
    ) == (
        4,
        2,
        3,
        4,
        5,
    )
    by_member = report(store).changes_by_member().set_index("member_code")
    assert by_member.loc["AAA", ["added", "dropped", "regrouped", "changed", "rating_changes"]].tolist() == [
        1,
        0,
        3,
        2,
        3,
    ]
    assert monitor.change_text("completion", None, "Limited") == "Completion: Not assessed → Limited"


def test_changes_follow_the_filters(store):
    assert changes(report(store, regions=("Americas",))) == {
        c for c in EXPECTED_CHANGES if c[1].startswith(("BBB", "CCC"))
    }
    assert changes(report(store, kinds=("local",))) == {c for c in EXPECTED_CHANGES if c[1].startswith("LOC")}
    assert changes(report(store, theme="anti-corruption")) == {
        ("added", "AAA-2-9"),
        ("rating changed", "AAA-1-2", "potential_impact", "Minor", "Moderate"),
        ("rating changed", "AAA-1-2", "starred", "Not starred", "Starred"),
        ("rating changed", "CCC-3-1", "completion", None, "Limited"),
    }


def test_the_oldest_snapshot_has_nothing_to_compare_with(store):
    r = report(store, snapshot=S1)
    assert r.previous is None and r.changes.empty and r.counts()["added"] == 0
    with pytest.raises(ValueError, match="not before"):
        report(store, snapshot=S1, since=S2)
    with pytest.raises(ValueError, match="no snapshot"):
        report(store, since="1999-01-01")


# -- data gaps -------------------------------------------------------------------------------
def test_data_gaps(store):
    r = report(store, snapshot=S2)
    got = {(g.gap, g.member_code, g.key, g.detail) for g in r.gaps.itertuples()}
    assert {(g, m, None if pd.isna(k) else k, None if pd.isna(d) else d) for g, m, k, d in got} == {
        ("member without region", "FFF", None, None),
        ("member without ISO code", "FFF", None, None),
        ("commitment without a theme", "FFF", "FFF-1-1", None),
        ("rating outside its scale", "LOC", "LOC-1-1", "potential_impact = Huge"),
        ("rating outside its scale", "CCC", "CCC-3-2", "completion_end = Halfway"),
    }
    assert r.import_notes == (
        f"{S2}: test.csv: 2 rows with Potential impact 'Vast', not a level of scale potential_impact: stored as missing",
    )
    assert report(store, snapshot=S1).import_notes == (f"{S1}: {UNKNOWN_LEVEL_WARNING}",)
    assert r.gap_counts() == {**{g: 1 for g in monitor.GAP_KINDS}, "rating outside its scale": 2}
    assert r.gap_summary() == (
        "1 member without region; 1 member without ISO code; 1 commitment without a theme; "
        "2 ratings outside their scale"
    )
    assert set(report(store, snapshot=S2, kinds=("local",)).gaps["gap"]) == {"rating outside its scale"}


def test_members_with_something_to_report(store):
    r = report(store)
    assert [code for code, _ in r.members()] == ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "LOC"]
    mine = r.for_member("EEE")
    assert len(mine["late"]) == 1 and len(mine["changes"]) == 1 and mine["gaps"].empty


# -- the bundled data ------------------------------------------------------------------------
def test_bundled_changes_equal_a_pandas_comparison():
    before = pd.read_parquet(BUNDLED / "2017-03-30" / "commitments.parquet").set_index("key")
    after = pd.read_parquet(BUNDLED / "2024-07-06" / "commitments.parquet").set_index("key")

    def ratings(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "completion": df["completion_end"].fillna(df["completion_midterm"]),
                "potential_impact": df["potential_impact"],
                "diog": df["diog"],
                "starred": df["starred"].map({True: "Starred", False: "Not starred"}),
                "early_results": df["early_results"],
            }
        ).astype(object)

    # a group (ogp/matching.py `links`) joining rows of the two snapshots is regrouped
    edges = [
        (k, other)
        for frame, there in ((before, after), (after, before))
        for k, links in frame["links"].items()
        for other in (links if links is not None else [])
        if other in there.index
    ]
    regrouped = {k for edge in edges for k in edge}
    assert regrouped, "the bundled snapshots hold groups (Croatia)"
    expected = {("regrouped", k) for k in regrouped}
    expected |= {("added", k) for k in after.index.difference(before.index) if k not in regrouped}
    expected |= {("dropped", k) for k in before.index.difference(after.index) if k not in regrouped}
    common = after.index.intersection(before.index)
    was, now = ratings(before.loc[common]), ratings(after.loc[common])
    for col in was:
        for key in common:
            a, b = was.at[key, col], now.at[key, col]
            if pd.isna(a) and pd.isna(b):
                continue
            if pd.isna(a) or pd.isna(b) or a != b:
                expected.add(
                    ("rating changed", key, col, None if pd.isna(a) else a, None if pd.isna(b) else b)
                )

    s = Store()
    try:
        got = monitor.build(s, Filters(snapshot="2024-07-06"))
    finally:
        s.close()
    assert (got.previous, got.current) == ("2017-03-30", "2024-07-06")
    got_set = {
        (c[0], c[1], c[2], c[3], None if c[4] is None or pd.isna(c[4]) else c[4])
        if c[0] == "rating changed"
        else c
        for c in changes(got)
    }
    assert got_set == expected
    assert len(got.changes) == len(expected)  # no duplicate row
    assert sum(1 for c in expected if c[0] == "rating changed") > 100


# -- the digest ------------------------------------------------------------------------------
BASE = "https://dash.example.org/ogp"


def test_digest_summary_then_one_section_per_member(store):
    r = report(store)
    md = digest.digest(store, base_url=BASE)
    c = r.counts()
    summary = md[md.index("## Summary") : md.index("## [")]
    for label, n in (("Late action plans", c["late"]), ("Added", c["added"]), ("Dropped", c["dropped"])):
        assert f"| {label} | {n:,} |" in summary
    headings = [line for line in md.splitlines() if line.startswith("## [")]
    assert headings == [
        f"## [{name} ({code})](<{BASE}/members?member={code}>)".replace(", ", ", ")
        for code, name in r.members()
    ]
    eee = md[md.index("## [Eeland") : md.index("## [Effland")]
    assert "Plan 1, its latest in the data, ended on 2016-12-31: 6 years 6 months before 2023-06-30." in eee
    assert f"[EEE-1-1](<{BASE}/commitments?id=EEE-1-1>)" in eee and "**Dropped: 1 commitment**" in eee
    bbb = md[md.index("## [Beeland") : md.index("## [Ceeland")]
    assert "(submitted 2020 + 2 years)" in bbb and "1 of 1 commitment without a completion assessment" in bbb
    aaa = md[md.index("## [Aland") : md.index("## [Beeland")]
    assert "Potential impact: Minor → Moderate; Starred: Not starred → Starred" in aaa
    assert "Completion: Not assessed → Limited" in aaa
    assert f"Import report: {S2}: test.csv: 2 rows with Potential impact 'Vast'" in md


def test_digest_scope_and_limits(store):
    md = digest.digest(store, members=("loc", "AAA"), base_url=BASE, max_items=1)
    assert [line[4:7] for line in md.splitlines() if line.startswith("## [")] == ["Ala", "Loc"]
    assert "Members: Locton, Spain; Aland" in md
    assert "… and 1 more: [see them on the dashboard]" in md  # Aland's 2 rating changes, 1 shown
    assert f"(<{BASE}/monitor?members=LOC&members=AAA>)" in md
    americas = digest.digest(store, region="Americas")
    assert "Beeland" in americas and "Aland" not in americas
    with pytest.raises(digest.DigestError, match="ZZZ"):
        digest.digest(store, members=("ZZZ",))
    with pytest.raises(digest.DigestError, match="Mars"):
        digest.digest(store, region="Mars")


def test_digest_escapes_data_text(store):
    md = digest.digest(store, members=("DDD",))
    assert "<script>" not in md and not re.search(r"(?<!\\)\]\(javascript", md)  # no live link
    assert "\\[click\\](javascript:alert(1)) \\*x\\* &amp; more" in md
    html = digest.digest(store, members=("DDD",), fmt="html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.startswith("<!DOCTYPE html>") and "<link" not in html and "src=" not in html


def test_digest_command(store, tmp_path, capsys):
    out = tmp_path / "digest.html"
    root = str(store.data_dir)
    args = ["digest", "--data-dir", root, "--members", "LOC", "--format", "html", "--out", str(out)]
    assert cli.main(args) == 0
    assert "Locton, Spain (LOC)" in out.read_text(encoding="utf-8")
    assert cli.main(["digest", "--data-dir", root, "--since", S1]) == 0
    assert capsys.readouterr().out.startswith(f"# OGP monitoring digest, as of {S2}")
    for bad in (["--members", "ZZZ"], ["--since", S2], ["--base-url", "javascript:x"]):
        assert cli.main(["digest", "--data-dir", root, *bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1, err


def test_every_definition_is_in_the_methodology():
    method = (ROOT / "docs" / "METHOD.md").read_text(encoding="utf-8")  # = the /methodology page
    for d in monitor.DEFINITIONS:
        assert f"### {d.title}\n\n{d.text}\n\n*As of:* {d.as_of}" in method, d.key
