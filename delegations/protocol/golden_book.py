"""The Golden Book: is a prepared entry ready to be signed? Every signatory's name checked, and written
in the text exactly as checked (accents and all). Pure."""
from __future__ import annotations

from dataclasses import dataclass

MISSING_TEXT = "missing_text"
NO_SIGNATORIES = "no_signatories"
NAME_UNCHECKED = "name_unchecked"
NAME_NOT_IN_TEXT = "name_not_in_text"


@dataclass(frozen=True)
class EntryProblem:
    code: str
    name: str = ""


def entry_problems(text: str, signatories) -> list[EntryProblem]:
    """What still stands between the prepared entry and the signing (empty: ready)."""
    problems = []
    if not (text or "").strip():
        problems.append(EntryProblem(MISSING_TEXT))
    people = list(signatories)
    if not people:
        problems.append(EntryProblem(NO_SIGNATORIES))
    for person in people:
        if person.checked_at is None:
            problems.append(EntryProblem(NAME_UNCHECKED, person.name))
        # Exactly as checked: "Wisniewska" in the text is not "Wiśniewska".
        if (text or "").strip() and person.name.strip() and person.name.strip() not in text:
            problems.append(EntryProblem(NAME_NOT_IN_TEXT, person.name))
    return problems
