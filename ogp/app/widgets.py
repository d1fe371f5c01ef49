"""What pages show: charts with their data one click away, figures, provenance lines, maps that
open a member on a click, and tables with their exports."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ogp.app import cache
from ogp.app.cache import _freeze, _frozen, get_store, shaped, shared
from ogp.app.style import map_wait_css
from ogp.model import i18n, measures, registry, scales, text, urls
from ogp.model.filters import Filters
from ogp.model.i18n import N_, _
from ogp.model.text import escape_md
from ogp.render import maps, tables, views
from ogp.render.charts import Chart

PNG_SIZE = {"width": 1920, "height": 1080, "scale": 1}


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

    by_member = i18n.localise_members(cache._cached_query(version, "by_member", filter_key))
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

    code = maps.selected_member(event)
    if code:
        st.switch_page(registry.MEMBERS.file, query_params={"member": code})


# -- tables -------------------------------------------------------------------------------


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
