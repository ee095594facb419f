"""Reading a delegation's participant list (.xlsx or .csv) into member rows, with a reason for every bad row.

Plain code: bytes in, rows and problems out. Nothing is written to the database here.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from delegations.constants import MemberRole

# Column headers seen in real participant lists (German, English, French), normalised.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "fullname", "participant", "teilnehmer", "teilnehmerin", "nom", "nom complet"),
    "first_name": ("first name", "firstname", "given name", "vorname", "prenom"),
    "last_name": ("last name", "lastname", "surname", "family name", "nachname", "familienname", "nom de famille"),
    "function": ("function", "position", "title", "job title", "funktion", "amt", "titel", "fonction"),
    "organisation": ("organisation", "organization", "institution", "company", "organisation/institution",
                     "behorde", "firma", "institution/organisation"),
    "role": ("role", "rolle", "role in delegation", "rolle in der delegation"),
    "dietary_needs": ("dietary needs", "dietary requirements", "diet", "food", "ernahrung", "essen",
                      "ernahrungshinweise", "allergies", "allergien"),
    "accessibility_needs": ("accessibility needs", "accessibility", "mobility", "barrierefreiheit",
                            "mobilitat", "besondere bedurfnisse"),
    "email": ("email", "e-mail", "mail", "e-mail address", "email address", "e-mail-adresse"),
    "phone": ("phone", "telephone", "mobile", "telefon", "handy", "mobil", "tel", "telefonnummer"),
}

ROLE_ALIASES: dict[str, MemberRole] = {
    "head": MemberRole.HEAD, "head of delegation": MemberRole.HEAD, "leader": MemberRole.HEAD,
    "leitung": MemberRole.HEAD, "leiter": MemberRole.HEAD, "leiterin": MemberRole.HEAD,
    "delegationsleiter": MemberRole.HEAD, "delegationsleiterin": MemberRole.HEAD, "chef de delegation": MemberRole.HEAD,
    "member": MemberRole.MEMBER, "mitglied": MemberRole.MEMBER, "teilnehmer": MemberRole.MEMBER,
    "teilnehmerin": MemberRole.MEMBER, "participant": MemberRole.MEMBER, "membre": MemberRole.MEMBER,
    "interpreter": MemberRole.INTERPRETER, "dolmetscher": MemberRole.INTERPRETER,
    "dolmetscherin": MemberRole.INTERPRETER, "translator": MemberRole.INTERPRETER, "interprete": MemberRole.INTERPRETER,
    "press": MemberRole.PRESS, "presse": MemberRole.PRESS, "journalist": MemberRole.PRESS, "media": MemberRole.PRESS,
    "security": MemberRole.SECURITY, "sicherheit": MemberRole.SECURITY, "personenschutz": MemberRole.SECURITY,
    "securite": MemberRole.SECURITY, "staff": MemberRole.STAFF, "begleitung": MemberRole.STAFF,
    "mitarbeiter": MemberRole.STAFF, "mitarbeiterin": MemberRole.STAFF,
}

FIELD_LIMITS = {"name": 200, "function": 300, "organisation": 300, "dietary_needs": 500,
                "accessibility_needs": 500, "email": 254, "phone": 50}

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# An .xlsx is a zip: refuse archives that would unpack to far more than a participant list needs.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 500
# The upload itself (the app's MAX_CONTENT_LENGTH also caps the request).
MAX_FILE_BYTES = 5 * 1024 * 1024


class SemicolonSeparated(csv.excel):
    """What German Excel writes when it saves "CSV"."""

    delimiter = ";"


class MemberFileError(ValueError):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class RowProblem:
    line: int
    message: str


@dataclass
class ParsedMembers:
    rows: list[dict] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[\s_]+", " ", text).strip(" :*")
    return text


def _column_for(header: str) -> str | None:
    key = normalise_header(header)
    for column, aliases in HEADER_ALIASES.items():
        if key == column.replace("_", " ") or key in aliases:
            return column
    return None


def parse_member_file(filename: str, content: bytes, max_rows: int = 2000) -> ParsedMembers:
    """Read a participant list; raise MemberFileError if the file as a whole is unusable."""
    lowered = (filename or "").lower()
    if not content:
        raise MemberFileError(_l("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise MemberFileError(_l("The file is larger than %(limit)s MB; a participant list is far smaller.",
                                 limit=MAX_FILE_BYTES // (1024 * 1024)))
    if lowered.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif lowered.endswith((".csv", ".txt")):
        table = _read_csv(content)
    else:
        raise MemberFileError(_l("Please upload a spreadsheet: an .xlsx file (Excel) or a .csv file."))
    return _rows_from_table(table, max_rows)


def _read_xlsx(content: bytes) -> list[list[object]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise MemberFileError(_l("The file is not a readable Excel (.xlsx) file. Save it again as .xlsx or .csv."))
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise MemberFileError(_l("The Excel file would unpack to far more data than a participant list holds; it was not opened."))
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise MemberFileError(_l("The file is not a readable Excel (.xlsx) file. Save it again as .xlsx or .csv."))
    import openpyxl  # imported here: only uploads need it

    if not openpyxl.DEFUSEDXML:
        # openpyxl parses with the standard library's XML parser unless defusedxml is installed (and
        # OPENPYXL_DEFUSEDXML is not "False"); without it an entity bomb would be expanded.
        raise MemberFileError(_l("Excel files cannot be read safely on this server (defusedxml is missing). "
                                 "Please upload the list as .csv."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for damaged files
        cause = _root_cause(error)
        from defusedxml import DefusedXmlException

        if isinstance(cause, DefusedXmlException):
            raise MemberFileError(_l("The Excel file could not be read (%(reason)s): it defines XML entities, which "
                                     "are refused for safety. Save it again as .xlsx or .csv.",
                                     reason=type(cause).__name__))
        raise MemberFileError(_l("The Excel file could not be read (%(reason)s). Save it again as .xlsx or .csv.",
                                 reason=type(cause).__name__))
    return table


def _root_cause(error: BaseException) -> BaseException:
    """openpyxl wraps parser errors in a ValueError; the reason a user can act on is the first one."""
    seen = set()
    while (error.__cause__ or error.__context__) is not None and id(error) not in seen:
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return error


def _read_csv(content: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise MemberFileError(_l("The file's characters could not be read. Save it as CSV in UTF-8."))
    if "\x00" in text:
        raise MemberFileError(_l("The file is not a text CSV file. Save it again as .xlsx or .csv."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = SemicolonSeparated if sample.count(";") > sample.count(",") else csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise MemberFileError(_l("The CSV file is malformed: %(reason)s", reason=str(error)))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _rows_from_table(table: list[list[object]], max_rows: int) -> ParsedMembers:
    # The header is the first row that names at least one known column.
    header_index = None
    columns: dict[int, str] = {}
    for index, row in enumerate(table[:20]):
        found = {position: _column_for(_cell_text(cell)) for position, cell in enumerate(row)}
        found = {position: column for position, column in found.items() if column}
        if found:
            header_index, columns = index, found
            break
    if header_index is None:
        raise MemberFileError(_l("No header row found. The first row should name the columns, for example "
                                 "Name, Function, Organisation, Role, Dietary needs, Accessibility needs, E-mail, Phone."))
    names = set(columns.values())
    if "name" not in names and not ({"first_name", "last_name"} & names):
        raise MemberFileError(_l("The file has no column for the name (Name, or First name and Last name)."))
    result = ParsedMembers(
        columns=sorted(names),
        ignored_columns=[_cell_text(cell) for position, cell in enumerate(table[header_index])
                         if position not in columns and _cell_text(cell)],
    )
    data_rows = table[header_index + 1:]
    if sum(1 for row in data_rows if any(_cell_text(cell) for cell in row)) > max_rows:
        raise MemberFileError(_l("The file has more than %(count)s rows; a participant list that long is not accepted.",
                                 count=max_rows))
    for offset, row in enumerate(data_rows):
        line = header_index + offset + 2  # 1-based, as the spreadsheet program numbers rows
        values = {column: _cell_text(row[position]) if position < len(row) else ""
                  for position, column in columns.items()}
        if not any(values.values()):
            continue
        member, problem = _member_from_values(values)
        if problem:
            result.problems.append(RowProblem(line, str(problem)))
        else:
            member["line"] = line
            result.rows.append(member)
    return result


def _member_from_values(values: dict[str, str]):
    name = values.get("name") or " ".join(part for part in (values.get("first_name"), values.get("last_name")) if part)
    if not name:
        return None, _l("The name is missing.")
    member = {"name": name}
    for column in ("function", "organisation", "dietary_needs", "accessibility_needs", "email", "phone"):
        member[column] = values.get(column, "")
    for column, limit in FIELD_LIMITS.items():
        if len(member[column]) > limit:
            return None, _l("%(column)s is longer than %(limit)s characters.", column=column, limit=limit)
    if member["email"] and not EMAIL_PATTERN.match(member["email"]):
        return None, _l("'%(value)s' is not an e-mail address.", value=member["email"])
    role_text = normalise_header(values.get("role", ""))
    if role_text and role_text not in ROLE_ALIASES and role_text not in {role.value for role in MemberRole}:
        return None, _l("Unknown role '%(value)s' (use head, member, interpreter, press, security or staff).",
                        value=values.get("role", ""))
    role = ROLE_ALIASES.get(role_text) or (MemberRole(role_text) if role_text else MemberRole.MEMBER)
    member["role"] = role.value
    return member, None
