"""A real web server and a real SMTP server on loopback, for `ogp refresh` (tests/test_refresh.py,
bench/refresh_bench.py): the standard library's ThreadingHTTPServer serving the bundled exports
(or small real extracts of them) and every bad answer, with ETag/304, Last-Modified, slow and
cut-off responses; aiosmtpd's Controller keeping every message it receives."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pagetest import CURRENT_CSV, LEGACY_CSV

LEGACY_HEADER_ROWS = 2  # the legacy table's index row and its header


def extract(
    path: Path,
    rows: int,
    header_rows: int = 1,
    titles: dict[int, str] | None = None,
    cells: dict[int, dict[str, str]] | None = None,
) -> bytes:
    """The first `rows` data records of a real export, as CSV (the csv module's quoting);
    `titles` replaces the commitment title of some data rows (0-based), `cells` any column's value
    (a sheet's editor at work: escaping tests, a rating that changed)."""
    with open(path, encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    head, data = records[:header_rows], [list(r) for r in records[header_rows : header_rows + rows]]
    edits: dict[int, dict[str, str]] = {}
    for i, title in (titles or {}).items():
        edits.setdefault(i, {})["Commitment Title"] = title
    for i, values in (cells or {}).items():
        edits.setdefault(i, {}).update(values)
    for i, values in edits.items():
        for column, value in values.items():
            data[i][head[-1].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(head + data)
    return out.getvalue().encode("utf-8")


def current_extract(rows: int, **kw) -> bytes:
    return extract(CURRENT_CSV, rows, **kw)


def legacy_extract(rows: int) -> bytes:
    return extract(LEGACY_CSV, rows, header_rows=LEGACY_HEADER_ROWS)


def sources_file(folder: Path, *entries: dict) -> Path:
    """A sources.toml of `entries` (scope and licence filled in) in `folder`."""
    lines = []
    for e in entries:
        lines.append("[[source]]")
        e = {"scope": "an extract for the tests", "licence": "as published", **e}
        lines += [f"{k} = {json.dumps(v)}" for k, v in e.items()]
    path = folder / "sources.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/csv; charset=utf-8"
    etag: str | None = None  # answers 304 to a matching If-None-Match
    last_modified: str | None = None  # answers 304 to a matching If-Modified-Since (without an ETag)
    location: str | None = None  # a redirect's target
    delay: float = 0.0  # seconds before the status line (a slow server)
    slow_times: int | None = None  # ... for this many requests, then at once (None: always)
    fail_times: int = 0  # answer `fail_status` this many times first
    fail_status: int = 503
    trickle: float = 0.0  # seconds between 64 kB chunks of the body
    cut_at: int | None = None  # announce the whole length, send this many bytes, close
    length: int | None = None  # a Content-Length other than the body's
    headers: dict[str, str] = field(default_factory=dict)


def _renamed(body: bytes, old: str, new: str) -> bytes:
    head, rest = body.split(b"\n", 1)
    assert old.encode() in head
    return head.replace(old.encode(), new.encode()) + b"\n" + rest


SIGN_IN = (
    b"<!DOCTYPE html><html lang='en'><head><title>Sign in - Google Accounts</title></head>"
    b"<body><form action='/signin'>Email or phone</form></body></html>"
)


@cache
def bad_answers() -> dict[str, tuple[Route, str, dict, int | None]]:
    """Every bad answer of issue 26 (item 3) for a source `sheet` of the current layout whose last
    import had 40 rows: name -> (route, part of the reason, extra sources.toml fields, requests
    the refresh makes: None for a redirect loop, a few)."""
    return {
    # name: (route, expected part of the reason, extra sources fields, requests made)
    "sign-in page with 200": (Route(SIGN_IN, content_type="text/html; charset=utf-8"), "an HTML page titled 'Sign in - Google Accounts'", {}, 1),
    "html labelled as csv": (Route(b"\n  <html><body>File moved</body></html>"), "an HTML page", {}, 1),
    "403": (Route(b"no", status=403), "HTTP 403 Forbidden", {}, 1),
    "404": (Route(b"gone", status=404), "HTTP 404 Not Found", {}, 1),
    "500, retried": (Route(b"oops", status=500), "HTTP 500 Internal Server Error (tried 3 times)", {}, 3),
    "redirect loop": (Route(status=302, location="/bad/redirect-loop"), "redirect loop", {}, None),
    "cut short": (Route(current_extract(40), cut_at=50_000), "cut short: ", {}, 1),
    "content-length mismatch": (Route(current_extract(40), length=len(current_extract(40)) + 10), "Content-Length announced", {}, 1),
    "empty": (Route(b""), "empty answer", {}, 1),
    "over the size limit": (Route(current_extract(40)), "over the size limit", {"max_bytes": 100_000}, 1),
    "renamed column": (Route(_renamed(current_extract(40), "Completion (End Of Term)", "Completion at the end")), "layout drifted: column(s) 'Completion (End Of Term)'", {}, 1),
    "renamed required column": (Route(_renamed(current_extract(40), "Commitment Title", "Commitment Name")), "misses required column(s): Commitment Title", {}, 1),
    "another layout": (Route(legacy_extract(40)), "layout drifted: expected the current layout", {}, 1),
    "shrunk below half": (Route(current_extract(19)), "held back: 19 rows, less than half of the 40", {}, 1),
    "slow": (Route(current_extract(40), delay=3.0), "timed out after 1 s (tried 3 times)", {}, 3),
    "not an export": (Route(b"a,b,c\n1,2,3\n"), "not a recognised OGP export", {}, 1),
    }  # fmt: skip


class Origin:
    """`with Origin() as web: web.routes["/x.csv"] = Route(body); web.url("/x.csv")`."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.bytes_sent = 0
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                origin.requests.append((self.path, dict(self.headers.items())))
                route = origin.routes.get(self.path)
                if route is None:
                    return self._send(404, b"<html><title>Not Found</title></html>", "text/html")
                if route.delay and (route.slow_times is None or route.slow_times > 0):
                    if route.slow_times:
                        route.slow_times -= 1
                    time.sleep(route.delay)
                if route.fail_times > 0:
                    route.fail_times -= 1
                    return self._send(route.fail_status, b"<html><title>Busy</title></html>", "text/html")
                if route.location:
                    self.send_response(route.status)
                    self.send_header("Location", route.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                validators = {}
                if route.etag:
                    validators["ETag"] = route.etag
                if route.last_modified:
                    validators["Last-Modified"] = route.last_modified
                inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
                if (route.etag and inm == route.etag) or (
                    not route.etag and route.last_modified and ims == route.last_modified
                ):
                    self.send_response(304)
                    for k, v in validators.items():
                        self.send_header(k, v)
                    self.end_headers()
                    return None
                return self._send(route.status, route.body, route.content_type, route, validators)

            def _send(self, status, body, content_type, route: Route | None = None, extra=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                length = route.length if route and route.length is not None else len(body)
                self.send_header("Content-Length", str(length))
                for k, v in {**(extra or {}), **(route.headers if route else {})}.items():
                    self.send_header(k, v)
                if route and route.cut_at is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                send = body if not route or route.cut_at is None else body[: route.cut_at]
                for i in range(0, len(send), 1 << 16):
                    if route and route.trickle and i:
                        time.sleep(route.trickle)
                    try:
                        self.wfile.write(send[i : i + (1 << 16)])
                        self.wfile.flush()
                    except OSError:
                        return
                    origin.bytes_sent += len(send[i : i + (1 << 16)])
                if route and (route.cut_at is not None or route.length is not None):
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> Origin:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """A real SMTP server (aiosmtpd) on loopback that keeps every message it receives."""

    def __init__(self, login: tuple[str, str] | None = None, tls: tuple[Path, Path] | None = None):
        """`login`: (user, password) the server requires (AUTH PLAIN/LOGIN); `tls`: (certificate,
        key) for STARTTLS, which the server then requires before anything else."""
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages: list = []
        self.logins: list[tuple[str, str]] = []
        box = self

        def authenticate(server, session, envelope, mechanism, auth_data):
            user, password = auth_data.login.decode(), auth_data.password.decode()
            box.logins.append((user, password))
            return AuthResult(success=(user, password) == login, handled=False)  # False: answer 535

        class Keep:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
                msg = message_from_bytes(envelope.content, policy=policy.default)
                box.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 OK"

        with socket.socket() as probe:  # a free port (aiosmtpd's Controller connects to it to start)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        auth = (
            {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False} if login else {}
        )
        if tls:
            import ssl

            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            auth |= {"tls_context": context, "require_starttls": True}
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port, **auth)

    def env(self, to: str = "staff@example.org, lead@example.org") -> dict[str, str]:
        return {
            "OGP_SMTP_HOST": "127.0.0.1",
            "OGP_SMTP_PORT": str(self.port),
            "OGP_DIGEST_TO": to,
            "OGP_DIGEST_FROM": "dashboard@example.org",
        }

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, by relative path: 'byte for byte unchanged'."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def self_signed(folder: Path, host: str = "localhost") -> tuple[Path, Path]:
    """A certificate for `host` and its key, made by the openssl command."""
    cert, key = folder / "smtp.pem", folder / "smtp.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=DNS:{host}", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key
