"""What needs attention: the lists of /monitor and of the digest (`python -m ogp digest`).

One place defines them: `DEFINITIONS` (what each list holds and the as-of date it judges
against, rendered by /monitor, the digest and the Methodology page) and `build(...)`, which makes
a `Report` of the frames of their named queries (queries/monitor_*.sql and queries/at_risk.sql,
the at-risk list of /progress). ogp.render.views.monitor runs the queries: the page with its
cached query runner, the digest with the store's. No Streamlit, no store."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ogp.model import i18n, text, urls
from ogp.model.filters import Filters
from ogp.model.i18n import N_, _, ngettext

PLAN_YEARS = 2  # an action plan's length when the export gives no end year (OGP's two-year plans)
WAIT_YEARS = 1  # an ended plan's commitments are awaited for an assessment after this long

# The ratings the change list compares (column of the snapshot -> label, shown through _()),
# in display order.
RATINGS = {
    "completion": N_("Completion"),
    "potential_impact": N_("Potential impact"),
    "diog": N_("Did it open government"),
    "starred": N_("Starred"),
    "early_results": N_("Early results"),
}
# The values of the starred "rating" in queries/monitor_changes.sql, shown through _().
STARRED_VALUES = {"Starred": N_("Starred"), "Not starred": N_("Not starred")}
NOT_ASSESSED = text.NOT_ASSESSED
CHANGE_KINDS = ("added", "dropped", "regrouped", "rating changed")
# Rows of queries/monitor_changes.sql that only one snapshot holds, the other being an extract:
# counted (Report.outside_*), never listed as changes.
OUTSIDE_KINDS = ("outside the earlier extract", "outside the later extract")
CHANGE_WORDS = {  # a change kind as shown in the list (through _())
    "added": N_("Added"),
    "dropped": N_("Dropped"),
    "regrouped": N_("Regrouped"),
    "rating changed": N_("Rating changed"),
}
GAP_KINDS = (
    "member without region",
    "member without ISO code",
    "commitment without a theme",
    "rating outside its scale",
)
GAP_WORDS = {  # a gap as shown in the list (through _())
    "member without region": N_("Member without region"),
    "member without ISO code": N_("Member without ISO code"),
    "commitment without a theme": N_("Commitment without a theme"),
    "rating outside its scale": N_("Rating outside its scale"),
}


def gap_count(gap: str, n: int) -> str:
    """'2 members without region' in the active language."""
    forms = {
        "member without region": lambda: ngettext(
            "{n} member without region", "{n} members without region", n
        ),
        "member without ISO code": lambda: ngettext(
            "{n} member without ISO code", "{n} members without ISO code", n
        ),
        "commitment without a theme": lambda: ngettext(
            "{n} commitment without a theme", "{n} commitments without a theme", n
        ),
        "rating outside its scale": lambda: ngettext(
            "{n} rating outside its scale", "{n} ratings outside their scale", n
        ),
    }
    return forms[gap]().format(n=i18n.number(n))


@dataclass(frozen=True)
class Definition:
    key: str  # the list's id in a Report and in the page
    title_en: str  # N_-marked: `title`, `text` and `as_of` read them in the active language
    query: str  # queries/<query>.sql
    text_en: str  # what the list holds ({plan_years}, {wait_years}: the constants above)
    as_of_en: str  # the date it judges against

    @property
    def title(self) -> str:
        return _(self.title_en)

    @property
    def text(self) -> str:
        return _(self.text_en).format(plan_years=PLAN_YEARS, wait_years=WAIT_YEARS)

    @property
    def as_of(self) -> str:
        return _(self.as_of_en)


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "late",
        N_("Late action plans"),
        "monitor_late_plans",
        N_(
            "Members whose latest action plan has ended with no newer plan. Only a complete export "
            "can show that: an extract may leave a member's newer plans out, so plans known only "
            "from extracts are not listed. A plan ends on 31 December of its end year; when the "
            "export gives no end year, of its submission year plus {plan_years} (OGP's two-year "
            "cycle). Listed with the months since it ended. Members, region and member type select "
            "the members; with any other filter, only plans with a commitment passing it are listed."
        ),
        N_(
            "The date of the complete snapshot the plan comes from: the chosen snapshot, or for the "
            "latest state, the newest complete snapshot listing the plan."
        ),
    ),
    Definition(
        "awaiting",
        N_("Awaiting assessment"),
        "monitor_awaiting",
        N_(
            "Action plans with commitments that had no completion assessment, neither mid-term nor "
            "end of term, although the plan had ended {wait_years} year or more before. Each "
            "commitment is judged as of the snapshot its row comes from, and a plan is listed once "
            "per snapshot its commitments come from. Counts are of the commitments passing the "
            "filters that the data holds (an extract holds only some of a plan's commitments)."
        ),
        N_(
            "The date of the snapshot each commitment's row comes from: the chosen snapshot, or for "
            "the latest state, each commitment's newest snapshot."
        ),
    ),
    Definition(
        "at_risk",
        N_("At risk"),
        "at_risk",
        N_(
            "Commitments of action plans still open (end year not before the as-of year) whose latest "
            "completion assessment (end of term, else mid-term) is Not Started or Limited. The same "
            "list as At risk on the Progress page."
        ),
        N_(
            "The date of the snapshot holding each commitment's row: the chosen snapshot, or for the "
            "latest state, the newest snapshot holding the commitment."
        ),
    ),
    Definition(
        "changes",
        N_("Changed since the previous snapshot"),
        "monitor_changes",
        N_(
            "Commitments followed from one snapshot to the other, one line each: added (only in the "
            "later one), dropped (only in the earlier one), regrouped (one snapshot holds it as "
            "several rows, the other as one: each of those rows is listed) and every rating that "
            "differs, from → to: completion (end of term, else mid-term), potential impact, did it "
            "open government, starred, early results. A rating that appears or disappears counts. "
            "A commitment only one snapshot holds is called added or dropped only when the other "
            "snapshot is a complete export: an extract may simply leave it out, so such commitments "
            "are counted apart and not listed. A change passes the filters when the later row does "
            "(the earlier row, for a dropped commitment)."
        ),
        N_(
            "The chosen snapshot (the newest, for the latest state) against the snapshot just before "
            "it; the digest can compare with an earlier one."
        ),
    ),
    Definition(
        "gaps",
        N_("Data gaps"),
        "monitor_gaps",
        N_(
            "Members without a region or an ISO code; commitments none of whose policy areas or tags "
            "belongs to one of the dashboard's themes; rating values that are not a level of the "
            "IRM's scale for that rating. The import already sets unknown rating values aside as "
            "missing and says so in the snapshot's import report, listed with this list."
        ),
        N_(
            "The chosen snapshot, or for the latest state, each member's latest facts and each "
            "commitment's latest row."
        ),
    ),
)
DEFINITION = {d.key: d for d in DEFINITIONS}


def definitions_markdown(heading: str = "###") -> str:
    """The definitions as Markdown (docs/METHOD.md, the Methodology page)."""
    as_of = _("As of:")
    return "\n\n".join(f"{heading} {d.title}\n\n{d.text}\n\n*{as_of}* {d.as_of}" for d in DEFINITIONS)


# -- texts ---------------------------------------------------------------------------------
def since_text(months: float | None) -> str:
    """Months as '1 year 3 months', '7 months', 'under a month'."""
    if months is None or pd.isna(months):
        return ""
    months = int(months)
    if months < 1:
        return _("under a month")
    years, rest = divmod(months, 12)
    parts = [ngettext("{n} year", "{n} years", years).format(n=i18n.number(years))] if years else []
    if rest:
        parts.append(ngettext("{n} month", "{n} months", rest).format(n=i18n.number(rest)))
    return " ".join(parts)


def level_text(value: object, rating: object = None) -> str:
    """A rating's value as shown: its level in the active language, or "Not assessed"."""
    if value is None or pd.isna(value):
        return _(NOT_ASSESSED)
    if rating == "starred":
        return _(STARRED_VALUES.get(str(value), str(value)))
    return i18n.level(str(rating), str(value)) if rating in RATINGS else str(value)


