"""OGP Progress Dashboard: `streamlit run dashboard.py`.

Registers every page of ogp/model/registry.py with st.navigation (a theme's page for each theme
of data/themes.toml) and shows the snapshot banners; the pages do the rest."""

from __future__ import annotations

import streamlit as st

from ogp.app import host


def main() -> None:
    from ogp.app import ui  # here, not above: `streamlit run` imports this file before its runtime
    from ogp.model import registry
    from ogp.model.i18n import _
    from pages import theme as theme_page

    ui.begin_run()  # this run's memo: the store, the filters (ogp/app/cache.py)
    ui.note_run_start()  # before any widget: a browser back from a dead replica (see there)
    ui.choose_language()  # first: every string below is in the session's language
    st.set_page_config(
        page_title=_("OGP Progress Dashboard"),
        page_icon="🌐",
        layout="wide",
        initial_sidebar_state="auto",  # collapsed on a phone, open on a laptop
    )

    core = [
        st.Page(p.file, title=_(p.title), icon=p.icon, url_path=p.url, default=p.default)
        for p in registry.PAGES
    ]
    themes = [
        st.Page(theme_page.page_for(p.url), title=p.title, url_path=p.url) for p in registry.theme_pages()
    ]

    page = st.navigation({_("Dashboard"): core, _("Themes"): themes})
    ui.language_picker()
    ui.page_style()
    ui.banners()
    ui.filter_bar(page.url_path)  # here, not in the pages: the filters stay as the reader moves
    page.run()


if __name__ == "__main__":  # each session runs the script
    main()
else:  # `streamlit run dashboard.py` imports it to find the ASGI app it serves (see ogp/app/host.py)
    app = st.App(__file__, middleware=host.middleware())
