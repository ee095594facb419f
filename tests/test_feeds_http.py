"""The feed over HTTP and the subscribe panel: secret links, ETag and Last-Modified with 304 answers decided
without building the calendar, revocation, logs without tokens, one-off downloads, who may do what."""
from __future__ import annotations

import logging
import re
import secrets
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from delegations.constants import ItemStatus, PrincipalKind, Role
from delegations.extensions import db
from delegations.feeds import tokens
from delegations.feeds.links import redact_feed_tokens
from delegations.models import FeedDetail, FeedScope, FeedToken, ProgrammeItem, User, Venue, utc_now
from delegations.zones import to_wall_clock
from tests.accounts import make_account, sign_in
from tests.factories import make_contact, make_delegation, make_item, make_principal, make_venue
from tests.test_feeds_calendar import events, parse_both


@pytest.fixture
def mayor(app):
    return make_principal(name="Belit Onay", kind=PrincipalKind.MAYOR)


@pytest.fixture
def visit(app):
    """A visit in the coming weeks (feeds carry what is current, so the data moves with the clock)."""
    return make_delegation(title="Partner city Poznań", arrival_at=utc_now() + timedelta(days=20))


def issue(scope=FeedScope.PRINCIPAL, target_id=None, detail=FeedDetail.INTERNAL, label="Mayor's diary",
          created_by=None) -> tuple[str, FeedToken]:
    issued = tokens.issue_feed(scope, target_id, detail, label, created_by=created_by, locale="en")
    db.session.commit()
    return f"/feeds/{issued.token}.ics", issued.feed


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# The feed response ---------------------------------------------------------------------------------

def test_a_feed_is_a_calendar_anyone_with_the_link_can_read(client, mayor, visit):
    item = make_item(visit, principal=mayor, title="Reception")
    url, _feed = issue(target_id=mayor.id)

    response = client.get(url)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.headers["ETag"])
    assert response.headers["Last-Modified"]
    assert "private" in response.headers["Cache-Control"] and "no-cache" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    found = events(parse_both(response.data))
    assert list(found) == [f"item-{item.id}@delegation-planner.invalid"]


def test_nothing_changed_gives_304_by_etag_and_by_date(client, mayor, visit):
    make_item(visit, principal=mayor)
    url, _feed = issue(target_id=mayor.id)
    first = client.get(url)

    by_etag = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.data == b""
        assert response.headers["ETag"] == first.headers["ETag"]  # (Last-Modified is optional in a 304)


def test_if_none_match_wins_over_if_modified_since(client, mayor, visit):
    make_item(visit, principal=mayor)
    url, _feed = issue(target_id=mayor.id)
    first = client.get(url)

    response = client.get(url, headers={"If-None-Match": '"something-else"',
                                        "If-Modified-Since": first.headers["Last-Modified"]})

    assert response.status_code == 200


def _changes():
    """Each step changes what the Mayor's feed shows; the ETag and Last-Modified must follow every one."""

    def create(ctx):
        ctx["new"] = make_item(ctx["visit"], principal=ctx["mayor"], title="New item")

    def edit(ctx):
        ctx["item"].title = "Renamed"

    def cancel(ctx):
        ctx["item"].status = ItemStatus.CANCELLED

    def delete(ctx):
        db.session.delete(db.session.get(ProgrammeItem, ctx["other"].id))

    def hand_to_deputy(ctx):
        ctx["other"].principal = make_principal(kind=PrincipalKind.DEPUTY_MAYOR)

    def rename_venue(ctx):
        db.session.get(Venue, ctx["venue"].id).name = "Old Town Hall"

    def delete_venue(ctx):
        db.session.delete(db.session.get(Venue, ctx["venue"].id))  # the database sets venue_id to NULL

    def rename_visit(ctx):
        ctx["visit"].title = "Poznań city council"

    return [create, edit, cancel, delete, hand_to_deputy, rename_venue, delete_venue, rename_visit]


