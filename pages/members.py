"""Members: a sortable list; a member's profile at /members?member=CODE."""

import streamlit as st

from ogp.app import ui
from ogp.model import i18n, measures, text
from ogp.model.filters import Filters
from ogp.model.i18n import _, ngettext, number
from ogp.model.themes import load_themes
from ogp.render import brief, charts, deck, tables

filters = ui.filters()
names = ui.member_names()
requested = ui.clean_text(st.query_params.get("member", ""), 20).upper()


def themes_named(scope: Filters):
    """The member's commitments per theme, the theme by its name (made once per data and scope)."""
    titles = {t.slug: t.short for t in load_themes()}
    return ui.run("themes_count", scope).assign(theme=lambda d: d["theme"].map(titles))


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
member = ui.run("member", member=code).iloc[0]
scope = Filters(snapshot=filters.snapshot, members=(code,))
everyone = Filters(snapshot=filters.snapshot)
st.title(member["member_name"])
facts = [
    text.member_kind(member["kind"]),
    i18n.region(member["region"]),
    _("status: {status}").format(status=text.member_status(member["status"])) if member["status"] else None,
]
st.markdown(" · ".join(ui.escape_md(f) for f in facts if f))
ui.provenance(scope)
mine, world = ui.run("headline", scope).iloc[0], ui.run("headline", everyone).iloc[0]
if not mine["commitments"]:
    st.info(
        _("No commitments of this member in the chosen snapshot. Choose “{latest}”.").format(
            latest=_(ui.LATEST)
        )
    )
    st.stop()
cols = ui.figure_row("member")
cols[0].metric(_("Action plans"), number(mine["action_plans"]))
cols[1].metric(_("Commitments"), number(mine["commitments"]))
high_label = measures.HIGH_COMPLETION.rated_label(filters.rating)
if mine["completion_assessed"]:
    cols[2].metric(
        high_label,
        measures.HIGH_COMPLETION.value(mine),
        help=_("{detail}. All members: {share}").format(
            detail=measures.HIGH_COMPLETION.detail(mine, filters.rating),
            share=measures.HIGH_COMPLETION.value(world),
        ),
    )
else:
    cols[2].metric(
        high_label,
        _("Pending"),
        help=_("Pending IRM review: no completion assessment yet"),
    )
ui.starred_metric(cols[3], mine, _("All members: {share}.").format(share=measures.STARRED.value(world)))
if not (mine["completion_assessed"] or mine["ambition_assessed"]):
    st.info(_("Pending IRM review: the IRM has not yet assessed these commitments."))
store, scope_line = ui.get_store(), ui.scope_text(scope)  # captured: the callable runs in another thread
st.download_button(
    _("Download member brief (HTML)"),
    i18n.keep_language(lambda: brief.brief_for(store, code, filters.snapshot, scope_line)),  # its own thread
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

plans = ui.run("member_plans", snapshot=filters.snapshot, member=code, rating=filters.rating)
left, right = st.columns(2)
with left:
    ui.show_chart(
        ui.chart(
            charts.plans_timeline,
            plans,
            title=_("Action plans of {member}").format(member=member["member_name"]),
        ),
        key="plans",
    )
with right:
    ui.show_chart(
        ui.chart(
            charts.ranking_bar,
            ui.derived(themes_named, scope),
            label="theme",
            value="commitments",
            x_label=_("Commitments"),
            y_label=_("Theme"),
            title=_("Commitments of {member} by theme").format(member=member["member_name"]),
        ),
        key="themes",
    )
ui.show_chart(
    ui.chart(
        charts.compare_bars,
        ui.versus_all(scope, everyone, member["member_name"]),
        category="measure",
        value="percent",
        group="group",
        count="count",
        whole="of",
        focus=member["member_name"],
        title=_("{member} against all members").format(member=member["member_name"]),
        x_label=_(measures.COMPARED_AXIS),
        y_label=_("Share (%)"),
    ),
    key="compare",
)

process = ui.shaped(tables.process_table, plans)  # shaped and converted to Arrow once
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
