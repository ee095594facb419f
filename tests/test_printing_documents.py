"""Programmes, briefings and week overviews as a delegation, a principal and the Mayor's office read them:
the right items, times, zones and languages, real glyphs in every script, and never an internal note
where guests read."""
from __future__ import annotations

from datetime import date

import pytest

from delegations.extensions import db
from delegations.printing import documents, guest_links, queries
from delegations.printing.documents import BRIEFING, PROGRAMME, TOUR_PROGRAMME, WEEK
from delegations.printing.programme import build_programme, item_text
from delegations.printing.settings import PrintSettings
from delegations.printing.week import WeekError, week_monday
from delegations.printing.views import load_week
from tests.printing_data import (CITY_PARTICIPANTS, SECRET_ITEM_NOTE, SECRET_TALKING_POINTS, SECRET_VISIT_NOTE,
                                 embedded_fonts, make_tour, make_visit, pdf_catalog, pdf_text, pdffonts)

INTERNAL = (SECRET_ITEM_NOTE, SECRET_VISIT_NOTE, SECRET_TALKING_POINTS, CITY_PARTICIPANTS)


@pytest.fixture(autouse=True)
def print_config(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), UNIT_PHONE="+49 511 168-41000",
                      PUBLIC_BASE_URL="https://planner.example.org")


def settings() -> PrintSettings:
    return documents.current_settings()


def produce(document, delegation_id: int, language: str, **extra):
    delegation = queries.delegation_for_print(delegation_id)
    return documents.produce(document, delegation, language, settings(), filename_stem="test", **extra)


def assert_real_glyphs(data: bytes) -> None:
    """Every font is embedded, is one of the Noto faces, and draws no missing-glyph box."""
    fonts = embedded_fonts(data)
    assert fonts
    for font in fonts:
        assert font.embedded, font.name
        assert "Noto" in font.name, font.name
        assert not font.uses_notdef, f"{font.name} draws a missing-glyph box"
    rows = pdffonts(data)
    assert rows and all(row["emb"] == "yes" for row in rows), rows


# Which text a guest reads ----------------------------------------------------------------------------

def test_item_texts_fall_back_from_the_delegation_language_to_english_to_german(app):
    visit = make_visit("zh")
    assert item_text(visit.reception, "title", "zh").value == "市长欢迎仪式"
    assert item_text(visit.reception, "title", "zh").lang == "zh"
    lunch = item_text(visit.lunch, "title", "zh")
    assert (lunch.value, lunch.lang) == ("Lunch at the gallery building", "en")
    cancelled = item_text(visit.cancelled, "title", "zh")
    assert (cancelled.value, cancelled.lang) == ("Abgesagter Termin XYZ", "de")
    german = item_text(visit.reception, "title", "de")
    assert (german.value, german.lang) == ("Empfang durch den Oberbürgermeister", "de")


def test_the_programme_leaves_out_cancelled_items_and_holds_nothing_internal(app):
    visit = make_visit("ru")
    programme = build_programme(queries.delegation_for_print(visit.delegation.id), "ru", settings())
    titles = [item.title.value for day in programme.days for item in day.items]
    assert titles == ["Приём у обер-бургомистра", "Экскурсия по садам Херренхаузен", "Lunch at the gallery building"]
    assert [day.number for day in programme.days] == [1, 2, 3]
    assert programme.days[2].items == ()
    assert [contact.name for contact in programme.contacts] == ["Jonas Albrecht", "Aylin Demir"]
    assert programme.emergency_numbers == (("112", "fire_ambulance"), ("110", "police"))
    assert programme.unit_phone == "+49 511 168-41000"
    for value in INTERNAL:
        assert value not in repr(programme)


# Rendered programmes in each script -------------------------------------------------------------------

