"""The monitoring lists (ogp/render/monitor.py, queries/monitor_*.sql) against small snapshots written
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

from ogp import cli
from ogp.data import schema as snapshot_schema
from ogp.data.store import Store
from ogp.model.filters import Filters
from ogp.render import digest, monitor, views

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


def write_snapshot(root: Path, as_of: str, spec: dict, covers: str | None = None) -> None:
    """`covers`: the snapshot is an extract of that (manifest `scope`); None: no scope recorded
    (a manifest older than scopes: a complete export)."""
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
    if covers is not None:
        manifest["scope"] = {"complete": False, "covers": covers}
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


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    """The same snapshots, in two stores: S2 an extract, then S1 an extract."""
    stores = {}
    for which in (S2, S1):
        root = tmp_path_factory.mktemp(f"extract-{which}")
        for as_of, spec in SNAPSHOTS.items():
            write_snapshot(root, as_of, spec, "commitments on civic space" if as_of == which else None)
        stores[which] = Store(root)
    yield stores
    for s in stores.values():
        s.close()


def report(store, **kw) -> monitor.Report:
    since = kw.pop("since", None)
    return views.monitor(store.query, store.snapshots, Filters(**kw), since=since)


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
        assert "LOC" not in late(views.monitor(s.query, s.snapshots, Filters()))
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
        f"{S2}: test.csv: 2 rows with Potential impact 'Vast', not a level of the IRM's scale: read as not assessed",
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


# -- extracts --------------------------------------------------------------------------------
def test_an_extract_leaves_out_nothing_it_calls_dropped_added_or_late(extracts):
    # S2 is an extract: CCC-3-3 and EEE-1-1, absent from it, are not dropped, only counted.
    r = report(extracts[S2])
    assert changes(r) == {c for c in EXPECTED_CHANGES if c[0] != "dropped"}
    assert (r.counts()["dropped"], r.outside_later, r.outside_earlier) == (0, 2, 0)
    assert monitor.outside_text(r) == (
        f"2 commitments of {S1} are not in the extract of {S2}: an extract may leave a commitment out, "
        "so these are neither dropped nor added, and not listed."
    )
    # no plan is judged late in an extract; the latest state judges in the complete S1
    assert late(report(extracts[S2], snapshot=S2)) == {}
    assert monitor.late_note(report(extracts[S2], snapshot=S2)).startswith(
        "No late action plans can be named"
    )
    assert late(r) == {"EEE": (1, 2016, 78, S1), "LOC": (1, 2021, 18, S1)} and r.late_judged
    # S1 is an extract: what S2 adds is not "added"
    r = report(extracts[S1])
    assert changes(r) == {c for c in EXPECTED_CHANGES if c[0] != "added"}
    assert (r.counts()["added"], r.outside_earlier, r.outside_later) == (0, 4, 0)
    assert extracts[S1].extracts() == [(S1, "commitments on civic space")]


def test_the_headline_counts_equal_the_lists_and_their_csv(store, extracts):
    for r in (report(store), report(extracts[S2]), report(store, snapshot=S1)):
        shown = monitor.described_changes(r.changes)  # the list and the CSV of /monitor
        assert len(shown) == r.changed_total() == len(shown.to_csv(index=False).splitlines()) - 1
        assert shown.groupby(["change", "key"]).size().max() <= 1 if len(shown) else True
        c = r.counts()
        assert (c["late"], c["awaiting"], c["at_risk"], c["gaps"]) == (
            len(r.late),
            len(r.awaiting),
            len(r.at_risk),
            len(r.gaps),
        )
        assert c["awaiting_commitments"] == r.awaiting["not_assessed"].sum()


def test_awaiting_judges_each_row_as_of_its_own_snapshot(extracts, tmp_path):
    # A plan ending in 2022, one row of it only in S1 (2023-06-30: not yet a year after its end),
    # another in S2 too: the S1-only row is not awaited as of S2's date.
    one = {**SNAPSHOTS[S1], "plans": SNAPSHOTS[S1]["plans"] + [plan("DDD", 1, 2020, 2022)]}
    one["members"] = one["members"] + ["DDD"]
    one["commitments"] = one["commitments"] + [
        commitment("DDD-1-7", **years(2020, 2022)),
        commitment("DDD-1-8", **years(2020, 2022)),
    ]
    two = {**SNAPSHOTS[S2], "plans": [p for p in SNAPSHOTS[S2]["plans"] if p["member_code"] != "DDD"]}
    two["plans"] = two["plans"] + [plan("DDD", 1, 2020, 2022)]
    two["commitments"] = [c for c in SNAPSHOTS[S2]["commitments"] if c["member_code"] != "DDD"] + [
        commitment("DDD-1-8", **years(2020, 2022))
    ]
    write_snapshot(tmp_path, S1, one)
    write_snapshot(tmp_path, S2, two, "commitments on civic space")
    s = Store(tmp_path)
    try:
        got = awaiting(views.monitor(s.query, s.snapshots, Filters()))
    finally:
        s.close()
    # DDD-1-7 (S1 only) ended Dec 2022, judged as of 2023-06-30: not yet awaited; DDD-1-8 as of
    # S2: the plan's line of S2 holds its one row there
    assert got[("DDD", 1)] == (1, 1, 2022, True)


def test_bundled_monitor_counts_equal_an_independent_recomputation():
    from recompute import monitor_figures

    s = Store()
    try:
        r = views.monitor(s.query, s.snapshots, Filters())
        lva = views.monitor(s.query, s.snapshots, Filters(members=("LVA",)))
    finally:
        s.close()
    got = {**r.counts(), "outside_later": r.outside_later, "outside_earlier": r.outside_earlier}
    assert got == monitor_figures()
    # Latvia's plan 2: its 2017 rows are judged as of 2017-03-30, before the plan ended
    assert lva.awaiting.empty and "USA" not in set(r.late["member_code"])


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

    # a group (ogp/data/matching.py `links`) joining rows of the two snapshots is regrouped
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
    # both bundled exports are extracts (their manifests' scope): a commitment only one of them
    # holds is counted apart, neither added nor dropped
    only_after = {k for k in after.index.difference(before.index) if k not in regrouped}
    only_before = {k for k in before.index.difference(after.index) if k not in regrouped}
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
        got = views.monitor(s.query, s.snapshots, Filters(snapshot="2024-07-06"))
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
    assert (got.outside_earlier, got.outside_later) == (len(only_after), len(only_before))
    assert sum(1 for c in expected if c[0] == "rating changed") > 100


# -- the digest ------------------------------------------------------------------------------
BASE = "https://dash.example.org/ogp"


def test_digest_counts_first_then_what_to_follow_up(store):
    # The digest's form changed with issue 27 item 12: lists by what a person does with them,
    # each line naming its member, instead of a section per member (2,466 lines for the bundled
    # data since 2017-03-30, mostly commitments without a theme).
    r = report(store)
    md = digest.digest(store, base_url=BASE)
    c = r.counts()
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads == [
        "## Summary",
        "## To follow up",
        f"## What changed from {S1} to {S2}",
        "## Data gaps",
        "## How these lists are defined",
    ]
    summary = md[md.index("## Summary") : md.index("## To follow up")]
    for label, key in (("Late action plans", "late"), ("Added", "added"), ("Dropped", "dropped")):
        assert f"| {label} | {c[key]:,} |" in summary
    follow = md[md.index("## To follow up") : md.index("## What changed")]
    assert f"### Late action plans: {c['late']}" in follow and c["late"] == 4
    assert (
        f"[Eeland](<{BASE}/members?member=EEE>): plan 1, its latest, ended on 2016-12-31, "
        "6 years 6 months before 2023-06-30." in follow
    )
    assert "(submitted 2020 + 2 years)" in follow
    assert "plan 1, as of 2024-06-30: 1 of 1 commitment judged then without a completion assessment" in follow
    assert (
        f"[CCC-3-1](<{BASE}/commitments?id=CCC-3-1>) Commitment CCC-3-1 (Limited; plan 3 ends 2025)" in follow
    )
    changed = md[md.index("## What changed") : md.index("## Data gaps")]
    assert "### Ratings changed: 4 commitments, 5 changes" in changed
    assert "Potential impact: Minor → Moderate; Starred: Not starred → Starred" in changed
    assert "Completion: Not assessed → Limited" in changed
    # long lists are counts per member with a link, not one line per commitment
    assert f"- Dropped: 2 commitments ([Ceeland](<{BASE}/members?member=CCC>) 1, [Eeland]" in changed
    assert "EEE-1-1" not in changed and "Regrouped: 3 commitment rows" in changed
    gaps = md[md.index("## Data gaps") : md.index("## How these")]
    assert "2 ratings outside their scale (" in gaps and "LOC-1-1" not in gaps
    assert f"Import report: {S2}: test.csv: 2 rows with Potential impact 'Vast'" in md
    for developer in ("--since", "themes.toml", "scales.py", "python -m"):
        assert developer not in md


def test_digest_of_extracts_says_so_and_lists_nothing_they_leave_out(extracts):
    md = digest.digest(extracts[S2], base_url=BASE)
    assert f"The snapshot of {S2} is an extract: commitments on civic space." in md
    assert "| Dropped | 0 |" in md and "Dropped:" not in md
    assert f"2 commitments of {S1} are not in the extract of {S2}" in md


def test_bundled_digest_counts_equal_an_independent_recomputation():
    from recompute import monitor_figures

    s = Store()
    try:
        md = digest.digest(s, since="2017-03-30")
    finally:
        s.close()
    f = monitor_figures()
    for label, key in (
        ("Late action plans", "late"),
        ("Awaiting assessment", "awaiting"),
        ("At risk", "at_risk"),
        ("Ratings changed", "changed"),
        ("Added", "added"),
        ("Dropped", "dropped"),
        ("Regrouped", "regrouped"),
        ("Data gaps", "gaps"),
    ):
        assert f"| {label} | {f[key]:,} |" in md, label
    assert f"{f['outside_later']:,} commitments of 2017-03-30 are not in the extract of 2024-07-06" in md
    assert f"{f['outside_earlier']:,} commitments of 2024-07-06 are not in the extract of 2017-03-30" in md
    # each list's lines: as many as its count (up to the limit), then "… and N more"
    follow = md[md.index("## To follow up") : md.index("## What changed")]
    assert follow.count("judged then without a completion assessment; the plan had ended") == f["awaiting"]
    assert f"### Ratings changed: {f['changed']} commitments, {f['rating_changes']} changes" in md
    assert f"… and {f['changed'] - digest.MAX_ITEMS} more" in md
    assert "Dropped:" not in md and "late" not in follow.lower()
    assert len(md.splitlines()) < 120  # was 2,466


def test_digest_scope_and_limits(store):
    md = digest.digest(store, members=("loc", "AAA"), base_url=BASE, max_items=1)
    assert "Members: Locton, Spain; Aland" in md and "Beeland" not in md
    assert "… and 1 more: [see them on the dashboard]" in md  # Aland and Locton: 2 late plans, 1 shown
    assert f"(<{BASE}/monitor?members=LOC&members=AAA>)" in md
    americas = digest.digest(store, region="Americas")
    assert "Beeland" in americas and "Aland" not in americas
    with pytest.raises(digest.DigestError, match="ZZZ"):
        digest.digest(store, members=("ZZZ",))
    with pytest.raises(digest.DigestError, match="Mars"):
        digest.digest(store, region="Mars")


def test_digest_escapes_data_text(store):
    # Deeland's commitment (its title hostile) is added: counted, not listed; the same row as a
    # rating change is listed with its title.
    r = report(store, members=("DDD",))
    r.changes = r.changes.assign(change="rating changed", rating="completion", to_value="Limited")
    md = digest.to_markdown(digest.digest_document(r, base_url=BASE))
    assert "<script>" not in md and not re.search(r"(?<!\\)\]\(javascript", md)  # no live link
    assert "\\[click\\](javascript:alert(1)) \\*x\\* &amp; more" in md
    html = digest.to_html(digest.digest_document(r, base_url=BASE))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.startswith("<!DOCTYPE html>") and "<link" not in html and "src=" not in html


def test_digest_command(store, tmp_path, capsys):
    out = tmp_path / "digest.html"
    root = str(store.data_dir)
    args = ["digest", "--data-dir", root, "--members", "LOC", "--format", "html", "--out", str(out)]
    assert cli.main(args) == 0
    assert "Members: Locton, Spain" in out.read_text(encoding="utf-8")
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
