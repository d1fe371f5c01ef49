"""The rough edges of issue 17, each as the complaint a user made (AppTest and pure functions;
the browser ones are in tests/browser/test_screens.py and test_deep_links.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from pagetest import assert_clean, run_page

from ogp.model.themes import load_themes
from ogp.render import charts

ANTI = next(t for t in load_themes() if t.slug == "anti-corruption")


def qp(at, key: str) -> list[str]:
    """A URL parameter's values as AppTest holds them (a string, or a list when repeated)."""
    value = at.query_params.get(key)
    return [value] if isinstance(value, str) else list(value or [])


def count_line(at) -> str:
    return next(m.value for m in at.markdown if "commitments match" in m.value)


# 1. "Explore all N anti-corruption commitments" showed all commitments ---------------------------
def test_theme_slug_in_the_url_filters_the_list():
    everything = run_page("pages/commitments.py")
    at = run_page("pages/commitments.py", theme=ANTI.slug)
    assert_clean(at)
    assert at.sidebar.selectbox(key="theme-choice").value == ANTI.slug
    theme_total = run_page(ANTI.slug).metric[0].value  # the theme page's "Commitments" figure
    assert f"**{theme_total}** commitments match" in count_line(at)
    assert count_line(at) != count_line(everything)
    assert qp(at, "theme") == [ANTI.slug]  # the slug stays in the URL, not a name


def test_a_theme_has_one_name_in_menu_filter_and_detail():
    at = run_page("pages/commitments.py", theme=ANTI.slug)
    shown = at.sidebar.selectbox(key="theme-choice")
    assert shown.format_func(ANTI.slug) == ANTI.short  # the filter says what the menu says
    detail = run_page("pages/commitments.py", id="AL0002")  # a commitment with themes
    themes_line = next(m.value for m in detail.markdown if m.value.startswith("**Themes:**"))
    slugs = {t.slug for t in load_themes()}
    assert not any(s in themes_line for s in slugs if "-" in s), themes_line


def test_member_codes_and_kinds_in_the_url():
    at = run_page("pages/overview.py", members="GBR", kind="national")
    assert_clean(at)
    assert at.sidebar.multiselect(key="members-choice").value == ["GBR"]
    assert at.sidebar.multiselect(key="kind-choice").value == ["national"]
    assert qp(at, "members") == ["GBR"]


def test_unknown_codes_in_the_url_are_dropped():
    at = run_page("pages/overview.py", theme="no-such-theme", members="ZZZ")
    assert_clean(at)
    assert "theme" not in at.query_params and "members" not in at.query_params


# 5. Typing "Mexico" and Enter chose "Select 2 matches" and added Jalisco -------------------------
def test_no_select_all_on_sidebar_multiselects():
    at = run_page("pages/commitments.py")
    boxes = at.sidebar.multiselect
    assert len(boxes) >= 4
    for box in boxes:
        assert box.proto.select_all == 0, f"{box.label}: 'Select all matches' takes Enter"


# 11. A filter change left ?page=40 in the URL ----------------------------------------------------
def test_filter_change_goes_back_to_the_first_page():
    at = run_page("pages/commitments.py", **{"page": "5"})
    assert at.number_input(key="page").value == 5
    at.sidebar.multiselect(key="region-choice").select("Europe").run()
    assert_clean(at)
    assert at.number_input(key="page").value == 1
    assert "page" not in at.query_params
    at.number_input(key="page").set_value(3).run()
    at.sidebar.selectbox(key="theme-choice").select(ANTI.slug).run()
    assert at.number_input(key="page").value == 1
    assert qp(at, "theme") == [ANTI.slug]


# 8. Starred "False" in the detail view ------------------------------------------------------------
@pytest.mark.parametrize(
    "key, shown",
    # a star (Spain's ES0001), not a star at end of term, no star formula applied (GBR-2-5: ND)
    [("ESP-1-1", {"Yes"}), ("HRV-2-6", {"No"}), ("GBR-2-5", {"Not assessed"})],
)
def test_detail_view_says_yes_or_no_for_starred(key, shown):
    at = run_page("pages/commitments.py", id=key)
    table = at.dataframe[0].value
    starred = table.loc["Starred"].tolist()
    assert set(starred) <= {"Yes", "No", "Not assessed"}, starred
    assert starred[-1] in shown  # its latest snapshot


# 6. Theme cycle charts ordered plans 1, 2, 4, 6, 3, 5, 7 ------------------------------------------
def test_plans_are_in_numeric_order_and_empty_plans_are_left_out():
    rows = pd.DataFrame(
        {
            "action_plan": ["Plan 1", "Plan 2", "Plan 4", "Plan 10", "Plan 3", "Plan 7"] * 2,
            "percent": [10, 20, 40, 50, 30, None] * 2,
            "group": ["Theme"] * 6 + ["All"] * 6,
        }
    )
    chart = charts.compare_bars(
        rows, category="action_plan", value="percent", group="group", title="t", x_label="x", y_label="y"
    )
    order = list(chart.fig.layout.xaxis.categoryarray)
    assert order == ["Plan 1", "Plan 2", "Plan 3", "Plan 4", "Plan 10"]


