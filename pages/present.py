"""Present: a full-screen deck for summits. /present?slide=N opens slide N; /present?member=CODE
puts that member's spotlight first. Left/Right arrow keys (or the buttons) change slides and the
slide number follows in the URL. The slides are defined in ogp/deck.py."""

import streamlit as st

from ogp import deck, i18n, text, ui
from ogp.charts import Chart
from ogp.filters import Filters
from ogp.i18n import _
from ogp.themes import load_themes

# The language picker shows its choice whole in every language, with room to spare for a
# wider fallback font: 78 px of icon, paddings and arrow, then about 9 px a letter ("Franç" was cut).
PICKER_WIDTH = 78 + 9 * max(len(i18n.language_name(lang)) for lang in i18n.available())

st.html(deck.DECK_CSS)  # a constant <style> block, as ui.page_style (no element on the page)
store = ui.get_store()
requested_snapshot = st.query_params.get("snapshot")
filters = Filters(snapshot=requested_snapshot if requested_snapshot in store.snapshot_names else None)
scope = ui.scope_text(filters)

options = ui.run("member_options")
names = dict(zip(options["member_code"], options["member_name"]))
requested = ui.clean_text(st.query_params.get("member", ""), 20).upper()
member = requested if requested in names else None
slides = deck.build_deck(load_themes(), member, names.get(member))
count = len(slides)


def go(delta: int) -> None:
    st.session_state.slide = deck.step(st.session_state.get("slide", 1), delta, count)


body = st.container()
with st.container(key="deck-nav", horizontal=True, vertical_alignment="center", gap="xsmall"):
    # one row at 1280 px: the buttons, every slide number (nothing behind "…"; the one we are
    # on highlighted), the language, the way out. Every item is as wide as its words in the
    # reader's language (French "Précédente" was cut in fixed columns); the slide numbers take
    # the rest (Streamlit shows a number per 38 px: a "Slide 4 of 14" caption beside them left
    # French 14-slide decks "1 … 14"). Where the numbers come from is on the title slide.
    st.button(_("Previous"), shortcut="Left", on_click=go, args=(-1,), key="prev")
    number = st.pagination(count, key="slide", bind="query-params", max_visible_pages=count, width="stretch")
    st.text(f"{deck.slide_number(number, count)} / {count}")  # on a phone, instead of the numbers
    st.button(_("Next"), shortcut="Right", on_click=go, args=(1,), key="next")
    ui.language_picker(st.container(width=PICKER_WIDTH), key="deck-lang", compact=True)
    st.page_link("pages/overview.py", label=_("Leave"), icon=":material/close:", help=_("Leave the deck"))
slide = slides[deck.slide_number(number, count) - 1]


def figures(items: list[deck.Figure]) -> None:
    """The slide's figures in one row (two by two on a phone); the counts behind each in its
    help (the ? beside it)."""
    for col, fig in zip(ui.figure_row("deck", len(items)), items):
        col.metric(fig.label, fig.value, border=True, help=fig.note or None)


def show(wide: Chart, phone: Chart, key: str, on_select=None) -> None:
    """A chart as drawn for a projector (stretching to the slide's height) and for a phone (as
    tall as it needs): the page's CSS shows the one for the window's width. Their words wrap for
    different widths, so neither can stand in for the other."""
    ui.show_chart(wide, key=f"wide-{key}", height="stretch", details=False, on_select=on_select)
    ui.show_chart(phone, key=f"phone-{key}", details=False, on_select=on_select)


def source_line(charts: list[tuple], notes: list[str] = ()) -> None:
    """The slide's last line: where its numbers come from, and its charts' data one click away."""
    # the button as wide as its word ("Data"; French "Données" was cut)
    line, data = st.columns([9, max(1.0, 0.18 * len(_("Data")) + 0.1)], vertical_alignment="center")
    line.caption(f"{scope} {ui.escape_md(ui.extract_note(filters, short=True)) or _(deck.SUBSET_NOTE)}")
    ui.data_popover(charts, [*notes, _(text.EXPORT_NOTE)], container=data)


def stage():
    """The part of the slide that takes the height left: its chart stretches to it."""
    return st.container(key="deck-stage")


