"""Releasing programme versions through the app: the panel, the preview, the notices in the outbox, double
submits, roles, comparisons, stale printed copies and the version named on the PDF, guest page and feed."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from delegations.constants import MemberRole, PrincipalKind, Role
from delegations.extensions import db
from delegations.models import OutboxMessage, PrintedCopy, ProgrammeItem, ProgrammeVersion
from delegations.models.releases import ImmutableVersionError
from tests.accounts import sign_in
from tests.factories import berlin, make_contact, make_delegation, make_item, make_member, make_principal, make_venue
from tests.printing_data import pdf_text


@pytest.fixture(autouse=True)
def config(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), PUBLIC_BASE_URL="https://planner.example.org",
                      MAIL_SMTP_HOST="", MAIL_FROM="")


class Visit:
    def __init__(self):
        self.mayor = make_principal(name="Martin Weber", title="Oberbürgermeister", kind=PrincipalKind.MAYOR,
                                    office_email="mayor-office@example.org")
        self.vogel = make_contact(name="Katrin Vogel", email="katrin.vogel@example.org")
        self.albrecht = make_contact(name="Jonas Albrecht", email="jonas.albrecht@example.org")
        self.brandt = make_contact(name="Thomas Brandt", email="")
        self.town_hall = make_venue(name="New Town Hall", room="")
        self.gardens = make_venue(name="Herrenhausen Gardens", room="")
        self.delegation = make_delegation(title="Delegation from Poznań", arrival_at=berlin("2027-03-26 09:00"),
                                          languages=["pl", "en"], lead_contact=self.albrecht)
        self.reception = make_item(self.delegation, berlin("2027-03-26 10:00"), 60, title="Reception",
                                   venue=self.town_hall, principal=self.mayor, responsible=self.vogel)
        self.lunch = make_item(self.delegation, berlin("2027-03-26 12:30"), 90, title="Lunch",
                               venue=self.town_hall, responsible=self.albrecht)
        self.transfer = make_item(self.delegation, berlin("2027-03-27 09:00"), 30, title="Transfer",
                                  responsible=self.brandt)
        self.liaison = make_member(self.delegation, name="Piotr Nowak", role=MemberRole.STAFF,
                                   function="Office for international cooperation", email="piotr.nowak@example.org")
        db.session.commit()
        self.id = self.delegation.id


@pytest.fixture
def visit(app):
    return Visit()


def release(client, visit: Visit, **form) -> object:
    page = client.get(f"/delegations/{visit.id}/versions/release")
    assert page.status_code == 200, page.status_code
    number = re.search(r'name="expected_number"[^>]*value="(\d+)"', page.text).group(1)
    hash_ = re.search(r'name="expected_hash"[^>]*value="([0-9a-f]{64})"', page.text).group(1)
    return client.post(f"/delegations/{visit.id}/versions/release",
                       data={"expected_number": number, "expected_hash": hash_, "liaison": "", "note": "", **form})


def move(item, hours: float = 1.5) -> None:
    item = db.session.get(ProgrammeItem, item.id)
    item.starts_at += timedelta(hours=hours)
    item.ends_at += timedelta(hours=hours)
    db.session.commit()


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient_name)))


def test_first_release_writes_version_1_and_sends_nothing(client, visit):
    sign_in(client, Role.PLANNER)
    assert "No version of this programme has been released yet" in client.get(f"/delegations/{visit.id}").text
    response = release(client, visit)
    assert response.status_code == 302 and response.location.endswith(f"/delegations/{visit.id}/versions/1")
    version = db.session.scalar(select(ProgrammeVersion))
    assert version.number == 1 and version.released_by.email == "planner@example.org"
    assert [item["title"] for item in version.snapshot["items"]] == ["Reception", "Lunch", "Transfer"]
    assert outbox() == []
    page = client.get(f"/delegations/{visit.id}").text
    assert "Up to date with the data" in page and "Release version 2" not in page


def test_a_change_makes_the_version_out_of_date_with_the_summary_on_the_visit_page(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    page = client.get(f"/delegations/{visit.id}").text
    assert "Out of date with the data: changed since version 1" in page
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in page
    assert "Release version 2" in page


def test_preview_lists_each_notice_with_recipient_subject_and_their_changes(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    lunch = db.session.get(ProgrammeItem, visit.lunch.id)
    lunch.venue_id = visit.gardens.id
    db.session.commit()
    page = client.get(f"/delegations/{visit.id}/versions/release").text
    assert "Changes since version 1 (2)" in page
    assert "Lunch: venue changed from New Town Hall to Herrenhausen Gardens" in page
    rows = re.findall(r'<tr class="kern-table__row">\s*<th class="kern-table__cell" scope="row">(.*?)</tr>', page, re.S)
    by_name = {re.sub(r"<.*", "", row.strip(), flags=re.S).strip(): row for row in rows}
    assert set(by_name) == {"Jonas Albrecht", "Katrin Vogel", "Oberbürgermeister Martin Weber"}
    assert "Herrenhausen Gardens" in by_name["Jonas Albrecht"] and "Reception" not in by_name["Jonas Albrecht"]
    assert re.search("(moved from|verschoben von) 10:00 (to|auf) 11:30", by_name["Katrin Vogel"])
    assert "Lunch" not in by_name["Katrin Vogel"]
    # Notices to the unit's staff are German (the app's default language).
    assert "Programmänderung: Delegation from Poznań (Version 2)" in by_name["Katrin Vogel"] or \
        "Programme change: Delegation from Poznań (version 2)" in by_name["Katrin Vogel"]
    assert "Piotr Nowak – Office for international cooperation, piotr.nowak@example.org" in page
    assert "No mail server is configured" in page


def test_release_queues_one_notice_per_person_with_the_pdf_and_an_acknowledgement_link(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    response = release(client, visit, liaison=str(visit.liaison.id), note="The Mayor's diary changed.")
    assert response.status_code == 302 and response.location.endswith("/versions/2")
    messages = outbox()
    assert [(m.recipient_name, m.recipients) for m in messages] == [
        ("Katrin Vogel", ["katrin.vogel@example.org"]),
        ("Oberbürgermeister Martin Weber", ["mayor-office@example.org"]),
        ("Piotr Nowak", ["piotr.nowak@example.org"]),
    ]
    liaison = messages[2]
    assert liaison.subject == "Programme change: Delegation from Poznań (version 2)"
    assert "- Reception at New Town Hall moved from 10:00 to 11:30" in liaison.body
    assert "The Mayor's diary changed." in liaison.body
    assert "https://planner.example.org/ack/" in liaison.body  # the token itself is put in when it is sent
    assert all(m.purpose == "change-notice" and m.wants_acknowledgement for m in messages)
    [attachment] = liaison.attachments
    assert attachment.content_type == "application/pdf" and attachment.filename.endswith("-pl.pdf")
    assert "Version 2" in pdf_text(attachment.data)
    german = messages[0]
    assert german.attachments[0].filename.endswith("-de.pdf")
    version_page = client.get(f"/delegations/{visit.id}/versions/2").text
    assert "Katrin Vogel" in version_page and "Waiting to be sent" in version_page and "Not yet" in version_page


def test_the_acknowledgement_token_is_neither_stored_nor_shown_to_planners(client, visit):
    """Only the token's hash is stored: the body in the outbox holds the link without it, so nobody who reads
    the database or the outbox page can acknowledge in a recipient's name."""
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    release(client, visit, liaison=str(visit.liaison.id))
    messages = outbox()
    assert messages and all(m.wants_acknowledgement for m in messages)
    token_link = re.compile(r"/ack/[A-Za-z0-9_-]{43}")
    for row in db.session.execute(select(OutboxMessage.__table__)):
        assert not any(token_link.search(str(value)) for value in row)
    assert not token_link.search(client.get("/outbox/").text)
    assert "Reception" in client.get("/outbox/").text


