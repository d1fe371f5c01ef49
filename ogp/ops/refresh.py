"""`python -m ogp refresh`: fetch OGP's published exports (data/sources.toml), import what changed.

    python -m ogp refresh [--source NAME ...] [--sources FILE] [--data-dir DIR] [--dry-run]
                          [--notify] [--allow-shrink] [--timeout S] [--tries N] [--backoff S]
                          [--bake DIR [--base-url URL] [--dashboard-url URL]]

For each source: one conditional request (If-None-Match / If-Modified-Since with the validators
of the last good answer, kept in DIR/refresh.json); a 304 or a body with the sha256 of the last
import is "unchanged" and nothing is written. A changed body is checked (not empty, not an HTML
page, the Content-Length it announced, under the size limit, the layout the source had, not less
than half the rows of its last import) and imported by the importer (`ogp.data.ingest.import_files`:
the same checks, the same all-or-nothing publish, the same import report in the manifest), as
the snapshot dated by the server's Last-Modified (a file's modification time), else today (UTC).

Two refreshes on one day: a source's new export replaces the snapshot that the same source made
on that date (the day keeps its newest data); a snapshot of that date made otherwise (a manual
import, another source) is never replaced: the source fails with an `error:` line.

Timeouts and 5xx answers are retried with a doubling backoff, never a 4xx. One line per source on
stdout (errors on stderr, `error: NAME: reason`). Exit 0: every source unchanged or imported;
1: a source failed or was held back, or the digest could not be mailed (the snapshot stays);
2: usage (unknown source, bad sources file, --notify without mail settings).
`--notify` mails the digest (ogp/render/digest.py) of the newest snapshot against the one before when a
snapshot was made, as HTML with a plain-text part; settings from the environment (OGP_SMTP_*)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import email.utils
import fcntl
import hashlib
import http.client
import json
import os
import re
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ogp.data.sources import (
    Source,
    SourcesError,
    default_sources_file,
    importer_scope,
    load_sources,
    read_state,
    write_state,
)
from ogp.model import paths

TIMEOUT = 60.0  # seconds a connection, a header or a read may wait; a whole download gets 10x
TRIES = 3  # attempts on a timeout or a 5xx answer
BACKOFF = 5.0  # seconds before the second attempt, doubled before each next one
MAX_REDIRECTS = 5
USER_AGENT = "ogp-progress-dashboard-refresh/1 (+https://www.opengovpartnership.org)"
LOCK_FILE = ".refresh.lock"
TIMER = "ogp-refresh.timer"  # deploy/ogp-refresh.timer: asked for its next run when systemd runs it
MAIL_ENV = ("OGP_SMTP_HOST", "OGP_DIGEST_TO", "OGP_DIGEST_FROM")


def one_line(value: object) -> str:
    """ogp.model.text.one_line, imported when a message is written: an unchanged source is answered
    without loading pandas (ogp.model.text's other helpers need it)."""
    from ogp.model.text import one_line as line

    return line(value)


class Failed(Exception):
    """A source refused: one line (the reason), the HTTP status and bytes seen, if any."""

    def __init__(self, reason: str, status: int | None = None, size: int | None = None):
        super().__init__(reason)
        self.status, self.size = status, size
        self.held_back = False


class Retry(Failed):
    """A timeout or a 5xx answer: worth another attempt."""


class UsageError(Exception):
    pass


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# -- download -------------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    body: bytes | None  # None: 304 Not Modified
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    tries: int = 1


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS
    max_repeats = 2


def _read_body(resp, limit: int, deadline: float, status: int) -> bytes:
    declared = resp.headers.get("Content-Length")
    try:
        declared = int(declared) if declared is not None else None
    except ValueError:
        declared = None
    if declared is not None and declared > limit:
        raise Failed(f"over the size limit: {declared:,} bytes announced, the limit is {limit:,}", status)
    buf = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise Retry(
                f"timed out: the download took too long ({len(buf):,} bytes received)", status, len(buf)
            )
        try:
            chunk = resp.read(1 << 16)
        except http.client.IncompleteRead as exc:
            buf += exc.partial
            raise Failed(f"cut short: the answer ended after {len(buf):,} bytes", status, len(buf)) from None
        except TimeoutError:
            raise Retry(f"timed out while reading ({len(buf):,} bytes received)", status, len(buf)) from None
        except OSError as exc:
            raise Failed(
                f"cut short: the connection broke after {len(buf):,} bytes ({exc})", status, len(buf)
            ) from None
        if not chunk:
            break
        buf += chunk
        if len(buf) > limit:
            raise Failed(f"over the size limit: more than {limit:,} bytes", status, len(buf))
    if declared is not None and len(buf) != declared:
        raise Failed(
            f"cut short: {len(buf):,} bytes received, Content-Length announced {declared:,}", status, len(buf)
        )
    return bytes(buf)


def _fetch_file(source: Source) -> Answer:
    parts = urlsplit(source.url)
    path = Path(urllib.request.url2pathname(unquote(parts.path)))
    try:
        size = path.stat().st_size
        if size > source.max_bytes:
            raise Failed(f"over the size limit: {size:,} bytes, the limit is {source.max_bytes:,}")
        body = path.read_bytes()
        mtime = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    except FileNotFoundError:
        raise Failed(f"no such file: {path}") from None
    except IsADirectoryError:
        raise Failed(f"a folder, not a file: {path}") from None
    except OSError as exc:
        raise Failed(f"cannot read {path} ({exc.strerror or exc})") from None
    return Answer(200, body, last_modified=email.utils.format_datetime(mtime, usegmt=True))


def _fetch_once(source: Source, known: dict, timeout: float) -> Answer:
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    opener = urllib.request.build_opener(_Redirects())
    request = urllib.request.Request(source.url, headers=headers)
    deadline = time.monotonic() + 10 * timeout
    try:
        resp = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304 and (known.get("etag") or known.get("last_modified")):
            return Answer(304, None, exc.headers.get("ETag") or known.get("etag"), known.get("last_modified"))
        if 300 <= exc.code < 400:
            if "infinite loop" in str(exc.reason) or "maximum redirection" in str(exc.reason):
                raise Failed(
                    f"redirect loop: more than {MAX_REDIRECTS} redirects or a repeated one", exc.code
                ) from None
            raise Failed(f"HTTP {exc.code}: a redirect that cannot be followed", exc.code) from None
        what = f"HTTP {exc.code} {http.client.responses.get(exc.code, '')}".strip()
        if 500 <= exc.code < 600:
            raise Retry(what, exc.code) from None
        raise Failed(what, exc.code) from None
    except TimeoutError:
        raise Retry(f"timed out after {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise Retry(f"timed out after {timeout:g} s") from None
        raise Failed(f"cannot connect: {one_line(exc.reason)}") from None
    except (http.client.HTTPException, OSError) as exc:
        raise Failed(f"bad answer: {type(exc).__name__} {one_line(exc)}") from None
    with resp:
        status = resp.status
        body = _read_body(resp, source.max_bytes, deadline, status)
        return Answer(
            status,
            body,
            resp.headers.get("ETag"),
            resp.headers.get("Last-Modified"),
            resp.headers.get("Content-Type") or "",
        )


def fetch(source: Source, known: dict, *, timeout: float, tries: int, backoff: float) -> Answer:
    """The source's answer; Failed (or Retry, after `tries` attempts) otherwise."""
    if urlsplit(source.url).scheme.lower() == "file":
        return _fetch_file(source)
    wait = backoff
    for attempt in range(1, tries + 1):
        try:
            answer = _fetch_once(source, known, timeout)
            answer.tries = attempt
            return answer
        except Retry as exc:
            if attempt == tries:
                raise Failed(
                    f"{exc} (tried {tries} time{'s' if tries > 1 else ''})", exc.status, exc.size
                ) from None
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


# -- what came back ---------------------------------------------------------------------------------
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.I | re.S)


def refuse_non_sheet(answer: Answer) -> None:
    """An empty answer or an HTML page (a sign-in page served with 200, "file moved", a captive
    portal) is not a sheet."""
    body = answer.body or b""
    if not body.strip():
        raise Failed("empty answer (0 bytes of data)", answer.status, len(body))
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    html = head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head[:1024]
    if html or "text/html" in answer.content_type.lower():
        m = _TITLE.search(body[:65536])
        title = one_line(m.group(1).decode("utf-8", "replace"))[:80] if m else ""
        said = f" titled {title!r}" if title else ""
        raise Failed(
            f"an HTML page{said}, not a sheet (a sign-in page? the export must be public)",
            answer.status,
            len(body),
        )


def _suffix(body: bytes) -> str:
    return ".xlsx" if body.startswith(b"PK\x03\x04") else ".csv"


def choose_sheet(path: Path, wanted: str | None) -> Path:
    """A workbook of several sheets -> a workbook of the one to import: `wanted`, else the first
    sheet the importer recognises (the importer reads a workbook's first sheet)."""
    import openpyxl

    from ogp.data.formats import _cell, _find_header

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return path  # the importer says what is wrong with it
    try:
        names = wb.sheetnames
        if wanted is not None and wanted not in names:
            raise Failed(f"the workbook has no sheet {wanted!r} (sheets: {', '.join(names)})")
        if wanted is None:
            if len(names) <= 1:
                return path
            for name in names:
                head = [[_cell(v) for v in row] for row in wb[name].iter_rows(max_row=15, values_only=True)]
                if _find_header(head)[1] is not None:
                    wanted = name
                    break
            else:
                return path
        if names[0] == wanted:
            return path
        out = path.with_name(f"{path.stem}.{_safe(wanted)}.xlsx")
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(wanted[:31])
        for row in wb[wanted].iter_rows(values_only=True):
            sheet.append(list(row))
        book.save(out)
        return out
    finally:
        wb.close()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:40] or "sheet"