# 13. The member brief showed "0" for a measure with no assessed commitment -------------------------
def test_brief_shows_a_dash_for_a_measure_nobody_assessed():
    import re

    from ogp.data.store import Store
    from ogp.model.filters import Filters
    from ogp.render import brief, views

    store = Store()
    members = store.query("by_member", **Filters().params())
    codes = members["member_code"].tolist()
    heads = {c: store.query("headline", **Filters(members=(c,)).params()).iloc[0] for c in codes}
    code = next(c for c, h in heads.items() if h["commitments"] and not h["diog_assessed"])
    html = brief.brief_for(*views.member_brief(views.runner(store), code), extracts=store.extracts())
    figure = re.search(r'data-figure="strong_results">.*?<b>(.*?)</b>', html).group(1)
    assert figure == "–", f"{code}: opened government shows {figure!r} with 0 assessed"
    row = re.search(
        r'data-measure="Opened government[^"]*"><td>[^<]*</td><td class="n">(.*?)</td>', html
    ).group(1)
    assert row == "–", row


# 9. Movers: from and to in their own columns, a direction filter; whole counts on the colour bar ----
def test_movers_by_direction_match_the_counts_of_the_transitions():
    from ogp.data.store import Store
    from ogp.model.filters import Filters

    store = Store()
    a, b = store.progress_snapshot_names[0], store.progress_snapshot_names[-1]
    scope = dict(Filters().without("snapshot").params(), from_snapshot=a, to_snapshot=b, limit=100_000)
    moves = store.query("transitions", **{k: v for k, v in scope.items() if k != "limit"})
    counts = charts.moves(
        moves, from_col="from_level", to_col="to_level", count="commitments", scale="completion"
    )
    up, down = store.query("movers", **scope, direction=1), store.query("movers", **scope, direction=-1)
    every = store.query("movers", **scope, direction=None)
    assert (len(up), len(down), len(every)) == (counts["up"], counts["down"], counts["changed"])
    assert counts["up"] > 0 and counts["down"] > 0
    rank = {lvl: i for i, lvl in enumerate(("Not Started", "Limited", "Substantial", "Complete"))}
    assert all(rank[t] > rank[f] for f, t in zip(up["from_level"], up["to_level"]))
    assert all(rank[t] < rank[f] for f, t in zip(down["from_level"], down["to_level"]))


def movers_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if {"key", "from_level"} <= set(d.value.columns))


def test_progress_lists_moves_with_from_and_to_columns_and_filters_them():
    at = run_page("pages/progress.py")
    assert_clean(at)
    movers = movers_table(at)
    assert {"from_level", "to_level"} <= set(movers.columns)
    assert not movers.astype(str).apply(lambda c: c.str.contains("→")).any().any()  # no move in a title
    at = run_page("pages/progress.py", direction="down")
    down = movers_table(at)
    rank = {lvl: i for i, lvl in enumerate(("Not Started", "Limited", "Substantial", "Complete"))}
    assert len(down) and all(rank[t] < rank[f] for f, t in zip(down["from_level"], down["to_level"]))


def heatmap(grid: pd.DataFrame):
    """The /progress heatmap's figure for a from/to grid of completion levels."""
    return charts.transition_matrix(
        grid,
        from_col="from_level",
        to_col="to_level",
        count="commitments",
        scale="completion",
        title="t",
        x_label="x",
        y_label="y",
    ).fig


def test_heatmap_colour_bar_counts_whole_commitments():
    grid = pd.DataFrame(
        {"from_level": ["Limited", "Limited"], "to_level": ["Complete", "Limited"], "commitments": [3, 1]}
    )
    fig = heatmap(grid)
    bar = fig.data[0].colorbar
    assert bar.tickformat == ",d" and bar.dtick == 1


def test_levels_read_in_sentence_case_beside_not_assessed():
    """Defect 8: 'Not Started' (IRM's spelling in the data) sat beside 'Not assessed'."""
    grid = pd.DataFrame(
        {
            "from_level": ["Not Started", None],
            "to_level": ["No Evidence Available", "Limited"],
            "commitments": [2, 1],
        }
    )
    fig = heatmap(grid)
    shown = set(fig.data[0].x) | set(fig.data[0].y)
    assert {"Not started", "No evidence available", "Limited"} <= shown
    assert not {"Not Started", "No Evidence Available"} & shown


def test_tables_are_as_tall_as_their_rows():
    from ogp.app import ui

    assert ui.table_height(3) < ui.table_height(10) == ui.table_height(40, most=10)
    at = run_page("pages/members.py", member="GBR")
    process = next(d for d in at.dataframe if "steps_followed" in d.value.columns)
    assert "None" not in process.value.astype(str).to_numpy().ravel().tolist()
    assert not {"True", "False"} & set(process.value.astype(str).to_numpy().ravel().tolist())


