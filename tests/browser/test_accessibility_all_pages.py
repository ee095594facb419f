"""Issue 11: axe-core (WCAG 2.1 A and AA) on EVERY GET page of the URL map, as viewer, planner and admin,
with the demo data; the same pages at 320 CSS pixels without sideways scrolling; and the page structure
every page must have (unique title, lang, skip link, one h1, header/nav/main landmarks).

The list of pages comes from `app.url_map`, so a page added later is checked without touching this file;
a GET endpoint that is not an HTML page must be named in NOT_HTML_PAGES with the reason."""
from __future__ import annotations

from collections import defaultdict

import pytest
from flask import url_for
from sqlalchemy import select

from delegations.extensions import db
from delegations.models import (ArrangementRequest, ChecklistTask, CityParticipant, ContactPerson, Delegation,
                                DiningTable, FormOfAddress, Gift, Member, OfficeLevel, Principal, ProgrammeItem,
                                TablePlan, User, Venue)
from delegations.models import OfficeHolder, PartnerAgreement, PartnerAssociation, PartnerCity, PartnerCommitment
from tests.browser.conftest import AXE_TAGS
from tests.browser.test_accessibility import demo, sign_in_as  # noqa: F401  (fixture reused)

pytestmark = pytest.mark.browser

# GET endpoints that are not HTML pages, or not a page of their own; each with the reason.
NOT_HTML_PAGES = {
    "static": "static files",
    "auth.logout": "POST only (listed for completeness)",
    "printing.programme_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "printing.briefing_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "printing.week_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "printing.guest_programme_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "protocol.place_cards_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "protocol.plan_pdf": "PDF (tags checked in tests/test_accessibility_pdfs.py)",
    "travel.driver_sheet_pdf": "PDF (tags checked in tests/test_runsheets.py)",
    "travel.interpreter_sheet_pdf": "PDF (tags checked in tests/test_runsheets.py)",
    "travel.kitchen_sheet_pdf": "PDF (tags checked in tests/test_runsheets.py)",
    "travel.security_sheet_pdf": "PDF (tags checked in tests/test_runsheets.py)",
    "feeds.feed": "iCalendar feed",
    "feeds.download_delegation": "iCalendar file",
    "feeds.download_item": "iCalendar file",
    "protocol.owner_tasks_ics": "iCalendar file",
    "privacy.export_delegation": "JSON export",
    "protocol.export_gifts_csv": "CSV export",
    "protocol.export_gifts_xlsx": "spreadsheet export",
    "protocol.gift_photo": "image",
    "partners.agreement_document": "PDF, DOCX, ODT or image of an agreement, sent as an attachment",
    "history.recent_fragment": "htmx fragment inside the delegation page (checked there)",
    "workload.lead_room_fragment": "htmx fragment inside the visit form (checked there)",
    "feeds.created": "shown once right after a feed is created (checked by tests/browser/test_feeds_panel.py)",
    "auth.login": "redirects when logged in; checked anonymously below",
}
PUBLIC_PAGES = {"printing.guest_programme", "pages.accessibility"}


def first(model, *where):
    return db.session.scalars(select(model).where(*where).order_by(model.id).limit(1)).first()


def guest_token(app) -> str:
    from delegations.printing.guest_links import active_link, create_link, token_for

    delegation = next(d for d in db.session.scalars(select(Delegation).order_by(Delegation.id)) if not d.is_outgoing)
    link = active_link(delegation.id)
    if link is not None and (token := token_for(link, app.config["SECRET_KEY"])):
        return token
    if link is not None:
        from delegations.printing.guest_links import revoke_link
        revoke_link(link)
    token = create_link(delegation, None, app.config["SECRET_KEY"]).token
    db.session.commit()
    return token


def acknowledgement_token() -> str:
    """A fresh notice that asks to be acknowledged (only its hash is stored, so each call queues a new one)."""
    from uuid import uuid4

    from delegations.mail.outbox import enqueue

    delegation = first(Delegation)
    _message, token = enqueue(recipients=["fahrer@hannover-stadt.example"], recipient_name="Fahrdienst",
                              subject="Programmänderung", body="Empfang im Neuen Rathaus: 10:00 → 11:30.",
                              dedupe_key=f"accessibility-check:{uuid4()}", wants_acknowledgement=True,
                              delegation_id=delegation.id if delegation else None)
    db.session.commit()
    return token


