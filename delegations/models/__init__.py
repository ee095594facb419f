"""All models, imported here so that Alembic and the app see the whole schema."""
from delegations.models.base import Base, UTCDateTime, utc_now
from delegations.models.people import ContactPerson, Venue, VenueTravelTime
from delegations.models.principals import Principal
from delegations.models.users import User
from delegations.models.visits import Delegation, Member, MemberImport, ProgrammeItem, ProgrammeItemTranslation

__all__ = [
    "Base", "UTCDateTime", "utc_now", "User", "Principal", "ContactPerson", "Venue", "VenueTravelTime",
    "Delegation", "Member", "MemberImport", "ProgrammeItem", "ProgrammeItemTranslation",
]
