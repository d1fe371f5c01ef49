"""Map: a measure per member on an offline world map; click a country to open its page."""

import streamlit as st

from ogp import i18n, ui
from ogp.i18n import _

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

filters = ui.sidebar_filters()
st.title(_("Map of OGP members"))
measure = st.radio(
    _("Colour members by"),
    list(ui.MAP_MEASURES),
    format_func=i18n.keep_language(ui.measure_label),
    horizontal=True,
    key="measure",
    bind="query-params",
)
ui.provenance(filters)
if ui.run("headline", filters).iloc[0]["commitments"] == 0:
    st.info(_("No commitment matches these filters. Clear a filter in the sidebar to see more."))
    st.stop()
event = ui.show_chart(ui.world_map(filters, measure), key="map", on_select="rerun")
st.caption(
    _(
        "Click a country or a local member's point to open its page. Small states are drawn as "
        "dark-ringed circles so they stay visible; local members are vermillion circles."
    )
)
ui.open_clicked_member(event)