@pytest.mark.parametrize("language, expected", [
    ("zh", ["日程安排", "第1天", "2027年5月10日星期一", "市长欢迎仪式", "在新市政厅签名金书", "着装要求", "紧急电话"]),
    ("ru", ["Программа", "День 1", "понедельник, 10 мая 2027", "Приём у обер-бургомистра", "Контактные лица",
            "Экстренные номера"]),
    ("tr", ["Program", "1. gün", "10 Mayıs 2027 Pazartesi", "Belediye Başkanı tarafından resmi kabul",
            "Herrenhausen Bahçeleri gezisi", "İletişim kişileri", "Acil durum numaraları"]),
    ("ar", ["البرنامج", "استقبال رسمي من رئيس البلدية", "جهات الاتصال", "أرقام الطوارئ"]),
])
def test_a_delegation_reads_its_programme_in_its_language_with_real_glyphs(app, language, expected):
    visit = make_visit(language)
    guest_links.create_link(visit.delegation, None, app.config["SECRET_KEY"])
    db.session.commit()
    produced = produce(PROGRAMME, visit.delegation.id, language,
                       guest_url=documents.guest_url_for(visit.delegation.id, "https://planner.example.org"))
    text = pdf_text(produced.data)
    for phrase in expected:
        assert phrase in text, phrase
    # Times are wall-clock times in Hannover; the item only translated to English falls back to English.
    assert "14:00–15:30" in text and "12:30–14:00" in text
    assert "Lunch at the gallery building" in text
    assert "Trammplatz 2" in text and "Dunkler Anzug" in text and "112" in text and "110" in text
    assert "+49 511 168-41000" in text and "Jonas Albrecht" in text and "+49 511 168-41004" in text
    assert "Abgesagter Termin XYZ" not in text
    for value in INTERNAL:
        assert value not in text
    assert "https://planner.example.org/p/" in text  # beside the QR code, for those who type
    catalog = pdf_catalog(produced.data)
    assert catalog["tagged"] and catalog["lang"] == language
    assert_real_glyphs(produced.data)


def test_an_arabic_programme_is_right_to_left(app):
    visit = make_visit("ar")
    html = documents.render_html(PROGRAMME, queries.delegation_for_print(visit.delegation.id), "ar", settings())
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="de" dir="ltr">Trammplatz 2' in html  # the German address keeps its own direction
    assert "Noto Naskh Arabic" in html


def test_german_and_english_programmes_use_the_catalog_and_mark_foreign_texts(app):
    visit = make_visit("zh")
    delegation = queries.delegation_for_print(visit.delegation.id)
    german = pdf_text(produce(PROGRAMME, delegation.id, "de").data)
    assert "Programm" in german and "Montag, 10. Mai 2027" in german
    assert "Empfang durch den Oberbürgermeister" in german and "Reception by the Lord Mayor" not in german
    english_html = documents.render_html(PROGRAMME, delegation, "en", settings())
    assert '<html lang="en" dir="ltr">' in english_html
    assert "Monday, 10 May 2027" in english_html
    assert "Reception by the Lord Mayor" in english_html
    # A German text in the English document carries its language.
    assert '<span lang="de">Führung Herrenhäuser Gärten</span>' in english_html


def test_a_tour_programme_shows_destination_time_with_home_time_beside_it(app):
    tour, early, wreath = make_tour()
    assert documents.programme_document_for(tour) is TOUR_PROGRAMME
    produced = produce(TOUR_PROGRAMME, tour.id, "ja")
    text = pdf_text(produced.data)
    assert "訪問日程" in text and "平和記念公園での献花" in text
    # 14:00 in Tokyo is 07:00 in Hannover (summer time, +7 h); 06:30 in Tokyo is 23:30 the evening before.
    assert "14:00–15:30" in text and "07:00–08:30" in text
    assert "06:30–07:30" in text and "23:30–00:30" in text
    assert "5月10日(月)" in text  # the home date beside a time that falls on the day before
    assert "Hannover時間" in text and "+7" in text
    assert "110" in text and "119" in text  # Japan's numbers, not Germany's
    assert SECRET_ITEM_NOTE not in text
    assert_real_glyphs(produced.data)


