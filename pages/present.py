"""Present: a full-screen deck for summits, telling the story its link names.

/present?slides=title,map,member:ESP,theme:open-budgets shows those slides in that order,
numbered 1..n (items that name no slide are left out, and the slide says so); without `slides`
the whole deck (ogp/render/deck.py), `?member=CODE` putting that member's spotlight first. "Edit story"
(ogp/app/present.py) writes the slides to the URL: a story is a link. ?slide=N opens slide N; the
arrow keys or buttons change slides. A click on the map slide opens that member's spotlight next."""

from collections.abc import Sequence
from functools import partial

import streamlit as st

from ogp.app import ui
from ogp.app.present import editor, figures, show, stage, tell
from ogp.model import i18n, registry, text, urls
from ogp.model.filters import Filters
from ogp.model.i18n import _
from ogp.model.themes import Theme, load_themes
from ogp.render import deck, maps, views

# The language picker shows its choice whole in every language, with room to spare for a
# wider fallback font: 78 px of icon, paddings and arrow, then about 9 px a letter ("Franç" was cut).
PICKER_WIDTH = 78 + 9 * max(len(i18n.language_name(lang)) for lang in i18n.available())
MAX_LINK_CHARS = 4000  # of a story link's `slides` read (deck.MAX_SLIDES items fit many times)
SHOWN_LEFT_OUT = 5  # items left out that the note quotes; it counts the rest

st.html(deck.DECK_CSS)  # a constant <style> block, as ui.page_style (no element on the page)
store = ui.get_store()
requested_snapshot = st.query_params.get("snapshot")
filters = Filters(snapshot=requested_snapshot if requested_snapshot in store.snapshot_names else None)
scope = ui.scope_text(filters)

themes = load_themes()
names = ui.member_names()
requested = ui.clean_text(st.query_params.get("member", ""), 20).upper()
member = requested if requested in names else None
linked = st.query_params.get(urls.SLIDES)  # None: no story in the link, the whole deck
parsed, left_out = deck.parse_story(ui.clean_text(linked or "", MAX_LINK_CHARS), themes, names)
items = parsed or deck.default_story(themes, member)
slides = deck.build_story(items, themes, names)
count = len(slides)


def go(delta: int) -> None:
    st.session_state.slide = deck.step(st.session_state.get("slide", 1), delta, count)


def open_spotlight(after: int) -> None:
    """A click on a member on the map slide (number `after`) opens its spotlight, next."""
    code = maps.selected_member(st.session_state.get("wide-deck-map")) or maps.selected_member(
        st.session_state.get("phone-deck-map")
    )
    if code in names:
        story_items, at = deck.with_slide(items, deck.member_item(code), after)
        tell(story_items, story_items[at - 1])


body = st.container()
with st.container(key="deck-nav", horizontal=True, vertical_alignment="center", gap="xsmall"):
    # one row at 1280 px: the buttons, every slide number (nothing behind "…"; the one we are
    # on highlighted), the story, the language, the way out. Every item is as wide as its words in the
    # reader's language (French "Précédente" was cut in fixed columns); the slide numbers take
    # the rest (Streamlit shows a number per 38 px: a "Slide 4 of 14" caption beside them left
    # French 14-slide decks "1 … 14"). Where the numbers come from is on the title slide.
    st.button(_("Previous"), shortcut="Left", on_click=go, args=(-1,), key="prev")
    # at least 5 visible: Streamlit shows 2 numbers of a 3- or 4-slide story under 5, 1 of a 2-slide one
    shown = max(count, 5)
    number = st.pagination(count, key="slide", bind="query-params", max_visible_pages=shown, width="stretch")
    st.text(f"{deck.slide_number(number, count)} / {count}")  # on a phone, instead of the numbers
    st.button(_("Next"), shortcut="Right", on_click=go, args=(1,), key="next")
    slide = slides[deck.slide_number(number, count) - 1]
    with st.popover(
        _("Edit story"), icon=":material/format_list_numbered:", key="deck-story", help=_("Edit story")
    ):
        editor(items, themes, names, slide.item)
    ui.language_picker(st.container(width=PICKER_WIDTH), key="deck-lang", compact=True)
    st.page_link(registry.OVERVIEW.file, label=_("Leave"), icon=":material/close:", help=_("Leave the deck"))


