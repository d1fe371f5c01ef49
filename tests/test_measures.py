"""Every measure defined once (ogp/model/measures.py): the queries compute what the definitions say,
and the labels that were wrong say what is counted."""

from __future__ import annotations

import pytest
import recompute

from ogp.app import ui
from ogp.data.store import Store
from ogp.model import measures, themes
from ogp.model.filters import Filters
from ogp.render import deck, method


@pytest.fixture(scope="module")
def store():
    return Store(recompute.ROOT / "data")


def headline(store, **kw):
    return store.query("headline", **Filters(**kw).params()).iloc[0]


def test_every_measure_names_columns_the_headline_has(store):
    h = headline(store)
    for m in measures.ALL:
        if m is measures.CHANGED_LEVEL:
            continue
        assert m.key in h.index, m.key
        assert m.denominator is None or m.denominator in h.index, m.key
        assert m.label and m.counts and (not m.is_share or (m.among and m.among_short)), m.key


def test_ambition_per_scale_and_pooled_against_the_raw_exports(store):
    """The pooled 'Ambitious' is checkable: it is the union of the two per-scale measures."""
    for snapshot, frame in (("2024-07-06", recompute.current()), ("2017-03-30", recompute.legacy())):
        h = headline(store, snapshot=snapshot)
        impact, results = frame.potential_impact, frame.potential_for_results
        assert h.impact_assessed == impact.notna().sum()
        assert h.transformative == (impact == "Transformative").sum()
        assert h.results_assessed == results.notna().sum()
        assert h.substantial_results == (results == "Substantial").sum()
        assert h.ambition_assessed == (impact.notna() | results.notna()).sum()
        assert h.ambitious == ((impact == "Transformative") | (results == "Substantial")).sum()


def test_starred_is_a_share_of_the_commitments_a_star_formula_was_applied_to(store):
    """Not of all commitments: the IRM applied no star formula to 2011-2012 plans nor to plans
    rated since 2021 (the share was 87 of 2,316 'all commitments'; it is 53 of 743)."""
    h = headline(store)
    m = measures.STARRED
    expected = recompute.figures(recompute.latest())
    assert (h.starred, h.star_assessed) == (expected["starred"], expected["star_assessed"]) == (53, 743)
    assert m.denominator == "star_assessed" and m.share_label == (
        "Starred (% of commitments a star formula was applied to)"
    )
    assert m.detail(h) == "53 of 743 commitments a star formula was applied to: starred"
    assert m.value(h) == "7%" and "(% of rated)" in m.category
    # the source columns, written once, are the ones the Methodology shows
    assert method.RAW_COLUMNS["starred"] == (
        measures.STAR_COLUMNS["current"],
        measures.STAR_COLUMNS["legacy"],
    )
    doc = method.document(method.facts(store))
    for column in (*measures.STAR_COLUMNS["current"], *measures.STAR_COLUMNS["legacy"]):
        assert column in doc


def test_comparison_charts_name_no_single_denominator(store):
    """Rated shares and the Starred share (of all commitments) share one axis: its title must not
    claim one denominator ("share of assessed"), and each bar's tick says its own."""
    theme = themes.load_themes()[0]
    rows = ui.member_vs_all(headline(store, theme=theme.slug), headline(store), theme.short)
    chart = deck.theme_chart(rows, theme)
    axis = chart.fig.layout.xaxis.title.text
    assert axis == measures.COMPARED_AXIS and "assessed" not in axis.lower()
    ticks = chart.fig.layout.xaxis.ticktext
    assert len(ticks) == len(measures.COMPARED) and all(
        "(% of rated" in t for t in ticks
    )  # high completion adds its rating


def test_deck_title_slide_says_what_each_figure_counts(store):
    h = headline(store)
    figures = {f.label: f for f in deck.headline_figures(h)}
    assert figures["Ambitious"].note == measures.AMBITIOUS.detail(h)
    assert "transformative impact or substantial results" in figures["Ambitious"].note
    assert "co-created" not in " ".join(f.note for f in figures.values())  # nothing computes it
    assert figures[measures.HIGH_COMPLETION.label].note == measures.HIGH_COMPLETION.detail(h)


@pytest.mark.parametrize("snapshot", [None, "2017-03-30", "2024-07-06"])
@pytest.mark.parametrize("member", ["BRA", "HRV", "GBR"])
def test_member_plans_follow_the_chosen_snapshot(store, snapshot, member):
    """Brazil as of 2017-03-30 showed 4 plans on its timeline and 2 on its tile."""
    plans = store.query("member_plans", snapshot=snapshot, member=member, rating=None)
    assert len(plans) == headline(store, snapshot=snapshot, members=(member,)).action_plans
    assert plans.n_commitments.sum() == headline(store, snapshot=snapshot, members=(member,)).commitments


def test_sources_line_counts_plans_as_the_tile_does(store):
    plans = store.query("snapshot_plans").set_index("snapshot")
    legacy = recompute.figures(recompute.legacy())
    assert plans.loc["2017-03-30", "with_commitments"] == legacy["action_plans"]
    assert plans.loc["2017-03-30", "with_commitments"] == headline(store, snapshot="2017-03-30").action_plans
    assert plans.loc["2017-03-30", "process_only"] > 0  # plans known only from the process database
    assert (
        plans.loc["2024-07-06", "with_commitments"] == recompute.figures(recompute.current())["action_plans"]
    )
