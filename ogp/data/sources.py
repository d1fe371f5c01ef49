"""Where OGP publishes its data, and what the last refreshes found (no importer, no Streamlit).

- `data/sources.toml` (or DIR/sources.toml, or `--sources FILE`): one `[[source]]` table per
  published export: `name`, `url` (http, https or file), `scope` ("all members" for a complete
  export, else what the extract covers: the snapshot's manifest `scope`),
  `licence`, and optionally `layout` (a name of data/layouts.toml; detected when absent),
  `sheet` (a workbook's sheet) and `max_bytes` (the size limit of a download).
- `DIR/refresh.json`: the state `python -m ogp refresh` keeps per source (ogp/ops/refresh.py writes
  it): the validators of the last good answer (ETag, Last-Modified), the sha256, rows and
  columns of the last import and the snapshot it made, the last attempt (time, result, HTTP
  status, bytes, sha256, reason), the last change, and the timer's next run when known.

The /data page reads both through `status_table` (pure: a DataFrame, no file written)."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ogp.model import paths
from ogp.model.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

SOURCES_FILE = "sources.toml"
STATE_FILE = "refresh.json"
MAX_BYTES = 200 * 1024 * 1024  # a download larger than this is refused (OGP's full sheet: ~10-20 MB)
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
FIELDS = {"name", "url", "scope", "licence", "layout", "sheet", "max_bytes"}

# Results of an attempt, as stored in refresh.json -> as shown on /data.
RESULTS = {
    "new snapshot": N_("new snapshot"),
    "unchanged": N_("unchanged"),
    "failed": N_("failed"),
    "held back": N_("held back"),
}


COMPLETE = "all members"  # a source's `scope` for a complete export; any other text names an extract


def importer_scope(scope: str) -> str | None:
    """A source's `scope` as the importer takes it (`ogp.data.ingest.snapshot_scope`): None for a
    complete export ("all members"), else what the extract covers."""
    return None if " ".join(scope.split()).casefold() == COMPLETE else scope


class SourcesError(ValueError):
    """A sources file that cannot be used: one line naming the file and what is wrong."""


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    scope: str
    licence: str
    layout: str | None = None
    sheet: str | None = None
    max_bytes: int = MAX_BYTES


def default_sources_file(base: Path | None = None) -> Path:
    """DIR/sources.toml when the data folder has one, else the bundled data/sources.toml."""
    own = paths.data_dir(base) / SOURCES_FILE
    return own if own.is_file() else paths.BUNDLED_DATA_DIR / SOURCES_FILE


def load_sources(path: Path) -> list[Source]:
    """The sources of a TOML file, checked (SourcesError, one line, otherwise)."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML ({exc})") from None
    tables = raw.get("source")
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{path}: no [[source]] table")
    out: list[Source] = []
    for i, t in enumerate(tables, start=1):
        where = f"{path}: source {i}"
        if not isinstance(t, dict):
            raise SourcesError(f"{where}: not a table")
        unknown = sorted(set(t) - FIELDS)
        if unknown:
            raise SourcesError(
                f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(FIELDS))})"
            )
        for key in ("name", "url", "scope", "licence"):
            if not isinstance(t.get(key), str) or not t[key].strip():
                raise SourcesError(f"{where}: `{key}` is missing or not a text")
        name = t["name"].strip()
        if not NAME.match(name):
            raise SourcesError(
                f"{where}: name {name!r} must be letters, digits, '.', '_' or '-' (at most 64)"
            )
        if any(s.name == name for s in out):
            raise SourcesError(f"{where}: a source named {name!r} is already listed")
        scheme = urlsplit(t["url"].strip()).scheme.lower()
        if scheme not in ("http", "https", "file"):
            raise SourcesError(
                f"{where} ({name}): url must start with http://, https:// or file: (got {t['url']!r})"
            )
        for key in ("layout", "sheet"):
            if key in t and (not isinstance(t[key], str) or not t[key].strip()):
                raise SourcesError(f"{where} ({name}): `{key}` must be a non-empty text")
        max_bytes = t.get("max_bytes", MAX_BYTES)
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes <= 0:
            raise SourcesError(f"{where} ({name}): `max_bytes` must be a positive whole number")
        out.append(
            Source(
                name=name,
                url=t["url"].strip(),
                scope=t["scope"].strip(),
                licence=t["licence"].strip(),
                layout=(t.get("layout") or "").strip() or None,
                sheet=(t.get("sheet") or "").strip() or None,
                max_bytes=max_bytes,
            )
        )
    return out


# -- the state file ------------------------------------------------------------------------------
def state_path(base: Path) -> Path:
    return Path(base) / STATE_FILE


def read_state(base: Path) -> dict:
    """refresh.json as a dict ({"sources": {}} when absent or unreadable: a damaged state only
    costs the next refresh its conditional request)."""
    try:
        state = json.loads(state_path(base).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"sources": {}}
    if not isinstance(state, dict) or not isinstance(state.get("sources"), dict):
        return {"sources": {}}
    return state


def write_state(base: Path, state: dict) -> None:
    """Replace refresh.json in one rename (a reader never sees half of it)."""
    path = state_path(base)
    tmp = path.with_name(f".{STATE_FILE}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


# -- what /data shows ----------------------------------------------------------------------------
COLUMNS = [  # what a reader looks for first comes first (the table scrolls sideways on a phone)
    "source",
    "result",
    "attempted",
    "reason",
    "status",
    "bytes",
    "sha256",
    "changed",
    "snapshot",
    "next_run",
    "scope",
    "url",
]
FAILED = ("failed", "held back")


def _when(iso: str | None) -> str | None:
    """`2026-12-07T05:30:12+00:00` -> `2026-12-07 05:30` (UTC, as every time on /data)."""
    return iso[:16].replace("T", " ") if isinstance(iso, str) and iso else None


def status_table(base: Path | None = None, sources_file: Path | None = None) -> pd.DataFrame:
    """One row per source (those of the sources file, then any other the state remembers):
    its last attempt (time, result, HTTP status, bytes, sha256, reason), last change, the
    snapshot it made and the timer's next run; `failed` marks a failed or held-back last attempt.
    Empty when nothing is configured."""
    import pandas as pd  # here: `ogp refresh` reads sources without paying for pandas

    base = paths.data_dir(base)
    state = read_state(base)
    try:
        listed = load_sources(sources_file or default_sources_file(base))
    except SourcesError:
        listed = []
    known = state.get("sources", {})
    rows = []
    names = [s.name for s in listed] + sorted(set(known) - {s.name for s in listed})
    by_name = {s.name: s for s in listed}
    for name in names:
        s = known.get(name) or {}
        attempt = s.get("last_attempt") or {}
        result = attempt.get("result")
        sha = attempt.get("sha256")
        rows.append(
            {
                "source": name,
                "scope": by_name[name].scope if name in by_name else s.get("scope"),
                "url": by_name[name].url if name in by_name else s.get("url"),
                "attempted": _when(attempt.get("at")),
                "result": _(RESULTS[result]) if result in RESULTS else (result or _("never tried")),
                "failed": result in FAILED,
                "status": attempt.get("status"),
                "bytes": attempt.get("bytes"),
                "sha256": sha[:12] if isinstance(sha, str) else None,
                "reason": attempt.get("message") or "",
                "changed": _when(s.get("last_change")),
                "snapshot": (s.get("imported") or {}).get("snapshot"),
                "next_run": _when(state.get("next_run")),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS + ["failed"])
    return frame.astype({"status": "Int64", "bytes": "Int64"})
