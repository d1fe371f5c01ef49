"""The summit deck (/present) with AppTest, the deck's pure helpers, and the image file names of
every chart builder (the modebar camera saves `<name>.png`)."""

from __future__ import annotations

import inspect
import json
import re
from urllib.parse import parse_qsl

import pandas as pd
import pytest
import recompute
from pagetest import DASHBOARD, assert_clean, default_theme_slugs, run_page, sweep
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from ogp.app import ui
from ogp.model import measures, text, urls
from ogp.model.themes import load_themes
from ogp.render import charts, deck

THEMES = load_themes()
SLIDES = deck.build_deck(THEMES)
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")  # no path, no space, no dot, fits every file system
HOSTILE_SLIDES = ["0", "-1", "999", "2.5", "abc", "", "<script>alert(1)</script>", "1; DROP TABLE x", "１"]


def texts(at) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "info", "warning", "error")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_configs(at) -> list[dict]:
    return [json.loads(e.proto.config) for e in at.get("plotly_chart")]


# -- every slide --------------------------------------------------------------------------
# The default run opens the title, the map and the theme slides of default_theme_slugs() (the
# first and the last slide of the deck); every slide with --slow.
@pytest.mark.parametrize(
    "number",
    sweep(
        range(1, len(SLIDES) + 1),
        lambda n: SLIDES[n - 1].kind != "theme" or SLIDES[n - 1].slug in default_theme_slugs(),
        ids=[s.slug for s in SLIDES],
    ),
)
def test_every_slide_renders(number):
    at = run_page("pages/present.py", slide=str(number))
    assert_clean(at)
    slide = SLIDES[number - 1]
    assert at.title[0].value == slide.title
    assert at.get("pagination")[0].value == number
    # the snapshot line and the subset note on every slide
    assert "Numbers from the latest known state" in texts(at) and "subset" in texts(at)
    # where we are: the bar's page numbers, every one shown (no caption repeating them)
    assert at.get("pagination")[0].proto.num_pages == len(SLIDES)
    # every chart: alt text under it, slide-sized PNG named after it
    for config in chart_configs(at):
        options = config["toImageButtonOptions"]
        assert (options["width"], options["height"], options["format"]) == (1920, 1080, "png")
        assert SAFE_NAME.match(options["filename"]) and options["filename"].startswith("ogp-summit-")
    if slide.kind != "title":
        assert chart_configs(at), f"slide {number} has no chart"


def test_title_slide_headline_figures():
    at = run_page("pages/present.py")
    assert_clean(at)
    m = metrics(at)
    f = recompute.figures(recompute.latest())  # independent (tests/recompute.py)
    assert (m["Members"], m["Action plans"], m["Commitments"]) == tuple(
        f"{f[k]:,}" for k in ("members", "action_plans", "commitments")
    )
    assert set(m) == {
        "Members",
        "Action plans",
        "Commitments",
        "High completion",
        "Ambitious",
        "Starred (% of rated)",
        "Population covered",
    }
    assert m["High completion"].endswith("%") and m["Ambitious"].endswith("%")
    # 53 of 743 (the deck said 87 starred, counting the export's 'Star - Most Recently Assessed')
    star = measures.STARRED
    assert m[star.category] == text.pct(f["starred"], f["star_assessed"]) == "7%"
    help_ = next(x.help for x in at.metric if x.label == star.category)
    assert (
        help_ == f"{f['starred']} of {f['star_assessed']} commitments a star formula was applied to: starred"
    )


def test_theme_slide_figures():
    theme = THEMES[0]
    at = run_page(
        "pages/present.py", slide=str(SLIDES.index(next(s for s in SLIDES if s.theme == theme)) + 1)
    )
    assert_clean(at)
    assert set(metrics(at)) == {"Commitments", "Members", "High completion", "Starred"}
    # the counts behind each figure are its help (the ? beside it), not a caption under it
    assert "all commitments:" in next(m.help for m in at.metric if m.label == "High completion")


def open_deck(**query) -> AppTest:
    """Open /present?<query> directly, as a browser does. (run_page first runs the overview,
    whose URL-bound `snapshot` widget keeps that parameter to itself.)"""
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at._page_hash = calc_hash("present")
    return at.run()


