"""OGP Progress Dashboard: `streamlit run dashboard.py`.

Registers every page with st.navigation (theme pages are generated from data/themes.toml)
and shows the snapshot banners; the pages do the rest."""

from __future__ import annotations

import streamlit as st

from ogp import host


def main() -> None:
    from ogp import ui, urls  # here, not above: `streamlit run` imports this file before its runtime
    from ogp.i18n import _
    from ogp.themes import load_themes
    from pages import theme as theme_page

    ui.note_run_start()  # before any widget: a browser back from a dead replica (see there)
    ui.choose_language()  # first: every string below is in the session's language
    st.set_page_config(
        page_title=_("OGP Progress Dashboard"),
        page_icon="🌐",
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on a phone, open on a laptop
    )

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
            "pages/commitments.py",
            title=_("Commitments"),
            icon=":material/search:",
            url_path=urls.COMMITMENTS,
        ),
        st.Page(
            "pages/progress.py", title=_("Progress"), icon=":material/trending_up:", url_path=urls.PROGRESS
        ),
        st.Page(
            "pages/monitor.py", title=_("Monitor"), icon=":material/notifications:", url_path=urls.MONITOR
        ),
        st.Page("pages/present.py", title=_("Present"), icon=":material/slideshow:", url_path=urls.PRESENT),
        st.Page("pages/data.py", title=_("Data"), icon=":material/database:", url_path=urls.DATA),
        st.Page(
            "pages/methodology.py", title=_("Methodology"), icon=":material/rule:", url_path=urls.METHODOLOGY
        ),
    ]
    themes = [st.Page(theme_page.page_for(t.slug), title=t.short, url_path=t.slug) for t in load_themes()]

    page = st.navigation({_("Dashboard"): core, _("Themes"): themes})
    ui.language_picker()
    ui.page_style()
    ui.banners()
    ui.filter_bar(page.url_path)  # here, not in the pages: the filters stay as the reader moves
    page.run()


if __name__ == "__main__":  # each session runs the script
    main()
else:  # `streamlit run dashboard.py` imports it to find the ASGI app it serves (see ogp/host.py)
    app = st.App(__file__, middleware=host.middleware())
