"""German is the default language: every text of the interface must have its German translation."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "delegations" / "translations" / "de" / "LC_MESSAGES" / "messages.po"


def test_every_text_in_the_code_has_a_german_translation(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(template), "."],
                   check=True, capture_output=True, cwd=ROOT)
    extracted = {message.id for message in read_po(template.open("rb")) if message.id}
    catalog = {message.id: message for message in read_po(CATALOG.open("rb")) if message.id}
    missing = [message_id for message_id in extracted if message_id not in catalog]
    untranslated = [message_id for message_id, message in catalog.items() if message_id in extracted and (
        "fuzzy" in message.flags or not (message.string if isinstance(message.string, str) else all(message.string)))]
    assert not missing, f"texts not in the German catalog (run pybabel update): {missing[:20]}"
    assert not untranslated, f"texts without German translation: {untranslated[:20]}"