def test_notices_without_address_are_named_and_not_queued(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.transfer, 2)
    response = release(client, visit)
    assert outbox() == []
    page = client.get(response.location).text
    assert "Without an e-mail address, these people were not notified: Thomas Brandt" in page


def test_a_double_submit_releases_and_sends_once(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    page = client.get(f"/delegations/{visit.id}/versions/release").text
    form = {"expected_number": "2", "liaison": "", "note": "",
            "expected_hash": re.search(r'name="expected_hash"[^>]*value="([0-9a-f]{64})"', page).group(1)}
    first = client.post(f"/delegations/{visit.id}/versions/release", data=form)
    second = client.post(f"/delegations/{visit.id}/versions/release", data=form)
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count(ProgrammeVersion.id))) == 2
    assert len(outbox()) == 2
    assert "has been released already" in client.get(second.location).text


def test_the_release_message_counts_notices_in_plain_words(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.lunch)  # concerns Jonas Albrecht alone
    page = client.get(release(client, visit).location).text
    assert len(outbox()) == 1
    assert "Version 2 released. 1 change notice is in the outbox." in page
    assert "1 notice: 0 sent, 0 acknowledged" in client.get(f"/delegations/{visit.id}/versions").text


def test_data_changed_after_the_preview_is_not_released_unseen(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    page = client.get(f"/delegations/{visit.id}/versions/release").text
    hash_ = re.search(r'name="expected_hash"[^>]*value="([0-9a-f]{64})"', page).group(1)
    move(visit.lunch)
    response = client.post(f"/delegations/{visit.id}/versions/release",
                           data={"expected_number": "2", "expected_hash": hash_, "liaison": ""})
    assert response.status_code == 302 and response.location.endswith("/versions/release")
    assert db.session.scalar(select(func.count(ProgrammeVersion.id))) == 1 and outbox() == []


def test_a_tampered_form_is_explained_not_crashed(client, visit):
    sign_in(client, Role.PLANNER)
    response = client.post(f"/delegations/{visit.id}/versions/release",
                           data={"expected_number": "x", "expected_hash": "nope", "liaison": "999"})
    assert response.status_code == 302 and response.location.endswith("/versions/release")
    assert "This release form is out of date" in client.get(response.location).text
    page = client.get(f"/delegations/{visit.id}/versions/release").text
    hash_ = re.search(r'name="expected_hash"[^>]*value="([0-9a-f]{64})"', page).group(1)
    too_long = client.post(f"/delegations/{visit.id}/versions/release",
                           data={"expected_number": "1", "expected_hash": hash_, "note": "x" * 2001})
    assert too_long.status_code == 400 and "Please correct the following" in too_long.text
    assert 'id="note-error"' in too_long.text and "x" * 2001 in too_long.text  # the input is kept
    assert db.session.scalar(select(func.count(ProgrammeVersion.id))) == 0


def test_viewer_reads_versions_but_cannot_release(client, visit):
    sign_in(client, Role.PLANNER, email="planner@example.org")
    release(client, visit)
    client.post("/logout")
    sign_in(client, Role.VIEWER)
    assert client.get(f"/delegations/{visit.id}/versions").status_code == 200
    assert client.get(f"/delegations/{visit.id}/versions/1").status_code == 200
    assert client.get(f"/delegations/{visit.id}/versions/release").status_code == 403
    response = client.post(f"/delegations/{visit.id}/versions/release",
                           data={"expected_number": "2", "expected_hash": "0" * 64})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(ProgrammeVersion.id))) == 1
    assert "Release version" not in client.get(f"/delegations/{visit.id}").text


