"""All models, imported here so that Alembic and the app see the whole schema."""
from delegations.models.base import Base, UTCDateTime, utc_now
from delegations.models.calendars import BusyBlock, OfficeHours, PrincipalCalendar, delegation_principal
from delegations.models.people import ContactPerson, Venue, VenueTravelTime
from delegations.models.principals import Principal
from delegations.models.users import User
from delegations.models.history import AuditAction, AuditEntry
from delegations.models.sessions import UserSession
from delegations.models.visits import Delegation, Member, MemberImport, ProgrammeItem, ProgrammeItemTranslation
from delegations.models.feeds import FeedDetail, FeedScope, FeedToken
from delegations.models.printing import GuestLink
from delegations.models.planning import ArrangementRequest, ConflictAcknowledgement
from delegations.models.protocol import (ChecklistTask, CityParticipant, DiningTable, FormOfAddress, Gift,
                                         GoldenBookSignatory, GoldenBookSigning, ItemInterpreting, OfficeLevel,
                                         PrecedenceOverride, ProtocolRank, SeatAssignment, TablePlan)
from delegations.models.partners import (OfficeHolder, PartnerAgreement, PartnerAssociation, PartnerCity,
                                         PartnerCommitment)
from delegations.models.travel import Transfer, TravelLeg, transfer_passenger
from delegations.models.releases import PrintedCopy, ProgrammeVersion
from delegations.models.mail import OutboxAttachment, OutboxFile, OutboxMessage, OutboxState

__all__ = [
    "Base", "UTCDateTime", "utc_now", "User", "Principal", "ContactPerson", "Venue", "VenueTravelTime",
    "Delegation", "Member", "MemberImport", "ProgrammeItem", "ProgrammeItemTranslation",
    "PrincipalCalendar", "BusyBlock", "OfficeHours", "delegation_principal",
    "AuditAction", "AuditEntry", "UserSession",
    "FeedToken", "FeedScope", "FeedDetail",
    "GuestLink",
    "ArrangementRequest", "ConflictAcknowledgement",
    "OfficeLevel", "ProtocolRank", "FormOfAddress", "CityParticipant", "PrecedenceOverride", "ItemInterpreting",
    "TablePlan", "DiningTable", "SeatAssignment", "Gift", "GoldenBookSigning", "GoldenBookSignatory", "ChecklistTask",
    "PartnerCity", "PartnerAgreement", "PartnerAssociation", "OfficeHolder", "PartnerCommitment",
    "TravelLeg", "Transfer", "transfer_passenger",
    "ProgrammeVersion", "PrintedCopy",
    "OutboxMessage", "OutboxAttachment", "OutboxFile", "OutboxState",
]
