"""Overview: headline figures, completion over time, the world map, where numbers come from."""

import streamlit as st

from ogp.app import ui
from ogp.model import registry, urls
from ogp.model.i18n import _, ngettext, number
from ogp.render import views

filters = ui.filters()
st.title(_("Open Government Partnership: delivering on commitments"))
st.markdown(
    _(
        "Where OGP members stand on the commitments of their action plans, as assessed by "
        "the Independent Reporting Mechanism (IRM)."
    )
)
ui.provenance(filters)

view = ui.derived(views.overview, ui.run, filters)
if view is None:
    st.info(_("No commitment matches these filters. Clear a filter in the sidebar to see more."))
    st.stop()

*headline, population = view.figures
for row, figures in (("overview-1", headline[:4]), ("overview-2", headline[4:])):
    for col, figure in zip(ui.figure_row(row), figures):
        col.metric(figure.label, figure.value, help=figure.help or None)
cols = st.columns([1, 3], vertical_alignment="center")
cols[0].metric(population.label, population.value, help=population.help)
cols[1].caption(view.population_note)

left, right = st.columns(2)
with left:
    ui.show_chart(
        ui.chart(views.completion_by_year_chart, view.completion_by_year, filters.rating), key="overview-year"
    )
with right:
    ui.show_chart(
        ui.chart(views.completion_by_cycle_chart, view.completion_by_cycle, filters.rating),
        key="overview-cycle",
    )

event = ui.show_chart(
    ui.world_map(filters, "commitments", _("Commitments by member")), key="overview-map", on_select="rerun"
)
ui.open_clicked_member(event)


def show_sources() -> None:
    """Each snapshot's figures and source files, and how the IRM rates."""
    store = ui.get_store()
    plans = ui.run("snapshot_plans").set_index("snapshot")
    for snap in store.snapshots:
        m = snap.manifest
        sources = ", ".join(s.get("file", "?") for s in m.get("sources", [])) or _("synthetic data")
        counts = snap.counts()
        p = plans.loc[snap.name] if snap.name in plans.index else None
        if p is not None:
            with_commitments = int(p["with_commitments"])
            plan_text = ngettext(
                "{n} action plan with commitments", "{n} action plans with commitments", with_commitments
            ).format(n=number(with_commitments))
            if p["process_only"]:
                plan_text += " " + _("(and {n} known only from the process database)").format(
                    n=number(int(p["process_only"]))
                )
        else:
            n_p = counts.get("action_plans")
            plan_text = ngettext(
                "{n} action plan", "{n} action plans", 2 if n_p is None else int(n_p)
            ).format(n="?" if n_p is None else number(n_p))
        n_c, n_m = int(counts.get("commitments", 0) or 0), counts.get("members")
        figures = ", ".join(
            (
                ngettext("{n} commitment", "{n} commitments", n_c).format(n=number(n_c)),
                ngettext("{n} member", "{n} members", 2 if n_m is None else int(n_m)).format(
                    n="?" if n_m is None else number(n_m)
                ),
                plan_text,
            )
        )
        st.markdown(
            _("- **{snapshot}**: {figures} — from {sources}").format(
                snapshot=snap.name, figures=figures, sources=ui.escape_md(sources)
            )
        )
    st.markdown(
        _(
            "Ratings are the IRM's: completion (not started, limited, substantial, complete), "
            "potential impact (none, minor, moderate, transformative) and did it open government "
            "(worsened, did not change, marginal, major, outstanding). See "
            "[Methodology]({url}) for every figure's definition."
        ).format(url=urls.page_url(registry.METHODOLOGY.url))
    )


# Made only while open (opening it reruns the page): closed, it costs a rerun its label.
sources = st.expander(_("Where these numbers come from"), key="overview-sources", on_change="rerun")
if sources.open:
    with sources:
        show_sources()
