"""Every figure the dashboard shows, defined once: what it counts (numerator), among what
(denominator), on which IRM scale, and the words that label it (pure: no Streamlit, no SQL).

Pages, charts, tooltips, the deck (ogp/render/deck.py), the member brief (ogp/render/brief.py), the map and
the Methodology page (/methodology, docs/METHOD.md) take their labels and explanations from
here, so that a label cannot say something other than what is computed. The SQL that computes
a measure is named in `sql` (the query and its column); `condition` is the rule in words a
reader can check against the raw export.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogp.model import i18n, text
from ogp.model.i18n import N_, _


@dataclass(frozen=True)
class Measure:
    """The words are written in English (marked N_ for the catalogs) and read through the
    properties below, in the reader's language (ogp/model/i18n.py)."""

    key: str  # the column holding the numerator in queries/headline.sql (and by_member.sql)
    label_en: str  # as shown on a tile, a chart, a slide
    counts_en: str  # what the numerator counts, in words
    denominator: str | None  # the column holding the denominator; None: a plain count
    among_en: str = ""  # what the denominator counts, in words ("" for a plain count)
    among_short_en: str = ""  # the same, for a chart axis or a legend ("rated for completion")
    scale: str | None = None  # the IRM scale (ogp/model/scales.py) the measure reads
    condition_en: str = ""  # the rule, as a reader checks it against the export
    sql: str = "queries/headline.sql"

    @property
    def label(self) -> str:
        return _(self.label_en)

    @property
    def counts(self) -> str:
        return _(self.counts_en)

    @property
    def among(self) -> str:
        return _(self.among_en) if self.among_en else ""

    @property
    def among_short(self) -> str:
        return _(self.among_short_en) if self.among_short_en else ""

    @property
    def condition(self) -> str:
        return _(self.condition_en) if self.condition_en else ""

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    @property
    def share_label(self) -> str:
        """`High completion (% of commitments rated for completion)`."""
        if not self.is_share:
            return self.label
        return _("{label} (% of {among})").format(label=self.label, among=self.among_short)

    def value(self, row) -> str:
        """The figure as shown: a share ("–" when nothing is in the denominator) or a count."""
        if self.is_share:
            return text.pct(row[self.key], row[self.denominator])
        return i18n.number(int(row[self.key]))

    def detail(self, row, rating: str | None = None) -> str:
        """`193 of 343 commitments rated for completion (latest rating): substantial or
        complete`; a measure that reads completion says which rating (`rating`, ogp/model/filters.py:
        None the latest, as the deck and the brief always read)."""
        if not self.is_share:
            return self.counts
        among = rated(self.among_short, rating) if self.reads_completion else self.among_short
        return _("{part} of {whole} {among}: {short}").format(
            part=i18n.number(int(row[self.key])),
            whole=i18n.number(int(row[self.denominator])),
            among=among,
            short=self.short,
        )

    @property
    def category(self) -> str:
        """A compact chart category: `High completion (% of rated)`, `Changed level (% of all)`."""
        if self.denominator == "commitments":
            return _("{label} (% of all)").format(label=self.label)
        return _("{label} (% of rated)").format(label=self.label)

    # The same words, saying which completion rating the figure reads (ogp/model/filters.py
    # Filters.rating) when the measure reads completion; other measures as above.
    @property
    def reads_completion(self) -> bool:
        return self.scale == "completion"

    def rated_label(self, rating: str | None) -> str:
        """`High completion (end-of-term rating)`."""
        return rated(self.label, rating) if self.reads_completion else self.label

    def rated_share_label(self, rating: str | None) -> str:
        """`High completion (% of commitments rated for completion, end-of-term rating)`."""
        if not (self.is_share and self.reads_completion):
            return self.share_label
        return _("{label} (% of {among}, {rating})").format(
            label=self.label, among=self.among_short, rating=rating_note(rating)
        )

    def rated_category(self, rating: str | None) -> str:
        """`High completion (% of rated, end-of-term rating)`."""
        if not self.reads_completion:
            return self.category
        return _("{label} (% of rated, {rating})").format(label=self.label, rating=rating_note(rating))

    @property
    def short(self) -> str:
        return _(SHORT[self.key]) if self.key in SHORT else self.label.lower()

    def alt(self, row, scope: str = "") -> str:
        """One sentence for alt text and tooltips."""
        where = f" {scope}" if scope else ""
        if not self.is_share:
            return _("{label}{where}: {value} ({counts}).").format(
                label=self.label, where=where, value=i18n.number(int(row[self.key])), counts=self.counts
            )
        return _("{label}{where}: {value}, {detail}.").format(
            label=self.label, where=where, value=self.value(row), detail=self.detail(row)
        )


