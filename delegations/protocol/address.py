"""Forms of address: how to greet, write to and name a person in a given language.

The unit records, per person and language, the spoken form ("Herr Botschafter"), the written salutation
("Exzellenz"), the title and name as printed, the address block and when it was last checked with the
guest's office. For German and English this module suggests the usual forms for an office; the unit
checks and corrects them. `head_of_delegation_line` names the head of a delegation on a programme cover.

Pure: reads the attributes of the objects it is given (a delegation, its members and their forms of address).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# After this long without a check, a form of address is shown as due for checking again.
CHECK_AGAIN_AFTER = timedelta(days=365)

MS, MR, NEUTRAL = "ms", "mr", "neutral"
SUFFIX_LANGUAGES = ("zh", "ja", "ko")  # the honorific follows the name: 李伟阁下, 山田様


@dataclass(frozen=True)
class SuggestedForm:
    title: str
    spoken: str
    salutation: str
    address_block: str


# Office key -> language -> salutation kind -> (title, spoken, written salutation, first lines of the address block).
# "{surname}" and "{name}" are filled in; the block ends with the person's name and function.
_SUGGESTIONS: dict[str, dict[str, dict[str, tuple[str, str, str, str]]]] = {
    "head_of_state": {
        "de": {MR: ("Seine Exzellenz", "Herr Präsident", "Exzellenz,", "Seiner Exzellenz\nHerrn {name}"),
               MS: ("Ihre Exzellenz", "Frau Präsidentin", "Exzellenz,", "Ihrer Exzellenz\nFrau {name}")},
        "en": {MR: ("His Excellency", "Mr President", "Excellency,", "His Excellency\n{name}"),
               MS: ("Her Excellency", "Madam President", "Excellency,", "Her Excellency\n{name}")},
    },
    "head_of_government": {
        "de": {MR: ("Seine Exzellenz", "Herr Premierminister", "Exzellenz,", "Seiner Exzellenz\nHerrn {name}"),
               MS: ("Ihre Exzellenz", "Frau Premierministerin", "Exzellenz,", "Ihrer Exzellenz\nFrau {name}")},
        "en": {MR: ("His Excellency", "Prime Minister", "Dear Prime Minister,", "His Excellency\n{name}"),
               MS: ("Her Excellency", "Prime Minister", "Dear Prime Minister,", "Her Excellency\n{name}")},
    },
    "minister": {
        "de": {MR: ("", "Herr Minister", "Sehr geehrter Herr Minister,", "Herrn\n{name}"),
               MS: ("", "Frau Ministerin", "Sehr geehrte Frau Ministerin,", "Frau\n{name}")},
        "en": {MR: ("The Honourable", "Minister", "Dear Minister,", "The Honourable\n{name}"),
               MS: ("The Honourable", "Minister", "Dear Minister,", "The Honourable\n{name}")},
    },
    "ambassador": {
        "de": {MR: ("S. E.", "Herr Botschafter", "Exzellenz,", "Seiner Exzellenz\nHerrn {name}"),
               MS: ("I. E.", "Frau Botschafterin", "Exzellenz,", "Ihrer Exzellenz\nFrau {name}")},
        "en": {MR: ("H.E.", "Your Excellency", "Your Excellency,", "His Excellency\n{name}"),
               MS: ("H.E.", "Your Excellency", "Your Excellency,", "Her Excellency\n{name}")},
    },
    "partner_mayor": {
        "de": {MR: ("", "Herr Bürgermeister", "Sehr geehrter Herr Bürgermeister,", "Herrn\n{name}"),
               MS: ("", "Frau Bürgermeisterin", "Sehr geehrte Frau Bürgermeisterin,", "Frau\n{name}")},
        "en": {MR: ("", "Mayor {surname}", "Dear Mayor {surname},", "{name}"),
               MS: ("", "Mayor {surname}", "Dear Mayor {surname},", "{name}")},
    },
    "lord_mayor": {
        "de": {MR: ("", "Herr Oberbürgermeister", "Sehr geehrter Herr Oberbürgermeister,", "Herrn\n{name}"),
               MS: ("", "Frau Oberbürgermeisterin", "Sehr geehrte Frau Oberbürgermeisterin,", "Frau\n{name}")},
        "en": {MR: ("", "Lord Mayor", "Dear Lord Mayor,", "{name}"),
               MS: ("", "Lady Mayor", "Dear Lady Mayor,", "{name}")},
    },
    "mayor": {
        "de": {MR: ("", "Herr Bürgermeister", "Sehr geehrter Herr Bürgermeister,", "Herrn\n{name}"),
               MS: ("", "Frau Bürgermeisterin", "Sehr geehrte Frau Bürgermeisterin,", "Frau\n{name}")},
        "en": {MR: ("", "Deputy Mayor {surname}", "Dear Deputy Mayor,", "{name}"),
               MS: ("", "Deputy Mayor {surname}", "Dear Deputy Mayor,", "{name}")},
    },
    "consul_general": {
        "de": {MR: ("", "Herr Generalkonsul", "Sehr geehrter Herr Generalkonsul,", "Herrn\n{name}"),
               MS: ("", "Frau Generalkonsulin", "Sehr geehrte Frau Generalkonsulin,", "Frau\n{name}")},
        "en": {MR: ("", "Consul General", "Dear Consul General,", "{name}"),
               MS: ("", "Consul General", "Dear Consul General,", "{name}")},
    },
    "consul": {
        "de": {MR: ("", "Herr Konsul", "Sehr geehrter Herr Konsul,", "Herrn\n{name}"),
               MS: ("", "Frau Konsulin", "Sehr geehrte Frau Konsulin,", "Frau\n{name}")},
        "en": {MR: ("", "Consul {surname}", "Dear Consul,", "{name}"),
               MS: ("", "Consul {surname}", "Dear Consul,", "{name}")},
    },
    "council_member": {
        "de": {MR: ("", "Herr Ratsherr {surname}", "Sehr geehrter Herr Ratsherr {surname},", "Herrn Ratsherrn\n{name}"),
               MS: ("", "Frau Ratsfrau {surname}", "Sehr geehrte Frau Ratsfrau {surname},", "Frau Ratsfrau\n{name}")},
        "en": {MR: ("", "Councillor {surname}", "Dear Councillor {surname},", "Councillor\n{name}"),
               MS: ("", "Councillor {surname}", "Dear Councillor {surname},", "Councillor\n{name}")},
    },
}
_DEFAULT = {
    "de": {MR: ("", "Herr {surname}", "Sehr geehrter Herr {surname},", "Herrn\n{name}"),
           MS: ("", "Frau {surname}", "Sehr geehrte Frau {surname},", "Frau\n{name}"),
           NEUTRAL: ("", "{name}", "Guten Tag {name},", "{name}")},
    "en": {MR: ("", "Mr {surname}", "Dear Mr {surname},", "Mr\n{name}"),
           MS: ("", "Ms {surname}", "Dear Ms {surname},", "Ms\n{name}"),
           NEUTRAL: ("", "{name}", "Dear {name},", "{name}")},
}
SUGGESTION_LANGUAGES = tuple(_DEFAULT)


def surname_of(name: str) -> str:
    """The last word of a Latin-script name, without academic titles ("Dr. Martin Weber" -> "Weber")."""
    words = [word for word in name.replace(",", " ").split() if not word.endswith(".")]
    return words[-1] if words else name.strip()


def suggest_form(office_key: str | None, language: str, salutation: str, name: str,
                 function: str = "") -> SuggestedForm | None:
    """The usual forms for this office in German or English, or None for other languages (the unit asks)."""
    language = (language or "").split("-")[0].lower()
    if language not in _DEFAULT:
        return None
    kind = salutation if salutation in (MR, MS, NEUTRAL) else NEUTRAL
    by_language = _SUGGESTIONS.get(office_key or "", {}).get(language, {})
    pattern = by_language.get(kind) or _DEFAULT[language][kind if kind in _DEFAULT[language] else NEUTRAL]
    if kind == NEUTRAL and kind not in by_language:
        pattern = _DEFAULT[language][NEUTRAL]
    values = {"name": name.strip(), "surname": surname_of(name)}
    title, spoken, written, block = (part.format(**values) for part in pattern)
    if function:
        block = f"{block}\n{function.strip()}"
    return SuggestedForm(title=title, spoken=spoken, salutation=written, address_block=block)


def needs_checking(last_checked_on: date | None, today: date) -> bool:
    """Never checked, or not for a year: ask the guest's office again."""
    return last_checked_on is None or today - last_checked_on > CHECK_AGAIN_AFTER


