"""Streamlit glue shared by the pages: the cached store and queries, the sidebar filters
bound to the URL, chart display with its data and downloads, and the provenance line.
Pages call these; they hold no SQL and build no figure themselves."""

from __future__ import annotations

import io
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ogp import i18n, paths, scales, text
from ogp.charts import Chart
from ogp.filters import Filters, clean_text
from ogp.store import Store
from ogp.text import escape_md
from ogp.themes import load_themes

LATEST = "Latest of all snapshots"
PNG_SIZE = {"width": 1920, "height": 1080, "scale": 1}


@st.cache_resource(show_spinner="Opening the snapshots…", max_entries=2)
def _open_store(data_dir: str, listing: tuple[str, ...]) -> Store:
    return Store(data_dir)


def get_store() -> Store:
    """The store over the data directory ($OGP_DATA_DIR or data/), reopened when a snapshot
    is added or removed (a directory listing per rerun, nothing more)."""
    base = paths.data_dir()
    return _open_store(str(base), tuple(paths.snapshot_names(base)))


@st.cache_data(show_spinner=False, max_entries=2048)
def _cached_query(version: tuple, name: str, params: tuple) -> pd.DataFrame:
    return get_store().query(name, **dict(params))


def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run a named query, cached per data version and parameters."""
    store = get_store()
    merged = {**(filters.params() if filters else {}), **params}
    return _cached_query(store.version, name, _frozen(merged))


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


# -- figures built once ---------------------------------------------------------------------
class FrozenFigure(go.Figure):
    """A finished figure whose dict is computed once. st.plotly_chart calls `to_dict()` (a
    deep copy of the whole figure) on every rerun; this one answers with the dict it kept.
    Cached figures are shared by every session: never change one after it is frozen."""

    @classmethod
    def freeze(cls, fig: go.Figure) -> FrozenFigure:
        """The same object, frozen in place (a builder's fresh figure: nothing else holds it)."""
        frozen = go.Figure.to_dict(fig)
        fig.__class__ = cls
        fig._frozen_dict = frozen
        return fig

    def to_dict(self) -> dict:
        frozen = self.__dict__.get("_frozen_dict")
        return frozen if frozen is not None else super().to_dict()


def _freeze(chart: Chart) -> Chart:
    return Chart(FrozenFigure.freeze(chart.fig), chart.alt, chart.data, chart.name)


@st.cache_resource(show_spinner=False, max_entries=1024)
def _built_chart(
    builder_name: str, lang: str, data: pd.DataFrame, args: tuple, kwargs: dict, _builder
) -> Chart:
    with i18n.using(lang):
        return _freeze(_builder(data, *args, **kwargs))


def chart(builder, data: pd.DataFrame, *args, **kwargs) -> Chart:
    """`builder(data, *args, **kwargs)` (a pure builder of ogp.charts or ogp.deck), built once
    per content of `data` and arguments and shared by every session: a rerun that shows the
    same chart hashes a small frame instead of building a Plotly figure (no pickling either: a
    cached figure would cost more to unpickle than to build). One per language: a chart's
    words are in the language of the session that built it."""
    name = f"{builder.__module__}.{builder.__qualname__}"
    return _built_chart(name, i18n.current(), data, args, kwargs, builder)


# -- language -----------------------------------------------------------------------------
LANG_PARAM = "lang"
# Parameters Streamlit itself reads; they say nothing about the language of a link.
NEUTRAL_PARAMS = {LANG_PARAM, "embed", "embed_options"}


def choose_language() -> str:
    """The session's language (dashboard.py calls this first on every run): ?lang=en|es|fr,
    else the language this session already uses, else the browser's (st.context.locale),
    else English. A link that carries other parameters but no ?lang= came from an English
    session (every other session writes its language into the URL) and opens in English:
    Streamlit writes filter values as shown (a member's name, a level's label), so they only
    read back in the language they were written in. Unless English, the language is kept in
    the URL, so moving between pages and copied links keep it."""
    requested = st.query_params.get(LANG_PARAM)
    remembered = st.session_state.get("_lang")
    browser = st.context.locale
    link_params = [k for k in st.query_params if k not in NEUTRAL_PARAMS]
    if remembered is None and i18n.supported(requested) is None and link_params:
        browser = None
    lang = i18n.activate(i18n.negotiate(requested, remembered, browser))
    st.session_state["_lang"] = lang
    if requested is not None and i18n.supported(requested) is None:
        del st.query_params[LANG_PARAM]  # ?lang=xx we do not speak: dropped, like any invalid value
    if lang != i18n.DEFAULT and requested != lang:
        st.query_params[LANG_PARAM] = lang
    return lang


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
    """The shared filter bar. Every widget is bound to the URL (its key is the parameter
    name), so a copied link reopens the same view; defaults stay out of the URL."""
    store = get_store()
    options = run("member_options")
    names = dict(zip(options["member_code"], options["member_name"]))
    regions = sorted(options["region"].dropna().unique())
    years = run("headline", Filters())
    lo, hi = int(years["first_year"].iloc[0] or 2011), int(years["last_year"].iloc[0] or 2024)
    with st.sidebar:
        st.subheader("Filters")
        snapshot = st.selectbox(
            "Data as of",
            [LATEST] + store.snapshot_names[::-1],
            key="snapshot",
            bind="query-params",
            help="The latest state of every commitment across all snapshots, or one export as it was.",
        )
        q = ""
        if show_search:
            q = st.text_input(
                "Search titles, descriptions, institutions",
                key="q",
                bind="query-params",
                max_chars=200,
                placeholder="e.g. budget, lobbying, GB0012",
            )
        chosen_regions = st.multiselect("Region", regions, key="region", bind="query-params")
        kinds = st.multiselect(
            "Member type", list(text.KINDS), format_func=text.KINDS.get, key="kind", bind="query-params"
        )
        members = st.multiselect(
            "Members",
            list(names),
            format_func=lambda c: names.get(c, c),
            key="members",
            bind="query-params",
            placeholder="All members",
        )
        if show_theme and theme is None:
            all_themes = {t.slug: t.title for t in load_themes()}
            theme = st.selectbox(
                "Theme",
                [None, *all_themes],
                format_func=lambda s: all_themes.get(s, "All themes"),
                key="theme",
                bind="query-params",
            )
        year_range = (lo, hi)
        if hi > lo:
            year_range = st.slider("Year of submission", lo, hi, (lo, hi), key="years", bind="query-params")
        completion = st.multiselect(
            "Completion",
            scales.levels("completion", with_unordered=True),
            key="completion",
            bind="query-params",
        )
        ambition = st.multiselect(
            "Potential impact", scales.levels("potential_impact"), key="ambition", bind="query-params"
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
        ambition=tuple(ambition),
        q=clean_text(q),
    )


# -- display ------------------------------------------------------------------------------
def show_chart(chart: Chart, key: str, *, on_select: str | None = None, height: int | None = None):
    """A chart, its one-line description (alt text) and its data (table + CSV) one click away.
    The modebar's camera button saves a slide-sized PNG named after the chart, offline."""
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": chart.name, **PNG_SIZE},
    }
    kwargs = {"key": key, "config": config, "alt": chart.alt}
    if on_select:
        kwargs.update(on_select=on_select, selection_mode=("points",))
    event = st.plotly_chart(chart.fig, **kwargs)
    st.caption(chart.alt)
    data_expander(chart.data, chart.name, key=f"{key}-data", label=f"Data: {chart.title}")
    return event


