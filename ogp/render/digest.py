"""`python -m ogp digest`: what needs attention, as a document a staff member can email.

The same lists as /monitor (ogp/render/monitor.py): the counts first (what the extracts among the
snapshots leave out said once, at the top), then what a person acts on (late plans, plans
awaiting assessment, commitments at risk, each line naming its member), then what changed
(ratings one line per commitment; added, dropped, regrouped and data gaps as counts per member
with a link to the dashboard), with links to the dashboard (`--base-url`). Markdown (the
default, to standard output) or HTML: self-contained (inline CSS, no script, no image, no
outside URL but the links), printable on A4 like the member brief.

`digest_document(...)` is pure: a Report in, one document out; every data text is escaped.
`digest(store, ...)` builds the report for the options."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from ogp.data.store import Store
from ogp.model import text, urls
from ogp.model.filters import Filters
from ogp.render import monitor, views

DEFAULT_BASE_URL = "http://localhost:8501"
MAX_ITEMS = 15  # lines per list in a member's section; the rest are counted, with a link
TITLE_CHARS = 140  # commitment titles are cut here (some exports put the whole text in the title)

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 "Source Sans Pro", "Segoe UI", Helvetica, Arial, sans-serif; color: #1B2631;
       margin: 0 auto; max-width: 186mm; background: #fff; }
header { border-bottom: 3px solid #0072B2; padding-bottom: 2mm; margin-bottom: 4mm; }
h1 { font-size: 19pt; margin: 0; color: #003F6B; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; color: #003F6B; border-bottom: 1px solid #C9D3DD; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; color: #1B2631; }
p { margin: 1mm 0; }
.scope { font-size: 9pt; color: #44525F; }
a { color: #005A8C; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0; }
th, td { text-align: left; padding: 1mm 2mm; border-bottom: 1px solid #DDE3E9; vertical-align: top; }
th { background: #F2F5F8; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
ul { margin: 0.5mm 0 1.5mm; padding-left: 5mm; }
li { margin: 0.4mm 0; }
section.part + section.part { border-top: 1px dashed #C9D3DD; }
section.part ul { break-inside: avoid-page; page-break-inside: avoid; }
dl { font-size: 9pt; } dt { font-weight: 600; margin-top: 2mm; } dd { margin: 0.5mm 0 0 4mm; }
footer { margin-top: 5mm; font-size: 8pt; color: #44525F; border-top: 1px solid #C9D3DD; padding-top: 1.5mm; }
@media screen { body { padding: 8mm 5mm; } }
@media print { body { max-width: none; } a { color: inherit; } h2 { break-after: avoid; } }
"""


# -- the document as data, rendered twice --------------------------------------------------
Span = tuple[str, str | None]  # text, link (None: plain text)


@dataclass
class Block:
    heading: str
    items: list[list[Span]] = field(default_factory=list)
    more: list[Span] | None = None  # "… and 12 more: see them on the dashboard"


@dataclass
class Section:
    title: str
    href: str | None
    blocks: list[Block]


@dataclass
class Document:
    title: str
    lines: list[list[Span]]  # scope, comparison, what the extracts cover, generated
    summary: list[tuple[str, int, str]]  # list, count, note
    notes: list[str]
    sections: list[Section]  # to follow up, what changed, data gaps
    definitions: list[tuple[str, str, str]]  # title, text, as of


def _base(url: str) -> str:
    """The dashboard's address as given (`https://host/ogp/`) -> the base of ogp.model.urls."""
    return url.rstrip("/")


