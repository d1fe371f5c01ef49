"""Map: a measure per member on an offline world map; click a country to open its page."""

import streamlit as st

from ogp import ui

ui.ensure_dashboard()  # a deep link on a fresh server: go through dashboard.py

filters = ui.sidebar_filters()
st.title("Map of OGP members")
measure = st.radio(
    "Colour members by",
    list(ui.MAP_MEASURES),
    format_func=ui.MAP_MEASURES.get,
    horizontal=True,
    key="measure",
    bind="query-params",
)
ui.provenance(filters)
if ui.run("headline", filters).iloc[0]["commitments"] == 0:
    st.info("No commitment matches these filters. Clear a filter in the sidebar to see more.")
    st.stop()
event = ui.show_chart(ui.world_map(filters, measure), key="map", on_select="rerun")
st.caption(
    "Click a country or a local member's point to open its page. Small states are drawn as "
    "dark-ringed circles so they stay visible; local members are vermillion circles."
)
ui.open_clicked_member(event)
