"""Shared test helpers (imported as `pagetest`; a conftest.py would clash with
tests/browser/conftest.py): paths of the raw exports, and running a dashboard page with AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")
RAW = ROOT / "data" / "raw"
CURRENT_CSV = RAW / "g0v_ogp-commitments" / "open_parliament_0703.csv"
LEGACY_CSV = RAW / "Vizzuality_ogp" / "explorer" / "data" / "latest_data" / "ogpirm_live_data.csv"


def run_page(page: str, /, timeout: float = 90, **query) -> AppTest:
    """Open `page` (a file under pages/, or a theme slug) the way a browser at
    /<url_path>?<query> would, and run it."""
    at = AppTest.from_file(DASHBOARD, default_timeout=timeout)
    for key, value in query.items():
        at.query_params[key] = value
    # The page's first run, as a browser's first request for its URL: dashboard.py registers each
    # page under its url_path (a file of pages/ under its name, a theme under its slug), and
    # st.Page identifies a page by the hash of that path; the overview is the default page.
    url_path = Path(page).stem if page.endswith(".py") else page
    if url_path != "overview":
        at._page_hash = calc_hash(url_path)
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception reached the page."""
    assert not at.exception, [e.message for e in at.exception]


# -- sweeps: a representative case in the default run, the rest with --slow --------------------
def default_theme_slugs() -> tuple[str, ...]:
    """The theme pages the default run opens: the first and the last of data/themes.toml (one
    script, pages/theme.py, renders every theme; the other nine with --slow)."""
    from ogp.model.themes import load_themes

    slugs = [t.slug for t in load_themes()]
    return (slugs[0], slugs[-1])


def sweep(cases, keep, ids=None) -> list:
    """`cases` as pytest params: those `keep(case)` accepts run by default, the others are
    marked slow (deselected unless --slow, never skipped). A tuple case fills several arguments."""
    params = []
    for i, case in enumerate(cases):
        values = case if isinstance(case, tuple) else (case,)
        marks = () if keep(case) else (pytest.mark.slow,)
        params.append(pytest.param(*values, marks=marks, id=ids[i] if ids else None))
    return params


def member_brief(store, code: str, snapshot: str | None = None, scope: str = "", generated=None) -> str:
    """The member brief as the member page makes it: the member's view over the store, then
    ogp.render.brief.brief_for."""
    from ogp.render import brief, views

    view, completion = views.member_brief(views.runner(store), code, snapshot)
    extracts = store.extracts([snapshot] if snapshot else None)
    return brief.brief_for(view, completion, scope, generated=generated, extracts=extracts)
