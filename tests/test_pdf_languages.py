"""Issue 11: in every printed document, text in another language than the document's sits in a structure element
whose /Lang says so, so that a screen reader switches voice (printing/tagging.py). Read from the PDF itself:
text of each marked-content sequence -> the structure element that owns it (ParentTree) -> the nearest /Lang."""
from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from delegations.demo import load_demo
from delegations.extensions import db
from delegations.models import Delegation, TablePlan
from tests.accounts import sign_in
from tests.pdf_ua import spoken_texts, structure


@pytest.fixture
def demo(app, client):
    load_demo()
    db.session.commit()
    sign_in(client, "admin", "languages-admin@example.org")
    delegations = db.session.scalars(select(Delegation).order_by(Delegation.id)).all()
    return {
        "chinese": next(d for d in delegations if "zh" in (d.languages or [])),
        "tour": next(d for d in delegations if d.is_outgoing and "ja" in (d.languages or [])),
        "plan": db.session.scalars(select(TablePlan).order_by(TablePlan.id)).first(),
    }


def pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    return response.data


def language_of(data: bytes, fragment: str) -> set[str]:
    """The languages in force for every tagged text that contains `fragment`."""
    found = {spoken.language for spoken in spoken_texts(data) if fragment in spoken.text}
    assert found, f"{fragment!r} is not among the tagged texts"
    return found


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_german_venues_in_the_chinese_programme_are_spoken_in_german(client, demo):
    data = pdf(client, f"/delegations/{demo['chinese'].id}/programme.pdf?lang=zh")
    assert str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"]) == "zh"
    assert language_of(data, "Rathaus") == {"de"}
    texts = spoken_texts(data)
    # the Chinese item titles keep the document's language
    chinese = [spoken for spoken in texts if has_chinese(spoken.text)]
    assert chinese and all(spoken.language == "zh" for spoken in chinese)


def test_the_german_title_of_an_english_programme_is_marked_german_on_its_heading(client, demo):
    data = pdf(client, f"/delegations/{demo['chinese'].id}/programme.pdf?lang=en")
    title = [spoken for spoken in spoken_texts(data) if "Wirtschaftsdelegation" in spoken.text]
    assert title and all(spoken.language == "de" for spoken in title)
    # the language is lifted to the heading, not repeated on each of its lines
    reader = PdfReader(io.BytesIO(data))
    headings = [element for element, _page in structure(reader) if element["/S"] == "/H1"]
    assert any(str(heading.get("/Lang")) == "de" for heading in headings)


def test_german_venues_in_the_japanese_tour_programme_are_spoken_in_german(client, demo):
    data = pdf(client, f"/delegations/{demo['tour'].id}/programme.pdf?lang=ja")
    texts = spoken_texts(data)
    assert {spoken.language for spoken in texts} >= {"ja", "de"}
    assert language_of(data, "Reise des Oberbürgermeisters") == {"de"}


def test_the_large_print_programme_marks_languages_too(client, demo):
    data = pdf(client, f"/delegations/{demo['chinese'].id}/programme.pdf?lang=zh&size=large")
    assert language_of(data, "Rathaus") == {"de"}


def test_german_titles_in_the_english_briefing_are_spoken_in_german(client, demo):
    data = pdf(client, f"/delegations/{demo['chinese'].id}/briefing.pdf?lang=en")
    assert language_of(data, "Empfang durch die") == {"de"}
    assert language_of(data, "Appointments with principals") == {"en"}


def test_the_german_briefing_has_no_language_marks_on_german_text(client, demo):
    data = pdf(client, f"/delegations/{demo['chinese'].id}/briefing.pdf?lang=de")
    assert language_of(data, "Empfang durch die") == {"de"}
    reader = PdfReader(io.BytesIO(data))
    repeated = [element for element, _page in structure(reader) if str(element.get("/Lang", "")) == "de"]
    assert not repeated, "a /Lang that only repeats the document's language"


def test_german_titles_in_the_english_week_overview_are_spoken_in_german(client, demo):
    day = demo["chinese"].arrival_at.astimezone(ZoneInfo("Europe/Berlin")).date()
    data = pdf(client, f"/printing/week.pdf?lang=en&week={day.isoformat()}")
    assert language_of(data, "Empfang durch die") == {"de"}
    assert language_of(data, "Week overview") == {"en"}


def test_names_in_their_own_script_on_the_table_plan_and_place_cards(client, demo):
    plan = demo["plan"]
    assert plan is not None
    for url in (f"/protocol/plans/{plan.id}/plan.pdf", f"/protocol/plans/{plan.id}/place-cards.pdf"):
        data = pdf(client, url)
        texts = spoken_texts(data)
        chinese = [spoken for spoken in texts if has_chinese(spoken.text)]
        assert chinese, url
        # Chinese characters are Chinese or Japanese (kanji) names here, never German
        assert {spoken.language for spoken in chinese} <= {"zh", "ja"}, (url, {s.text: s.language for s in chinese})
        assert "de" == str(PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"])


def test_running_heads_and_page_numbers_are_artifacts_not_text(client, demo):
    """The header repeated on every page is skipped by a screen reader (PDF/UA-1 7.8), the body is read."""
    data = pdf(client, f"/delegations/{demo['chinese'].id}/programme.pdf?lang=en")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 1
    texts = [spoken.text for spoken in spoken_texts(data)]
    assert not any(text.strip().endswith(f"/ {len(reader.pages)}") for text in texts), "page numbers read aloud"
    assert sum("International Unit" in text for text in texts) <= 1  # the cover's letterhead, not every footer
    content = reader.pages[1].get_contents().get_data().decode("latin-1")
    assert re.search(r"/Artifact\s*<<\s*/Type\s*/Pagination\s*>>\s*BDC", content)
