"""The deck's Streamlit glue (pages/present.py): the story editor (a story is a list of slide
items, ogp/render/deck.py, kept in the URL's `slides`: the editor picks and orders them and the URL
follows, on the slide that was showing) and the pieces every slide is made of."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from ogp.app import ui
from ogp.model import urls
from ogp.model.i18n import _
from ogp.model.themes import Theme
from ogp.render import deck
from ogp.render.charts import Chart


def tell(story: Sequence[str], showing: str | None) -> None:
    """The story in the URL (a story is a link), on the slide that was showing if it is still
    in it, else the first. Its `?member=` is part of the story now."""
    story = list(story) or [deck.TITLE]  # a deck has a slide
    st.query_params.update(urls.story_params(story))
    if "member" in st.query_params:
        del st.query_params["member"]
    st.session_state.slide = story.index(showing) + 1 if showing in story else 1


def _picked(showing: str) -> None:
    """The editor's slides, in the order they were picked."""
    tell(st.session_state.get("story") or [], showing)


def _move(items: list[str], index: int, delta: int, showing: str) -> None:
    tell(deck.moved(items, index, delta), showing)


def editor(items: list[str], themes: Sequence[Theme], names: Mapping[str, str], showing: str) -> None:
    """Pick the slides (a new one goes last) and move them up and down; the URL follows."""
    options = deck.story_options(themes, names)
    if st.session_state.get("story") != items:  # the link, not a stale pick, is the story
        st.session_state.story = list(items)
    st.multiselect(
        _("Slides, in order"),
        list(options),
        format_func=options.__getitem__,
        key="story",
        on_change=_picked,
        args=(showing,),
        placeholder=_("Add a slide"),
    )
    st.caption(_("A slide you add goes last. The link in the address bar opens this story."))
    for i, item in enumerate(items):
        with st.container(horizontal=True, vertical_alignment="center", gap="xsmall", key=f"story-row-{i}"):
            st.text(f"{i + 1}. {options[item]}", width="stretch")
            for label, delta, tip, edge in (("↑", -1, _("Earlier"), 0), ("↓", 1, _("Later"), len(items) - 1)):
                st.button(
                    label,
                    key=f"story-{'up' if delta < 0 else 'down'}-{i}",
                    help=tip,
                    disabled=i == edge,
                    on_click=_move,
                    args=(items, i, delta, showing),
                )
    st.button(
        _("The whole deck"), key="story-reset", on_click=tell, args=(deck.default_story(themes), showing)
    )


# -- a slide's pieces -----------------------------------------------------------------------
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


def stage():
    """The part of the slide that takes the height left: its chart stretches to it."""
    return st.container(key="deck-stage")