COMMITMENTS = Measure(
    "commitments",
    N_("Commitments"),
    N_(
        "commitments in the selection: in the latest state, each commitment once, as its newest "
        "export has it (matched across exports: see 'The same commitment across exports')"
    ),
    None,
)
ACTION_PLANS = Measure(
    "action_plans",
    N_("Action plans"),
    N_(
        "action plans (member x plan number) with at least one commitment in the selection; plans "
        "known only from the 2016 process database, without commitments, are not counted"
    ),
    None,
)
MEMBERS = Measure(
    "members",
    N_("Members"),
    N_("members (countries and local governments) with at least one commitment in the selection"),
    None,
)
HIGH_COMPLETION = Measure(
    "high_completion",
    N_("High completion"),
    N_("commitments whose completion is Substantial or Complete"),
    "completion_assessed",
    among_en=N_("commitments with a completion rating (Not Started, Limited, Substantial or Complete)"),
    among_short_en=N_("commitments rated for completion"),
    scale="completion",
    condition_en=N_(
        "completion = the rating chosen under 'Completion rating': the latest (end-of-term "
        "rating, else mid-term rating; the default), the end-of-term rating only, or the mid-term "
        "rating only; numerator: Substantial or Complete; denominator: Not Started, Limited, "
        "Substantial or Complete (Withdrawn, Unclear and not assessed are left out)"
    ),
)
AMBITIOUS = Measure(
    "ambitious",
    N_("Ambitious"),
    N_(
        "commitments at the top of their ambition scale: Transformative potential impact, or "
        "Substantial potential for results"
    ),
    "ambition_assessed",
    among_en=N_(
        "commitments rated on either ambition scale: potential impact (None < Minor < "
        "Moderate < Transformative, the IRM's rating until 2020) or potential for results "
        "(Unclear < Modest < Substantial, since 2021)"
    ),
    among_short_en=N_("commitments rated for ambition"),
    scale="potential_impact or potential_for_results",
    condition_en=N_(
        "pooled over two scales, so read it with the two measures below: numerator: "
        "potential impact Transformative OR potential for results Substantial; denominator: a "
        "potential impact or a potential for results rating. A 4-level and a 3-level scale are "
        "not the same yardstick: compare exports of one scale with the per-scale measures"
    ),
)
TRANSFORMATIVE = Measure(
    "transformative",
    N_("Transformative potential impact"),
    N_("commitments whose potential impact is Transformative"),
    "impact_assessed",
    among_en=N_("commitments rated for potential impact (None < Minor < Moderate < Transformative)"),
    among_short_en=N_("commitments rated for potential impact"),
    scale="potential_impact",
    condition_en=N_(
        "potential impact = Transformative, among None, Minor, Moderate or Transformative "
        "(the legacy table's 'Unclear' is not a level of this scale: not assessed)"
    ),
)
SUBSTANTIAL_RESULTS = Measure(
    "substantial_results",
    N_("Substantial potential for results"),
    N_("commitments whose potential for results is Substantial"),
    "results_assessed",
    among_en=N_("commitments rated for potential for results (Unclear < Modest < Substantial)"),
    among_short_en=N_("commitments rated for potential for results"),
    scale="potential_for_results",
    condition_en=N_("potential for results = Substantial, among Unclear, Modest or Substantial"),
)
# The IRM's star formula, per layout of the importer (data/layouts.toml): its columns, the most
# recent report first. A commitment's star is the first of them that holds 0 or 1; where none
# does (ND: the formula was not applied, NR, NA) it has no star rating (`starred` NULL) and is
# left out of the starred share. The "current formula" is the IRM's published star: verifiable
# (specific enough to judge), relevant to an OGP value, Transformative potential impact,
# Substantial or Complete completion. The legacy table's other formulas are not used: "Starred
# (2015 only)" and "Starred (pre-June 2014 assessments)" also star Moderate potential impact (and
# the pre-2014 one any specificity), a lower bar than the current formula's, so their stars are
# not the same figure. The current export's "Star - Most Recently Assessed" is no star at all: it
# is 1 for every commitment submitted in 2015-2016 (docs/METHOD.md).
STAR_COLUMNS = {
    "current": ("Starred (Current Formula) End of Term", "Starred (Current Formula) Progress Report"),
    "legacy": ("Starred (current formula) end of term", "Starred (current formula) progress report"),
}
STAR_NOT_USED = {
    "current": ("Star - Most Recently Assessed", "Starred (2015 Only)", "Max star"),
    "legacy": ("Starred (2015 only)", "Starred (pre-June 2014 assessments)"),
}
STARRED = Measure(
    "starred",
    N_("Starred"),
    N_(
        "commitments the IRM starred with its current star formula: verifiable, relevant to an "
        "OGP value, Transformative potential impact, and Substantial or Complete completion"
    ),
    "star_assessed",
    among_en=N_(
        "commitments the IRM applied its current star formula to (at end of term, else in the "
        "progress report); commitments it did not apply it to, such as every 2011-2012 plan of "
        "the legacy table and the plans rated since 2021, are left out"
    ),
    among_short_en=N_("commitments a star formula was applied to"),
    condition_en=N_(
        "the IRM's 'Starred (Current Formula)' column, end of term where it holds 0 or 1, else "
        "the progress report's; neither (ND: formula not applied): not in the denominator. The "
        "legacy table's 2015-only and pre-June-2014 formulas also star Moderate potential "
        "impact, a lower bar, and are not used; nor is the current export's 'Star - Most "
        "Recently Assessed', which is 1 for every commitment submitted in 2015-2016"
    ),
)
OPENED_GOVERNMENT = Measure(
    "strong_results",
    N_("Opened government"),
    N_("commitments that opened government Major or Outstanding"),
    "diog_assessed",
    among_en=N_(
        "commitments rated at end of term for 'did it open government' (Worsens < Did Not "
        "Change < Marginal < Major < Outstanding)"
    ),
    among_short_en=N_("commitments rated for opening government"),
    scale="diog",
    condition_en=N_("did it open government (overall) = Major or Outstanding, among any rating"),
)
EARLY_RESULTS = Measure(
    "notable_early_results",
    N_("Notable early results"),
    N_("commitments with Moderate or Significant early results"),
    "early_results_assessed",
    among_en=N_(
        "commitments rated for early results (No notable results < Moderate < Significant, since 2021)"
    ),
    among_short_en=N_("commitments rated for early results"),
    scale="early_results",
    condition_en=N_("early results = Moderate or Significant, among any rating"),
)
CHANGED_LEVEL = Measure(
    "changed",
    N_("Changed level"),
    N_(
        "commitments rated for completion in both snapshots, at different levels (a first rating "
        "after 'Not assessed' is not a move; up and down follow Not Started < Limited < "
        "Substantial < Complete)"
    ),
    "commitments",
    among_en=N_("commitments in both snapshots (matched across exports)"),
    among_short_en=N_("commitments in both snapshots"),
    scale="completion",
    condition_en=N_(
        "earlier level: best known completion in the earlier snapshot; later level: in "
        "the later one; both rated, and different"
    ),
    sql="queries/transitions.sql, queries/movers.sql",
)

