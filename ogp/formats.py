"""Reading an OGP export whatever its shape: CSV (any of `,` `;` tab, UTF-8 with or
without BOM, cp1252/latin-1) or XLSX (first sheet), recognised by its header row, not by its
file name. `read_export(path)` returns a `Table` (kind, header, data rows, warnings) or raises
`FormatError` with a one-line message. Mapping to the canonical schema lives in `ogp.ingest`.

Kinds:
  current  the OGP commitments sheet (2024 schema), header row has `Commitment Unique Identifier`
  legacy   the IRM explorer table (2017), header row has `Country`, `Comm No`
  process  the IRM process database (2016), header row has `Country name`, `IAP2 level ...`
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

csv.field_size_limit(10_000_000)


class FormatError(Exception):
    """Input that cannot be imported; the message is one line, without the file name."""


def _cols(text: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in " ".join(text.split("\n")).split("|") if c.strip())


# Every column of the real exports, in file order (see data/raw/SOURCES.md).
CURRENT_COLUMNS = _cols("""
Commitment Unique Identifier | Country/Locality | Action Plan Number | Commitment Number | Code
| Region | National Or Local | Commitment Dummy | Year Of Submission | Action Plan End Year |
Action Plan Duration (Years) | Theme | Commitment Title | Short Title | Full Text | Start Date |
End Date | Lead Institution | Supporting Institution(s) | Anti-Corruption and Integrity |
Anti-corruption Institutions | Anti-Corruption Strategies | Asset Disclosure | Audits |
Beneficial Ownership | Conflicts Of Interest | Elections | Political Finance | Lobbying | Open
Contracting | Public Procurement | Right To Information | Whistleblower Protections | Civic
Space and Enabling Environment | Freedom of Assembly | Freedom of Association | Freedom of
Expression | Democratizing Decision-Making | Digital Participation | Mainstreaming Participation
| Regulatory Governance | Social Accountability | Digital Governance | Automated Decision-making
| Data Stewardship and Privacy | Digital Inclusion | Disinformation/Misinformation | Online
Civic Space | Environment & Climate | Climate Finance | Climate Mitigation and Adaptation |
Environmental Regulation | International Environmental Agreements | Fiscal Openness |
Publication Of Budget/Fiscal Information | Public Participation In Budget/Fiscal Policy |
Oversight Of Budget/Fiscal Policies | Stimulus and Economic Recovery | Tax | Debt | Inclusion |
Gender | Gender-Based Violence | Economic Inclusion | LGBTQIA+ | People with Disabilities |
Youth | Justice | Access to Justice | Open Justice | Policing & Corrections | Judiciary | Open
Parliaments | Public Service Delivery | Citizenship & Immigration | Education | Health &
Nutrition | Infrastructure & Transport | Water & Sanitation | Capacity Building | Digital
Transformation | Legislation | Regulation | Legislative Oversight | Open Data | Public
Participation | Aid | Energy | Extractive Industries | Land and Spatial Planning | Media &
Telecommunications | Science & Technology | Security & Public Safety | Labor | Private Sector |
Subnational | Human Rights | Open Parliament Plan | Sustainable Development Goals | Open Data
(Water/Sanitation) | Open Data (Health) | Open Data (Education) | Participation in Lawmaking |
Access to information | Money in Politics | Report Publication Year (Progress Report) | Compound
| Cluster | Specificity | _Specificity | Verifiable | OGP Value Access To Information | OGP
Value Civic Participation | OGP Value Public Accountability | OGP Value Technology | _Relevant |
Potential Impact | _Potential Impact | Completion (Progress Report) | _CompletionProgress |
Starred (2015 Only) | Starred (Current Formula) Progress Report | Potential for Results |
_Potential for Results | Cluster (AP Review) | Cluster Commitment ID(s) | Report Publication
Year (End Of Term) | Completion (End Of Term) | _CompletionEndTerm | Change In Completion |
_ChangeCompletion | Early Results | _Early Results | Did It Open Government (Overall) |
_OpenGovernment | Did It Open Government (Access To Information) | _DIOGATI | Did It Open
Government (Civic Participation) | _DIOGCP | Did It Open Government: Public Accountability |
_DIOGPA | Starred (Current Formula) End of Term | Carried Forward | Most Recently Assessed |
Star - Most Recently Assessed | IRM Assessed | Updated? (Website) | Active Commitment | Max star
| Ambition Assessed | Comp Assessed | DIOG Assessed | Midterm Only | Max Completion | Raw
Completion | High Completion | High Ambition | High DIOG | Ambitious and complete, or DIOG |
Ambitious but not complete | Complete but not ambitious | Not complete or ambitious | Not
reviewed | CHECKSUM | IRM-Based Score | Binding constraint | URL | Latest IRM Report |
Subnational in NAPs | Action Plan ID | id
""")
LEGACY_COLUMNS = _cols("""
Country | Action Plan Number | Theme | Comm No | Comm Dummy | Commitment Title | Short Title |
Full Text | Start Date | End Date | Lead Institution | Supporting Institution(s) | Contact Name
| Contact Position | Contact Email | Contact Telephone | Anti-corruption | Conflicts of Interest
| Asset disclosure | Audits & Controls | Whistleblower Protections | Fiscal Openness | Citizen
Budgets | Participatory Budgeting | E-petitions | Social Audits | Public Participation | Public
Procurement | Access to Information | Records Management | Open Data | Elections & Political
Finance | Law Enforcement & Justice | Public Service Delivery | E-government | Capacity Building
| Legislation & Regulation | Private sector | Legislature | Sub-national | Judiciary | Media &
Telecommunications | Education | Health & Nutrition | Citizenship & Immigration | Welfare &
Social Security | Water & Sanitation | Infrastructure | Public Safety | Defense | Natural
Resources | Aid | Nonprofits | Labor | Science & Technology | Gender & Sexuality | Human Rights
| Marginalized Communities | OGP | Checksum | ODWG | FOWG | LOWG | ATWG | ONRWG | Compound |
Cluster | PoC Specified? (Delete?) | Specificity | _Specificity | GC-PubInt | GC-PubRes |
GC-PubSvc | GC-CorpAcc | GC-SafComm | Value -Info | Value -Part | Value -Acc | Value -Tech |
_Relevant | Potential impact | _Pot Impact Coded | Completion (progress report) |
_CompletionProgress | Starred (pre-June 2014 assessments) | Starred (2015 only) | Starred
(current formula) progress report | IRM Assessed (Y/N)? | Year of submission | Report
publication year (progress report) | Report publication year (end of term) | Completion (end of
term) | _CompletionEndTerm | Change in completion | _ChangeCompletion | Did it open government
(end of term only) | _OpenGovt | Starred (current formula) end of term
""")
PROCESS_COLUMNS = _cols("""
Country name | Action Plan Number | Year AP Submitted | Step 1: Timeline and process: Prior
availability | _Timelineavailability | Timeline: Online | Timeline: other channels | Timeline:
links | Step 2: Advance notice | _Advance notice | Days in advance | Advance notice: Adequacy |
Step 3: Awareness-raising activities | _Awareness-Raising | Awareness-raising activities: Links
| Step 4: Online consultations | _Online consultation | Online consultations: Link | Step 5:
In-person consultations | _In-person consultations | Step 6: Summary of comments | _Summary of
comments | Summary of comments: Link | _Number of steps followed (out of 6) | Invitation-only or
open participation during dev. consultation | IAP2 level during development | Consultation
during action plan implementation (regular forum) | _Regular forum | Invitation-only or open
participation during imp. consultation | IAP2 level during imp. | Was annual progress report
published? | _Self assessment published | Was it done according to schedule? | Is the report
available in the local language? | Is the report available in English? | Did the government
provide a two-week public comment period on draft self-assessment reports? | Did the report
include a review of its public comment period? | Were any public comments received? | Is the
report deposited in the OGP portal? | Did the self-assessment report include review of the
consultation efforts? | Did the report cover all of the commitments? | Did it assess completion
according to schedule? | Did the self-assessment report include review of the consultation
efforts on draft self-assessments? | Only one branch | Executive | Multi-agency (1) vs. Single
(0) | Single Lead | Pres Office/PM | Executive Lead Agency | Ministry of Foreign Affairs | MOFA
Lead Agency | Officially Mandated | Legally mandated | Multiple Arrangements | Implementing
agency same as developing agency? 1=Y, 0=N | Change of executive
""")

# 0/1 columns that become `policy_areas` (current) / tags (legacy), as spelled in the header.
CURRENT_POLICY_AREAS = CURRENT_COLUMNS[
    CURRENT_COLUMNS.index("Anti-Corruption and Integrity") : CURRENT_COLUMNS.index("Money in Politics") + 1
]
LEGACY_TAGS = LEGACY_COLUMNS[LEGACY_COLUMNS.index("Anti-corruption") : LEGACY_COLUMNS.index("OGP") + 1]

KINDS: dict[str, dict] = {
    "current": {
        "label": "current OGP commitments export",
        "columns": CURRENT_COLUMNS,
        "signature": (
            "Commitment Unique Identifier",
            "Country/Locality",
            "Action Plan Number",
            "Commitment Number",
            "Code",
            "Commitment Title",
        ),
        "required": (
            "Commitment Unique Identifier",
            "Country/Locality",
            "Code",
            "Action Plan Number",
            "Commitment Number",
            "Commitment Title",
            "Year Of Submission",
        ),
    },
    "legacy": {
        "label": "legacy IRM explorer table",
        "columns": LEGACY_COLUMNS,
        "signature": (
            "Country",
            "Action Plan Number",
            "Comm No",
            "Commitment Title",
            "Completion (progress report)",
            "Year of submission",
        ),
        "required": ("Country", "Action Plan Number", "Comm No", "Commitment Title", "Year of submission"),
    },
    "process": {
        "label": "IRM process database",
        "columns": PROCESS_COLUMNS,
        "signature": (
            "Country name",
            "Action Plan Number",
            "Year AP Submitted",
            "IAP2 level during development",
            "_Number of steps followed (out of 6)",
        ),
        "required": ("Country name", "Action Plan Number"),
    },
}
HEADER_SEARCH_ROWS = 12  # the header row must be among the first rows of the file


def norm(name: str) -> str:
    """Header matching: case, spacing and a BOM do not matter."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def has_cjk(text: str) -> bool:
    return any("CJK" in unicodedata.name(ch, "") for ch in text)