def test_snapshot_in_url_scopes_the_deck():
    at = open_deck(snapshot="2024-07-06")
    assert_clean(at)
    assert metrics(at)["Commitments"] == "558"
    assert "snapshot of 2024-07-06" in texts(at)
    at = open_deck(snapshot="'; DROP TABLE commitments_all; --")
    assert_clean(at)
    assert metrics(at)["Commitments"] == f"{len(recompute.latest()):,}"  # tests/recompute.py


# -- navigation ---------------------------------------------------------------------------
def test_arrow_keys_are_the_buttons_shortcuts():
    at = run_page("pages/present.py", slide="3")
    assert at.button(key="prev").proto.shortcut == "left"
    assert at.button(key="next").proto.shortcut == "right"


def test_next_and_previous_move_and_write_the_url():
    at = run_page("pages/present.py", slide="3")
    at.button(key="next").click().run()
    assert_clean(at)
    assert at.title[0].value == SLIDES[3].title
    assert at.query_params["slide"] == ["4"] or at.query_params["slide"] == "4"
    at.button(key="prev").click().run()
    at.button(key="prev").click().run()
    assert at.title[0].value == SLIDES[1].title


def test_next_on_the_last_slide_and_previous_on_the_first_stay():
    at = run_page("pages/present.py", slide=str(len(SLIDES)))
    at.button(key="next").click().run()
    assert_clean(at)
    assert at.title[0].value == SLIDES[-1].title
    at = run_page("pages/present.py")
    at.button(key="prev").click().run()
    assert_clean(at)
    assert at.title[0].value == SLIDES[0].title


# Out of range, not a number, markup and a full-width digit by default; the rest with --slow.
@pytest.mark.parametrize(
    "value", sweep(HOSTILE_SLIDES, lambda v: v in ("999", "abc", "<script>alert(1)</script>", "１"))
)
def test_bad_slide_number_opens_the_first_slide(value):
    at = run_page("pages/present.py", slide=value)
    assert_clean(at)
    assert at.title[0].value == SLIDES[0].title
    assert "<script" not in "".join(m.value for m in at.markdown if not m.allow_html)


# -- member spotlight ---------------------------------------------------------------------
def test_member_spotlight():
    at = run_page("pages/present.py", member="GBR")
    assert_clean(at)
    assert at.title[0].value == "United Kingdom"
    m = metrics(at)
    assert {"Action plans", "Commitments", "High completion", "Starred"} <= set(m)
    assert m["Commitments"] == "63"
    assert "all members:" in next(x.help for x in at.metric if x.label == "High completion")
    names = [c["toImageButtonOptions"]["filename"] for c in chart_configs(at)]
    assert len(names) == 4 and all("united-kingdom" in n for n in names)  # each for a projector and a phone
    at.button(key="next").click().run()  # the rest of the deck follows
    assert at.title[0].value == SLIDES[0].title


def test_member_spotlight_lower_case_code():
    at = run_page("pages/present.py", member="esmd")
    assert_clean(at)
    assert at.title[0].value == "Madrid, Spain"


@pytest.mark.parametrize("code", ["ZZZ", "<script>alert(1)</script>", "'; DROP TABLE members; --"])
def test_unknown_member_is_a_friendly_message(code):
    at = run_page("pages/present.py", member=code)
    assert_clean(at)
    assert "No member with the code" in at.warning[0].value
    assert at.title[0].value == SLIDES[0].title  # the deck still works
    # The only raw HTML on the page is the constant CSS (the deck's and the app's) and the
    # app's constant language script (ui.framework_script): the code typed in the URL reaches
    # none of it.
    html_blocks = [m.value for m in at.markdown if m.allow_html] + [h.proto.body for h in at.get("html")]
    assert deck.DECK_CSS in html_blocks and set(html_blocks) <= {
        deck.DECK_CSS,
        ui.APP_CSS,
        ui.framework_script(),
        ui.map_wait_css(),
    }
    assert not any(code in block for block in html_blocks)


# -- stories: the slides a link names, in its order ----------------------------------------
STORY = "title,map,member:ESP,theme:open-budgets"
OPEN_BUDGETS = next(t for t in THEMES if t.slug == "open-budgets")


