"""How `streamlit run dashboard.py` serves the dashboard: Streamlit's own ASGI app (`st.App`,
found in dashboard.py by `streamlit run`) with one middleware and one start-up setting that a
plain script cannot have. Both concern a reader who opens a page by its URL (`/map`,
`/anti-corruption?region=Europe`), the way every shared link is opened:

- Streamlit's frontend does not know where the server lives, so it probes the page's own path
  first (`/<page>/_stcore/health`, `/<page>/_stcore/host-config`: two 404s for every deep link,
  streamlit/streamlit#7074) unless the page sets `window.__streamlit.BACKEND_BASE_URL`. The
  middleware writes that line into the page's HTML, so every link works on the first probe, behind
  a proxy or not.
- A fresh process decides on its first session whether it runs Streamlit's old file-based pages
  (a `pages/` folder beside the entry point) and, since it has one, looks a deep link's page up
  among `pages/*.py`, does not find it and answers "Page not found" above the page. Every page is
  registered with `st.navigation` (dashboard.py), so the process is told so before anyone comes.

And one correction to how Streamlit 1.67 talks to a browser: Nagle's algorithm is off on its
connections (`no_nagle`), so a rerun's messages never wait for the browser's delayed ACK.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]

# Streamlit's own routes: never a page, so never rewritten.
RESERVED = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/auth/")


def base_url_script(base_path: str) -> bytes:
    """The line that tells Streamlit's frontend where its server is (the site's root, or
    `server.baseUrlPath` under it)."""
    path = "/" + "/".join(p for p in base_path.split("/") if p)
    path = path.rstrip("/") + "/"
    return (
        f'<script>window.__streamlit = {{BACKEND_BASE_URL: location.origin + "{path}"}};</script>'
    ).encode()


def is_page_request(scope: Scope, base_path: str = "") -> bool:
    """A GET for a page (HTML), not for Streamlit's own routes or a file."""
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    path: str = scope["path"]
    prefix = "/" + "/".join(p for p in base_path.split("/") if p)
    if prefix != "/" and path.startswith(prefix):
        path = path[len(prefix) :] or "/"
    if path.startswith(RESERVED):
        return False
    last = path.rsplit("/", 1)[-1]
    return "." not in last or last.endswith(".html")


def with_base_url(html: bytes, script: bytes) -> bytes:
    """The page with the script as the first thing in its head (once)."""
    if script in html:
        return html
    return html.replace(b"<head>", b"<head>" + script, 1)


class BaseUrlInPages:
    """ASGI middleware: pages come with `window.__streamlit.BACKEND_BASE_URL` set. Everything else
    (websocket, assets, media, health) passes through untouched; pages are asked for
    uncompressed so that their HTML can be edited (they are small, and revalidated each visit)."""

    def __init__(self, app: ASGIApp, base_path: str = "") -> None:
        self.app = app
        self.base_path = base_path
        self.script = base_url_script(base_path)

    async def __call__(self, scope: Scope, receive, send) -> None:
        if not is_page_request(scope, self.base_path):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        start: Message | None = None
        body: list[bytes] = []

        async def edit(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                received = dict((k.lower(), v) for k, v in message.get("headers", []))
                if received.get(b"content-type", b"").startswith(b"text/html"):
                    start = message  # held until the whole page is here
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            if scope["method"] == "GET":
                page = with_base_url(page, self.script)
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"etag")
            ]
            if scope["method"] == "GET":
                headers.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": page, "more_body": False})

        await self.app(scope, receive, edit)


def middleware() -> list:
    """The middleware of the dashboard's `st.App`; called when `streamlit run` imports
    dashboard.py to find its `app`, before the first session: every page is then in
    st.navigation, none comes from pages/*.py."""
    from starlette.middleware import Middleware
    from streamlit import config

    prepare_process()
    return [Middleware(BaseUrlInPages, base_path=config.get_option("server.baseUrlPath") or "")]


def prepare_process() -> None:
    """Every page is registered with st.navigation (dashboard.py): no page runs from pages/*.py
    on its own, not even in the process's first session. And a generated download lives long
    enough to be fetched (`keep_fresh_downloads`)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    keep_fresh_downloads()
    no_nagle()


def no_nagle() -> None:
    """Streamlit 1.67 binds its server socket itself (`socket.socket(family)`, protocol 0) and
    hands it to uvicorn; asyncio turns Nagle's algorithm off only for sockets whose protocol is
    `IPPROTO_TCP` (`asyncio.base_events._set_nodelay`), so every connection kept it on. A rerun
    sends a few small messages: the first went out, the next waited for the reader's ACK, which
    the reader's system may delay (40 ms at least on Linux, up to 200 ms on Windows). Here
    TCP_NODELAY is set on the
    listening socket before uvicorn serves it; Linux copies it to every accepted connection.
    Installed once per process, before the server starts (dashboard.py's `app` is imported by
    uvicorn before its start-up). bench/rerun_bench.py gives its bare page the same, so that the
    pages are compared with Streamlit on one transport."""
    import socket

    import uvicorn.server

    server = uvicorn.server.Server
    if getattr(server, "_ogp_no_nagle", False):
        return
    startup = server.startup

    async def startup_without_nagle(self, sockets=None):
        for sock in sockets or ():
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return await startup(self, sockets=sockets)

    server.startup = startup_without_nagle  # type: ignore[method-assign]  # patched on purpose: see the docstring
    server._ogp_no_nagle = True  # type: ignore[attr-defined]  # our mark: patched once per process


DOWNLOAD_GRACE_S = 60.0


def keep_fresh_downloads(grace_s: float = DOWNLOAD_GRACE_S) -> None:
    """A download made on click (a CSV, the Excel file, a member brief: `st.download_button` with a
    callable) is generated, its URL sent to the browser, and only then fetched. Streamlit 1.67
    keeps no session reference to that file, and every script run that ends, in any session,
    sweeps unreferenced files (the first sweep marks, the second deletes): under load two sweeps
    fall between the URL and the fetch and the reader gets a 404 (seen in the load test). Here a
    generated file is not deleted before it is `grace_s` old; a later sweep removes it. Installed
    once per process."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    if getattr(MediaFileManager, "_ogp_keeps_fresh_downloads", False):
        return
    born: dict[str, float] = {}
    execute, delete = MediaFileManager.execute_deferred, MediaFileManager._delete_file

    def execute_deferred(self, file_id: str) -> str:
        url = execute(self, file_id)
        born[url.rsplit("/", 1)[-1].split(".", 1)[0]] = time.monotonic()
        return url

    def _delete_file(self, file_id: str) -> None:
        made = born.get(file_id)
        if made is not None and time.monotonic() - made < grace_s:
            return  # still marked: the first sweep after its grace deletes it
        born.pop(file_id, None)
        delete(self, file_id)

    MediaFileManager.execute_deferred = execute_deferred  # type: ignore[method-assign]  # patched on purpose: see the docstring
    MediaFileManager._delete_file = _delete_file  # type: ignore[method-assign]  # patched on purpose: see the docstring
    MediaFileManager._ogp_keeps_fresh_downloads = True  # type: ignore[attr-defined]  # our mark: patched once per process