def _ymd(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)[:10]


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def _short(title: object, n: int = TITLE_CHARS) -> str:
    t = " ".join(str(title).split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


def _rows(df: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access, read column by column (itertuples and to_dict slice every
    column per row)."""
    cols = list(df.columns)
    return [SimpleNamespace(**dict(zip(cols, row))) for row in zip(*(df[c].tolist() for c in cols))]


def _head(rows: list, limit: int) -> list:
    return rows if limit <= 0 else rows[:limit]


def _more(total: int, shown: int, href: str) -> list[Span] | None:
    if total <= shown:
        return None
    return [(f"… and {total - shown:,} more: ", None), ("see them on the dashboard", href)]


def _member(row, base: str) -> Span:
    return (str(row.member_name), urls.member_url(row.member_code, base=_base(base)))


def _commitment(row, base: str) -> list[Span]:
    return [(str(row.key), urls.commitment_url(row.key, base=_base(base))), (f" {_short(row.title)}", None)]


def _per_member(df: pd.DataFrame, base: str, most: int = 5) -> list[Span]:
    """'Croatia 17, Albania 3 and 12 more members': the members with the most rows first."""
    n = df.groupby(["member_code", "member_name"]).size().reset_index(name="n")
    n = n.sort_values(["n", "member_name"], ascending=[False, True])
    spans: list[Span] = []
    for i, r in enumerate(_rows(n.head(most))):
        spans += [(", " if i else "", None), _member(r, base), (f" {r.n:,}", None)]
    if len(n) > most:
        spans.append((f" and {text.plural(len(n) - most, 'more member')}", None))
    return spans


def follow_up(report: monitor.Report, base: str, limit: int, more: str) -> Section:
    """What a person acts on: late plans, plans awaiting assessment, commitments at risk."""
    blocks = []
    late = _rows(report.late)
    if late:
        items = []
        for p in _head(late, limit):
            estimated = (
                f" (submitted {_int(p.year_submitted)} + {monitor.PLAN_YEARS} years)"
                if p.end_year_estimated
                else ""
            )
            items.append(
                [
                    _member(p, base),
                    (
                        f": plan {_int(p.action_plan)}, its latest, ended on {_ymd(p.ended)}{estimated}, "
                        f"{monitor.since_text(p.months_since_end)} before {_ymd(p.as_of)}.",
                        None,
                    ),
                ]
            )
        blocks.append(Block(f"Late action plans: {len(late):,}", items, _more(len(late), len(items), more)))
    awaiting = _rows(report.awaiting)
    if awaiting:
        items = [
            [
                _member(a, base),
                (
                    f": plan {_int(a.action_plan)}, as of {_ymd(a.as_of)}: {_int(a.not_assessed):,} of "
                    f"{text.plural(_int(a.commitments), 'commitment')} judged then without a completion "
                    f"assessment; the plan had ended on {_ymd(a.ended)}, "
                    f"{monitor.since_text(a.months_since_end)} before.",
                    None,
                ),
            ]
            for a in _head(awaiting, limit)
        ]
        blocks.append(
            Block(
                f"Awaiting assessment: {text.plural(len(awaiting), 'action plan')}",
                items,
                _more(len(awaiting), len(items), more),
            )
        )
    risk = _rows(report.at_risk)
    if risk:
        items = [
            [_member(r, base), (": ", None)]
            + _commitment(r, base)
            + [(f" ({r.completion}; plan {_int(r.action_plan)} ends {_int(r.ap_end_year)})", None)]
            for r in _head(risk, limit)
        ]
        blocks.append(
            Block(
                f"At risk: {text.plural(len(risk), 'commitment')}", items, _more(len(risk), len(items), more)
            )
        )
    if not blocks:
        blocks.append(
            Block(
                "Nothing to follow up",
                [[("No late plan, no plan awaiting assessment, no commitment at risk.", None)]],
            )
        )
    return Section("To follow up", None, blocks)


def what_changed(report: monitor.Report, base: str, limit: int, more: str) -> Section:
    """Ratings changed, one line per commitment (the first `limit`); added, dropped and regrouped
    as counts per member with a link (long lists of rows nobody acts on)."""
    blocks = []
    shown = monitor.described_changes(report.changes)
    rated = _rows(shown[shown["change"] == "rating changed"])
    if rated:
        items = [
            [_member(r, base), (": ", None), (str(r.key), urls.commitment_url(r.key, base=_base(base)))]
            + [(f" {r.what} · {_short(r.title)}", None)]
            for r in _head(rated, limit)
        ]
        blocks.append(
            Block(
                f"Ratings changed: {text.plural(len(rated), 'commitment')}, "
                f"{text.plural(report.counts()['rating_changes'], 'change')}",
                items,
                _more(len(rated), len(items), more),
            )
        )
    counted = []
    for kind, word, unit in (
        ("added", "Added", "commitment"),
        ("dropped", "Dropped", "commitment"),
        ("regrouped", "Regrouped", "commitment row"),
    ):
        rows = report.changes[report.changes["change"] == kind]
        if len(rows):
            counted.append(
                [(f"{word}: {text.plural(len(rows), unit)} (", None)]
                + _per_member(rows, base)
                + [("): ", None), ("see them on the dashboard", more)]
            )
    if counted:
        blocks.append(Block("Added, dropped and regrouped", counted))
    if report.previous is None:
        blocks.append(Block("Nothing to compare with", [[(f"No snapshot before {report.current}.", None)]]))
    elif not blocks:
        blocks.append(
            Block("No change", [[("Nothing changed in the commitments both snapshots hold.", None)]])
        )
    return Section(
        f"What changed from {report.previous} to {report.current}" if report.previous else "What changed",
        None,
        blocks,
    )


def data_gaps(report: monitor.Report, base: str, more: str) -> Section | None:
    """Data gaps as counts (by kind, the members with most), with a link to the list."""
    if report.gaps.empty:
        return None
    items = []
    for gap, n in report.gap_counts().items():
        rows = report.gaps[report.gaps["gap"] == gap]
        items.append(
            [(f"{monitor.gap_count(gap, n)} (", None)]
            + _per_member(rows, base)
            + [("): ", None), ("see them on the dashboard", more)]
        )
    return Section("Data gaps", None, [Block("For the data team", items)])


def digest_document(
    report: monitor.Report,
    *,
    base_url: str = DEFAULT_BASE_URL,
    scope: str = "All members",
    max_items: int = MAX_ITEMS,
    generated: date | None = None,
    monitor_link: str | None = None,
    extracts: Sequence[tuple[str, str]] = (),
) -> Document:
    c = report.counts()
    more = monitor_link or urls.monitor_url(base=_base(base_url))
    compared = (
        f"Changes from the snapshot of {report.previous} to that of {report.current}."
        if report.previous
        else f"No snapshot before {report.current} to compare with."
    )
    lines: list[list[tuple[str, str | None]]] = [[(f"{scope} · as of {report.as_of}. {compared}", None)]]
    if extracts:
        lines.append([(text.extract_note(extracts), None)])
    lines.append(
        [
            (f"Generated {(generated or date.today()).isoformat()} · ", None),
            ("open the monitoring page", more),
        ]
    )
    summary = [
        ("Late action plans", c["late"], "members whose latest plan has ended with no newer plan"),
        (
            "Awaiting assessment",
            c["awaiting"],
            f"action plans (a line per plan and snapshot); {text.plural(c['awaiting_commitments'], 'commitment')} "
            "without a completion assessment",
        ),
        ("At risk", c["at_risk"], "commitments of open plans, not started or limited"),
        ("Ratings changed", c["changed"], f"commitments; {text.plural(c['rating_changes'], 'change')}"),
        ("Added", c["added"], "commitments"),
        ("Dropped", c["dropped"], "commitments"),
        ("Regrouped", c["regrouped"], "commitment rows linked as a group with rows of the other snapshot"),
        ("Data gaps", c["gaps"], report.gap_summary()),
    ]
    notes = [n for n in (monitor.late_note(report), monitor.outside_text(report)) if n]
    notes += [f"Import report: {n}" for n in report.import_notes]
    sections = [
        follow_up(report, base_url, max_items, more),
        what_changed(report, base_url, max_items, more),
    ]
    gaps = data_gaps(report, base_url, more)
    if gaps:
        sections.append(gaps)
    definitions = [(d.title, d.text, d.as_of) for d in monitor.DEFINITIONS]
    return Document(
        f"OGP monitoring digest, as of {report.as_of}", lines, summary, notes, sections, definitions
    )


# -- Markdown --------------------------------------------------------------------------------
WHITESPACE = re.compile(r"\s+")
MD_SPECIAL = "\\`*_[]<>|"


def _md(value: object) -> str:
    """Text inside a Markdown line: what could start markup there is backslash-escaped, HTML
    entities too, line breaks become spaces. Lighter than text.escape_md (made for Streamlit's
    markdown) so that the raw document stays readable in an email: every line the digest writes
    starts with its own marker, so '.', '-', '#' inside a line need no escape."""
    s = WHITESPACE.sub(" ", str(value)).replace("&", "&amp;")
    for ch in MD_SPECIAL:
        s = s.replace(ch, "\\" + ch)
    return s


def _md_spans(spans: list[Span]) -> str:
    return "".join(f"[{_md(t)}](<{href}>)" if href else _md(t) for t, href in spans if t)


def to_markdown(doc: Document) -> str:
    out = [f"# {_md(doc.title)}", ""]
    out += [_md_spans(line) + "  " for line in doc.lines] + [""]
    out += ["## Summary", "", "| List | Count | |", "|---|---:|---|"]
    out += [f"| {_md(label)} | {n:,} | {_md(note)} |" for label, n, note in doc.summary]
    out.append("")
    out += [f"- {_md(n)}" for n in doc.notes] + ([""] if doc.notes else [])
    for s in doc.sections:
        out += [f"## [{_md(s.title)}](<{s.href}>)" if s.href else f"## {_md(s.title)}", ""]
        for b in s.blocks:
            out += [f"### {_md(b.heading)}", ""]
            out += [f"- {_md_spans(item)}" for item in b.items]
            if b.more:
                out.append(f"- {_md_spans(b.more)}")
            out.append("")
    out += ["## How these lists are defined", ""]
    for title, what, as_of in doc.definitions:
        out += [f"**{_md(title)}.** {_md(what)} *As of:* {_md(as_of)}", ""]
    out += [_md(text.SOURCE), ""]
    return "\n".join(out)


# -- HTML ------------------------------------------------------------------------------------
def _h(value: object) -> str:
    return escape(WHITESPACE.sub(" ", str(value)))


def _html_spans(spans: list[Span]) -> str:
    return "".join(f'<a href="{escape(href)}">{_h(t)}</a>' if href else _h(t) for t, href in spans if t)


def to_html(doc: Document) -> str:
    summary = "".join(
        f'<tr data-list="{escape(label)}"><td>{escape(label)}</td><td class="n">{n:,}</td><td>{escape(note)}</td></tr>'
        for label, n, note in doc.summary
    )
    notes = "".join(f'<p class="scope">{escape(n)}</p>' for n in doc.notes)
    sections = []
    for s in doc.sections:
        blocks = "".join(
            f"<h3>{escape(b.heading)}</h3><ul>"
            + "".join(f"<li>{_html_spans(item)}</li>" for item in b.items)
            + (f"<li>{_html_spans(b.more)}</li>" if b.more else "")
            + "</ul>"
            for b in s.blocks
        )
        title = f'<a href="{escape(s.href)}">{escape(s.title)}</a>' if s.href else escape(s.title)
        sections.append(f'<section class="part"><h2>{title}</h2>{blocks}</section>')
    definitions = "".join(
        f"<dt>{escape(t)}</dt><dd>{escape(w)} <em>As of:</em> {escape(a)}</dd>" for t, w, a in doc.definitions
    )
    lines = "".join(f'<p class="scope">{_html_spans(line)}</p>' for line in doc.lines)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(doc.title)}</title>
<style>{CSS}</style></head>
<body>
<header><h1>{escape(doc.title)}</h1>{lines}</header>
<h2>Summary</h2>
<table><thead><tr><th>List</th><th>Count</th><th></th></tr></thead><tbody>{summary}</tbody></table>
{notes}
{"".join(sections)}
<h2>How these lists are defined</h2>
<dl>{definitions}</dl>
<footer>{escape(text.SOURCE)}</footer>
</body></html>
"""


# -- the command -----------------------------------------------------------------------------
class DigestError(ValueError):
    pass


def digest(
    store: Store,
    *,
    since: str | None = None,
    members: tuple[str, ...] = (),
    region: str | None = None,
    fmt: str = "md",
    base_url: str = DEFAULT_BASE_URL,
    max_items: int = MAX_ITEMS,
    generated: date | None = None,
) -> str:
    """The digest of the latest state (newest snapshot against `since`, default the one before)."""
    if not store.ok:
        raise DigestError(f"no readable snapshot in {store.data_dir}/snapshots")
    known = store.query("member_options")
    names = dict(zip(known["member_code"], known["member_name"]))
    codes = tuple(dict.fromkeys(m.strip().upper() for m in members if m.strip()))
    unknown = [m for m in codes if m not in names]
    if unknown:
        raise DigestError(f"no member with the code {', '.join(unknown)} in these snapshots")
    regions = sorted(known["region"].dropna().unique())
    if region is not None and region not in regions:
        raise DigestError(f"no region {region!r}; the regions are {', '.join(regions)}")
    filters = Filters(members=codes, regions=(region,) if region else ())
    try:
        report = views.monitor(store.query, store.snapshots, filters, since=since)
    except ValueError as exc:
        raise DigestError(str(exc)) from None
    scope = " · ".join(
        p
        for p in (
            ("Members: " + "; ".join(names[c] for c in codes)) if codes else None,
            f"Region: {region}" if region else None,
        )
        if p
    )
    doc = digest_document(
        report,
        base_url=base_url,
        scope=scope or "All members",
        max_items=max_items,
        generated=generated,
        monitor_link=urls.monitor_url(codes, region=region, base=_base(base_url)),
        extracts=store.extracts(None if report.scope is None else [report.scope])
        if report.previous is None
        else store.extracts([report.previous, report.current]),
    )
    return to_html(doc) if fmt == "html" else to_markdown(doc)


def _run(args: argparse.Namespace) -> int:
    if not args.base_url.startswith(("http://", "https://")):
        print(
            f"error: --base-url must start with http:// or https:// (got {args.base_url!r})", file=sys.stderr
        )
        return 2
    store = Store(args.data_dir)
    try:
        out = digest(
            store,
            since=args.since,
            members=tuple(args.members or ()),
            region=args.region,
            fmt=args.format,
            base_url=args.base_url,
            max_items=args.max_items,
        )
    except DigestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    if args.out:
        try:
            Path(args.out).write_text(out, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(out)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "digest",
        help="what needs attention, as a Markdown or HTML document",
        description="Late action plans, plans awaiting assessment, commitments at risk, changes "
        "since a snapshot and data gaps: a summary, then one section per member.",
    )
    p.add_argument(
        "--since",
        metavar="SNAPSHOT",
        help="compare the newest snapshot with this one (default: the one before)",
    )
    p.add_argument("--members", nargs="+", metavar="CODE", help="member codes (e.g. GBR ESMD); default: all")
    p.add_argument("--region", metavar="R", help="one OGP region, e.g. Europe")
    p.add_argument("--format", choices=("md", "html"), default="md")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument(
        "--base-url",
        default=DEFAULT_BASE_URL,
        help=f"the dashboard's address for links (default {DEFAULT_BASE_URL})",
    )
    p.add_argument(
        "--max-items", type=int, default=MAX_ITEMS, metavar="N", help="lines per list and member (0: all)"
    )
    p.add_argument("--data-dir", help="data directory (default $OGP_DATA_DIR or data/)")
    p.set_defaults(func=_run)
