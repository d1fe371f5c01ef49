"""OGP Progress Dashboard: `streamlit run dashboard.py`.

Registers every page with st.navigation (theme pages are generated from data/themes.toml)
and shows the snapshot banners; the pages do the rest."""

from __future__ import annotations

import streamlit as st

from app_pages import theme as theme_page
from ogp import ui
from ogp.i18n import _
from ogp.themes import load_themes

ui.choose_language()  # first: every string below is in the session's language
st.set_page_config(
    page_title=_("OGP Progress Dashboard"), page_icon="🌐", layout="wide", initial_sidebar_state="expanded"
)

core = [
    st.Page(
        "app_pages/overview.py", title=_("Overview"), icon=":material/public:", url_path="", default=True
    ),
    st.Page("app_pages/map.py", title=_("Map"), icon=":material/map:", url_path="map"),
    st.Page("app_pages/members.py", title=_("Members"), icon=":material/groups:", url_path="members"),
    st.Page(
        "app_pages/commitments.py", title=_("Commitments"), icon=":material/search:", url_path="commitments"
    ),
    st.Page("app_pages/progress.py", title=_("Progress"), icon=":material/trending_up:", url_path="progress"),
    st.Page("app_pages/monitor.py", title=_("Monitor"), icon=":material/notifications:", url_path="monitor"),
    st.Page("app_pages/present.py", title=_("Present"), icon=":material/slideshow:", url_path="present"),
]
themes = [st.Page(theme_page.page_for(t.slug), title=t.short, url_path=t.slug) for t in load_themes()]

page = st.navigation({_("Dashboard"): core, _("Themes"): themes})
ui.language_picker()
ui.banners()
page.run()
