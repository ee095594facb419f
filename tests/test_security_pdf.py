"""PDFs fetch nothing they should not: a live server on 127.0.0.1 (standing in for an internal address such
as 169.254.169.254) counts every request a render makes, and the answer must be none; local files outside
the static folder stay unread however the URL is spelt; every render finishes quickly.

(tests/test_printing_pdf.py and tests/test_printing_documents.py hold the printing helper's own checks.)
"""
from __future__ import annotations

import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from delegations.constants import Role
from delegations.extensions import db
from delegations.printing.pdf import render_pdf
from tests.accounts import sign_in
from tests.printing_data import make_visit, pdf_catalog, pdf_text

STATIC = Path(__file__).resolve().parent.parent / "delegations" / "static"
SECRET_FILE_MARK = "root:x:0:0"


class Trap(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        Trap.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        body = b"p { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def trap():
    Trap.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def hostile_document(host: str) -> str:
    svg = (f"data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' "
           f"xmlns:xlink='http://www.w3.org/1999/xlink'><image href='http://{host}/svg-image' "
           f"xlink:href='file:///etc/passwd' width='9' height='9'/></svg>")
    return f"""<!doctype html><html lang="en"><head><title>x</title>
<base href="file:///etc/">
<link rel="stylesheet" href="http://{host}/stylesheet.css">
<link rel="stylesheet" href="//{host}/protocol-relative.css">
<link rel="stylesheet" href="http://{host}/redirect">
<link rel="attachment" href="http://{host}/attachment">
<link rel="attachment" href="passwd">
<meta http-equiv="refresh" content="0; url=http://{host}/refresh">
<style>
@import url("http://{host}/import.css");
@import "FILE:///etc/passwd";
@font-face {{ font-family: Evil; src: url("http://{host}/font.woff2"), url("file:///etc/passwd"); }}
body {{ font-family: Evil; background: url("http://{host}/background.png"); }}
h1 {{ background-image: url("file://localhost/etc/passwd"); }}
</style></head><body>
<h1>Still rendered</h1>
<p style="background: url('http://{host}/inline-style.png')">inline</p>
<img src="http://{host}/image.png" alt="x">
<img src="http://169.254.169.254/latest/meta-data/" alt="x">
<img src="file:///%65tc/passwd" alt="x"><img src="file:///static/../../../../etc/passwd" alt="x">
<img src="File:///etc/passwd" alt="x"><img src="/proc/self/environ" alt="x"><img src="/dev/urandom" alt="x">
<img src="{svg}" alt="x">
<object data="http://{host}/object"></object><embed src="http://{host}/embed"><iframe src="http://{host}/iframe"></iframe>
<video poster="http://{host}/poster.png"></video><audio src="http://{host}/audio.mp3"></audio>
<a href="http://{host}/link">a link is printed, not fetched</a>
</body></html>"""


@pytest.mark.parametrize("isolate", [True, False], ids=["child process", "in process"])
def test_no_render_touches_the_network_or_a_file_outside_static(trap, isolate):
    started = time.perf_counter()
    rendered = render_pdf(hostile_document(trap), static_root=STATIC, timeout=20, isolate=isolate)
    assert time.perf_counter() - started < 20
    assert Trap.hits == [], f"the renderer fetched {Trap.hits}"
    assert not [url for url in rendered.fetched if not url.startswith(("data:", STATIC.as_uri()))]
    assert any(trap in url for url in rendered.refused)
    assert SECRET_FILE_MARK.encode() not in rendered.data
    assert not pdf_catalog(rendered.data)["attachments"]
    assert "Still rendered" in pdf_text(rendered.data)


def test_a_redirect_would_not_be_followed_even_if_http_were_allowed(trap):
    from delegations.printing.pdf import _fetcher_class

    fetcher = _fetcher_class()(STATIC)
    with pytest.raises(ValueError):
        fetcher.fetch(f"http://{trap}/redirect")
    assert Trap.hits == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "FILE:///etc/passwd", "file://localhost/etc/passwd",
                                 "file:///%65tc/passwd", f"{STATIC.as_uri()}/../../../../etc/passwd",
                                 f"{STATIC.as_uri()}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "file://evil.example.org/share/x.css", "file:///dev/urandom",
                                 "file:///proc/self/environ", "gopher://127.0.0.1:6379/_INFO",
                                 "ftp://127.0.0.1/x", "jar:file:///x!/y"])
def test_the_fetcher_refuses_every_spelling_of_an_outside_file(url):
    from delegations.printing.pdf import _fetcher_class

    fetcher = _fetcher_class()(STATIC)
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_apps_own_stylesheet():
    from delegations.printing.pdf import _fetcher_class

    fetcher = _fetcher_class()(STATIC)
    response = fetcher.fetch(f"{STATIC.as_uri()}/css/print.css")
    assert response is not None and fetcher.fetched


def test_texts_from_the_database_reach_the_pdf_as_text(client, app, tmp_path, trap):
    """Payloads in every field a planner (or an imported list) can fill, through the app's own documents."""
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), PUBLIC_BASE_URL="https://planner.example.org")
    visit = make_visit("en")
    payload = (f'<img src="http://{trap}/img"><link rel="attachment" href="file:///etc/passwd">'
               f'<style>@import url(http://{trap}/import.css);</style>')
    visit.delegation.title = "Visit " + payload
    visit.delegation.hotel = payload
    visit.reception.description = payload
    visit.reception.dress_code = payload
    visit.reception.venue.name = "Hall " + payload
    visit.lead.name = "Lead " + payload
    db.session.commit()
    sign_in(client, Role.PLANNER)
    for path in (f"/delegations/{visit.delegation.id}/programme.pdf?lang=en",
                 f"/delegations/{visit.delegation.id}/briefing.pdf", "/printing/week.pdf?week=2027-W19"):
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, path
        assert time.perf_counter() - started < 30
        assert not pdf_catalog(response.data)["attachments"], path
        assert SECRET_FILE_MARK not in pdf_text(response.data)
    assert Trap.hits == []
    text = re.sub(r"\s+", " ", pdf_text(client.get(f"/delegations/{visit.delegation.id}/programme.pdf?lang=en").data))
    assert f'<img src="http://{trap}/img">' in text