def change_text(rating: object, before: object, after: object) -> str:
    """'Completion: Limited → Substantial'."""
    label = _(RATINGS[rating]) if rating in RATINGS else str(rating)
    return f"{label}: {level_text(before, rating)} → {level_text(after, rating)}"


def change_word(change: object) -> str:
    """A change kind as shown ('Added'), in the active language."""
    return _(CHANGE_WORDS[change]) if change in CHANGE_WORDS else str(change).capitalize()


def gap_word(gap: object) -> str:
    """A gap kind as shown ('Member without region'), in the active language."""
    return _(GAP_WORDS[gap]) if gap in GAP_WORDS else str(gap).capitalize()


def linked(df: pd.DataFrame) -> pd.DataFrame:
    """A list with a link to each row's member page (`member`) and, for commitment rows, to the
    commitment's detail view (`commitment`); a row without a link, a key or a detail shows an
    empty cell there, not "None"."""
    out = df.assign(member=[urls.member_url(c) for c in df["member_code"]])
    if "key" in df:
        out["commitment"] = [urls.commitment_url(k) if isinstance(k, str) else None for k in df["key"]]
    for col in ("url", "detail", "commitment", "key"):
        if col in out:
            out[col] = out[col].astype("object").where(out[col].notna(), "")
    return out