def arguments_for(rule, app) -> dict | None:
    """URL values naming real demo objects for a rule; None when the demo has no such object."""
    names = set(rule.arguments)
    values: dict = {}
    if "participant_id" in names:
        participant = first(CityParticipant)
        if participant is None:
            return None
        values.update(participant_id=participant.id, item_id=participant.item_id,
                      delegation_id=participant.item.delegation_id)
    if "address_id" in names:
        address = first(FormOfAddress)
        if address is None:
            return None
        values.update(address_id=address.id, member_id=address.member_id, delegation_id=address.member.delegation_id)
    if "table_id" in names:
        table = first(DiningTable)
        if table is None:
            return None
        values.update(table_id=table.id, plan_id=table.plan_id)
    if "plan_id" in names and "plan_id" not in values:
        plan = first(TablePlan)
        if plan is None:
            return None
        values["plan_id"] = plan.id
    if "request_id" in names:
        request = first(ArrangementRequest)
        if request is None:
            return None
        values.update(request_id=request.id, delegation_id=request.delegation_id)
    if "task_id" in names:
        task = first(ChecklistTask)
        if task is None:
            return None
        values.update(task_id=task.id, delegation_id=task.delegation_id)
    if "transfer_id" in names:
        from delegations.models import Transfer
        transfer = first(Transfer)
        if transfer is None:
            return None
        values.update(transfer_id=transfer.id, delegation_id=transfer.delegation_id)
    if "item_id" in names and "item_id" not in values:
        planned = db.session.scalars(select(TablePlan.item_id).limit(1)).first()
        item = db.session.get(ProgrammeItem, planned) if planned else first(ProgrammeItem)
        values.update(item_id=item.id, delegation_id=item.delegation_id)
    if "number" in names and rule.endpoint.startswith("releases."):  # a released programme version (issue 9)
        from delegations.models import ProgrammeVersion
        version = first(ProgrammeVersion)
        if version is None:
            return None
        values.update(number=version.number, delegation_id=version.delegation_id)
    if "member_id" in names and "member_id" not in values:
        member = first(Member)
        values.update(member_id=member.id, delegation_id=member.delegation_id)
    simple = {"delegation_id": Delegation, "contact_id": ContactPerson, "venue_id": Venue, "user_id": User,
              "principal_id": Principal, "gift_id": Gift, "level_id": OfficeLevel,
              "city_id": PartnerCity, "agreement_id": PartnerAgreement, "association_id": PartnerAssociation,
              "holder_id": OfficeHolder, "commitment_id": PartnerCommitment}
    for name, model in simple.items():
        if name in names and name not in values:
            row = first(model)
            if row is None:
                return None
            values[name] = row.id
    if "token" in names:
        values["token"] = acknowledgement_token() if rule.endpoint == "mail.acknowledge" else guest_token(app)
    missing = names - set(values)
    assert not missing, f"{rule.endpoint}: no demo value for {missing}"
    return values


def html_pages(app) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET page; show_delegation once per demo delegation."""
    pages, not_covered = [], []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if rule.endpoint in NOT_HTML_PAGES or "GET" not in rule.methods:
                continue
            values = arguments_for(rule, app)
            if values is None:
                not_covered.append(rule.endpoint)
                continue
            pages.append((rule.endpoint, url_for(rule.endpoint, **values)))
        for delegation_id in db.session.scalars(select(Delegation.id).order_by(Delegation.id)):
            path = url_for("visits.show_delegation", delegation_id=delegation_id)
            if ("visits.show_delegation", path) not in pages:
                pages.append(("visits.show_delegation", path))
        for city_id in db.session.scalars(select(PartnerCity.id).order_by(PartnerCity.id)):  # every dossier
            path = url_for("partners.dossier", city_id=city_id)
            if ("partners.dossier", path) not in pages:
                pages.append(("partners.dossier", path))
    assert not not_covered, f"the demo data has nothing to show on {not_covered}"
    return pages


STRUCTURE = """() => ({
  title: document.title,
  lang: document.documentElement.lang,
  skip: !!document.querySelector('a.skip-link[href="#main"]') && !!document.getElementById('main'),
  h1: document.querySelectorAll('h1').length,
  main: document.querySelectorAll('main').length,
  header: document.querySelectorAll('body > header, header.site-header, [role=banner]').length,
  nav: document.querySelectorAll('nav').length,
})"""


# The innermost elements that reach past the right edge: where a sideways scroll comes from.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1
          && ![...element.children].some(child => child.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 4).map(element => element.tagName.toLowerCase() + (element.className ? '.' + element.className : '')
          + ' ' + Math.round(element.getBoundingClientRect().right))"""


def test_the_skip_list_names_only_endpoints_that_exist(csrf_app):
    endpoints = {rule.endpoint for rule in csrf_app.url_map.iter_rules()}
    assert set(NOT_HTML_PAGES) <= endpoints, set(NOT_HTML_PAGES) - endpoints
    get_endpoints = {rule.endpoint for rule in csrf_app.url_map.iter_rules() if "GET" in rule.methods}
    skipped_pages = {name for name in NOT_HTML_PAGES if name in get_endpoints} - {
        name for name, reason in NOT_HTML_PAGES.items()
        if reason.startswith(("PDF", "iCalendar", "JSON", "CSV", "spreadsheet", "image", "static"))}
    # only four HTML endpoints are not walked here, each checked elsewhere
    assert skipped_pages == {"history.recent_fragment", "feeds.created", "auth.login", "workload.lead_room_fragment"}


