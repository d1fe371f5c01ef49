"""The dashboard's figures against an independent recomputation from the raw CSVs
(tests/recompute.py: pandas, its own matching of commitments across the two exports)."""

from __future__ import annotations

import pandas as pd
import pytest
import recompute

from ogp.data.store import Store
from ogp.model.filters import Filters

FROM, TO = "2017-03-30", "2024-07-06"
# Every headline figure with its denominator: each measure the IRM defines, by its definition
# (tests/recompute.py figures), not by the columns the importer reads.
FIGURES = tuple(recompute.figures(recompute.current()))


@pytest.fixture(scope="module")
def store():
    return Store(recompute.ROOT / "data")


def headline(store, **kw) -> dict:
    row = store.query("headline", **Filters(**kw).params()).iloc[0]
    return {k: int(row[k]) for k in FIGURES}


def test_the_two_matchings_agree_on_every_pair(store):
    """The importer's pairs (keys shared by the two snapshots) are the recomputation's pairs."""
    pairs, parts = recompute.matched()
    cur = pd.read_parquet(recompute.ROOT / "data" / "snapshots" / TO / "commitments.parquet")
    leg = pd.read_parquet(recompute.ROOT / "data" / "snapshots" / FROM / "commitments.parquet")
    both = cur.merge(leg, on="key", suffixes=("_c", "_l"))
    # source_row is 1-based; the recomputation counts data rows from 0
    importer = set(zip(both.source_row_l - 1, both.source_row_c - 1))
    assert importer == set(zip(pairs.legacy_row, pairs.current_row))
    assert set(leg.source_row[leg["match"] == "group"] - 1) == parts
    assert len(pairs) > 100 and len(parts) > 0


def test_latest_state(store):
    assert headline(store) == recompute.figures(recompute.latest())


def test_each_snapshot_on_its_own(store):
    assert headline(store, snapshot=TO) == recompute.figures(recompute.current())
    assert headline(store, snapshot=FROM) == recompute.figures(recompute.legacy())


def test_transition_matrix(store):
    got = store.query("transitions", **Filters().params(), from_snapshot=FROM, to_snapshot=TO)
    counts = {
        ("-" if pd.isna(f) else f, "-" if pd.isna(t) else t): int(n)
        for f, t, n in got[["from_level", "to_level", "commitments"]].itertuples(index=False)
    }
    assert counts == recompute.transitions()


def test_movers(store):
    params = dict(Filters().params(), from_snapshot=FROM, to_snapshot=TO, limit=10_000)
    got = store.query("movers", **params, direction=None)
    up = store.query("movers", **params, direction=1)
    down = store.query("movers", **params, direction=-1)
    assert len(up) + len(down) <= len(got) and set(up.ogp_id) | set(down.ogp_id) <= set(got.ogp_id)
    assert set(got.ogp_id) == recompute.movers()
    assert got.from_level.notna().all() and got.to_level.notna().all()


def test_theme_counts(store):
    got = store.query("themes_count", **Filters().params()).set_index("theme")["commitments"].to_dict()
    expected = recompute.theme_counts(recompute.latest())
    assert {k: v for k, v in expected.items() if v} == got


@pytest.mark.parametrize("code", ["HRV", "BGR"])
def test_member_profiles(store, code):
    latest = recompute.latest()
    mine = latest[latest.code == code]
    assert headline(store, members=(code,)) == recompute.figures(mine)
    plans = store.query("member_plans", member=code, snapshot=None, rating=None).set_index("action_plan")
    expected = mine.groupby("plan").size().to_dict()
    assert {int(p): int(n) for p, n in plans.n_commitments.items() if n} == expected


# ----------------------------------------------------------------------------- the star oracle
# The IRM's star: verifiable, relevant to an OGP value, Transformative potential impact, and
# Substantial or Complete completion, where the IRM applied its (current) star formula.
SNAPSHOTS = {TO: recompute.current, FROM: recompute.legacy}
# Commitments that meet the criteria on their latest completion (end of term, else mid-term)
# where a formula applies, yet are not stars, each with the reason.
NOT_STARS = {
    "BUE0009": "the IRM applied its formula only at the progress report, when completion was not "
    "yet Substantial; at end of term (Substantial) it did not apply it (ND)",
}


def snapshot_rows(snapshot: str) -> pd.DataFrame:
    rows = pd.read_parquet(recompute.ROOT / "data" / "snapshots" / snapshot / "commitments.parquet")
    return rows.assign(row=rows.source_row - 1).set_index("row")  # recompute counts rows from 0


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_counted_star_meets_the_star_criteria(store, snapshot):
    raw, rows = SNAPSHOTS[snapshot]().set_index("row"), snapshot_rows(snapshot)
    counted = rows.index[rows.starred.eq(True)]
    assert len(counted) == headline(store, snapshot=snapshot)["starred"] > 0
    stars = raw.loc[counted]
    assert stars.verifiable.all() and stars.relevant.all()
    assert stars.potential_impact.eq("Transformative").all()
    assert stars.star_applied.notna().all() and stars.starred.eq(True).all()


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_every_commitment_meeting_the_criteria_where_a_formula_applies_is_counted(store, snapshot):
    raw, rows = SNAPSHOTS[snapshot]().set_index("row"), snapshot_rows(snapshot)
    # on the completion of the report the formula was applied at: no exception
    meets = raw.index[raw.starred.eq(True)]
    assert set(meets) == set(rows.index[rows.starred.eq(True)])
    # on the latest completion the dashboard shows: the exceptions are named
    latest = raw.verifiable & raw.relevant & raw.potential_impact.eq("Transformative")
    latest &= raw.completion.isin(recompute.HIGH) & raw.star_applied.notna()
    missed = raw[latest & ~raw.index.isin(rows.index[rows.starred.eq(True)])]
    if snapshot == TO:
        assert set(missed.ogp_id) == set(NOT_STARS)
    else:
        assert missed.empty


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_no_star_formula_applied_is_outside_the_starred_share(store, snapshot):
    """ND (the formula was not applied) is not "not starred": it has no star, and no place in
    the denominator; the legacy table's 2011-2012 plans never had the current formula."""
    raw, rows = SNAPSHOTS[snapshot]().set_index("row"), snapshot_rows(snapshot)
    assert set(rows.index[rows.starred.isna()]) == set(raw.index[raw.star_applied.isna()])
    assert headline(store, snapshot=snapshot)["star_assessed"] == raw.star_applied.notna().sum()
    if snapshot == FROM:
        years = rows.loc[rows.starred.isna(), "year_submitted"]
        assert set(rows.loc[rows.year_submitted <= 2012, "starred"].isna()) == {True}
        assert len(years) == 1927 - 590


def test_latest_state_stars():
    """53 in the latest state: the 2024 export's 36, and 17 legacy stars that no 2024 row
    replaced (10 of the legacy's 27 are commitments the 2024 export holds)."""
    latest, current = recompute.figures(recompute.latest()), recompute.figures(recompute.current())
    assert (latest["starred"], current["starred"], recompute.figures(recompute.legacy())["starred"]) == (
        53,
        36,
        27,
    )
    assert (latest["star_assessed"], current["star_assessed"]) == (743, 235)
