"""How `streamlit run dashboard.py` serves the dashboard (ogp/app/host.py): Streamlit's `st.App`,
found in dashboard.py, whose pages say where their server is and whose first session runs in
st.navigation mode. The browser half (a fresh server's first deep link: no failed request, no
dialog) is tests/browser/test_deep_links.py."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ogp.app import host

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = host.base_url_script("")
INDEX = b'<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8" /><title>Streamlit</title></head></html>'


def test_streamlit_run_finds_the_app_in_dashboard_py():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:app"


def test_importing_dashboard_as_streamlit_run_does_builds_the_app_and_leaves_file_pages():
    """What `streamlit run` does before its first session: import dashboard.py as a module."""
    code = (
        "import dashboard\n"
        "from streamlit.runtime.pages_manager import PagesManager\n"
        "from streamlit.web.server.starlette.starlette_app import App\n"
        "import uvicorn.server\n"
        "print(type(dashboard.app) is App, PagesManager.uses_pages_directory,\n"
        "      getattr(uvicorn.server.Server, '_ogp_no_nagle', False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False", "True"], out.stdout + out.stderr
    assert "No runtime found" not in out.stderr  # nothing cached is built before the runtime


@pytest.mark.parametrize(
    "path,page",
    [
        ("/", True),
        ("/map", True),
        ("/anti-corruption", True),
        ("/members", True),
        ("/index.html", True),
        ("/_stcore/health", False),
        ("/_stcore/host-config", False),
        ("/static/js/index.abc.js", False),
        ("/media/0123.csv", False),
        ("/app/static/countries.json", False),
        ("/favicon.png", False),
    ],
)
def test_only_pages_are_rewritten(path, page):
    assert host.is_page_request({"type": "http", "method": "GET", "path": path}) is page


def test_under_a_base_path_the_pages_are_under_it():
    assert host.is_page_request({"type": "http", "method": "GET", "path": "/ogp/map"}, "/ogp")
    assert not host.is_page_request({"type": "http", "method": "GET", "path": "/ogp/_stcore/health"}, "ogp/")
    assert b'location.origin + "/ogp/"' in host.base_url_script("/ogp/")
    assert b'location.origin + "/"' in host.base_url_script("")


def test_websocket_and_posts_pass_untouched():
    assert not host.is_page_request({"type": "websocket", "path": "/_stcore/stream"})
    assert not host.is_page_request({"type": "http", "method": "POST", "path": "/map"})


def run_asgi(app, scope) -> tuple[dict, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # In a thread of its own: Playwright's sync API (the browser tests' session) keeps an event
    # loop running in this one, where asyncio.run refuses to start.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start, body


def fake_streamlit(chunks: list[bytes], content_type: bytes = b"text/html; charset=utf-8"):
    """An app that answers like Streamlit's static route: the page in chunks, with its length
    and an ETag; it records the request headers it got."""
    seen: dict = {}

    async def app(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        total = sum(len(c) for c in chunks)
        headers = [
            (b"content-type", content_type),
            (b"content-length", str(total).encode()),
            (b"etag", b'"1"'),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, c in enumerate(chunks):
            await send({"type": "http.response.body", "body": c, "more_body": i < len(chunks) - 1})

    return app, seen


def page_scope(path="/anti-corruption"):
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "headers": [(b"accept-encoding", b"gzip, br"), (b"accept", b"text/html")],
    }


def test_a_page_says_where_its_server_is_once_with_its_new_length():
    app, seen = fake_streamlit([INDEX[:30], INDEX[30:]])
    start, body = run_asgi(host.BaseUrlInPages(app), page_scope())
    assert body.startswith(b'<!DOCTYPE html><html lang="en"><head>' + SCRIPT)
    assert body.count(b"BACKEND_BASE_URL") == 1
    headers = dict(start["headers"])
    assert int(headers[b"content-length"]) == len(body) == len(INDEX) + len(SCRIPT)
    assert b"etag" not in headers  # the old tag named the unedited file
    assert b"accept-encoding" not in seen["headers"]  # asked uncompressed, so it can be edited


def test_a_page_that_already_says_it_is_not_edited_twice():
    once = host.with_base_url(INDEX, SCRIPT)
    assert host.with_base_url(once, SCRIPT) == once


def test_files_and_other_types_pass_untouched_and_keep_compression():
    app, seen = fake_streamlit([b"console.log(1)"], content_type=b"application/javascript")
    start, body = run_asgi(host.BaseUrlInPages(app), page_scope("/static/js/index.js"))
    assert body == b"console.log(1)" and dict(start["headers"])[b"etag"] == b'"1"'
    assert seen["headers"][b"accept-encoding"] == b"gzip, br"
    app, _ = fake_streamlit([b'{"a": 1}'], content_type=b"application/json")
    start, body = run_asgi(host.BaseUrlInPages(app), page_scope("/data"))  # a page path, not HTML
    assert body == b'{"a": 1}'


def test_a_generated_download_outlives_the_sweeps_until_its_grace_ends(monkeypatch):
    """Under load a CSV made on click 404'd (tests/test_load.py in CI): Streamlit keeps no session
    reference to a generated file and every ended script run sweeps it (mark, then delete), so two
    other sessions' runs between the URL and the fetch deleted it. ogp.app.host keeps it for its grace."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    host.keep_fresh_downloads()
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    placeholder = manager.add_deferred(lambda: b"member,commitments\nGBR,63\n", "text/csv", "coord", "x.csv")
    url = manager.execute_deferred(placeholder)
    generated = url.rsplit("/", 1)[-1].split(".", 1)[0]
    for _ in range(3):  # other sessions' script runs end before the browser's GET arrives
        manager.remove_orphaned_files()
    assert manager._storage.get_file(generated).content == b"member,commitments\nGBR,63\n"

    later = time.monotonic() + host.DOWNLOAD_GRACE_S + 1
    monkeypatch.setattr(host.time, "monotonic", lambda: later)
    manager.remove_orphaned_files()  # marked long ago, past its grace: gone
    with pytest.raises(MediaFileStorageError):
        manager._storage.get_file(generated)


