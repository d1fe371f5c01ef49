"""ogp.model.text: the one way shares, plurals and labels are written."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ogp.model import text


@pytest.mark.parametrize(
    "part, whole, shown",
    [
        (1, 3, "33%"),
        (2, 3, "67%"),
        (0, 10, "0%"),  # none
        (10, 10, "100%"),  # all
        (11, 2334, "<1%"),  # some, though it rounds to 0
        (2323, 2334, ">99%"),  # not all, though it rounds to 100
        (5, 1000, "1%"),  # 0.5% rounds half up to 1%: not "<1%", never "0%"
        (25, 1000, "3%"),
        (1, 0, "–"),  # nothing to take a share of
        (0, 0, "–"),
        (None, 10, "–"),
        (3, None, "–"),
        (3, math.nan, "–"),
        (3, pd.NA, "–"),
    ],
)
def test_pct_rule(part, whole, shown):
    assert text.pct(part, whole) == shown


def test_plurals_and_kinds():
    assert text.plural(1, "commitment") == "1 commitment"
    assert text.plural(2334, "commitment") == "2,334 commitments"
    assert text.plural(0, "snapshot") == "0 snapshots"
    assert text.plural(2, "policy", "policies") == "2 policies"
    assert text.member_kind("local") == "Local member" and text.member_kind("national") == "National member"
    assert text.kind_label(None) == "National"


def test_missing_ratings_read_not_assessed_and_a_real_none_stays():
    frame = pd.DataFrame({"potential_impact": ["None", None, "Minor"], "n": [1, 2, 3]})
    shown = text.not_assessed(frame, ("potential_impact", "absent"))
    assert shown["potential_impact"].tolist() == ["None", text.NOT_ASSESSED, "Minor"]
    assert frame["potential_impact"].isna().sum() == 1  # the input is left as it was


def test_pct_in_the_languages_of_the_dashboard():
    assert text.pct(1, 3, "fr").replace("\u202f", " ").replace("\xa0", " ") == "33 %"
    assert text.pct(11, 2334, "es").startswith("<1")
