"""Who may open what: every rule of the URL map, for anonymous visitors, viewers, planners and admins.

The table below states the rule of each page of the planning app. Pages that other parts of the app add
later are checked against what their decorators declare (default-deny login, planner or admin role).
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import Delegation, MemberImport, ProgrammeItem
from tests.accounts import make_account, sign_in
from tests.factories import make_contact, make_delegation, make_item, make_member, make_principal, make_venue

PUBLIC, READ, EDIT, ADMIN, OWN = "public", "read", "edit", "admin", "own account"

# The access rule of every page of issue 2 (auth, visits, people).
RULES = {
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.account": OWN,
    "auth.list_users": ADMIN,
    "auth.new_user": ADMIN,
    "auth.edit_user": ADMIN,
    "visits.dashboard": READ,
    "visits.list_delegations": READ,
    "visits.show_delegation": READ,
    "visits.new_delegation": EDIT,
    "visits.edit_delegation": EDIT,
    "visits.delete_delegation": EDIT,
    "visits.new_member": EDIT,
    "visits.edit_member": EDIT,
    "visits.delete_member": EDIT,
    "visits.import_members": EDIT,
    "visits.confirm_member_import": EDIT,
    "visits.new_item": EDIT,
    "visits.edit_item": EDIT,
    "visits.delete_item": EDIT,
    "people.list_contacts": READ,
    "people.new_contact": EDIT,
    "people.edit_contact": EDIT,
    "people.delete_contact": EDIT,
    "people.list_venues": READ,
    "people.show_venue": READ,
    "people.new_venue": EDIT,
    "people.edit_venue": EDIT,
    "people.delete_venue": EDIT,
    "people.set_travel_time": EDIT,
}
OUR_BLUEPRINTS = {"auth", "visits", "people"}

# POSTs that remove what later requests of the same walk still need go last, children before parents.
POST_ORDER = ["visits.delete_item", "visits.delete_member", "visits.confirm_member_import", "people.delete_venue",
              "people.delete_contact", "visits.delete_delegation", "auth.logout"]


@pytest.fixture
def objects(app):
    """One real object of each kind, and the URL variables that name them."""
    contact = make_contact()
    venue, other_venue = make_venue(), make_venue()
    delegation = make_delegation(lead_contact_id=contact.id)
    member = make_member(delegation)
    item = make_item(delegation)
    spare_venue = make_venue()  # deleted by the planner's walk: not used by any item
    pending = MemberImport(delegation_id=delegation.id, filename="list.csv", rows=[])
    db.session.add(pending)
    other_user = make_account(Role.VIEWER, "someone@example.org")
    principal = make_principal()
    db.session.commit()
    return {"delegation_id": delegation.id, "member_id": member.id, "item_id": item.id, "contact_id": contact.id,
            "venue_id": spare_venue.id, "user_id": other_user.id, "import_id": pending.id, "principal_id": principal.id,
            "_other_venue_id": other_venue.id, "_venue_id": venue.id}


def walk(app, objects):
    """(endpoint, method, url) for every rule, GETs first, then POSTs in an order that keeps objects alive."""
    requests = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: objects.get(name, 1) for name in rule.arguments}
        url = _build(app, rule.endpoint, values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            requests.append((rule.endpoint, method, url))

    def order(request):
        endpoint, method, _url = request
        if method == "GET":
            return (0, endpoint)
        return (1, POST_ORDER.index(endpoint) if endpoint in POST_ORDER else -1, endpoint)

    return sorted(requests, key=order)


def _build(app, endpoint, values):
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


def permitted(endpoint: str, status: int) -> bool:
    """A permitted request: ours answer 200, a redirect or a form error; pages of other areas may not find
    our objects, refuse an empty form or check more rights themselves, and never fail with a 5xx."""
    if endpoint in RULES:
        return status in (200, 302, 400)
    return status < 500


def rule_of(app, endpoint: str) -> str:
    if endpoint in RULES:
        return RULES[endpoint]
    view = app.view_functions[endpoint]
    if getattr(view, "is_public", False):
        return PUBLIC
    required = getattr(view, "required_role", None)
    return {Role.PLANNER: EDIT, Role.ADMIN: ADMIN}.get(required, READ)


def test_every_page_of_the_planning_app_has_a_stated_rule(app):
    ours = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in OUR_BLUEPRINTS}
    assert ours == set(RULES), "add the new page to RULES with its access rule"


def test_declared_roles_match_the_stated_rules(app):
    for endpoint, stated in RULES.items():
        view = app.view_functions[endpoint]
        declared = getattr(view, "required_role", None)
        assert (declared == Role.PLANNER) == (stated == EDIT), endpoint
        assert (declared == Role.ADMIN) == (stated == ADMIN), endpoint
        assert getattr(view, "is_public", False) == (stated == PUBLIC), endpoint


def test_anonymous_visitors_are_sent_to_login_except_on_public_pages(app, client, objects):
    for endpoint, method, url in walk(app, objects):
        response = client.open(url, method=method)
        if rule_of(app, endpoint) == PUBLIC:
            assert response.status_code < 500, (method, url)
            if endpoint == "auth.login" and method == "GET":
                assert response.status_code == 200
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.location.startswith("/login?next="), (method, url)


def test_login_redirect_keeps_the_page_asked_for(client, objects):
    response = client.get(f"/delegations/{objects['delegation_id']}?tab=1")
    target = parse_qs(urlsplit(response.location).query)["next"]
    assert target == [f"/delegations/{objects['delegation_id']}?tab=1"]


def _counts():
    return (db.session.scalar(select(func.count()).select_from(Delegation)),
            db.session.scalar(select(func.count()).select_from(ProgrammeItem)))


def test_viewer_reads_every_page_and_may_change_nothing(app, client, objects):
    sign_in(client, Role.VIEWER)
    before = _counts()
    for endpoint, method, url in walk(app, objects):
        if endpoint in ("auth.logout", "auth.login"):
            continue
        rule = rule_of(app, endpoint)
        response = client.open(url, method=method)
        if rule in (EDIT, ADMIN):
            assert response.status_code == 403, (method, url, response.status_code)
        elif method == "GET" and rule in (READ, OWN) and endpoint in RULES:
            assert response.status_code == 200, (method, url, response.status_code)
        elif rule == READ and method == "POST" and endpoint in RULES:
            pytest.fail(f"{endpoint} accepts POST without a role")
        elif endpoint in RULES:  # the user's own account
            assert response.status_code in (200, 302), (method, url, response.status_code)
        else:  # pages of other areas may check more themselves; they never fail
            assert response.status_code < 500, (method, url, response.status_code)
    db.session.expire_all()
    assert _counts() == before


def test_viewer_sees_no_edit_links(client, objects):
    sign_in(client, Role.VIEWER)
    page = client.get(f"/delegations/{objects['delegation_id']}").text
    assert "/edit" not in page and "/items/new" not in page and "/members/import" not in page


def test_planner_edits_everything_but_users(app, client, objects):
    sign_in(client, Role.PLANNER)
    for endpoint, method, url in walk(app, objects):
        if endpoint in ("auth.logout", "auth.login"):
            continue
        rule = rule_of(app, endpoint)
        response = client.open(url, method=method)
        if rule == ADMIN:
            assert response.status_code == 403, (method, url, response.status_code)
        elif endpoint in RULES and method == "GET":
            assert response.status_code == 200, (method, url, response.status_code)
        else:
            assert permitted(endpoint, response.status_code), (method, url, response.status_code)
    db.session.expire_all()
    assert db.session.get(Delegation, objects["delegation_id"]) is None  # the walk ends by deleting it


def test_admin_opens_everything(app, client, objects):
    sign_in(client, Role.ADMIN)
    for endpoint, method, url in walk(app, objects):
        if endpoint in ("auth.logout", "auth.login"):
            continue
        response = client.open(url, method=method)
        if endpoint in RULES and method == "GET":
            assert response.status_code == 200, (method, url, response.status_code)
        else:
            assert permitted(endpoint, response.status_code), (method, url, response.status_code)


def test_unknown_ids_give_404_not_500(client, objects):
    sign_in(client, Role.PLANNER)
    for url in ("/delegations/999", "/delegations/999/edit", f"/delegations/{objects['delegation_id']}/items/999/edit",
                f"/delegations/{objects['delegation_id']}/members/999/edit", "/venues/999", "/contacts/999/edit"):
        assert client.get(url).status_code == 404, url


def test_an_item_is_only_reachable_through_its_own_delegation(client, objects):
    sign_in(client, Role.PLANNER)
    other = make_delegation()
    db.session.commit()
    assert client.get(f"/delegations/{other.id}/items/{objects['item_id']}/edit").status_code == 404
    assert client.post(f"/delegations/{other.id}/items/{objects['item_id']}/delete").status_code == 404
    assert client.get(f"/delegations/{other.id}/members/{objects['member_id']}/edit").status_code == 404
    assert db.session.get(ProgrammeItem, objects["item_id"]) is not None


def test_logged_in_user_opening_login_goes_to_the_overview(client):
    sign_in(client, Role.VIEWER)
    assert client.get("/login").location == "/"


def test_logged_out_user_is_sent_to_login(client, objects):
    sign_in(client, Role.PLANNER)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302
