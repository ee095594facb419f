"""The rules the database itself keeps: times in order, aware instants only."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from delegations.extensions import db
from delegations.models import Delegation, Member, ProgrammeItem, ProgrammeItemTranslation, VenueTravelTime
from delegations.models.base import NaiveDatetimeError
from tests.factories import berlin, make_delegation, make_item, make_member, make_venue


def test_item_end_must_be_after_start_in_the_database(app):
    delegation = make_delegation()
    start = delegation.arrival_at + timedelta(hours=1)
    db.session.add(ProgrammeItem(delegation=delegation, title="Backwards", starts_at=start, ends_at=start))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_departure_must_be_after_arrival_in_the_database(app):
    arrival = berlin("2027-05-03 09:00")
    db.session.add(Delegation(title="Backwards", arrival_at=arrival, departure_at=arrival - timedelta(hours=1)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_expected_size_cannot_be_negative(app):
    arrival = berlin("2027-05-03 09:00")
    db.session.add(Delegation(title="Negative", arrival_at=arrival, departure_at=arrival + timedelta(days=1),
                              expected_size=-1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_naive_datetime_is_refused(app):
    naive = datetime(2027, 5, 3, 9, 0)
    db.session.add(Delegation(title="Naive", arrival_at=naive, departure_at=naive + timedelta(days=1)))
    with pytest.raises(StatementError) as caught:
        db.session.flush()
    assert isinstance(caught.value.orig, NaiveDatetimeError)
    db.session.rollback()


def test_naive_datetime_is_refused_in_queries_too(app):
    with pytest.raises(StatementError):
        db.session.scalars(select(Delegation).where(Delegation.arrival_at > datetime(2027, 1, 1))).all()
    db.session.rollback()


def test_aware_datetime_round_trips_as_the_same_instant_in_utc(app):
    tokyo = datetime(2027, 10, 5, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    delegation = make_delegation(arrival_at=tokyo, timezone="Asia/Tokyo")
    delegation_id = delegation.id
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Delegation, delegation_id)
    assert stored.arrival_at == tokyo
    assert stored.arrival_at.tzinfo is not None and stored.arrival_at.utcoffset() == timedelta(0)
    assert stored.arrival_at == datetime(2027, 10, 5, 0, 30, tzinfo=timezone.utc)
    assert stored.local(stored.arrival_at).hour == 9


def test_stored_value_is_utc_on_disk(app):
    """A Berlin summer time is written as UTC (two hours earlier), whatever the database."""
    delegation = make_delegation(arrival_at=berlin("2027-07-01 12:00"))
    db.session.commit()
    raw = db.session.execute(text("SELECT arrival_at FROM delegation WHERE id = :id"), {"id": delegation.id}).scalar()
    if isinstance(raw, str):  # SQLite keeps text
        assert raw.startswith("2027-07-01 10:00")
    else:
        assert raw.astimezone(timezone.utc).hour == 10


def test_deleting_a_delegation_removes_its_members_items_and_translations(app):
    delegation = make_delegation()
    make_member(delegation)
    item = make_item(delegation)
    item.translations.append(ProgrammeItemTranslation(language="en", title="Meeting"))
    db.session.commit()
    db.session.delete(delegation)
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(Member)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(ProgrammeItem)) == 0
    assert db.session.scalar(select(db.func.count()).select_from(ProgrammeItemTranslation)) == 0


def test_one_translation_per_language_and_item(app):
    item = make_item(make_delegation())
    item.translations.append(ProgrammeItemTranslation(language="en", title="One"))
    item.translations.append(ProgrammeItemTranslation(language="en", title="Two"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_travel_time_pairs_are_stored_once_lower_id_first(app):
    first, second = make_venue(), make_venue()
    db.session.add(VenueTravelTime(from_venue_id=second.id, to_venue_id=first.id, minutes=5))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_item_text_falls_back_to_german_without_translation(app):
    item = make_item(make_delegation(), title="Empfang", description="Im Rathaus")
    item.translations.append(ProgrammeItemTranslation(language="en", title="Reception", description=""))
    db.session.flush()
    assert item.title_in("en") == "Reception"
    assert item.description_in("en") == "Im Rathaus"
    assert item.title_in("pl") == "Empfang"
    assert item.duration_minutes == 60


def test_version_grows_with_each_change(app):
    delegation = make_delegation()
    db.session.commit()
    assert delegation.version == 1
    delegation.title = "Renamed"
    db.session.commit()
    assert delegation.version == 2
