"""Preparing a release's notices: whom to write (the liaison among them), what each preview shows, and the
programme PDFs to attach (rendered once per language through the printing registry). No request objects."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _

from delegations.releases import operations, queries
from delegations.releases.diff import Change, describe
from delegations.releases.notices import PlannedNotice, is_address, liaison_person, plan_notices
from delegations.releases.snapshot import printed_hash


def liaison_language(delegation) -> str:
    """The liaison reads English, or German when the delegation reads German."""
    return "de" if "de" in (delegation.languages or []) else "en"


def liaison_candidates(delegation) -> list:
    """Members of the delegation who can be the liaison: not anonymised, with an e-mail address."""
    return [member for member in delegation.members
            if getattr(member, "anonymised_at", None) is None and is_address(member.email)]


def planned_notices(delegation, changes: list[Change], liaison_id: str | None, *,
                    staff_language: str) -> list[PlannedNotice]:
    """The notices of a release; `liaison_id` names the member chosen as liaison ("" or unknown: none)."""
    liaison = next((member for member in liaison_candidates(delegation) if str(member.id) == (liaison_id or "")),
                   None)
    return plan_notices(changes, staff_language=staff_language,
                        liaison=liaison_person(liaison) if liaison is not None else None,
                        liaison_language=liaison_language(delegation))


@dataclass(frozen=True)
class NoticePreview:
    notice: PlannedNotice
    subject: str
    changes: list[str]


def notice_previews(delegation, number: int, notices: list[PlannedNotice]) -> list[NoticePreview]:
    """Each notice as its recipient will read it: subject and changes in the notice's language."""
    previews = []
    for notice in notices:
        with force_locale(notice.language):
            subject = _("Programme change: %(title)s (version %(number)s)", title=delegation.title, number=number)
            texts = [describe(change) for change in notice.changes]
        previews.append(NoticePreview(notice, subject, texts))
    return previews


class NoticeAttachments:
    """The new programme as PDF, rendered once per language; `base_url` is the public address its QR code uses."""

    def __init__(self, delegation, base_url: str) -> None:
        from delegations.printing.pdf import RenderError, RenderTimeout

        self.delegation = delegation
        self.base_url = base_url
        self.produced: dict[str, object] = {}
        self.render_errors = (RenderError, RenderTimeout)

    def pdf(self, notice: PlannedNotice):
        """The unit's people get the programme in the notice's language (German by default), the liaison the
        one in the delegation's own language."""
        from delegations.mail.outbox import Attachment
        from delegations.printing import documents

        document = documents.programme_document_for(self.delegation)
        language = notice.language
        if notice.person.kind == "liaison" or language not in document.languages(self.delegation):
            language = document.default_language(self.delegation)
        if language not in self.produced:
            self.produced[language] = documents.produce(
                document, self.delegation, language, documents.current_settings(),
                filename_stem=documents.filename_stem(document.name, self.delegation.title, self.delegation.id),
                guest_url=documents.guest_url_for(self.delegation.id, self.base_url))
        produced = self.produced[language]
        return Attachment(produced.filename, produced.content_type, produced.data)

    def note_copies(self, number: int, user_id: int | None) -> None:
        """The attached PDFs are printed copies too (kind "notice")."""
        if not self.produced:
            return
        hash_ = printed_hash(queries.current_snapshot(self.delegation))
        for language in self.produced:
            operations.record_printed_copy(self.delegation.id, hash_=hash_, version_number=number, kind="notice",
                                           language=language, user_id=user_id)
