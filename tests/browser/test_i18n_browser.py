"""Languages in a real browser: ?lang= translates the page and survives a move to another page
through the sidebar, and a browser set to Spanish opens the dashboard in Spanish (and writes
?lang=es into the URL, so a copied link opens in Spanish for anyone)."""

from __future__ import annotations

import pytest
from ogp_browser import wait_idle
from test_browser import assert_no_exception

pytestmark = pytest.mark.browser


def nav_labels(page) -> list[str]:
    """The nav links' labels (a material icon renders its name as text on the line before)."""
    return [
        t.strip().splitlines()[-1].strip()
        for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    ]


def test_lang_in_url_translates_and_is_kept_across_pages(session):
    page = session.new_page()
    # A fresh server's very first visit runs in Streamlit's file-based mode (menu of file
    # names; see test_deep_links.py): not what this test is about, so the server is visited once.
    page.goto(session.url("/"))
    wait_idle(page)
    page.goto(session.url("/map?lang=fr"))
    wait_idle(page)
    assert_no_exception(page, "/map?lang=fr", session)
    assert {"Vue d'ensemble", "Carte", "Membres", "Engagements"} <= set(nav_labels(page))
    page.locator('[data-testid="stSidebarNav"] a', has_text="Membres").first.click()
    page.wait_for_url("**/members**")
    wait_idle(page)
    assert "lang=fr" in page.url
    assert "Vue d'ensemble" in nav_labels(page)
    assert not session.blocked


def test_overview_in_spanish_by_url(session):
    page = session.new_page()
    page.goto(session.url("/?lang=es"))
    wait_idle(page)
    assert_no_exception(page, "/?lang=es", session)
    assert {"Resumen", "Mapa", "Miembros", "Compromisos"} <= set(nav_labels(page))
    assert page.locator('[data-testid="stSidebar"]').get_by_text("Idioma").count() >= 1


def test_spanish_browser_opens_in_spanish(new_session):
    spanish = new_session("es-ES")
    page = spanish.new_page()
    page.goto(spanish.url("/"))
    wait_idle(page)
    assert_no_exception(page, "/ in an es-ES browser", spanish)
    assert "Resumen" in nav_labels(page)
    page.wait_for_url("**lang=es**")
    assert not spanish.blocked