def slide_titles(**query) -> list[str]:
    """The title of each slide of the deck at /present?<query>, walking it with Next."""
    at = open_deck(**query)
    assert_clean(at)
    titles = [at.title[0].value]
    for _n in range(at.get("pagination")[0].proto.num_pages - 1):
        at.button(key="next").click().run()
        assert_clean(at)
        titles.append(at.title[0].value)
    return titles


def test_a_story_link_shows_its_slides_in_its_order():
    assert slide_titles(slides=STORY) == [
        SLIDES[0].title,
        "Where the commitments are",
        "Spain",
        OPEN_BUDGETS.short,
    ]
    at = open_deck(slides=STORY, slide="3")  # numbered 1..n: slide 3 is the third item
    assert at.title[0].value == "Spain" and at.get("pagination")[0].value == 3
    assert at.get("pagination")[0].proto.num_pages == 4
    assert metrics(at)["Commitments"] == "30"  # the spotlight's own figures
    # another order is another story
    assert slide_titles(slides="theme:open-budgets,member:ESP") == [OPEN_BUDGETS.short, "Spain"]


def test_a_story_is_read_as_written_by_a_person():
    """Case, spaces, repeats and empty items: what a person types in a link still works."""
    assert slide_titles(slides=" MAP , member:esp,,Theme:Open-Budgets, map,") == [
        "Where the commitments are",
        "Spain",
        OPEN_BUDGETS.short,
    ]


@pytest.mark.parametrize(
    "bad",
    ["nope", "theme:nowhere", "member:ZZZ", "<script>alert(1)</script>", "member:'; DROP TABLE members; --"],
)
def test_items_naming_no_slide_are_left_out_with_a_note(bad):
    at = open_deck(slides=f"map,{bad},member:GBR")
    assert_clean(at)
    assert at.get("pagination")[0].proto.num_pages == 2  # the two good items, in their order
    assert at.title[0].value == "Where the commitments are"
    note = at.warning[0].value
    assert "Left out of this story" in note and text.escape_md(bad) in note
    # the link's text reaches the page only as text: no raw HTML but the constant CSS
    html_blocks = [m.value for m in at.markdown if m.allow_html] + [h.proto.body for h in at.get("html")]
    constant = {deck.DECK_CSS, ui.APP_CSS, ui.framework_script(), ui.map_wait_css()}
    assert set(html_blocks) <= constant and not any(bad in b for b in html_blocks)
    at.button(key="next").click().run()
    assert at.title[0].value == "United Kingdom"


def test_a_link_naming_no_slide_shows_the_whole_deck_and_says_so():
    at = open_deck(slides="nope," + ",".join(f"x{i}" for i in range(30)))
    assert_clean(at)
    assert at.get("pagination")[0].proto.num_pages == len(SLIDES)
    note = at.warning[0].value
    assert "Showing the whole deck" in note and "and 26 more" in note  # five quoted, the rest counted
    at = open_deck(slides="")  # an empty story: the whole deck, nothing to say
    assert_clean(at)
    assert at.get("pagination")[0].proto.num_pages == len(SLIDES) and not at.warning


def test_story_editor_writes_the_link_and_the_link_reopens_it():
    at = open_deck(slides="title,map")
    editor = at.multiselect(key="story")
    assert editor.value == ["title", "map"]
    editor.set_value(["title", "map", "member:ESP"]).run()
    assert_clean(at)
    link = at.query_params["slides"]
    link = link[0] if isinstance(link, list) else link
    assert link == "title,map,member:ESP"
    at.button(key="story-up-2").click().run()  # Spain one earlier
    link = at.query_params["slides"]
    link = link[0] if isinstance(link, list) else link
    assert link == "title,member:ESP,map"
    assert at.get("pagination")[0].proto.num_pages == 3
    # the URL round trip: the link opens the same story, the editor shows it in its order
    again = open_deck(slides=link)
    assert again.multiselect(key="story").value == ["title", "member:ESP", "map"]
    assert slide_titles(slides=link) == [SLIDES[0].title, "Spain", "Where the commitments are"]
    # the first item cannot move earlier, the last later
    assert again.button(key="story-up-0").disabled and again.button(key="story-down-2").disabled