def source_line(charts: list[tuple], notes: Sequence[str] = ()) -> None:
    """The slide's last line: where its numbers come from, and its charts' data one click away."""
    # the button as wide as its word ("Data"; French "Données" was cut)
    line, data = st.columns([9, max(1.0, 0.18 * len(_("Data")) + 0.1)], vertical_alignment="center")
    line.caption(f"{scope} {ui.escape_md(ui.extract_note(filters, short=True)) or _(deck.SUBSET_NOTE)}")
    ui.data_popover(charts, [*notes, _(text.EXPORT_NOTE)], container=data)


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
            click = partial(open_spotlight, deck.slide_number(number, count))
            show(shown, ui.restyled(deck.phone_map, world), "deck-map", on_select=click)
        with right:
            show(top, ui.chart(deck.top_members_chart, world.data, 10, deck.PHONE), "deck-top-members")
    source_line([(shown, "deck-map"), (top, "deck-top-members")])


def theme_slide(theme: Theme) -> None:
    st.title(theme.short)
    view = ui.derived(views.theme, ui.run, theme.slug, filters)
    if view is None:
        st.markdown(theme.intro)
        st.info(_("No commitment of these exports belongs to {theme} yet.").format(theme=theme.short.lower()))
        source_line([])
        return
    figures(deck.theme_figures(view))
    chart = ui.chart(deck.theme_chart, view.versus, theme)
    with stage():
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(chart, ui.chart(deck.theme_chart, view.versus, theme, deck.PHONE), f"deck-{theme.slug}")
        with right:
            st.markdown(theme.intro)
            if theme.story:
                st.info(theme.story, icon=":material/auto_stories:")
    source_line([(chart, f"deck-{theme.slug}")])


def member_slide(member: str) -> None:
    facts = ui.run("member", member=member).iloc[0]
    st.title(ui.escape_md(facts["member_name"]))
    st.markdown(ui.escape_md(deck.member_line(facts)))
    view = ui.derived(views.member, ui.run, member, filters)
    if view is None:
        st.info(_("No commitments of this member in this snapshot."))
        source_line([])
        return
    figures(deck.member_figures(view))
    compare, timeline = deck.member_charts(view.versus, view.plans, view.name)
    phone_compare, phone_timeline = deck.member_charts(view.versus, view.plans, view.name, deck.PHONE)
    with stage():
        # the comparison's 8 bars as wide as their labels ("100 %"); the timeline needs less
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(compare, phone_compare, "deck-member-compare")
        with right:
            show(timeline, phone_timeline, "deck-member-plans")
    source_line([(compare, "deck-member-compare"), (timeline, "deck-member-plans")])


def left_out_note() -> None:
    """What the link named that is no slide (as text: URL text never becomes markup)."""
    quoted = ", ".join(f"“{text.escape_md(item)}”" for item in left_out[:SHOWN_LEFT_OUT])
    if len(left_out) > SHOWN_LEFT_OUT:
        quoted += " " + _("and {n} more").format(n=i18n.number(len(left_out) - SHOWN_LEFT_OUT))
    note = _("Left out of this story, as no slide of the deck has these names: {items}.").format(items=quoted)
    if not parsed:
        note += " " + _("Showing the whole deck.")
    st.warning(note, icon=":material/playlist_remove:")


with body, st.container(key="deck-slide"):
    if requested and not member and linked is None:
        st.warning(
            _(
                "No member with the code “{code}” in these snapshots: "
                "showing the deck without a member spotlight."
            ).format(code=ui.escape_md(requested))
        )
    if left_out:
        left_out_note()
    if slide.theme is not None:
        theme_slide(slide.theme)
    elif slide.member is not None:
        member_slide(slide.member)
    elif slide.kind == deck.MAP:
        map_slide()
    else:
        title_slide()