@pytest.mark.parametrize("change", _changes(), ids=lambda change: change.__name__)
def test_every_change_in_the_scope_changes_etag_and_last_modified(client, mayor, visit, change):
    venue = make_venue(name="New Town Hall")
    item = make_item(visit, principal=mayor, venue=venue)
    other = make_item(visit, visit.arrival_at + timedelta(hours=5), principal=mayor)
    url, _feed = issue(target_id=mayor.id)
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 304

    change({"visit": visit, "mayor": mayor, "item": item, "other": other, "venue": venue})
    db.session.commit()

    by_etag = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert by_etag.status_code == 200
    assert by_etag.headers["ETag"] != before.headers["ETag"]
    by_date = client.get(url, headers={"If-Modified-Since": before.headers["Last-Modified"]})
    assert by_date.status_code == 200, "a client that only sends If-Modified-Since must see the change too"
    assert client.get(url, headers={"If-None-Match": by_etag.headers["ETag"]}).status_code == 304


def test_a_deleted_item_leaves_the_feed(client, mayor, visit):
    kept = make_item(visit, principal=mayor)
    doomed = make_item(visit, principal=mayor)
    doomed_id = doomed.id
    url, _feed = issue(target_id=mayor.id)
    assert len(events(parse_both(client.get(url).data))) == 2

    db.session.delete(db.session.get(ProgrammeItem, doomed_id))
    db.session.commit()

    assert list(events(parse_both(client.get(url).data))) == [f"item-{kept.id}@delegation-planner.invalid"]


def test_changes_outside_the_scope_keep_the_304(client, mayor, visit):
    deputy = make_principal(kind=PrincipalKind.DEPUTY_MAYOR)
    make_item(visit, principal=mayor)
    theirs = make_item(visit, principal=deputy)
    other_visit = make_delegation(arrival_at=utc_now() + timedelta(days=40))
    url, _feed = issue(target_id=mayor.id)
    etag = client.get(url).headers["ETag"]

    theirs.title = "Deputy's business"
    make_item(other_visit, principal=deputy)
    db.session.commit()

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_304_is_decided_with_a_few_queries_and_no_write(client, mayor, visit):
    for hours in range(20):
        make_item(visit, visit.arrival_at + timedelta(hours=hours), principal=mayor)
    url, _feed = issue(target_id=mayor.id)
    etag = client.get(url).headers["ETag"]

    with counted_queries() as statements:
        response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert len(statements) <= 3
    assert not any(statement.lstrip().upper().startswith(("UPDATE", "INSERT")) for statement in statements)


def test_building_a_feed_takes_the_same_queries_for_2_or_40_items(client, mayor, visit):
    url, _feed = issue(scope=FeedScope.ALL, label="Everything")
    start, visit_id, mayor_id, counts = visit.arrival_at, visit.id, mayor.id, []
    for total in (2, 40):
        for minutes in range(len(counts) * 2 * 30, total * 30, 30):
            make_item(db.session.get(type(visit), visit_id), start + timedelta(minutes=minutes),
                      principal=db.session.get(type(mayor), mayor_id), venue=make_venue(), responsible=make_contact())
        db.session.commit()
        db.session.expunge_all()
        with counted_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert len(events(parse_both(response.data))) == total + 1
        counts.append(sum(statement.lstrip().upper().startswith("SELECT") for statement in statements))

    assert counts[0] == counts[1] <= 6


def test_last_use_is_recorded_without_a_write_on_every_poll(client, mayor, visit):
    make_item(visit, principal=mayor)
    url, feed = issue(target_id=mayor.id)
    feed_id = feed.id
    client.get(url)
    first_use = db.session.get(FeedToken, feed_id).last_used_at
    assert first_use is not None

    client.get(url)

    assert db.session.get(FeedToken, feed_id).last_used_at == first_use


