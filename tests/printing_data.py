"""Visits in several scripts and tools to read PDFs back (text, fonts, metadata) for the printing tests."""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass

from pypdf import PdfReader

from delegations.constants import Direction, ItemStatus, MemberRole
from delegations.extensions import db
from delegations.models import ProgrammeItemTranslation
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_principal, make_venue

SECRET_ITEM_NOTE = "INTERNAL-ITEM-NOTE-7f3"
SECRET_VISIT_NOTE = "INTERNAL-VISIT-NOTE-2c9"
SECRET_TALKING_POINTS = "TALKING-POINTS-91b"
CITY_PARTICIPANTS = "CITY-SIDE-PEOPLE-44d"

# Texts per language: (title, description) of the reception, and of the guided tour.
TRANSLATIONS = {
    "zh": (("市长欢迎仪式", "在新市政厅签名金书。"), ("参观海恩豪森花园", "导游带领参观大花园。")),
    "ru": (("Приём у обер-бургомистра", "Запись в Золотую книгу в Новой ратуше."),
           ("Экскурсия по садам Херренхаузен", "Прогулка с гидом по Большому саду.")),
    "tr": (("Belediye Başkanı tarafından resmi kabul", "Yeni Belediye Sarayı'nda Altın Kitap'a imza."),
           ("Herrenhausen Bahçeleri gezisi", "Büyük Bahçe'de rehberli yürüyüş.")),
    "ar": (("استقبال رسمي من رئيس البلدية", "التوقيع في الكتاب الذهبي في مبنى البلدية الجديد."),
           ("جولة في حدائق هيرنهاوزن", "جولة مع مرشد في الحديقة الكبرى.")),
    "ja": (("市長による歓迎", "新市庁舎でゴールデンブックに署名。"), ("ヘレンハウゼン庭園の見学", "大庭園をガイドと散策。")),
}
COUNTRIES = {"zh": ("CN", "Shenzhen"), "ru": ("RU", "Kazan"), "tr": ("TR", "Bursa"), "ar": ("EG", "Alexandria"),
             "ja": ("JP", "Hiroshima")}


def translate(item, language: str, title: str, description: str = "") -> None:
    item.translations.append(ProgrammeItemTranslation(language=language, title=title, description=description))
    db.session.flush()


@dataclass
class Visit:
    delegation: object
    reception: object
    tour: object
    lunch: object
    cancelled: object
    lead: object
    responsible: object


def make_visit(language: str, **values) -> Visit:
    """An incoming delegation reading `language`: a reception with the Mayor (translated), a guided tour
    (translated), a lunch (only in English), a cancelled item, internal notes everywhere."""
    country, city = COUNTRIES.get(language, ("PL", "Poznań"))
    lead = make_contact(name="Jonas Albrecht", function="Referent Partnerstädte", phone="+49 511 168-41002")
    responsible = make_contact(name="Aylin Demir", function="Protokoll", phone="+49 511 168-41004")
    rathaus = make_venue(name="Neues Rathaus", room="Mosaiksaal", address="Trammplatz 2\n30159 Hannover")
    garden = make_venue(name="Herrenhäuser Gärten", room="", address="Herrenhäuser Straße 4\n30419 Hannover")
    mayor = make_principal(name="Dr. Martin Weber", title="Oberbürgermeister")
    delegation = make_delegation(
        title=f"Delegation aus {city}", country_code=country, city=city, languages=[language, "en"],
        head_name="Head Person", head_function="Bürgermeister", hotel="Kastens Hotel Luisenhof",
        notes=SECRET_VISIT_NOTE, lead_contact=lead, arrival_at=berlin("2027-05-10 09:00"),
        departure_at=berlin("2027-05-12 18:00"), **values)
    make_member(delegation, name="Head Person", role=MemberRole.HEAD, function="Bürgermeister",
                dietary_needs="vegetarisch")
    reception = make_item(delegation, berlin("2027-05-10 14:00"), 90, title="Empfang durch den Oberbürgermeister",
                          description="Eintrag in das Goldene Buch.", venue=rathaus, principal=mayor,
                          responsible=responsible, dress_code="Dunkler Anzug", internal_note=SECRET_ITEM_NOTE,
                          talking_points=SECRET_TALKING_POINTS, city_participants=CITY_PARTICIPANTS)
    tour = make_item(delegation, berlin("2027-05-11 10:00"), 120, title="Führung Herrenhäuser Gärten",
                     description="Führung durch den Großen Garten.", venue=garden, responsible=lead,
                     status=ItemStatus.TENTATIVE)
    lunch = make_item(delegation, berlin("2027-05-11 12:30"), 90, title="Mittagessen im Galeriegebäude",
                      description="Mit dem Partnerschaftsverein.", venue=garden)
    cancelled = make_item(delegation, berlin("2027-05-12 09:00"), 60, title="Abgesagter Termin XYZ",
                          status=ItemStatus.CANCELLED)
    (reception_title, reception_text), (tour_title, tour_text) = TRANSLATIONS.get(language, (("", ""), ("", "")))
    if reception_title:
        translate(reception, language, reception_title, reception_text)
        translate(tour, language, tour_title, tour_text)
    translate(reception, "en", "Reception by the Lord Mayor", "Signing of the Golden Book.")
    translate(lunch, "en", "Lunch at the gallery building", "With the twinning association.")
    db.session.commit()
    return Visit(delegation, reception, tour, lunch, cancelled, lead, responsible)


