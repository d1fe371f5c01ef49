"""Streamlit glue shared by the pages: the cached store and queries, the sidebar filters
bound to the URL, chart display with its data and downloads, and the provenance line.
Pages call these; they hold no SQL and build no figure themselves."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from streamlit import config
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ogp.data.store import Store
from ogp.model import i18n, measures, paths, registry, scales, text, urls
from ogp.model.filters import RATINGS, Filters, clean_text
from ogp.model.i18n import N_, _
from ogp.model.text import escape_md
from ogp.model.themes import load_themes
from ogp.render import charts, maps, tables, views
from ogp.render.charts import Chart

# in-app links carry the path the app is served under (Streamlit's server.baseUrlPath)
urls.read_base_from(lambda: config.get_option("server.baseUrlPath"))

LATEST = N_("Latest of all snapshots")
PNG_SIZE = {"width": 1920, "height": 1080, "scale": 1}


def shared(max_entries: int):
    """Like `st.cache_resource(max_entries=...)` for the caches a rerun asks a few dozen times
    (queries, figures, shaped tables): the value is shared by every session, kept per key, the
    least recently used dropped first. The key is the call's positional arguments, except those
    whose parameter name starts with "_" (as Streamlit's rule); lists and dicts in it count by
    value. Streamlit's cache hashes every argument and inspects the function on every call:
    ~330-600 us a call against ~10 us here (tests/test_reruns.py prints both), a fifth of a theme
    page's rerun.
    Concurrent first calls of one key may both compute it; the last one is kept."""

    def wrap(fn):
        keyed = [i for i, name in enumerate(inspect.signature(fn).parameters) if not name.startswith("_")]
        items: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def call(*args):
            key = tuple(_hashable(args[i]) for i in keyed)
            with lock:
                if key in items:
                    items.move_to_end(key)
                    return items[key]
            value = fn(*args)
            with lock:
                items[key] = value
                while len(items) > max_entries:
                    items.popitem(last=False)
            return value

        def clear() -> None:
            with lock:
                items.clear()

        call.clear = clear
        return call

    return wrap


def _hashable(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


@st.cache_resource(show_spinner="Opening the snapshots…", max_entries=2)
def _open_store(data_dir: str, listing: tuple[tuple[str, int], ...]) -> Store:
    return Store(data_dir)


_last_store: list = [None]  # [(key, store)] of the last run: no trip through Streamlit's cache


def get_store() -> Store:
    """The store over the data directory ($OGP_DATA_DIR or data/), reopened when a snapshot
    is added or removed: one directory listing per rerun, nothing more (a page asks for the
    store a dozen times; the answer is kept for the rest of the script run)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    kept = getattr(ctx, "_ogp_store", None)
    if ctx is not None and kept is not None and kept[0] is ctx.cursors:  # ctx.cursors: new each run
        return kept[1]
    base = paths.data_dir()
    key = (str(base), paths.snapshot_listing(base))  # a snapshot replaced under its date counts
    last = _last_store[0]
    store = last[1] if last is not None and last[0] == key else _open_store(*key)
    _last_store[0] = (key, store)
    if ctx is not None:
        ctx._ogp_store = (ctx.cursors, store)  # type: ignore[attr-defined]  # our per-run memo on Streamlit's run context
    return store


@shared(max_entries=2048)
def _cached_query(version: tuple, name: str, params: tuple) -> pd.DataFrame:
    return get_store().query(name, **dict(params))


def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run a named query, cached per data version and parameters; national members' names in
    the reader's language (CLDR), everything else as stored. The cached frame is shared by
    every session (`shared`: st.cache_data unpickled a copy on every call, a sixth of an
    overview rerun); each caller gets a shallow copy, which pandas' copy-on-write keeps apart
    from the shared one when the caller changes it."""
    store = get_store()
    merged = {**(filters.params() if filters else {}), **params}
    return i18n.localise_members(_cached_query(store.version, name, _frozen(merged))).copy(deep=False)


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


# -- figures built once ---------------------------------------------------------------------
class FrozenSpec(dict):
    """A frozen figure's dict with its JSON made once: st.plotly_chart serialises the dict
    (plotly.io.to_json) on every rerun; for a FrozenSpec the JSON it kept is the answer."""

    __slots__ = ("json",)
    json: str


_plotly_to_json = pio.to_json


def _to_json(fig, validate=True, pretty=False, remove_uids=True, engine=None):
    if type(fig) is FrozenSpec and not pretty and remove_uids and engine is None:
        return fig.json
    return _plotly_to_json(fig, validate, pretty, remove_uids, engine)


pio.to_json = _to_json  # Streamlit calls plotly.io.to_json(figure_dict, validate=False)


class FrozenFigure(go.Figure):
    """A finished figure whose dict and JSON are computed once. st.plotly_chart calls
    `to_dict()` (a deep copy of the whole figure) and serialises it on every rerun; this one
    answers with the dict it kept, whose JSON is kept too (FrozenSpec). Cached figures are
    shared by every session: never change one after it is frozen."""

    @classmethod
    def freeze(cls, fig: go.Figure) -> FrozenFigure:
        """The same object, frozen in place (a builder's fresh figure: nothing else holds it)."""
        frozen = FrozenSpec(go.Figure.to_dict(fig))
        frozen.json = _plotly_to_json(frozen, validate=False)  # drops the traces' uids, as Plotly does
        fig.__class__ = cls
        fig._frozen_dict = frozen
        return fig

    def to_dict(self) -> dict:
        frozen = self.__dict__.get("_frozen_dict")
        return frozen if frozen is not None else super().to_dict()


def _freeze(chart: Chart) -> Chart:
    return Chart(FrozenFigure.freeze(chart.fig), chart.alt, chart.data, chart.name)


@shared(max_entries=1024)
def _built_chart(
    builder_name: str, lang: str, digest: str, args: tuple, kwargs: dict, _data, _builder
) -> Chart:
    with i18n.using(lang):
        return _freeze(_builder(_data, *args, **kwargs))


def content_digest(data: pd.DataFrame) -> str:
    """A key for a frame's content (values, dtypes, index, columns): its pickle, hashed. About
    20x faster than Streamlit's own hashing of a frame (pandas' hash_pandas_object on Arrow
    strings), which had become a quarter of a theme page's rerun. A frame that `derived` shares
    (never changed after) keeps the digest made when it was computed: 0.3-1 ms saved per chart."""
    known = _digests.get(id(data))
    if known is not None and known[0]() is data:
        return known[1]
    return hashlib.blake2b(pickle.dumps(data, protocol=5), digest_size=16).hexdigest()


_digests: dict[int, tuple[weakref.ref, str]] = {}  # id(shared frame) -> (the frame, its digest)


def _forget_digest(key: int, _gone: weakref.ref) -> None:
    _digests.pop(key, None)


def _remember_digests(value) -> None:
    for frame in value if isinstance(value, tuple) else (value,):
        if isinstance(frame, pd.DataFrame):
            key = id(frame)
            _digests[key] = (
                weakref.ref(frame, functools.partial(_forget_digest, key)),
                content_digest(frame),
            )


def chart(builder, data: pd.DataFrame, *args, **kwargs) -> Chart:
    """`builder(data, *args, **kwargs)` (a pure builder of ogp.render.charts or ogp.render.deck), built once
    per content of `data` and arguments and shared by every session: a rerun that shows the
    same chart hashes a small frame instead of building a Plotly figure (no pickling either: a
    cached figure would cost more to unpickle than to build). One per language: a chart's
    words are in the language of the session that built it."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    return _built_chart(name, i18n.current(), content_digest(data), args, kwargs, data, builder)


@shared(max_entries=1024)
def _shaped(name: str, lang: str, digest: str, args: tuple, _data, _fn):
    with i18n.using(lang):
        return _fn(_data, *args)


def shaped(fn, data: pd.DataFrame, *args):
    """`fn(data, *args)`: a table shaped for display (labels in the reader's language, ready
    for st.dataframe), made once per content of `data`, arguments and language and shared by
    every session: never change what it returns."""
    return _shaped(f"{fn.__module__}.{fn.__qualname__}", i18n.current(), content_digest(data), args, data, fn)


def restyled(fn, chart: Chart) -> Chart:
    """`fn(chart)` for a chart that came from a cache (e.g. deck.map_chart(world_map(...))),
    made once and kept on that shared chart, per language."""
    kept = chart.__dict__.setdefault("_restyled", {})
    key = (f"{fn.__module__}.{fn.__qualname__}", i18n.current())
    if key not in kept:
        kept[key] = _freeze(fn(chart))
    return kept[key]


@shared(max_entries=1024)
def _derived(version: tuple, lang: str, name: str, args: tuple, _fn):
    with i18n.using(lang):
        value = _fn(*args)
    _remember_digests(value)
    return value


def derived(fn, *args):
    """`fn(*args)`: a pure page helper that shapes `run` results (e.g. a theme against all by
    cycle), computed once per data version, language and arguments and shared by every session:
    never change what it returns. Arguments must be hashable by Streamlit (filters, strings)."""
    return _derived(get_store().version, i18n.current(), f"{fn.__module__}.{fn.__qualname__}", args, fn)


def population_covered(filters: Filters):
    """ogp.data.population.covered for the members in scope, computed once per data version and
    filters (it was a fifth of an overview rerun)."""
    return derived(_population_covered, filters)


def _population_covered(filters: Filters):
    from ogp.data import population

    return population.covered(run("by_member", filters))


# -- language -----------------------------------------------------------------------------
LANG_PARAM = urls.LANG


def choose_language() -> str:
    """The session's language (dashboard.py calls this first on every run): ?lang=en|es|fr,
    else the language this session already uses, else the browser's (st.context.locale),
    else English. Every value a link carries is language-neutral (codes, slugs, dates,
    numbers, the data's own level and region names: see `coded_choice`), so a link without
    ?lang= reads the same in any language and the browser's language applies to it too.
    Unless English, the language is kept in the URL, so moving between pages and copied
    links keep it."""
    requested = st.query_params.get(LANG_PARAM)
    remembered = st.session_state.get("_lang")
    lang = i18n.activate(i18n.negotiate(requested, remembered, st.context.locale))
    st.session_state["_lang"] = lang
    if requested is not None and i18n.supported(requested) is None:
        del st.query_params[LANG_PARAM]  # ?lang=xx we do not speak: dropped, like any invalid value
    if lang != i18n.DEFAULT and requested != lang:
        st.query_params[LANG_PARAM] = lang
    return lang


def _session_language() -> str | None:
    """The language of the session whose script runs in this thread, without side effects
    (for a page script Streamlit runs on its own, before dashboard.py has run)."""
    try:
        if get_script_run_ctx() is None:
            return None
        return i18n.negotiate(
            st.query_params.get(LANG_PARAM), st.session_state.get("_lang"), st.context.locale
        )
    except Exception:  # no session (bare mode, a worker thread): English
        return None


i18n.set_fallback(_session_language)


def _picked_language(key: str) -> None:
    lang = i18n.supported(st.session_state.get(key)) or i18n.DEFAULT
    st.session_state["_lang"] = lang
    st.query_params[LANG_PARAM] = lang


def language_picker(container=None, key: str = "lang-picker", compact: bool = False) -> None:
    """The language picker (the sidebar's; the deck has its own, `compact`, in its bar). It
    writes ?lang= explicitly, so choosing English in a Spanish browser sticks."""
    target = container if container is not None else st.sidebar
    lang = i18n.current()
    if st.session_state.get(key) != lang:
        st.session_state[key] = lang
    target.selectbox(
        i18n._("Language"),
        list(i18n.available()),
        format_func=i18n.language_name,
        key=key,
        on_change=_picked_language,
        args=(key,),
        icon=":material/translate:",
        label_visibility="collapsed" if compact else "visible",
    )


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
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None:
        ctx._ogp_filters = chosen  # type: ignore[attr-defined]  # read by filters() later in this run
    return chosen


def filters() -> Filters:
    """The filters chosen in the sidebar for this run (see `filter_bar`)."""
    chosen = getattr(get_script_run_ctx(suppress_warning=True), "_ogp_filters", None)
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
    ctx._ogp_resumed = _browser_widget_keys(ctx) if first else frozenset()  # type: ignore[attr-defined]  # read by resumed() later in this run


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
    return key in getattr(get_script_run_ctx(suppress_warning=True), "_ogp_resumed", ())


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


# -- look ---------------------------------------------------------------------------------
# Constant CSS (never data), one place for the whole app. Streamlit draws captions and other
# small print faded (grey text at 60% opacity: 2.9-4.2:1 on white, under WCAG AA's 4.5:1):
# a darker grey reads at 7:1 on white and on the sidebar's background. A Markdown table (the
# Methodology's) wider than a phone scrolls in its own box, not the whole page sideways. A page
# starts 3.5rem from the top (Streamlit's 6rem left a laptop's first screen a tenth empty; its
# header bar is 3.75rem, the title's own top margin clears it). A table's toolbar (search,
# download, full screen) shows in the 44 px above its top right corner when the pointer is over
# it: a row above a table (the commitments' Page -/+) keeps 2rem more room, or the toolbar
# covered its "+" as the pointer moved up to it and took the click. A
# figure's label wraps instead of ending in "…": "Starred (% of commitments a star formula was
# applied to)" says what it counts only when it is read whole; the figures of a row sit on one
# line under their labels.
SMALL_PRINT = "#475360"
MAP_TOP = maps.MODEBAR + maps.TITLE_LINE + 8  # px: a map's plot area under a one-line title
MAP_BOTTOM = maps.MARGIN["b"]  # px: and above its colour bar and legend
# A world map (show_chart: a `worldmap-` container, the figure without a height) is as tall as
# its width wants (a phone's: the whole world's width, not 600 px that cut Asia-Pacific off),
# never taller than the screen leaves under a page's title (at 1366x768 it sat half below the
# fold), 380-900 px (a wide screen's shows more of the world's height than 600 px did). Until
# MapLibre draws (seconds on a slow machine) its place shows a light panel and a line
# (show_chart): the figure's background is see-through on the page only (its PNG keeps white).
MAP_CSS = f"""
[class*="st-key-worldmap-"] {{flex: 0 0 auto !important; min-height: 0 !important; position: relative;
  height: clamp(380px, min(calc((100vw - 2rem) / 1.55 + 150px), calc(100vh - 230px)), 900px) !important;
  background: linear-gradient(#eef2f6, #eef2f6) 0 {MAP_TOP}px / 100% calc(100% - {MAP_TOP + MAP_BOTTOM}px) no-repeat;}}
[class*="st-key-worldmap-"]::before {{content: var(--ogp-map-wait, ""); position: absolute; left: 1rem;
  right: 1rem; top: 40%; text-align: center; color: {SMALL_PRINT}; font-size: 0.9rem;}}
[class*="st-key-worldmap-"] svg.main-svg {{background: transparent !important;}}"""
APP_CSS = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stTooltipHoverTarget"] svg,
[data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"] {{color: {SMALL_PRINT} !important; opacity: 1 !important;}}
[data-testid="stMarkdownContainer"] table {{display: block; max-width: 100%; overflow-x: auto;}}
[class*="st-key-figures-"] > [data-testid="stElementContainer"] {{flex: 1 1 0; min-width: 9.5rem;}}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}}
[class*="st-key-figures-"] {{align-items: flex-end;}}
[data-testid="stMainBlockContainer"] {{padding-top: 3.5rem;}}
.st-key-table-pager {{margin-bottom: 2rem;}}
{MAP_CSS}
</style>"""


def page_style() -> None:
    st.html(APP_CSS)
    framework_language()


# Streamlit's own frame of the page is English whatever the page's language: <html lang="en">
# (its index.html), the "Skip to main content" link, the help buttons' names ("Help for …") and
# the sidebar's "View N more" / "View less". Streamlit 1.67 has no setting for any of them (no
# config option, no API: st.context.locale only reads the browser's), so a small constant script
# sets them: <html lang> to the page's language, and those texts, now and as Streamlit redraws
# them (a MutationObserver). The same observer scrolls a commitment opened from a table to its
# title (Streamlit keeps the scroll position of the table it was picked from), and a change of
# the query string alone replaces the browser's history entry (Back goes to the previous page,
# not to the same page without its filters). It is the only script the app sends through st.html; its one input
# is JSON of the language code and our own translations (never the data or the URL's text).
FRAMEWORK_JS = """<script>
(() => {
  const t = %s;
  const root = document;
  const fix = () => {
    if (root.documentElement.lang !== t.lang) root.documentElement.lang = t.lang;
    for (const a of root.querySelectorAll('[data-testid="stSkipToContent"]')) {
      if (a.textContent !== t.skip) a.textContent = t.skip;
    }
    for (const b of root.querySelectorAll('[aria-label^="Help"]')) {
      const label = b.getAttribute("aria-label");
      const named = label === "Help" ? t.help
        : label.startsWith("Help for ") ? t.helpFor.replace("{label}", label.slice(9)) : label;
      if (named !== label) b.setAttribute("aria-label", named);  // English: unchanged, no loop
    }
    for (const v of root.querySelectorAll('[data-testid="stSidebarNavViewButton"]')) {
      const m = /^View (\\d+) more$/.exec(v.textContent);
      const shown = m ? t.more.replace("{n}", m[1]) : v.textContent === "View less" ? t.less : v.textContent;
      if (shown !== v.textContent) v.textContent = shown;
    }
  };
  // A commitment opened from a table (?id= changes) is shown from its title: the page kept the
  // table's scroll position, which on a phone is past the title.
  const opened = () => new URLSearchParams(location.search).get("id");
  let seen = root.__ogpOpened ?? opened();
  const top = () => {
    const id = opened();
    if (id !== seen) {
      seen = root.__ogpOpened = id;
      if (id) root.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
    }
  };
  // Back after moving to another page with a filter set took two presses: Streamlit pushes a
  // history entry for the page change, then another when the new page writes its filters to the
  // URL (the same path, another query string), and Back reached the first, which wrote them again.
  // A change of the query string alone replaces the current entry instead (as OWID's grapher
  // does): the address bar still holds the whole view, and Back goes to the previous page.
  if (!history.__ogpOnePerPage) {
    const push = history.pushState.bind(history);
    history.pushState = (state, title, url) => {
      const next = url == null ? null : new URL(url, location.href);
      return next && next.pathname === location.pathname
        ? history.replaceState(state, title, url) : push(state, title, url);
    };
    history.__ogpOnePerPage = true;
  }
  fix();
  if (root.__ogpLang) root.__ogpLang.disconnect();
  root.__ogpLang = new MutationObserver(() => { fix(); top(); });
  root.__ogpLang.observe(root.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label"]});
})();
</script>"""


def present_this(item: str, snapshot: str | None, help: str) -> None:
    """ "Present this": the deck opened on a one-slide story of `item` (deck.member_item,
    deck.theme_item); the deck's editor adds the rest."""
    st.page_link(
        registry.PRESENT.file,
        label=_("Present this"),
        icon=":material/slideshow:",
        query_params=urls.story_params([item], snapshot=snapshot),
        help=help,
    )


def map_wait_css() -> str:
    """The line a world map's place shows until MapLibre draws (MAP_CSS), in the reader's
    language: constant CSS, our own translated text only."""
    wait = _("Drawing the map… Its numbers are in the data table under it.")
    return f"<style>:root {{--ogp-map-wait: {css_string(wait)};}}</style>"


def framework_script() -> str:
    """FRAMEWORK_JS for the reader's language."""
    words = {
        "lang": i18n.current(),
        "skip": _("Skip to main content"),
        "help": _("Help"),
        "helpFor": _("Help for {label}"),
        "more": _("View {n} more"),
        "less": _("View less"),
    }
    payload = json.dumps(words, ensure_ascii=True).replace("<", "\\u003c")
    return FRAMEWORK_JS % payload


def framework_language() -> None:
    """Streamlit's own English texts and <html lang> in the reader's language (FRAMEWORK_JS)."""
    with st._event:  # takes no room on the page
        st.html(framework_script(), unsafe_allow_javascript=True)


# -- display ------------------------------------------------------------------------------
# Zoom and pan tools of bar charts: a row of icons over the title on a phone, used by nobody.
CHART_ONLY_TOOLS = [
    "zoom2d",
    "pan2d",
    "select2d",
    "lasso2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "resetScale2d",
]


def is_map(fig: go.Figure) -> bool:
    return any(t.type in ("choroplethmap", "scattermap") for t in fig.data)


def css_string(words: str) -> str:
    """A CSS string token of `words` (our own translated text): quoted, with no way out of the
    string or of the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,;:!?…'()-" else f"\\{ord(c):x} " for c in words)
    return f'"{escaped}"'


def show_chart(
    chart: Chart,
    key: str,
    *,
    on_select: str | None = None,
    height: int | str = "content",
    details: bool = True,
):
    """A chart, its one-line description (alt text) and its data (table + CSV) one click away.
    The modebar's camera button saves a slide-sized PNG named after the chart, offline.
    The alt text is the chart's accessible name; `details=False` leaves the visible description
    and the data to the caller (the deck puts them in one `data_popover` per slide)."""
    config: dict[str, Any] = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": chart.name, **PNG_SIZE},
    }
    if not is_map(chart.fig):
        config["modeBarButtonsToRemove"] = CHART_ONLY_TOOLS  # bars: the camera is what people use
    kwargs: dict[str, Any] = {"key": key, "config": config, "alt": chart.alt, "height": height}
    if on_select:
        kwargs.update(on_select=on_select, selection_mode=("points",))
    if is_map(chart.fig) and chart.fig.layout.height is None:  # sized by the screen (MAP_CSS)
        st.html(map_wait_css())
        with st.container(key=f"worldmap-{key}"):
            event = st.plotly_chart(chart.fig, **{**kwargs, "height": "stretch"})
    else:
        event = st.plotly_chart(chart.fig, **kwargs)
    if details:
        st.caption(chart.alt)
        data_expander(
            chart.data, chart.name, key=f"{key}-data", label=_("Data: {title}").format(title=chart.title)
        )
    return event


def data_popover(charts: list[tuple[Chart, str]], notes: Sequence[str] = (), container=None) -> None:
    """One button ("Data") opening, for each (chart, key): its title, its description (alt
    text), its table and a CSV download; then `notes` (where the numbers come from)."""
    with (container or st).popover(_("Data"), icon=":material/table:"):
        for chart, key in charts:
            st.markdown(f"**{escape_md(chart.title)}**")
            st.caption(chart.alt)
            shown, table = readable_kept(chart)
            st.dataframe(table, hide_index=True, width="stretch", height=table_height(len(shown), 8))
            st.download_button(
                _("Download CSV"),
                functools.partial(tables.csv_bytes, shown),
                f"{chart.name}.csv",
                "text/csv",
                key=f"{key}-data",
                on_click="ignore",
            )
        for note in notes:
            st.caption(note)


def readable_kept(chart: Chart):
    """`readable(chart.data)` and its Arrow table, made once per language and kept on the
    (shared, never changed) chart: a slide's popover is built on every rerun, and shaping and
    converting its table was a third of a deck slide's rerun."""
    import pyarrow as pa

    kept = chart.__dict__.setdefault("_readable", {})
    lang = i18n.current()
    if lang not in kept:
        shown = readable(chart.data)
        kept[lang] = (shown, pa.Table.from_pandas(shown, preserve_index=False))
    return kept[lang]


def readable(df: pd.DataFrame) -> pd.DataFrame:
    """A chart's data as shown and downloaded: IRM levels and column names in the reader's
    language, a missing level as "Not assessed" (other values are data and stay as stored)."""
    scale_of = {**scales.COLUMN_SCALE, "completion": "completion"}
    words = {c: scale_of[c] for c in df if c in scale_of and not pd.api.types.is_numeric_dtype(df[c])}
    out = df.assign(**{c: df[c].map(lambda v, s=s: i18n.level(s, v)) for c, s in words.items()})
    out = text.not_assessed(out, words)  # a missing rating reads "Not assessed", never "None"
    if "kind" in out and not pd.api.types.is_numeric_dtype(out["kind"]):
        out = out.assign(kind=out["kind"].map(lambda k: text.kind_label(k) if isinstance(k, str) else k))
    if "region" in out:
        out = out.assign(region=out["region"].map(i18n.region))
    return tables.headed(out)


def data_expander(df: pd.DataFrame, name: str, *, key: str, label: str | None = None) -> None:
    """A frame's table and its CSV download, one click away. The table is made and sent only
    while the expander is open (opening it reruns the page): a closed one costs a rerun a
    label, not a conversion of the frame to Arrow."""
    box = st.expander(label or _("Data"), key=f"{key}-open", on_change="rerun")
    if not box.open:
        return
    shown = readable(df)
    with box:
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            _("Download CSV"),
            lambda: tables.csv_bytes(shown),  # made when clicked, not on every rerun
            f"{name}.csv",
            "text/csv",
            key=key,
            on_click="ignore",
        )


def scope_text(filters: Filters) -> str:
    """Which snapshot(s) the numbers on the page come from."""
    store = get_store()
    if filters.snapshot:
        snap = store.snapshot(filters.snapshot)
        if snap and snap.synthetic:
            return _("Numbers from the snapshot of {date} (synthetic).").format(date=filters.snapshot)
        return _("Numbers from the snapshot of {date}.").format(date=filters.snapshot)
    names = store.snapshot_names
    return i18n.ngettext(
        "Numbers from the latest known state of each commitment across {n} snapshot ({dates}).",
        "Numbers from the latest known state of each commitment across {n} snapshots ({dates}).",
        len(names),
    ).format(n=i18n.number(len(names)), dates=", ".join(names))


def figure_row(key: str, n: int = 4) -> list:
    """A row of `n` headline figures, used like `st.columns(n)` (`row[i].metric(...)`): one flex
    row whose figures share its width equally (APP_CSS), not n columns (a column is one more
    element to send on every rerun); on a phone they wrap two by two instead of one per line."""
    return [st.container(horizontal=True, key=f"figures-{key}")] * n


def starred_metric(place, h, compared: str = "") -> None:
    """The Starred figure of the overview, a theme and a member: the share of the commitments a
    star formula was applied to, labelled so (ogp/model/measures.py STARRED); its count, rule and
    `compared` (e.g. "All members: 7%") in the help."""
    f = views.starred_figure(h, compared)
    place.metric(f.label, f.value, help=f.help)


def extract_note(filters: Filters | None = None, short: bool = False) -> str:
    """When the snapshots the page counts from include extracts, the sentence that says so
    (ogp.model.text.extract_note, from the manifests' scope); '' otherwise."""
    snapshot = filters.snapshot if filters else None
    return text.extract_note(get_store().extracts([snapshot] if snapshot else None), short=short)


def coverage(filters: Filters | None = None) -> str:
    """What the data covers, as Markdown: the extract sentence and OGP's own totals when the
    page's snapshots include extracts, else the note on the bundled exports."""
    note = extract_note(filters)
    return f"{escape_md(note)} {_(text.OGP_TOTALS)}" if note else _(text.EXPORT_NOTE)


def provenance(filters: Filters) -> None:
    st.caption(
        f"{scope_text(filters)} {coverage(filters)} "
        + _("[How each figure is computed]({url}).").format(url=urls.page_url(registry.METHODOLOGY.url))
    )


def methodology() -> str:
    """The Methodology's Markdown (ogp/render/method.py) for the data the store holds, in the session's
    language (its measure wording is translated: one document per language)."""
    return _methodology(get_store().version, i18n.current())


@st.cache_data(show_spinner=False, max_entries=8)
def _methodology(version: tuple, lang: str) -> str:
    from ogp.render import method

    with i18n.using(lang):
        return method.document(method.facts(get_store()))


def banners() -> None:
    """Problems with snapshots, named, shown on every page; the rest keeps working."""
    store = get_store()
    for problem in store.problems:
        st.warning(
            _("Skipped {problem}. The dashboard runs on the other snapshots.").format(problem=problem),
            icon="⚠️",
        )
    if not store.ok:
        st.error(
            _(
                "The dashboard has no data to show yet (no readable snapshot in {folder}). Whoever "
                "runs the dashboard imports an OGP export: the README's “Commands” say how."
            ).format(folder=f"{store.data_dir}/snapshots")
        )
        st.stop()


def link(label: str, url: str | None) -> str:
    """Markdown link with the label escaped (data text never becomes markup): to an https://
    page, or inside the dashboard (a URL of ogp.model.urls, which carries the base path)."""
    shown = escape_md(label)
    inside = url is not None and url.startswith(urls.base_path() + "/")
    if not url or not (url.startswith("https://") or inside):
        return shown
    target = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{shown}]({target})"


# -- maps ---------------------------------------------------------------------------------
MAP_MEASURES: dict[str, str | measures.Measure] = {
    "commitments": N_("Commitments"),
    "high_completion_pct": measures.HIGH_COMPLETION,  # its share label, in the reader's language
    "ambitious_pct": measures.AMBITIOUS,
    "starred": N_("Starred commitments (where a star formula was applied)"),
    "action_plans": N_("Action plans"),
}


# A measure whose value means nothing where its denominator is 0: those members show "no data".
MAP_VALUE_NEEDS = {"starred": measures.STARRED.denominator}


def measure_label(measure: str, rating: str | None = None) -> str:
    """A map measure's name; a completion share says which rating it reads (`rating`)."""
    label = MAP_MEASURES.get(measure)
    if label is None:
        return measure
    return label.rated_share_label(rating) if isinstance(label, measures.Measure) else _(label)


def measure_name(measure: str) -> str:
    """A map measure's short name, for a choice between them ("High completion"); the map's
    colour bar and hover say what it is a share of (`measure_label`)."""
    label = MAP_MEASURES.get(measure)
    if label is None:
        return measure
    return label.label if isinstance(label, measures.Measure) else _(label)


def map_geometry_url() -> str:
    """Where the browser fetches the map outlines (static/countries.json, served by Streamlit)."""
    from ogp.data import geo

    return urls.static_url(geo.MAP_GEOMETRY_FILE.name)


def world_map(filters: Filters, measure: str = "commitments", title: str | None = None) -> Chart:
    """Members coloured by a measure, local members as points, small states as markers:
    MapLibre over bundled geometry, so it draws with no network. Built once per data version,
    filters, measure and title; the outlines are a static file the browser fetches once."""
    store = get_store()
    key = _frozen(filters.params())
    as_of = filters.snapshot or (store.snapshot_names[-1] if store.snapshot_names else "")
    return _world_map(store.version, key, measure, title, map_geometry_url(), i18n.current(), as_of)


@shared(max_entries=512)
def _world_map(
    version: tuple,
    filter_key: tuple,
    measure: str,
    title: str | None,
    geometry_url: str,
    lang: str,
    as_of: str,
) -> Chart:
    with i18n.using(lang):
        return _build_world_map(version, filter_key, measure, title, geometry_url, as_of)


def _build_world_map(
    version: tuple, filter_key: tuple, measure: str, title: str | None, geometry_url: str, as_of: str = ""
) -> Chart:
    from ogp.data import geo
    from ogp.render import maps

    by_member = i18n.localise_members(_cached_query(version, "by_member", filter_key))
    if measure in MAP_VALUE_NEEDS:  # no star formula applied: no data, not 0
        by_member = by_member.assign(
            **{measure: by_member[measure].where(by_member[MAP_VALUE_NEEDS[measure]] > 0)}
        )
    label = measure_label(measure, dict(filter_key).get("rating"))
    title = title or _("{measure} by member").format(measure=label)
    national = by_member[by_member["kind"] != "local"]
    local = by_member[by_member["kind"] == "local"]
    countries = geo.country_table()
    small = countries[countries["small"] & countries["iso3"].isin(national["iso3"])]
    fig = maps.world_choropleth(
        national,
        geo.load_countries(),
        value_col=measure,
        label=label,
        title=title,
        hover_cols=("commitments", "high_completion_pct", "ambitious_pct"),
        locals_df=local,
        small_states=small,
        geometry_url=geometry_url,
        height=None,  # the page sizes it to the screen (show_chart, MAP_CSS)
        source=_("Source: OGP commitments and IRM assessments, data as of {date}").format(
            date=i18n.date(as_of) if as_of else "–"
        ),
    )
    alt = maps.alt_text(by_member, value_col=measure, label=label)
    return _freeze(Chart(fig, alt, by_member, f"map-{measure.replace('_', '-')}"))


def open_clicked_member(event) -> None:
    """A click on a member of a map (`show_chart(..., on_select="rerun")`) opens its page."""
    from ogp.render import maps

    code = maps.selected_member(event)
    if code:
        st.switch_page(registry.MEMBERS.file, query_params={"member": code})


# -- tables -------------------------------------------------------------------------------


def versus_all(focus: Filters, everyone: Filters, name: str, all_label: str | None = None) -> pd.DataFrame:
    """`member_vs_all` of the headlines of two scopes (a theme or a member, and all), made once
    per data version, scopes, names and language and shared by every session (so charting it
    costs no digest either): never change what it returns."""
    return derived(_versus_all, focus, everyone, name, all_label)


def _versus_all(focus: Filters, everyone: Filters, name: str, all_label: str | None) -> pd.DataFrame:
    return member_vs_all(
        run("headline", focus).iloc[0], run("headline", everyone).iloc[0], name, all_label, focus.rating
    )


def versus_all_by_cycle(filters: Filters, query: str, level: str, positive, label: str) -> pd.DataFrame:
    """A theme's share of `positive` levels of `level` by action-plan cycle (`query`), against
    all commitments: made once per data, filters and language, shared (never change it)."""
    return derived(_by_cycle, filters, query, level, positive, scales.levels(level), label)


def _by_cycle(filters: Filters, query: str, level: str, positive, assessed, label: str) -> pd.DataFrame:
    parts = [
        charts.share_by(
            run(query, f),
            x="action_plan",
            level=level,
            count="commitments",
            positive=positive,
            assessed=assessed,
            group=group,
        )
        for f, group in ((filters, label), (filters.without("theme"), _("All commitments")))
    ]
    out = pd.concat(parts)
    return out.assign(action_plan=[_("Plan {n}").format(n=n) for n in out["action_plan"]])


TOP = 10


def top_members(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The members with the most commitments in `filters`, and the most advanced (3+ assessed),
    TOP of each: made once per data, filters and language (nlargest was 6 ms a rerun)."""
    return derived(_top_members, filters)


def _top_members(filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    members = run("by_member", filters)
    advanced = members[members["completion_assessed"] >= 3]
    return members.nlargest(TOP, "commitments"), advanced.nlargest(
        TOP, ["high_completion_pct", "high_completion"]
    )


# Shares of the compared measures for a member or a theme against all: one table (ogp/render/views.py).
member_vs_all = views.versus_all


COMMITMENT_COLUMNS = (
    "key",
    "member_name",
    "action_plan",
    "title",
    "year_submitted",
    "from_level",
    "to_level",
    "completion",
    "potential_impact",
    "starred",
    "url",
)
# The scale of each level column of a commitments table (its values shown in OGP's terms).
LEVEL_COLUMNS = {
    "completion": "completion",
    "potential_impact": "potential_impact",
    "from_level": "completion",
    "to_level": "completion",
}


def commitment_columns(rating: str | None = None) -> dict:
    """Column headers of a commitments table in the reader's language (text.COLUMN_LABELS); its
    completion column says which rating it shows (`rating`, ogp/model/filters.py: None the latest)."""
    label = text.column_label
    return {
        **{c: label(c) for c in COMMITMENT_COLUMNS},
        "completion": measures.rated(label("completion"), rating),
        "title": st.column_config.TextColumn(label("title"), width="large"),
        "year_submitted": st.column_config.NumberColumn(label("year_submitted"), format="%d"),
        "url": st.column_config.LinkColumn(label("url"), display_text=_("open ↗")),
    }


def member_columns(rating: str | None = None) -> dict:
    """Column headers of the members list (tables.member_list) in the reader's language
    (text.COLUMN_LABELS); high completion says which rating it reads (`rating`)."""
    label = text.column_label
    return {
        **{c: label(c) for c in tables.MEMBER_COLUMNS},
        "member_code": st.column_config.TextColumn(label("member_code"), width="small"),
        "member_name": st.column_config.TextColumn(label("member_name"), width="medium"),
        "region": st.column_config.TextColumn(label("region"), width="medium"),
        "high_completion_pct": st.column_config.NumberColumn(
            measures.HIGH_COMPLETION.rated_label(rating),
            format="%.0f%%",
            help=measures.HIGH_COMPLETION.rated_share_label(rating),
        ),
        "ambitious_pct": st.column_config.NumberColumn(
            label("ambitious_pct"), format="%.0f%%", help=measures.AMBITIOUS.share_label
        ),
        "starred": st.column_config.NumberColumn(label("starred"), help=measure_label("starred")),
        "first_year": st.column_config.NumberColumn(label("first_year"), format="%d"),
        "last_year": st.column_config.NumberColumn(label("last_year"), format="%d"),
    }


def process_columns() -> dict:
    """Column headers of a member's co-creation table (tables.process_table)."""
    label = text.column_label
    return {
        **{c: label(c) for c in tables.PROCESS_COLUMNS},
        "action_plan": st.column_config.NumberColumn(label("action_plan"), format="%d"),
        "year_submitted": st.column_config.NumberColumn(label("year_submitted"), format="%d"),
    }


ROW_HEIGHT, HEADER_HEIGHT = 35, 38  # st.dataframe's rows: a table is as tall as its rows


def table_height(rows: int, most: int = 15) -> int:
    """Pixels for a table of `rows` rows showing at most `most` before it scrolls (no blank rows)."""
    return HEADER_HEIGHT + ROW_HEIGHT * max(1, min(rows, most))


def commitment_table(
    rows: pd.DataFrame,
    *,
    key: str,
    most: int = 15,
    on_commitments_page: bool = False,
    rating: str | None = None,
) -> None:
    """Commitments (their completion: the rating `rating` chooses, as the query read it); selecting a row opens its detail view in this tab, with the filters of the
    page kept in the URL (a link column opened a new tab that forgot them). OGP's own page of
    a commitment opens in a new tab."""
    table = shaped(_commitment_display, rows)
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=table_height(len(rows), most),
        key=f"{key}-{st.query_params.get('id', '')}",  # a new table after a row is opened
        column_config={c: h for c, h in commitment_columns(rating).items() if c in table.column_names},
        on_select="rerun",
        selection_mode="single-row",
    )
    st.caption(_("Select a row to open that commitment: its ratings in every snapshot."))
    chosen = event.selection.rows if event else []
    if chosen:
        open_commitment(rows["key"].iloc[chosen[0]], on_commitments_page=on_commitments_page)


def _commitment_display(rows: pd.DataFrame):
    """The commitments as the table shows them (levels in OGP's words, "Not assessed", Yes/No),
    converted to Arrow once (st.dataframe converts a pandas frame on every rerun)."""
    import pyarrow as pa

    levels = {c: rows[c].map(lambda v, s=s: i18n.level(s, v)) for c, s in LEVEL_COLUMNS.items() if c in rows}
    table = text.not_assessed(rows.assign(**levels), tuple(LEVEL_COLUMNS))
    if "starred" in table:
        yes_no = table["starred"].map({True: _("Yes"), False: _("No")})  # None: no star formula applied
        table = table.assign(starred=yes_no.astype("object").where(yes_no.notna(), _(text.NOT_ASSESSED)))
    if "url" in table:  # a commitment without an OGP page: an empty cell, not a grey "None"
        table = table.assign(url=table["url"].fillna(""))
    cols = [c for c in COMMITMENT_COLUMNS if c in table]
    return pa.Table.from_pandas(table[cols], preserve_index=False)


def open_commitment(key: str, *, on_commitments_page: bool) -> None:
    """The detail view of a commitment, in this tab. On the commitments page only `id` changes
    (the filters' URL parameters stay as they are); from another page, the page's own
    parameters go along and the sidebar's filters keep their values."""
    if on_commitments_page:
        st.query_params["id"] = key
        st.rerun()
    here = {k: st.query_params.get_all(k) for k in st.query_params if not bound_param(k)}
    st.switch_page(registry.COMMITMENTS.file, query_params=detail_params(here, key))


def bound_param(key: str) -> bool:
    """Whether a URL parameter belongs to a widget bound with bind="query-params": Streamlit
    carries those to the next page with their widget (and refuses to have them set)."""
    from streamlit.runtime.state import get_session_state

    with get_session_state().query_params() as qp:
        return qp.is_bound(key)


def detail_params(here: dict[str, list[str]], key: str) -> dict[str, str | list[str]]:
    """The URL parameters of a commitment's detail view opened from a page whose (unbound)
    parameters are `here`: its filters kept (repeated ones too), its member dropped, the key added."""
    keep = {k: v[0] if len(v) == 1 else v for k, v in here.items() if v and k not in ("id", "member")}
    return {**keep, "id": key}


def export_buttons(filters: Filters, total: int) -> None:
    """CSV and Excel of exactly the filtered commitments, generated when clicked (not on every
    rerun): headers and IRM levels in the reader's language (readable)."""
    store = get_store()
    params = filters.params()
    name = _("ogp-commitments") + (f"-{filters.snapshot}" if filters.snapshot else "")
    download_buttons(
        i18n.keep_language(lambda: readable(store.query("commitments_export", **params))),
        total,
        name,
        sheet=_("commitments"),
    )


def download_buttons(rows, total: int, name: str, *, sheet: str, key: str = "") -> None:
    """A CSV and an Excel download of the frame `rows()` gives (called when clicked), side by
    side; both through tables.csv_bytes / excel_bytes (text stays text)."""
    cols = st.columns(2)
    cols[0].download_button(
        i18n.ngettext("Download {n} row as CSV", "Download {n} rows as CSV", total).format(
            n=i18n.number(total)
        ),
        lambda: tables.csv_bytes(rows()),
        f"{name}.csv",
        "text/csv",
        on_click="ignore",
        key=f"{key}csv",
    )
    cols[1].download_button(
        i18n.ngettext("Download {n} row as Excel", "Download {n} rows as Excel", total).format(
            n=i18n.number(total)
        ),
        lambda: tables.excel_bytes(rows(), sheet),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"{key}xlsx",
    )
