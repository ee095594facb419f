"""The HTML-to-PDF module alone: it reads only our static files, stops slow renders, writes tagged PDFs."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from delegations.printing.cache import PdfCache, document_key
from delegations.printing.pdf import RenderTimeout, render_pdf
from tests.printing_data import pdf_catalog, pdf_text

STATIC = Path(__file__).resolve().parent.parent / "delegations" / "static"

HOSTILE = """<!doctype html><html lang="en"><head><title>Hostile</title>
<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
<link rel="stylesheet" href="https://example.org/evil.css">
<style>@import url("file:///etc/passwd"); @import url("/dev/urandom");
body { background: url("file:///etc/hostname"); }</style>
<link rel="attachment" href="file:///etc/passwd">
<link rel="attachment" href="/dev/urandom">
</head><body>
<p>Still here</p>
<img src="file:///etc/passwd" alt="x"><img src="/dev/urandom" alt="x"><img src="../../../../../etc/shadow" alt="x">
<img src="http://169.254.169.254/latest/meta-data/iam" alt="x"><img src="ftp://example.org/x.png" alt="x">
<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>
</body></html>"""


def test_nothing_outside_the_static_folder_is_fetched_and_the_render_finishes_quickly():
    started = time.perf_counter()
    rendered = render_pdf(HOSTILE, static_root=STATIC, timeout=15)
    assert time.perf_counter() - started < 15
    assert rendered.fetched == ()
    refused = " ".join(rendered.refused)
    for target in ("169.254.169.254", "example.org/evil.css", "file:///etc/passwd", "file:///dev/urandom",
                   "file:///etc/shadow", "file:///etc/hostname"):
        assert target in refused
    catalog = pdf_catalog(rendered.data)
    assert not catalog["attachments"], "no file may be attached to the PDF"
    assert "Still here" in pdf_text(rendered.data)
    assert b"root:x:0:0" not in rendered.data


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "ok.css").write_text("p { color: #c4001a; }")
    (static / "css" / "leak.css").symlink_to("/etc/passwd")
    html = ('<html><head><link rel="stylesheet" href="css/ok.css"><link rel="stylesheet" href="css/leak.css">'
            '<link rel="stylesheet" href="css/../../outside.css"></head><body><p>x</p></body></html>')
    (tmp_path / "outside.css").write_text("p { color: red; }")
    rendered = render_pdf(html, static_root=static, isolate=False)
    assert [url for url in rendered.fetched if url.endswith("ok.css")]
    assert any(url.endswith("leak.css") for url in rendered.refused)
    assert any(url.endswith("outside.css") for url in rendered.refused)


def test_data_urls_are_allowed():
    svg = "data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'><rect width='4' height='4'/></svg>"
    rendered = render_pdf(f'<html lang="en"><body><img src="{svg}" alt="square"></body></html>', static_root=STATIC)
    assert rendered.refused == ()
    assert rendered.fetched and rendered.fetched[0].startswith("data:")


def test_a_render_over_its_time_limit_is_stopped():
    huge = "<html><body>" + "<table>" + "<tr><td>cell</td></tr>" * 20000 + "</table></body></html>"
    started = time.perf_counter()
    with pytest.raises(RenderTimeout):
        render_pdf(huge, static_root=STATIC, timeout=0.5)
    assert time.perf_counter() - started < 5
    # The stopped renderer is replaced: the next document renders as usual.
    assert b"%PDF" in render_pdf("<html><body><p>next</p></body></html>", static_root=STATIC).data[:8]


def test_the_pdf_is_tagged_with_title_and_language():
    html = '<!doctype html><html lang="de"><head><title>Programm für Gäste</title></head><body><h1>Hallo</h1></body></html>'
    catalog = pdf_catalog(render_pdf(html, static_root=STATIC).data)
    assert catalog["tagged"] and catalog["marked"]
    assert catalog["lang"] == "de"
    assert catalog["title"] == "Programm für Gäste"


def test_cache_keys_change_with_any_shown_text_and_old_files_are_pruned(tmp_path):
    first = document_key("programme", "<p>10:00 Empfang</p>", b"css")
    assert first == document_key("programme", "<p>10:00 Empfang</p>", b"css")
    assert first != document_key("programme", "<p>10:30 Empfang</p>", b"css")
    assert first != document_key("programme", "<p>10:00 Empfang</p>", b"css changed")
    assert first != document_key("briefing", "<p>10:00 Empfang</p>", b"css")
    cache = PdfCache(tmp_path, max_files=2)
    for number in range(3):
        cache.put(document_key("x", str(number)), b"%PDF-" + bytes([number]))
        time.sleep(0.01)
    assert len(list(tmp_path.glob("*.pdf"))) == 2
    assert cache.get(document_key("x", "0")) is None
    assert cache.get(document_key("x", "2")) == b"%PDF-\x02"
    with pytest.raises(ValueError):
        cache.path_for("../../etc/passwd")
