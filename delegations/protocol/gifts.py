"""Gift rules: when a gift needs approval or must be reported, whether a counterpart received it before,
and the year's list for the council's annual report as CSV and XLSX.

Thresholds are settings (GIFT_APPROVAL_THRESHOLD_EUR, GIFT_REPORTING_THRESHOLD_EUR; see docs/protocol.md):
a gift worth more than the approval threshold needs approval, one worth more than the reporting threshold
is listed as reportable; a gift without an estimated value needs approval until it has one.

Exported files are read in spreadsheet programs: every text cell that starts with =, +, -, @, a tab or a
carriage return gets a leading apostrophe (OWASP "CSV injection"), and the XLSX holds values only, no formula.
Pure: plain values in, bytes out.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Sequence

from delegations.spreadsheets import neutralise_cell, write_csv, write_xlsx  # noqa: F401 - the export API

DEFAULT_APPROVAL_THRESHOLD_EUR = Decimal("35")
DEFAULT_REPORTING_THRESHOLD_EUR = Decimal("150")
SIMILAR_ENOUGH = 0.85


@dataclass(frozen=True)
class GiftRules:
    approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD_EUR
    reporting_threshold: Decimal = DEFAULT_REPORTING_THRESHOLD_EUR

    @classmethod
    def from_config(cls, config) -> "GiftRules":
        return cls(Decimal(str(config.get("GIFT_APPROVAL_THRESHOLD_EUR", DEFAULT_APPROVAL_THRESHOLD_EUR))),
                   Decimal(str(config.get("GIFT_REPORTING_THRESHOLD_EUR", DEFAULT_REPORTING_THRESHOLD_EUR))))

    def needs_approval(self, value: Decimal | None) -> bool:
        return value is None or Decimal(value) > self.approval_threshold

    def must_be_reported(self, value: Decimal | None) -> bool:
        return value is not None and Decimal(value) > self.reporting_threshold


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing do not make a gift or a person different."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii") or (text or "")
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def same_thing(first: str, second: str) -> bool:
    first, second = normalise(first), normalise(second)
    if not first or not second:
        return False
    if first == second:
        return True
    words_first, words_second = set(first.split()), set(second.split())
    overlap = len(words_first & words_second) / len(words_first | words_second)
    return overlap >= 0.75 or difflib.SequenceMatcher(None, first, second).ratio() >= SIMILAR_ENOUGH


@dataclass(frozen=True)
class GiftFacts:
    """What the repeat check compares: the gift and who received it."""

    id: int | None
    article: str  # what it is, briefly ("Porzellanteller Herrenhausen")
    recipient: str
    recipient_organisation: str
    given_on: date | None = None


def same_counterpart(first: GiftFacts, second: GiftFacts) -> bool:
    if normalise(first.recipient) and normalise(first.recipient) == normalise(second.recipient):
        return True
    return bool(normalise(first.recipient_organisation)) and \
        normalise(first.recipient_organisation) == normalise(second.recipient_organisation)


def repeat_warnings(candidate: GiftFacts, given_before: Iterable[GiftFacts]) -> list[GiftFacts]:
    """Earlier gifts to the same person or organisation that were the same thing, latest first."""
    found = [earlier for earlier in given_before
             if earlier.id != candidate.id and same_counterpart(candidate, earlier)
             and same_thing(candidate.article, earlier.article)]
    return sorted(found, key=lambda gift: gift.given_on or date.min, reverse=True)


# The annual export ------------------------------------------------------------------------------------------
# Written by the app's one spreadsheet writer, which neutralises formula-like cells (OWASP CSV injection).

neutralise = neutralise_cell
