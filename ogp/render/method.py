"""The Methodology, written from the definitions themselves (pure: no Streamlit).

`document(facts)` returns the Markdown of /methodology and docs/METHOD.md: every figure from
ogp/model/measures.py, the matching rules from ogp/data/matching.py with the counts per kind computed
from the snapshots (queries/match_counts.sql), what the bundled exports cover and what they do
not, and how to reproduce a figure from the raw file. `facts(store)` gathers the numbers, so
neither the page nor the file holds a typed number, and a test checks docs/METHOD.md is what
the bundled data gives:

    python -m ogp method [--data-dir DIR] [--out docs/METHOD.md]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ogp.data import matching
from ogp.model import measures, paths, text
from ogp.model.i18n import N_, _, number, percent
from ogp.render import monitor

# Snapshot column -> (current export's column, legacy table's column(s)): where a rating comes from.
RAW_COLUMNS: dict[str, tuple[str | tuple[str, ...], str | tuple[str, ...]]] = {
    "completion_midterm": ("Completion (Progress Report)", "Completion (progress report)"),
    "completion_end": ("Completion (End Of Term)", "Completion (end of term)"),
    "potential_impact": ("Potential Impact", "Potential impact"),
    "potential_for_results": ("Potential for Results", "—"),
    "diog": ("Did It Open Government (Overall)", "Did it open government (end of term only)"),
    "early_results": ("Early Results", "—"),
    "starred": (measures.STAR_COLUMNS["current"], measures.STAR_COLUMNS["legacy"]),
}
KIND_WORDS = {  # N_-marked: shown through _()
    "id": N_("same OGP identifier (`Commitment Unique Identifier`), titles agree"),
    "number": N_(
        "same member and action plan; the number column or the number the title starts with "
        "agree (as decimals: `2.1` = `2.10`); titles agree"
    ),
    "title": N_("same member and action plan; numbers disagree or are missing; titles nearly equal"),
    "group": N_(
        "one commitment of one export is several rows of the other (number `5` = rows "
        "`5.1`, `5.2`, same head title): linked, not paired"
    ),
    "none": N_("no partner in the snapshots present when the row was imported"),
}


def facts(store) -> dict:
    """The numbers the document states, computed from the store."""
    kinds = store.query("match_counts")
    pairs = store.query("pair_counts").iloc[0]
    per_snapshot = {}
    for s in store.snapshots:
        from ogp.model.filters import Filters

        h = store.query("headline", **Filters(snapshot=s.name).params()).iloc[0]
        per_snapshot[s.name] = {
            "files": [f.get("file", "?") for f in s.manifest.get("sources", [])],
            "commitments": int(h["commitments"]),
            "members": int(h["members"]),
            "action_plans": int(h["action_plans"]),
            "first_year": None if h["first_year"] != h["first_year"] else int(h["first_year"]),
            "last_year": None if h["last_year"] != h["last_year"] else int(h["last_year"]),
            "completion_assessed": int(h["completion_assessed"]),
            "impact_assessed": int(h["impact_assessed"]),
            "results_assessed": int(h["results_assessed"]),
            "starred": int(h["starred"]),
            "star_assessed": int(h["star_assessed"]),
        }
    latest = store.query("headline", **Filters().params()).iloc[0]
    groups = [
        {
            "member": str(g.member_name),
            "number": str(g.commitment_no),
            "year": int(g.year),
            "parts_year": int(g.parts_year),
            "numbers": [str(n) for n in g.numbers],
        }
        for g in store.query("group_parts").itertuples(index=False)
    ]
    return {
        "kinds": [(str(r.snapshot), str(r.match), int(r.commitments)) for r in kinds.itertuples(index=False)],
        "paired_keys": int(pairs["paired_keys"]),
        "groups": int(pairs["groups"]),
        "superseded": int(pairs["superseded"]),
        "latest_commitments": int(latest["commitments"]),
        "latest_starred": int(latest["starred"]),
        "latest_star_assessed": int(latest["star_assessed"]),
        "group_parts": groups,
        "rows": int(pairs["rows"]),
        "snapshots": per_snapshot,
        "extracts": store.extracts(),
    }


def _measure_rows() -> list[str]:
    """One paragraph per figure: what it counts, among what, its rule, scale and query."""
    out = []
    counts, among_word, rule_word = _("Counts:"), _("Among:"), _("Rule:")
    for m in measures.ALL:
        among = f" **{among_word}** {m.among}." if m.is_share else " " + _("A count.")
        rule = f" **{rule_word}** {m.condition}." if m.condition else ""
        scale = _("scale `{scale}`; ").format(scale=m.scale) if m.scale else ""
        out.append(f"- **{m.label}.** **{counts}** {m.counts}.{among}{rule} ({scale}`{m.sql}`)")
    return out


def document(f: dict) -> str:
    """The Methodology as Markdown, from the definitions and the computed facts `f`, in the
    active language (docs/METHOD.md is the English one: the CLI runs in English)."""
    lines = [
        "# " + _("Methodology: how every figure is computed"),
        "",
        _(
            "This page is generated from the definitions the dashboard computes with "
            "(`ogp/model/measures.py`, `ogp/data/matching.py`) and from the bundled data: its numbers are "
            "computed, not typed, and it cannot say something other than what the charts count."
        )
        + " "
        + _(text.EXPORT_NOTE),
        "",
        "## " + _("The figures"),
        "",
        _(
            "A share is its numerator divided by its denominator, rounded half up to a whole percent "
            '("<1%" when above 0 but rounding to 0, "–" when the denominator is 0). A missing '
            'rating reads "{not_assessed}": it is never counted in a denominator, and never '
            'shown as "None", which is a level of potential impact. Completion is the end-of-term '
            "rating where there is one, else the mid-term rating."
        ).format(not_assessed=_(text.NOT_ASSESSED))
        + " "
        + _(
            'That is the default, the latest rating; the filter bar\'s "Completion rating" reads '
            "the end-of-term rating only or the mid-term rating only instead (?rating=end, "
            "?rating=midterm), for the completion filter and for every completion figure, and each "
            "of them names the rating it shows. Which levels count (rated, high) is written once, in "
            "`ogp/model/scales.py`, and every query counts with the SQL macros built from it."
        ),
        "",
        *_measure_rows(),
        "",
        _(
            "**Ambitious pools two scales.** Until 2020 the IRM rated *potential impact* on four "
            "levels (None, Minor, Moderate, Transformative); since 2021 it rates *potential for "
            'results* on three (Unclear, Modest, Substantial). "Ambitious" counts the top level of '
            "either, among commitments rated on either: it is checkable, but a share from one era is "
            "not comparable with a share from the other. The two per-scale figures, Transformative "
            "potential impact and Substantial potential for results, are given beside it."
        ),
        "",
        _(
            "**Stars.** The IRM stars a commitment that is verifiable, relevant to an OGP value, "
            "of Transformative potential impact and Substantial or Complete in completion. Its "
            "exports carry its star formula per report; the dashboard takes the end-of-term one "
            "where the IRM applied it (0 or 1), else the progress report's. Where it applied "
            "neither (ND), the commitment has no star rating: it is left out of the share, not "
            "counted as not starred. In the latest state {starred} of the {assessed} commitments "
            "a star formula was applied to are starred. The legacy table's older formulas "
            "('Starred (2015 only)', 'Starred (pre-June 2014 assessments)') also starred Moderate "
            "potential impact, a lower bar, so they are not used, and the 2011–2012 plans, which "
            "only they rated, are outside the share. The current export's 'Star - Most Recently "
            "Assessed' is not a star: it is 1 for every commitment submitted in 2015–2016."
        ).format(starred=number(f["latest_starred"]), assessed=number(f["latest_star_assessed"])),
        "",
        "## " + _("The same commitment across exports"),
        "",
        _(
            "Exports are imported one at a time into dated snapshots. An import matches each of its "
            "commitments against the commitments already in the other snapshots and gives a matched "
            "row its partner's key, so the dashboard follows the commitment from one snapshot to the "
            "next. Position (row order, the legacy `Comm No`) is not identity: the legacy table "
            "reuses numbers in a plan and sometimes shifts them against the number that starts the "
            "title, and the current export writes some numbers as floats (`2.1` for 2.10). Each row "
            "records how its key was given (`match`):"
        ),
        "",
        "| `match` | {rule} |".format(rule=_("rule")),
        "|---|---|",
        *(f"| `{k}` | {_(KIND_WORDS[k])} |" for k in matching.KINDS),
        "",
        _(
            "Titles agree when at least {confirm} of the content words of the shorter "
            "title appear in the other (accents, case, punctuation and a leading number or label "
            'such as "Commitment 2.4:" ignored; words compared on their first {stem} '
            "letters); a pair on the title alone needs a Dice coefficient of {title_only}. "
            "A pair whose titles disagree is never a pair, whatever the numbers say. Pairs are one "
            "to one, the strongest first; ties are broken on the rows' content, never their position, "
            "so shuffled rows or a re-import give the same pairs and the same keys."
        ).format(
            confirm=percent(matching.CONFIRM, 1),
            stem=matching.STEM,
            title_only=percent(matching.TITLE_ONLY, 1),
        ),
        "",
        _(
            "**Groups** ({groups}): the latest state counts the newer export's form, once; the "
            "older rows are superseded. A group has no single earlier level, so the progress view "
            "leaves it out of transitions and moves."
        ).format(groups=_group_list(f["group_parts"]) or _("none in these snapshots")),
        "",
        _(
            "Counts per kind in these snapshots (a row is counted in the snapshot it belongs to; a "
            "snapshot imported first records `none` for rows that later imports matched):"
        ),
        "",
        "| {snapshot} | `match` | {commitments} |".format(
            snapshot=_("snapshot"), commitments=_("commitments")
        ),
        "|---|---|---:|",
        *(f"| {s} | `{k}` | {number(n)} |" for s, k, n in f["kinds"]),
        "",
        _(
            "Together: {rows} commitment rows; {paired} commitments are in two "
            "snapshots under one key; {groups} groups link {superseded} superseded "
            "rows. The latest state holds {latest} commitments."
        ).format(
            rows=number(f["rows"]),
            paired=number(f["paired_keys"]),
            groups=number(f["groups"]),
            superseded=number(f["superseded"]),
            latest=number(f["latest_commitments"]),
        ),
        "",
        "## " + _("What needs attention: the monitoring lists"),
        "",
        _(
            "The lists of `/monitor` and of `python -m ogp digest` (`ogp/render/monitor.py`, "
            "`queries/monitor_*.sql`), each with the date it judges against. Every list follows the "
            "sidebar's filters as its definition says; the latest state judges each row as of the "
            "snapshot it comes from, since an older export says nothing about later dates."
        ),
        "",
        monitor.definitions_markdown("###"),
        "",
        "## " + _("What the bundled exports cover"),
        "",
    ]
    for name, s in f["snapshots"].items():
        years = f"{s['first_year']}–{s['last_year']}" if s["first_year"] else _("years unknown")
        files = ", ".join(f"`{file}`" for file in s["files"]) or _("synthetic data")
        lines.append(
            f"- **{name}** ({files}): "
            + _(
                "{commitments} commitments of {members} members in {plans} action plans, submitted "
                "{years}; {completion} rated for completion, {impact} for potential impact, {results} "
                "for potential for results."
            ).format(
                commitments=number(s["commitments"]),
                members=number(s["members"]),
                plans=number(s["action_plans"]),
                years=years,
                completion=number(s["completion_assessed"]),
                impact=number(s["impact_assessed"]),
                results=number(s["results_assessed"]),
            )
            + " "
            + _("A star formula was applied to {assessed} of them; {starred} are starred.").format(
                assessed=number(s["star_assessed"]), starred=number(s["starred"])
            )
        )
    if f.get("extracts"):
        lines += ["", text.extract_note(f["extracts"])]
    lines += [
        "",
        _(
            "What they do not cover: the 2024 export is filtered to parliament and legislation topics "
            "(OGP counts more than 4,500 commitments); the 2017 legacy table has no OGP identifiers, "
            "no potential for results and no early results (those scales started in 2021), and "
            "reaches only the first action plans; action plans known only from the 2016 process "
            "database, without commitments, are not counted as action plans. Members' regions and "
            "kinds come from `data/members.csv`."
        ),
        "",
        "## " + _("Reproduce a figure from the raw file"),
        "",
        "1. "
        + _(
            "Read the export with every value as text and nothing as missing: "
            "`pd.read_csv(path, dtype=str, keep_default_na=False)` (the legacy table: `header=1`, its "
            "first row holds column numbers)."
        ),
        "2. "
        + _(
            "Treat `ND`, `NR`, `NA`, `N/A`, `#N/A` and empty cells as missing; strip the legacy "
            "letter prefixes (`b. Limited` -> `Limited`)."
        ),
        "3. " + _("Take the rating from its column, then apply the rule of the figure above:"),
        "",
        "| {rating} | {current} | {legacy} |".format(
            rating=_("rating"), current=_("current export column"), legacy=_("legacy table column")
        ),
        "|---|---|---|",
        *(f"| `{k}` | {_code(a)} | {_code(b)} |" for k, (a, b) in RAW_COLUMNS.items()),
        "",
        "4. "
        + _(
            "For one snapshot, count its rows. For the latest state, take the newer export's rows "
            "plus the older export's rows that have no partner and are in no group (matching above; "
            "`tests/recompute.py` does exactly this with its own matching, written separately, and "
            "the test suite checks the dashboard against it)."
        ),
        "5. "
        + _(
            "Every chart offers its data as a table and CSV, and `docs/DATA.md` describes every "
            "column of the snapshots."
        ),
        "",
    ]
    return "\n".join(lines)


def _group_list(groups: list[dict]) -> str:
    """`Croatia's 2024 commitment 6 was 10 rows of the 2017 export, numbered 6.1–6.9 (6.1 on 2
    rows)`, one clause per group, from the data (queries/group_parts.sql)."""
    clauses = []
    for g in groups:
        numbers, seen = g["numbers"], Counter(g["numbers"])
        distinct = list(seen)
        span = f"{distinct[0]}–{distinct[-1]}" if len(distinct) > 2 else ", ".join(distinct)
        repeated = [_("{number} on {n} rows").format(number=k, n=number(c)) for k, c in seen.items() if c > 1]
        clauses.append(
            _(
                "{member}'s {year} commitment {no} was {n} rows of the {parts_year} export, numbered {span}"
            ).format(
                member=g["member"],
                year=g["year"],
                no=g["number"],
                n=number(len(numbers)),
                parts_year=g["parts_year"],
                span=span,
            )
            + (f" ({'; '.join(repeated)})" if repeated else "")
        )
    return "; ".join(clauses)


def _code(column: str | tuple[str, ...]) -> str:
    """A raw file's column names (its headers, as written: data, not our words); "—": none.
    Plain text, not code: code does not wrap, and this table ran past a phone's screen."""
    return " / ".join((column,) if isinstance(column, str) else column)


def cmd_method(args: argparse.Namespace) -> int:
    from ogp.data.store import Store

    store = Store(paths.data_dir(args.data_dir))
    if not store.ok:
        print("error: no readable snapshot", file=sys.stderr)
        return 1
    doc = document(facts(store))
    if args.out:
        Path(args.out).write_text(doc, encoding="utf-8")
    else:
        print(doc)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("method", help="write the Methodology (docs/METHOD.md) from the data")
    p.add_argument("--data-dir", default=None, help="data folder (default: $OGP_DATA_DIR, else data)")
    p.add_argument("--out", default=None, help="file to write (default: print)")
    p.set_defaults(func=cmd_method)
