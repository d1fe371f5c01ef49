"""Members: a sortable list; a member's profile at /members?member=CODE."""

import streamlit as st

from ogp.app import ui
from ogp.model import i18n, measures
from ogp.model.filters import Filters
from ogp.model.i18n import _, ngettext, number
from ogp.render import brief, charts, deck, tables, views

filters = ui.filters()
names = ui.member_names()
requested = ui.clean_text(st.query_params.get("member", ""), 20).upper()


def choose_member() -> None:
    code = st.session_state.get("member_pick")
    if code:
        st.query_params["member"] = code


if not requested:
    st.title(_("Members"))
    ui.provenance(filters)
    table = ui.run("by_member", filters)
    if table.empty:
        st.info(_("No member has commitments matching these filters. Clear a filter in the sidebar."))
        st.stop()
    st.selectbox(
        _("Open a member's page"),
        list(names),
        index=None,
        format_func=names.get,  # type: ignore[arg-type]  # None for a code no longer listed: Streamlit then keeps no choice
        key="member_pick",
        on_change=choose_member,
        placeholder=_("Type a member's name"),
    )
    members = len(table)
    st.markdown(ngettext("**{n}** member", "**{n}** members", members).format(n=number(members)))
    shown = ui.shaped(tables.member_list, table)  # shaped once per filters and language
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=ui.table_height(len(table), 20),
        key="members-table",
        on_select="rerun",
        selection_mode="single-row",
        column_config=ui.member_columns(filters.rating),
    )
    st.caption(_("Select a row to open that member's page. Sort by any column by clicking its header."))
    if event and event.selection.rows:
        st.query_params["member"] = table["member_code"].iloc[event.selection.rows[0]]
        st.rerun()
    ui.download_buttons(
        i18n.keep_language(lambda: tables.headed(tables.member_rows(table), filters.rating)),
        members,
        _("ogp-members") + (f"-{filters.snapshot}" if filters.snapshot else ""),
        sheet=_("members"),
        key="members-",
    )
    st.stop()

if requested not in names:
    st.title(_("Members"))
    st.warning(
        _("No member with the code “{code}” in these snapshots. Pick one below.").format(
            code=ui.escape_md(requested)
        )
    )
    st.selectbox(
        _("Open a member's page"),
        list(names),
        index=None,
        format_func=names.get,  # type: ignore[arg-type]  # None for a code no longer listed: Streamlit then keeps no choice
        key="member_pick",
        on_change=choose_member,
    )
    st.stop()

code = requested
info = ui.run("member", member=code).iloc[0]
scope = Filters(snapshot=filters.snapshot, members=(code,))
st.title(info["member_name"])
st.markdown(" · ".join(ui.escape_md(f) for f in views.member_facts(info)))
ui.provenance(scope)
view = ui.derived(views.member, ui.run, code, filters)
if view is None:
    st.info(
        _("No commitments of this member in the chosen snapshot. Choose “{latest}”.").format(
            latest=_(ui.LATEST)
        )
    )
    st.stop()
for col, figure in zip(ui.figure_row("member"), view.figures):
    col.metric(figure.label, figure.value, help=figure.help or None)
if view.pending:
    st.info(_("Pending IRM review: the IRM has not yet assessed these commitments."))
store, scope_line = ui.get_store(), ui.scope_text(scope)  # captured: the callable runs in another thread
extracts = store.extracts([filters.snapshot] if filters.snapshot else None)
st.download_button(
    _("Download member brief (HTML)"),
    i18n.keep_language(  # its own thread: a runner over the store, not the session's cache
        lambda: brief.brief_for(
            *views.member_brief(views.runner(store), code, filters.snapshot), scope_line, extracts=extracts
        )
    ),
    f"ogp-brief-{code}-{filters.snapshot or 'latest'}.html",
    "text/html",
    on_click="ignore",
    key="brief",
    icon=":material/description:",
    help=_("One printable A4 page: figures, charts and action plans"),
)
ui.present_this(
    deck.member_item(code), filters.snapshot, _("Open this member's spotlight in the full-screen deck")
)

left, right = st.columns(2)
with left:
    ui.show_chart(
        ui.chart(
            charts.plans_timeline,
            view.plans,
            title=_("Action plans of {member}").format(member=view.name),
        ),
        key="plans",
    )
with right:
    ui.show_chart(
        ui.chart(
            charts.ranking_bar,
            view.by_theme,
            label="theme",
            value="commitments",
            x_label=_("Commitments"),
            y_label=_("Theme"),
            title=_("Commitments of {member} by theme").format(member=view.name),
        ),
        key="themes",
    )
ui.show_chart(
    ui.chart(
        charts.compare_bars,
        view.versus,
        category="measure",
        value="percent",
        group="group",
        count="count",
        whole="of",
        focus=view.name,
        title=_("{member} against all members").format(member=view.name),
        x_label=_(measures.COMPARED_AXIS),
        y_label=_("Share (%)"),
    ),
    key="compare",
)

process = ui.shaped(tables.process_table, view.plans)  # shaped and converted to Arrow once
if process.num_rows:
    st.subheader(_("Co-creation process"))
    st.dataframe(
        process,
        hide_index=True,
        width="stretch",
        height=ui.table_height(process.num_rows),
        column_config=ui.process_columns(),
    )
st.subheader(_("Commitments"))
rows = ui.run("commitments_page", scope, limit=1000, offset=0)
ui.commitment_table(rows, key="member-commitments", rating=filters.rating)