def described_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """The change list as shown and downloaded: one row per commitment and kind of change, with a
    `what` column ('Completion: Limited → Substantial; Starred: Not starred → Starred', 'Added');
    a commitment whose ratings changed is one row, so the list has `Report.changed_total()` rows."""
    cols = ["change", "member_code", "member_name", "key", "ogp_id", "action_plan", "title", "what", "url"]
    if changes.empty:
        return pd.DataFrame(columns=cols)
    what = [
        change_text(r, a, b) if c == "rating changed" else change_word(c)
        for c, r, a, b in changes[["change", "rating", "from_value", "to_value"]].itertuples(index=False)
    ]
    rows = changes.assign(what=what, _order=range(len(changes)))
    one = rows.groupby(["change", "key"], sort=False, as_index=False, dropna=False).agg(
        **{c: (c, "first") for c in cols if c not in ("change", "key", "what")},
        what=("what", "; ".join),
        _order=("_order", "min"),
    )
    return one.sort_values("_order", ignore_index=True)[cols]


def outside_text(report: Report) -> str:
    """What an extract left out of the comparison, counted and not listed ('' when nothing)."""
    parts = []
    if report.outside_later:
        parts.append(
            ngettext(
                "{n} commitment of {earlier} is not in the extract of {later}",
                "{n} commitments of {earlier} are not in the extract of {later}",
                report.outside_later,
            ).format(n=i18n.number(report.outside_later), earlier=report.previous, later=report.current)
        )
    if report.outside_earlier:
        parts.append(
            ngettext(
                "{n} commitment of {later} is not in the extract of {earlier}",
                "{n} commitments of {later} are not in the extract of {earlier}",
                report.outside_earlier,
            ).format(n=i18n.number(report.outside_earlier), earlier=report.previous, later=report.current)
        )
    if not parts:
        return ""
    return _(
        "{what}: an extract may leave a commitment out, so these are neither dropped nor added, "
        "and not listed."
    ).format(what="; ".join(parts))


def late_note(report: Report) -> str:
    """Why the late list is empty when no snapshot it could judge is complete ('' otherwise)."""
    if report.late_judged:
        return ""
    return _(
        "No late action plans can be named: the snapshots here are extracts, and an extract may "
        "leave a member's newer plans out."
    )


