"""Every link inside the dashboard, built in one place.

Pages are registered in dashboard.py under the URL paths below. A link that the browser
follows by itself (a table's LinkColumn cell, a markdown link) is a plain string, so it must
carry the path the app is served under: behind a proxy at https://host/ogp/ Streamlit runs
with `server.baseUrlPath = "ogp"`, and `/members?member=GBR` would leave the dashboard.
Every builder here prefixes `base_path()`, read from that option through the reader the app's
glue registers (`read_base_from`; this module imports no Streamlit, so charts and tests use it). Values are percent-encoded;
what stays readable (`GBR-2-5`, `GEO-2-1(A)`) is what a person copies.

st.page_link / st.switch_page take a page, not a URL: Streamlit adds the base path itself.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, quote_plus, urlencode

from ogp.model import i18n, registry

SLIDES = "slides"  # the deck's story: the slides it shows, in order (ogp.render.deck.parse_story)
LANG = "lang"  # the language of the session, kept in in-app links unless English
# kept as is in query values with letters, digits and "-._~": GEO-2-1(A) and a story's
# `slides=title,map,member:ESP` stay readable
SAFE = ":(),"

# What a table's LinkColumn shows of these URLs (its `display_text`): the code or the key.
SHOWN_MEMBER = r"[?&]member=([^&]+)"
SHOWN_COMMITMENT = r"[?&]id=([^&]+)"


def _no_base() -> object:
    return ""


_base_option: Callable[[], object] = _no_base  # the served base path, as the server reads it


def read_base_from(option: Callable[[], object]) -> None:
    """Where the served base path is read: the app's glue (ogp/app/ui.py) passes Streamlit's
    `server.baseUrlPath`; without it (the baked site, the digest) links start at the root."""
    global _base_option
    _base_option = option


def base_path() -> str:
    """`/ogp` when the app is served under /ogp/ (server.baseUrlPath `ogp`, `/ogp` or `ogp/`),
    `` at the root of its host."""
    raw = str(_base_option() or "").strip("/")
    return "/" + "/".join(quote(part, safe="-._~") for part in raw.split("/")) if raw else ""


def page_url(path: str = "", *, base: str | None = None, **params) -> str:
    """`{base}/{path}?k=v&…`; parameters that are None or empty are left out, lists repeat.
    `base`: None for this server's base path; an absolute URL (`https://host/ogp`) for links
    sent outside the app (the digest). In-app links carry the session's language unless it
    is English (ogp.app.ui.choose_language reads it back)."""
    if base is None and LANG not in params and i18n.current() != i18n.DEFAULT:
        params = {**params, LANG: i18n.current()}
    pairs = [
        (key, str(v))
        for key, value in params.items()
        for v in (value if isinstance(value, list | tuple) else [value])
        if v is not None and v != ""
    ]
    url = f"{base_path() if base is None else base}/{path}"
    return url + ("?" + urlencode(pairs, safe=SAFE, quote_via=quote_plus) if pairs else "")


def member_url(code: str, *, base: str | None = None) -> str:
    return page_url(registry.MEMBERS.url, base=base, member=code)


def story_params(items, **params) -> dict[str, str]:
    """The query of /present showing the slides `items` (ogp.render.deck's `title`, `map`,
    `member:ESP`, `theme:open-budgets`) in their order: for st.page_link, and for present_url.
    Other parameters (`snapshot`) that are None or empty are left out."""
    return {SLIDES: ",".join(items), **{k: str(v) for k, v in params.items() if v is not None and v != ""}}


def present_url(items, *, base: str | None = None, **params) -> str:
    """A story as a link: /present?slides=title,map,member:ESP (see story_params)."""
    return page_url(registry.PRESENT.url, base=base, **story_params(items, **params))


def commitment_url(key: str, *, base: str | None = None) -> str:
    """A commitment's detail view, by its dashboard key or its OGP id."""
    return page_url(registry.COMMITMENTS.url, base=base, id=key)


def theme_url(slug: str, *, base: str | None = None, **params) -> str:
    return page_url(slug, base=base, **params)


def commitments_url(*, base: str | None = None, **params) -> str:
    """The commitments search with these filters (q, theme, region, …)."""
    return page_url(registry.COMMITMENTS.url, base=base, **params)


def monitor_url(members=(), region: str | None = None, *, base: str | None = None) -> str:
    """/monitor with the sidebar's members (their codes: ui.coded_choice keeps codes in the
    URL) and region (a bound widget: the region's name) set."""
    return page_url(registry.MONITOR.url, base=base, region=region, members=list(members))


def static_url(name: str, *, base: str | None = None) -> str:
    """A file of static/ (served by Streamlit with server.enableStaticServing)."""
    return f"{base_path() if base is None else base}/app/static/{quote(name)}"