# The completion rating a figure reads (ogp/model/filters.py Filters.rating, the filter bar's
# "Completion rating"; queries/_setup.sql completion_rating): None is the latest rating.
# RATING_NAMES name the choice; RATING_NOTES say it after a title or a label.
RATING_NAMES = {
    None: N_("Latest rating (end of term, else mid-term)"),
    "end": N_("End of term"),
    "midterm": N_("Mid-term"),
}
RATING_NOTES = {
    None: N_("latest rating"),
    "end": N_("end-of-term rating"),
    "midterm": N_("mid-term rating"),
}


def rating_name(rating: str | None) -> str:
    """The choice's name in the reader's language (an unknown code: the latest rating)."""
    return _(RATING_NAMES.get(rating, RATING_NAMES[None]))


def rating_note(rating: str | None) -> str:
    """`end-of-term rating`: which completion rating a figure shows, in the reader's language."""
    return _(RATING_NOTES.get(rating, RATING_NOTES[None]))


def rated(title: str, rating: str | None) -> str:
    """A completion chart's or figure's title that says which rating it shows:
    `Completion by year of submission (end-of-term rating)`."""
    return _("{title} ({rating})").format(title=title, rating=rating_note(rating))


SHORT = {
    "high_completion": N_("substantial or complete"),
    "ambitious": N_("transformative impact or substantial results"),
    "transformative": N_("transformative"),
    "substantial_results": N_("substantial"),
    "starred": N_("starred"),
    "strong_results": N_("major or outstanding"),
    "notable_early_results": N_("moderate or significant"),
    "changed": N_("changed level"),
}

ALL = (
    MEMBERS,
    ACTION_PLANS,
    COMMITMENTS,
    HIGH_COMPLETION,
    AMBITIOUS,
    TRANSFORMATIVE,
    SUBSTANTIAL_RESULTS,
    STARRED,
    OPENED_GOVERNMENT,
    EARLY_RESULTS,
    CHANGED_LEVEL,
)
BY_KEY = {m.key: m for m in ALL}
# The shares compared between a member (or theme) and all members: pages, deck, brief.
COMPARED = (HIGH_COMPLETION, AMBITIOUS, OPENED_GOVERNMENT, STARRED)
# short enough for a 1280 px slide; the ticks say which denominator: "(% of rated)", "(% of all)"
COMPARED_AXIS = N_("Measure (each bar a share of its own denominator)")
