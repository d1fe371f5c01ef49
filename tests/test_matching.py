"""The same commitment across exports (ogp/data/matching.py): the cases the review found, groups,
re-imports, and a property test that rows' order, duplicate numbers and spacing never change
which rows pair."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogp.data import ingest, mappers, matching
from ogp.data.store import Store
from ogp.model.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "data" / "snapshots"
RAW = ROOT / "data" / "raw"
CURRENT = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LATEST = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data"
LEGACY = LATEST / "ogpirm_live_data.csv"
PROCESS = LATEST / "ogp_irm__OGP_Process_Database_July_2016__VERSION_TWO__modified_by_miska_04.csv"


@pytest.fixture(scope="module")
def cur() -> pd.DataFrame:
    return pd.read_parquet(SNAPSHOTS / "2024-07-06" / "commitments.parquet")


@pytest.fixture(scope="module")
def leg() -> pd.DataFrame:
    return pd.read_parquet(SNAPSHOTS / "2017-03-30" / "commitments.parquet")


def partner(cur, leg, ogp_id: str) -> pd.Series:
    """The legacy row that shares the key of the 2024 commitment `ogp_id` (exactly one)."""
    key = cur.loc[cur.ogp_id == ogp_id, "key"].item()
    rows = leg[leg.key == key]
    assert len(rows) == 1, (ogp_id, key, len(rows))
    return rows.iloc[0]


# ----------------------------------------------------------------------------- the review's cases


def test_bg0003_pairs_with_budget_legislation_not_with_the_other_number_3(cur, leg):
    p = partner(cur, leg, "BG0003")
    assert (p.title, p["match"]) == ("3: Budget legislation amendments", "number")
    other = leg[leg.title == "3. Control and monitoring"].iloc[0]
    assert other.key not in set(cur.key) and other["match"] == "none"


def test_bg0007_pairs_through_the_number_in_its_title(cur, leg):
    # The legacy Comm No is 7, shifted by one against the "8:" that starts the title.
    p = partner(cur, leg, "BG0007")
    assert (p.title, p.commitment_no, p["match"]) == ("8: Law on the Underground Resources", "7", "number")
    shifted = leg[leg.title == "9: Public information system on mineral resources"].iloc[0]
    assert shifted.commitment_no == "8" and shifted.key not in set(cur.key)


def test_cl0006_pairs_with_2_10_and_cl0005_with_2_1(cur, leg):
    assert partner(cur, leg, "CL0006").title == "2.10 Proyecto de Ley sobre Partidos Políticos"
    assert partner(cur, leg, "CL0005").title.startswith("2.1 Perfeccionamiento de la Ley")


def test_croatia_groups_link_their_parts_and_count_once_in_the_latest_state(cur, leg):
    hrv = leg[(leg.member_code == "HRV") & (leg.action_plan == 1)]
    for number, parts in (("5", 2), ("6", 10), ("9", 5)):
        group = cur[(cur.member_code == "HRV") & (cur.action_plan == 1) & (cur.commitment_no == number)]
        rows = hrv[hrv.commitment_no.str.startswith(number + ".")]
        assert len(rows) == parts
        assert (rows["match"] == "group").all()
        assert rows.links.map(list).tolist() == [[group.key.item()]] * parts
    store = Store(ROOT / "data")
    latest = store.query("commitments_export", **Filters(members=("HRV",)).params())
    titles = latest.loc[latest.action_plan == 1, "title"]
    assert titles.str.startswith(("5.", "6.", "9.")).sum() == 0  # the parts are superseded
    assert len(latest[(latest.action_plan == 1)]) == len(hrv) - 17 + 3
    # a group has no single earlier level: progress leaves it out
    moves = store.query(
        "transitions",
        **Filters(members=("HRV",)).without("snapshot").params(),
        from_snapshot="2017-03-30",
        to_snapshot="2024-07-06",
    )
    paired = set(cur.key) & set(leg.key)
    assert moves.commitments.sum() == len({k for k in paired if k.startswith("HRV-")}) == 7


def test_every_key_is_unique_and_pairs_are_one_to_one(cur, leg):
    assert cur.key.is_unique and leg.key.is_unique
    assert set(leg["match"]) <= set(matching.KINDS)
    # a linked key exists in the other snapshot
    assert set(leg.links.explode().dropna()) <= set(cur.key)


# ----------------------------------------------------------------------------- re-imports


def keyed_pairs(base: Path) -> set[tuple[str, int]]:
    """(OGP id of the 2024 row, source row of its 2017 partner): pairs whatever the keys."""
    c = pd.read_parquet(base / "snapshots" / "2024-07-06" / "commitments.parquet")
    lg = pd.read_parquet(base / "snapshots" / "2017-03-30" / "commitments.parquet")
    m = c.merge(lg, on="key", suffixes=("_c", "_l"))
    return set(zip(m.ogp_id_c, m.source_row_l))


def test_reimports_keep_keys_and_the_other_order_finds_the_same_pairs(tmp_path):
    base = tmp_path / "d"
    shutil.copytree(SNAPSHOTS, base / "snapshots")
    before = {
        name: pd.read_parquet(base / "snapshots" / name / "commitments.parquet")
        for name in ("2024-07-06", "2017-03-30")
    }
    pairs = keyed_pairs(base)
    ingest.import_files([CURRENT], "2024-07-06", base, replace=True)
    ingest.import_files([LEGACY, PROCESS], "2017-03-30", base, replace=True)
    for name, frame in before.items():
        again = pd.read_parquet(base / "snapshots" / name / "commitments.parquet")
        assert again.key.tolist() == frame.key.tolist(), name
    assert keyed_pairs(base) == pairs
    other = tmp_path / "o"
    ingest.import_files([LEGACY, PROCESS], "2017-03-30", other)
    ingest.import_files([CURRENT], "2024-07-06", other)
    assert keyed_pairs(other) == pairs
    c = pd.read_parquet(other / "snapshots" / "2024-07-06" / "commitments.parquet")
    assert c.loc[c.ogp_id == "HR0005", "links"].item().tolist() == ["HRV-1-5.1", "HRV-1-5.2"]


def test_snapshots_written_before_matching_still_open(tmp_path):
    """A snapshot without `match` and `links` (written before they existed) reads as unmatched."""
    import pyarrow.parquet as pq

    for name in ("2024-07-06", "2017-03-30"):
        folder = tmp_path / "snapshots" / name
        shutil.copytree(SNAPSHOTS / name, folder)
        table = pq.read_table(folder / "commitments.parquet")
        pq.write_table(table.drop_columns(["match", "links"]), folder / "commitments.parquet")
    store = Store(tmp_path)
    assert store.ok and not store.problems
    n = store.query("headline", **Filters().params()).commitments.item()
    assert n == 558 + 1927 - len(
        set(pd.read_parquet(SNAPSHOTS / "2024-07-06" / "commitments.parquet").key)
        & set(pd.read_parquet(SNAPSHOTS / "2017-03-30" / "commitments.parquet").key)
    )


# ----------------------------------------------------------------------------- properties

LETTERS = "bcdfghjklmnpqrstvwxz"
WORD = st.text(alphabet=LETTERS, min_size=6, max_size=9)


def _row(number, title, ogp_id=None, plan=1) -> dict:
    return {
        "ogp_id": ogp_id,
        "member_code": "AAA",
        "action_plan": plan,
        "commitment_no": number,
        "title": title,
        "description": None,
    }


@st.composite
def exports(draw):
    """A plan of n commitments with distinct titles; the older export writes "<n>: title" with
    a number column that may be shifted or reused; the newer one has a subset, with OGP ids."""
    n = draw(st.integers(2, 9))
    vocab = draw(st.lists(WORD, min_size=3 * n, max_size=3 * n, unique_by=lambda w: w[:5]))
    titles = [" ".join(vocab[3 * i : 3 * i + 3]).capitalize() for i in range(n)]
    if draw(st.booleans()):  # one head for the whole plan, as Croatia's "5. Head: activity" rows
        head = " ".join(draw(st.lists(WORD, min_size=3, max_size=3, unique_by=lambda w: w[:5])))
        if not {w[:5] for w in head.split()} & {w[:5] for w in vocab}:
            titles = [f"{head.capitalize()}: {t}" for t in titles]
    style = draw(st.sampled_from(["{n}: {t}", "{n}. {t}", "Commitment {n}: {t}", "{t}"]))
    shift = draw(st.sampled_from([0, -1, 1]))
    older = [_row(str(i + 1 + shift), style.format(n=i + 1, t=t)) for i, t in enumerate(titles)]
    keep = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    newer = [_row(str(i + 1), t, ogp_id=f"AA{i:04d}") for i, (t, k) in enumerate(zip(titles, keep)) if k]
    return older, newer, draw(st.randoms(use_true_random=False)), style


def pairs_of(older: list[dict], newer: list[dict]) -> set[tuple[str, str]]:
    """(older row's title words, newer row's OGP id) for each pair the matcher makes."""
    notes = mappers.Notes()
    older = [dict(r) for r in older]
    newer = [dict(r) for r in newer]
    mappers.assign_keys(older, "older.csv", notes)
    mappers.assign_keys(newer, "newer.csv", notes)
    out = matching.match(newer, older)
    by_key = {r["key"]: " ".join(r["title"].split()) for r in older}
    return {
        (by_key[k], r["ogp_id"])
        for r, k, m in zip(newer, out.keys, out.match, strict=True)
        if m in ("id", "number", "title")
    }


def perturbed(title: str, rng: random.Random) -> str:
    words = title.split(" ")
    return rng.choice(["", " ", "\n"]) + rng.choice(["  ", " ", "\t"]).join(words) + rng.choice(["", " "])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_order_duplicate_numbers_and_spacing_never_change_the_pairs(case):
    older, newer, rng, style = case
    expected = {
        (" ".join(style.format(n=int(r["ogp_id"][2:]) + 1, t=r["title"]).split()), r["ogp_id"]) for r in newer
    }
    assert pairs_of(older, newer) == expected
    shuffled_old, shuffled_new = older[:], newer[:]
    rng.shuffle(shuffled_old)
    rng.shuffle(shuffled_new)
    assert pairs_of(shuffled_old, shuffled_new) == expected
    # the plan's numbers reused: every older row gets one of two numbers
    renumbered = [dict(r, commitment_no=str(1 + i % 2)) for i, r in enumerate(older)]
    assert pairs_of(renumbered, newer) == expected
    spaced_old = [dict(r, title=perturbed(r["title"], rng)) for r in older]
    spaced_new = [dict(r, title=perturbed(r["title"], rng)) for r in newer]
    got = pairs_of(spaced_old, spaced_new)
    assert {(" ".join(t.split()), i) for t, i in got} == expected
