"""Place cards and table plans as PDFs: names in the guest's own script with real glyphs (Chinese, Japanese,
Russian, Arabic, Turkish), the fonts embedded, and the approved version marked."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from delegations.constants import Role
from delegations.extensions import db
from delegations.printing.documents import current_settings, render_html
from delegations.printing.pdf import render_pdf
from delegations.protocol import operations, queries
from delegations.protocol.printing import PLACE_CARDS, TABLE_PLAN, place_cards
from tests.accounts import sign_in
from tests.protocol_data import state_visit

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is needed")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    # Arabic comes out wrapped in direction marks: compare the letters only.
    return unicodedata.normalize("NFKC", text.decode("utf-8")).replace("\u202b", "").replace("\u202c", "")


def pdf_fonts(data: bytes, tmp_path) -> list[tuple[str, str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()[2:]
    return [(line.split()[0].split("+", 1)[-1], line) for line in lines if line.strip()]


@pytest.fixture
def seated_lunch():
    visit = state_visit()
    plan = operations.create_plan(visit.lunch, "Mittagessen im Hodlersaal", 3, 8, "round")
    operations.seat_automatically(plan, queries.offices_by_key())
    db.session.commit()
    return visit, plan


def test_place_cards_name_every_guest_in_their_own_script_with_real_glyphs(client, seated_lunch, tmp_path):
    visit, plan = seated_lunch
    sign_in(client, Role.VIEWER)
    response = client.get(f"/protocol/plans/{plan.id}/place-cards.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    for name in ("山田太郎 閣下", "松本 健一", "王丽", "Ерлан Нурланов", "Mehmet Güneş", "عمر الخطيب",
                 "Tarō Yamada", "Dr. Martin Weber"):
        assert name in text, name
    assert text.count("Draft – revision") == 20  # every card says it is not the approved plan
    fonts = {name for name, _line in pdf_fonts(response.data, tmp_path)}
    assert {"Noto-Sans-CJK-JP-Bold", "Noto-Sans-CJK-SC-Bold", "Noto-Naskh-Arabic-Bold", "Noto-Sans-Bold"} <= fonts
    assert all(" yes yes " in line for _name, line in pdf_fonts(response.data, tmp_path))  # embedded, subset


def test_no_glyph_is_missing_from_the_cards(app, seated_lunch):
    _visit, plan = seated_lunch
    settings = current_settings()
    rendered = render_pdf(render_html(PLACE_CARDS, plan, "en", settings), static_root=settings.static_root,
                          isolate=False)
    assert not [warning for warning in rendered.warnings if "notdef" in warning.lower()]
    assert rendered.refused == ()


def test_cards_follow_the_seating_and_use_the_form_of_address_in_the_guests_language(app, seated_lunch):
    visit, plan = seated_lunch
    cards = place_cards(operations.plan_state(plan, queries.offices_by_key()))
    assert len(cards) == 20
    first, second = cards[0], cards[1]
    assert (first.name, first.table, first.seat) == ("Dr. Martin Weber", "Herrenhausen", 1)
    assert (second.name, second.language, second.latin_name, second.function) == (
        "山田太郎 閣下", "ja", "Tarō Yamada", "駐ドイツ日本国特命全権大使")
    arabic = next(card for card in cards if card.latin_name == "Omar Al-Khatib")
    assert (arabic.name, arabic.direction) == ("عمر الخطيب", "rtl")


def test_the_table_plan_marks_the_approved_version(client, seated_lunch, tmp_path):
    _visit, plan = seated_lunch
    user = sign_in(client)
    draft = pdf_text(client.get(f"/protocol/plans/{plan.id}/plan.pdf?lang=en").data, tmp_path)
    assert "Draft – not approved" in draft and "Herrenhausen" in draft and "Leibniz" in draft
    assert "松本 健一" in draft and "Ерлан Нурланов" in draft
    client.post(f"/protocol/plans/{plan.id}/approve")
    approved = pdf_text(client.get(f"/protocol/plans/{plan.id}/plan.pdf?lang=en").data, tmp_path)
    assert "Approved version" in approved and user.display_name in approved
    assert "Draft" not in approved


def test_the_briefing_shows_how_to_greet_each_guest(client, seated_lunch, tmp_path):
    visit, _plan = seated_lunch
    sign_in(client, Role.VIEWER)
    text = pdf_text(client.get(f"/delegations/{visit.delegation.id}/briefing.pdf?lang=en").data, tmp_path)
    assert "How to greet the guests" in text
    assert "Herr Botschafter" in text and "山田大使" in text


def test_table_plan_is_a_registered_document(app):
    from delegations.printing.documents import REGISTRY

    assert REGISTRY["table-plan"] is TABLE_PLAN and REGISTRY["place-cards"] is PLACE_CARDS
