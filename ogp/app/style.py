"""The page's look: constant CSS and the script that keeps Streamlit's own strings in the
session's language. Constants only: no data reaches them."""

from __future__ import annotations

import json

import streamlit as st

from ogp.model import i18n
from ogp.model.i18n import _
from ogp.render import maps

# -- look ---------------------------------------------------------------------------------
# Constant CSS (never data), one place for the whole app. Streamlit draws captions and other
# small print faded (grey text at 60% opacity: 2.9-4.2:1 on white, under WCAG AA's 4.5:1):
# a darker grey reads at 7:1 on white and on the sidebar's background. A Markdown table (the
# Methodology's) wider than a phone scrolls in its own box, not the whole page sideways. A page
# starts 3.5rem from the top (Streamlit's 6rem left a laptop's first screen a tenth empty; its
# header bar is 3.75rem, the title's own top margin clears it). A table's toolbar (search,
# download, full screen) shows in the 44 px above its top right corner when the pointer is over
# it: a row above a table (the commitments' Page -/+) keeps 2rem more room, or the toolbar
# covered its "+" as the pointer moved up to it and took the click. A
# figure's label wraps instead of ending in "…": "Starred (% of commitments a star formula was
# applied to)" says what it counts only when it is read whole; the figures of a row sit on one
# line under their labels.
SMALL_PRINT = "#475360"
MAP_TOP = maps.MODEBAR + maps.TITLE_LINE + 8  # px: a map's plot area under a one-line title
MAP_BOTTOM = maps.MARGIN["b"]  # px: and above its colour bar and legend
# A world map (show_chart: a `worldmap-` container, the figure without a height) is as tall as
# its width wants (a phone's: the whole world's width, not 600 px that cut Asia-Pacific off),
# never taller than the screen leaves under a page's title (at 1366x768 it sat half below the
# fold), 380-900 px (a wide screen's shows more of the world's height than 600 px did). Until
# MapLibre draws (seconds on a slow machine) its place shows a light panel and a line
# (show_chart): the figure's background is see-through on the page only (its PNG keeps white).
MAP_CSS = f"""
[class*="st-key-worldmap-"] {{flex: 0 0 auto !important; min-height: 0 !important; position: relative;
  height: clamp(380px, min(calc((100vw - 2rem) / 1.55 + 150px), calc(100vh - 230px)), 900px) !important;
  background: linear-gradient(#eef2f6, #eef2f6) 0 {MAP_TOP}px / 100% calc(100% - {MAP_TOP + MAP_BOTTOM}px) no-repeat;}}
[class*="st-key-worldmap-"]::before {{content: var(--ogp-map-wait, ""); position: absolute; left: 1rem;
  right: 1rem; top: 40%; text-align: center; color: {SMALL_PRINT}; font-size: 0.9rem;}}
[class*="st-key-worldmap-"] svg.main-svg {{background: transparent !important;}}"""
APP_CSS = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, [data-testid="stTooltipHoverTarget"] svg,
[data-testid="stSliderTickBarMin"], [data-testid="stSliderTickBarMax"] {{color: {SMALL_PRINT} !important; opacity: 1 !important;}}
[data-testid="stMarkdownContainer"] table {{display: block; max-width: 100%; overflow-x: auto;}}
[class*="st-key-figures-"] > [data-testid="stElementContainer"] {{flex: 1 1 0; min-width: 9.5rem;}}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}}
[class*="st-key-figures-"] {{align-items: flex-end;}}
[data-testid="stMainBlockContainer"] {{padding-top: 3.5rem;}}
.st-key-table-pager {{margin-bottom: 2rem;}}
{MAP_CSS}
</style>"""


def page_style() -> None:
    st.html(APP_CSS)
    framework_language()


# Streamlit's own frame of the page is English whatever the page's language: <html lang="en">
# (its index.html), the "Skip to main content" link, the help buttons' names ("Help for …") and
# the sidebar's "View N more" / "View less". Streamlit 1.67 has no setting for any of them (no
# config option, no API: st.context.locale only reads the browser's), so a small constant script
# sets them: <html lang> to the page's language, and those texts, now and as Streamlit redraws
# them (a MutationObserver); it also lets the keyboard reach a Markdown table's scroll box. The same observer scrolls a commitment opened from a table to its
# title (Streamlit keeps the scroll position of the table it was picked from), and a change of
# the query string alone replaces the browser's history entry (Back goes to the previous page,
# not to the same page without its filters). It is the only script the app sends through st.html; its one input
# is JSON of the language code and our own translations (never the data or the URL's text).
FRAMEWORK_JS = """<script>
(() => {
  const t = %s;
  const root = document;
  const fix = () => {
    if (root.documentElement.lang !== t.lang) root.documentElement.lang = t.lang;
    for (const a of root.querySelectorAll('[data-testid="stSkipToContent"]')) {
      if (a.textContent !== t.skip) a.textContent = t.skip;
    }
    for (const b of root.querySelectorAll('[aria-label^="Help"]')) {
      const label = b.getAttribute("aria-label");
      const named = label === "Help" ? t.help
        : label.startsWith("Help for ") ? t.helpFor.replace("{label}", label.slice(9)) : label;
      if (named !== label) b.setAttribute("aria-label", named);  // English: unchanged, no loop
    }
    // A Markdown table scrolls sideways in its own box on a phone (APP_CSS): the box takes the
    // keyboard's focus, so a keyboard reader can scroll it too (WCAG 2.1.1; axe's
    // scrollable-region-focusable).
    for (const table of root.querySelectorAll('[data-testid="stMarkdownContainer"] table:not([tabindex])')) {
      table.setAttribute("tabindex", "0");
    }
    for (const v of root.querySelectorAll('[data-testid="stSidebarNavViewButton"]')) {
      const m = /^View (\\d+) more$/.exec(v.textContent);
      const shown = m ? t.more.replace("{n}", m[1]) : v.textContent === "View less" ? t.less : v.textContent;
      if (shown !== v.textContent) v.textContent = shown;
    }
  };
  // A commitment opened from a table (?id= changes) is shown from its title: the page kept the
  // table's scroll position, which on a phone is past the title.
  const opened = () => new URLSearchParams(location.search).get("id");
  let seen = root.__ogpOpened ?? opened();
  const top = () => {
    const id = opened();
    if (id !== seen) {
      seen = root.__ogpOpened = id;
      if (id) root.querySelector('[data-testid="stMain"]')?.scrollTo(0, 0);
    }
  };
  // Back after moving to another page with a filter set took two presses: Streamlit pushes a
  // history entry for the page change, then another when the new page writes its filters to the
  // URL (the same path, another query string), and Back reached the first, which wrote them again.
  // A change of the query string alone replaces the current entry instead (as OWID's grapher
  // does): the address bar still holds the whole view, and Back goes to the previous page.
  if (!history.__ogpOnePerPage) {
    const push = history.pushState.bind(history);
    history.pushState = (state, title, url) => {
      const next = url == null ? null : new URL(url, location.href);
      return next && next.pathname === location.pathname
        ? history.replaceState(state, title, url) : push(state, title, url);
    };
    history.__ogpOnePerPage = true;
  }
  fix();
  if (root.__ogpLang) root.__ogpLang.disconnect();
  root.__ogpLang = new MutationObserver(() => { fix(); top(); });
  root.__ogpLang.observe(root.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label"]});
})();
</script>"""


def map_wait_css() -> str:
    """The line a world map's place shows until MapLibre draws (MAP_CSS), in the reader's
    language: constant CSS, our own translated text only."""
    wait = _("Drawing the map… Its numbers are in the data table under it.")
    return f"<style>:root {{--ogp-map-wait: {css_string(wait)};}}</style>"


def framework_script() -> str:
    """FRAMEWORK_JS for the reader's language."""
    words = {
        "lang": i18n.current(),
        "skip": _("Skip to main content"),
        "help": _("Help"),
        "helpFor": _("Help for {label}"),
        "more": _("View {n} more"),
        "less": _("View less"),
    }
    payload = json.dumps(words, ensure_ascii=True).replace("<", "\\u003c")
    return FRAMEWORK_JS % payload


def framework_language() -> None:
    """Streamlit's own English texts and <html lang> in the reader's language (FRAMEWORK_JS)."""
    with st._event:  # takes no room on the page
        st.html(framework_script(), unsafe_allow_javascript=True)


def css_string(words: str) -> str:
    """A CSS string token of `words` (our own translated text): quoted, with no way out of the
    string or of the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,;:!?…'()-" else f"\\{ord(c):x} " for c in words)
    return f'"{escaped}"'