# -- the report ----------------------------------------------------------------------------
@dataclass
class Report:
    scope: str | None  # the snapshot chosen, None for the latest state of every commitment
    as_of: str  # the newest as-of date the lists judge against
    current: str  # the snapshot the changes lead to
    previous: str | None  # the snapshot compared with (None: there is no earlier one)
    late: pd.DataFrame
    awaiting: pd.DataFrame
    at_risk: pd.DataFrame
    changes: pd.DataFrame
    gaps: pd.DataFrame
    import_notes: tuple[str, ...] = field(default_factory=tuple)
    outside_earlier: int = 0  # rows only the later snapshot holds, the earlier being an extract
    outside_later: int = 0  # rows only the earlier snapshot holds, the later being an extract
    late_judged: bool = True  # a complete snapshot the late list could judge from exists

    def list(self, key: str) -> pd.DataFrame:
        return getattr(self, key)

    def counts(self) -> dict[str, int]:
        ch = self.changes
        rated = ch[ch["change"] == "rating changed"]
        return {
            "late": len(self.late),
            "awaiting": len(self.awaiting),
            "awaiting_commitments": int(self.awaiting["not_assessed"].sum()),
            "at_risk": len(self.at_risk),
            "added": int((ch["change"] == "added").sum()),
            "dropped": int((ch["change"] == "dropped").sum()),
            "regrouped": int((ch["change"] == "regrouped").sum()),
            "changed": int(rated["key"].nunique()),
            "rating_changes": len(rated),
            "gaps": len(self.gaps),
        }

    def changed_total(self) -> int:
        """Commitment rows added, dropped, regrouped or with a rating changed."""
        c = self.counts()
        return c["added"] + c["dropped"] + c["regrouped"] + c["changed"]

    def gap_counts(self) -> dict[str, int]:
        """Rows of the data gaps list per kind of gap (those present), in GAP_KINDS order."""
        n = self.gaps["gap"].value_counts()
        return {g: int(n[g]) for g in GAP_KINDS if g in n}

    def gap_summary(self) -> str:
        """'455 commitments without a theme; 1 member without region'."""
        return "; ".join(gap_count(g, n) for g, n in self.gap_counts().items())

    def changes_by_member(self) -> pd.DataFrame:
        """Per member: commitments added, dropped, with a rating changed, and rating changes."""
        ch = self.changes
        if ch.empty:
            return pd.DataFrame(
                columns=[
                    "member_code",
                    "member_name",
                    "added",
                    "dropped",
                    "regrouped",
                    "changed",
                    "rating_changes",
                ]
            )
        rated = ch["change"] == "rating changed"
        out = (
            ch.assign(
                added=ch["change"] == "added",
                dropped=ch["change"] == "dropped",
                regrouped=ch["change"] == "regrouped",
                changed_key=ch["key"].where(rated),
                rating_changes=rated,
            )
            .groupby(["member_code", "member_name"], as_index=False)
            .agg(
                added=("added", "sum"),
                dropped=("dropped", "sum"),
                regrouped=("regrouped", "sum"),
                changed=("changed_key", "nunique"),
                rating_changes=("rating_changes", "sum"),
            )
        )
        return out.sort_values(["member_name", "member_code"], ignore_index=True)

    def members(self) -> builtins.list[tuple[str, str]]:  # `list` here is the method above
        """(code, name) of every member with something to report, by name."""
        frames = [self.late, self.awaiting, self.at_risk, self.changes, self.gaps]
        pairs = pd.concat(
            [f[["member_code", "member_name"]] for f in frames if len(f)],
            ignore_index=True,
        )
        if pairs.empty:
            return []
        pairs = pairs.drop_duplicates("member_code").sort_values(["member_name", "member_code"])
        return list(pairs.itertuples(index=False, name=None))

    def for_member(self, code: str) -> dict[str, pd.DataFrame]:
        """Each list's rows of one member."""
        return {d.key: self.list(d.key)[self.list(d.key)["member_code"] == code] for d in DEFINITIONS}