def data_expander(df: pd.DataFrame, name: str, *, key: str, label: str = "Data") -> None:
    with st.expander(label):
        st.dataframe(df, hide_index=True, width="stretch")
        st.download_button(
            "Download CSV",
            lambda: df.to_csv(index=False).encode("utf-8"),  # made when clicked, not on every rerun
            f"{name}.csv",
            "text/csv",
            key=key,
            on_click="ignore",
        )


def excel_bytes(df: pd.DataFrame, sheet: str = "commitments") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def scope_text(filters: Filters) -> str:
    """Which snapshot(s) the numbers on the page come from."""
    store = get_store()
    if filters.snapshot:
        snap = store.snapshot(filters.snapshot)
        kind = " (synthetic)" if snap and snap.synthetic else ""
        return f"Numbers from the snapshot of {filters.snapshot}{kind}."
    names = store.snapshot_names
    return (
        f"Numbers from the latest known state of each commitment across "
        f"{text.plural(len(names), 'snapshot')} ({', '.join(names)})."
    )


def provenance(filters: Filters) -> None:
    st.caption(scope_text(filters) + " " + text.EXPORT_NOTE)


def banners() -> None:
    """Problems with snapshots, named, shown on every page; the rest keeps working."""
    store = get_store()
    for problem in store.problems:
        st.warning(f"Skipped {problem}. The dashboard runs on the other snapshots.", icon="⚠️")
    if not store.ok:
        st.error(
            "No readable snapshot was found in "
            f"{store.data_dir}/snapshots. Import an export with `python -m ogp import`."
        )
        st.stop()


def link(label: str, url: str | None) -> str:
    """Markdown link with the label escaped (data text never becomes markup)."""
    shown = escape_md(label)
    return f"[{shown}]({url})" if url and url.startswith("https://") else shown


# -- maps ---------------------------------------------------------------------------------
MAP_MEASURES = {
    "commitments": "Commitments",
    "high_completion_pct": "High completion (% of assessed)",
    "ambitious_pct": "Ambitious (% of assessed)",
    "starred": "Starred commitments",
    "action_plans": "Action plans",
}


