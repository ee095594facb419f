"""Run sheets as PDFs through the printing registry: the same path, print stylesheet, fonts, cache and time limit
as the programmes (delegations/printing/documents.py). Internal documents: German or English."""
from __future__ import annotations

from delegations.printing.documents import PrintDocument, register
from delegations.protocol import wording
from delegations.travel.runsheets import SHEETS, RunSheetData


def _context(data: RunSheetData, language: str, settings, **_ignored) -> dict:
    return {"data": data, "delegation": data.delegation, "sheet": data.sheet, "zone": data.zone,
            "menus": wording.MENUS, "restrictions": wording.RESTRICTIONS, "modes": wording.MODES}


RUN_SHEETS = {
    name: register(PrintDocument(
        name=f"run-sheet-{name}", title=sheet.title, template="print/run_sheet.html", build_context=_context,
        default_language=lambda data: "de", guest_facing=False))
    for name, sheet in SHEETS.items()
}
