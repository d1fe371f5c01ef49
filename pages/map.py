"""Map: a measure per member on an offline world map; click a country to open its page."""

import streamlit as st

from ogp.app import ui
from ogp.model.i18n import _

filters = ui.filters()
st.title(_("Map of OGP members"))
measure = ui.coded_choice(  # ?measure=starred: the same link in every language
    _("Colour members by"),
    {k: ui.measure_name(k) for k in ui.MAP_MEASURES},  # one line at 1366 px; the map says of what
    key="measure",
    radio=True,
)
if ui.run("headline", filters).iloc[0]["commitments"] == 0:
    ui.provenance(filters)
    st.info(_("No commitment matches these filters. Clear a filter in the sidebar to see more."))
    st.stop()
# The hint above the map and where the numbers come from under it: at 1366x768 the map and
# its hint are on the first screen.
st.caption(_("Click a country or a local member's point to open its page."))
event = ui.show_chart(ui.world_map(filters, measure), key="map", on_select="rerun")
st.caption(
    _(
        "Small states are drawn as dark-ringed circles so they stay visible; local members are "
        "vermillion circles."
    )
)
ui.provenance(filters)
ui.open_clicked_member(event)