def test_the_feed_speaks_the_language_chosen_for_it(client, mayor, visit):
    make_item(visit, principal=mayor, status=ItemStatus.CANCELLED, title="Boat trip")
    issued = tokens.issue_feed(FeedScope.PRINCIPAL, mayor.id, FeedDetail.PUBLIC, "Diary", locale="en")
    db.session.commit()

    body = client.get(f"/feeds/{issued.token}.ics").data.decode()

    assert "SUMMARY:Cancelled: Boat trip" in body


def test_cancelling_and_deleting_through_the_pages_reach_the_feed(client, mayor, visit):
    """The planner's real save path: the edit form cancels (and stamps the cancellation), the delete button deletes."""
    sign_in(client, Role.PLANNER)
    item = make_item(visit, principal=mayor, title="Boat trip")
    item_id, visit_id = item.id, visit.id
    url, _feed = issue(target_id=mayor.id)
    etag = client.get(url).headers["ETag"]
    zone = visit.timezone
    form = {"title": "Boat trip", "kind": item.kind.value, "status": "cancelled",
            "starts_at": to_wall_clock(item.starts_at, zone).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": to_wall_clock(item.ends_at, zone).strftime("%Y-%m-%dT%H:%M"),
            "venue_id": "", "principal_id": str(mayor.id), "responsible_id": "", "city_participants": "",
            "dress_code": "", "description": "", "internal_note": "", "version": str(item.version)}

    assert client.post(f"/delegations/{visit_id}/items/{item_id}/edit", data=form).status_code == 302
    cancelled = client.get(url, headers={"If-None-Match": etag})

    assert cancelled.status_code == 200
    assert db.session.get(ProgrammeItem, item_id).cancelled_at is not None
    event = events(parse_both(cancelled.data))[f"item-{item_id}@delegation-planner.invalid"]
    assert str(event["STATUS"]) == "CANCELLED"

    version = str(db.session.get(ProgrammeItem, item_id).version)
    assert client.post(f"/delegations/{visit_id}/items/{item_id}/delete", data={"version": version}).status_code == 302
    deleted = client.get(url, headers={"If-None-Match": cancelled.headers["ETag"]})

    assert deleted.status_code == 200
    assert events(parse_both(deleted.data)) == {}


# Secret links ---------------------------------------------------------------------------------------

def test_only_a_hash_of_the_token_is_stored(app, mayor):
    url, feed = issue(target_id=mayor.id)
    token = url.removeprefix("/feeds/").removesuffix(".ics")

    assert len(token) >= 22  # at least 128 bits in URL-safe base64
    row = db.session.execute(select(FeedToken.__table__)).one()
    assert token not in " ".join(str(value) for value in row)
    assert feed.token_hash == tokens.token_digest(token)