@dataclass
class Checked:
    rows: int
    layout: str
    columns: list[str]
    content: str  # sha256 of the cells as read: a workbook exported again has other bytes, same cells
    warnings: list[str] = field(default_factory=list)


def content_digest(records: list[list[str]]) -> str:
    h = hashlib.sha256()
    for rec in records:
        h.update(json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def check_layout(path: Path, source: Source, known: dict) -> Checked:
    """Read the export as the importer will and refuse a drifted layout: another layout than the
    source's, a column its last import read that is gone (renamed?), or, on a first import, an
    expected column absent while an unknown one appears."""
    from ogp.data.formats import FormatError, build_table, norm, read_records

    try:
        records, *_ = read_records(path)
        table = build_table(path, records)
    except FormatError as exc:
        raise Failed(f"not importable: {exc}") from None
    layout = table.layout
    if source.layout and layout.name != source.layout:
        raise Failed(f"layout drifted: expected the {source.layout} layout, found the {layout.label}")
    columns = sorted({m["column"] for m in table.matched})
    raw_header = records[table.header_row - 1]
    matched = {m["header"] for m in table.matched}
    unknown = [h.strip() for h in raw_header if norm(h) and h.strip() not in matched]
    before = (known.get("imported") or {}).get("columns")
    if isinstance(before, list) and before and (known.get("imported") or {}).get("layout") == layout.name:
        gone = [c for c in before if c not in columns]
    else:
        gone = list(table.missing_optional) if unknown else []
    if gone:
        new = f"; new column(s): {', '.join(repr(u) for u in unknown[:5])}" if unknown else ""
        raise Failed(
            f"layout drifted: column(s) {', '.join(repr(g) for g in gone[:5])} of the {layout.label} "
            f"no longer found{new}; if the column was renamed, add the new name to its aliases in "
            "data/layouts.toml"
        )
    return Checked(len(table.rows), layout.name, columns, content_digest(records), list(table.warnings))


# -- one source ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    source: Source
    result: str  # new snapshot, unchanged, failed, held back (and "dry run" for a dry run)
    line: str
    snapshot: str | None = None
    ok: bool = True


def _as_of(last_modified: str | None) -> str:
    if last_modified:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            when = email.utils.parsedate_to_datetime(last_modified)
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return when.astimezone(dt.UTC).date().isoformat()
    return dt.datetime.now(dt.UTC).date().isoformat()


def _manifest(base: Path, name: str) -> dict:
    try:
        return json.loads((paths.snapshots_dir(base) / name / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _same_file_snapshot(base: Path, sha: str) -> str | None:
    """The snapshot already made from a file with this sha256, if any."""
    for name in reversed(paths.snapshot_names(base)):
        if any(s.get("sha256") == sha for s in _manifest(base, name).get("sources", [])):
            return name
    return None


def _import(files: list[Path], as_of: str, base: Path, *, replace: bool, dry_run: bool, scope: str):
    from ogp.data import ingest

    try:
        return ingest.import_files(
            files, as_of, base, replace=replace, dry_run=dry_run, scope=importer_scope(scope)
        )
    except ingest.ImportFailed as exc:
        raise Failed(f"import refused: {one_line(exc)}") from None


def refresh_source(
    source: Source,
    base: Path,
    state: dict,
    *,
    dry_run: bool = False,
    allow_shrink: bool = False,
    timeout: float = TIMEOUT,
    tries: int = TRIES,
    backoff: float = BACKOFF,
) -> Outcome:
    """Fetch, check and import one source; `state` (refresh.json) is updated in place."""
    known = dict(state["sources"].get(source.name) or {})
    imported = known.get("imported") or {}
    if known.get("url") != source.url or (
        imported.get("snapshot") and imported["snapshot"] not in paths.snapshot_names(base)
    ):
        known.pop("etag", None)  # another address, or its snapshot is gone: ask afresh
        known.pop("last_modified", None)
    attempt: dict = {"at": _now()}
    entry = state["sources"].setdefault(source.name, {})

    def done(result: str, line: str, *, snapshot: str | None = None, ok: bool = True) -> Outcome:
        entry.update(url=source.url, scope=source.scope, last_attempt=attempt | {"result": result})
        return Outcome(source, result, line, snapshot, ok)

    try:
        answer = fetch(source, known, timeout=timeout, tries=tries, backoff=backoff)
        if urlsplit(source.url).scheme.lower() != "file":
            attempt["status"] = answer.status
        if answer.body is None:
            attempt.update(bytes=0, sha256=imported.get("sha256"))
            return done("unchanged", f"{source.name}: unchanged (304 Not Modified)")
        attempt["bytes"] = len(answer.body)
        refuse_non_sheet(answer)
        sha = hashlib.sha256(answer.body).hexdigest()
        attempt["sha256"] = sha
        same_snapshot_kept = imported.get("snapshot") in paths.snapshot_names(base)
        same = imported.get("sha256") == sha and same_snapshot_kept
        earlier = imported.get("snapshot") if same else _same_file_snapshot(base, sha)
        if earlier:
            entry.update(etag=answer.etag, last_modified=answer.last_modified)
            return done("unchanged", f"{source.name}: unchanged (same sha256 as snapshot {earlier})")
        as_of = _as_of(answer.last_modified)
        work = Path(tempfile.mkdtemp(prefix="ogp-refresh-"))
        try:
            file = work / f"{source.name}{_suffix(answer.body)}"
            file.write_bytes(answer.body)
            if file.suffix == ".xlsx":
                file = choose_sheet(file, source.sheet)
            checked = check_layout(file, source, known)
            if imported.get("content") == checked.content and same_snapshot_kept:
                entry.update(etag=answer.etag, last_modified=answer.last_modified)
                return done(
                    "unchanged",
                    f"{source.name}: unchanged (the same cells as snapshot {imported['snapshot']}; "
                    "the file's bytes differ)",
                )
            before = imported.get("rows")
            if isinstance(before, int) and 2 * checked.rows < before and not allow_shrink:
                exc = Failed(
                    f"held back: {checked.rows:,} rows, less than half of the {before:,} of its last import "
                    f"({imported.get('snapshot')}); --allow-shrink imports it"
                )
                exc.held_back = True
                raise exc
            replace = (paths.snapshots_dir(base) / as_of).is_dir()
            if replace and imported.get("snapshot") != as_of:
                raise Failed(
                    f"a snapshot for {as_of} exists and was not made by this source: not replaced "
                    f"(import by hand with `python -m ogp import FILE --as-of DATE`)"
                )
            result = _import([file], as_of, base, replace=replace, dry_run=dry_run, scope=source.scope)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        c = result.manifest["counts"]
        counts = f"{c['commitments']:,} commitments from {c['members']:,} members, {c['action_plans']:,} action plans"
        n_warn = len(result.manifest.get("warnings", []))
        facts = f"{counts}; {n_warn} warning{'s' if n_warn != 1 else ''}; {len(answer.body):,} bytes, sha256 {sha[:12]}"
        if dry_run:
            return Outcome(
                source,
                "dry run",
                f"{source.name}: dry run: would import {facts} as snapshot {as_of}; nothing written",
            )
        entry.update(
            etag=answer.etag,
            last_modified=answer.last_modified,
            last_change=attempt["at"],
            imported={
                "sha256": sha,
                "rows": checked.rows,
                "layout": checked.layout,
                "columns": checked.columns,
                "content": checked.content,
                "snapshot": as_of,
                "at": attempt["at"],
            },
        )
        verb = "replaced snapshot" if replace else "new snapshot"
        return done("new snapshot", f"{source.name}: {verb} {as_of}: {facts}", snapshot=as_of)
    except Failed as exc:
        attempt.update(
            message=str(exc),
            **{
                k: v
                for k, v in (("status", exc.status), ("bytes", exc.size))
                if v is not None and k not in attempt
            },
        )
        result = "held back" if exc.held_back else "failed"
        return done(result, f"error: {source.name}: {one_line(exc)}", ok=False)
    except Exception as exc:  # noqa: BLE001 - one line per source, never a traceback; the next source still runs
        attempt["message"] = f"unexpected {type(exc).__name__}: {one_line(exc)}"
        return done("failed", f"error: {source.name}: {attempt['message']}", ok=False)


# -- mail --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    to: tuple[str, ...]
    sender: str
    base_url: str | None  # None: ogp.render.digest's default


def mail_settings(env=os.environ) -> MailSettings:
    """From OGP_SMTP_HOST, OGP_SMTP_PORT (25; 587 with STARTTLS), OGP_SMTP_STARTTLS (1/true/yes),
    OGP_SMTP_USER, OGP_SMTP_PASSWORD, OGP_DIGEST_TO (comma-separated), OGP_DIGEST_FROM and
    OGP_DASHBOARD_URL (the links' base); UsageError names what is missing."""
    missing = [k for k in MAIL_ENV if not (env.get(k) or "").strip()]
    if missing:
        raise UsageError(f"--notify needs {', '.join(missing)} in the environment")
    starttls = (env.get("OGP_SMTP_STARTTLS") or "").strip().lower() in ("1", "true", "yes", "on")
    port_text = (env.get("OGP_SMTP_PORT") or "").strip() or ("587" if starttls else "25")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise UsageError(f"OGP_SMTP_PORT must be a port number (got {port_text!r})")
    to = tuple(a.strip() for a in env["OGP_DIGEST_TO"].split(",") if a.strip())
    if not to:
        raise UsageError("OGP_DIGEST_TO names no address")
    return MailSettings(
        host=env["OGP_SMTP_HOST"].strip(),
        port=int(port_text),
        starttls=starttls,
        user=(env.get("OGP_SMTP_USER") or "").strip() or None,
        password=env.get("OGP_SMTP_PASSWORD") or None,
        to=to,
        sender=env["OGP_DIGEST_FROM"].strip(),
        base_url=(env.get("OGP_DASHBOARD_URL") or "").strip() or None,
    )


def digest_message(base: Path, settings: MailSettings, made: list[Outcome]):
    """The digest of the newest snapshot against the one before, as a mail: HTML with the
    Markdown as its plain-text part (ogp/render/digest.py escapes every value from the data in both)."""
    from email.message import EmailMessage

    from ogp.data.store import Store
    from ogp.model.filters import Filters
    from ogp.render import digest, views

    store = Store(base)
    try:
        report = views.monitor(store.query, store.snapshots, Filters())
        doc = digest.digest_document(report, base_url=settings.base_url or digest.DEFAULT_BASE_URL)
    finally:
        store.close()
    msg = EmailMessage()
    names = ", ".join(dict.fromkeys(o.source.name for o in made))
    msg["Subject"] = f"OGP digest: snapshot {report.current} ({names})"  # short: no folded header
    msg["From"] = settings.sender
    msg["To"] = ", ".join(settings.to)
    msg["Date"] = email.utils.formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = email.utils.make_msgid(domain="ogp-refresh.local")
    msg.set_content(digest.to_markdown(doc))
    msg.add_alternative(digest.to_html(doc), subtype="html")
    return msg


def send(settings: MailSettings, msg, timeout: float = 60.0) -> None:
    """Over STARTTLS the server's certificate is verified (the system's CAs, or SSL_CERT_FILE) and
    must name OGP_SMTP_HOST: smtplib's own default would accept any certificate."""
    import ssl

    with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(msg)


# -- the command -------------------------------------------------------------------------------------
def next_run() -> str | None:
    """The timer's next run as ISO time (UTC), when systemd knows it; None otherwise."""
    if not shutil.which("systemctl"):
        return None
    try:
        out = subprocess.run(
            ["systemctl", "show", TIMER, "--property=NextElapseUSecRealtime", "--value", "--timestamp=unix"],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    value = out.stdout.strip()
    if out.returncode != 0 or not value.startswith("@"):
        return None
    try:
        when = dt.datetime.fromtimestamp(int(value[1:]), dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return when.replace(microsecond=0).isoformat()


@contextlib.contextmanager
def _locked(base: Path):
    base.mkdir(parents=True, exist_ok=True)
    with open(base / LOCK_FILE, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another refresh of {base} is running") from None
        yield


def run(args: argparse.Namespace, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    base = paths.data_dir(args.data_dir)
    try:
        sources = load_sources(Path(args.sources) if args.sources else default_sources_file(base))
    except SourcesError as exc:
        print(f"error: {one_line(exc)}", file=err)
        return 2
    from ogp.data.formats import KINDS

    for s in sources:
        if s.layout and s.layout not in KINDS:
            print(
                f"error: {s.name}: layout {s.layout!r} is not in data/layouts.toml ({', '.join(KINDS)})",
                file=err,
            )
            return 2
    if args.source:
        unknown = [n for n in args.source if n not in {s.name for s in sources}]
        if unknown:
            names = ", ".join(s.name for s in sources)
            print(f"error: no source named {', '.join(unknown)} (the sources are {names})", file=err)
            return 2
        sources = [s for s in sources if s.name in args.source]
    if args.tries < 1 or args.timeout <= 0 or args.backoff < 0:
        print("error: --tries must be at least 1, --timeout above 0 and --backoff not negative", file=err)
        return 2
    try:
        settings = mail_settings() if args.notify and not args.dry_run else None
        lock = contextlib.nullcontext() if args.dry_run else _locked(base)
        with lock:
            return _run(sources, base, settings, args, out, err)
    except UsageError as exc:
        print(f"error: {exc}", file=err)
        return 2


def _run(sources: list[Source], base: Path, settings: MailSettings | None, args, out, err) -> int:
    state = read_state(base)
    state.setdefault("sources", {})
    outcomes = []
    for source in sources:
        o = refresh_source(
            source,
            base,
            state,
            dry_run=args.dry_run,
            allow_shrink=args.allow_shrink,
            timeout=args.timeout,
            tries=args.tries,
            backoff=args.backoff,
        )
        outcomes.append(o)
        print(o.line, file=out if o.ok else err, flush=True)
    if args.dry_run:
        return 0 if all(o.ok for o in outcomes) else 1
    state["next_run"] = next_run()
    code = 0 if all(o.ok for o in outcomes) else 1
    made = [o for o in outcomes if o.result == "new snapshot"]
    if settings and made:
        to = ", ".join(settings.to)
        try:
            send(settings, digest_message(base, settings, made), timeout=args.timeout)
            state["mail"] = {"at": _now(), "result": "sent", "to": to}
            print(f"digest mailed to {to}", file=out)
        except Exception as exc:  # noqa: BLE001 - a failed send is reported, the import stays
            reason = f"{type(exc).__name__}: {one_line(exc)}"
            state["mail"] = {"at": _now(), "result": "failed", "to": to, "message": reason}
            print(
                f"error: mail: the digest was not sent to {to} ({reason}); the new snapshot stays", file=err
            )
            code = 1
    if made and getattr(args, "bake", None):
        code = _rebake(args, base, state, out, err) or code
    write_state(base, state)
    return code


def _rebake(args, base: Path, state: dict, out, err) -> int:
    """The public site (ogp/ops/bake.py) baked again from the new snapshots, swapped in atomically:
    readers see the old site until the new one is whole. A failed bake is reported (exit 1) and
    keeps the old site and the new snapshot."""
    from ogp.ops import bake

    try:
        r = bake.bake(args.bake, base, args.base_url, args.dashboard_url or bake.DEFAULT_DASHBOARD)
    except Exception as exc:  # noqa: BLE001 - reported; the snapshot and the old site stay
        reason = f"{type(exc).__name__}: {one_line(exc)}"
        state["bake"] = {"at": _now(), "result": "failed", "out": str(args.bake), "message": reason}
        print(f"error: bake: the public site was not re-baked ({reason}); the old site stays", file=err)
        return 1
    state["bake"] = {"at": _now(), "result": "baked", "out": str(r.out), "pages": r.pages}
    print(f"public site re-baked: {r.pages} pages -> {r.out}", file=out)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "refresh",
        help="fetch OGP's published exports (data/sources.toml) and import what changed",
        description="For each source: a conditional download, checks, and a new snapshot through the "
        "importer when it changed. Exit 0: unchanged or imported; 1: a source failed; 2: usage.",
    )
    p.add_argument("--source", nargs="+", metavar="NAME", help="only these sources (default: all)")
    p.add_argument(
        "--sources",
        metavar="FILE",
        help="the sources file (default: DIR/sources.toml, else data/sources.toml)",
    )
    p.add_argument("--data-dir", default=None, help="data folder (default: $OGP_DATA_DIR, else data)")
    p.add_argument("--dry-run", action="store_true", help="download and check, import nothing, write nothing")
    p.add_argument(
        "--notify", action="store_true", help="mail the digest when a snapshot was made (OGP_SMTP_* settings)"
    )
    p.add_argument(
        "--allow-shrink", action="store_true", help="import a sheet under half the rows of its last import"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT,
        metavar="S",
        help=f"seconds per network wait (default {TIMEOUT:g})",
    )
    p.add_argument(
        "--tries",
        type=int,
        default=TRIES,
        metavar="N",
        help=f"attempts on timeouts and 5xx (default {TRIES})",
    )
    p.add_argument(
        "--backoff",
        type=float,
        default=BACKOFF,
        metavar="S",
        help=f"seconds before a retry, doubled each time (default {BACKOFF:g})",
    )
    p.add_argument(
        "--bake",
        metavar="DIR",
        help="after a new snapshot, bake the public site into DIR again (python -m ogp bake --out DIR)",
    )
    p.add_argument("--base-url", default="", help="with --bake: the public site's URL, for share cards")
    p.add_argument(
        "--dashboard-url",
        default=None,
        help="with --bake: the live dashboard's URL (default: python -m ogp bake's)",
    )
    p.set_defaults(func=run)