def test_a_ranking_of_one_member_at_zero_shows_that_member_and_its_counts():
    one = pd.DataFrame({"member_name": ["Kenya"], "pct": [0.0], "high": [0], "assessed": [3]})
    bar = charts.ranking_bar(
        one,
        label="member_name",
        value="pct",
        percent=True,
        count="high",
        whole="assessed",
        title="t",
        x_label="x",
    ).fig.data[0]
    assert list(bar.text) == ["0% (0 of 3)"] and list(bar.textposition) == ["outside"]
    assert list(bar.y) == ["Kenya"]


def test_a_share_of_a_few_commitments_shows_its_counts():
    rows = pd.DataFrame(
        {
            "measure": ["High completion"] * 2,
            "percent": [100.0, 41.0],
            "group": ["Malta", "All"],
            "count": [1, 500],
            "of": [1, 1220],
        }
    )
    chart = charts.compare_bars(
        rows,
        category="measure",
        value="percent",
        group="group",
        title="t",
        x_label="x",
        y_label="y",
        count="count",
        whole="of",
    )
    # the counts under the share (issue 27: on one line plotly shrank the label to its bar)
    assert [list(t.text) for t in chart.fig.data] == [["100%<br>(1 of 1)"], ["41%"]]


# Population covered: against an independent sum from the bundled files ----------------------------
def independent_population(snapshot: str | None = None) -> int:
    """National members' POP_EST from the GeoJSON, plus the local members' figures of
    members.csv whose country is not a national member, members read from the parquet files."""
    import csv
    import json

    from pagetest import ROOT

    snaps = sorted((ROOT / "data" / "snapshots").iterdir())
    chosen = [s for s in snaps if snapshot is None or s.name == snapshot]
    members = pd.concat([pd.read_parquet(s / "members.parquet") for s in chosen]).drop_duplicates(
        "member_code"
    )
    with_commitments = set()
    for s in chosen:
        with_commitments |= set(
            pd.read_parquet(s / "commitments.parquet", columns=["member_code"])["member_code"]
        )
    members = members[members["member_code"].isin(with_commitments)]
    features = json.loads((ROOT / "data" / "geo" / "countries.geojson").read_text())["features"]
    pop = {f["id"]: f["properties"]["pop_est"] for f in features}
    national = members[members["kind"] != "local"]
    iso = set(national["iso3"].fillna(national["member_code"]))
    total = sum(pop[c] for c in iso if c in pop)
    with open(ROOT / "data" / "members.csv", encoding="utf-8") as fh:
        local_pop = {
            r["member_code"]: (r["iso3"], int(r["population"])) for r in csv.DictReader(fh) if r["population"]
        }
    for code in members.loc[members["kind"] == "local", "member_code"]:
        country, n = local_pop[code]
        total += 0 if country in iso else n
    return total


def test_population_covered_matches_an_independent_sum():
    from ogp.data import population
    from ogp.data.store import Store
    from ogp.model.filters import Filters

    store = Store()
    for snapshot in (None, "2024-07-06"):
        got = population.covered(store.query("by_member", **Filters(snapshot=snapshot).params()))
        assert got.people == independent_population(snapshot), snapshot
        assert not got.missing
    # a local member whose country is not in scope adds its own figure
    madrid = population.covered(store.query("by_member", **Filters(members=("ESMD",)).params()))
    assert madrid.people == madrid.local_added == 3_286_662 and madrid.national == 0


def test_overview_and_deck_show_population_covered_with_its_source():
    from ogp.data import population

    at = run_page("pages/overview.py")
    metric = next(m for m in at.metric if m.label == "Population covered")
    assert metric.value.endswith("billion")
    captions = " ".join(c.value for c in at.caption)
    assert "Natural Earth POP_EST 2019" in captions and population.CLAIM in captions
    deck_at = run_page("pages/present.py", slide="1")
    deck_metric = next(m for m in deck_at.metric if m.label == "Population covered")
    assert deck_metric.value == metric.value
    text = " ".join(c.value for c in deck_at.caption)
    assert "Natural Earth" in text and population.CLAIM in text
    assert text.count("jurisdictions") == 1, text  # said once, not twice


def test_chart_data_tables_read_not_assessed_for_a_missing_level():
    """Defect 8's pattern in the charts' data tables and CSVs: a missing IRM level showed as a
    grey "None" (which is also a real potential-impact level)."""
    from ogp.app import ui

    data = pd.DataFrame({"completion": ["Complete", None], "potential_impact": [None, "None"], "n": [3, 1]})
    shown = ui.readable(data)
    assert list(shown.iloc[:, 0]) == ["Complete", "Not assessed"]
    assert list(shown.iloc[:, 1]) == ["Not assessed", "None"]  # the level "None" stays a level
    assert list(shown.iloc[:, 2]) == [3, 1]