def form_in(person, language: str):
    """The person's recorded form of address in `language` (or its base language), else None."""
    language = (language or "").lower()
    forms = getattr(person, "forms_of_address", None) or ()
    base = language.split("-")[0]
    return (next((form for form in forms if form.language == language), None)
            or next((form for form in forms if form.language.split("-")[0] == base), None))


def named_with_title(title: str, name: str, language: str) -> str:
    title, name = (title or "").strip(), (name or "").strip()
    if not title:
        return name
    if language.split("-")[0] in SUFFIX_LANGUAGES:
        return f"{name}{title}"
    return f"{title} {name}"


def head_of(delegation):
    """The head of delegation as a member (role "head", first in list order), or None."""
    members = [member for member in getattr(delegation, "members", None) or ()
               if getattr(member, "anonymised_at", None) is None]
    return next((member for member in members if str(getattr(member.role, "value", member.role)) == "head"), None)


def head_of_delegation(delegation, language: str) -> tuple[str, str]:
    """(name line, function line) for the head of delegation in `language`, e.g. on a programme cover.

    The recorded form of address in that language (title and name as written there, function) comes first;
    then the name in the person's own script when the document is in that script's language; then the name
    and function as recorded for the delegation. ("", "") when no head is known.
    """
    head = head_of(delegation)
    language = (language or "").lower()
    if head is not None:
        form = form_in(head, language)
        if form is not None and (form.name or form.title):
            return (named_with_title(form.title, form.name or head.name, language),
                    (form.function or "").strip())
        rank = getattr(head, "protocol_rank", None)
        if rank is not None and rank.native_name and rank.native_language \
                and rank.native_language.split("-")[0] == language.split("-")[0]:
            return rank.native_name, (head.function or "").strip()
        return (head.name or "").strip(), (head.function or "").strip()
    return (delegation.head_name or "").strip(), (delegation.head_function or "").strip()


def head_of_delegation_line(delegation, language: str) -> str:
    """The head of delegation in one line: "S. E. Herr Tarō Yamada, Botschafter von Japan"."""
    name, function = head_of_delegation(delegation, language)
    if not name:
        return ""
    return f"{name}, {function}" if function else name


@dataclass(frozen=True)
class Greeting:
    """How to greet one guest, for the briefing: the spoken form in each recorded language."""

    person: object
    forms: tuple
    needs_checking: bool
    missing: bool


def greetings(people, today: date) -> list[Greeting]:
    """Per person (in the order given), their recorded forms, and whether they are missing or due for a check."""
    found = []
    for person in people:
        forms = tuple(getattr(person, "forms_of_address", None) or ())
        due = any(needs_checking(form.last_checked_on, today) for form in forms)
        found.append(Greeting(person=person, forms=forms, needs_checking=due, missing=not forms))
    return found
