"""Hardening: production settings, login rate limit, session limits, passwords, uploads, security headers
and escaping of everything people type."""
from __future__ import annotations

import io
import time
import warnings

import pytest
from flask import url_for
from sqlalchemy import select

from delegations import ConfigurationError, create_app
from delegations.auth.operations import create_user
from delegations.constants import Role
from delegations.extensions import db
from delegations.models import AuditEntry, ProgrammeItemTranslation, User, UserSession
from delegations.passwords import password_problem
from tests.conftest import PASSWORD, log_in
from tests.factories import make_contact, make_delegation, make_item, make_member, make_venue

CORE_BLUEPRINTS = {"auth", "visits", "people", "history", "privacy", "sessions"}
XSS_PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def account(role="planner", email=None, name=None):
    user = create_user(email or f"{role}@example.org", PASSWORD, Role(role), name=name or f"Test {role}", locale="en")
    db.session.commit()
    return user


def sign_in(client, role="planner", email=None):
    user = account(role, email)
    assert log_in(client, user.email).status_code == 302
    return user


# Production settings -----------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def english_browser(request):
    """The messages below are checked in English; anonymous pages otherwise speak German, the default."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_production_refuses_to_start_with_the_default_secret_key(monkeypatch, database_url):
    monkeypatch.setenv("DELEGATIONS_ENV", "production")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_production_without_any_configuration_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("DELEGATIONS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError):
        create_app()


def test_production_cookies_are_secure_host_prefixed_httponly_and_lax(monkeypatch, database_url, _schema_app):
    monkeypatch.setenv("DELEGATIONS_ENV", "production")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "a-real-secret-for-this-test",
                      "WTF_CSRF_ENABLED": False})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"
    with app.app_context():
        from tests.conftest import _empty_tables
        _empty_tables(app)
        user = account()
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                               base_url="https://delegations.example.org")
        assert response.status_code == 302
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-session=")
        for attribute in ("Secure", "HttpOnly", "Path=/", "SameSite=Lax"):
            assert attribute in cookie
        assert "Domain=" not in cookie
        page = client.get("/", base_url="https://delegations.example.org")
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        db.session.remove()


def test_development_cookies_are_httponly_and_lax_but_work_over_http(client, app):
    assert app.config["SESSION_COOKIE_NAME"] == "session"
    user = account()
    response = log_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


# Rate limit --------------------------------------------------------------------------------------

def test_repeated_failed_logins_are_paused_with_a_clear_message(client):
    user = account()
    for _attempt in range(10):
        response = client.post("/login", data={"email": user.email, "password": "wrong password"})
        assert response.status_code == 200
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "please wait a minute" in response.text
    assert response.headers["Retry-After"]
    assert "<h1" in response.text and "Content-Security-Policy" in response.headers
    # Another account from the same address is not locked out by someone guessing this one.
    other = account("viewer")
    assert log_in(client, other.email).status_code == 302


def test_successful_logins_do_not_use_up_the_allowance(client):
    user = account()
    for _attempt in range(15):
        assert log_in(client, user.email).status_code == 302
        client.post("/logout")


def test_the_login_page_itself_is_not_limited(client):
    for _attempt in range(30):
        assert client.get("/login").status_code == 200


# Sessions ----------------------------------------------------------------------------------------

def test_login_renews_the_session(client):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_sid"]


def test_logout_ends_the_session_on_the_server(client, app):
    sign_in(client)
    with client.session_transaction() as session:
        stolen = dict(session)
    client.post("/logout")
    assert db.session.scalar(select(UserSession)).ended_at is not None
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(stolen)
    response = thief.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_log_out_everywhere_ends_the_sessions_on_other_devices(app):
    user = account()
    laptop, phone = app.test_client(), app.test_client()
    assert log_in(laptop, user.email).status_code == 302
    assert log_in(phone, user.email).status_code == 302
    assert phone.get("/").status_code == 200
    account_page = laptop.get("/account").text
    assert "Log out everywhere" in account_page and 'name="everywhere" value="1"' in account_page
    laptop.post("/logout", data={"everywhere": "1"})
    assert phone.get("/").status_code == 302
    assert all(row.ended_at for row in db.session.scalars(select(UserSession)))


def test_plain_logout_keeps_other_devices_logged_in(app):
    user = account()
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop, user.email)
    log_in(phone, user.email)
    laptop.post("/logout")
    assert phone.get("/").status_code == 200
    assert laptop.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions(app):
    admin = account("admin")
    planner = account("planner", name="Pia Planer")
    admin_client, planner_client = app.test_client(), app.test_client()
    log_in(admin_client, admin.email)
    log_in(planner_client, planner.email)
    assert planner_client.get("/").status_code == 200
    planner = db.session.get(User, planner.id)
    response = admin_client.post(f"/users/{planner.id}/edit", data={
        "email": planner.email, "name": planner.name, "role": "planner", "locale": "en", "version": planner.version})
    assert response.status_code == 302
    assert planner_client.get("/").status_code == 302


def _age_session(client, idle_seconds=0, absolute_seconds=0):
    with client.session_transaction() as session:
        session["_seen"] = session["_seen"] - idle_seconds
        session["_started"] = session["_started"] - absolute_seconds


def test_an_idle_session_ends_and_login_returns_to_the_page(client, app):
    user = sign_in(client)
    delegation = make_delegation()
    db.session.commit()
    _age_session(client, idle_seconds=app.config["SESSION_IDLE_MINUTES"] * 60 + 1)
    response = client.get(f"/delegations/{delegation.id}")
    assert response.status_code == 302
    assert response.location == f"/login?next=/delegations/{delegation.id}"
    login_page = client.get(response.location)
    assert "without activity" in login_page.text
    again = client.post(response.location, data={"email": user.email, "password": PASSWORD})
    assert again.location == f"/delegations/{delegation.id}"


def test_a_form_sent_after_the_idle_limit_is_not_saved_and_the_user_is_told(client, app):
    sign_in(client)
    delegation = make_delegation(title="Before")
    db.session.commit()
    _age_session(client, idle_seconds=app.config["SESSION_IDLE_MINUTES"] * 60 + 1)
    response = client.post(f"/delegations/{delegation.id}/edit", data={"title": "After"},
                           headers={"Referer": f"http://localhost/delegations/{delegation.id}/edit"})
    assert response.status_code == 302
    assert response.location == f"/login?next=/delegations/{delegation.id}/edit"
    assert "could not be kept" in client.get(response.location).text
    db.session.expire_all()
    assert db.session.get(type(delegation), delegation.id).title == "Before"


def test_a_session_ends_after_the_absolute_limit_even_when_active(client, app):
    sign_in(client)
    _age_session(client, absolute_seconds=app.config["SESSION_ABSOLUTE_HOURS"] * 3600 + 1)
    response = client.get("/")
    assert response.status_code == 302
    assert "at most" in client.get(response.location).text


def test_activity_keeps_the_session_open_and_the_page_knows_when_it_ends(client, app):
    sign_in(client)
    _age_session(client, idle_seconds=app.config["SESSION_IDLE_MINUTES"] * 60 - 30)
    page = client.get("/")
    assert page.status_code == 200
    assert 'name="session-timing"' in page.text and "js/session.js" in page.text
    with client.session_transaction() as session:
        assert time.time() - session["_seen"] < 5
    answer = client.post("/session/keep-alive")
    assert answer.status_code == 200
    assert answer.json["idle_left"] >= app.config["SESSION_IDLE_MINUTES"] * 60 - 5


def test_keep_alive_needs_the_csrf_token(csrf_app):
    client = csrf_app.test_client()
    user = account()
    login_page = client.get("/login")
    from tests.conftest import csrf_token_from
    token = csrf_token_from(login_page.text)
    assert client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}).status_code == 302
    assert client.post("/session/keep-alive").status_code == 400
    token = csrf_token_from(client.get("/").text)
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 200


def test_delete_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    user = account()
    from tests.conftest import csrf_token_from
    token = csrf_token_from(client.get("/login").text)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    delegation = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{delegation.id}/delete", data={"version": delegation.version})
    assert response.status_code == 400
    assert db.session.get(type(delegation), delegation.id) is not None


# Passwords ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["password123", "Passwort2026!", "qwertz123456", "Hannover96!!", "1234567890",
                                      "sonnenschein", "short1!"])
def test_weak_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_the_email_address_is_no_password():
    assert password_problem("pia.planer@example.org", "pia.planer@example.org")
    assert password_problem("Pia.Planer2026", "pia.planer@example.org")
    assert password_problem("a-long-and-unusual-phrase", "pia.planer@example.org") is None


def test_admin_cannot_give_a_common_password(client):
    sign_in(client, "admin")
    response = client.post("/users/new", data={"email": "new@example.org", "name": "New", "role": "viewer",
                                               "locale": "en", "active": "y", "password": "Passwort2026!"})
    assert response.status_code == 200
    assert "most common passwords" in response.text
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_create_user_command_refuses_a_password_equal_to_the_email(runner):
    result = runner.invoke(args=["create-user", "someone.long@example.org"], input="someone.long@example.org\n")
    assert result.exit_code != 0
    assert "e-mail address" in result.output


# Uploads -----------------------------------------------------------------------------------------

def test_uploads_of_other_types_are_refused(client):
    sign_in(client)
    delegation = make_delegation()
    db.session.commit()
    response = client.post(f"/delegations/{delegation.id}/members/import", data={
        "spreadsheet": (io.BytesIO(b"MZ\x90\x00binary"), "tool.exe")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert ".xlsx" in response.text and ".csv" in response.text


def test_too_large_uploads_get_a_friendly_page(client, app):
    sign_in(client)
    delegation = make_delegation()
    db.session.commit()
    big = io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post(f"/delegations/{delegation.id}/members/import", data={"spreadsheet": (big, "list.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "smaller file" in response.text


# Headers and escaping on every page --------------------------------------------------------------

def _objects_with_payload(payload: str) -> dict:
    contact = make_contact(**{name: payload for name in ("name", "function", "phone", "email")})
    venue = make_venue(**{name: payload for name in ("name", "address", "room", "notes")})
    delegation = make_delegation(**{name: payload for name in (
        "title", "city", "organisation", "head_name", "head_function", "hotel", "purpose", "notes")},
        lead_contact_id=contact.id)
    member = make_member(delegation, **{name: payload for name in (
        "name", "function", "organisation", "dietary_needs", "accessibility_needs", "email", "phone")})
    item = make_item(delegation, venue=venue, responsible=contact, **{name: payload for name in (
        "title", "city_participants", "dress_code", "description", "internal_note")})
    item.translations.append(ProgrammeItemTranslation(language="pl", title=payload, description=payload))
    db.session.commit()
    # A change, so that the history pages show the payload as old and new values too.
    item.title = payload + " (moved)"
    member.dietary_needs = payload + "!"
    db.session.commit()
    return {"delegation_id": delegation.id, "member_id": member.id, "item_id": item.id, "contact_id": contact.id,
            "venue_id": venue.id, "entry_id": db.session.scalar(select(AuditEntry.id).limit(1))}


def _get_pages(app, client, objects):
    """Every GET page of the app with real ids in it (also the pages other areas add)."""
    pages = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {name: objects.get(name, 1) for name in rule.arguments}
            pages.append((rule.endpoint, url_for(rule.endpoint, **values)))
    responses = []
    for endpoint, url in pages:
        try:
            responses.append((endpoint, url, client.get(url)))
        except Exception:  # noqa: BLE001
            # A page of another area that fails by itself is that area's test's business, not this one's.
            if endpoint.split(".")[0] in CORE_BLUEPRINTS:
                raise
            warnings.warn(f"skipped {url}: it raised an error")
    return responses


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_typed_markup_comes_back_escaped_on_every_page(app, client, payload):
    sign_in(client, "admin")
    objects = _objects_with_payload(payload)
    shown_escaped = 0
    for endpoint, url, response in _get_pages(app, client, objects):
        if response.mimetype != "text/html":
            continue
        assert payload not in response.text, f"{url} shows markup unescaped"
        assert "<img src=x" not in response.text and "<script>alert" not in response.text, url
        if "alert(1)" in response.text:
            shown_escaped += 1
    for url in (f"/delegations/{objects['delegation_id']}/history/recent", "/history/",
                f"/delegations/{objects['delegation_id']}/members/{objects['member_id']}/edit"):
        response = client.get(url)
        assert response.status_code == 200 and payload not in response.text and "alert(1)" in response.text
    assert shown_escaped >= 8


def test_security_headers_on_every_page(app, client):
    sign_in(client, "admin")
    objects = _objects_with_payload("plain")
    responses = _get_pages(app, client, objects)
    responses.append(("missing", "/no-such-page", client.get("/no-such-page")))
    responses.append(("static", "/static/css/app.css", client.get("/static/css/app.css")))
    anonymous = app.test_client()
    responses.append(("login", "/login", anonymous.get("/login")))
    for endpoint, url, response in responses:
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, (url, header)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy, url


def test_personal_data_export_is_not_html_and_not_cached(client):
    sign_in(client)
    objects = _objects_with_payload(XSS_PAYLOADS[0])
    response = client.get(f"/delegations/{objects['delegation_id']}/personal-data.json")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