def test_story_editor_keeps_the_slide_on_screen():
    at = open_deck(slides="title,map,member:ESP", slide="3")
    assert at.title[0].value == "Spain"
    at.button(key="story-up-2").click().run()  # Spain moves to 2: still on screen
    assert at.title[0].value == "Spain" and at.get("pagination")[0].value == 2
    at.button(key="story-reset").click().run()  # the whole deck has no Spain: its first slide
    assert_clean(at)
    assert at.get("pagination")[0].proto.num_pages == len(SLIDES)
    assert at.title[0].value == SLIDES[0].title


def test_present_this_links_open_that_slide():
    for page, query, item, title in (
        ("pages/members.py", {"member": "ESP"}, "member:ESP", "Spain"),
        ("open-budgets", {}, "theme:open-budgets", OPEN_BUDGETS.short),
    ):
        at = run_page(page, **query)
        assert_clean(at)
        link = next(p for p in at.get("page_link") if p.proto.label == "Present this")
        assert link.proto.page.endswith("present") or "present" in link.proto.page
        assert dict(parse_qsl(link.proto.query_string)) == {"slides": item}
        deck_at = open_deck(slides=item)
        assert deck_at.title[0].value == title and deck_at.get("pagination")[0].proto.num_pages == 1


def test_story_helpers():
    names = {"ESP": "Spain", "GBR": "United Kingdom"}
    items, dropped = deck.parse_story("member:esp, TITLE ,theme:open-budgets,title,,zz:1", THEMES, names)
    assert items == ["member:ESP", "title", "theme:open-budgets"] and dropped == ["title", "zz:1"]
    assert [s.item for s in deck.build_story(items, THEMES, names)] == items
    assert [s.title for s in deck.build_story(items, THEMES, names)][0] == "Spain"
    many = ",".join(
        ["title", "map"] + [f"theme:{t.slug}" for t in THEMES] + list(f"member:{c}" for c in names)
    )
    assert deck.parse_story(many, THEMES, names)[0] == many.split(",")
    assert deck.with_slide(["title", "map", "theme:x"], "member:ESP", 2) == (
        ["title", "map", "member:ESP", "theme:x"],
        3,
    )
    assert deck.with_slide(["member:ESP", "map"], "member:ESP", 2) == (["member:ESP", "map"], 1)
    assert deck.moved(["a", "b", "c"], 2, -1) == ["a", "c", "b"]
    assert deck.moved(["a", "b", "c"], 0, -1) == ["a", "b", "c"]
    assert deck.moved(["a", "b", "c"], 1, 5) == ["a", "c", "b"]
    assert deck.default_story(THEMES, "GBR")[:3] == ["member:GBR", "title", "map"]
    # a story as a link, and back
    url = urls.present_url(items, base="")
    assert url == "/present?slides=member:ESP,title,theme:open-budgets"
    query = dict(parse_qsl(url.partition("?")[2]))
    assert deck.parse_story(query["slides"], THEMES, names) == (items, [])


# -- pure helpers -------------------------------------------------------------------------
def test_deck_order_and_slide_numbers():
    slides = deck.build_deck(THEMES, "GBR", "United Kingdom")
    assert [s.kind for s in slides[:3]] == ["member", "title", "map"]
    assert [s.theme.slug for s in slides[3:]] == [t.slug for t in THEMES]
    assert len({s.slug for s in slides}) == len(slides)
    assert [deck.slide_number(v, 5) for v in ("3", 5, " 2 ", "0", "6", None, "x", "2.0")] == [
        3,
        5,
        2,
        1,
        1,
        1,
        1,
        1,
    ]
    assert [deck.step(3, 1, 5), deck.step(5, 1, 5), deck.step(1, -1, 5), deck.step("junk", 1, 5)] == [
        4,
        5,
        1,
        2,
    ]


def test_small_shares_are_not_shown_as_zero():
    assert text.pct(11, 2334) == "<1%" and text.pct(0, 10) == "0%" and text.pct(1, 0) == "–"