def test_a_readers_connection_has_nagles_algorithm_off():
    """Streamlit binds its socket itself with protocol 0, for which asyncio leaves Nagle on: a
    rerun's second message then waited for the reader's delayed ACK (40 ms). With host.no_nagle
    (installed by dashboard.py) the connection uvicorn accepts has TCP_NODELAY."""
    import socket

    import uvicorn

    async def app(scope, receive, send):  # never reached: the request below is never finished
        raise AssertionError(scope)

    async def accepted_connection_nodelay() -> tuple[int, int]:
        host.no_nagle()
        config = uvicorn.Config(app, lifespan="off", log_level="warning")
        config.load()
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)  # as uvicorn's Server._serve does
        listening = socket.socket(socket.AF_INET)  # as streamlit's starlette_server._bind_socket
        listening.bind(("127.0.0.1", 0))
        await server.startup(sockets=[listening])
        try:
            reader, writer = await asyncio.open_connection(*listening.getsockname())
            writer.write(b"GET / HTTP/1.1\r\n")  # a request still arriving: the connection stays open
            await writer.drain()
            for _ in range(200):
                if server.server_state.connections:
                    break
                await asyncio.sleep(0.01)
            (connection,) = server.server_state.connections
            sock = connection.transport.get_extra_info("socket")
            writer.close()
            return sock.proto, sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        finally:
            await server.shutdown(sockets=[listening])
            listening.close()

    with ThreadPoolExecutor(1) as pool:  # a thread of its own: the browser tests leave a loop running here
        proto, nodelay = pool.submit(asyncio.run, accepted_connection_nodelay()).result()
    assert proto == 0  # the case asyncio's own _set_nodelay skips
    assert nodelay == 1
