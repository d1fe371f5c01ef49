"""Map: a measure per member on an offline world map; click a country to open its page."""

import streamlit as st

from ogp import ui
from ogp.i18n import _

filters = ui.filters()
st.title(_("Map of OGP members"))
measure = ui.coded_choice(  # ?measure=starred: the same link in every language
    _("Colour members by"),
    {k: ui.measure_label(k, filters.rating) for k in ui.MAP_MEASURES},
    key="measure",
    radio=True,
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
