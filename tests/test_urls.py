"""ogp.urls: every in-app link carries the base path the app is served under."""

from __future__ import annotations

import re

import pytest
from streamlit import config

from ogp import i18n, urls


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
