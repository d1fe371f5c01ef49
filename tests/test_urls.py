"""ogp.model.urls: every in-app link carries the base path the app is served under."""

from __future__ import annotations

import re

import pytest
from streamlit import config

from ogp.app import ui  # noqa: F401  # the app's glue: it tells urls to read server.baseUrlPath
from ogp.model import i18n, urls


@pytest.fixture
def served_under():
    before = config.get_option("server.baseUrlPath")

    def set_base(value: str) -> None:
        config.set_option("server.baseUrlPath", value)

    yield set_base
    config.set_option("server.baseUrlPath", before)


@pytest.mark.parametrize("option, base", [("", ""), ("ogp", "/ogp"), ("/ogp/", "/ogp"), ("a/b", "/a/b")])
def test_links_follow_server_base_url_path(served_under, option, base):
    served_under(option)
    assert urls.base_path() == base
    assert urls.member_url("GBR") == f"{base}/members?member=GBR"
    assert urls.commitment_url("GEO-2-1(A)") == f"{base}/commitments?id=GEO-2-1(A)"
    assert urls.theme_url("anti-corruption") == f"{base}/anti-corruption"
    assert urls.page_url() == f"{base}/"
    assert urls.static_url("countries.json") == f"{base}/app/static/countries.json"


def test_values_are_encoded_and_empty_ones_left_out():
    url = urls.commitments_url(base="", q="budget & lobbying", region=["Europe", "Africa"], theme=None)
    assert url == "/commitments?q=budget+%26+lobbying&region=Europe&region=Africa"
    assert urls.monitor_url(("ESMD", "GBR"), "Europe", base="https://x.org/ogp") == (
        "https://x.org/ogp/monitor?region=Europe&members=ESMD&members=GBR"
    )


def test_in_app_links_keep_the_language_and_tables_show_the_code(served_under):
    served_under("ogp")
    with i18n.using("es"):
        url = urls.commitment_url("GBR-2-5")
        assert url == "/ogp/commitments?id=GBR-2-5&lang=es"
        assert re.search(urls.SHOWN_COMMITMENT, url).group(1) == "GBR-2-5"
        # a link sent outside the app (the digest, with its own base) has no session language
        assert urls.member_url("GBR", base="https://x.org") == "https://x.org/members?member=GBR"
    assert urls.member_url("ARBA") == "/ogp/members?member=ARBA"
    assert re.search(urls.SHOWN_MEMBER, urls.member_url("ARBA")).group(1) == "ARBA"


def test_completion_rating_round_trips_through_the_url():
    """?rating= holds the choice's code (the same link in every language); choosing a rating
    writes it, choosing the latest (the default) takes it out, and a link with it reopens it.
    The figures follow (tests/test_rating.py checks them against the raw exports)."""
    from pagetest import run_page

    def high(at) -> dict[str, str]:
        return {m.label: m.value for m in at.metric if m.label.startswith("High completion")}

    at = run_page("pages/overview.py", rating="midterm", lang="fr")
    assert at.sidebar.selectbox(key="rating-choice").value == "midterm"
    assert at.query_params["rating"] == "midterm"  # the code, not "Mi-parcours"
    midterm = at.metric[3].value
    at.sidebar.selectbox(key="rating-choice").select("end").run()
    assert at.query_params["rating"] == "end"
    assert at.metric[3].value != midterm
    at.sidebar.selectbox(key="rating-choice").select(None).run()
    assert "rating" not in at.query_params
    # a copied link reopens the same choice; an unknown code is dropped (the latest rating)
    again = run_page("pages/overview.py", rating="end")
    assert list(high(again)) == ["High completion (end-of-term rating)"]
    unknown = run_page("pages/overview.py", rating="best")
    assert list(high(unknown)) == ["High completion (latest rating)"]
    assert "rating" not in unknown.query_params
