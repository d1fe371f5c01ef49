"""`python -m ogp bake --out DIR`: the public site, baked from the newest snapshots into static
files that any web server (deploy/nginx-site.conf) or CDN serves with no code at read time.

Pages (English at the root, the same under es/ and fr/):
    index.html                  headline figures, the world map, completion over time
    members/<CODE>/index.html   a member's figures, plans, themes and shares against all
    themes/<slug>/index.html    a theme's figures, map and members
    map/index.html              the map, a measure per page (map/<measure>/index.html)
    embed/...                   one chart per page, made for an iframe on partner sites
    data/*.csv                  the tables behind the pages (formulas neutralised)
    assets/                     one stylesheet, one small script, share images: hashed names

Every figure comes from ogp/render/views.py, the views the dashboard uses; every chart is inline SVG
drawn here (ogp/render/svg.py). The site is written into a temporary folder beside --out and swapped
in with one rename, so a reader never sees half a site.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import hashlib
import io
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ogp.model import i18n, measures, registry, text, urls
from ogp.model.i18n import N_, _
from ogp.model.themes import load_themes
from ogp.render import svg, tables, views

SITE_DIR = Path(__file__).resolve().parent / "site"
LANGUAGES = tuple(i18n.LANGUAGES)  # every language of the dashboard (one list: ogp/model/i18n.py)
DEFAULT_DASHBOARD = "http://localhost:8501"
BUDGET = 600 * 1024  # bytes: a page with all its assets

# The map's measures: the dashboard map's choice (its ?measure= codes), in its order.
MAP_MEASURES = (
    ("commitments", measures.COMMITMENTS, False),
    ("high_completion_pct", measures.HIGH_COMPLETION, True),
    ("ambitious_pct", measures.AMBITIOUS, True),
    ("starred", N_("Starred commitments"), False),
    ("action_plans", measures.ACTION_PLANS, False),
)
MAP_DETAILS = (
    ("commitments", measures.COMMITMENTS, False),
    ("high_completion_pct", measures.HIGH_COMPLETION, True),
    ("ambitious_pct", measures.AMBITIOUS, True),
)


def measure_label(m) -> str:
    """As the dashboard's map labels a measure: a share's label with its denominator."""
    if isinstance(m, measures.Measure):
        return m.share_label if m.is_share else m.label
    return _(m)


# -- writing -----------------------------------------------------------------------------------
def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


RENAME_EXCHANGE = 2


def swap_in(new: Path, out: Path) -> None:
    """Put `new` at `out` in one step: renameat2(RENAME_EXCHANGE) swaps two folders atomically
    (Linux); elsewhere, or the first time, two renames (a moment with no site, never half of one)."""
    if out.exists():
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.renameat2(-100, os.fsencode(new), -100, os.fsencode(out), RENAME_EXCHANGE) == 0:
                shutil.rmtree(new)  # now the old site
                return
        except (AttributeError, OSError):
            pass
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        os.rename(new, out)
        shutil.rmtree(old)
    else:
        os.rename(new, out)


@dataclass
class Report:
    out: Path
    pages: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    languages: tuple[str, ...] = ()
    members: int = 0
    themes: int = 0
    biggest: list[tuple[str, int]] = field(default_factory=list)


class Site:
    """One bake: the folder being written, the URLs, the templates, the assets."""

    def __init__(
        self,
        root: Path,
        base_url: str,
        dashboard_url: str,
        snapshots: tuple[str, ...] = (),
        extracts: tuple[tuple[str, str | None], ...] = (),
    ):
        self.root = root
        self.snapshots = snapshots  # the snapshots' dates the figures come from (the footer says so)
        self.extracts = extracts  # (date, what it covers) of those that are extracts (ogp.data.store)
        self.base_url = base_url.rstrip("/")
        self.dashboard_url = dashboard_url.rstrip("/")
        self.env = Environment(
            loader=FileSystemLoader(SITE_DIR / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(_=_, number=i18n.number)
        self.report = Report(root)
        self.assets = {
            "css": self.asset("style", "css", (SITE_DIR / "style.css").read_bytes()),
            "js": self.asset("site", "js", (SITE_DIR / "site.js").read_bytes()),
        }

    def asset(self, name: str, ext: str, data: bytes) -> str:
        """Writes assets/<name>.<hash>.<ext>; returns its path from the site's root."""
        rel = f"assets/{name}.{short_hash(data)}.{ext}"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return rel

    def write(self, rel: str, data: str | bytes) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path.write_bytes(raw)
        self.report.files += 1
        self.report.bytes += len(raw)

    def page(
        self, lang: str, path: str, template: str, *, title: str, description: str, share: str, **ctx
    ) -> None:
        """Renders `template` to <lang prefix><path>index.html; `path` is "" or "members/GBR/"."""
        prefix = "" if lang == i18n.DEFAULT else f"{lang}/"
        depth = (prefix + path).count("/")
        root = "../" * depth or "./"
        alternates = [
            (code, i18n.language_name(code), root + ("" if code == i18n.DEFAULT else f"{code}/") + path)
            for code in LANGUAGES
        ]
        html = self.env.get_template(template).render(
            lang=lang,
            root=root,
            home=root + prefix,
            here=path,
            title=title,
            description=description,
            share_image=(self.absolute(share) if self.base_url else root + share) if share else "",
            canonical=self.absolute(prefix + path),
            alternates=alternates,
            css=root + self.assets["css"],
            js=root + self.assets["js"],
            dashboard=self.dashboard_url,
            source=_(text.SOURCE_PUBLISHED),
            export_note=self.coverage(),
            credit=_("Boundaries: Natural Earth (public domain)"),
            **ctx,
        )
        self.write(prefix + path + "index.html", html)
        self.report.pages += 1

    def coverage(self) -> str:
        """Which snapshots the numbers come from and, when some are extracts, what they leave out
        (from the manifests, as the dashboard says it: ogp.model.text.extract_note), in the language
        being baked."""
        names = self.snapshots
        line = i18n.ngettext(
            "Numbers from the latest known state of each commitment across {n} snapshot ({dates}).",
            "Numbers from the latest known state of each commitment across {n} snapshots ({dates}).",
            len(names),
        ).format(n=i18n.number(len(names)), dates=", ".join(names))
        note = text.extract_note(self.extracts)
        return f"{line} {note} {_(text.OGP_TOTALS)}" if note else line

    def absolute(self, rel: str) -> str:
        return f"{self.base_url}/{rel}" if self.base_url else rel

    def dashboard_link(self, path: str, lang: str, **params) -> str:
        if lang != i18n.DEFAULT:
            params[urls.LANG] = lang
        return urls.page_url(path, base=self.dashboard_url, **params)


