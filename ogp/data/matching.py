"""The same commitment across exports: matching by identity, not by position.

An import's rows are matched against the commitments of the other snapshots in the data dir
(`load_others`), and a matched row takes its partner's key, so that the store, which follows a
commitment across snapshots by `key`, pairs the right rows. Each row records how its key was
given (`match`):

- `id`: both rows carry the same OGP identifier (`Commitment Unique Identifier`) and their
  titles agree;
- `number`: same member and action plan, the commitment numbers agree, and so do the titles.
  A row's numbers are its number column *and* the number that starts its title, because the
  legacy table's `Comm No` is sometimes shifted against the title ("5:  Publication ..." has
  Comm No 4) or reused, and the current export writes some numbers as floats (`2.1` for 2.10:
  numbers agree when they are equal as decimal numbers);
- `title`: same member and action plan, numbers disagree or are missing, titles nearly equal;
- `group`: one commitment of one export is several rows of the other (Croatia's 2024 commitment
  5 is the legacy rows 5.1 and 5.2): the number of the group is the parent of the parts'
  numbers (`5` -> `5.1`, `5.2`) and the group's title is the parts' common title. The rows keep
  their own keys; `links` lists the keys of the other side. In the latest state the newer
  export's form counts: the older side is superseded (queries/_setup.sql). A group is not a
  pair: it has no single earlier level, so progress between snapshots leaves it out;
- `none`: no partner in the snapshots present at import time.

Titles agree when at least half of the content words of the shorter one appear in the other
(words compared on their first STEM letters, accents, case, punctuation and a leading number
such as "3.", "Commitment 2.4:" or "ACTION 7:" ignored); `title` pairs need a Dice coefficient
of TITLE_ONLY on those words instead. A pair whose titles disagree is never a pair, whatever
the numbers say: the partner is looked for among the other rows of the same member and plan.

Pairs are one to one, chosen greedily: same OGP id first, then by title similarity, then by
kind, with ties broken on the rows' content, never on their position: shuffled rows,
renumbered duplicates or re-imports give the same pairs and the same keys. A row without a partner keeps its own key (`assign_keys` in
ogp/data/mappers.py) unless another commitment already holds that key in a snapshot, in which case
it gets the first free `~n` suffix.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyarrow.parquet as pq

from ogp.model import paths

KINDS = ("id", "number", "title", "group", "none")  # the values of `match`, strongest first
CONFIRM = 0.5  # share of the shorter title's words found in the other: confirms id and number pairs
TITLE_ONLY = 0.8  # Dice coefficient of the words: a pair on the title alone
GROUP_HEAD = 0.8  # Dice coefficient of the titles' heads (before ':') of a group and its parts
STEM = 5  # words compared on their first STEM letters ("decentralise" ~ "decentralisation")
MAX_PAIRS_PER_PLAN = 250_000  # beyond this, title-only candidates in a plan need equal titles
COLUMNS = ("key", "ogp_id", "member_code", "action_plan", "commitment_no", "title")

_LABEL = r"(?:commitment|compromiso|engagement|action|measure|medida|accion|objective|objetivo)"
_PREFIX = re.compile(
    r"^\s*(?:" + _LABEL + r"\s*(?:no?\.?\s*|#\s*)?)?"
    r"(\d+(?:\.\d+)*(?:\.?[a-z])?)(?=[\s.:)\-–—]|$)[\s.:)\-–—]*",
    re.I,
)
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "de",
        "del",
        "des",
        "du",
        "e",
        "el",
        "en",
        "et",
        "for",
        "from",
        "in",
        "into",
        "la",
        "las",
        "le",
        "les",
        "los",
        "of",
        "on",
        "or",
        "para",
        "por",
        "the",
        "to",
        "un",
        "una",
        "with",
        "y",
    ]
)


# ----------------------------------------------------------------------------- text


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def title_number(title: str | None) -> str | None:
    """The number a title starts with: '5:  Publication' -> '5', '2.10 Proyecto' -> '2.10',
    'Commitment 2.4: ...' -> '2.4', '1.6a) ...' -> '1.6a'; None when there is none."""
    m = _PREFIX.match(_ascii(title or ""))
    return m.group(1) if m else None


def _body(title: str | None) -> str:
    """The folded title without its leading number (and a label such as 'Commitment 2:')."""
    t = _ascii(title or "")
    m = _PREFIX.match(t)
    return t[m.end() :] if m else t


def _words(text: str) -> frozenset[str]:
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return frozenset(w[:STEM] for w in text.split() if w not in _STOP and len(w) > 1)


def words(title: str | None) -> frozenset[str]:
    """Content words of a title (leading number dropped), folded and cut to STEM letters."""
    return _words(_body(title))


def head(title: str | None) -> frozenset[str]:
    """Words of a title's head: the part before the first ':' (a group's common title)."""
    return _words(_body(title).split(":", 1)[0])


def overlap(a: frozenset, b: frozenset) -> float:
    """Share of the shorter word set found in the other (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def dice(a: frozenset, b: frozenset) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _canon_number(n: str) -> str:
    n = n.strip().casefold().rstrip(".)")
    try:
        return str(Decimal(n).normalize()) if re.fullmatch(r"\d+(\.\d+)?", n) else n
    except InvalidOperation:
        return n


def numbers(number: str | None, title: str | None) -> frozenset[str]:
    """A row's commitment numbers: its number column and its title's leading number, written
    so that numbers equal as decimals compare equal ('2.10' and '2.1' -> '2.1')."""
    out = {_canon_number(n) for n in (number, title_number(title)) if n and n.strip()}
    return frozenset(out)


def _is_part_number(part: str, parent: str) -> bool:
    return part.startswith(parent + ".") and len(part) > len(parent) + 1


# ----------------------------------------------------------------------------- rows


@dataclass
class Entry:
    """A commitment on one side of a match: its key, identity and title words."""

    key: str
    ogp_id: str | None
    plan: tuple[str, int]
    number: str | None
    title: str
    words: frozenset = field(init=False)
    numbers: frozenset = field(init=False)
    head: frozenset = field(init=False)
    order: tuple = ()  # content-based tie-break (never the row position)

    def __post_init__(self):
        self.words = words(self.title)
        self.numbers = numbers(self.number, self.title)
        self.head = head(self.title)


def _order(row: dict) -> tuple:
    return (
        row.get("title") or "",
        row.get("commitment_no") or "",
        row.get("ogp_id") or "",
        row.get("description") or "",
        json.dumps(
            {k: v for k, v in row.items() if k not in ("source_row", "key", "match", "links")},
            sort_keys=True,
            default=str,
        ),
    )


def entry(row: dict, key: str | None = None) -> Entry:
    return Entry(
        key=key or row["key"],
        ogp_id=row.get("ogp_id"),
        plan=(row["member_code"], int(row["action_plan"])),
        number=row.get("commitment_no"),
        title=row.get("title") or "",
        order=_order(row),
    )


def load_others(base: Path, exclude: str | None) -> tuple[list[dict], list[str]]:
    """Commitments of the snapshots in DIR/snapshots other than `exclude`, one row per key (the
    row from the snapshot nearest in date to `exclude`, the newer on a tie), and the names of
    snapshots that could not be read."""
    names = [n for n in paths.snapshot_names(base) if n != exclude]
    target = exclude or "9999-99-99"

    def distance(name: str) -> tuple:
        a, b = sorted((name, target))
        return (_days(a, b), -_days("0001-01-01", name))

    by_key: dict[str, tuple[tuple, dict]] = {}
    unreadable = []
    for name in names:
        path = paths.snapshots_dir(base) / name / "commitments.parquet"
        try:
            table = pq.read_table(path, columns=list(COLUMNS))
        except Exception:  # noqa: BLE001 - a damaged snapshot is reported, not matched against
            unreadable.append(name)
            continue
        d = distance(name)
        for row in table.to_pylist():
            row["snapshot"] = name
            if row["key"] is None:
                continue
            if row["key"] not in by_key or d < by_key[row["key"]][0]:
                by_key[row["key"]] = (d, row)
    return [r for _, r in sorted(by_key.values(), key=lambda x: x[1]["key"])], unreadable


def _days(a: str, b: str) -> int:
    import datetime as dt

    try:
        return abs((dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days)
    except ValueError:
        return 0


# ----------------------------------------------------------------------------- matching


@dataclass
class Pair:
    new: int  # index into the new rows
    other: int  # index into the other rows
    kind: str
    score: float


def _candidates(new: list[Entry], other: list[Entry], taken_new: set, taken_other: set) -> list[Pair]:
    by_plan_other: dict[tuple, list[int]] = defaultdict(list)
    for j, o in enumerate(other):
        if j not in taken_other:
            by_plan_other[o.plan].append(j)
    by_id = {o.ogp_id.casefold(): j for j, o in enumerate(other) if o.ogp_id and j not in taken_other}
    out = []
    for i, n in enumerate(new):
        if i in taken_new:
            continue
        if n.ogp_id and n.ogp_id.casefold() in by_id:
            j = by_id[n.ogp_id.casefold()]
            s = overlap(n.words, other[j].words)
            if s >= CONFIRM or n.words == other[j].words:
                out.append(Pair(i, j, "id", s))
                continue
        plan = by_plan_other.get(n.plan, [])
        exact_only = len(plan) * len(new) > MAX_PAIRS_PER_PLAN
        for j in plan:
            o = other[j]
            if n.ogp_id and o.ogp_id and n.ogp_id.casefold() != o.ogp_id.casefold():
                continue  # two different OGP ids are two commitments
            if n.numbers & o.numbers:
                s = overlap(n.words, o.words)
                if s >= CONFIRM:
                    out.append(Pair(i, j, "number", s))
                    continue
            if exact_only and n.words != o.words:
                continue
            d = dice(n.words, o.words)
            if d >= TITLE_ONLY:
                out.append(Pair(i, j, "title", d))
    return out


def _groups(new: list[Entry], other: list[Entry]) -> list[tuple[str, int, list[int]]]:
    """(side, index of the group, indices of its parts on the other side): a row whose number is
    the parent of the numbers of two or more rows of the other export in its plan ('5' ->
    '5.1', '5.2'; no row there is numbered '5'), with the same head title (before ':')."""
    out = []
    for side, groups, parts in (("new", new, other), ("other", other, new)):
        by_plan: dict[tuple, list[int]] = defaultdict(list)
        for j, p in enumerate(parts):
            by_plan[p.plan].append(j)
        for i, g in enumerate(groups):
            plan = by_plan.get(g.plan, [])
            n = _column_number(g)
            if not plan or n is None or any(_column_number(parts[j]) == n for j in plan):
                continue
            members = [
                j
                for j in plan
                if _is_part_number(_column_number(parts[j]) or "", n)
                and dice(g.head, parts[j].head) >= GROUP_HEAD
            ]
            if len(members) >= 2:
                out.append((side, i, sorted(members, key=lambda j: parts[j].order)))
    return out


def _column_number(e: Entry) -> str | None:
    return e.number.strip().casefold().rstrip(".)") if e.number and e.number.strip() else None


@dataclass
class Outcome:
    keys: list[str]  # the key of each new row
    match: list[str]  # how: one of KINDS
    links: list[list[str]]  # keys of the group / parts in the other snapshots
    counts: dict[str, int]


def match(new_rows: list[dict], other_rows: list[dict]) -> Outcome:
    """Keys, match kinds and links for `new_rows` (their own keys already assigned by
    ogp.data.mappers.assign_keys) against the commitments of the other snapshots (one row per key)."""

    # Only rows that could have a partner (a plan, or an OGP id, on both sides) are compared.
    def reach(rows):
        return (
            {(r["member_code"], int(r["action_plan"])) for r in rows},
            {r["ogp_id"].casefold() for r in rows if r.get("ogp_id")},
        )

    def could(r, plans, ids):
        return (r["member_code"], int(r["action_plan"])) in plans or (
            bool(r.get("ogp_id")) and r["ogp_id"].casefold() in ids
        )

    (new_plans, new_ids), (other_plans, other_ids) = reach(new_rows), reach(other_rows)
    new_at = [i for i, r in enumerate(new_rows) if could(r, other_plans, other_ids)]
    other_at = [j for j, r in enumerate(other_rows) if could(r, new_plans, new_ids)]
    outcome = _match([entry(new_rows[i]) for i in new_at], [entry(other_rows[j]) for j in other_at])
    kind = ["none"] * len(new_rows)
    key: list[str | None] = [None] * len(new_rows)
    links: list[list[str]] = [[] for _ in new_rows]
    for i, k, m, ls in zip(new_at, *outcome, strict=True):
        key[i], kind[i], links[i] = k, m, ls
    taken = {r["key"] for r in other_rows} | {k for k in key if k}
    for i in sorted(range(len(new_rows)), key=lambda i: new_rows[i]["key"]):
        if key[i] is not None:
            continue
        own = new_rows[i]["key"]
        if own not in taken:
            key[i] = own
        else:
            base = own.split("~", 1)[0]
            n = 2
            while f"{base}~{n}" in taken:
                n += 1
            key[i] = f"{base}~{n}"
        taken.add(key[i])
    for ls in links:
        ls.sort()
    counts = {k: kind.count(k) for k in KINDS}
    return Outcome([k or "" for k in key], kind, links, counts)


def _match(new: list[Entry], other: list[Entry]) -> tuple[list, list, list]:
    """(adopted key or None, kind, links) of each new entry."""
    kind = ["none"] * len(new)
    key: list[str | None] = [None] * len(new)
    links: list[list[str]] = [[] for _ in new]
    in_group_new, in_group_other = set(), set()
    for side, g, parts in _groups(new, other):
        if side == "new":
            kind[g] = "group"
            links[g] = [other[j].key for j in parts]
            in_group_new.add(g)
            in_group_other.update(parts)
        else:
            for j in parts:
                kind[j] = "group"
                links[j].append(other[g].key)
                in_group_new.add(j)
            in_group_other.add(g)
    rank = {k: i for i, k in enumerate(KINDS)}
    pairs = _candidates(new, other, in_group_new, in_group_other)
    # Same OGP id first; then the most similar titles (a number that agrees is a tie-break, so
    # a reused number never takes a row away from its identically titled partner).
    pairs.sort(
        key=lambda p: (
            p.kind != "id",
            -round(p.score, 9),
            rank[p.kind],
            new[p.new].order,
            other[p.other].order,
        )
    )
    used_new, used_other = set(), set()
    for p in pairs:
        if p.new in used_new or p.other in used_other:
            continue
        used_new.add(p.new)
        used_other.add(p.other)
        kind[p.new] = p.kind
        key[p.new] = other[p.other].key
    return key, kind, links


def apply(rows: list[dict], base: Path, as_of: str | None) -> tuple[dict[str, int], list[str]]:
    """Match the rows of an import against the other snapshots in `base` and set each row's
    `key`, `match` and `links`. Returns the counts per kind and the snapshots matched against
    (unreadable ones are skipped and named in the second list with a '!' prefix)."""
    others, unreadable = load_others(base, as_of)
    outcome = match(rows, others)
    for r, k, m, ls in zip(rows, outcome.keys, outcome.match, outcome.links, strict=True):
        r["key"], r["match"], r["links"] = k, m, ls
    used = sorted({o["snapshot"] for o in others})
    return outcome.counts, used + [f"!{u}" for u in unreadable]