def compared_snapshots(
    names: list[str], scope: str | None, since: str | None = None
) -> tuple[str, str | None]:
    """(later, earlier) snapshots of the change list: the chosen snapshot (the newest for the
    latest state) and the one before it, or `since`. ValueError for an unknown or later `since`."""
    if not names:
        raise ValueError("no snapshot")
    if scope is not None and scope not in names:
        raise ValueError(f"no snapshot {scope!r}; there are {', '.join(names)}")
    current = scope or names[-1]
    if since is not None:
        if since not in names:
            raise ValueError(f"no snapshot {since!r}; there are {', '.join(names)}")
        if since >= current:
            raise ValueError(f"--since {since} is not before the snapshot compared ({current})")
        return current, since
    earlier = [n for n in names if n < current]
    return current, (earlier[-1] if earlier else None)


def build(
    filters: Filters,
    *,
    late: pd.DataFrame,
    awaiting: pd.DataFrame,
    at_risk: pd.DataFrame,
    gaps: pd.DataFrame,
    changes: pd.DataFrame | None,
    snapshots: Sequence,
    current: str,
    previous: str | None,
    late_judged: bool,
) -> Report:
    """The five lists for `filters` (its snapshot is the scope) from the frames of their named
    queries, as ogp.render.views.monitor runs them: `changes` None when there is no earlier
    snapshot; `snapshots` the store's (ogp.data.store.Snapshot: name, manifest), oldest first."""
    changes = _empty_changes() if changes is None else changes
    outside = changes["change"].isin(OUTSIDE_KINDS)
    counted = changes["change"].value_counts()
    changes = changes[~outside].reset_index(drop=True)
    judged = [s for s in snapshots if s.name == filters.snapshot] if filters.snapshot else snapshots
    notes = tuple(n for snapshot in judged for n in import_notes(snapshot))
    return Report(
        scope=filters.snapshot,
        as_of=filters.snapshot or snapshots[-1].name,
        current=current,
        previous=previous,
        late=late,
        awaiting=awaiting,
        at_risk=at_risk,
        changes=changes,
        gaps=gaps,
        import_notes=notes,
        outside_earlier=int(counted.get("outside the earlier extract", 0)),
        outside_later=int(counted.get("outside the later extract", 0)),
        late_judged=late_judged,
    )


def import_notes(snapshot) -> list[str]:
    """Rating values the import of a snapshot did not understand (outside their scale, stored as
    missing), from its manifest's import report; the warnings of an older manifest without one."""
    manifest = snapshot.manifest if snapshot else {}
    files = (manifest.get("report") or {}).get("files")
    if files is None:
        return [
            f"{snapshot.name}: {w}"
            for w in manifest.get("warnings") or []
            if "not a level of scale" in str(w)
        ]
    notes = []
    for f in files:
        for column, v in (f.get("values_not_understood") or {}).items():
            examples = ", ".join(f"'{e}'" for e in v.get("examples") or [])
            rows = int(v.get("rows") or 0)
            said = ngettext(
                "{n} row with {column} {examples}, not a level of the IRM's scale: read as not assessed",
                "{n} rows with {column} {examples}, not a level of the IRM's scale: read as not assessed",
                rows,
            ).format(n=i18n.number(rows), column=column, examples=examples)
            notes.append(f"{snapshot.name}: {f.get('file')}: {said}")
    return notes


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "change",
            "member_code",
            "member_name",
            "key",
            "ogp_id",
            "action_plan",
            "title",
            "rating",
            "from_value",
            "to_value",
            "url",
        ]
    )


def tabs(report) -> tuple[list[str], str]:
    """The Monitor page's tabs (each list with its count) and the one it opens on: the first
    with something in it (an extract names no late plan: "Late plans (0)" first greeted staff
    with an empty list)."""
    counts = report.counts()
    listed = [
        (_("Late plans ({n})"), counts["late"]),
        (_("Awaiting assessment ({n})"), counts["awaiting"]),
        (_("At risk ({n})"), counts["at_risk"]),
        (_("Changes ({n})"), report.changed_total()),
        (_("Data gaps ({n})"), counts["gaps"]),
    ]
    labels = [label.format(n=i18n.number(n)) for label, n in listed]
    return labels, next((tab for tab, (_label, n) in zip(labels, listed) if n), labels[0])
