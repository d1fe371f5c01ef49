"""A protocol-level Streamlit client: one websocket session that asks for reruns the way a
browser does and times them, with no browser. Used by the rerun benchmark (ogp/ops/bench.py),
the load generator (ogp/ops/load.py) and the fault tests.

    with Session("http://127.0.0.1:8501") as s:
        r = s.rerun("map", "measure=starred")   # page url_path ("" = default page), query
        r.seconds, r.bytes, r.exceptions

The client opens `ws://HOST/_stcore/stream` with subprotocol `streamlit` and an `Origin`
header, sends `BackMsg.rerun_script` (a `ClientState` with `page_name` and `query_string`,
plus the hashes of the large messages it already holds, as the browser's cache does) and reads
`ForwardMsg`s until a `script_finished` that is not "finished early for a rerun". An
`exception` element in the run, a `page_not_found` or a compile error is recorded on the
result (`Rerun.failure`). The websocket is one blocking socket driven by the sans-I/O protocol
of `websockets` (`Socket`), so it runs in plain threads and, monkey-patched, in Locust's
greenlets."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus
CACHE_HASHES = 2000  # message hashes the client keeps (the browser keeps a bounded cache too)


@dataclass
class Download:
    label: str
    seconds: float = 0.0
    bytes: int = 0
    error: str | None = None


class StreamError(Exception):
    """The websocket closed or timed out before the rerun finished."""


@dataclass
class Rerun:
    page: str
    query: str
    seconds: float = 0.0
    bytes: int = 0
    messages: int = 0
    elements: int = 0
    exceptions: list[str] = field(default_factory=list)
    not_found: bool = False
    compile_error: bool = False

    @property
    def failure(self) -> str | None:
        """Why this rerun counts as failed for a user, or None."""
        if self.exceptions:
            return "exception on page: " + self.exceptions[0][:200]
        if self.not_found:
            return "page not found"
        if self.compile_error:
            return "script compile error"
        return None


def ws_url(base_url: str) -> str:
    parts = urlsplit(base_url.rstrip("/"))
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream"


def origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


class Socket:
    """A websocket on one blocking socket, driven by the sans-I/O protocol of `websockets` (the
    package Streamlit ships): no background thread, so it is safe in plain threads and in
    gevent's greenlets alike (websockets' own sync client reads in a thread, and closing it
    from a greenlet crashed gevent's event loop)."""

    def __init__(self, url: str, *, origin: str, subprotocol: str, headers: dict, timeout: float):
        import socket

        from websockets.client import ClientProtocol
        from websockets.http11 import Response
        from websockets.typing import Origin, Subprotocol
        from websockets.uri import parse_uri

        uri = parse_uri(url)
        self.protocol = ClientProtocol(
            uri, origin=Origin(origin), subprotocols=[Subprotocol(subprotocol)], max_size=None
        )
        self.sock = socket.create_connection((uri.host, uri.port), timeout=timeout)
        # No Nagle (as browsers): else a small rerun request can wait for the server's delayed
        # ACK (40 ms on Linux), which would be timed as the rerun's.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending: list = []
        self.parts: list[bytes] = []
        request = self.protocol.connect()
        for name, value in headers.items():
            request.headers[name] = value
        self.protocol.send_request(request)
        self._flush()
        deadline = time.monotonic() + timeout
        response: Response | None = None
        while response is None:
            self._read(deadline)
            for event in self.protocol.events_received():
                if response is None and isinstance(event, Response):  # the handshake's answer
                    response = event
                else:
                    self.pending.append(event)
        self.response = response
        if self.protocol.handshake_exc is not None:
            self.sock.close()
            raise StreamError(f"websocket refused: {self.protocol.handshake_exc}")

    def _flush(self) -> None:
        data = b"".join(self.protocol.data_to_send())
        if data:
            self.sock.sendall(data)

    def _read(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no data from the server in time")
        self.sock.settimeout(left)
        data = self.sock.recv(262144)
        if data:
            self.protocol.receive_data(data)
        else:
            self.protocol.receive_eof()
        self._flush()  # pongs, close frames

    def send(self, data: bytes) -> None:
        self.protocol.send_binary(data)
        self._flush()

    def recv(self, timeout: float) -> bytes:
        """The next whole message (binary or text, as received)."""
        from websockets.frames import Opcode

        deadline = time.monotonic() + timeout
        while True:
            while self.pending:
                frame = self.pending.pop(0)
                if frame.opcode in (Opcode.BINARY, Opcode.TEXT, Opcode.CONT):
                    self.parts.append(frame.data)
                    if frame.fin:
                        data, self.parts = b"".join(self.parts), []
                        return data
                elif frame.opcode is Opcode.CLOSE:
                    raise ConnectionError(f"closed by the server ({self.protocol.close_code})")
            if self.protocol.close_expected() or self.protocol.state.name == "CLOSED":
                raise ConnectionError("connection closed")
            self._read(deadline)
            self.pending.extend(self.protocol.events_received())

    def close(self) -> None:
        try:
            if self.protocol.state.name == "OPEN":
                self.protocol.send_close()
                self._flush()
        except OSError:
            pass
        finally:
            self.sock.close()


class Session:
    """One Streamlit session (one websocket), like one browser tab."""

    def __init__(self, base_url: str, *, timeout: float = 120.0, open_timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.open_timeout = open_timeout
        self.ws: Socket | None = None
        self.session_id: str | None = None
        self.hashes: OrderedDict[str, None] = OrderedDict()
        self.page_hashes: dict[str, str] = {}  # url_path -> page_script_hash (st.navigation)
        self.on_message = None  # optional callable(ForwardMsg), for tests and probes
        self.cookies: dict[str, str] = {}  # e.g. nginx's routing cookie: keeps us on one replica
        self.downloads: dict[str, str] = {}  # download button label -> deferred file id or URL
        self.replica: str | None = None  # X-OGP-Replica of the websocket's handshake (ogp serve)
        self._request_id = 0

    def connect(self) -> Session:
        self.ws = ws = Socket(
            ws_url(self.base_url),
            origin=origin(self.base_url),
            subprotocol="streamlit",
            headers=self._cookie_header(),
            timeout=self.open_timeout,
        )
        headers = ws.response.headers
        tried = headers.get("X-OGP-Replica")  # nginx's $upstream_addr: every replica it tried
        self.replica = tried.split(",")[-1].strip() if tried else None
        for value in headers.get_all("Set-Cookie"):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0].strip()
        return self

    def _cookie_header(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def __enter__(self) -> Session:
        return self if self.ws else self.connect()

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close()
            except Exception:
                pass
            self.ws = None

    def _live(self) -> Socket:
        """The open websocket (the callers' `except Exception` turns a closed one into StreamError)."""
        if self.ws is None:
            raise ConnectionError("no open websocket")
        return self.ws

    def send_rerun(self, page: str = "", query: str = "") -> None:
        """Ask for a rerun without waiting for it (see read_until_finished). The URL decides
        the value of every widget bound to it (as on the browser's back/forward), so a rerun
        shows exactly the view of `page?query`, on a new session or an existing one."""
        if self.ws is None:
            self.connect()
        msg = BackMsg()
        self.downloads.clear()  # the buttons of the page about to run
        msg.rerun_script.page_name = page
        if page in self.page_hashes:  # as the browser does once it knows the app's pages
            msg.rerun_script.page_script_hash = self.page_hashes[page]
        msg.rerun_script.query_string = query
        msg.rerun_script.is_history_navigation = True
        msg.rerun_script.widget_states.SetInParent()
        msg.rerun_script.cached_message_hashes.extend(self.hashes)
        try:
            self._live().send(msg.SerializeToString())
        except Exception as exc:  # closed by the server or the network
            raise StreamError(f"websocket closed: {type(exc).__name__}: {exc}") from exc

    def rerun(self, page: str = "", query: str = "") -> Rerun:
        """Ask for a rerun of `page` with `query` and wait until the script has finished."""
        t0 = time.perf_counter()
        self.send_rerun(page, query)
        result = self.read_until_finished(Rerun(page, query))
        result.seconds = time.perf_counter() - t0
        return result

    def read_until_finished(self, result: Rerun) -> Rerun:
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StreamError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = self._live().recv(timeout=left)
            except TimeoutError as exc:
                raise StreamError(f"no script_finished within {self.timeout:.0f} s") from exc
            except Exception as exc:  # closed by the server or the network
                raise StreamError(f"websocket closed: {type(exc).__name__}: {exc}") from exc
            if isinstance(data, str):
                continue
            result.bytes += len(data)
            result.messages += 1
            msg = ForwardMsg()
            msg.ParseFromString(data)
            if msg.metadata.cacheable and msg.hash:
                self.hashes[msg.hash] = None
                self.hashes.move_to_end(msg.hash)
                while len(self.hashes) > CACHE_HASHES:
                    self.hashes.popitem(last=False)
            if self.on_message is not None:
                self.on_message(msg)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id or self.session_id
            elif kind == "navigation":
                for p in msg.navigation.app_pages:  # the proto field (not the pages/ folder)
                    self.page_hashes[p.url_pathname] = p.page_script_hash
            elif kind == "delta":
                if msg.delta.WhichOneof("type") == "new_element":
                    result.elements += 1
                    el = msg.delta.new_element
                    if el.WhichOneof("type") == "download_button":
                        b = el.download_button
                        self.downloads[b.label] = b.deferred_file_id or b.url
                    if el.WhichOneof("type") == "exception":
                        e = el.exception
                        result.exceptions.append(f"{e.type}: {e.message}".strip(": ") or "exception")
            elif kind == "ref_hash":
                result.elements += 1
            elif kind == "page_not_found":
                result.not_found = True
            elif kind == "script_finished":
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun / st.switch_page: the next run follows on the same socket
                result.compile_error = status == FINISHED.FINISHED_WITH_COMPILE_ERROR
                return result

    def download(self, label_start: str, timeout: float | None = None) -> Download:
        """Press the last rerun's download button whose label starts with `label_start`, as the
        browser does: a deferred file is generated on request (BackendOperationRequest), then
        its URL is fetched over HTTP from the same server (nginx keeps it on this replica)."""
        import urllib.request

        label = next((k for k in self.downloads if k.startswith(label_start)), None)
        result = Download(label or label_start)
        if label is None:
            result.error = f"no download button {label_start!r} on the page"
            return result
        t0 = time.perf_counter()
        target = self.downloads[label]
        url = target if target.startswith("/") or "://" in target else None
        if url is None:  # a deferred file: ask the server to make it
            self._request_id += 1
            request_id = f"load-{self._request_id}"
            msg = BackMsg()
            op = msg.backend_operation_request
            op.request_id = request_id
            if self.session_id:
                op.session_id = self.session_id
            op.deferred_file.file_id = target
            try:
                self._live().send(msg.SerializeToString())
            except Exception as exc:
                raise StreamError(f"websocket closed: {type(exc).__name__}: {exc}") from exc
            deadline = time.monotonic() + (timeout or self.timeout)
            while url is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    result.error = "no answer to the download request"
                    return result
                try:
                    data = self._live().recv(timeout=left)
                except Exception as exc:
                    raise StreamError(f"websocket closed: {type(exc).__name__}: {exc}") from exc
                reply = ForwardMsg()
                reply.ParseFromString(data)
                if reply.WhichOneof("type") != "backend_operation_response":
                    continue
                answer = reply.backend_operation_response
                if answer.request_id != request_id:
                    continue
                if answer.error_msg:
                    result.error = answer.error_msg
                    return result
                url = answer.deferred_file.url
        full = url if "://" in url else self.base_url + "/" + url.lstrip("/")
        request = urllib.request.Request(full, headers=self._cookie_header())
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as r:
                result.bytes = len(r.read())
        except OSError as exc:
            result.error = f"GET {url}: {exc}"
        result.seconds = time.perf_counter() - t0
        return result