def make_tour(**values):
    """The Mayor's tour to Hiroshima: destination time Asia/Tokyo, home time Europe/Berlin."""
    from delegations.zones import attach_zone
    from datetime import datetime

    def tokyo(text):
        return attach_zone(datetime.fromisoformat(text), "Asia/Tokyo")

    mayor = make_principal(name="Dr. Martin Weber", title="Oberbürgermeister")
    tour = make_delegation(direction=Direction.OUTGOING, title="Reise nach Hiroshima", country_code="JP",
                           city="Hiroshima", timezone="Asia/Tokyo", languages=["ja", "en"],
                           arrival_at=tokyo("2027-05-10 08:30"), departure_at=tokyo("2027-05-13 12:00"), **values)
    make_member(tour, name="Dr. Martin Weber", role=MemberRole.HEAD, function="Oberbürgermeister")
    early = make_item(tour, tokyo("2027-05-11 06:30"), 60, title="Frühstück mit dem Bürgermeister", principal=mayor)
    wreath = make_item(tour, tokyo("2027-05-11 14:00"), 90, title="Kranzniederlegung im Friedenspark",
                       principal=mayor, internal_note=SECRET_ITEM_NOTE)
    translate(wreath, "ja", "平和記念公園での献花", "")
    translate(wreath, "en", "Wreath laying at the Peace Memorial Park", "")
    db.session.commit()
    return tour, early, wreath


# Reading PDFs back ------------------------------------------------------------------------------------

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(data: bytes) -> str:
    """The text as pdftotext reads it (poppler), whitespace collapsed."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    text = BIDI_CONTROLS.sub("", result.stdout.decode("utf-8"))  # pdftotext marks right-to-left runs
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class EmbeddedFont:
    name: str
    embedded: bool
    uses_notdef: bool  # glyph 0 is drawn: some character had no glyph in this font (a box)


def embedded_fonts(data: bytes) -> list[EmbeddedFont]:
    """Every font of every page, whether it is embedded and whether glyph 0 (.notdef) is used.

    WeasyPrint draws a missing character with glyph id 0 and lists its width in the font's /W array.
    """
    reader = PdfReader(io.BytesIO(data))
    found: dict[str, EmbeddedFont] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            widths = list(descendant.get("/W", []))
            uses_notdef = 0 in _cids_in_widths(widths)
            found[name] = EmbeddedFont(name, embedded, uses_notdef)
    return list(found.values())


def _cids_in_widths(widths: list) -> set[int]:
    """The CIDs a /W array lists: `c [w1 w2 ...]` or `c_first c_last w`."""
    cids: set[int] = set()
    index = 0
    while index < len(widths):
        first = int(widths[index])
        following = widths[index + 1]
        if isinstance(following, list):
            cids.update(range(first, first + len(following)))
            index += 2
        else:
            cids.update(range(first, int(following) + 1))
            index += 3
    return cids


def pdffonts(data: bytes) -> list[dict]:
    """`pdffonts` rows: name, type, emb (yes/no)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        result = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True)
    rows = []
    for line in result.stdout.decode().splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "emb": parts[-5], "line": line})
    return rows


def pdf_catalog(data: bytes) -> dict:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    return {"lang": str(root.get("/Lang", "")), "tagged": "/StructTreeRoot" in root,
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked")), "title": (reader.metadata or {}).get("/Title"),
            "pages": len(reader.pages), "attachments": "/EmbeddedFiles" in root.get("/Names", {}),
            "landscape": reader.pages[0].mediabox.width > reader.pages[0].mediabox.height}
