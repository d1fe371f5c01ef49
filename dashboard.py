"""OGP Progress Dashboard: `streamlit run dashboard.py`.

Registers every page with st.navigation (theme pages are generated from data/themes.toml)
and shows the snapshot banners; the pages do the rest."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ogp import ui, urls
from ogp.i18n import _
from ogp.themes import load_themes
from pages import theme as theme_page

ui.choose_language()  # first: every string below is in the session's language
st.set_page_config(
    page_title=_("OGP Progress Dashboard"),
    page_icon="🌐",
    layout="wide",
    initial_sidebar_state="auto",  # collapsed on a phone, open on a laptop
)

# A fresh server's first session runs in Streamlit's old file-based mode when a pages/ folder
# sits beside the entry point (PagesManager.uses_pages_directory, set once per process): the
# requested page is looked up among pages/*.py, is not found, and the overview runs instead.
# Remember it here; once st.navigation below has switched the process to its page list, send
# this first visit on to the page its URL names, with its parameters.
first_visit_in_file_mode = bool(PagesManager.uses_pages_directory)

core = [
    st.Page(
        "pages/overview.py",
        title=_("Overview"),
        icon=":material/public:",
        url_path=urls.OVERVIEW,
        default=True,
    ),
    st.Page("pages/map.py", title=_("Map"), icon=":material/map:", url_path=urls.MAP),
    st.Page("pages/members.py", title=_("Members"), icon=":material/groups:", url_path=urls.MEMBERS),
    st.Page(
        "pages/commitments.py", title=_("Commitments"), icon=":material/search:", url_path=urls.COMMITMENTS
    ),
    st.Page("pages/progress.py", title=_("Progress"), icon=":material/trending_up:", url_path=urls.PROGRESS),
    st.Page("pages/monitor.py", title=_("Monitor"), icon=":material/notifications:", url_path=urls.MONITOR),
    st.Page("pages/present.py", title=_("Present"), icon=":material/slideshow:", url_path=urls.PRESENT),
    st.Page("pages/data.py", title=_("Data"), icon=":material/database:", url_path=urls.DATA),
    st.Page(
        "pages/methodology.py", title=_("Methodology"), icon=":material/rule:", url_path=urls.METHODOLOGY
    ),
]
themes = [st.Page(theme_page.page_for(t.slug), title=t.short, url_path=t.slug) for t in load_themes()]

page = st.navigation({_("Dashboard"): core, _("Themes"): themes})
if first_visit_in_file_mode:
    wanted = (st.context.url or "").rstrip("/").rsplit("/", 1)[-1]
    target = next((p for p in core + themes if p.url_path and p.url_path == wanted), None)
    if target is not None and target.url_path != page.url_path:
        st.switch_page(target, query_params=st.query_params.to_dict())
ui.language_picker()
ui.page_style()
ui.banners()
page.run()
