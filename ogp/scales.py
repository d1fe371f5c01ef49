"""IRM rating scales, in order. One place defines them; `ogp.store` exposes them to SQL
as the `scales` table (scale, level, rank) and charts use the same order and colours."""

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
HIGH_COMPLETION = ("Substantial", "Complete")
AMBITIOUS = ("Transformative",)  # potential impact; potential for results: Substantial

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


def scale_rows() -> list[tuple[str, str, int]]:
    """(scale, level, rank) rows; unordered levels get rank NULL-like -1."""
    rows = [(s, lvl, i) for s, lv in SCALES.items() for i, lvl in enumerate(lv)]
    rows += [(s, lvl, -1) for s, lv in UNORDERED.items() for lvl in lv]
    return rows
