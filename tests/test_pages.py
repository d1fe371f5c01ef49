"""Every page with AppTest, including URL parameters, empty results and hostile input."""

from __future__ import annotations

import pytest
import recompute
from pagetest import assert_clean, run_page

from ogp import text
from ogp.themes import load_themes

CORE = [
    "pages/overview.py",
    "pages/map.py",
    "pages/members.py",
    "pages/commitments.py",
    "pages/progress.py",
]
HOSTILE = [
    "'; DROP TABLE commitments_all; --",
    "<script>alert('x')</script>",
    "a\x00b",
    "x" * 5000,
    "../../../etc/passwd",
    "%' OR 1=1 --",
]


def texts(at) -> str:
    parts = [
        e.value
        for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", CORE)
def test_core_page_renders(page):
    at = run_page(page)
    assert_clean(at)
    assert at.title, page
    assert "snapshot" in texts(at)  # every page says where its numbers come from


def test_overview_headline_figures():
    at = run_page("pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    expected = recompute.figures(recompute.latest())  # independent (tests/recompute.py)
    assert metrics["Commitments"] == f"{expected['commitments']:,}"
    assert metrics["Members"] == f"{expected['members']:,}"
    assert metrics["Action plans"] == f"{expected['action_plans']:,}"


def test_snapshot_in_url_changes_the_numbers():
    at = run_page("pages/overview.py", snapshot="2024-07-06")
    assert {m.label: m.value for m in at.metric}["Commitments"] == "558"
    assert "snapshot of 2024-07-06" in texts(at)


def test_filters_from_url_are_applied():
    at = run_page("pages/overview.py", region="Americas", kind="national")
    assert_clean(at)
    n = int({m.label: m.value for m in at.metric}["Commitments"].replace(",", ""))
    assert 0 < n < len(recompute.latest())
    assert at.sidebar.multiselect(key="region-choice").value == ["Americas"]


def test_member_profile():
    at = run_page("pages/members.py", member="GBR")
    assert_clean(at)
    assert at.title[0].value == "United Kingdom"
    assert {m.label for m in at.metric} >= {"Action plans", "Commitments", "High completion"}


def test_unknown_member_code_is_a_friendly_message():
    at = run_page("pages/members.py", member="ZZZ")
    assert_clean(at)
    assert "No member with the code" in texts(at)


def test_commitment_detail_by_key_and_by_ogp_id():
    at = run_page("pages/commitments.py", id="GBR-2-5")
    assert_clean(at)
    assert "digital records" in at.title[0].value
    at = run_page("pages/commitments.py", id="AL0002")
    assert_clean(at)
    assert at.title[0].value == "e-Acts"


def test_search_from_url():
    at = run_page("pages/commitments.py", q="lobbying")
    assert_clean(at)
    assert "match “lobbying”" in texts(at).replace("commitments match", "match")


def test_filter_that_matches_nothing():
    at = run_page("pages/commitments.py", q="zzzz-no-such-commitment-zzzz")
    assert_clean(at)
    assert "No commitment matches" in texts(at)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    "page,param",
    [
        ("pages/commitments.py", "q"),
        ("pages/commitments.py", "id"),
        ("pages/members.py", "member"),
        ("pages/overview.py", "snapshot"),
        ("pages/progress.py", "from"),
    ],
)
def test_hostile_url_parameters(page, param, value):
    at = run_page(page, **{param: value})
    assert_clean(at)
    assert at.title
    # Text from the URL is shown, if at all, as text: no markup element carries it raw.
    for md in at.markdown:
        assert "<script>" not in md.value


@pytest.mark.parametrize("slug", [t.slug for t in load_themes()])
def test_theme_page_renders(slug):
    at = run_page(slug)
    assert_clean(at)
    theme = next(t for t in load_themes() if t.slug == slug)
    assert at.title[0].value == theme.short


def test_damaged_snapshot_shows_a_banner_and_the_rest_works(tmp_path, monkeypatch):
    import shutil

    from pagetest import ROOT

    shutil.copytree(ROOT / "data" / "snapshots", tmp_path / "snapshots")
    damaged = tmp_path / "snapshots" / "2024-07-06" / "members.parquet"
    damaged.write_bytes(b"PAR1 this is not a parquet file")
    monkeypatch.setenv("OGP_DATA_DIR", str(tmp_path))
    at = run_page("pages/overview.py")
    assert_clean(at)
    assert any("2024-07-06" in w.value and "members.parquet" in w.value for w in at.warning)
    assert {m.label: m.value for m in at.metric}["Commitments"] == "1,927"


def test_no_snapshots_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("OGP_DATA_DIR", str(tmp_path))
    at = run_page("pages/overview.py")
    assert_clean(at)
    assert any("no readable snapshot" in e.value.lower() for e in at.error)
    # Staff read it: no command line, no flag (issue 27 item 12).
    assert not any("python -m" in e.value or "`" in e.value for e in at.error)


def test_progress_counts_the_commitments_that_moved():
    # Independent count (tests/recompute.py): pairs rated in both exports at different levels.
    import recompute

    changed = len(recompute.movers())
    at = run_page("pages/progress.py")
    assert_clean(at)
    assert f"**{changed:,}** commitments rated in both snapshots changed level" in texts(at)


def test_missing_ratings_read_not_assessed_in_tables():
    """A missing potential impact must not read "None", which is a real level (ISR has both)."""
    at = run_page("pages/members.py", member="ISR")
    assert_clean(at)
    table = at.dataframe[-1].value  # the member's commitments
    impact = table["potential_impact"].tolist()
    assert impact.count(text.NOT_ASSESSED) == 2 and impact.count("None") == 1
    assert table["completion"].notna().all() and text.NOT_ASSESSED in table["completion"].tolist()


def test_member_profile_themes_and_co_creation_match_the_raw_exports():
    """A member's commitments per theme (the chart's bars) equal an independent count from
    the raw exports; its co-creation table has a row for each action plan with a process
    assessment, steps read "n of 6"."""
    import base64
    import json

    import numpy as np

    def values(v):  # plotly sends numbers as typed arrays: {"dtype": "i2", "bdata": base64}
        return np.frombuffer(base64.b64decode(v["bdata"]), v["dtype"]).tolist() if isinstance(v, dict) else v

    at = run_page("pages/members.py", member="BRA")
    assert_clean(at)
    names = {t.short: t.slug for t in load_themes()}
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = next(f for f in figures if "by theme" in f["layout"]["title"]["text"])["data"][0]
    shown = {names[t]: n for t, n in zip(values(bars["y"]), values(bars["x"]))}
    latest = recompute.latest()
    expected = recompute.theme_counts(latest[latest.code == "BRA"])
    assert shown == {slug: n for slug, n in expected.items() if n}
    assert "Co-creation process" in [s.value for s in at.subheader]
    process = at.dataframe[0].value
    assert len(process) == 2 and process["steps_followed"].str.fullmatch(r"(\d of 6|–)").all()
