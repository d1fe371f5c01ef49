"""The dashboard's pages, written once: each page's key, script, URL path, menu title, icon and
filter bar. dashboard.py registers them with st.navigation, in-app links use their URL paths
(ogp/model/urls.py), the filter bar reads which filters a page shows (ogp/app/ui.py), and the
benchmark and the tests read their scripts. A theme's page is generated for every theme of
data/themes.toml: one script (pages/theme.py) at the theme's slug.

A new page: its script in pages/ and one line in PAGES below (then its strings in the catalogs).
The languages are one list too: `ogp.model.i18n.LANGUAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ogp.model.i18n import N_
from ogp.model.themes import load_themes


@dataclass(frozen=True)
class FilterBar:
    """How a page's sidebar filter bar differs from the default (`ui.sidebar_filters`' switches)."""

    show_theme: bool = True  # a theme page is its theme's filter: no theme choice there
    show_search: bool = False  # the commitments list searches titles and descriptions


@dataclass(frozen=True)
class Page:
    key: str  # how the benchmark and the tests name it
    file: str  # its script, relative to the project folder
    url: str  # its URL path under the app's base path ("": the home page)
    title: str  # the menu's title, in English, marked for translation (shown through _())
    icon: str | None  # a Material icon of the menu; a theme page has none
    filter_bar: FilterBar | None = field(default=None)  # None: the page has no filter bar
    default: bool = False  # the page the app opens on


OVERVIEW = Page("overview", "pages/overview.py", "", N_("Overview"), ":material/public:", FilterBar(), True)
MAP = Page("map", "pages/map.py", "map", N_("Map"), ":material/map:", FilterBar())
MEMBERS = Page("members", "pages/members.py", "members", N_("Members"), ":material/groups:", FilterBar())
COMMITMENTS = Page(
    "commitments",
    "pages/commitments.py",
    "commitments",
    N_("Commitments"),
    ":material/search:",
    FilterBar(show_search=True),
)
PROGRESS = Page(
    "progress", "pages/progress.py", "progress", N_("Progress"), ":material/trending_up:", FilterBar()
)
MONITOR = Page(
    "monitor", "pages/monitor.py", "monitor", N_("Monitor"), ":material/notifications:", FilterBar()
)
PRESENT = Page("present", "pages/present.py", "present", N_("Present"), ":material/slideshow:")
DATA = Page("data", "pages/data.py", "data", N_("Data"), ":material/database:")
METHODOLOGY = Page("methodology", "pages/methodology.py", "methodology", N_("Methodology"), ":material/rule:")

PAGES: tuple[Page, ...] = (OVERVIEW, MAP, MEMBERS, COMMITMENTS, PROGRESS, MONITOR, PRESENT, DATA, METHODOLOGY)
THEME_FILE = "pages/theme.py"  # one script for every theme, registered at each theme's slug
THEME_FILTER_BAR = FilterBar(show_theme=False)


def theme_pages() -> tuple[Page, ...]:
    """A page per theme of data/themes.toml, titled with the theme's short name in the session's
    language (already translated: the themes file carries its own translations)."""
    return tuple(
        Page(f"theme:{t.slug}", THEME_FILE, t.slug, t.short, None, THEME_FILTER_BAR) for t in load_themes()
    )


def at(url_path: str) -> Page | None:
    """The page served at `url_path` (a theme's at its slug), or None."""
    for page in PAGES:
        if page.url == url_path:
            return page
    return next((p for p in theme_pages() if p.url == url_path), None)
