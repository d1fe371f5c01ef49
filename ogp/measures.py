"""Every figure the dashboard shows, defined once: what it counts (numerator), among what
(denominator), on which IRM scale, and the words that label it (pure: no Streamlit, no SQL).

Pages, charts, tooltips, the deck (ogp/deck.py), the member brief (ogp/brief.py), the map and
the Methodology page (/methodology, docs/METHOD.md) take their labels and explanations from
here, so that a label cannot say something other than what is computed. The SQL that computes
a measure is named in `sql` (the query and its column); `condition` is the rule in words a
reader can check against the raw export.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogp import text


@dataclass(frozen=True)
class Measure:
    key: str  # the column holding the numerator in queries/headline.sql (and by_member.sql)
    label: str  # as shown on a tile, a chart, a slide
    counts: str  # what the numerator counts, in words
    denominator: str | None  # the column holding the denominator; None: a plain count
    among: str = ""  # what the denominator counts, in words ("" for a plain count)
    among_short: str = ""  # the same, for a chart axis or a legend ("rated for completion")
    scale: str | None = None  # the IRM scale (ogp/scales.py) the measure reads
    condition: str = ""  # the rule, as a reader checks it against the export
    sql: str = "queries/headline.sql"

    @property
    def is_share(self) -> bool:
        return self.denominator is not None

    @property
    def share_label(self) -> str:
        """`High completion (% of commitments rated for completion)`."""
        return f"{self.label} (% of {self.among_short})" if self.is_share else self.label

    def value(self, row) -> str:
        """The figure as shown: a share ("–" when nothing is in the denominator) or a count."""
        if self.is_share:
            return text.pct(row[self.key], row[self.denominator])
        return f"{int(row[self.key]):,}"

    def detail(self, row) -> str:
        """`193 of 343 commitments rated for completion: substantial or complete`."""
        if not self.is_share:
            return self.counts
        return f"{int(row[self.key]):,} of {int(row[self.denominator]):,} {self.among_short}: {self.short}"

    @property
    def category(self) -> str:
        """A compact chart category: `High completion (% of rated)`, `Starred (% of all)`."""
        return f"{self.label} (% of {'all' if self.denominator == 'commitments' else 'rated'})"

    @property
    def short(self) -> str:
        return SHORT.get(self.key, self.label.lower())

    def alt(self, row, scope: str = "") -> str:
        """One sentence for alt text and tooltips."""
        where = f" {scope}" if scope else ""
        if not self.is_share:
            return f"{self.label}{where}: {int(row[self.key]):,} ({self.counts})."
        return f"{self.label}{where}: {self.value(row)}, {self.detail(row)}."


COMPLETION_RATED = "Not Started, Limited, Substantial or Complete"

COMMITMENTS = Measure(
    "commitments",
    "Commitments",
    "commitments in the selection: in the latest state, each commitment once, as its newest "
    "export has it (matched across exports: see 'The same commitment across exports')",
    None,
)
ACTION_PLANS = Measure(
    "action_plans",
    "Action plans",
    "action plans (member x plan number) with at least one commitment in the selection; plans "
    "known only from the 2016 process database, without commitments, are not counted",
    None,
)
MEMBERS = Measure(
    "members",
    "Members",
    "members (countries and local governments) with at least one commitment in the selection",
    None,
)
HIGH_COMPLETION = Measure(
    "high_completion",
    "High completion",
    "commitments whose completion is Substantial or Complete",
    "completion_assessed",
    among=f"commitments with a completion rating ({COMPLETION_RATED})",
    among_short="commitments rated for completion",
    scale="completion",
    condition="completion = end-of-term rating, else mid-term rating; numerator: Substantial or "
    f"Complete; denominator: {COMPLETION_RATED} (Withdrawn, Unclear and not assessed are left out)",
)
AMBITIOUS = Measure(
    "ambitious",
    "Ambitious",
    "commitments at the top of their ambition scale: Transformative potential impact, or "
    "Substantial potential for results",
    "ambition_assessed",
    among="commitments rated on either ambition scale: potential impact (None < Minor < "
    "Moderate < Transformative, the IRM's rating until 2020) or potential for results "
    "(Unclear < Modest < Substantial, since 2021)",
    among_short="commitments rated for ambition",
    scale="potential_impact or potential_for_results",
    condition="pooled over two scales, so read it with the two measures below: numerator: "
    "potential impact Transformative OR potential for results Substantial; denominator: a "
    "potential impact or a potential for results rating. A 4-level and a 3-level scale are "
    "not the same yardstick: compare exports of one scale with the per-scale measures",
)
TRANSFORMATIVE = Measure(
    "transformative",
    "Transformative potential impact",
    "commitments whose potential impact is Transformative",
    "impact_assessed",
    among="commitments rated for potential impact (None < Minor < Moderate < Transformative)",
    among_short="commitments rated for potential impact",
    scale="potential_impact",
    condition="potential impact = Transformative, among None, Minor, Moderate or Transformative "
    "(the legacy table's 'Unclear' is not a level of this scale: not assessed)",
)
SUBSTANTIAL_RESULTS = Measure(
    "substantial_results",
    "Substantial potential for results",
    "commitments whose potential for results is Substantial",
    "results_assessed",
    among="commitments rated for potential for results (Unclear < Modest < Substantial)",
    among_short="commitments rated for potential for results",
    scale="potential_for_results",
    condition="potential for results = Substantial, among Unclear, Modest or Substantial",
)
STARRED = Measure(
    "starred",
    "Starred",
    "commitments the IRM starred in its most recent assessment (verifiable, relevant, "
    "transformative potential impact and substantial or complete)",
    "commitments",
    among="all commitments in the selection, rated or not",
    among_short="all commitments",
    condition="current export: 'Star - Most Recently Assessed' = 1; legacy table: 'Starred "
    "(current formula) end of term' where it is 0 or 1, else the progress report's",
)
OPENED_GOVERNMENT = Measure(
    "strong_results",
    "Opened government",
    "commitments that opened government Major or Outstanding",
    "diog_assessed",
    among="commitments rated at end of term for 'did it open government' (Worsens < Did Not "
    "Change < Marginal < Major < Outstanding)",
    among_short="commitments rated for opening government",
    scale="diog",
    condition="did it open government (overall) = Major or Outstanding, among any rating",
)
EARLY_RESULTS = Measure(
    "notable_early_results",
    "Notable early results",
    "commitments with Moderate or Significant early results",
    "early_results_assessed",
    among="commitments rated for early results (No notable results < Moderate < Significant, since 2021)",
    among_short="commitments rated for early results",
    scale="early_results",
    condition="early results = Moderate or Significant, among any rating",
)
CHANGED_LEVEL = Measure(
    "changed",
    "Changed level",
    "commitments rated for completion in both snapshots, at different levels (a first rating "
    "after 'Not assessed' is not a move; up and down follow Not Started < Limited < "
    "Substantial < Complete)",
    "commitments",
    among="commitments in both snapshots (matched across exports)",
    among_short="commitments in both snapshots",
    scale="completion",
    condition="earlier level: best known completion in the earlier snapshot; later level: in "
    "the later one; both rated, and different",
    sql="queries/transitions.sql, queries/movers.sql",
)

SHORT = {
    "high_completion": "substantial or complete",
    "ambitious": "transformative impact or substantial results",
    "transformative": "transformative",
    "substantial_results": "substantial",
    "starred": "starred",
    "strong_results": "major or outstanding",
    "notable_early_results": "moderate or significant",
    "changed": "changed level",
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
COMPARED_AXIS = "Measure (each a share of its own denominator: rated, or all commitments)"