def app_url(path: str) -> str:
    """An absolute path on this server, under server.baseUrlPath when one is set."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/{path.lstrip('/')}" if base else f"/{path.lstrip('/')}"


def map_geometry_url() -> str:
    """Where the browser fetches the map outlines (static/countries.json, served by Streamlit)."""
    from ogp import geo

    return app_url(f"app/static/{geo.MAP_GEOMETRY_FILE.name}")


def world_map(filters: Filters, measure: str = "commitments", title: str | None = None) -> Chart:
    """Members coloured by a measure, local members as points, small states as markers:
    MapLibre over bundled geometry, so it draws with no network. Built once per data version,
    filters, measure and title; the outlines are a static file the browser fetches once."""
    store = get_store()
    key = _frozen(filters.params())
    return _world_map(store.version, key, measure, title, map_geometry_url(), i18n.current())


@st.cache_resource(show_spinner=False, max_entries=512)
def _world_map(
    version: tuple, filter_key: tuple, measure: str, title: str | None, geometry_url: str, lang: str
) -> Chart:
    with i18n.using(lang):
        return _build_world_map(version, filter_key, measure, title, geometry_url)


def _build_world_map(
    version: tuple, filter_key: tuple, measure: str, title: str | None, geometry_url: str
) -> Chart:
    from ogp import geo, maps

    by_member = _cached_query(version, "by_member", filter_key)
    label = MAP_MEASURES.get(measure, measure)
    title = title or f"{label} by member"
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
    )
    alt = maps.alt_text(by_member, value_col=measure, label=label)
    return _freeze(Chart(fig, alt, by_member, f"map-{measure.replace('_', '-')}"))


def clicked_member(event) -> str | None:
    from ogp import maps

    return maps.selected_member(event)


# -- tables -------------------------------------------------------------------------------
COMPARED = (
    ("High completion", "high_completion", "completion_assessed"),
    ("Ambitious", "ambitious", "ambition_assessed"),
    ("Opened government", "strong_results", "diog_assessed"),
    ("Starred", "starred", "commitments"),
)


def member_vs_all(
    mine: pd.Series, world: pd.Series, name: str, all_label: str = "All members"
) -> pd.DataFrame:
    """Shares of the compared measures for a focus group (member or theme) and for all."""
    rows = []
    for label, part, whole in COMPARED:
        for group, h in ((name, mine), (all_label, world)):
            rows.append(
                {
                    "measure": label,
                    "group": group,
                    "percent": round(100 * h[part] / h[whole], 1) if h[whole] else None,
                    "count": int(h[part]),
                    "of": int(h[whole]),
                }
            )
    return pd.DataFrame(rows)


def commitment_table(rows: pd.DataFrame, *, key: str, height: int | None = None) -> None:
    """Commitments with a link to their detail view and to their OGP page."""
    table = text.not_assessed(rows, ("completion", "potential_impact"))
    table = table.assign(detail=["/commitments?id=" + quote(k, safe=":()-._~,") for k in rows["key"]])
    cols = [
        c
        for c in (
            "detail",
            "member_name",
            "action_plan",
            "title",
            "year_submitted",
            "completion",
            "potential_impact",
            "starred",
            "url",
        )
        if c in table
    ]
    st.dataframe(
        table[cols],
        hide_index=True,
        width="stretch",
        height=height or "auto",
        key=key,
        column_config={
            "detail": st.column_config.LinkColumn("Commitment", display_text=r"id=(.+)$"),
            "member_name": "Member",
            "action_plan": "Plan",
            "title": st.column_config.TextColumn("Title", width="large"),
            "year_submitted": st.column_config.NumberColumn("Year", format="%d"),
            "completion": "Completion",
            "potential_impact": "Potential impact",
            "starred": st.column_config.CheckboxColumn("Starred"),
            "url": st.column_config.LinkColumn("OGP page", display_text="open ↗"),
        },
    )


def export_buttons(filters: Filters, total: int) -> None:
    """CSV and Excel of exactly the filtered rows, generated when clicked (not on every rerun)."""
    store = get_store()
    params = filters.params()
    name = "ogp-commitments" + (f"-{filters.snapshot}" if filters.snapshot else "")

    def rows() -> pd.DataFrame:
        return store.query("commitments_export", **params)

    cols = st.columns(2)
    cols[0].download_button(
        f"Download {total:,} rows as CSV",
        lambda: rows().to_csv(index=False).encode("utf-8"),
        f"{name}.csv",
        "text/csv",
        on_click="ignore",
        key="csv",
    )
    cols[1].download_button(
        f"Download {total:,} rows as Excel",
        lambda: excel_bytes(rows()),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="xlsx",
    )