def test_unknown_malformed_and_revoked_tokens_get_the_same_404_as_any_missing_page(client, mayor):
    url, feed = issue(target_id=mayor.id)
    tokens.revoke_feed(feed)
    db.session.commit()
    any_missing_page = client.get("/no-such-page")

    for path in (url, f"/feeds/{secrets.token_urlsafe(32)}.ics", "/feeds/short.ics", "/feeds/%00.ics"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.data == any_missing_page.data


def test_the_feeds_of_a_disabled_account_stop(client, mayor):
    owner = make_account(Role.VIEWER, "leaver@example.org")
    url, _feed = issue(target_id=mayor.id, created_by=owner)
    assert client.get(url).status_code == 200

    db.session.get(User, owner.id).active = False
    db.session.commit()

    assert client.get(url).status_code == 404


def test_the_token_never_reaches_the_logs(client, mayor, caplog):
    url, feed = issue(target_id=mayor.id)
    token = url.removeprefix("/feeds/").removesuffix(".ics")
    caplog.set_level(logging.INFO)

    client.get(url)
    # The access log line a development server or gunicorn writes for the request:
    logging.getLogger("werkzeug").info('%s - - "%s" %s -', "127.0.0.1", f"GET {url} HTTP/1.1", 200)
    logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": f"GET {url}?x=1 HTTP/1.1", "s": 200})

    assert token not in caplog.text
    assert f"Calendar feed {feed.id} sent" in caplog.text
    assert "/feeds/[token].ics" in caplog.text


def test_redaction_leaves_other_paths_alone():
    assert redact_feed_tokens("GET /feeds/ HTTP/1.1") == "GET /feeds/ HTTP/1.1"
    assert redact_feed_tokens("GET /feeds/12/revoke") == "GET /feeds/12/revoke"


# The subscribe panel ---------------------------------------------------------------------------------

def test_a_viewer_creates_an_internal_feed_and_sees_its_link_once(client, mayor, visit):
    sign_in(client, Role.VIEWER)
    make_item(visit, principal=mayor, internal_note="Gift is ready")
    db.session.commit()
    form_page = client.get("/feeds/")
    assert form_page.status_code == 200
    assert f'value="principal:{mayor.id}"'.encode() in form_page.data

    response = client.post("/feeds/", data={"scope": f"principal:{mayor.id}", "detail": "internal",
                                            "label": "OB diary", "locale": "en"})
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])

    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    page = shown.data.decode()
    https_link = re.search(r'value="(http://localhost/feeds/[A-Za-z0-9_-]{43}\.ics)"', page).group(1)
    assert 'value="webcal://localhost/feeds/' in page
    assert 'src="data:image/svg+xml' in page
    assert "js/feeds.js" in page and "<script>" not in page
    feed_body = client.get(https_link.removeprefix("http://localhost")).data.decode()
    assert "Gift is ready" in feed_body
    again = client.get(response.headers["Location"])
    assert again.status_code == 302, "the link is shown only once"
    listing = client.get("/feeds/").data.decode()
    assert "OB diary" in listing and https_link not in listing


def test_a_public_feed_created_in_the_panel_has_no_internal_notes(client, mayor, visit):
    sign_in(client, Role.PLANNER)
    make_item(visit, principal=mayor, internal_note="Gift is ready", description="Welcome")
    db.session.commit()

    response = client.post("/feeds/", data={"scope": f"principal:{mayor.id}", "detail": "public",
                                            "label": "Public diary", "locale": "de"})
    page = client.get(response.headers["Location"]).data.decode()
    link = re.search(r'value="http://localhost(/feeds/[^"]+\.ics)"', page).group(1)
    body = client.get(link).data.decode()

    assert "Welcome" in body and "Gift is ready" not in body


def test_an_unknown_scope_is_refused_with_a_message(client):
    sign_in(client, Role.PLANNER)

    response = client.post("/feeds/", data={"scope": "delegation:999", "detail": "internal", "label": "X",
                                            "locale": "en"})

    assert response.status_code == 200
    assert b"Not a valid choice" in response.data or b"Nothing found" in response.data
    assert db.session.scalar(select(FeedToken.id)) is None


def test_subscribe_links_lead_to_a_prefilled_form(client, visit):
    sign_in(client, Role.VIEWER)
    anna = make_contact(name="Anna Schmidt")
    db.session.commit()

    delegation_page = client.get(f"/delegations/{visit.id}").data.decode()
    contacts_page = client.get("/contacts/").data.decode()
    form = client.get(f"/feeds/?scope=delegation:{visit.id}").data.decode()

    assert f"/feeds/?scope=delegation:{visit.id}" in delegation_page.replace("%3A", ":")
    assert f"/delegations/{visit.id}/calendar.ics" in delegation_page
    assert f"/feeds/?scope=person:{anna.id}" in contacts_page.replace("%3A", ":")
    assert re.search(rf'<option selected value="delegation:{visit.id}"|<option value="delegation:{visit.id}" selected', form)
    assert 'value="Partner city Poznań"' in form
    assert "Calendar feeds" in contacts_page  # the main navigation


