"""One page renders every theme of data/themes.toml: dashboard.py registers one st.Page per
theme with the callable from `page_for(slug)`."""

from __future__ import annotations

import streamlit as st

from ogp.app import ui
from ogp.model import measures, registry
from ogp.model.i18n import _, number
from ogp.model.themes import theme_by_slug
from ogp.render import charts, deck, views


def page_for(slug: str):
    def page() -> None:
        render(slug)

    page.__name__ = f"theme_{slug.replace('-', '_')}"
    return page


def render(slug: str) -> None:
    theme = theme_by_slug(slug)
    if theme is None:  # dashboard.py registers only the themes of data/themes.toml
        raise KeyError(slug)
    filters = ui.filters().with_(theme=slug)
    st.title(theme.short)  # the theme's one name: menu, filter, tables and this heading
    st.markdown(f"**{theme.title}.** {theme.intro}")  # the brochure's words for the issue area
    if theme.story:
        st.info(theme.story, icon=":material/auto_stories:")
    ui.provenance(filters)
    ui.present_this(
        deck.theme_item(slug), filters.snapshot, _("Open this theme's slide in the full-screen deck")
    )
    view = ui.derived(views.theme, ui.run, slug, filters)
    if view is None:
        st.info(
            _(
                "No commitment in this selection belongs to {theme}. "
                "Clear a filter or choose another snapshot in the sidebar."
            ).format(theme=theme.short.lower())
        )
        st.stop()
    for col, figure in zip(ui.figure_row("theme"), view.figures):
        col.metric(figure.label, figure.value, help=figure.help or None)
    if view.few_assessed is not None:
        st.warning(
            _(
                "Only {n} of these commitments have a completion assessment: treat the shares below with care."
            ).format(n=number(view.few_assessed))
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
            focus=theme.short,
            title=_("{theme} against all commitments").format(theme=theme.short),
            x_label=_(measures.COMPARED_AXIS),
            y_label=_("Share (%)"),
        ),
        key=f"{slug}-compare",
    )
    event = ui.show_chart(
        ui.world_map(filters, "commitments", _("{theme}: commitments by member").format(theme=theme.short)),
        key=f"{slug}-map",
        on_select="rerun",
    )
    ui.open_clicked_member(event)

    # one under the other, full width: side by side a cycle's two bars were 25 px wide at
    # 1280x720 and their labels ("50% (5 of 10)") ran into each other
    for cycle in ui.derived(views.theme_cycles, ui.run, slug, theme.short, filters):
        ui.show_chart(
            ui.chart(
                charts.compare_bars,
                cycle.frame,
                category="action_plan",
                value="percent",
                group="group",
                count="count",
                whole="assessed",
                focus=theme.short,
                title=cycle.title,
                x_label=_("Action-plan cycle"),
                y_label=cycle.y_label,
            ),
            key=f"{slug}-{cycle.key}",
        )

    left, right = st.columns(2)
    with left:
        ui.show_chart(
            ui.chart(
                charts.ranking_bar,
                view.most,
                label="member_name",
                value="commitments",
                x_label=_("Commitments"),
                title=_("Members with the most {theme} commitments").format(theme=theme.short.lower()),
            ),
            key=f"{slug}-most",
        )
    with right:
        if view.advanced.empty:
            st.info(_("No member has three or more assessed commitments in this theme yet."))
        else:
            ui.show_chart(
                ui.chart(
                    charts.ranking_bar,
                    view.advanced,
                    label="member_name",
                    value="high_completion_pct",
                    percent=True,
                    x_label=measures.HIGH_COMPLETION.rated_share_label(filters.rating),
                    count="high_completion",
                    whole="completion_assessed",
                    title=measures.rated(
                        _("Most advanced members in {theme} (3+ assessed)").format(theme=theme.short.lower()),
                        filters.rating,
                    ),
                ),
                key=f"{slug}-advanced",
            )

    st.subheader(_("Standout commitments"))
    standout = ui.run("standout_commitments", filters, limit=20)
    if standout.empty:
        st.info(_("No commitment of this theme is starred or has assessed strong results yet."))
    else:
        st.caption(
            _(
                "Starred, or assessed as opening government majorly or outstandingly, "
                "or with notable early results."
            )
        )
        ui.commitment_table(standout, key=f"{slug}-standout", rating=filters.rating)
    st.page_link(
        registry.COMMITMENTS.file,
        label=_("Explore all {n} {theme} commitments").format(
            n=number(view.headline["commitments"]), theme=theme.short.lower()
        ),
        icon=":material/search:",
        query_params={"theme": slug},
    )
