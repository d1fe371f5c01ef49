"""`python -m ogp refresh` (ogp/ops/refresh.py) against a real web server on loopback serving real
extracts of the bundled exports and every bad answer of issue 26, and a real SMTP server
(aiosmtpd) for `--notify`. Counts are checked against the extract's rows read with the csv
module; "nothing changed" is checked by hashing every file under snapshots/ before and after."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from origin import (
    Mailbox,
    Origin,
    Route,
    bad_answers,
    current_extract,
    legacy_extract,
    self_signed,
    sources_file,
    tree_digest,
)
from pagetest import CURRENT_CSV, ROOT, assert_clean, run_page

from ogp import cli
from ogp.data import sources

LAST_MODIFIED = "Sat, 06 Jul 2024 10:00:00 GMT"
FAST = ["--timeout", "1", "--tries", "3", "--backoff", "0.01"]


def counted(body: bytes, header_rows: int = 1) -> dict[str, int]:
    """Commitments and members of an extract, counted with the csv module (not the importer)."""
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    header, data = rows[header_rows - 1], rows[header_rows:]
    if "Commitment Unique Identifier" in header:
        ids, code = header.index("Commitment Unique Identifier"), header.index("Code")
        return {"commitments": len({r[ids] for r in data}), "members": len({r[code] for r in data})}
    country = header.index("Country")
    return {"commitments": len(data), "members": len({r[country] for r in data})}


def refresh(capsys, data: Path, srcs: Path, *more: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["refresh", "--sources", str(srcs), "--data-dir", str(data), *FAST, *more])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def state(data: Path) -> dict:
    return json.loads((data / "refresh.json").read_text(encoding="utf-8"))


def manifest(data: Path, name: str) -> dict:
    return json.loads((data / "snapshots" / name / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def web():
    with Origin() as origin:
        yield origin


@pytest.fixture(scope="module")
def first(web, tmp_path_factory):
    """A data folder where source `sheet` made its first snapshot from 40 real rows."""
    root = tmp_path_factory.mktemp("first")
    web.routes["/first.csv"] = Route(current_extract(40), etag='"v1"', last_modified=LAST_MODIFIED)
    # "all members": taken as a complete export, so that the digest lists what a later one adds
    srcs = sources_file(
        root, {"name": "sheet", "url": web.url("/first.csv"), "layout": "current", "scope": "all members"}
    )
    code = cli.main(["refresh", "--sources", str(srcs), "--data-dir", str(root / "data"), *FAST])
    assert code == 0
    return root / "data"


def test_a_new_export_is_imported_and_an_unchanged_one_costs_one_conditional_request(web, tmp_path, capsys):
    body = current_extract(40)
    web.routes["/sheet.csv"] = Route(body, etag='"v1"', last_modified=LAST_MODIFIED)
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/sheet.csv"), "layout": "current"})
    data = tmp_path / "data"
    code, out, err = refresh(capsys, data, srcs)
    assert (code, err) == (0, [])
    assert len(out) == 1 and out[0].startswith("sheet: new snapshot 2024-07-06: "), (
        out
    )  # dated by Last-Modified
    m = manifest(data, "2024-07-06")
    want = counted(body)
    assert {k: m["counts"][k] for k in want} == want
    assert m["report"]["files"][0]["layout"] == "current"  # the importer's report, as `ogp import` writes it
    assert m["scope"] == {"complete": False, "covers": "an extract for the tests"}  # sources.toml's scope
    import hashlib

    assert m["sources"][0]["sha256"] == hashlib.sha256(body).hexdigest()

    before, seen = tree_digest(data / "snapshots"), len(web.requests)
    code, out, err = refresh(capsys, data, srcs)
    assert (code, out, err) == (0, ["sheet: unchanged (304 Not Modified)"], [])
    asked = web.requests[seen:]
    assert len(asked) == 1 and asked[0][1]["If-None-Match"] == '"v1"'
    assert asked[0][1]["If-Modified-Since"] == LAST_MODIFIED
    assert tree_digest(data / "snapshots") == before
    s = state(data)["sources"]["sheet"]
    assert s["last_attempt"]["result"] == "unchanged" and s["last_attempt"]["status"] == 304
    assert s["imported"]["snapshot"] == "2024-07-06"

    # a new ETag on the same bytes: the sha256 says it is the same file
    web.routes["/sheet.csv"].etag = '"v2"'
    code, out, err = refresh(capsys, data, srcs)
    assert (code, err) == (0, []) and out == ["sheet: unchanged (same sha256 as snapshot 2024-07-06)"]
    assert tree_digest(data / "snapshots") == before
    code, out, _ = refresh(capsys, data, srcs)  # the new ETag was remembered
    assert out == ["sheet: unchanged (304 Not Modified)"]


def test_last_modified_alone_gives_a_conditional_request(web, tmp_path, capsys):
    web.routes["/lm.csv"] = Route(legacy_extract(30), last_modified="Thu, 30 Mar 2017 08:00:00 GMT")
    srcs = sources_file(tmp_path, {"name": "irm", "url": web.url("/lm.csv"), "layout": "legacy"})
    code, out, _ = refresh(capsys, tmp_path / "data", srcs)
    assert code == 0 and out[0].startswith("irm: new snapshot 2017-03-30: ")
    assert manifest(tmp_path / "data", "2017-03-30")["counts"]["commitments"] == 30
    seen = len(web.requests)
    code, out, _ = refresh(capsys, tmp_path / "data", srcs)
    assert out == ["irm: unchanged (304 Not Modified)"]
    assert web.requests[seen][1]["If-Modified-Since"] == "Thu, 30 Mar 2017 08:00:00 GMT"


@pytest.mark.parametrize("case", list(bad_answers()))
def test_every_bad_answer_is_refused_and_changes_no_snapshot(case, web, first, tmp_path, capsys):
    route, reason, extra, requests = bad_answers()[case]
    path = "/bad/" + "-".join(case.replace(",", "").split())
    web.routes[path] = Route(**vars(route))  # a fresh copy per run
    data = tmp_path / "data"
    shutil.copytree(first, data)
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url(path), "layout": "current", **extra})
    before, seen = tree_digest(data / "snapshots"), len(web.requests)
    code, out, err = refresh(capsys, data, srcs)
    assert code == 1 and out == []
    assert len(err) == 1 and err[0].startswith("error: sheet: "), err
    assert reason in err[0], err
    assert tree_digest(data / "snapshots") == before  # byte for byte
    asked = [p for p, _ in web.requests[seen:]]
    if requests is not None:
        assert len(asked) == requests, asked
    else:  # the redirect loop: followed a few times, then given up
        assert 2 <= len(asked) <= 6, asked
    attempt = state(data)["sources"]["sheet"]["last_attempt"]
    assert attempt["result"] == ("held back" if case.startswith("shrunk") else "failed")
    assert reason in attempt["message"]
    assert not list(data.glob("snapshots/.tmp-*"))


def test_a_shrunk_sheet_goes_in_with_allow_shrink(web, first, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(first, data)
    web.routes["/small.csv"] = Route(current_extract(19), last_modified="Sun, 07 Jul 2024 10:00:00 GMT")
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/small.csv")})
    code, out, err = refresh(capsys, data, srcs, "--allow-shrink")
    assert (code, err) == (0, []) and out[0].startswith("sheet: new snapshot 2024-07-07: 19 commitments")


def test_timeouts_and_5xx_are_retried_with_backoff(web, tmp_path, capsys):
    body = current_extract(30)
    web.routes["/busy.csv"] = Route(body, fail_times=2, fail_status=503)
    web.routes["/slow.csv"] = Route(current_extract(31), delay=3.0, slow_times=1)
    srcs = sources_file(
        tmp_path,
        {"name": "busy", "url": web.url("/busy.csv")},
        {"name": "slow", "url": web.url("/slow.csv")},
    )
    seen = len(web.requests)
    code, out, err = refresh(capsys, tmp_path / "data", srcs, "--source", "busy")
    assert (code, err) == (0, []) and "busy: new snapshot" in out[0]
    assert len(web.requests) - seen == 3  # two 503s, then the export
    shutil.rmtree(tmp_path / "data")
    code, out, err = refresh(capsys, tmp_path / "data", srcs, "--source", "slow")
    assert (code, err) == (0, []) and "slow: new snapshot" in out[0]


def test_a_slow_trickle_past_the_whole_download_deadline_is_refused(web, tmp_path, capsys):
    """Each 64 kB chunk comes in time (0.2 s apart against a 0.5 s timeout), the whole 2.5 MB would
    take ~8 s against 10 x 0.5 s."""
    web.routes["/trickle.csv"] = Route(CURRENT_CSV.read_bytes(), trickle=0.2)
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/trickle.csv")})
    code = cli.main(["refresh", "--sources", str(srcs), "--data-dir", str(tmp_path / "data"),
                     "--timeout", "0.5", "--tries", "1"])  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and len(err) == 1 and "timed out: the download took too long" in err[0], err


def test_two_refreshes_on_one_day_replace_that_source_s_snapshot_only(web, tmp_path, capsys):
    today = pd.Timestamp.now(tz="UTC").date().isoformat()
    web.routes["/day.csv"] = Route(current_extract(30))  # no Last-Modified: dated today
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/day.csv")})
    data = tmp_path / "data"
    code, out, _ = refresh(capsys, data, srcs)
    assert code == 0 and out[0].startswith(f"sheet: new snapshot {today}: 30 commitments")
    web.routes["/day.csv"] = Route(current_extract(35))
    code, out, _ = refresh(capsys, data, srcs)
    assert code == 0 and out[0].startswith(f"sheet: replaced snapshot {today}: 35 commitments")
    assert [p.name for p in (data / "snapshots").iterdir()] == [today]
    assert manifest(data, today)["counts"]["commitments"] == 35
    # another source's export of the same day never replaces it
    web.routes["/other.csv"] = Route(legacy_extract(20))
    other = sources_file(tmp_path, {"name": "irm", "url": web.url("/other.csv")})
    before = tree_digest(data / "snapshots")
    code, _, err = refresh(capsys, data, other)
    assert code == 1 and err == [
        f"error: irm: a snapshot for {today} exists and was not made by this source: not replaced "
        "(import by hand with `python -m ogp import FILE --as-of DATE`)"
    ]
    assert tree_digest(data / "snapshots") == before


def _workbook(body: bytes, sheets: list[str], at: str, created: str = "2024-07-06T10:00:00") -> bytes:
    book = openpyxl.Workbook()
    book.properties.created = book.properties.modified = dt.datetime.fromisoformat(created)
    book.active.title = sheets[0]
    for name in sheets[1:]:
        book.create_sheet(name)
    book[sheets[0]].append(["About this workbook: OGP Commitments Data"])
    for row in csv.reader(io.StringIO(body.decode("utf-8"))):
        book[at].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_s_sheet_is_found_or_named(web, tmp_path, capsys):
    body = current_extract(25)
    web.routes["/book.xlsx"] = Route(
        _workbook(body, ["README", "Commitments"], "Commitments"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/book.xlsx"), "layout": "current"})
    code, out, err = refresh(capsys, tmp_path / "data", srcs, "--dry-run")
    assert (code, err) == (0, []) and out[0].startswith("sheet: dry run: would import 25 commitments")
    assert not (tmp_path / "data").exists()  # a dry run writes nothing, not even the state
    named = sources_file(tmp_path, {"name": "sheet", "url": web.url("/book.xlsx"), "sheet": "Data"})
    code, _, err = refresh(capsys, tmp_path / "data", named)
    assert code == 1 and err == [
        "error: sheet: the workbook has no sheet 'Data' (sheets: README, Commitments)"
    ]
    named = sources_file(tmp_path, {"name": "sheet", "url": web.url("/book.xlsx"), "sheet": "Commitments"})
    code, out, _ = refresh(capsys, tmp_path / "data", named)
    assert code == 0 and "new snapshot" in out[0]
    counts = counted(body)
    m = next(manifest(tmp_path / "data", p.name) for p in (tmp_path / "data" / "snapshots").iterdir())
    assert {k: m["counts"][k] for k in counts} == counts


def test_a_file_url_and_usage_errors(tmp_path, capsys):
    extract = tmp_path / "mirror.csv"
    extract.write_bytes(legacy_extract(20))
    srcs = sources_file(tmp_path, {"name": "mirror", "url": extract.as_uri(), "layout": "legacy"})
    code, out, _ = refresh(capsys, tmp_path / "data", srcs)
    assert code == 0 and "mirror: new snapshot" in out[0]
    assert state(tmp_path / "data")["sources"]["mirror"]["last_attempt"].get("status") is None
    code, out, _ = refresh(capsys, tmp_path / "data", srcs)
    assert code == 0 and out[0].startswith("mirror: unchanged (same sha256 as snapshot ")

    code, out, err = refresh(capsys, tmp_path / "data", srcs, "--source", "nope")
    assert (code, out) == (2, []) and err == ["error: no source named nope (the sources are mirror)"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "x"\nurl = "ftp://example.org/a.csv"\nscope = "s"\nlicence = "l"\n')
    code, _, err = refresh(capsys, tmp_path / "data", bad)
    assert code == 2 and len(err) == 1 and "url must start with http://, https:// or file:" in err[0]
    bad.write_text(
        '[[source]]\nname = "x"\nurl = "https://example.org/a.csv"\nscope = "s"\nlicence = "l"\nlayot = "current"\n'
    )
    code, _, err = refresh(capsys, tmp_path / "data", bad)
    assert code == 2 and "unknown field(s) layot" in err[0]


def test_the_bundled_sources_file_lists_ogp_s_two_publications():
    listed = {s.name: s for s in sources.load_sources(ROOT / "data" / "sources.toml")}
    assert listed["ogp-commitments"].url == (
        "https://docs.google.com/spreadsheets/d/1ZoiJY9zL52dEOFJnHWSFcAmJx_KxK0xAWzHQbX2iGPo/export?format=xlsx"
    )
    assert listed["irm-explorer"].url == (
        "https://www.opengovpartnership.org/explorer/data/latest_data/ogpirm_live_data.csv"
    )
    assert (listed["ogp-commitments"].layout, listed["irm-explorer"].layout) == ("current", "legacy")


# -- the digest mailed on change ---------------------------------------------------------------------
SCRIPT = "<script>alert('x')</script> Open budget portal"
FORMULA = '=HYPERLINK("http://evil.example/steal","Click here")'


class Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [v for k, v in attrs if k == "href"]

    def handle_data(self, data):
        self.text.append(data)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_notify_mails_the_digest_once_as_html_and_text_with_data_kept_as_text(
    web, tmp_path, capsys, monkeypatch
):
    """Titles a sheet's editor wrote (`<script>…`, `=HYPERLINK(…)`) on two commitments whose rating
    changes between two exports: the digest lists them, and shows the titles as text."""
    data = tmp_path / "data"
    titled = {5: {"Commitment Title": SCRIPT}, 12: {"Commitment Title": FORMULA}}
    rerated = {i: {**v, "Completion (End Of Term)": "Withdrawn"} for i, v in titled.items()}
    web.routes["/before.csv"] = Route(current_extract(40, cells=titled), last_modified=LAST_MODIFIED)
    srcs = sources_file(
        tmp_path,
        {"name": "sheet", "url": web.url("/before.csv"), "layout": "current", "scope": "all members"},
    )
    assert refresh(capsys, data, srcs)[0] == 0
    # the same 40 rows, two of them rated again, and 20 more
    body = current_extract(60, cells=rerated)
    web.routes["/mail.csv"] = Route(body, etag='"m1"', last_modified="Mon, 02 Dec 2024 09:00:00 GMT")
    srcs = sources_file(
        tmp_path, {"name": "sheet", "url": web.url("/mail.csv"), "layout": "current", "scope": "all members"}
    )
    with Mailbox() as box:
        for k, v in box.env().items():
            monkeypatch.setenv(k, v)
        code, out, err = refresh(capsys, data, srcs, "--notify")
        assert (code, err) == (0, []), err
        assert out[0].startswith("sheet: new snapshot 2024-12-02: 60 commitments")
        assert out[1] == "digest mailed to staff@example.org, lead@example.org"
        assert len(box.messages) == 1
        sender, rcpts, msg = box.messages[0]
        assert sender == "dashboard@example.org" and rcpts == ["staff@example.org", "lead@example.org"]
        assert msg.get_content_type() == "multipart/alternative"
        assert msg["Subject"] == "OGP digest: snapshot 2024-12-02 (sheet)"
        plain = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "Changes from the snapshot of 2024-07-06 to that of 2024-12-02." in plain
        assert "| Added | 20 | commitments |" in plain  # 60 rows against the first 40 of them
        assert "| Ratings changed | 2 | commitments; 2 changes |" in plain

        page = Text()
        page.feed(html)
        text = " ".join(page.text)
        assert SCRIPT in text and FORMULA in text  # shown as written, as text
        assert "script" not in page.tags  # the title made no element
        assert "&lt;script&gt;" in html and "<script" not in html
        assert not [h for h in page.hrefs if "evil.example" in h]
        assert "alert('x')" in plain and "=HYPERLINK(" in plain

        # nothing new: no mail
        code, out, _ = refresh(capsys, data, srcs, "--notify")
        assert code == 0 and out == ["sheet: unchanged (304 Not Modified)"] and len(box.messages) == 1


def test_a_failed_send_is_logged_and_keeps_the_snapshot(web, first, tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(first, data)
    web.routes["/nomail.csv"] = Route(current_extract(45), last_modified="Tue, 03 Dec 2024 09:00:00 GMT")
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/nomail.csv")})
    env = {"OGP_SMTP_HOST": "127.0.0.1", "OGP_SMTP_PORT": str(_free_port()), "OGP_DIGEST_TO": "a@example.org",
           "OGP_DIGEST_FROM": "b@example.org"}  # fmt: skip
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    code, out, err = refresh(capsys, data, srcs, "--notify")
    assert code == 1 and out[0].startswith("sheet: new snapshot 2024-12-03: 45 commitments")
    assert len(err) == 1 and err[0].startswith("error: mail: the digest was not sent to a@example.org (")
    assert err[0].endswith("; the new snapshot stays")
    assert manifest(data, "2024-12-03")["counts"]["commitments"] == 45
    assert state(data)["mail"]["result"] == "failed"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback, on purpose
def test_notify_logs_in_with_the_smtp_user_and_password(web, first, tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(first, data)
    web.routes["/login.csv"] = Route(current_extract(42), last_modified="Fri, 06 Dec 2024 09:00:00 GMT")
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/login.csv")})
    with Mailbox(login=("digest", "s3cret pass")) as box:
        for k, v in box.env(to="staff@example.org").items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("OGP_SMTP_USER", "digest")
        monkeypatch.setenv("OGP_SMTP_PASSWORD", "wrong")
        code, out, err = refresh(capsys, data, srcs, "--notify")
        assert code == 1 and "SMTPAuthenticationError" in err[0] and box.messages == []
        assert out[0].startswith("sheet: new snapshot 2024-12-06")  # the snapshot stays
        shutil.rmtree(data / "snapshots" / "2024-12-06")  # the same export, as new once more
        monkeypatch.setenv("OGP_SMTP_PASSWORD", "s3cret pass")
        code, out, err = refresh(capsys, data, srcs, "--notify")
        assert (code, err) == (0, []) and out[-1] == "digest mailed to staff@example.org"
        assert box.logins[-1] == ("digest", "s3cret pass") and len(box.messages) == 1


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the openssl command makes the test certificate")
def test_notify_over_starttls_verifies_the_server_s_certificate(web, first, tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(first, data)
    web.routes["/tls.csv"] = Route(current_extract(43), last_modified="Sat, 07 Dec 2024 09:00:00 GMT")
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/tls.csv")})
    cert, key = self_signed(tmp_path)
    with Mailbox(tls=(cert, key)) as box:
        for k, v in box.env(to="staff@example.org").items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("OGP_SMTP_HOST", "localhost")  # the name the certificate gives
        monkeypatch.setenv("OGP_SMTP_STARTTLS", "true")
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        code, _, err = refresh(capsys, data, srcs, "--notify")  # a certificate nobody vouches for
        assert code == 1 and "CERTIFICATE_VERIFY_FAILED" in err[0] and box.messages == []
        shutil.rmtree(data / "snapshots" / "2024-12-07")
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now trusted, as a CA the machine knows
        code, out, err = refresh(capsys, data, srcs, "--notify")
        assert (code, err) == (0, []) and out[-1] == "digest mailed to staff@example.org"
        assert len(box.messages) == 1


def test_notify_without_mail_settings_is_a_usage_error_before_any_download(web, tmp_path, monkeypatch):
    for k in ("OGP_SMTP_HOST", "OGP_DIGEST_TO", "OGP_DIGEST_FROM"):
        monkeypatch.delenv(k, raising=False)
    web.routes["/unused.csv"] = Route(current_extract(20))
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/unused.csv")})
    seen = len(web.requests)
    done = subprocess.run(
        [sys.executable, "-m", "ogp", "refresh", "--notify", "--sources", str(srcs), "--data-dir", str(tmp_path / "d")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ},
    )  # fmt: skip
    assert done.returncode == 2
    assert (
        done.stderr
        == "error: --notify needs OGP_SMTP_HOST, OGP_DIGEST_TO, OGP_DIGEST_FROM in the environment\n"
    )
    assert len(web.requests) == seen


# -- /data shows each source ---------------------------------------------------------------------------
def test_the_data_page_shows_each_source_s_last_attempt(web, first, tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(first, data)
    body = current_extract(50)
    web.routes["/page.csv"] = Route(body, last_modified="Wed, 04 Dec 2024 09:00:00 GMT")
    web.routes["/gone.csv"] = Route(b"", status=404)
    sources_file(
        data,  # DIR/sources.toml: read by the refresh and by /data
        {"name": "sheet", "url": web.url("/page.csv"), "scope": "all members"},
        {"name": "irm", "url": web.url("/gone.csv"), "scope": "the legacy table"},
        {"name": "spare", "url": "https://example.org/never.csv"},
    )
    bin_dir = tmp_path / "bin"  # systemd's answer for the timer's next run
    bin_dir.mkdir()
    (bin_dir / "systemctl").write_text("#!/bin/sh\necho @1796706000\n")
    (bin_dir / "systemctl").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    code = cli.main(["refresh", "--data-dir", str(data), "--source", "sheet", "irm", *FAST])
    capsys.readouterr()
    assert code == 1
    import hashlib

    monkeypatch.setenv("OGP_DATA_DIR", str(data))
    at = run_page("pages/data.py")
    assert_clean(at)
    assert "Sources" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "next_run" in d.value.columns).set_index("source")
    assert list(table.index) == ["sheet", "irm", "spare"]
    sheet, irm, spare = table.loc["sheet"], table.loc["irm"], table.loc["spare"]
    assert (sheet["result"], sheet["status"], sheet["bytes"]) == ("new snapshot", 200, len(body))
    assert sheet["sha256"] == hashlib.sha256(body).hexdigest()[:12]
    assert sheet["snapshot"] == "2024-12-04" and sheet["changed"] == sheet["attempted"]
    assert sheet["scope"] == "all members"
    assert (irm["result"], irm["status"], irm["reason"]) == ("failed", 404, "HTTP 404 Not Found")
    assert pd.isna(irm["snapshot"]) and pd.isna(irm["changed"])
    assert spare["result"] == "never tried"
    warned = [w.value for w in at.warning]  # a failed source is said above the table, not only in it
    assert warned == [f"irm: the last attempt ({irm['attempted']} UTC) changed nothing: HTTP 404 Not Found"]
    assert sheet["next_run"] == "2026-12-08 05:00"  # @1796706000
    # the new snapshot is on the page too
    assert "2024-12-04" in list(at.dataframe[0].value["snapshot"])


# -- the timer --------------------------------------------------------------------------------------
def test_the_systemd_units_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine (Debian: package systemd)")
    for name in ("ogp-refresh.service", "ogp-refresh.timer"):
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        # the units name the install paths of a server (/opt/ogp, its venv): point them here
        text = text.replace("/opt/ogp/.venv/bin/python", sys.executable).replace("/opt/ogp", str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", str(tmp_path / "ogp-refresh.timer"), str(tmp_path / "ogp-refresh.service")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # an unknown key or section is only a warning (exit 0): any line about the units is a problem
    problems = [line for line in (done.stdout + done.stderr).splitlines() if "ogp-refresh" in line]
    assert done.returncode == 0, done.stdout + done.stderr
    assert not problems, problems
    timer = (ROOT / "deploy" / "ogp-refresh.timer").read_text(encoding="utf-8")
    assert "OnCalendar=daily" in timer or "OnCalendar=*-*-*" in timer


def test_a_renamed_column_is_fixed_by_an_alias_in_layouts_toml(web, first, tmp_path, capsys, monkeypatch):
    """The README's recipe: the refresh names the renamed column; the same export goes in once
    the new name is an alias of the column in data/layouts.toml (a copy, edited as a person would)."""
    from ogp.data import formats

    data = tmp_path / "data"
    shutil.copytree(first, data)
    body = current_extract(40)
    head, rest = body.split(b"\n", 1)
    web.routes["/renamed.csv"] = Route(
        head.replace(b"Completion (End Of Term)", b"Completion at the end") + b"\n" + rest,
        last_modified="Thu, 05 Dec 2024 09:00:00 GMT",
    )
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/renamed.csv"), "layout": "current"})
    code, _, err = refresh(capsys, data, srcs)
    assert code == 1 and "add the new name to its aliases in data/layouts.toml" in err[0]

    text = formats.LAYOUTS_FILE.read_text(encoding="utf-8")
    first_aliases = text.index("[layout.aliases]\n") + len("[layout.aliases]\n")  # the current layout's
    edited = tmp_path / "layouts.toml"
    edited.write_text(
        text[:first_aliases]
        + '"Completion (End Of Term)" = ["Completion at the end"]\n'
        + text[first_aliases:],
        encoding="utf-8",
    )
    layouts, _ = formats.load_layouts(edited)
    monkeypatch.setattr(formats, "LAYOUTS", layouts)
    monkeypatch.setattr(formats, "KINDS", {lay.name: lay for lay in layouts})
    code, out, err = refresh(capsys, data, srcs)
    assert (code, err) == (0, []) and out[0].startswith("sheet: new snapshot 2024-12-05: 40 commitments")
    rated = pd.read_parquet(data / "snapshots" / "2024-12-05" / "commitments.parquet")["completion_end"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    levels = {"Not Started", "Limited", "Substantial", "Complete", "Unclear", "Withdrawn"}
    assert rated.notna().sum() == sum(r["Completion (End Of Term)"].strip() in levels for r in rows) > 0


def test_a_workbook_exported_again_with_the_same_cells_is_unchanged(web, tmp_path, capsys):
    """A spreadsheet service writes a fresh workbook for every download (other bytes: here the
    workbook's own dates), without ETag or Last-Modified: the cells decide, not the bytes."""
    body = current_extract(25)
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    first_export = _workbook(body, ["Commitments"], "Commitments")
    web.routes["/export.xlsx"] = Route(first_export, content_type=kind)
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/export.xlsx"), "layout": "current"})
    data = tmp_path / "data"
    code, out, _ = refresh(capsys, data, srcs)
    assert code == 0 and "new snapshot" in out[0]
    again = _workbook(body, ["Commitments"], "Commitments", created="2026-12-07T05:00:00")
    assert again != first_export
    web.routes["/export.xlsx"] = Route(again, content_type=kind)
    before = tree_digest(data / "snapshots")
    code, out, err = refresh(capsys, data, srcs)
    assert (code, err) == (0, []) and out[0].startswith("sheet: unchanged (the same cells as snapshot ")
    assert tree_digest(data / "snapshots") == before
    changed = current_extract(25, titles={3: "Open contracting portal, revised"})
    web.routes["/export.xlsx"] = Route(_workbook(changed, ["Commitments"], "Commitments"), content_type=kind)
    code, out, _ = refresh(capsys, data, srcs)
    assert code == 0 and out[0].startswith("sheet: replaced snapshot ")  # one cell changed: imported


def test_a_new_snapshot_re_bakes_the_public_site_and_an_unchanged_source_does_not(web, tmp_path, capsys):
    """Issue 28 item 4: `ogp refresh --bake DIR` bakes the public site again after a new
    snapshot (its home page names the new snapshot's date); with nothing new the site is left as
    it was, byte for byte."""
    body = current_extract(25)
    web.routes["/bake.csv"] = Route(body, etag='"b1"', last_modified=LAST_MODIFIED)
    srcs = sources_file(tmp_path, {"name": "sheet", "url": web.url("/bake.csv"), "layout": "current"})
    data, site = tmp_path / "data", tmp_path / "site"
    code, out, err = refresh(capsys, data, srcs, "--bake", str(site))
    assert (code, err) == (0, []), err
    assert out[0].startswith("sheet: new snapshot 2024-07-06") and out[-1].startswith(
        "public site re-baked: "
    )
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "2024-07-06" in home and '<html lang="en"' in home
    assert state(data)["bake"]["result"] == "baked"
    before = tree_digest(site)
    code, out, err = refresh(capsys, data, srcs, "--bake", str(site))
    assert (code, out, err) == (0, ["sheet: unchanged (304 Not Modified)"], [])
    assert tree_digest(site) == before