def test_users_see_their_own_feeds_and_planners_see_everybodys(client, mayor):
    owner = make_account(Role.VIEWER, "owner@example.org")
    issue(target_id=mayor.id, created_by=owner, label="Owner's feed")
    issue(target_id=mayor.id, label="Issued on the command line")
    sign_in(client, Role.VIEWER)

    viewer_page = client.get("/feeds/").data.decode()
    client.post("/logout")
    sign_in(client, Role.PLANNER)
    planner_page = client.get("/feeds/").data.decode()

    assert "Owner&#39;s feed" not in viewer_page and "Issued on the command line" not in viewer_page
    assert "Owner&#39;s feed" in planner_page and "Issued on the command line" in planner_page


def test_a_user_revokes_their_own_feed_and_its_link_stops(client, mayor):
    user = sign_in(client, Role.VIEWER)
    url, feed = issue(target_id=mayor.id, created_by=db.session.get(User, user.id))
    assert client.get(url).status_code == 200

    response = client.post(f"/feeds/{feed.id}/revoke")

    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert "revoked" in client.get("/feeds/").data.decode()


def test_a_viewer_cannot_revoke_someone_elses_feed_but_a_planner_can(client, mayor):
    owner = make_account(Role.VIEWER, "owner@example.org")
    url, feed = issue(target_id=mayor.id, created_by=owner)
    sign_in(client, Role.VIEWER)

    assert client.post(f"/feeds/{feed.id}/revoke").status_code == 403
    assert client.get(url).status_code == 200

    client.post("/logout")
    sign_in(client, Role.PLANNER)
    assert client.post(f"/feeds/{feed.id}/revoke").status_code == 302
    assert client.get(url).status_code == 404


def test_the_panel_needs_a_login(client):
    assert client.get("/feeds/").status_code == 302


# One-off downloads ------------------------------------------------------------------------------------

def test_a_delegation_and_an_item_can_be_downloaded_as_ics(client, visit):
    sign_in(client, Role.VIEWER)
    item = make_item(visit, title="Reception", internal_note="Gift is ready")
    db.session.commit()

    whole = client.get(f"/delegations/{visit.id}/calendar.ics")
    single = client.get(f"/delegations/{visit.id}/items/{item.id}/calendar.ics")
    public = client.get(f"/delegations/{visit.id}/calendar.ics?detail=public")

    assert whole.status_code == single.status_code == 200
    assert whole.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert whole.headers["Content-Disposition"] == 'attachment; filename="partner-city-poznan.ics"'
    assert set(events(parse_both(whole.data))) == {f"item-{item.id}@delegation-planner.invalid",
                                                  f"visit-{visit.id}@delegation-planner.invalid"}
    assert set(events(parse_both(single.data))) == {f"item-{item.id}@delegation-planner.invalid"}
    assert b"Gift is ready" in whole.data.replace(b"\r\n ", b"")
    assert b"Gift is ready" not in public.data.replace(b"\r\n ", b"")


def test_downloads_need_a_login_and_an_item_of_that_delegation(client, visit):
    other = make_delegation()
    item = make_item(other)
    db.session.commit()

    assert client.get(f"/delegations/{visit.id}/calendar.ics").status_code == 302
    sign_in(client, Role.VIEWER)
    assert client.get(f"/delegations/{visit.id}/items/{item.id}/calendar.ics").status_code == 404


def test_links_use_the_configured_public_address(app, client, mayor, visit):
    app.config["PUBLIC_BASE_URL"] = "https://planner.example.org"
    sign_in(client, Role.VIEWER)
    make_item(visit, principal=mayor)
    db.session.commit()

    response = client.post("/feeds/", data={"scope": f"principal:{mayor.id}", "detail": "internal",
                                            "label": "OB", "locale": "en"})
    page = client.get(response.headers["Location"]).data.decode()
    path = re.search(r'value="https://planner\.example\.org(/feeds/[A-Za-z0-9_-]{43}\.ics)"', page).group(1)
    assert 'value="webcal://planner.example.org/feeds/' in page

    body = client.get(path).data.decode().replace("\r\n ", "")
    assert f"URL:https://planner.example.org/delegations/{visit.id}#item-" in body