# -- chart file names ---------------------------------------------------------------------
LEVELS = pd.DataFrame(
    {"x": [2012, 2012, 2013], "completion": ["Limited", None, "Complete"], "commitments": [3, 1, 2]}
)
COMPARE = pd.DataFrame(
    {"measure": ["High completion", "High completion"], "group": ["A", "All"], "percent": [50.0, 40.0]}
)
RANKING = pd.DataFrame({"member_name": ["A", "B"], "commitments": [3, 5]})
MOVES = pd.DataFrame({"from_level": ["Limited"], "to_level": ["Complete"], "commitments": [4]})
PLANS = pd.DataFrame(
    {"action_plan": [1, 2], "year_submitted": [2012, 2014], "end_year": [2014, None], "n_commitments": [5, 1]}
)
TITLES = [
    "Completion by year",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "Côte d'Ivoire: plans",
    "",
    "   ",
    "a" * 300,
    "Anti-corruption / open contracting? *yes*",
]


def builder_outputs(title: str):
    """One call of every public Chart builder of ogp.render.charts and ogp.render.deck."""
    yield (
        "levels_bar",
        charts.levels_bar(
            LEVELS,
            x="x",
            level="completion",
            count="commitments",
            scale="completion",
            title=title,
            x_label="Year",
        ),
    )
    yield (
        "compare_bars",
        charts.compare_bars(
            COMPARE,
            category="measure",
            value="percent",
            group="group",
            title=title,
            x_label="Measure",
            y_label="%",
            focus="A",
        ),
    )
    yield (
        "ranking_bar",
        charts.ranking_bar(
            RANKING, label="member_name", value="commitments", title=title, x_label="Commitments"
        ),
    )
    yield (
        "transition_matrix",
        charts.transition_matrix(
            MOVES,
            from_col="from_level",
            to_col="to_level",
            count="commitments",
            scale="completion",
            title=title,
            x_label="To",
            y_label="From",
        ),
    )
    yield "plans_timeline", charts.plans_timeline(PLANS, title=title)
    yield "projector", deck.projector(charts.plans_timeline(PLANS, title=title))
    yield "compare_chart", deck.compare_chart(COMPARE, "A", title)
    yield "theme_chart", deck.theme_chart(COMPARE, THEMES[0])
    yield "member_charts", deck.member_charts(COMPARE, PLANS, title or "A")[0]
    yield "member_charts", deck.member_charts(COMPARE, PLANS, title or "A")[1]
    yield "completion_chart", deck.completion_chart(LEVELS.rename(columns={"x": "year_submitted"}))
    yield "top_members_chart", deck.top_members_chart(RANKING)
    for screen in (deck.PHONE,):  # the same builders drawn for a phone
        yield "theme_chart", deck.theme_chart(COMPARE, THEMES[0], screen)
        yield "member_charts", deck.member_charts(COMPARE, PLANS, title or "A", screen)[0]
        yield "member_charts", deck.member_charts(COMPARE, PLANS, title or "A", screen)[1]
        yield (
            "completion_chart",
            deck.completion_chart(LEVELS.rename(columns={"x": "year_submitted"}), screen),
        )
        yield "top_members_chart", deck.top_members_chart(RANKING, 10, screen)
    yield (
        "phone_map",
        deck.phone_map(
            charts.ranking_bar(RANKING, label="member_name", value="commitments", title=title, x_label="n")
        ),
    )
    yield (
        "map_chart",
        deck.map_chart(
            charts.ranking_bar(RANKING, label="member_name", value="commitments", title=title, x_label="n")
        ),
    )


def test_every_builder_is_covered():
    """A new builder must be added to builder_outputs (and so to the file-name check)."""
    public = {
        n
        for mod in (charts, deck)
        for n, f in inspect.getmembers(mod, inspect.isfunction)
        if f.__module__ == mod.__name__
        and not n.startswith("_")
        and "Chart" in str(inspect.signature(f).return_annotation)
    }
    assert public <= {name for name, _ in builder_outputs("x")}, public


@pytest.mark.parametrize("title", ["../../etc/passwd <script>alert(1)</script> Côte d'Ivoire?*", ""])
def test_every_chart_gets_a_safe_file_name(title):
    for builder, chart in builder_outputs(title):
        assert SAFE_NAME.match(chart.name), (builder, chart.name)
        assert chart.alt.strip(), builder


def test_file_name_stems_are_safe_for_any_title():
    for title in TITLES:
        assert SAFE_NAME.match(charts.slug(title)), title
        assert SAFE_NAME.match(
            deck.projector(
                charts.ranking_bar(
                    RANKING, label="member_name", value="commitments", title=title, x_label="n"
                )
            ).name
        ), title
