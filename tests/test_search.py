"""Search: whole words, case and accents folded, the term always plain text. Counts are checked
against an independent word-by-word reading of the raw exports (tests/recompute.py)."""

from __future__ import annotations

import pytest
import recompute
from pagetest import ROOT

from ogp.data.store import Store
from ogp.model.filters import Filters


@pytest.fixture(scope="module")
def store():
    s = Store(ROOT / "data")
    s.wait_search()
    assert s.search_error is None
    return s


def found(store, q: str, **filters) -> int:
    return int(store.query("headline", **Filters(q=q, **filters).params()).iloc[0]["commitments"])


def members_found(store, q: str) -> set[str]:
    rows = store.query("commitments_page", **Filters(q=q).params(), limit=10_000, offset=0)
    return set(rows["member_code"])


def test_a_word_is_not_found_inside_another_word(store):
    # "agua" (water) is inside "Paraguay": 11 of the 12 hits were Paraguay's commitments.
    hits = recompute.search_hits(recompute.latest(), "agua")
    assert found(store, "agua") == len(hits) >= 1
    assert members_found(store, "agua") == set(hits.code)
    assert found(store, "agua") < 12  # the substring count
    assert found(store, "paraguay") == len(recompute.search_hits(recompute.latest(), "paraguay")) > 0


@pytest.mark.parametrize("q", ["informacion", "información", "INFORMACIÓN", "Informacion"])
def test_accents_and_case_are_folded(store, q):
    expected = len(recompute.search_hits(recompute.latest(), "información"))
    assert expected > 100
    assert found(store, q) == expected


@pytest.mark.parametrize("q", ["open data", "open-data", "Open, Data", "budget", "parliament"])
def test_words_and_phrases_equal_an_independent_count(store, q):
    assert found(store, q) == len(recompute.search_hits(recompute.latest(), q)) > 0


def test_one_snapshot_is_searched_the_same_way(store):
    # The parquet path (a snapshot chosen in the sidebar) agrees with the in-memory text.
    legacy = recompute.legacy()
    for q in ("informacion", "agua", "open data"):
        assert found(store, q, snapshot="2017-03-30") == len(recompute.search_hits(legacy, q)), q


def test_the_files_agree_with_the_in_memory_text_before_it_is_built(tmp_path):
    # A fresh store searches the files until the background text is ready: same answers.
    s = Store(ROOT / "data")
    early = {q: found(s, q) for q in ("agua", "información", "open data")}
    s.wait_search()
    s._hits.clear()
    assert early == {q: found(s, q) for q in early}


@pytest.mark.parametrize(
    "q",
    [
        ".*",
        "a.*b",
        "(",
        "[",
        "a|b",
        "\\b",
        "^$",
        "'",
        '"',
        "l'eau",
        "'; DROP TABLE commitments_all; --",
        "' OR '1'='1",
        "%",
        "_",
    ],
)
def test_regex_and_sql_characters_are_plain_text(store, q):
    n = found(store, q)
    total = len(recompute.latest())
    assert n < total, q  # never "everything"
    words = recompute._words(q)
    if words:  # its words, as whole words, exactly as the independent reading finds them
        assert n == len(recompute.search_hits(recompute.latest(), q)), q
    assert found(store, None) == total


def test_a_percent_sign_finds_texts_that_hold_one(store):
    # A term without a letter or digit is looked for as typed: "%" is no wildcard.
    raw = recompute.current_raw()
    assert (
        0
        < found(store, "%", snapshot="2024-07-06")
        == int(raw[recompute.SEARCHED].apply(lambda c: c.str.contains("%", regex=False)).any(axis=1).sum())
    )