@dataclass
class Table:
    path: Path
    kind: str
    header: list[str]  # canonical column names, by position (None = ignored)
    rows: list[tuple[int, dict]]  # (1-based data row after the header, {column: raw string})
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","


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


def _find_header(records: list[list[str]]) -> tuple[int, str, int]:
    """(row index, kind, score) of the best header row among the first rows."""
    best = (-1, "", 0)
    for i, rec in enumerate(records[:HEADER_SEARCH_ROWS]):
        names = {norm(c) for c in rec if c.strip()}
        for kind, spec in KINDS.items():
            score = sum(norm(c) in names for c in spec["signature"])
            # `Country` alone is ambiguous; the legacy table needs `Comm No` to be itself.
            if score > best[2]:
                best = (i, kind, score)
    return best


def build_table(path: Path, records: list[list[str]]) -> Table:
    if not records or all(_is_blank(r) for r in records):
        raise FormatError("is empty")
    idx, kind, score = _find_header(records)
    if score < 3:
        wanted = "; ".join(f"{s['label']}: {', '.join(s['signature'][:4])}" for s in KINDS.values())
        raise FormatError(
            f"is not a recognised OGP export: no header row in the first {HEADER_SEARCH_ROWS} "
            f"rows has the expected columns ({wanted})"
        )
    spec = KINDS[kind]
    raw_header = records[idx]
    known = {norm(c): c for c in spec["columns"]}
    header: list[str | None] = []
    seen: set[str] = set()
    unknown, translations, duplicates = [], [], []
    for name in raw_header:
        key = norm(name)
        if not key:
            header.append(None)
        elif key in known and known[key] not in seen:
            header.append(known[key])
            seen.add(known[key])
        elif key in known:
            duplicates.append(name.strip())
            header.append(None)
        elif has_cjk(name):
            translations.append(name.strip())
            header.append(None)
        else:
            unknown.append(name.strip())
            header.append(None)
    missing = [c for c in spec["required"] if c not in seen]
    if missing:
        raise FormatError(
            f"looks like the {spec['label']} but misses required column(s): {', '.join(missing)}"
        )
    warnings = []
    if translations:
        warnings.append(f"ignored {len(translations)} translation column(s): {_some(translations)}")
    if unknown:
        warnings.append(f"ignored {len(unknown)} unknown column(s): {_some(unknown)}")
    if duplicates:
        warnings.append(f"ignored {len(duplicates)} repeated column(s): {_some(duplicates)}")
    absent = [c for c in OPTIONAL_USED.get(kind, ()) if c not in seen]
    if absent:
        warnings.append(f"{len(absent)} expected column(s) absent, their values are null: {_some(absent)}")

    header_like = [records[j] for j in range(idx + 1) if not _is_blank(records[j])]
    header_keys = [_row_signature(r) for r in header_like]
    rows: list[tuple[int, dict]] = []
    unnamed = [j for j, name in enumerate(raw_header) if not norm(name)]
    unnamed_with_data: set[int] = set()
    blank = repeated = 0
    totals: list[int] = []
    width = len(header)
    for n, rec in enumerate(records[idx + 1 :], start=1):
        if _is_blank(rec):
            blank += 1
            continue
        if _is_index_row(rec) or _matches_header(rec, header_keys):
            repeated += 1
            continue
        if _is_totals(rec):
            totals.append(n)
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
    if blank:
        warnings.append(f"dropped {blank} blank row(s)")
    if repeated:
        warnings.append(f"dropped {repeated} repeated header row(s)")
    if totals:
        warnings.append(f"dropped {len(totals)} totals row(s) (data row {', '.join(map(str, totals))})")
    if not rows:
        raise FormatError(f"has a {spec['label']} header but no data rows")
    return Table(path=path, kind=kind, header=[h for h in header], rows=rows, warnings=warnings)


