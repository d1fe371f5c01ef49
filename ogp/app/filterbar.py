"""The sidebar's filter bar, bound to the URL (each widget's key is its URL parameter), drawn
by dashboard.py for the pages of ogp/model/registry.py that have one; and the URL-bound
widgets it is made of (coded choices, a browser back from another server process)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ogp.app.cache import derived, get_store, run, run_memo
from ogp.model import i18n, measures, registry, scales, text
from ogp.model.filters import RATINGS, Filters, clean_text
from ogp.model.i18n import N_, _
from ogp.model.themes import load_themes

LATEST = N_("Latest of all snapshots")


# -- filters ------------------------------------------------------------------------------
def sidebar_filters(
    *, theme: str | None = None, show_theme: bool = True, show_search: bool = False
) -> Filters:
    """The shared filter bar. Every widget is bound to the URL (the parameter is its key), so a
    copied link reopens the same view; defaults stay out of the URL. Choices shown by name
    (themes, members, member types) keep their code in the URL (see `coded_choice`). Changing
    a filter sends the commitments list back to its first page."""
    store = get_store()
    names, regions, (lo, hi) = derived(_filter_choices)
    bound: dict[str, Any] = {"bind": "query-params", "on_change": first_page}
    with st.sidebar:
        st.subheader(_("Filters"))
        snapshot = st.selectbox(
            _("Data as of"),
            [LATEST] + store.snapshot_names[::-1],
            format_func=i18n.keep_language(lambda s: _(LATEST) if s == LATEST else s),
            key="snapshot",
            help=_("The latest state of every commitment across all snapshots, or one export as it was."),
            **bound,
        )
        q = ""
        if show_search:
            q = st.text_input(
                _("Search titles, descriptions, institutions"),
                key="q",
                max_chars=200,
                placeholder=_("e.g. budget, lobbying, GB0012"),
                **bound,
            )
        # Shown in the reader's language, kept in the URL as written in the data (codes, English
        # region and level names), so a link reads the same in every language.
        chosen_regions = coded_choice(
            _("Region"), {r: i18n.region(r) for r in regions}, key="region", multi=True
        )
        kinds = coded_choice(
            _("Member type"), {k: text.kind_label(k) for k in text.KINDS}, key="kind", multi=True
        )
        members = coded_choice(_("Members"), names, key="members", multi=True, placeholder=_("All members"))
        if show_theme and theme is None:
            theme = coded_choice(_("Theme"), theme_names(), key="theme", none_label=_("All themes"))
        year_range = (lo, hi)
        if hi > lo:
            year_range = st.slider(_("Year of submission"), lo, hi, (lo, hi), key="years", **bound)
        # Which rating the completion filter and every completion figure read (?rating=end).
        rating = coded_choice(
            _("Completion rating"),
            {r: measures.rating_name(r) for r in RATINGS},
            key="rating",
            none_label=measures.rating_name(None),
        )
        completion = coded_choice(
            _("Completion"),
            {v: i18n.level("completion", v) for v in scales.levels("completion", with_unordered=True)},
            key="completion",
            multi=True,
        )
        ambition = coded_choice(
            _("Potential impact"),
            {v: i18n.level("potential_impact", v) for v in scales.levels("potential_impact")},
            key="ambition",
            multi=True,
        )
    return Filters(
        snapshot=None if snapshot in (None, LATEST) else snapshot,
        members=tuple(members),
        regions=tuple(chosen_regions),
        kinds=tuple(kinds),
        theme=theme,
        year_from=year_range[0] if year_range[0] > lo else None,
        year_to=year_range[1] if year_range[1] < hi else None,
        completion=tuple(completion),
        rating=rating,
        ambition=tuple(ambition),
        q=clean_text(q),
    )


def filter_bar(url_path: str) -> Filters | None:
    """The sidebar's filters for the page at `url_path`, drawn by dashboard.py (the entry point)
    before the page runs, or None for a page without them (deck, data, methodology). Widgets of
    the entry point keep their values when the reader moves to another page, and so do their URL
    parameters (a page's own widgets start again from their defaults there). The page reads them
    with `filters()`."""
    page = registry.at(url_path)
    bar = None if page is None else page.filter_bar
    chosen = None if bar is None else sidebar_filters(show_theme=bar.show_theme, show_search=bar.show_search)
    run_memo()["filters"] = chosen  # read by filters() later in this run
    return chosen


def filters() -> Filters:
    """The filters chosen in the sidebar for this run (see `filter_bar`)."""
    chosen = run_memo().get("filters")
    if chosen is None:
        raise RuntimeError("this page has no filter bar (ogp/model/registry.py) or ran without dashboard.py")
    return chosen


def _filter_choices() -> tuple[dict[str, str], list[str], tuple[int, int]]:
    """The filter bar's choices: members (code -> name), regions, the years of submission."""
    options = run("member_options")
    names = dict(zip(options["member_code"], options["member_name"]))
    regions = sorted(options["region"].dropna().unique())
    years = run("headline", Filters())
    return names, regions, (int(years["first_year"].iloc[0] or 2011), int(years["last_year"].iloc[0] or 2024))


def member_names() -> dict[str, str]:
    """Every member, code -> name in the reader's language (shared: never change it)."""
    return derived(_filter_choices)[0]


def theme_names() -> dict[str, str]:
    """slug -> the theme's one name (menu, filter, tables, charts); the slug is for URLs only."""
    return {t.slug: t.short for t in load_themes()}


PAGE_KEY = "page"  # the commitments list's page number (a URL-bound widget)


def first_page() -> None:
    """A filter changed: the list starts again at its first page (a stale ?page=40 would point
    past the end of a shorter list)."""
    if PAGE_KEY in st.session_state:
        st.session_state[PAGE_KEY] = 1


# -- a browser back from another server process ---------------------------------------------
_SESSION_MARK = "_ogp_session"


def note_run_start() -> None:
    """Call first in every run (dashboard.py does): notes whether this run is a browser coming
    back to a server process that never saw it (`resumed`).

    Behind `ogp serve --replicas N` a browser whose replica died reconnects through nginx to
    another replica. Streamlit's frontend (1.67) keeps the page it shows and its widgets' values,
    and its next rerun carries them to the new process, where the session is new: its session
    state is empty and no widget is registered yet. Streamlit calls a widget's `on_change` only
    for widgets registered in an earlier run of the session, so the callback that writes a
    `coded_choice` to the URL did not run for the change that reached the new process, and the
    URL (one change behind) then decided the widget's value as it does for a link: the change was
    lost, and a copied or reloaded link lost the view. Widgets bound with bind="query-params"
    are not affected: the frontend writes their URL parameter itself, at the change.

    A new session whose first run brings widget values from the browser is that case: a fresh
    page load or a link brings none (the frontend has drawn no widget yet), and a reconnect to
    the same process keeps its session. `coded_choice` then takes the browser's value and writes
    the URL from it."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    first = _SESSION_MARK not in st.session_state
    st.session_state[_SESSION_MARK] = True
    run_memo()["resumed"] = _browser_widget_keys(ctx) if first else frozenset()  # read by resumed()


def _browser_widget_keys(ctx) -> frozenset[str]:
    """The keys of the widgets whose values this run brought from the browser. Streamlit has no
    public API for it: its session state holds them, before the script registers any widget,
    in `_new_widget_state`, under element ids that end with the widget's key."""
    from streamlit.runtime.state.common import user_key_from_element_id

    try:
        ids = list(ctx.session_state._state._new_widget_state.states)
    except AttributeError:  # another Streamlit: a resumed browser's first change may be lost
        return frozenset()
    return frozenset(k for k in map(user_key_from_element_id, ids) if k)


def resumed(key: str) -> bool:
    """Whether this run is a browser's first run on a server process that never saw it, and the
    browser holds a value for the widget with this key (see `note_run_start`)."""
    return key in run_memo().get("resumed", ())


def url_values(key: str) -> list[str]:
    return [v for v in st.query_params.get_all(key) if v != ""]


def set_url_values(key: str, values: list[str]) -> None:
    if values:
        st.query_params[key] = values  # a list repeats the parameter: ?members=GBR&members=FRA
    elif key in st.query_params:
        del st.query_params[key]


def coded_choice(
    label: str,
    names: dict[str, str],
    *,
    key: str,
    multi: bool = False,
    placeholder: str | None = None,
    none_label: str = "All",
    radio: bool = False,
):
    """A select box (or multiselect, or with `radio` a horizontal radio whose first name is
    the default) that shows names and keeps codes in the URL.

    A widget bound with `bind="query-params"` writes what it displays into the URL
    (`?theme=Fighting corruption`), so a slug in a link (`?theme=anti-corruption`) was
    dropped, and a link would change with the wording or the language. This one reads and
    writes the codes (slugs, member codes, kinds, the map's measure) itself; unknown codes
    are dropped, and a radio's default stays out of the URL, as bound widgets do."""
    given = url_values(key)
    valid = [v for v in dict.fromkeys(given) if v in names]
    state = f"{key}-choice"
    default = next(iter(names)) if radio else None
    back = resumed(state)  # a browser back from a dead replica: what it shows decides (note_run_start)
    if valid and not back:  # a link or a fresh visit: the URL decides
        st.session_state[state] = valid if multi else valid[0]

    def in_url(current) -> list[str]:
        return [c for c in (current if multi else [current]) or [] if c in names and c != default]

    # What the URL should say: the choice (after a page change too, as bound widgets do).
    shown = in_url(st.session_state.get(state))
    if given != shown and not back:
        set_url_values(key, shown)

    def changed() -> None:
        set_url_values(key, in_url(st.session_state[state]))
        first_page()

    chosen = _coded_widget(label, names, state, changed, multi, placeholder, none_label, radio)
    if back and url_values(key) != in_url(chosen):
        set_url_values(key, in_url(chosen))
        first_page()
    return chosen


def _coded_widget(label, names, state, changed, multi, placeholder, none_label, radio):
    if radio:
        return st.radio(
            label,
            list(names),
            format_func=lambda c: names.get(c, c),
            key=state,
            on_change=changed,
            horizontal=True,
        )

    if multi:
        return st.multiselect(
            label,
            list(names),
            format_func=lambda c: names.get(c, c),
            key=state,
            on_change=changed,
            placeholder=placeholder,
            select_all=False,  # "Select 2 matches" took Enter: "Mexico" added Jalisco too
        )
    return st.selectbox(
        label,
        [None, *names],
        format_func=lambda c: none_label if c is None else names.get(c, c),
        key=state,
        on_change=changed,
    )
