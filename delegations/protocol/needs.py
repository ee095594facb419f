"""Needs summed up: the caterer's counts by dietary need per meal, the interpreters needed per item.

Dietary needs are recorded as free text ("vegetarisch", "vegan, keine Nüsse", "halal"); they are read into
menus (standard, vegetarian, vegan, pescetarian: one per person) and restrictions (halal, kosher, gluten,
lactose, nuts...: any number per person). Text that matches nothing is passed on word for word.

Interpreting: guests who share no language with the city side's working languages need an interpreter
into their language. The mode decides how many: consecutive one per language (two beyond three hours),
simultaneous a team of two per language and a booth, whispered one per two listeners.
Pure: plain values in, plain values out.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Sequence

STANDARD, VEGETARIAN, VEGAN, PESCETARIAN = "standard", "vegetarian", "vegan", "pescetarian"
MENUS = (STANDARD, VEGETARIAN, VEGAN, PESCETARIAN)
HALAL, KOSHER, NO_PORK = "halal", "kosher", "no_pork"
GLUTEN_FREE, LACTOSE_FREE, NUT_ALLERGY, SHELLFISH_ALLERGY = "gluten_free", "lactose_free", "nuts", "shellfish"
DIABETIC, NO_ALCOHOL = "diabetic", "no_alcohol"
RESTRICTIONS = (HALAL, KOSHER, NO_PORK, GLUTEN_FREE, LACTOSE_FREE, NUT_ALLERGY, SHELLFISH_ALLERGY, DIABETIC,
                NO_ALCOHOL)

# Word stems in German, English and French, matched after folding case and accents.
_MENU_WORDS = (
    (VEGAN, ("vegan", "pflanzlich", "plant based")),
    (VEGETARIAN, ("vegetar", "veggie", "fleischlos", "ohne fleisch", "no meat", "sans viande")),
    (PESCETARIAN, ("pescetar", "pescatar", "fisch ja", "fish only")),
)
_RESTRICTION_WORDS = (
    (HALAL, ("halal",)),
    (KOSHER, ("koscher", "kosher", "casher")),
    (NO_PORK, ("kein schwein", "ohne schwein", "no pork", "schweinefleisch", "sans porc")),
    (GLUTEN_FREE, ("gluten", "zoliak", "coeliac", "celiac", "zoeliak")),
    (LACTOSE_FREE, ("laktose", "lactose", "milchfrei", "dairy", "milch")),
    (NUT_ALLERGY, ("nuss", "nusse", "nut", "erdnuss", "peanut", "noix")),
    (SHELLFISH_ALLERGY, ("meeresfrucht", "schalentier", "shellfish", "crustace", "krebstier")),
    (DIABETIC, ("diabet",)),
    (NO_ALCOHOL, ("alkohol", "alcohol", "alcool")),
)
_NOTHING = ("", "-", "–", "keine", "none", "no", "nein", "n/a", "na", "normal", "ohne", "nichts")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"\s+", " ", text.casefold()).strip()


@dataclass(frozen=True)
class DietaryReading:
    menu: str
    restrictions: frozenset[str]
    unrecognised: str  # the part of the text that matched nothing, word for word


def read_dietary_needs(text: str) -> DietaryReading:
    folded = fold(text)
    if folded in _NOTHING:
        return DietaryReading(STANDARD, frozenset(), "")
    menu = STANDARD
    for candidate, words in _MENU_WORDS:
        if any(word in folded for word in words):
            menu = candidate
            break
    restrictions = {name for name, words in _RESTRICTION_WORDS if any(word in folded for word in words)}
    if menu == VEGAN:
        restrictions.discard(LACTOSE_FREE)  # vegan covers it
    recognised = menu != STANDARD or restrictions
    return DietaryReading(menu, frozenset(restrictions), "" if recognised else (text or "").strip())


@dataclass(frozen=True)
class Eater:
    name: str
    dietary_needs: str = ""
    accessibility_needs: str = ""


@dataclass
class CatererCount:
    total: int = 0
    menus: dict[str, int] = field(default_factory=dict)
    restrictions: dict[str, int] = field(default_factory=dict)
    # Per person: what the caterer must know by name (allergies and anything not read into a category).
    by_name: list[tuple[str, str]] = field(default_factory=list)
    accessibility: list[tuple[str, str]] = field(default_factory=list)


def caterer_count(people: Iterable[Eater]) -> CatererCount:
    count = CatererCount()
    menus: Counter = Counter()
    restrictions: Counter = Counter()
    for person in people:
        count.total += 1
        reading = read_dietary_needs(person.dietary_needs)
        menus[reading.menu] += 1
        restrictions.update(reading.restrictions)
        if (person.dietary_needs or "").strip() and (reading.restrictions or reading.unrecognised):
            count.by_name.append((person.name, person.dietary_needs.strip()))
        if (person.accessibility_needs or "").strip():
            count.accessibility.append((person.name, person.accessibility_needs.strip()))
    count.menus = {menu: menus[menu] for menu in MENUS if menus[menu]}
    count.restrictions = {name: restrictions[name] for name in RESTRICTIONS if restrictions[name]}
    return count


# Interpreting ---------------------------------------------------------------------------------------------

CONSECUTIVE, SIMULTANEOUS, WHISPERED, NO_INTERPRETING = "consecutive", "simultaneous", "whispered", "none"
MODES = (CONSECUTIVE, SIMULTANEOUS, WHISPERED, NO_INTERPRETING)
# The usual mode for a kind of programme item (the planner may choose another per item).
DEFAULT_MODES = {"reception": CONSECUTIVE, "meeting": CONSECUTIVE, "meal": WHISPERED, "visit": WHISPERED,
                 "press": CONSECUTIVE, "transfer": NO_INTERPRETING, "free_time": NO_INTERPRETING}
LONG_CONSECUTIVE_MINUTES = 180
LISTENERS_PER_WHISPERER = 2


@dataclass(frozen=True)
class Listener:
    name: str
    languages: tuple[str, ...]  # in order of preference


@dataclass(frozen=True)
class Interpreter:
    name: str
    languages: frozenset[str]


@dataclass(frozen=True)
class LanguageNeed:
    language: str
    mode: str
    listeners: tuple[str, ...]
    needed: int
    available: tuple[str, ...]
    booths: int

    @property
    def missing(self) -> int:
        return max(0, self.needed - len(self.available))


def interpreters_needed(mode: str, listeners: int, minutes: int) -> tuple[int, int]:
    """(interpreters, booths) for one language."""
    if mode == NO_INTERPRETING or listeners == 0:
        return 0, 0
    if mode == SIMULTANEOUS:
        return 2, 1
    if mode == WHISPERED:
        return math.ceil(listeners / LISTENERS_PER_WHISPERER), 0
    return (2 if minutes > LONG_CONSECUTIVE_MINUTES else 1), 0


def interpreting_needs(mode: str, minutes: int, listeners: Sequence[Listener], working_languages: Iterable[str],
                       interpreters: Sequence[Interpreter]) -> list[LanguageNeed]:
    """Per language: who needs it, how many interpreters in this mode, who of those present covers it."""
    working = {language.split("-")[0] for language in working_languages}
    by_language: dict[str, list[str]] = {}
    for listener in listeners:
        languages = [language.split("-")[0] for language in listener.languages if language]
        if not languages or working & set(languages):
            continue
        by_language.setdefault(languages[0], []).append(listener.name)
    needs = []
    for language in sorted(by_language):
        names = by_language[language]
        needed, booths = interpreters_needed(mode, len(names), minutes)
        available = tuple(interpreter.name for interpreter in interpreters
                          if language in {code.split("-")[0] for code in interpreter.languages})
        needs.append(LanguageNeed(language, mode, tuple(names), needed, available, booths))
    return needs