def title_slide() -> None:
    h = ui.run("headline", filters).iloc[0]
    st.title(_(deck.DECK_TITLE))
    st.markdown(_(deck.DECK_SUBTITLE))
    if not h["commitments"]:
        st.info(_("No commitment in this snapshot."))
        return
    figures(deck.headline_figures(h))
    covered = ui.population_covered(filters)
    by_year = ui.run("completion_by_year", filters)
    chart = ui.chart(deck.completion_chart, by_year)
    with stage():
        # the figure's column holds Spanish "2,6 mil millones" at 1280 px (2.4 : 1 cut it)
        left, right = st.columns([2.1, 1], gap="large")
        with left:
            show(chart, ui.chart(deck.completion_chart, by_year, deck.PHONE), "deck-completion")
        with right:  # the figure, then where it comes from and the brochure's claim
            st.metric(_("Population covered"), covered.text(), border=True)
            st.caption(covered.note())  # the figure is in the metric above: not said twice
    source_line([(chart, "deck-completion")])


def map_slide() -> None:
    st.title(slide.title)
    world = ui.world_map(filters, "commitments", _("Commitments by member"))
    shown, top = ui.restyled(deck.map_chart, world), ui.chart(deck.top_members_chart, world.data)
    with stage():
        left, right = st.columns([3, 2], gap="large")
        with left:
            # on a phone the map page's own map (drawn for a phone's width)
            show(shown, ui.restyled(deck.phone_map, world), "deck-map", on_select=open_spotlight)
        with right:
            show(top, ui.chart(deck.top_members_chart, world.data, 10, deck.PHONE), "deck-top-members")
    source_line([(shown, "deck-map"), (top, "deck-top-members")])


def open_spotlight() -> None:
    """A click on a member on the map opens its spotlight, the first slide."""
    code = ui.clicked_member(st.session_state.get("wide-deck-map")) or ui.clicked_member(
        st.session_state.get("phone-deck-map")
    )
    if code:
        st.query_params["member"] = code
        st.session_state.slide = 1


def theme_slide() -> None:
    theme = slide.theme
    st.title(theme.short)
    mine = ui.run("headline", filters.with_(theme=theme.slug)).iloc[0]
    world = ui.run("headline", filters).iloc[0]
    if not mine["commitments"]:
        st.markdown(theme.intro)
        st.info(_("No commitment of these exports belongs to {theme} yet.").format(theme=theme.short.lower()))
        source_line([])
        return
    figures(deck.theme_figures(mine, world))
    rows = ui.versus_all(filters.with_(theme=theme.slug), filters, theme.short, _("All commitments"))
    chart = ui.chart(deck.theme_chart, rows, theme)
    with stage():
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(chart, ui.chart(deck.theme_chart, rows, theme, deck.PHONE), f"deck-{theme.slug}")
        with right:
            st.markdown(theme.intro)
            if theme.story:
                st.info(theme.story, icon=":material/auto_stories:")
    source_line([(chart, f"deck-{theme.slug}")])


def member_slide() -> None:
    facts = ui.run("member", member=member).iloc[0]
    scoped = filters.with_(members=(member,))
    mine, world = ui.run("headline", scoped).iloc[0], ui.run("headline", filters).iloc[0]
    st.title(ui.escape_md(facts["member_name"]))
    st.markdown(ui.escape_md(deck.member_line(facts)))
    if not mine["commitments"]:
        st.info(_("No commitments of this member in this snapshot."))
        source_line([])
        return
    figures(deck.member_figures(mine, world))
    plans = ui.run("member_plans", snapshot=filters.snapshot, member=member, rating=filters.rating)
    rows = ui.versus_all(scoped, filters, facts["member_name"])
    compare, timeline = deck.member_charts(rows, plans, facts["member_name"])
    phone_compare, phone_timeline = deck.member_charts(rows, plans, facts["member_name"], deck.PHONE)
    with stage():
        # the comparison's 8 bars as wide as their labels ("100 %"); the timeline needs less
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(compare, phone_compare, "deck-member-compare")
        with right:
            show(timeline, phone_timeline, "deck-member-plans")
    source_line([(compare, "deck-member-compare"), (timeline, "deck-member-plans")])


with body, st.container(key="deck-slide"):
    if requested and not member:
        st.warning(
            _(
                "No member with the code “{code}” in these snapshots: "
                "showing the deck without a member spotlight."
            ).format(code=ui.escape_md(requested))
        )
    {"title": title_slide, "map": map_slide, "theme": theme_slide, "member": member_slide}[slide.kind]()