# Columns the mapping reads but can live without (a warning says so when they are absent).
OPTIONAL_USED = {
    "current": (
        "Region",
        "National Or Local",
        "Action Plan End Year",
        "Full Text",
        "Specificity",
        "Potential Impact",
        "Completion (Progress Report)",
        "Completion (End Of Term)",
        "Did It Open Government (Overall)",
        "IRM Assessed",
        "Star - Most Recently Assessed",
        "Action Plan ID",
        "URL",
    ),
    "legacy": (
        "Full Text",
        "Specificity",
        "Potential impact",
        "Completion (progress report)",
        "Completion (end of term)",
        "Did it open government (end of term only)",
        "IRM Assessed (Y/N)?",
    ),
    "process": ("IAP2 level during development", "_Number of steps followed (out of 6)"),
}


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


_TOTALS = re.compile(r"^(grand\s+)?(total|totals|sum|subtotal)\b", re.I)


def _is_totals(rec: list[str]) -> bool:
    vals = [c.strip() for c in rec if c.strip()]
    return (
        bool(vals)
        and bool(_TOTALS.match(vals[0]))
        and bool(_TOTALS.match(rec[0].strip()) or not rec[0].strip())
    )


def read_export(path: str | Path) -> Table:
    path = Path(path)
    records, encoding, delimiter, notes = read_records(path)
    table = build_table(path, records)
    table.encoding, table.delimiter = encoding, delimiter
    table.warnings.extend(notes)
    if encoding in ("cp1252", "latin-1"):
        table.warnings.append(f"not UTF-8: read as {encoding}")
    if delimiter and delimiter != ",":
        table.warnings.append(f"delimiter {'tab' if delimiter == chr(9) else repr(delimiter)} detected")
    return table
