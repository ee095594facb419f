"""The domain's fixed vocabularies, with labels in the user's language."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class LabelledEnum(StrEnum):
    """A string enum whose members carry a translatable label."""

    @property
    def label(self) -> str:
        return str(self._labels()[self])

    @classmethod
    def _labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class Role(LabelledEnum):
    VIEWER = "viewer"
    PLANNER = "planner"
    ADMIN = "admin"

    @classmethod
    def _labels(cls):
        return {cls.VIEWER: _l("Viewer (read only)"), cls.PLANNER: _l("Planner"), cls.ADMIN: _l("Administrator")}

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: "Role") -> bool:
        """An admin may do what a planner may, a planner what a viewer may."""
        return self.rank >= Role(other).rank


class Direction(LabelledEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"

    @classmethod
    def _labels(cls):
        return {cls.INCOMING: _l("Incoming delegation"), cls.OUTGOING: _l("Outgoing tour")}


class DelegationStatus(LabelledEnum):
    INQUIRY = "inquiry"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {
            cls.INQUIRY: _l("Inquiry"),
            cls.PLANNED: _l("Planned"),
            cls.CONFIRMED: _l("Confirmed"),
            cls.COMPLETED: _l("Completed"),
            cls.CANCELLED: _l("Cancelled"),
        }


class ProtocolLevel(LabelledEnum):
    MAYOR = "mayor"
    DEPUTY_MAYOR = "deputy_mayor"
    UNIT = "unit"

    @classmethod
    def _labels(cls):
        return {
            cls.MAYOR: _l("Received by the Mayor"),
            cls.DEPUTY_MAYOR: _l("Received by a deputy mayor"),
            cls.UNIT: _l("Received by the International Unit"),
        }


class PrincipalKind(LabelledEnum):
    MAYOR = "mayor"
    DEPUTY_MAYOR = "deputy_mayor"

    @classmethod
    def _labels(cls):
        return {cls.MAYOR: _l("Mayor"), cls.DEPUTY_MAYOR: _l("Deputy mayor")}


class MemberRole(LabelledEnum):
    HEAD = "head"
    MEMBER = "member"
    INTERPRETER = "interpreter"
    PRESS = "press"
    SECURITY = "security"
    STAFF = "staff"

    @classmethod
    def _labels(cls):
        return {
            cls.HEAD: _l("Head of delegation"),
            cls.MEMBER: _l("Member"),
            cls.INTERPRETER: _l("Interpreter"),
            cls.PRESS: _l("Press"),
            cls.SECURITY: _l("Security"),
            cls.STAFF: _l("Staff"),
        }


class ItemKind(LabelledEnum):
    RECEPTION = "reception"
    MEETING = "meeting"
    MEAL = "meal"
    VISIT = "visit"
    TRANSFER = "transfer"
    PRESS = "press"
    FREE_TIME = "free_time"

    @classmethod
    def _labels(cls):
        return {
            cls.RECEPTION: _l("Reception"),
            cls.MEETING: _l("Meeting"),
            cls.MEAL: _l("Meal"),
            cls.VISIT: _l("Visit"),
            cls.TRANSFER: _l("Transfer"),
            cls.PRESS: _l("Press"),
            cls.FREE_TIME: _l("Free time"),
        }


class ItemStatus(LabelledEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"

    @classmethod
    def _labels(cls):
        return {cls.TENTATIVE: _l("Tentative"), cls.CONFIRMED: _l("Confirmed"), cls.CANCELLED: _l("Cancelled")}


# Languages offered when recording what a delegation reads; any ISO 639-1 code is accepted in imports.
COMMON_LANGUAGES = (
    "de", "en", "fr", "es", "it", "pt", "nl", "pl", "cs", "uk", "ru", "tr",
    "ar", "fa", "he", "hi", "zh", "ja", "ko", "vi", "sv", "da", "el", "ny",
)
