"""IRM rating scales, in order. One place defines them; `ogp.data.store` exposes them to SQL
as the `scales` table (scale, level, rank, high) and charts use the same order and colours."""

from __future__ import annotations

SCALES: dict[str, tuple[str, ...]] = {
    "completion": ("Not Started", "Limited", "Substantial", "Complete"),
    "potential_impact": ("None", "Minor", "Moderate", "Transformative"),
    "potential_for_results": ("Unclear", "Modest", "Substantial"),
    "diog": ("Worsens", "Did Not Change", "Marginal", "Major", "Outstanding"),
    "early_results": ("No notable results", "Moderate", "Significant"),
    "specificity": ("None", "Low", "Medium", "High"),
    "iap2": ("Inform", "Consult", "Involve", "Collaborate", "Empower"),
}
# Levels that are valid answers but sit outside the order.
UNORDERED: dict[str, tuple[str, ...]] = {
    "completion": ("Withdrawn", "Unclear", "No Evidence Available"),
}
# Which scale each commitments column uses.
COLUMN_SCALE = {
    "completion_midterm": "completion",
    "completion_end": "completion",
    "potential_impact": "potential_impact",
    "potential_for_results": "potential_for_results",
    "diog": "diog",
    "early_results": "early_results",
    "specificity": "specificity",
}
# The IRM's rules, written once: on each scale, the levels a measure counts as "high" (the
# numerator of ogp/model/measures.py's shares). The ordered levels of a scale are its rated levels
# (the denominator); on completion the rated levels that are not high are "low" (Not Started or
# Limited: at risk while a plan runs). `ogp.data.store` puts them in the `scales` table (`high`) and
# queries/_setup.sql turns them into the SQL macros every query uses (is_high_completion, ...).
HIGH: dict[str, tuple[str, ...]] = {
    "completion": ("Substantial", "Complete"),
    "potential_impact": ("Transformative",),  # ambitious, with potential for results Substantial
    "potential_for_results": ("Substantial",),
    "diog": ("Major", "Outstanding"),  # opened government
    "early_results": ("Moderate", "Significant"),  # notable early results
}
HIGH_COMPLETION = HIGH["completion"]
LOW_COMPLETION = tuple(lvl for lvl in SCALES["completion"] if lvl not in HIGH_COMPLETION)
AMBITIOUS = HIGH["potential_impact"]

# Colour-blind-safe (Okabe-Ito / viridis-like sequences), one fixed colour per level.
LEVEL_COLOURS: dict[str, dict[str, str]] = {
    "completion": {
        "Not Started": "#D55E00",
        "Limited": "#E69F00",
        "Substantial": "#56B4E9",
        "Complete": "#0072B2",
        "Withdrawn": "#999999",
        "Unclear": "#BBBBBB",
        "No Evidence Available": "#DDDDDD",
    },
    "potential_impact": {
        "None": "#D55E00",
        "Minor": "#E69F00",
        "Moderate": "#56B4E9",
        "Transformative": "#0072B2",
    },
    "potential_for_results": {"Unclear": "#BBBBBB", "Modest": "#56B4E9", "Substantial": "#0072B2"},
    "diog": {
        "Worsens": "#D55E00",
        "Did Not Change": "#E69F00",
        "Marginal": "#F0E442",
        "Major": "#56B4E9",
        "Outstanding": "#0072B2",
    },
    "early_results": {"No notable results": "#E69F00", "Moderate": "#56B4E9", "Significant": "#0072B2"},
    "specificity": {"None": "#D55E00", "Low": "#E69F00", "Medium": "#56B4E9", "High": "#0072B2"},
    "iap2": {
        "Inform": "#D55E00",
        "Consult": "#E69F00",
        "Involve": "#F0E442",
        "Collaborate": "#56B4E9",
        "Empower": "#0072B2",
    },
}


def levels(scale: str, with_unordered: bool = False) -> tuple[str, ...]:
    return SCALES[scale] + (UNORDERED.get(scale, ()) if with_unordered else ())


def high(scale: str) -> tuple[str, ...]:
    """The levels of `scale` that count as high (empty for a scale no measure counts)."""
    return HIGH.get(scale, ())


def scale_rows() -> list[tuple[str, str, int, bool]]:
    """(scale, level, rank, high) rows; unordered levels get rank NULL-like -1."""
    rows = [(s, lvl, i, lvl in high(s)) for s, lv in SCALES.items() for i, lvl in enumerate(lv)]
    rows += [(s, lvl, -1, False) for s, lv in UNORDERED.items() for lvl in lv]
    return rows