# -- share images ------------------------------------------------------------------------------
SHARE_SIZE = (1200, 630)
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


@functools.lru_cache(maxsize=64)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    path = FONT_FILES[1 if bold else 0]
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _fit(d, words: str, size: int, least: int, bold: bool = False, width: int = 224) -> tuple[str, int]:
    """The largest size (down to `least`) at which `words` fit `width` px, cut with … below it."""
    while size > least and d.textlength(words, font=_font(size, bold)) > width:
        size -= 2
    while len(words) > 2 and d.textlength(words, font=_font(size, bold)) > width:
        words = words[:-2] + "…"
    return words, size


def share_png(title: str, figures: list[views.Figure], subtitle: str) -> bytes:
    """A 1200x630 card: the page's title, up to four figures, the site's name (Pillow)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", SHARE_SIZE, "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, SHARE_SIZE[0], 16], fill=text.FOCUS_COLOUR)
    size = 64
    while size > 30 and d.textlength(title, font=_font(size, True)) > 1100:
        size -= 4
    d.text((50, 60), title, font=_font(size, True), fill="#003F6B")
    d.text((50, 60 + size + 20), subtitle, font=_font(28), fill="#44525F")
    for i, f in enumerate(figures[:4]):
        x = 50 + i * 280
        d.rounded_rectangle([x, 300, x + 260, 480], radius=14, outline="#C9D3DD", width=3)
        value, vsize = _fit(d, f.value, 58, 30, True)
        d.text((x + 20, 320 + (58 - vsize) // 2), value, font=_font(vsize, True), fill="#003F6B")
        label, lsize = _fit(d, f.label, 26, 16)
        d.text((x + 20, 420), label, font=_font(lsize), fill="#1B2631")
    d.text(
        (50, 560),
        "Open Government Partnership · " + _("OGP Progress Dashboard"),
        font=_font(26),
        fill="#44525F",
    )
    buf = io.BytesIO()
    img.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(buf, "PNG")  # ~13 KB, fast
    return buf.getvalue()


# -- the pages -----------------------------------------------------------------------------------
def member_path(code: str) -> str:
    return f"members/{quote(code, safe='-._')}/"


def _levels(view_frame: pd.DataFrame, *, x: str, title: str, x_label: str, share: bool, x_text=str):
    chart, legend = svg.stacked_columns(
        view_frame,
        x=x,
        level="completion",
        count="commitments",
        scale="completion",
        title=title,
        x_label=x_label,
        share=share,
        x_text=x_text,
    )
    return {"title": title, "svg": chart, "legend": legend}


def _map(site: Site, lang_root: str, by_member: pd.DataFrame, key: str, m, title: str):
    label = measure_label(m)
    is_share = key.endswith("_pct")
    details = tuple((col, measure_label(dm), pct) for col, dm, pct in MAP_DETAILS)
    chart, legend = svg.world_map(
        by_member,
        measure=key,
        label=label,
        title=title,
        href=lambda code: lang_root + member_path(code),
        percent=is_share,
        details=details,
    )
    return {"title": title, "svg": chart, "legend": legend}


def bake_language(site: Site, run: views.Run, lang: str, plan: dict) -> None:
    prefix = "" if lang == i18n.DEFAULT else f"{lang}/"
    rep = site.report
    ov = views.overview(run)
    if ov is None:
        raise ValueError("no commitments in the snapshots: nothing to bake")
    themes = load_themes()
    members = ov.by_member.sort_values("member_name")
    member_links = [(r.member_name, member_path(r.member_code)) for r in members.itertuples()]
    theme_links = [(t.short, f"themes/{t.slug}/") for t in themes]
    nav = {"member_links": member_links, "theme_links": theme_links}
    plural = lambda n: i18n.ngettext("{n} commitment", "{n} commitments", n).format(n=i18n.number(n))  # noqa: E731

    def lang_root(path: str) -> str:  # from a page at `path` to this language's root
        return "../" * path.count("/") or "./"

    # home
    title = _("Open Government Partnership: delivering on commitments")
    by_year = _levels(
        ov.completion_by_year,
        x="year_submitted",
        share=False,
        title=_("Completion of commitments by year of submission"),
        x_label=_("Year of submission"),
    )
    by_cycle = _levels(
        ov.completion_by_cycle,
        x="action_plan",
        share=True,
        title=_("Completion by action-plan cycle (share of commitments)"),
        x_label=_("Action plan (1st, 2nd, … of each member)"),
    )
    world = _map(site, "./", ov.by_member, "commitments", measures.COMMITMENTS, _("Commitments by member"))
    share = (
        site.asset(
            f"share-home-{lang}",
            "png",
            share_png(
                _("OGP: delivering on commitments"), list(ov.figures), plural(int(ov.headline["commitments"]))
            ),
        )
        if plan["images"]
        else ""
    )
    site.page(
        lang,
        "",
        "index.html",
        title=title,
        description=_(
            "Where OGP members stand on the commitments of their action plans, as assessed by the Independent Reporting Mechanism (IRM)."
        ),
        share=share,
        view=ov,
        charts=[by_year, by_cycle],
        world=world,
        dashboard_here=site.dashboard_link(registry.OVERVIEW.url, lang),
        data_files=[
            "data/overview-members.csv",
            "data/overview-completion-by-year.csv",
            "data/overview-completion-by-cycle.csv",
        ],
        **nav,
    )
    # the map, a measure per page
    for i, (key, m) in enumerate((k, m) for k, m, _p in MAP_MEASURES):
        path = "map/" if i == 0 else f"map/{key.replace('_', '-')}/"
        label = measure_label(m)
        chosen = _map(
            site, lang_root(path), ov.by_member, key, m, _("{measure} by member").format(measure=label)
        )
        choices = [
            (
                measure_label(mm),
                ("../" * (path.count("/") - 1)) + ("" if j == 0 else f"{kk.replace('_', '-')}/") or "./",
                j == i,
            )
            for j, (kk, mm, _p) in enumerate(MAP_MEASURES)
        ]
        site.page(
            lang,
            path,
            "map.html",
            title=_("Map of OGP members"),
            description=chosen["title"],
            share=share,
            world=chosen,
            choices=choices,
            dashboard_here=site.dashboard_link(registry.MAP.url, lang, measure=None if i == 0 else key),
            data_files=["data/overview-members.csv"],
            **nav,
        )
    # embeds of the home
    embed_map = _map(
        site, "../../", ov.by_member, "commitments", measures.COMMITMENTS, _("Commitments by member")
    )
    site.page(
        lang,
        "embed/map/",
        "embed.html",
        title=embed_map["title"],
        description=title,
        share=share,
        chart=embed_map,
        back=lang_root("embed/map/"),
    )

    # members
    for r in members.itertuples():
        code = r.member_code
        mv = views.member(run, code)
        if mv is None:
            continue
        path = member_path(code)
        themes_chart = svg.ranking(
            mv.themes,
            label="theme",
            value="commitments",
            title=_("Commitments of {member} by theme").format(member=mv.name),
            x_label=_("Commitments"),
            y_label=_("Theme"),
        )
        cmp_title = _("{member} against all members").format(member=mv.name)
        cmp_svg, cmp_legend = svg.compare(
            mv.versus, focus=mv.name, title=cmp_title, y_label=_(measures.COMPARED_AXIS)
        )
        compare = {"title": cmp_title, "svg": cmp_svg, "legend": cmp_legend}
        themes_fig = {
            "title": _("Commitments of {member} by theme").format(member=mv.name),
            "svg": themes_chart,
            "legend": "",
        }
        m_share = (
            site.asset(
                f"share-{code}-{lang}", "png", share_png(mv.name, list(mv.figures), " · ".join(mv.facts))
            )
            if plan["images"]
            else share
        )
        site.page(
            lang,
            path,
            "member.html",
            title=mv.name,
            description=" · ".join(f"{f.label}: {f.value}" for f in mv.figures),
            share=m_share,
            view=mv,
            compare=compare,
            themes_chart=themes_fig,
            plans=mv.plans.to_dict("records"),
            dashboard_here=site.dashboard_link(registry.MEMBERS.url, lang, member=code),
            data_files=[
                f"data/members/{code}-plans.csv",
                f"data/members/{code}-themes.csv",
                f"data/members/{code}-versus.csv",
            ],
            embed=site.absolute(f"{prefix}embed/{path}"),
            **nav,
        )
        site.page(
            lang,
            f"embed/{path}",
            "embed.html",
            title=cmp_title,
            description=mv.name,
            share=m_share,
            chart=compare,
            back=lang_root(f"embed/{path}") + path,
        )
        if lang == i18n.DEFAULT:
            site.write(f"data/members/{code}-plans.csv", tables.csv_bytes(mv.plans))
            site.write(f"data/members/{code}-themes.csv", tables.csv_bytes(mv.themes))
            site.write(f"data/members/{code}-versus.csv", tables.csv_bytes(mv.versus))
            rep.members += 1
    # themes
    for t in themes:
        tv = views.theme(run, t.slug)
        if tv is None:
            continue
        path = f"themes/{t.slug}/"
        short = tv.theme.short
        cmp_title = _("{theme} against all commitments").format(theme=short)
        cmp_svg, cmp_legend = svg.compare(
            tv.versus, focus=short, title=cmp_title, y_label=_(measures.COMPARED_AXIS)
        )
        tmap = _map(
            site,
            lang_root(path),
            tv.by_member,
            "commitments",
            measures.COMMITMENTS,
            _("{theme}: commitments by member").format(theme=short),
        )
        most_title = _("Members with the most {theme} commitments").format(theme=short.lower())
        most = {
            "title": most_title,
            "svg": svg.ranking(
                tv.most,
                label="member_name",
                value="commitments",
                title=most_title,
                x_label=_("Commitments"),
                y_label=_("Member"),
            ),
            "legend": "",
        }
        t_share = (
            site.asset(f"share-{t.slug}-{lang}", "png", share_png(short, list(tv.figures), tv.theme.title))
            if plan["images"]
            else share
        )
        site.page(
            lang,
            path,
            "theme.html",
            title=short,
            description=f"{tv.theme.title}. {tv.theme.intro}",
            share=t_share,
            view=tv,
            compare={"title": cmp_title, "svg": cmp_svg, "legend": cmp_legend},
            world=tmap,
            most=most,
            dashboard_here=site.dashboard_link(t.slug, lang),
            data_files=[f"data/themes/{t.slug}-members.csv", f"data/themes/{t.slug}-versus.csv"],
            embed=site.absolute(f"{prefix}embed/{path}"),
            **nav,
        )
        site.page(
            lang,
            f"embed/{path}",
            "embed.html",
            title=tmap["title"],
            description=short,
            share=t_share,
            chart=tmap,
            back=lang_root(f"embed/{path}") + path,
        )
        if lang == i18n.DEFAULT:
            site.write(f"data/themes/{t.slug}-members.csv", tables.csv_bytes(tv.by_member))
            site.write(f"data/themes/{t.slug}-versus.csv", tables.csv_bytes(tv.versus))
            rep.themes += 1
    if lang == i18n.DEFAULT:
        site.write("data/overview-members.csv", tables.csv_bytes(ov.by_member))
        site.write("data/overview-completion-by-year.csv", tables.csv_bytes(ov.completion_by_year))
        site.write("data/overview-completion-by-cycle.csv", tables.csv_bytes(ov.completion_by_cycle))
        site.write(
            "data/overview-figures.csv", tables.csv_bytes(pd.DataFrame([f.__dict__ for f in ov.figures]))
        )


def bake(
    out: str | Path,
    data_dir: str | Path | None = None,
    base_url: str = "",
    dashboard_url: str = DEFAULT_DASHBOARD,
    languages: tuple[str, ...] = LANGUAGES,
    images: bool = True,
) -> Report:
    """Bakes the site into `out` (replaced atomically); returns what was written."""
    from ogp.data.store import Store

    started = time.perf_counter()
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.bake-", dir=out.parent))
    store = Store(data_dir)
    try:
        if not store.snapshots:
            raise ValueError(f"no snapshots in {store.data_dir}")
        site = Site(tmp, base_url, dashboard_url, tuple(store.snapshot_names), tuple(store.extracts()))
        run = views.runner(store)
        for lang in languages:
            with i18n.using(lang):
                bake_language(site, run, lang, {"images": images})
        site.write("robots.txt", "User-agent: *\nAllow: /\n")
        tmp.chmod(0o755)  # mkdtemp makes it 0700: nginx's workers (nobody) would answer 403
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        store.close()
    site.report.out = out
    site.report.languages = tuple(languages)
    site.report.seconds = time.perf_counter() - started
    return site.report


# -- command line ------------------------------------------------------------------------------
def register(sub) -> None:
    p = sub.add_parser(
        "bake", help="bake the public site (static HTML, inline SVG) from the newest snapshots"
    )
    p.add_argument("--out", required=True, help="the site's folder (replaced atomically)")
    p.add_argument(
        "--data-dir", default=None, help="folder holding snapshots/ (default: $OGP_DATA_DIR or data/)"
    )
    p.add_argument(
        "--base-url",
        default="",
        help="the site's public URL, for share cards (e.g. https://ogp.example/site)",
    )
    p.add_argument(
        "--dashboard-url",
        default=DEFAULT_DASHBOARD,
        help=f"the live dashboard's URL (default {DEFAULT_DASHBOARD})",
    )
    p.add_argument(
        "--languages", default=",".join(LANGUAGES), help=f"comma-separated (default: {','.join(LANGUAGES)})"
    )
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    langs = tuple(x.strip() for x in args.languages.split(",") if x.strip())
    unknown = [x for x in langs if x not in LANGUAGES]
    if unknown or i18n.DEFAULT not in langs:
        print(
            f"error: --languages must include en and only {', '.join(LANGUAGES)} (got {args.languages})",
            file=sys.stderr,
        )
        return 2
    try:
        r = bake(args.out, args.data_dir, args.base_url, args.dashboard_url, langs)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"baked {r.pages} pages ({r.members} members, {r.themes} themes, {len(r.languages)} languages), "
        f"{r.files} files, {r.bytes / 1e6:.1f} MB in {r.seconds:.1f} s -> {r.out}"
    )
    return 0
