"""Importing a delegation's participant list: the files delegations really send, and the bad ones."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from delegations.constants import MemberRole, Role
from delegations.extensions import db
from delegations.models import Member, MemberImport
from delegations.visits.member_import import MemberFileError, parse_member_file
from tests.accounts import sign_in
from tests.factories import make_delegation, make_member

HEADER = ["Name", "Function", "Organisation", "Role", "Dietary needs", "Accessibility needs", "E-mail", "Phone"]
GOOD_ROWS = [
    ["Tomasz Kowalczyk", "Mayor", "City of Poznań", "head", "", "", "tk@poznan.pl", "+48 61 1"],
    ["Anna Wiśniewska", "Interpreter", "City of Poznań", "interpreter", "vegetarian", "", "", ""],
    ["Marek Zieliński", "Spokesman", "City of Poznań", "press", "gluten-free", "wheelchair", "", ""],
]
BAD_ROWS = [
    ["", "Driver", "City of Poznań", "staff", "", "", "", ""],             # no name
    ["Piotr Nowak", "Adviser", "", "member", "", "", "piotr(at)poznan", ""],  # bad e-mail
    ["Ewa Król", "Adviser", "", "emperor", "", "", "", ""],                # unknown role
]


def xlsx_bytes(rows: list[list], title_rows: list[list] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return text.getvalue().encode(encoding)


def zip_bomb_xlsx() -> bytes:
    """A small .xlsx whose parts would unpack to far more than any participant list (60 MB of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000
    return buffer.getvalue()


def message(error: pytest.ExceptionInfo) -> str:
    return str(error.value)


@pytest.fixture(autouse=True)
def english_messages(app):
    """Messages of the parser in English (the pages below speak the signed-in user's language)."""
    with force_locale("en"):
        yield


# The parser, on its own -----------------------------------------------------------------------------

def test_xlsx_with_good_rows_is_read_completely(app):
    parsed = parse_member_file("Teilnehmer.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS]))
    assert parsed.problems == []
    assert [row["name"] for row in parsed.rows] == ["Tomasz Kowalczyk", "Anna Wiśniewska", "Marek Zieliński"]
    assert [row["role"] for row in parsed.rows] == ["head", "interpreter", "press"]
    assert parsed.rows[0]["email"] == "tk@poznan.pl" and parsed.rows[2]["accessibility_needs"] == "wheelchair"
    assert [row["line"] for row in parsed.rows] == [2, 3, 4]


def test_bad_rows_are_named_with_their_spreadsheet_row_and_reason(app):
    parsed = parse_member_file("list.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS, *BAD_ROWS]))
    assert len(parsed.rows) == 3
    problems = {problem.line: problem.message for problem in parsed.problems}
    assert problems[5] == "The name is missing."
    assert problems[6] == "'piotr(at)poznan' is not an e-mail address."
    assert problems[7].startswith("Unknown role 'emperor'")


def test_title_rows_above_the_header_and_empty_rows_are_skipped(app):
    content = xlsx_bytes([HEADER, GOOD_ROWS[0], [None] * 8, GOOD_ROWS[1]],
                         title_rows=[["Delegation of the City of Poznań, May 2027"], []])
    parsed = parse_member_file("list.xlsx", content)
    assert [row["name"] for row in parsed.rows] == ["Tomasz Kowalczyk", "Anna Wiśniewska"]
    assert [row["line"] for row in parsed.rows] == [4, 6]


def test_utf8_csv_with_commas(app):
    parsed = parse_member_file("list.csv", csv_bytes([HEADER, *GOOD_ROWS]))
    assert [row["name"] for row in parsed.rows] == ["Tomasz Kowalczyk", "Anna Wiśniewska", "Marek Zieliński"]


def test_utf8_csv_with_byte_order_mark(app):
    parsed = parse_member_file("list.csv", b"\xef\xbb\xbf" + csv_bytes([HEADER, *GOOD_ROWS]))
    assert parsed.columns and len(parsed.rows) == 3


def test_german_excel_csv_with_semicolons_in_cp1252_and_german_headers(app):
    rows = [["Vorname", "Nachname", "Funktion", "Behörde", "Rolle", "Ernährung", "Barrierefreiheit", "E-Mail-Adresse",
             "Telefon", "Zimmerwunsch"],
            ["Jürgen", "Müller", "Bürgermeister", "Stadt Köln", "Leiter", "vegetarisch", "", "jm@koeln.de", "0221 1", "ruhig"],
            ["Käthe", "Groß", "Dolmetscherin", "", "Dolmetscherin", "", "Rollstuhl", "", "", ""],
            ["Søren", "Æbelø", "Presse; Foto", "", "Presse", "", "", "", "", ""]]
    content = csv_bytes(rows, delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    parsed = parse_member_file("Teilnehmerliste.csv", content)
    assert parsed.problems == []
    assert [(row["name"], row["role"]) for row in parsed.rows] == [
        ("Jürgen Müller", "head"), ("Käthe Groß", "interpreter"), ("Søren Æbelø", "press")]
    assert parsed.rows[0]["organisation"] == "Stadt Köln" and parsed.rows[0]["dietary_needs"] == "vegetarisch"
    assert parsed.rows[1]["accessibility_needs"] == "Rollstuhl"
    assert parsed.rows[2]["function"] == "Presse; Foto"
    assert parsed.ignored_columns == ["Zimmerwunsch"]


def test_numbers_in_cells_are_read_as_text(app):
    parsed = parse_member_file("list.xlsx", xlsx_bytes([["Name", "Phone"], ["Li Na", 4951116841003]]))
    assert parsed.rows[0]["phone"] == "4951116841003"


@pytest.mark.parametrize("filename, content, expected", [
    ("programme.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "Please upload a spreadsheet"),
    ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Please upload a spreadsheet"),
    ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a readable Excel"),
    ("list.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "not a text CSV file"),
    ("list.csv", b"", "The file is empty."),
    ("list.csv", csv_bytes([["Vorwahl", "Durchwahl"], ["0511", "168"]]), "No header row found"),
    ("list.csv", csv_bytes([["Function", "Organisation"], ["Mayor", "Poznań"]]), "no column for the name"),
    ("list.xlsx", zip_bomb_xlsx(), "unpack to far more data"),
])
def test_files_that_are_not_participant_lists_are_refused_with_a_reason(app, filename, content, expected):
    with pytest.raises(MemberFileError) as error:
        parse_member_file(filename, content)
    assert expected in message(error)


def test_a_damaged_xlsx_is_refused_with_a_reason(app):
    content = bytearray(xlsx_bytes([HEADER, *GOOD_ROWS]))
    archive = zipfile.ZipFile(io.BytesIO(bytes(content)))
    names = [info.filename for info in archive.infolist()]
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as broken:
        for name in names:
            broken.writestr(name, archive.read(name) if not name.startswith("xl/worksheets") else b"<not xml")
    with pytest.raises(MemberFileError) as error:
        parse_member_file("list.xlsx", rebuilt.getvalue())
    assert "could not be read" in message(error)


def test_too_many_rows_are_refused(app):
    rows = [["Name"]] + [[f"Person {number}"] for number in range(30)]
    with pytest.raises(MemberFileError) as error:
        parse_member_file("list.csv", csv_bytes(rows), max_rows=20)
    assert "more than 20 rows" in message(error)


# Through the pages ----------------------------------------------------------------------------------

@pytest.fixture
def visit(client):
    sign_in(client, Role.PLANNER)
    delegation = make_delegation()
    make_member(delegation, name="Already There", position=1)
    db.session.commit()
    return delegation


def upload(client, visit, filename: str, content: bytes):
    return client.post(f"/delegations/{visit.id}/members/import",
                       data={"spreadsheet": (io.BytesIO(content), filename)}, content_type="multipart/form-data")


def members() -> list[tuple[str, MemberRole]]:
    db.session.expire_all()
    return [(member.name, member.role) for member in db.session.scalars(select(Member).order_by(Member.position))]


def test_preview_then_confirm_imports_exactly_the_good_rows(client, visit):
    response = upload(client, visit, "Teilnehmer.xlsx", xlsx_bytes([HEADER, *GOOD_ROWS, *BAD_ROWS]))
    assert response.status_code == 200
    page = response.text
    assert "3 rows cannot be imported" in page and "3 people ready to import" in page
    assert "Row 5: The name is missing." in page and "Row 6: &#39;piotr(at)poznan&#39; is not an e-mail address." in page
    assert "Tomasz Kowalczyk" in page and "Interpreter" in page
    assert members() == [("Already There", MemberRole.MEMBER)]  # nothing saved before confirming
    action = re.search(r'action="(/delegations/\d+/members/import/\d+)"', page).group(1)
    response = client.post(action, data={"decision": "import"}, follow_redirects=True)
    assert "3 members have been imported." in response.text
    assert members() == [("Already There", MemberRole.MEMBER), ("Tomasz Kowalczyk", MemberRole.HEAD),
                         ("Anna Wiśniewska", MemberRole.INTERPRETER), ("Marek Zieliński", MemberRole.PRESS)]
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0
    # Sending the confirmation twice (a double click) imports nothing more.
    response = client.post(action, data={"decision": "import"}, follow_redirects=True)
    assert "already completed or discarded" in response.text
    assert len(members()) == 4


def test_discard_imports_nothing(client, visit):
    page = upload(client, visit, "list.csv", csv_bytes([HEADER, *GOOD_ROWS])).text
    action = re.search(r'action="(/delegations/\d+/members/import/\d+)"', page).group(1)
    response = client.post(action, data={"decision": "discard"}, follow_redirects=True)
    assert "The import has been discarded; nothing was changed." in response.text
    assert members() == [("Already There", MemberRole.MEMBER)]
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0


def test_not_a_spreadsheet_is_shown_beside_the_file_field(client, visit):
    response = upload(client, visit, "programme.pdf", b"%PDF-1.7\n")
    assert response.status_code == 200
    assert re.search(r'id="spreadsheet-error">.*Please upload a spreadsheet', response.text, re.S)
    assert 'href="#spreadsheet"' in response.text
    assert db.session.scalar(select(func.count()).select_from(MemberImport)) == 0


def test_zip_bomb_is_refused_on_the_page(client, visit):
    response = upload(client, visit, "list.xlsx", zip_bomb_xlsx())
    assert response.status_code == 200 and "unpack to far more data" in response.text


def test_no_file_chosen(client, visit):
    response = client.post(f"/delegations/{visit.id}/members/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Please choose a file." in response.text


def test_file_too_large_gets_a_friendly_page(app, client, visit):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, visit, "list.csv", b"Name\n" + b"x" * 4096)
    assert response.status_code == 413 and "The file is larger than the app accepts" in response.text


def test_import_of_another_delegation_cannot_be_confirmed_here(client, visit):
    page = upload(client, visit, "list.csv", csv_bytes([HEADER, *GOOD_ROWS])).text
    import_id = re.search(r'/members/import/(\d+)"', page).group(1)
    other = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{other.id}/members/import/{import_id}", data={"decision": "import"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(other), other.id).members == []
