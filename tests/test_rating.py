"""The IRM's rules written once (ogp/model/scales.py -> the scales table -> SQL macros), and the
completion rating a figure reads (latest, end of term, mid-term), checked against an
independent count from the raw exports (tests/recompute.py), never against the column the
code reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import recompute
from pagetest import ROOT

from ogp.model import scales
from ogp.model.filters import RATINGS, Filters

QUERIES = sorted((ROOT / "queries").glob("*.sql"))
LEVELS = {lvl for s in scales.SCALES for lvl in scales.levels(s, with_unordered=True)}
LITERAL = re.compile(r"'((?:[^']|'')*)'")
CHOICES = (None, *RATINGS)  # None: the latest rating, the default


def spelled_levels(sql: str) -> list[str]:
    """The IRM level names a query's SQL spells as string literals (comments left out). Level
    names are matched as the data stores them (case and all): a literal in another case
    (match_counts' 'none') cannot match a rating."""
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return [m.replace("''", "'") for m in LITERAL.findall(code) if m.replace("''", "'") in LEVELS]


def test_the_check_finds_a_spelled_level():
    assert spelled_levels("SELECT count(*) FILTER (WHERE completion IN ('Substantial', 'Complete'))") == [
        "Substantial",
        "Complete",
    ]
    assert spelled_levels("CASE diog WHEN 'Major' THEN 1 END -- 'Outstanding' in a comment") == ["Major"]
    assert spelled_levels("SELECT 'national', 'none' -- kinds and match methods") == []


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_no_query_spells_an_irm_level(path: Path):
    """Every rule is a macro over the scales table (queries/_setup.sql), which ogp/data/store.py fills
    from ogp/model/scales.py: no query, _setup.sql included, writes a level name of its own."""
    assert spelled_levels(path.read_text(encoding="utf-8")) == [], path.name


@pytest.fixture(scope="module")
def store():
    from ogp.data.store import Store

    s = Store(ROOT / "data")
    yield s
    s.close()


def test_the_macros_say_what_the_irm_rules_say(store):
    """Each rule macro on every value it can meet: the IRM's published rules, written here as
    words (GUIDE 3), not read from ogp/model/scales.py."""
    rules = {
        "is_completion_rated": ("completion", {"Not Started", "Limited", "Substantial", "Complete"}),
        "is_high_completion": ("completion", {"Substantial", "Complete"}),
        "is_low_completion": ("completion", {"Not Started", "Limited"}),
        "is_transformative": ("potential_impact", {"Transformative"}),
        "is_substantial_results": ("potential_for_results", {"Substantial"}),
        "opened_government": ("diog", {"Major", "Outstanding"}),
        "notable_early_results": ("early_results", {"Moderate", "Significant"}),
    }
    cur = store._con.cursor()
    for macro, (scale, true_for) in rules.items():
        for level in scales.levels(scale, with_unordered=True):
            got = cur.execute(f"SELECT {macro}(?)", [level]).fetchall()[0][0]
            assert got is (level in true_for), (macro, level)
        assert cur.execute(f"SELECT {macro}(NULL)").fetchall()[0][0] is None, macro  # not rated
    cur.close()


def expected(rating: str | None, theme: str | None = None, completion: tuple = ()) -> dict[str, int]:
    """Completion figures of the latest state from the raw exports, for one rating."""
    frame = recompute.latest()
    if theme:
        frame = frame[recompute.in_theme(frame, theme)]
    level = recompute.rated_completion(frame, rating)
    if completion:
        frame, level = frame[level.isin(completion)], level[level.isin(completion)]
    return {
        "commitments": len(frame),
        "completion_assessed": int(level.isin(recompute.ORDERED).sum()),
        "high_completion": int(level.isin(recompute.HIGH).sum()),
    }


@pytest.mark.parametrize("rating", CHOICES)
@pytest.mark.parametrize(
    "theme, completion",
    [(None, ()), ("open-budgets", ()), ("open-budgets", ("Complete",)), (None, ("Limited",))],
)
def test_completion_figures_follow_the_chosen_rating(store, rating, theme, completion):
    """headline (over the pre-aggregated counts), by_member and themes_count (over the rows)
    count the chosen rating, as the raw exports do."""
    f = Filters(rating=rating, theme=theme, completion=completion)
    want = expected(rating, theme, completion)
    h = store.query("headline", **f.params()).iloc[0]
    assert {k: int(h[k]) for k in want} == want
    members = store.query("by_member", **f.params())
    assert {k: int(members[k].sum()) for k in want} == want
    if theme:
        t = store.query("themes_count", **f.params()).set_index("theme").loc[theme]
        assert int(t["completion_assessed"]) == want["completion_assessed"]
        assert int(t["high_completion"]) == want["high_completion"]


def test_a_search_term_counts_the_chosen_rating_too(store):
    """With a search term the aggregate queries read the rows (filtered_row_counts): the same
    rating as the list of rows."""
    for rating in CHOICES:
        f = Filters(rating=rating, completion=("Complete",), q="budget")
        h = store.query("headline", **f.params()).iloc[0]
        rows = store.query("commitments_export", **f.params())
        assert int(h["commitments"]) == int(h["high_completion"]) == len(rows) > 0
        chosen = recompute.rated_completion(rows, rating)  # the export's two IRM columns
        assert set(chosen) == {"Complete"}, rating


@pytest.mark.parametrize("rating", CHOICES)
def test_midterm_against_end_counts_each_rating(store, rating):
    """midterm_vs_end reads both ratings whatever the choice (the choice only filters)."""
    frame = recompute.latest()
    got = store.query("midterm_vs_end", **Filters(rating=rating).params()).sum()
    assert int(got["midterm_assessed"]) == int(frame["completion_midterm"].isin(recompute.ORDERED).sum())
    assert int(got["midterm_high"]) == int(frame["completion_midterm"].isin(recompute.HIGH).sum())
    assert int(got["end_assessed"]) == int(frame["completion_end"].isin(recompute.ORDERED).sum())
    assert int(got["end_high"]) == int(frame["completion_end"].isin(recompute.HIGH).sum())


def top_members(frame) -> tuple[list[str], int]:
    """The members with the most rows of `frame`, and that number."""
    counts = frame.groupby("code").size()
    return sorted(counts[counts == counts.max()].index), int(counts.max())


def test_most_open_budgets_commitments_complete_at_end_of_term_is_croatia(store):
    """Issue 24: 'which members have the most open-budgets commitments rated Complete at end of
    term?' The answer from the raw exports is Croatia, 2; the latest rating answers Brazil, 6."""
    frame = recompute.latest()
    budgets = frame[recompute.in_theme(frame, "open-budgets")]
    at_end = budgets[budgets["completion_end"] == "Complete"]
    latest = budgets[budgets["completion_end"].fillna(budgets["completion_midterm"]) == "Complete"]
    assert top_members(at_end) == (["HRV"], 2)
    assert top_members(latest) == (["BRA"], 6)
    for rating, raw in (("end", at_end), (None, latest)):
        f = Filters(theme="open-budgets", completion=("Complete",), rating=rating)
        members = store.query("by_member", **f.params())
        best = members[members["commitments"] == members["commitments"].max()]
        assert (sorted(best["member_code"]), int(best["commitments"].max())) == top_members(raw)


def test_member_plans_count_the_chosen_rating(store):
    """A member's plans table (the members page) counts the chosen rating."""
    frame = recompute.latest()
    mine = frame[frame["code"] == "HRV"]
    for rating in CHOICES:
        plans = store.query("member_plans", snapshot=None, member="HRV", rating=rating)
        level = recompute.rated_completion(mine, rating)
        assert int(plans["completion_assessed"].sum()) == int(level.isin(recompute.ORDERED).sum())
        assert int(plans["high_completion"].sum()) == int(level.isin(recompute.HIGH).sum())


def test_an_unknown_rating_is_the_latest():
    assert Filters(rating="end").params()["rating"] == "end"
    assert Filters(rating="x'; DROP TABLE scales; --").params()["rating"] is None
    assert Filters().params()["rating"] is None


def test_the_measures_words_name_the_levels_the_rules_count():
    """ogp/model/measures.py says in words what ogp/model/scales.py HIGH counts: a change to one without
    the other fails here (the words are literal for the translators)."""
    from ogp.model import measures

    for m, scale in (
        (measures.HIGH_COMPLETION, "completion"),
        (measures.TRANSFORMATIVE, "potential_impact"),
        (measures.SUBSTANTIAL_RESULTS, "potential_for_results"),
        (measures.OPENED_GOVERNMENT, "diog"),
        (measures.EARLY_RESULTS, "early_results"),
    ):
        named = {
            lvl for lvl in scales.levels(scale, with_unordered=True) if re.search(rf"\b{lvl}\b", m.counts_en)
        }
        assert named == set(scales.high(scale)), m.key
