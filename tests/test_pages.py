"""Every page with AppTest, including URL parameters, empty results and hostile input."""

from __future__ import annotations

import pytest
import recompute
from pagetest import assert_clean, default_theme_slugs, run_page, sweep

from ogp.model import measures, registry, text
from ogp.model.themes import load_themes

CORE = [p.file for p in registry.PAGES if p.filter_bar is not None]  # the pages with the filter bar
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


def snapshot_dates() -> list[str]:
    """The bundled snapshots, read off the folder (not through the store)."""
    from pagetest import ROOT

    return sorted(
        p.name for p in (ROOT / "data" / "snapshots").iterdir() if p.is_dir() and p.name[0].isdigit()
    )


@pytest.mark.parametrize("page", CORE)
def test_core_page_renders(page):
    at = run_page(page)
    assert_clean(at)
    assert at.title, page
    shown = texts(at).replace("\\-", "-")  # Markdown escapes the dates' hyphens
    assert "snapshot" in shown  # every page says where its numbers come from
    dates = snapshot_dates()
    assert len(dates) >= 2 and all(d in shown for d in dates), (page, dates)  # and names which ones
    assert at.get("plotly_chart") or at.dataframe, f"{page}: neither a chart nor a table"  # its content


def test_overview_headline_figures():
    at = run_page("pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    expected = recompute.figures(recompute.latest())  # independent (tests/recompute.py)
    assert metrics["Commitments"] == f"{expected['commitments']:,}"
    assert metrics["Members"] == f"{expected['members']:,}"
    assert metrics["Action plans"] == f"{expected['action_plans']:,}"


def starred_tile(at, h: dict) -> str:
    """The Starred figure of a page: labelled with what it counts, its value the share of the
    commitments a star formula was applied to, its help the counts (h: tests/recompute.py)."""
    m = measures.STARRED
    tile = next(x for x in at.metric if x.label == m.share_label)
    assert m.share_label == "Starred (% of commitments a star formula was applied to)"
    assert tile.value == text.pct(h["starred"], h["star_assessed"])
    assert tile.help.startswith(
        f"{h['starred']:,} of {h['star_assessed']:,} commitments a star formula was applied to"
    )
    return tile.value


def test_overview_starred_is_the_irm_star_share():
    """87 'starred' (of all 2,316) was shown; the raw exports support 53 of the 743 commitments
    the IRM applied its star formula to."""
    at = run_page("pages/overview.py")
    h = recompute.figures(recompute.latest())
    assert (h["starred"], h["star_assessed"]) == (53, 743)
    assert starred_tile(at, h) == "7%"
    at = run_page("pages/overview.py", snapshot="2024-07-06")
    h = recompute.figures(recompute.current())
    assert (h["starred"], h["star_assessed"]) == (36, 235)
    assert starred_tile(at, h) == "15%"


@pytest.mark.parametrize("code", ["HRV", "ESP"])
def test_member_page_starred(code):
    at = run_page("pages/members.py", member=code)
    assert_clean(at)
    latest = recompute.latest()
    starred_tile(at, recompute.figures(latest[latest.code == code]))


@pytest.mark.parametrize("slug", ["right-to-information", "open-parliaments"])
def test_theme_page_starred(slug):
    at = run_page(slug)
    assert_clean(at)
    latest = recompute.latest()
    starred_tile(at, recompute.figures(latest[recompute.in_theme(latest, slug)]))


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
    assert {m.label for m in at.metric} >= {"Action plans", "Commitments", "High completion (latest rating)"}


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


HOSTILE_TARGETS = [
    ("pages/commitments.py", "q"),
    ("pages/commitments.py", "id"),
    ("pages/members.py", "member"),
    ("pages/overview.py", "snapshot"),
    ("pages/overview.py", "rating"),
    ("pages/progress.py", "from"),
]
# Every value and every parameter in the default run (value i on parameter i mod 6, and both SQL
# injections on the search box); the full cross product (36 page runs) with --slow.
HOSTILE_CASES = [(page, param, value) for value in HOSTILE for page, param in HOSTILE_TARGETS]


def hostile_default(case) -> bool:
    page, param, value = case
    on_its_own = HOSTILE_TARGETS.index((page, param)) == HOSTILE.index(value) % len(HOSTILE_TARGETS)
    return on_its_own or (param == "q" and "'" in value)


@pytest.mark.parametrize("page,param,value", sweep(HOSTILE_CASES, hostile_default))
def test_hostile_url_parameters(page, param, value):
    at = run_page(page, **{param: value})
    assert_clean(at)
    assert at.title
    # Text from the URL is shown, if at all, as text: no markup element carries it raw.
    for md in at.markdown:
        assert "<script>" not in md.value


@pytest.mark.parametrize("slug", sweep([t.slug for t in load_themes()], lambda s: s in default_theme_slugs()))
def test_theme_page_renders(slug):
    at = run_page(slug)
    assert_clean(at)
    theme = next(t for t in load_themes() if t.slug == slug)
    assert at.title[0].value == theme.short
    # its figures are the theme's, recomputed from the raw exports (tests/recompute.py)
    latest = recompute.latest()
    mine = latest[recompute.in_theme(latest, slug)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Commitments"] == f"{len(mine):,}"
    assert metrics["Members"] == f"{mine.code.nunique():,}"
    assert len(at.get("plotly_chart")) >= 2, "a theme page shows its charts"


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


def test_map_starred_measure_counts_irm_stars_and_leaves_unrated_members_blank():
    """`/map?measure=starred`: each member's IRM stars (tests/recompute.py); a member the IRM
    applied no star formula to has no data (grey), not 0."""
    from ogp.app import ui
    from ogp.model.filters import Filters

    chart = ui.world_map(Filters(), "starred")
    got = chart.data.set_index("member_code")["starred"]
    latest = recompute.latest()
    for code, rows in latest.groupby("code"):
        h = recompute.figures(rows)
        code = chart.data.loc[
            chart.data.member_name.eq(code) | chart.data.member_code.eq(code), "member_code"
        ]
        assert len(code) == 1
        value = got[code.iloc[0]]
        assert (value == h["starred"]) if h["star_assessed"] else value != value, code.iloc[0]
    assert got.sum() == 53 and "where a star formula was applied" in ui.measure_label("starred")
    assert "starred commitments (where a star formula was applied)" in chart.alt


def test_completion_rating_changes_the_members_answer():
    """Issue 24: 'which members have the most open-budgets commitments rated Complete at end of
    term?' The members list answers Croatia 2 with the end-of-term rating (Brazil 6 with the
    latest), as the raw exports do; its high-completion column says which rating it reads."""
    frame = recompute.latest()
    budgets = frame[recompute.in_theme(frame, "open-budgets")]
    for rating, shown in (("end", "End of term"), (None, "Latest rating (end of term, else mid-term)")):
        query = {"theme": "open-budgets", "completion": "Complete", **({"rating": rating} if rating else {})}
        at = run_page("pages/members.py", **query)
        assert_clean(at)
        box = at.sidebar.selectbox(key="rating-choice")
        assert box.format_func(box.value) == shown
        table = at.dataframe[0].value
        counts = budgets[recompute.rated_completion(budgets, rating) == "Complete"].groupby("code").size()
        assert int(table["commitments"].sum()) == int(counts.sum())
        top = table[table["commitments"] == table["commitments"].max()]
        assert sorted(top["member_code"]) == sorted(counts[counts == counts.max()].index)
        assert int(top["commitments"].iloc[0]) == int(counts.max())
    assert (sorted(top["member_code"]), int(top["commitments"].iloc[0])) == (["BRA"], 6)  # the latest
    at = run_page("pages/members.py", theme="open-budgets", completion="Complete", rating="end")
    assert at.dataframe[0].value.nlargest(1, "commitments")["member_code"].tolist() == ["HRV"]


@pytest.mark.parametrize(
    "rating, note", [(None, "latest rating"), ("end", "end-of-term rating"), ("midterm", "mid-term rating")]
)
def test_completion_figures_say_which_rating_and_follow_it(rating, note):
    """The overview's high-completion figure names the rating it reads and equals the raw
    exports' share for that rating; the theme page's figure too."""
    query = {"rating": rating} if rating else {}
    at = run_page("pages/overview.py", **query)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    label = f"High completion ({note})"
    level = recompute.rated_completion(recompute.latest(), rating)
    rated, high = int(level.isin(recompute.ORDERED).sum()), int(level.isin(recompute.HIGH).sum())
    assert metrics[label] == text.pct(high, rated)
    theme = run_page("open-budgets", **query)
    assert_clean(theme)
    assert label in {m.label for m in theme.metric}


def test_completion_rating_changes_the_theme_page():
    """Complete at end of term is a fifth of Complete by the latest rating in open budgets."""
    frame = recompute.latest()
    budgets = frame[recompute.in_theme(frame, "open-budgets")]
    shown = {}
    for rating in (None, "end", "midterm"):
        query = {"completion": "Complete", **({"rating": rating} if rating else {})}
        at = run_page("open-budgets", **query)
        assert_clean(at)
        shown[rating] = {m.label: m.value for m in at.metric}["Commitments"]
        assert shown[rating] == f"{int((recompute.rated_completion(budgets, rating) == 'Complete').sum()):,}"
    assert len(set(shown.values())) == 3  # 61, 12, 52: each choice its own figure
