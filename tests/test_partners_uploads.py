"""Agreement files: accepted by their content (PDF, DOCX, ODT, JPEG/PNG/WebP), never by name; stored under a
random name in their folder; sent back only to logged-in users, as an attachment; replaced and deleted cleanly."""
from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import PartnerAgreement, PartnerCity
from delegations.models.partners import PartnershipKind
from delegations.partners.documents import ODT_TYPE, document_path, recognise, safe_original_name
from tests.accounts import sign_in


def real_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buffer, format="PDF")  # a real one-page PDF
    return buffer.getvalue()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_TYPE)  # first and stored, as the standard asks
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def folder(app, tmp_path):
    app.config["PARTNER_DOCUMENT_DIR"] = str(tmp_path / "documents")
    return tmp_path / "documents"


@pytest.fixture
def poznan(app):
    city = PartnerCity(name="Poznań", country_code="PL", kind=PartnershipKind.TWINNING, since=date(1979, 10, 29),
                       since_day_known=True)
    db.session.add(city)
    db.session.commit()
    return city


def upload(client, city, data: bytes, filename: str, **values):
    return client.post(f"/partners/{city.id}/agreements/new", content_type="multipart/form-data", data={
        "title": "Partnerschaftsvertrag", "kind": "agreement", "signed_on": "1979-10-29",
        "document": (io.BytesIO(data), filename), **values})


def stored_files(folder) -> list[str]:
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_fake_pdf_is_refused_by_its_content_and_nothing_is_stored(client, poznan, folder):
    sign_in(client, "planner")
    for fake in (b"<html><script>alert(1)</script></html>", b"MZ\x90\x00 executable",
                 b"%PDF-1.7\n<script>no end marker</script>"):
        response = upload(client, poznan, fake, "Vertrag.pdf")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Only PDF, Word (DOCX), OpenDocument (ODT) and image files" in page
    assert stored_files(folder) == []
    assert db.session.scalars(select(PartnerAgreement)).first() is None


def test_a_real_pdf_is_stored_under_a_random_name_and_sent_back_as_an_attachment(client, app, poznan, folder):
    sign_in(client, "viewer", email="viewer@example.org")
    planner_client = app.test_client()
    sign_in(planner_client, "planner")
    data = real_pdf()
    response = upload(planner_client, poznan, data, "../../Vertrag Hannover–Poznań.pdf")
    assert response.status_code == 302
    agreement = db.session.scalars(select(PartnerAgreement)).one()
    assert agreement.file_type == "application/pdf" and agreement.file_bytes == len(data)
    assert agreement.file_original_name == "Vertrag-Hannover-Poznan.pdf"
    assert stored_files(folder) == [agreement.file_name] and agreement.file_name != "Vertrag.pdf"
    download = client.get(f"/partners/agreements/{agreement.id}/document")  # a viewer may read it
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "Vertrag-Hannover-Poznan.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]
    anonymous = app.test_client().get(f"/partners/agreements/{agreement.id}/document")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.mark.parametrize("data, name, content_type", [
    (docx(), "memorandum.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (odt(), "memorandum.odt", ODT_TYPE),
    (png(), "scan.png", "image/png"),
])
def test_word_opendocument_and_scans_are_accepted(client, poznan, folder, data, name, content_type):
    sign_in(client, "planner")
    assert upload(client, poznan, data, name).status_code == 302
    agreement = db.session.scalars(select(PartnerAgreement)).one()
    assert agreement.file_type == content_type
    assert agreement.file_original_name.endswith(name.rsplit(".", 1)[1])


def test_the_type_comes_from_the_content_not_the_name():
    assert recognise(real_pdf()) == ("application/pdf", "pdf")
    assert recognise(docx())[1] == "docx" and recognise(odt())[1] == "odt"
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    assert recognise(other_zip.getvalue()) is None
    assert safe_original_name("C:\\Users\\x\\..\\Vertrag.exe", "pdf") == "Vertrag.pdf"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(client, app, poznan, folder):
    app.config["PARTNER_DOCUMENT_MAX_BYTES"] = 1024 * 1024
    sign_in(client, "planner")
    big = real_pdf()[:-10] + b" " * (1024 * 1024) + b"\n%%EOF\n"
    page = upload(client, poznan, big, "big.pdf").get_data(as_text=True)
    assert "The file is larger than 1 MB" in page
    assert stored_files(folder) == []


def test_replacing_and_deleting_remove_the_old_file(client, poznan, folder):
    sign_in(client, "planner")
    upload(client, poznan, real_pdf(), "first.pdf")
    agreement = db.session.scalars(select(PartnerAgreement)).one()
    first = agreement.file_name
    response = client.post(f"/partners/agreements/{agreement.id}/edit", content_type="multipart/form-data", data={
        "title": "Partnerschaftsvertrag", "kind": "agreement", "version": agreement.version,
        "document": (io.BytesIO(docx()), "second.docx")})
    assert response.status_code == 302
    db.session.refresh(agreement)
    assert agreement.file_name != first and stored_files(folder) == [agreement.file_name]
    client.post(f"/partners/agreements/{agreement.id}/delete", data={"version": agreement.version})
    assert stored_files(folder) == []
    assert db.session.scalars(select(PartnerAgreement)).first() is None


def test_only_names_the_module_wrote_are_served(folder):
    os.makedirs(folder, exist_ok=True)
    (folder / "notes.txt").write_text("secret")
    assert document_path(str(folder), "../notes.txt") is None
    assert document_path(str(folder), "notes.txt") is None
    assert document_path(str(folder), "") is None
