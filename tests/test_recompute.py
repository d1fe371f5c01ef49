"""The dashboard's figures against an independent recomputation from the raw CSVs
(tests/recompute.py: pandas, its own matching of commitments across the two exports)."""

from __future__ import annotations

import pandas as pd
import pytest
import recompute

from ogp.filters import Filters
from ogp.store import Store

FROM, TO = "2017-03-30", "2024-07-06"
FIGURES = ("commitments", "members", "action_plans", "completion_assessed", "high_completion", "starred")


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
