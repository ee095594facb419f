"""Printed documents through the app: who may download what, the render cache, guest links and the guest
page, the week picker and the command line."""
from __future__ import annotations

import re

import pytest
import weasyprint
from sqlalchemy import select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import GuestLink, ProgrammeItem
from delegations.printing import documents, queries
from delegations.tokens import token_digest
from tests.accounts import sign_in
from tests.printing_data import (CITY_PARTICIPANTS, SECRET_ITEM_NOTE, SECRET_TALKING_POINTS, SECRET_VISIT_NOTE,
                                 make_tour, make_visit, pdf_text)


@pytest.fixture(autouse=True)
def print_config(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), UNIT_PHONE="+49 511 168-41000",
                      PUBLIC_BASE_URL="https://planner.example.org")


@pytest.fixture
def visit(app):
    return make_visit("zh")


def guest_token(client, delegation_id: int) -> str:
    """Create a guest link as the signed-in planner and read its address from the Guest link panel."""
    response = client.post(f"/delegations/{delegation_id}/guest-link")
    assert response.status_code == 302
    page = client.get(f"/delegations/{delegation_id}").text
    match = re.search(r"https://planner\.example\.org/p/([A-Za-z0-9_-]{43})", page)
    assert match, "the panel shows the guest address"
    return match.group(1)


# Who may download what -----------------------------------------------------------------------------