# The Mayor's briefing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["zh", "ru", "tr", "ar"])
def test_the_briefing_is_internal_and_complete_for_every_delegation(app, language):
    visit = make_visit(language)
    produced = produce(BRIEFING, visit.delegation.id, "de")
    text = pdf_text(produced.data)
    for value in (SECRET_ITEM_NOTE, SECRET_VISIT_NOTE, SECRET_TALKING_POINTS, CITY_PARTICIPANTS):
        assert value in text
    assert "Oberbürgermeister Dr. Martin Weber" in text
    assert "Empfang durch den Oberbürgermeister" in text and "14:00–15:30" in text
    assert "Aylin Demir" in text and "+49 511 168-41004" in text
    assert "Head Person" in text and "vegetarisch" in text
    assert "Abgesagter Termin XYZ" not in text
    catalog = pdf_catalog(produced.data)
    assert catalog["lang"] == "de" and catalog["tagged"]
    assert_real_glyphs(produced.data)


def test_a_briefing_for_a_tour_gives_home_times(app):
    tour, _early, _wreath = make_tour()
    text = pdf_text(produce(BRIEFING, tour.id, "en").data)
    assert "Kranzniederlegung im Friedenspark" in text
    assert "14:00–15:30" in text and "07:00–08:30" in text


# The week overview -------------------------------------------------------------------------------------

def test_week_overview_lists_every_appointment_of_a_principal_on_one_landscape_page(app):
    visits = [make_visit(language) for language in ("zh", "ru", "tr")]
    tour, _early, _wreath = make_tour()
    monday = week_monday("2027-W19", date(2027, 1, 1))
    week = load_week(monday)
    assert week.label == "2027-W19"
    assert week.count == 3 + 2  # a reception with the Mayor per visit, two appointments on the tour
    produced = documents.produce(WEEK, week, "de", settings(), filename_stem="week")
    catalog = pdf_catalog(produced.data)
    assert catalog["pages"] == 1 and catalog["landscape"]
    text = pdf_text(produced.data)
    for visit in visits:
        assert visit.delegation.title in text
    assert "Reise nach Hiroshima" in text
    assert "Führung Herrenhäuser Gärten" not in text  # no principal takes part
    assert "(06:30" in text  # local time in Hiroshima beside the Berlin time
    assert_real_glyphs(produced.data)


def test_weeks_are_given_as_iso_weeks_or_dates():
    today = date(2027, 5, 12)
    assert week_monday("2027-W19", today) == date(2027, 5, 10)
    assert week_monday("2027-05-16", today) == date(2027, 5, 10)
    assert week_monday("", today) == date(2027, 5, 10)
    for wrong in ("2027-W54", "next week", "2027-13-01"):
        with pytest.raises(WeekError):
            week_monday(wrong, today)


# Security of the content -------------------------------------------------------------------------------

PAYLOADS = ('<img src="file:///etc/passwd">', '<link rel="attachment" href="file:///etc/passwd">',
            '<style>@import url(http://169.254.169.254/latest/meta-data/);</style>',
            '<img src="/dev/urandom">', "</td></tr></table><h1>injected</h1>")


def test_hostile_item_texts_are_printed_as_text_and_fetch_nothing(app):
    visit = make_visit("en")
    visit.reception.title = PAYLOADS[0] + " http://169.254.169.254/"
    visit.reception.description = " ".join(PAYLOADS)
    visit.reception.translations.clear()
    visit.delegation.title = "@import url(/dev/urandom); " + PAYLOADS[1]
    db.session.commit()
    produced = produce(PROGRAMME, visit.delegation.id, "de")
    assert all(url.endswith("/static/css/print.css") for url in produced.rendered.fetched)
    assert produced.rendered.refused == ()
    assert produced.rendered.seconds < 15
    text = pdf_text(produced.data)
    assert '<img src="file:///etc/passwd">' in text
    assert "root:x:0:0" not in text
    assert not pdf_catalog(produced.data)["attachments"]