def check_structure(page, structure: dict, where: str, problems: list[str], public: bool) -> None:
    if not structure["lang"]:
        problems.append(f"{where}: <html> without lang")
    if not structure["skip"]:
        problems.append(f"{where}: no skip link to #main")
    if structure["h1"] != 1:
        problems.append(f"{where}: {structure['h1']} h1 elements")
    if structure["main"] != 1 or structure["header"] < 1 or (structure["nav"] < 1 and not public):
        problems.append(f"{where}: landmarks main/header/nav = {structure['main']}/{structure['header']}/{structure['nav']}")


@pytest.mark.parametrize("role", ["viewer", "planner", "admin"])
def test_every_page_of_the_url_map_is_accessible_at_desktop_and_320_pixels(csrf_app, live_server, browser, demo,
                                                                         axe, role):
    pages = html_pages(csrf_app)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems: list[str] = []
    titles: dict[str, set[str]] = defaultdict(set)
    checked = refused = 0
    try:
        sign_in_as(page, live_server, demo, role)
        for endpoint, path in pages:
            page.set_viewport_size({"width": 1280, "height": 900})
            response = page.goto(f"{live_server}{path}")
            if response.status == 403:
                refused += 1
                assert role != "admin", f"the admin is refused {path}"
                continue
            assert response.status == 200, f"{path} answered {response.status}"
            axe.check(page, f"{role} {path}")
            structure = page.evaluate(STRUCTURE)
            check_structure(page, structure, f"{role} {path}", problems, endpoint in PUBLIC_PAGES)
            titles[structure["title"]].add(path)
            page.set_viewport_size({"width": 320, "height": 640})
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                problems.append(f"{role} {path}: scrolls sideways at 320 px "
                                f"({page.evaluate('document.documentElement.scrollWidth')} px): "
                                f"{page.evaluate(TOO_WIDE)}")
            if role == "admin":  # the admin sees every page: axe once more at phone width
                axe.check(page, f"{role} {path} at 320 px")
            checked += 1
    finally:
        context.close()
    print(f"\n{role}: {checked} pages checked, {refused} refused (403), {len(axe.violations)} axe violations")
    duplicates = [f"title {title!r} shared by {sorted(paths)}" for title, paths in titles.items() if len(paths) > 1]
    failures = duplicates + problems + axe.violations + errors
    assert not failures, "\n".join(failures)
    assert checked >= (60 if role == "admin" else 25)
    axe.assert_clean()


def test_public_pages_are_accessible_without_login(csrf_app, live_server, browser, demo, axe):
    with csrf_app.test_request_context():
        guest = url_for("printing.guest_programme", token=guest_token(csrf_app))
        acknowledgement = url_for("mail.acknowledge", token=acknowledgement_token())
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    try:
        for path in ["/login", guest, "/accessibility", "/accessibility?lang=en", acknowledgement]:
            for width in (1280, 320):
                page.set_viewport_size({"width": width, "height": 800})
                assert page.goto(f"{live_server}{path}").status == 200, path
                axe.check(page, f"anonymous {path} at {width}")
                check_structure(page, page.evaluate(STRUCTURE), path, problems, public=True)
                if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                    problems.append(f"{path}: scrolls sideways at {width} px")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    axe.assert_clean()


assert AXE_TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


TAP_TARGETS = """() => [...document.querySelectorAll('a[href], button, input, select, summary')]
  .filter(element => element.offsetParent !== null && !element.classList.contains('skip-link'))
  .map(element => { const box = element.getBoundingClientRect();
                    return [element.textContent.trim().slice(0, 30), Math.round(box.width), Math.round(box.height)]; })
  .filter(([, width, height]) => width < 44 || height < 44)"""


def test_the_guest_page_on_a_phone_has_headings_languages_and_large_tap_targets(csrf_app, live_server, browser, demo,
                                                                              axe):
    with csrf_app.test_request_context():
        guest = url_for("printing.guest_programme", token=guest_token(csrf_app))
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        for language in ("en", "de"):
            assert page.goto(f"{live_server}{guest}?lang={language}").status == 200
            axe.check(page, f"guest page ({language}, 360 px phone)")
            assert page.locator("html").get_attribute("lang") == language
            levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
            assert levels[0] == 1 and levels.count(1) == 1
            assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:])), levels
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            small = page.evaluate(TAP_TARGETS)
            assert small == [], f"tap targets smaller than 44 x 44 CSS px: {small}"
            assert page.get_by_role("link", name="Accessibility statement").count() == 1
    finally:
        context.close()
    axe.assert_clean()