def test_compare_any_two_versions(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    move(visit.reception)
    release(client, visit)
    lunch = db.session.get(ProgrammeItem, visit.lunch.id)
    lunch.status = "cancelled"
    db.session.commit()
    release(client, visit)
    page = client.get(f"/delegations/{visit.id}/versions/compare?older=1&newer=3").text
    assert "Changes from version 1 to 3" in page
    assert "Reception at New Town Hall moved from 10:00 to 11:30" in page
    assert "Item cancelled: Lunch at New Town Hall" in page
    assert "Item cancelled" not in client.get(f"/delegations/{visit.id}/versions/compare?older=1&newer=2").text
    assert client.get(f"/delegations/{visit.id}/versions/compare?older=1&newer=9").status_code == 400
    versions = client.get(f"/delegations/{visit.id}/versions").text
    assert versions.index("Version 3") < versions.index("Version 1")


def test_a_released_version_cannot_be_changed(app, visit):
    from delegations.releases import operations

    version, _pending = operations.release_version(visit.delegation, None, expected_number=1,
                                                   expected_hash=operations.pending_release(visit.delegation)
                                                   .snapshot_hash)
    db.session.commit()
    version.note = "rewritten"
    with pytest.raises(ImmutableVersionError):
        db.session.flush()
    db.session.rollback()


def test_stale_printed_copies(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    assert client.get(f"/delegations/{visit.id}/programme.pdf?lang=pl").status_code == 200
    assert client.get(f"/delegations/{visit.id}/programme.pdf?lang=pl").status_code == 200
    copy = db.session.scalar(select(PrintedCopy))
    assert (copy.kind, copy.language, copy.version_number, copy.copies) == ("programme", "pl", 1, 2)
    page = client.get(f"/delegations/{visit.id}").text
    assert "version 1" in page and "stale" not in page
    move(visit.lunch)
    page = client.get(f"/delegations/{visit.id}").text
    assert "1 stale" in page and "stale: the data has changed since" in page
    client.get(f"/delegations/{visit.id}/programme.pdf?lang=de")
    assert "unreleased data" in client.get(f"/delegations/{visit.id}/versions").text
    release(client, visit)  # the copy printed from exactly this data is now "version 2", and current
    german = db.session.scalar(select(PrintedCopy).where(PrintedCopy.language == "de"))
    assert german.version_number == 2
    page = client.get(f"/delegations/{visit.id}").text
    assert "1 stale" in page and "unreleased data" not in page


def test_the_version_is_named_on_the_pdf_the_guest_page_and_the_feed(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    version = db.session.scalar(select(ProgrammeVersion))
    pdf = client.get(f"/delegations/{visit.id}/programme.pdf?lang=en")
    assert "Version 1," in pdf_text(pdf.data)
    client.post(f"/delegations/{visit.id}/guest-link")
    token = re.search(r"https://planner\.example\.org/p/([A-Za-z0-9_-]{43})",
                      client.get(f"/delegations/{visit.id}").text).group(1)
    guest = client.get(f"/p/{token}?lang=en").text
    assert re.search(r'class="muted release-stamp" lang="en">Version 1, \d+ \w+ \d{4}, \d\d:\d\d<', guest)
    move(visit.reception)
    assert "(data changed since)" in client.get(f"/p/{token}?lang=en").text
    from delegations.feeds.exporters import DelegationFeed, FeedPolicy
    from delegations.feeds.calendar import CalendarOptions
    from delegations.models import utc_now
    calendar = DelegationFeed().render(visit.id, CalendarOptions(name="x", internal=False, uid_domain="example.org",
                                                                 locale="en"), utc_now() - timedelta(days=0),
                                       FeedPolicy(history=timedelta(days=3650)))
    assert b"Programme: Version 1" in calendar.replace(b"\r\n ", b"")
    assert version.released_at.tzinfo is not None


def test_the_panel_and_versions_pages_read_a_fixed_number_of_queries(client, visit):
    from sqlalchemy import event

    sign_in(client, Role.PLANNER)
    release(client, visit)

    def statements(path: str) -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    paths = [f"/delegations/{visit.id}", f"/delegations/{visit.id}/versions",
             f"/delegations/{visit.id}/versions/compare?older=1&newer=current"]
    client.get(f"/delegations/{visit.id}/programme.pdf?lang=en")  # a printed copy to list
    before = [statements(path) for path in paths]
    for number in range(12):  # more items, people, venues and participants, all changed since version 1
        contact = make_contact(name=f"Extra {number}")
        make_item(visit.delegation, berlin("2027-03-27 10:00") + timedelta(minutes=20 * number), 15,
                  title=f"Extra {number}", responsible=contact, venue=make_venue(name=f"Room {number}"),
                  principal=visit.mayor)
    db.session.commit()
    for language in ("en", "de", "pl"):  # more printed copies, by other people
        client.get(f"/delegations/{visit.id}/programme.pdf?lang={language}")
    assert [statements(path) for path in paths] == before


def test_notices_arrive_by_smtp_and_the_planner_sees_who_acknowledged(app, client, runner, visit):
    from email import policy
    from email.parser import BytesParser

    from tests.mail_server import MailServer

    server = MailServer().start()
    try:
        app.config.update(server.settings())
        sign_in(client, Role.PLANNER)
        release(client, visit)
        move(visit.reception)
        lunch = db.session.get(ProgrammeItem, visit.lunch.id)
        lunch.venue_id = visit.gardens.id
        db.session.commit()
        page = client.get(release(client, visit).location).text
        assert "No mail server is configured" not in page

        result = runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
        received = {tuple(mail.rcpt_tos): BytesParser(policy=policy.default).parsebytes(mail.raw)
                    for mail in server.received}
        assert set(received) == {("katrin.vogel@example.org",), ("jonas.albrecht@example.org",),
                                 ("mayor-office@example.org",)}
        albrecht = received[("jonas.albrecht@example.org",)]
        text = albrecht.get_body(preferencelist=("plain",)).get_content()
        assert re.search("Lunch: (venue changed from|Ort geändert von) New Town Hall (to|zu) Herrenhausen Gardens",
                         text)
        assert "Reception" not in text  # only what concerns him
        [pdf] = [part for part in albrecht.iter_attachments() if part.get_content_type() == "application/pdf"]
        assert "Version 2" in pdf_text(pdf.get_content())
        ack = re.search(r"https://planner\.example\.org(/ack/[A-Za-z0-9_-]{43})", text).group(1)
    finally:
        server.stop()

    anonymous = app.test_client()
    assert anonymous.post(ack).status_code == 302
    version_page = client.get(f"/delegations/{visit.id}/versions/2").text
    row = re.search(r"Jonas Albrecht.*?</tr>", version_page, re.S).group(0)
    assert "Sent" in row and "Acknowledged" in row
    assert "Not yet" in re.search(r"Katrin Vogel.*?</tr>", version_page, re.S).group(0)
    assert "3 notices: 3 sent, 1 acknowledged" in client.get(f"/delegations/{visit.id}/versions").text


def test_deleting_a_visit_removes_its_versions_and_printed_copies(client, visit):
    sign_in(client, Role.PLANNER)
    release(client, visit)
    client.get(f"/delegations/{visit.id}/programme.pdf?lang=en")
    response = client.post(f"/delegations/{visit.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ProgrammeVersion.id))) == 0
    assert db.session.scalar(select(func.count(PrintedCopy.id))) == 0


def test_a_moved_pick_up_is_a_change_its_driver_is_told_of(client, visit):
    from delegations.models import Transfer
    from delegations.models.travel import TransferKind

    driver = make_contact(name="Dieter Fahrer", email="dieter.fahrer@example.org")
    ride = Transfer(delegation_id=visit.id, kind=TransferKind.PICK_UP, pickup_at=berlin("2027-03-26 08:15"),
                    timezone="Europe/Berlin", pickup_address="Flughafen Hannover\nTerminal C",
                    destination="Kastens Hotel Luisenhof", driver_contact=driver)
    db.session.add(ride)
    db.session.commit()
    sign_in(client, Role.PLANNER)
    release(client, visit)
    ride = db.session.get(Transfer, ride.id)
    ride.pickup_at = berlin("2027-03-26 09:05")
    db.session.commit()

    panel = client.get(f"/delegations/{visit.id}").text
    assert "Out of date" in panel or "Nicht mehr aktuell" in panel
    page = client.get(f"/delegations/{visit.id}/versions/release").text
    rows = re.findall(r'<tr class="kern-table__row">\s*<th class="kern-table__cell" scope="row">(.*?)</tr>', page, re.S)
    by_name = {re.sub(r"<.*", "", row.strip(), flags=re.S).strip(): row for row in rows}
    assert set(by_name) == {"Dieter Fahrer", "Jonas Albrecht"}  # the driver, and the lead who organises rides
    assert re.search("(pick-up moved from|Abholung verschoben von) 08:15 (to|auf) 09:05", by_name["Dieter Fahrer"])

    assert release(client, visit).status_code == 302
    notice = next(message for message in outbox() if message.recipient_name == "Dieter Fahrer")
    assert "09:05" in notice.body and notice.recipients == ["dieter.fahrer@example.org"]
