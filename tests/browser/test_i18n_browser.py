"""Languages in a real browser: ?lang= translates the page and survives a move to another page
through the sidebar, and a browser set to Spanish opens the dashboard in Spanish (and writes
?lang=es into the URL, so a copied link opens in Spanish for anyone)."""

from __future__ import annotations

from html import unescape

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
    # a shared link with parameters but no ?lang= also opens in the browser's language: the
    # values links carry are codes (?measure=starred), the same in every language
    link = spanish.new_page()
    link.goto(spanish.url("/map?measure=starred"))
    wait_idle(link)
    assert_no_exception(link, "/map?measure=starred in an es-ES browser", spanish)
    assert "Resumen" in nav_labels(link)
    link.wait_for_url("**lang=es**")
    assert "measure=starred" in link.url
    assert link.get_by_role("radio", name="Compromisos estelares").is_checked()
    assert not spanish.blocked


# -- a member page and a theme page in each language --------------------------------------------
# (page, lang, its title, a heading of the page, words of one of its chart titles)
PAGES = {
    ("member", "fr"): ("/members?member=BRA", "Brésil", "Engagements", "Brésil face à tous les membres"),
    ("member", "es"): ("/members?member=BRA", "Brasil", "Compromisos", "Brasil frente a"),
    ("theme", "es"): ("/anti-corruption", "Anticorrupción", "Compromisos destacados", "frente a todos"),
    ("theme", "fr"): (
        "/anti-corruption",
        "Lutte anticorruption",
        "Engagements remarquables",
        "face à tous",
    ),
}
DEFAULT_PAGES = [("member", "fr"), ("theme", "es")]  # the other two with --slow


def open_in(session, path: str, lang: str):
    page = session.new_page()
    page.goto(session.url(f"{path}{'&' if '?' in path else '?'}lang={lang}"))
    wait_idle(page)
    assert_no_exception(page, f"{path} in {lang}", session)
    return page


BRIEF_BUTTON = {"fr": "Télécharger la fiche du membre (HTML)", "es": "Descargar la ficha del miembro (HTML)"}
PLANS = {"fr": "Plans d'action", "es": "Planes de acción"}


def check_page_in(session, kind: str, lang: str, tmp_path) -> None:
    path, title, heading, chart_words = PAGES[(kind, lang)]
    page = open_in(session, path, lang)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h1").first.inner_text().strip() == title
    assert main.get_by_role("heading", name=heading).count() >= 1, heading
    page.locator(".gtitle", has_text=chart_words).first.wait_for(state="attached")
    # links the page writes (provenance line, member links) carry the language
    links = main.locator('a[href^="/"]')
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs and all(f"lang={lang}" in h for h in hrefs), hrefs
    assert f"lang={lang}" in page.url
    if kind == "member":  # its brief, built in another thread when clicked, speaks the page's language
        with page.expect_download() as download:
            page.get_by_role("button", name=BRIEF_BUTTON[lang]).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        brief = unescape(saved.read_text(encoding="utf-8"))
        assert f'<html lang="{lang}">' in brief and f"<h1>{title}</h1>" in brief
        assert PLANS[lang] in brief and "Action plans" not in brief
    assert not session.blocked and not session.errors, (session.blocked, session.errors)


@pytest.mark.parametrize("kind,lang", DEFAULT_PAGES)
def test_member_and_theme_pages_in_each_language(session, kind, lang, tmp_path):
    check_page_in(session, kind, lang, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("kind,lang", [k for k in PAGES if k not in DEFAULT_PAGES])
def test_member_and_theme_pages_in_each_language_all(session, kind, lang, tmp_path):
    check_page_in(session, kind, lang, tmp_path)


# -- the deck and the brief in French and Spanish pass the same checks as in English -------------
from screen_checks import VIEWPORTS, axe_violations, shoot  # noqa: E402
from test_brief import pdf_pages  # noqa: E402
from test_screens import check_deck, deck_slides  # noqa: E402

from ogp.model import i18n  # noqa: E402

# test_screens.check_deck (heights, nothing under the bar or out of the stage, one-row bar, no
# "…" in the numbers, bar labels, the picker's choice, layout, axe): in the default run French
# at the smallest projector on the kinds of slide where French runs longest (spotlight with its
# two charts, title, map, a theme); every slide in fr and es at every size, phone included, with --slow.
KINDS_OF_SLIDE = [1, 2, 3, 4]
DECK_CASES = [(lang, vp) for lang in ("fr", "es") for vp in VIEWPORTS]


@pytest.mark.slow  # in the default run the French story at this size (test_present_browser) checks these kinds of slide
def test_deck_in_french_on_a_1280x720_projector(session):
    problems = check_deck(session, "1280x720", "fr", KINDS_OF_SLIDE)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("lang,viewport", DECK_CASES, ids=[f"{lang}-{vp}" for lang, vp in DECK_CASES])
def test_every_slide_in_each_language(session, lang, viewport):
    assert len(deck_slides(lang)) == len(deck_slides())
    problems = check_deck(session, viewport, lang)
    assert not problems, "\n".join(problems)


def test_member_brief_in_french_is_accessible_and_prints_on_one_page(session, tmp_path):
    from pagetest import member_brief

    from ogp.data.store import Store

    with i18n.using("fr"):
        html = member_brief(Store(), "IDN")  # the member with the most action plans
    assert '<html lang="fr">' in html
    assert pdf_pages(html, tmp_path) == 1
    page = session.new_page()
    page.set_content(html)
    shoot(page, "brief-IDN-fr")
    problems = axe_violations(page, exclude=[])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("lang", "skip", "help_prefix"),
    [("es", "Saltar al contenido principal", "Ayuda"), ("fr", "Aller au contenu principal", "Aide")],
)
def test_streamlit_frame_speaks_the_page_language(session, lang, skip, help_prefix):
    # Streamlit's own frame: <html lang>, its skip link, its help buttons' names, and back to
    # English when the reader picks English.
    page = session.new_page()
    page.goto(session.url(f"/commitments?lang={lang}"))
    wait_idle(page)
    assert_no_exception(page, f"/commitments?lang={lang}", session)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=10_000)
    assert page.locator('[data-testid="stSkipToContent"]').first.text_content() == skip
    labels = page.eval_on_selector_all("[aria-label]", "els => els.map(e => e.getAttribute('aria-label'))")
    assert not [label for label in labels if label.startswith("Help")], labels
    assert any(label.startswith(help_prefix) for label in labels), labels
    view_more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if view_more.count():
        assert not view_more.first.text_content().startswith("View")
    page.goto(session.url("/commitments?lang=en"))
    wait_idle(page)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