def test_anonymous_visitors_get_no_document(client, visit):
    for path in (f"/delegations/{visit.delegation.id}/programme.pdf", f"/delegations/{visit.delegation.id}/briefing.pdf",
                 "/printing/week.pdf", "/printing/week"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location, path


def test_the_mayors_office_reads_programme_and_briefing(client, visit):
    sign_in(client, Role.VIEWER)
    programme = client.get(f"/delegations/{visit.delegation.id}/programme.pdf?lang=zh")
    assert programme.status_code == 200
    assert programme.mimetype == "application/pdf" and programme.data.startswith(b"%PDF")
    assert "inline" in programme.headers["Content-Disposition"]
    assert "-zh.pdf" in programme.headers["Content-Disposition"]
    assert "市长欢迎仪式" in pdf_text(programme.data)
    briefing = client.get(f"/delegations/{visit.delegation.id}/briefing.pdf")
    assert briefing.status_code == 200
    text = pdf_text(briefing.data)
    assert SECRET_TALKING_POINTS in text and SECRET_ITEM_NOTE in text


def test_a_programme_is_not_offered_in_a_language_the_delegation_does_not_read(client, visit):
    sign_in(client, Role.VIEWER)
    assert client.get(f"/delegations/{visit.delegation.id}/programme.pdf?lang=ja").status_code == 404
    assert client.get(f"/delegations/{visit.delegation.id}/briefing.pdf?lang=zh").status_code == 404
    assert client.get("/delegations/999/programme.pdf").status_code == 404


def test_without_lang_the_programme_speaks_the_delegations_language(client, visit):
    sign_in(client, Role.VIEWER)
    response = client.get(f"/delegations/{visit.delegation.id}/programme.pdf")
    assert "日程安排" in pdf_text(response.data)


def test_the_delegation_page_offers_downloads_and_only_planners_manage_guest_links(client, visit):
    sign_in(client, Role.VIEWER)
    page = client.get(f"/delegations/{visit.delegation.id}").text
    assert f"/delegations/{visit.delegation.id}/programme.pdf?lang=zh" in page
    assert f"/delegations/{visit.delegation.id}/briefing.pdf?lang=de" in page
    assert 'id="guest-link"' not in page
    assert client.post(f"/delegations/{visit.delegation.id}/guest-link").status_code == 403


# The render cache ---------------------------------------------------------------------------------------

@pytest.fixture
def weasyprint_calls(app, monkeypatch):
    """Count WeasyPrint's renders (in this process: the time-limited worker process cannot report to a spy)."""
    app.config["PDF_RENDER_ISOLATED"] = False
    calls = []
    original = weasyprint.HTML.render

    def counting_render(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counting_render)
    return calls


def test_an_unchanged_programme_is_not_rendered_again_and_a_change_is(client, visit, weasyprint_calls):
    sign_in(client, Role.VIEWER)
    url = f"/delegations/{visit.delegation.id}/programme.pdf?lang=zh"
    first = client.get(url)
    assert first.headers["X-PDF-Cache"] == "miss" and len(weasyprint_calls) == 1
    second = client.get(url)
    assert second.headers["X-PDF-Cache"] == "hit" and len(weasyprint_calls) == 1
    assert second.data == first.data
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    # A new time is shown: the programme renders again.
    renders_before = len(weasyprint_calls)
    item = db.session.get(ProgrammeItem, visit.lunch.id)
    item.starts_at = item.starts_at.replace(minute=45)
    db.session.commit()
    changed = client.get(url)
    assert changed.headers["X-PDF-Cache"] == "miss" and len(weasyprint_calls) == renders_before + 1
    assert "12:45–14:00" in pdf_text(changed.data)
    # The other language is another document.
    client.get(f"/delegations/{visit.delegation.id}/programme.pdf?lang=en")
    assert len(weasyprint_calls) == renders_before + 2


def test_a_render_that_takes_too_long_gets_a_friendly_page(client, visit, app):
    app.config["PDF_RENDER_TIMEOUT"] = 0.001
    sign_in(client, Role.VIEWER)
    response = client.get(f"/delegations/{visit.delegation.id}/briefing.pdf")
    assert response.status_code == 503
    assert "try again" in response.text


# Guest links and the guest page -----------------------------------------------------------------------

def test_a_guest_opens_the_live_programme_without_an_account(client, app, visit):
    sign_in(client, Role.PLANNER)
    token = guest_token(client, visit.delegation.id)
    guest = app.test_client()
    page = guest.get(f"/p/{token}")
    assert page.status_code == 200
    assert '<html lang="zh"' in page.text
    assert "市长欢迎仪式" in page.text and "Lunch at the gallery building" in page.text
    assert "14:00–15:30" in page.text and "+49 511 168-41004" in page.text
    for secret in (SECRET_ITEM_NOTE, SECRET_VISIT_NOTE, SECRET_TALKING_POINTS, CITY_PARTICIPANTS, "Abgesagter Termin"):
        assert secret not in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert guest.get(f"/p/{token}?lang=en").text.count("Reception by the Lord Mayor") == 1
    assert guest.get(f"/p/{token}?lang=ja").status_code == 404
    pdf = guest.get(f"/p/{token}/programme.pdf")
    assert pdf.status_code == 200 and f"https://planner.example.org/p/{token}" in pdf_text(pdf.data)
    link = db.session.scalar(select(GuestLink))
    assert link.last_used_at is not None


def test_the_programme_carries_the_qr_code_of_the_guest_link(client, app, visit):
    sign_in(client, Role.PLANNER)
    token = guest_token(client, visit.delegation.id)
    url = f"https://planner.example.org/p/{token}"
    html = documents.render_html(documents.PROGRAMME, queries.delegation_for_print(visit.delegation.id), "en",
                                 documents.current_settings(), guest_url=url)
    assert f'<img src="{documents.qr_data_uri(url)}" alt="Link to the live programme">' in html
    chinese = documents.render_html(documents.PROGRAMME, queries.delegation_for_print(visit.delegation.id), "zh",
                                    documents.current_settings(), guest_url=url)
    assert 'alt="实时日程链接"' in chinese


def test_the_token_is_stored_only_as_its_hash(client, visit):
    sign_in(client, Role.PLANNER)
    token = guest_token(client, visit.delegation.id)
    link = db.session.scalar(select(GuestLink))
    assert link.token_hash == token_digest(token) != token
    assert token not in (link.token_salt, link.token_hash)
    assert link.created_by.email == "planner@example.org"


def test_a_revoked_or_unknown_link_opens_nothing(client, app, visit):
    sign_in(client, Role.PLANNER)
    token = guest_token(client, visit.delegation.id)
    guest = app.test_client()
    assert guest.get(f"/p/{token}").status_code == 200
    link = db.session.scalar(select(GuestLink))
    response = client.post(f"/delegations/{visit.delegation.id}/guest-link/{link.id}/revoke")
    assert response.status_code == 302
    assert guest.get(f"/p/{token}").status_code == 404
    assert guest.get(f"/p/{token}/programme.pdf").status_code == 404
    assert guest.get("/p/" + "A" * 43).status_code == 404
    assert guest.get("/p/short").status_code == 404
    # Printed programmes lose the QR code of a revoked link; a new link is a new address.
    new_token = guest_token(client, visit.delegation.id)
    assert new_token != token and guest.get(f"/p/{new_token}").status_code == 200


def test_a_second_link_waits_until_the_first_is_revoked(client, visit):
    sign_in(client, Role.PLANNER)
    guest_token(client, visit.delegation.id)
    client.post(f"/delegations/{visit.delegation.id}/guest-link")
    assert len(db.session.scalars(select(GuestLink)).all()) == 1


def test_a_tour_guest_page_shows_both_times(client, app):
    tour, _early, _wreath = make_tour()
    sign_in(client, Role.PLANNER)
    token = guest_token(client, tour.id)
    assert '<html lang="de"' in app.test_client().get(f"/p/{token}").text  # travellers read German first
    page = app.test_client().get(f"/p/{token}?lang=ja").text
    assert '<html lang="ja"' in page and "平和記念公園での献花" in page
    assert "14:00–15:30" in page and "07:00–08:30" in page


# The week overview page ---------------------------------------------------------------------------------

def test_the_week_page_shows_the_principals_appointments_and_links_the_pdf(client, visit):
    sign_in(client, Role.VIEWER)
    page = client.get("/printing/week?week=2027-W19")
    assert page.status_code == 200
    assert "Empfang durch den Oberbürgermeister" in page.text
    assert "/printing/week.pdf?week=2027-W19" in page.text
    wrong = client.get("/printing/week?week=sometime")
    assert wrong.status_code == 200 and "2027-W19 or a date" in wrong.text
    assert client.get("/printing/week.pdf?week=sometime").status_code == 404
    pdf = client.get("/printing/week.pdf?week=2027-05-12")
    assert pdf.status_code == 200 and "Empfang durch den Oberbürgermeister" in pdf_text(pdf.data)


# Talking points on the item form ------------------------------------------------------------------------

def test_planner_writes_talking_points_that_only_the_briefing_prints(client, visit):
    sign_in(client, Role.PLANNER)
    item = visit.lunch
    form = {"title": item.title, "kind": "meal", "starts_at": "2027-05-11T12:30", "ends_at": "2027-05-11T14:00",
            "venue_id": "", "principal_id": "", "responsible_id": "", "city_participants": "", "dress_code": "",
            "description": "", "internal_note": "", "status": "confirmed", "version": str(item.version),
            "talking_points": "Thank them for the twinning anniversary"}
    response = client.post(f"/delegations/{visit.delegation.id}/items/{item.id}/edit", data=form)
    assert response.status_code == 302
    assert db.session.get(ProgrammeItem, item.id).talking_points == "Thank them for the twinning anniversary"
    assert "Thank them" not in pdf_text(client.get(f"/delegations/{visit.delegation.id}/programme.pdf?lang=en").data)


# The command line -----------------------------------------------------------------------------------------

def test_programme_pdf_command_writes_the_same_programme(runner, visit, tmp_path):
    target = tmp_path / "programme.pdf"
    result = runner.invoke(args=["programme-pdf", str(visit.delegation.id), "--lang", "zh", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    assert "市长欢迎仪式" in pdf_text(target.read_bytes())
    again = runner.invoke(args=["programme-pdf", str(visit.delegation.id), "--lang", "zh", "-o", str(target)])
    assert "from the cache" in again.output


def test_programme_pdf_command_fails_clearly(runner, visit):
    missing = runner.invoke(args=["programme-pdf", "999", "-o", "x.pdf"])
    assert missing.exit_code != 0 and "no delegation with id 999" in missing.output
    wrong = runner.invoke(args=["programme-pdf", str(visit.delegation.id), "--lang", "ja", "-o", "x.pdf"])
    assert wrong.exit_code != 0 and "de, en, zh" in wrong.output


# Query counts stay flat as programmes grow -----------------------------------------------------------

def test_documents_and_the_guest_page_read_in_a_fixed_number_of_queries(client, app, visit):
    from datetime import timedelta

    from sqlalchemy import event

    from tests.factories import make_contact, make_item, make_venue

    sign_in(client, Role.PLANNER)
    token = guest_token(client, visit.delegation.id)
    guest = app.test_client()
    paths = [f"/delegations/{visit.delegation.id}/programme.pdf?lang=zh", f"/delegations/{visit.delegation.id}/briefing.pdf",
             "/printing/week.pdf?week=2027-W19", "/printing/week?week=2027-W19", f"/delegations/{visit.delegation.id}"]

    def count_queries(http, path):
        db.session.commit()  # every request starts from the same state (nothing cached in the test's session)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert http.get(path).status_code == 200, path
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    for path in paths:  # once for what a first request sets up (sessions, caches)
        count_queries(client, path)
    count_queries(guest, f"/p/{token}")
    before = {path: count_queries(client, path) for path in paths}
    before_guest = count_queries(guest, f"/p/{token}")
    for number in range(12):
        make_item(visit.delegation, visit.reception.starts_at + timedelta(minutes=5 * number), 30,
                  title=f"Extra {number}", venue=make_venue(), responsible=make_contact(),
                  principal=visit.reception.principal)
    db.session.commit()
    assert {path: count_queries(client, path) for path in paths} == before
    assert count_queries(guest, f"/p/{token}") == before_guest
