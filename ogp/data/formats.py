"""Reading an OGP export whatever its shape: CSV (any of `,` `;` tab, UTF-8 with or
without BOM, cp1252/latin-1) or XLSX (first sheet), recognised by its header row, not by its
file name. `read_export(path)` returns a `Table` (kind, header, data rows, warnings) or raises
`FormatError` with a one-line message. Mapping to the canonical schema lives in `ogp.data.ingest`.

Kinds:
  current  the OGP commitments sheet (2024 schema), header row has `Commitment Unique Identifier`
  legacy   the IRM explorer table (2017), header row has `Country`, `Comm No`
  process  the IRM process database (2016), header row has `Country name`, `IAP2 level ...`
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ogp.model.paths import BUNDLED_DATA_DIR

csv.field_size_limit(10_000_000)


class FormatError(Exception):
    """Input that cannot be imported; the message is one line, without the file name."""


LAYOUTS_FILE = BUNDLED_DATA_DIR / "layouts.toml"


def norm(name: str) -> str:
    """Strict header key: case, spacing and a BOM do not matter."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


_AND = re.compile(r"(^| )and( |$)")


def loose(name: str) -> str:
    """Tolerant header key: case, spacing, accents, punctuation, underscores and `and`/`&` do not
    matter; a leading underscore (the IRM's coded columns: `_Specificity`) does."""
    s = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip())
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    coded = "_" if s.startswith("_") else ""
    s = re.sub(r"[\W_]+", " ", s).strip()
    return coded + _AND.sub(" ", s).replace("  ", " ").strip()


@dataclass(frozen=True)
class Layout:
    """One known export layout of data/layouts.toml (see the comments there)."""

    name: str
    label: str
    mapping: str
    columns: tuple[str, ...]
    aliases: dict[str, tuple[str, ...]]
    signature: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]
    number: dict
    ratings: dict[str, tuple[str, str]]  # snapshot field -> (column, scale)
    tags: tuple[str, ...]
    search_rows: int
    above: tuple[str, ...]

    def __getitem__(self, key):  # KINDS[kind]["required"]: the older dict interface
        return getattr(self, key)

    @cached_property
    def _index(self) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
        """(strict name, strict alias, loose name, loose alias) -> canonical column; a tolerant key
        that two columns share matches neither."""
        names = {norm(c): c for c in self.columns}
        aliases = {norm(a): c for c, al in self.aliases.items() for a in al}
        tol: dict[str, set] = defaultdict(set)
        for c in self.columns:
            tol[loose(c)].add(c)
        tol_alias: dict[str, set] = defaultdict(set)
        for c, al in self.aliases.items():
            for a in al:
                tol_alias[loose(a)].add(c)
        return (
            names,
            aliases,
            {k: next(iter(v)) for k, v in tol.items() if len(v) == 1 and k},
            {k: next(iter(v)) for k, v in tol_alias.items() if len(v) == 1 and k},
        )

    def match(self, header: str) -> tuple[str | None, str]:
        """(canonical column or None, how): exact, spacing/case, alias, tolerant, tolerant alias."""
        names, aliases, tol, tol_alias = self._index
        if len(header) > 300:  # no column name is that long (a cell of text, not a header)
            return None, ""
        key = norm(header)
        if not key:
            return None, ""
        if key in names:
            return names[key], "exact" if header.strip() == names[key] else "case/spacing"
        if key in aliases:
            return aliases[key], "alias"
        lk = loose(header)
        if lk in tol:
            return tol[lk], "tolerant"
        if lk in tol_alias:
            return tol_alias[lk], "tolerant alias"
        return None, ""

    def assign(self, raw_header: list[str]) -> list[tuple[str | None, str]]:
        """Canonical column and how it matched, per header cell. A column goes to its exact name
        before any alias or tolerant spelling; a second cell for a column is `repeated`."""
        matches = [self.match(h) for h in raw_header]
        taken: set[str] = set()
        out: list[tuple[str | None, str]] = [(None, "")] * len(raw_header)
        for rank in (("exact", "case/spacing"), ("alias",), ("tolerant",), ("tolerant alias",)):
            for j, (col, how) in enumerate(matches):
                if how in rank and col is not None:  # a cell that matched has its column
                    if col in taken:
                        out[j] = (None, "repeated")
                    else:
                        out[j] = (col, how)
                        taken.add(col)
        return out


