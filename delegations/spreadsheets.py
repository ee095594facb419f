"""Spreadsheets that land on other people's machines: cells that cannot run as formulas.

Every CSV or XLSX export should go through `write_csv`/`write_xlsx` (or at least `neutralise_cell`):
a cell that begins with =, +, -, @, a tab or a carriage return is what Excel and LibreOffice read as
the start of a formula (OWASP "CSV injection"), so such text gets a leading apostrophe and is shown as
text. XLSX cells are written as text cells, never as formulas. Plain code, no Flask.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XLSX (XML 1.0) cannot hold; CSV readers choke on them too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise_cell(value):
    """`value` as a spreadsheet may safely read it: text that could start a formula gets a leading "'".

    Numbers, dates and None pass unchanged (a number is never a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(value):
    """Dates as ISO text, amounts as numbers, text neutralised and without control characters."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (int, float)):
        return value
    # Remove control characters first, so that "\x01=cmd" cannot become "=cmd" after neutralising.
    return neutralise_cell(_CONTROL.sub("", str(value)))


def write_csv(header: Sequence, rows: Iterable[Sequence], *, delimiter: str = ";") -> bytes:
    """UTF-8 with a byte-order mark and semicolons (what spreadsheet programs set to German open directly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([cell_value(value) for value in header])
    for row in rows:
        writer.writerow([cell_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: Sequence, rows: Iterable[Sequence], *, title: str = "Sheet") -> bytes:
    """One sheet of values: every text is a text cell (data type "s"), so no cell is ever a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    for row_number, values in enumerate([header, *rows], start=1):
        for column_number, value in enumerate(values, start=1):
            shown = cell_value(value)
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = shown
            if isinstance(shown, str):
                cell.data_type = "s"  # openpyxl would take a leading "=" for a formula
            if row_number == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
