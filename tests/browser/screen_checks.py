"""What a person notices first on a screen, measured in the page (used by test_screens.py):

- `layout_problems`: a chart legend over its chart's title; a chart title running past its
  chart; a y-axis title running into the chart's title or cut at the top; a heading, button, metric or caption wider than its box (cut, or ending in "…") or
  than the window; a metric's help icon touching its label; a page scrolling sideways.
- `label_problems`: a chart's text label (a bar's or a point's value) over another label, over
  another bar, a tick, the legend or the title, or drawn smaller than a person can read; an
  axis's tick labels over each other.
- `cut_selects`: a select box showing its value cut (the deck's language picker).
- `axe_violations`: serious or critical WCAG 2.1 A/AA violations found by axe-core (loaded
  from node_modules/, offline), outside Streamlit's own sidebar navigation (see AXE_EXCLUDE).
- `shoot`: a screenshot of what fits the window, and one of the whole page, into SCREENSHOTS.
"""

from __future__ import annotations

from pathlib import Path

from ogp_browser import ROOT

SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_HINT = f"{AXE_JS} is missing: run `bash scripts/setup-tests.sh` (npm ci installs the pinned axe-core)."
# Streamlit's own sidebar navigation markup (a <ul> whose children are not all <li>) is the
# framework's, not the project's: axe reports it as list/listitem. Left out, on purpose.
AXE_EXCLUDE = ["[data-testid='stSidebarNav']"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

VIEWPORTS = {
    "1280x720": {"width": 1280, "height": 720},
    "1440x900": {"width": 1440, "height": 900},
    "1920x1080": {"width": 1920, "height": 1080},
    "390x844": {"width": 390, "height": 844},
}
PHONE = "390x844"

LAYOUT_JS = """
() => {
  const problems = [];
  const W = window.innerWidth;
  const rect = el => el.getBoundingClientRect();
  const visible = el => { const r = rect(el); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const label = el => (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);

  // charts: legend against title; title inside the chart
  document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach((gd, i) => {
    if (!visible(gd)) return;  // not shown at this width (the deck's projector or phone chart)
    const title = gd.querySelector('.gtitle');
    const legend = gd.querySelector('.legend');
    const box = rect(gd);
    if (title && legend && visible(legend) && overlap(rect(title), rect(legend)))
      problems.push(`chart "${label(title)}": its legend covers its title`);
    const ytitle = gd.querySelector('.ytitle');  // a vertical axis title longer than its axis
    if (title && ytitle && overlap(rect(title), rect(ytitle)))
      problems.push(`chart "${label(title)}": its y-axis title "${label(ytitle)}" runs into its title`);
    if (ytitle && rect(ytitle).top < box.top - 1)
      problems.push(`chart "${label(title || gd)}": its y-axis title "${label(ytitle)}" is cut at the top`);
    if (title) {
      const t = rect(title);
      if (t.right > box.right + 1 || t.left < box.left - 1)
        problems.push(`chart "${label(title)}": title wider than the chart (${Math.round(t.width)} > ${Math.round(box.width)} px)`);
    }
  });

  // text wider than its box or the window
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const texts = main.querySelectorAll('h1, h2, h3, button, [data-testid="stMetricLabel"], [data-testid="stMetricValue"], [data-testid="stCaptionContainer"], [data-testid="stPageLink"]');
  texts.forEach(el => {
    if (!visible(el)) return;
    const r = rect(el);
    if (r.right > W + 1) problems.push(`"${label(el)}" runs past the window (${Math.round(r.right)} > ${W} px)`);
    for (const node of [el, ...el.querySelectorAll('*')]) {
      if (!visible(node)) continue;
      const s = getComputedStyle(node);
      const clips = s.overflowX !== 'visible' || s.textOverflow === 'ellipsis';
      if (clips && node.scrollWidth > node.clientWidth + 1 && node.clientWidth > 1) {  // 1 px: for screen readers only
        problems.push(`"${label(el)}" is cut (${node.scrollWidth} px of text in ${node.clientWidth} px)`);
        break;
      }
    }
  });

  // a metric's help icon ("?") clear of its label's last letter ("Compromisos?")
  main.querySelectorAll('[data-testid="stMetricLabel"]').forEach(el => {
    const text = el.querySelector('[data-testid="stMarkdownContainer"]'), icon = el.querySelector('[data-testid="stTooltipIcon"] svg');
    if (!text || !icon || !visible(icon)) return;
    const range = document.createRange(); range.selectNodeContents(text);
    const lines = [...range.getClientRects()].filter(r => r.width > 0), i = rect(icon);
    const last = lines.length ? lines.reduce((a, b) => (b.bottom > a.bottom + 1 || (Math.abs(b.bottom - a.bottom) <= 1 && b.right > a.right)) ? b : a) : null;
    if (last && Math.min(last.bottom, i.bottom) > Math.max(last.top, i.top) && i.left - last.right < 3)
      problems.push(`metric "${label(text)}": its help icon touches its label (${(i.left - last.right).toFixed(1)} px apart)`);
  });

  // sideways scrolling
  const doc = document.scrollingElement;
  if (doc.scrollWidth > W + 1) problems.push(`the page scrolls sideways (${doc.scrollWidth} px wide in ${W} px)`);
  const m = document.querySelector('[data-testid="stMain"]');
  if (m && m.scrollWidth > m.clientWidth + 1)
    problems.push(`the main area scrolls sideways (${m.scrollWidth} px wide in ${m.clientWidth} px)`);
  return [...new Set(problems)];
}
"""

SLIDE_JS = """
() => {
  const m = document.querySelector('[data-testid="stMain"]');
  const nav = document.querySelector('.st-key-deck-nav');
  // one row: every button's middle within one button height of the others'
  const mids = nav ? [...nav.querySelectorAll('button')].filter(b => b.offsetParent)
                       .map(b => { const r = b.getBoundingClientRect(); return r.top + r.height / 2; }) : [];
  // nothing drawn past the slide's own box or under the navigation bar (text overflowing
  // the stage beside a chart does not make stMain scroll, it runs over the source line)
  const slide = document.querySelector('.st-key-deck-slide');
  const floor = Math.min(slide ? slide.getBoundingClientRect().bottom : Infinity,
                         nav ? nav.getBoundingClientRect().top : Infinity) + 2;
  const over = slide ? [...slide.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(e => e.offsetParent && e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().bottom > floor)
    .map(e => (e.innerText || e.getAttribute('data-testid')).trim().slice(0, 50)) : [];
  const stage = document.querySelector('.st-key-deck-stage');
  const stageBottom = stage ? stage.getBoundingClientRect().bottom + 2 : Infinity;
  const spill = stage ? [...stage.querySelectorAll('[data-testid="stElementContainer"]')]
    .filter(e => e.offsetParent && e.getBoundingClientRect().bottom > stageBottom)
    .map(e => (e.innerText || 'chart').trim().slice(0, 50)) : [];
  const elided = nav ? [...nav.querySelectorAll('[data-testid="stPaginationEllipsis"]')].filter(e => e.offsetParent).length : 0;  // numbers behind '…'
  const count = nav ? [...nav.querySelectorAll('[data-testid="stText"]')].filter(e => e.offsetParent).map(e => e.innerText.trim()) : [];
  const pages = nav ? [...nav.querySelectorAll('[data-testid="stPagination"]')].filter(e => e.offsetParent).length : 0;
  return {scroll: m.scrollHeight, visible: m.clientHeight, height: window.innerHeight, over, spill, elided, count, pages,
          navHeight: nav ? nav.getBoundingClientRect().height : 0,
          navRows: mids.length ? 1 + Math.floor((Math.max(...mids) - Math.min(...mids)) / 30) : 0};
}
"""


# Plotly draws a bar's label as SVG <text class="bartext"> (a point's as `.textpoint text`) beside
# or inside its bar, whatever its width: a label wider than its bar runs under its neighbour
# (bars of a later trace are drawn over it) or into its neighbour's label. Measured as drawn:
# boxes of the labels' text against the other labels, the other bars, the ticks, the legend and
# the titles; and each line's size on screen (plotly shrinks an inside label to its bar's size).
LABELS_JS = """
([minPx]) => {
  const problems = [];
  const rect = el => el.getBoundingClientRect();
  // a label needs a little air: one touching its neighbour bar reads as cut ("(0 of 15" + bar)
  const AIR = 2;
  const cross = (a, b) => Math.min(a.right + AIR, b.right) - Math.max(a.left - AIR, b.left) > 0 &&
                          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  const words = el => el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40);
  document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach(gd => {
    if (!gd.offsetParent) return;  // not shown at this width (the deck's projector or phone chart)
    const chart = words(gd.querySelector('.gtitle') || gd);
    const labels = [...gd.querySelectorAll('text.bartext, .textpoint text')].filter(t => t.textContent.trim());
    const others = [...gd.querySelectorAll('.xtick text, .ytick text, .legendtext, .gtitle, .xtitle, .ytitle')]
      .filter(t => t.textContent.trim());
    const bars = [...gd.querySelectorAll('.barlayer .point')];
    const title = gd.querySelector('.gtitle');
    // (a title's box has some air above its letters: the map's starts 5 px above its chart, whole)
    if (title && rect(title).top < rect(gd).top - 8) problems.push(`chart "${chart}": its title is cut at the top`);
    // an axis's tick labels into each other (plotly keeps at least five ticks on a short axis)
    gd.querySelectorAll('.xaxislayer-above, .yaxislayer-above').forEach(axis => {
      const ticks = [...axis.querySelectorAll('.xtick text, .ytick text')].filter(t => t.textContent.trim());
      ticks.forEach((t, i) => ticks.slice(i + 1).filter(u => {
        const a = rect(t), b = rect(u);
        return Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
      }).forEach(u => problems.push(`chart "${chart}": tick "${words(t)}" over tick "${words(u)}"`)));
    });
    labels.forEach((t, i) => {
      const box = rect(t);
      labels.slice(i + 1).filter(u => cross(box, rect(u)))
        .forEach(u => problems.push(`chart "${chart}": label "${words(t)}" over label "${words(u)}"`));
      others.filter(u => cross(box, rect(u)))
        .forEach(u => problems.push(`chart "${chart}": label "${words(t)}" over "${words(u)}"`));
      const own = t.closest('.point');
      bars.filter(b => b !== own).map(b => b.querySelector('path')).filter(b => b && cross(box, rect(b)))
        .forEach(() => problems.push(`chart "${chart}": label "${words(t)}" under or over another bar`));
      // every line at its size on screen (the element's scale times its font size)
      const scale = t.getScreenCTM() ? Math.abs(t.getScreenCTM().d) : 1;
      [t, ...t.querySelectorAll('tspan')].filter(n => [...n.childNodes].some(c => c.nodeType === 3 && c.textContent.trim()))
        .forEach(n => { const px = parseFloat(getComputedStyle(n).fontSize) * scale;
          if (px < minPx) problems.push(`chart "${chart}": label "${words(n)}" drawn at ${px.toFixed(1)} px (under ${minPx} px)`); });
    });
  });
  return [...new Set(problems)];
}
"""

# A select box shows its value in an <input> that clips what does not fit (no "…" to look for):
# the value's width in the input's own font against the room between its paddings.
CUT_SELECTS_JS = """
() => { const ctx = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('[data-testid="stSelectbox"] input')].filter(i => i.offsetParent).flatMap(i => {
    const s = getComputedStyle(i);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    const room = i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const need = ctx.measureText(i.value).width;
    return need > room + 0.5 || i.scrollWidth > i.clientWidth + 1 ?
      [`select "${i.getAttribute('aria-label')}" shows "${i.value}" cut (${Math.ceil(need)} px of text in ${Math.floor(room)} px)`] : [];
  });
}
"""


def label_problems(page, min_px: float = 14) -> list[str]:
    return page.evaluate(LABELS_JS, [min_px])


def cut_selects(page) -> list[str]:
    return page.evaluate(CUT_SELECTS_JS)


def layout_problems(page) -> list[str]:
    return page.evaluate(LAYOUT_JS)


def slide_fit(page, scrolled: bool = False) -> dict:
    """The slide's measures; `scrolled`: after scrolling the slide to its end (a phone's slide
    is longer than the screen: what is under the bar there can never be read)."""
    if scrolled:
        page.evaluate("""() => document.querySelector('[data-testid="stMain"]').scrollTo(0, 1e6)""")
        page.wait_for_timeout(300)
    return page.evaluate(SLIDE_JS)


def axe_violations(page, exclude: list[str] = AXE_EXCLUDE) -> list[str]:
    """Serious and critical violations, one line each: rule, impact, where, what."""
    if not AXE_JS.exists():
        raise AssertionError(AXE_HINT)
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async ([exclude, tags]) => {
            const r = await axe.run({exclude: exclude.map(s => [s])},
                                    {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
        }""",
        [exclude, AXE_TAGS],
    )
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in result]


def shoot(page, name: str) -> Path:
    """`<name>.png` (what the window shows) and `<name>-full.png` (the whole page: Streamlit
    scrolls inside stMain, so the window is made as tall as the content for that shot)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(out))
    size = page.viewport_size
    tall = page.evaluate(
        """() => { const m = document.querySelector('[data-testid="stMain"]'); return m ? m.scrollHeight : 0; }"""
    )
    if tall > size["height"] + 10:
        page.set_viewport_size({"width": size["width"], "height": min(int(tall) + 20, 12000)})
        page.wait_for_timeout(600)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-full.png"))
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
    return out


# Chart text drawn in one of the page's web fonts (Streamlit's "Source Sans") is measured in it
# on the page but drawn in a fallback in the exported PNG (an SVG image cannot use the page's
# fonts): plotly sized the map legend's box for the narrower web font and cut its last entry.
WEB_FONT_TEXT_JS = """
() => { const web = new Set([...document.fonts].map(f => f.family.replace(/["']/g, '')));
  const found = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach(gd =>
    gd.querySelectorAll('svg text').forEach(t => {
      const first = (t.style.fontFamily || getComputedStyle(t).fontFamily).split(',')[0].trim().replace(/["']/g, '');
      if (web.has(first) && t.textContent.trim()) found.push(`"${t.textContent.trim().slice(0, 40)}" in ${first}`);
    }));
  return [...new Set(found)];
}
"""


def web_font_text(page) -> list[str]:
    return page.evaluate(WEB_FONT_TEXT_JS)


def exported_png(page, chart_index: int = 0):
    """Click the modebar's camera of a chart and return the downloaded image (PIL)."""
    from io import BytesIO

    from PIL import Image

    chart = page.locator('[data-testid="stPlotlyChart"]').nth(chart_index)
    chart.hover()
    with page.expect_download(timeout=60_000) as download:
        chart.locator('.modebar-btn[data-title="Download plot as a PNG"]').click()
    return Image.open(BytesIO(Path(download.value.path()).read_bytes())).convert("RGB")