def _str_tuple(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LayoutFileError(f"{where}: expected a list of strings")
    return tuple(value)


class LayoutFileError(ValueError):
    pass


@lru_cache(maxsize=4)
def load_layouts(path: Path = LAYOUTS_FILE) -> tuple[tuple[Layout, ...], tuple[str, ...]]:
    """(layouts in file order, totals labels) of data/layouts.toml, checked."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LayoutFileError(f"{path}: cannot read layouts: {exc}") from exc
    specs: dict[str, dict] = {}
    for spec in raw.get("layout", []):
        name = spec.get("name")
        base = specs.get(spec.get("extends", ""), {}) if "extends" in spec else {}
        if "extends" in spec and not base:
            raise LayoutFileError(f"{path}: layout {name} extends unknown layout {spec['extends']}")
        specs[name] = {**base, **spec}
    layouts = []
    for name, spec in specs.items():
        where = f"{path}: layout {name}"
        try:
            columns = _str_tuple(spec["columns"], f"{where}: columns")
            tags = spec.get("tags")
            tag_cols = columns[columns.index(tags["first"]) : columns.index(tags["last"]) + 1] if tags else ()
            layout = Layout(
                name=name,
                label=spec["label"],
                mapping=spec["mapping"],
                columns=columns,
                aliases={c: _str_tuple(a, f"{where}: aliases") for c, a in spec.get("aliases", {}).items()},
                signature=_str_tuple(spec["signature"], f"{where}: signature"),
                required=_str_tuple(spec["required"], f"{where}: required"),
                optional=_str_tuple(spec.get("optional", []), f"{where}: optional"),
                number=dict(spec.get("number", {})),
                ratings={f: (r["column"], r["scale"]) for f, r in spec.get("ratings", {}).items()},
                tags=tag_cols,
                search_rows=int(spec.get("header", {}).get("search_rows", 12)),
                above=_str_tuple(spec.get("header", {}).get("above", []), f"{where}: header.above"),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise LayoutFileError(f"{where}: {type(exc).__name__} {exc}") from exc
        named = set(columns)
        used = (
            set(layout.signature)
            | set(layout.required)
            | set(layout.optional)
            | set(layout.aliases)
            | {c for c, _ in layout.ratings.values()}
        )
        if layout.number.get("column"):
            used.add(layout.number["column"])
        if used - named:
            raise LayoutFileError(f"{where}: names columns it does not list: {sorted(used - named)}")
        layouts.append(layout)
    totals = _str_tuple(raw.get("totals", []), f"{path}: totals")
    return tuple(layouts), totals


LAYOUTS, TOTALS = load_layouts()
KINDS: dict[str, Layout] = {lay.name: lay for lay in LAYOUTS}
CURRENT_COLUMNS = KINDS["current"].columns
LEGACY_COLUMNS = KINDS["legacy"].columns
PROCESS_COLUMNS = KINDS["process"].columns
HEADER_SEARCH_ROWS = max(lay.search_rows for lay in LAYOUTS)


def has_cjk(text: str) -> bool:
    return any("CJK" in unicodedata.name(ch, "") for ch in text)


@dataclass
class Table:
    path: Path
    kind: str  # the mapping: current, legacy, process
    header: list[str | None]  # canonical column names, by position (None = ignored)
    rows: list[tuple[int, dict]]  # (1-based data row after the header, {column: raw string})
    layout: Layout  # the layout whose header row was found (build_table refuses a file without one)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    # for the import report
    header_row: int = 0  # 1-based line of the header row among the file's records
    above: list[tuple[int, str]] = field(default_factory=list)  # (line, what) above the header
    matched: list[dict] = field(default_factory=list)  # {header, column, how} per named header cell
    missing_optional: list[str] = field(default_factory=list)
    records_read: int = 0  # records after the header
    dropped: dict[str, list[int]] = field(default_factory=dict)  # reason -> data row numbers


# ---------------------------------------------------------------- bytes -> list of records


def _sniff_binary(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        return "a PNG image"
    if data[:3] == b"GIF" or data[:2] == b"\xff\xd8":
        return "an image"
    if data.startswith(b"%PDF"):
        return "a PDF document"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old binary Excel/Office file (.xls); save it as .xlsx or .csv"
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text
    if b"\x00" in head:
        return "binary data"
    return None


def _strict(data: bytes, encoding: str, what: str) -> str:
    """Text of a file whose byte order mark says `what`; a file cut inside a character, or with
    bytes that are not `what`, is refused (not a UnicodeDecodeError)."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.reason in ("unexpected end of data", "truncated data") and exc.end >= len(data) - 1:
            raise FormatError(f"looks truncated: it ends inside a {what} character") from None
        raise FormatError(
            f"starts with a {what} byte order mark but is not valid {what} (byte {exc.start})"
        ) from None


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", "UTF-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", "UTF-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # UTF-8 up to a character cut by the end of the file (not cp1252 text that happens to end
        # in a lead byte: what comes before must hold UTF-8 characters)
        if exc.reason == "unexpected end of data" and not data[: exc.start].isascii():
            raise FormatError("looks truncated: it ends inside a UTF-8 character") from None
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _looks_like(text: str) -> str | None:
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in head[:512]:
        return "an HTML page, not a CSV export (saved from a browser?)"
    if head.startswith(("<?xml", "<")):
        return "XML/markup, not a CSV export"
    if head.startswith(("{", "[")):
        return "JSON, not a CSV or XLSX export"
    return None


def _parse_csv(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out = []
    for rec in reader:
        out.append(rec)
        if limit is not None and len(out) >= limit:
            break
    return out


def _sniff_delimiter(text: str) -> str:
    """The delimiter giving the widest first rows (header rows have dozens of columns)."""
    best, best_width = ",", -1
    sample = text[:200_000]
    for delim in (",", ";", "\t"):
        recs: list[list[str]] = []
        try:
            reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delim, strict=True)
            for rec in reader:
                recs.append(rec)
                if len(recs) >= 6:
                    break
        except csv.Error:
            pass  # keep the records read before the problem
        width = max((len(r) for r in recs), default=0)
        if width > best_width:
            best, best_width = delim, width
    return best


def _read_csv(data: bytes) -> tuple[list[list[str]], str, str, list[str]]:
    text, encoding = _decode(data)
    what = _looks_like(text)
    if what:
        raise FormatError(f"is {what}")
    delimiter = _sniff_delimiter(text)
    try:
        records = _parse_csv(text, delimiter)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise FormatError(
                "looks truncated: a quoted field is not closed at the end of the file"
            ) from None
        raise FormatError(f"is not valid CSV: {exc}") from None
    notes: list[str] = []
    if len(records) >= 3 and not text.endswith(("\n", "\r")):
        short = _short_last_row(records)
        if short:
            notes.append(short)
    return records, encoding, delimiter, notes


def _short_last_row(records: list[list[str]]) -> str | None:
    """The last row of a file without a final line break, when it has fewer fields than the
    rows above it: complete (a warning) when only fields that are empty in most rows are missing,
    as spreadsheet programs write them; a cut file (FormatError) when a missing field usually
    holds data."""
    widths = sorted(len(r) for r in records[:-1])
    typical = widths[len(widths) // 2]
    last = records[-1]
    if len(last) >= typical:
        return None
    above = [r for r in records[:-1] if len(r) >= typical]
    holding = [
        j for j in range(len(last), typical) if 2 * sum(bool(r[j].strip()) for r in above) > len(above)
    ]
    if holding:
        raise FormatError(
            f"looks truncated: the last row (line {len(records)}) has {len(last)} "
            f"of {typical} fields and no line end"
        )
    return (
        f"the last row (line {len(records)}) lacks {typical - len(last)} trailing field(s) that are "
        f"empty in most rows, and the file has no final line break: read as empty"
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if getattr(value, "hour", 0) == 0 else value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover
        raise FormatError("is an XLSX workbook but openpyxl is not installed") from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file
        raise FormatError(f"is a ZIP file but not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        if not wb.sheetnames:
            raise FormatError("is an XLSX workbook without sheets")
        ws = wb[wb.sheetnames[0]]
        return [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def read_records(path: Path) -> tuple[list[list[str]], str, str, list[str]]:
    """(records, encoding, delimiter, warnings) of a CSV or the first sheet of an XLSX file."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise FormatError("is a folder, not a file") from None
    except FileNotFoundError:
        raise FormatError("no such file") from None
    except OSError as exc:
        raise FormatError(f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise FormatError("is empty")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise FormatError("is a damaged or truncated ZIP/XLSX file") from None
        if "xl/workbook.xml" not in names:
            raise FormatError("is a ZIP archive, not an XLSX workbook or a CSV file")
        return _read_xlsx(path), "xlsx", "", []
    what = _sniff_binary(data)
    if what:
        raise FormatError(f"is not a CSV or XLSX file ({what})")
    return _read_csv(data)


# ---------------------------------------------------------------- records -> Table


def _is_blank(rec: list[str]) -> bool:
    return all(not c.strip() for c in rec)


def _is_index_row(rec: list[str]) -> bool:
    vals = [c.strip() for c in rec if c.strip()]
    return len(vals) >= 5 and all(v == str(i) for i, v in enumerate(vals))


def _find_header(
    records: list[list[str]], layouts: tuple[Layout, ...] | None = None
) -> tuple[int, Layout | None, int]:
    """(row index, layout, columns matched) of the best header row among the first rows: every
    row is scored against every layout; a layout needs 3 of its signature columns. Ties go to the
    layout whose required columns are all there, then to the first listed."""
    layouts = layouts or LAYOUTS
    best: tuple = (-1, None, 0, False, 0)
    for i, rec in enumerate(records[: max(lay.search_rows for lay in layouts)]):
        cells = [c for c in rec if c.strip()]
        if not cells:
            continue
        for order, layout in enumerate(layouts):
            if i >= layout.search_rows:
                continue
            found = {col for col, _ in layout.assign(cells) if col}
            if sum(c in found for c in layout.signature) < 3:
                continue
            importable = all(c in found for c in layout.required)
            if (len(found), importable, -order) > (best[2], best[3], best[4]) or best[1] is None:
                best = (i, layout, len(found), importable, -order)
    return best[0], best[1], best[2]


def _above(rec: list[str], width: int) -> str:
    if _is_index_row(rec):
        return "index row"
    vals = [c.strip() for c in rec if c.strip()]
    # a few labels, each over the first column of its group or over all of them (merged cells)
    if 2 * len(set(vals)) <= width and not any(_NUMBER.match(v) for v in vals):
        return "group labels"
    return "preamble"


def build_table(path: Path, records: list[list[str]], layouts: tuple[Layout, ...] | None = None) -> Table:
    """The records as a Table of the best-matching layout (data/layouts.toml, or `layouts`)."""
    if not records or all(_is_blank(r) for r in records):
        raise FormatError("is empty")
    idx, layout, _ = _find_header(records, layouts)
    if layout is None:
        wanted = "; ".join(f"{lay.label}: {', '.join(lay.signature[:4])}" for lay in layouts or LAYOUTS)
        raise FormatError(
            f"is not a recognised OGP export: no header row in the first {HEADER_SEARCH_ROWS} "
            f"rows has the expected columns ({wanted})"
        )
    raw_header = records[idx]
    header: list[str | None] = []
    seen: set[str] = set()
    unknown, translations, duplicates, matched = [], [], [], []
    for name, (col, how) in zip(raw_header, layout.assign(raw_header)):
        if col:
            header.append(col)
            seen.add(col)
            matched.append({"header": name.strip(), "column": col, "how": how})
            continue
        header.append(None)
        if not norm(name):
            continue
        if how == "repeated":
            duplicates.append(name.strip())
        elif has_cjk(name):
            translations.append(name.strip())
        else:
            unknown.append(name.strip())
    missing = [c for c in layout.required if c not in seen]
    if missing:
        raise FormatError(
            f"looks like the {layout.label} but misses required column(s): {', '.join(missing)}"
        )
    warnings = []
    if translations:
        warnings.append(f"ignored {len(translations)} translation column(s): {_some(translations)}")
    if unknown:
        warnings.append(f"ignored {len(unknown)} unknown column(s): {_some(unknown)}")
    if duplicates:
        warnings.append(f"ignored {len(duplicates)} repeated column(s): {_some(duplicates)}")
    absent = [c for c in layout.optional if c not in seen]
    if absent:
        warnings.append(f"{len(absent)} expected column(s) absent, their values are null: {_some(absent)}")

    width = len(header)
    above = [(j + 1, _above(records[j], width)) for j in range(idx) if not _is_blank(records[j])]
    header_like = [records[j] for j in range(idx + 1) if not _is_blank(records[j])]
    header_keys = [_row_signature(r) for r in header_like]
    rows: list[tuple[int, dict]] = []
    unnamed = [j for j, name in enumerate(raw_header) if not norm(name)]
    unnamed_with_data: set[int] = set()
    dropped: dict[str, list[int]] = {"blank": [], "repeated header": [], "totals": []}
    for n, rec in enumerate(records[idx + 1 :], start=1):
        if _is_blank(rec):
            dropped["blank"].append(n)
            continue
        if _is_index_row(rec) or _matches_header(rec, header_keys):
            dropped["repeated header"].append(n)
            continue
        if _is_totals(rec):
            dropped["totals"].append(n)
            continue
        if len(rec) > width and any(c.strip() for c in rec[width:]):
            raise FormatError(f"row {n} has {len(rec)} fields, more than the {width} header columns")
        values = {col: (rec[j] if j < len(rec) else "") for j, col in enumerate(header) if col}
        rows.append((n, values))
        unnamed_with_data.update(j for j in unnamed if j < len(rec) and rec[j].strip())
    if unnamed_with_data:
        where = ", ".join(str(j + 1) for j in sorted(unnamed_with_data)[:5])
        warnings.append(
            f"ignored {len(unnamed_with_data)} column(s) without a header that hold data (column {where})"
        )
    if dropped["blank"]:
        warnings.append(f"dropped {len(dropped['blank'])} blank row(s)")
    if dropped["repeated header"]:
        warnings.append(f"dropped {len(dropped['repeated header'])} repeated header row(s)")
    if dropped["totals"]:
        totals = dropped["totals"]
        warnings.append(f"dropped {len(totals)} totals row(s) (data row {', '.join(map(str, totals))})")
    if not rows:
        raise FormatError(f"has a {layout.label} header but no data rows")
    return Table(
        path=path,
        kind=layout.mapping,
        header=header,
        rows=rows,
        warnings=warnings,
        layout=layout,
        header_row=idx + 1,
        above=above,
        matched=matched,
        missing_optional=absent,
        records_read=len(records) - idx - 1,
        dropped={k: v for k, v in dropped.items() if v},
    )


def _some(names: list[str], n: int = 5) -> str:
    shown = ", ".join(f"'{x}'" for x in names[:n])
    return shown + (f" and {len(names) - n} more" if len(names) > n else "")


def _row_signature(rec: list[str]) -> tuple:
    return tuple((j, norm(c)) for j, c in enumerate(rec) if c.strip())


def _matches_header(rec: list[str], header_keys: list[tuple]) -> bool:
    sig = _row_signature(rec)
    if not sig:
        return False
    for hk in header_keys:
        hset = set(hk)
        if sum(s in hset for s in sig) >= max(2, int(0.8 * len(sig))):
            return True
    return False


_TOTALS = {norm(t) for t in TOTALS}
_NUMBER = re.compile(r"^[-+]?(\d[\d,]*)?(\.\d+)?%?$")
_EMPTYISH = {"", "nd", "nr", "na", "n/a", "#n/a", "-"}


_TOTALS_MAX = max((len(t) for t in TOTALS), default=0) + 2


def _is_totals(rec: list[str]) -> bool:
    """A totals row: one cell says Sum/Total (data/layouts.toml `totals`), in any column, and every
    other cell is a number or empty. Stops at the first cell of text (a commitment row's first)."""
    labels = 0
    for cell in rec:
        v = cell.strip()
        if not v:
            continue
        if len(v) <= _TOTALS_MAX and norm(v.rstrip(":")) in _TOTALS:
            labels += 1
        elif not (_NUMBER.match(v) or v.casefold() in _EMPTYISH):
            return False
    return labels == 1


def read_export(path: str | Path, layouts: tuple[Layout, ...] | None = None) -> Table:
    path = Path(path)
    records, encoding, delimiter, notes = read_records(path)
    table = build_table(path, records, layouts)
    table.encoding, table.delimiter = encoding, delimiter
    table.warnings.extend(notes)
    if encoding in ("cp1252", "latin-1"):
        table.warnings.append(f"not UTF-8: read as {encoding}")
    if delimiter and delimiter != ",":
        table.warnings.append(f"delimiter {'tab' if delimiter == chr(9) else repr(delimiter)} detected")
    return table
