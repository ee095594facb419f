"""Logging in and out, the admin's user pages, the user's own account and the create-user command."""
from __future__ import annotations

from sqlalchemy import select

from delegations.constants import Role
from delegations.extensions import db
from delegations.models import User
from tests.accounts import english, make_account, sign_in
from tests.conftest import PASSWORD, csrf_token_from, log_in


def test_login_with_right_password_opens_the_overview(client):
    user = make_account(Role.PLANNER)
    response = log_in(client, user.email)
    assert response.status_code == 302 and response.location == "/"
    db.session.refresh(user)
    assert user.last_login_at is not None and user.last_login_at.tzinfo is not None


def test_login_ignores_case_of_the_email(client):
    make_account(Role.PLANNER, "Planner@Example.org")
    assert log_in(client, "PLANNER@example.ORG").status_code == 302


def test_wrong_password_is_refused_with_a_message(client):
    user = make_account(Role.PLANNER)
    response = log_in(english(client), user.email, "not-the-password")
    assert response.status_code == 200
    assert "E-mail address or password is wrong" in response.text
    assert client.get("/").status_code == 302


def test_passwords_are_stored_hashed_with_scrypt(app):
    user = make_account(Role.VIEWER)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_login_follows_next_only_on_this_site(client):
    user = make_account(Role.PLANNER)
    response = client.post("/login?next=/delegations/", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/delegations/"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        response = client.post("/login", query_string={"next": evil}, data={"email": user.email, "password": PASSWORD})
        assert response.location == "/", evil
        client.post("/logout")


def test_logout_ends_the_session(client):
    sign_in(client, Role.PLANNER)
    response = client.post("/logout")
    assert response.location == "/login"
    assert client.get("/").status_code == 302


def test_logout_is_not_possible_by_get(client):
    sign_in(client, Role.PLANNER)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_pages_speak_german_by_default_and_english_when_the_user_chose_it(client):
    sign_in(client, Role.PLANNER, locale="de")
    assert '<html lang="de">' in client.get("/").text
    client.post("/logout")
    sign_in(client, Role.VIEWER, locale="en")
    page = client.get("/").text
    assert '<html lang="en">' in page and "The next 14 days" in page


def test_login_page_follows_the_browser_language(client):
    assert '<html lang="en">' in client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).text
    assert '<html lang="de">' in client.get("/login", headers={"Accept-Language": "fr"}).text


# The admin's user pages -------------------------------------------------------------------------

def test_admin_creates_a_user_who_can_then_log_in(client):
    sign_in(client, Role.ADMIN)
    response = client.post("/users/new", data={"email": " New.Planner@Example.org ", "name": "Nina Neu",
                                               "role": "planner", "locale": "en", "active": "y",
                                               "password": "a-new-password-1"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.planner@example.org"))
    assert user.role == Role.PLANNER and user.name == "Nina Neu"
    assert "new.planner@example.org" in client.get("/users").text
    client.post("/logout")
    assert log_in(client, "new.planner@example.org", "a-new-password-1").status_code == 302


def test_new_user_needs_a_strong_password_and_a_free_email(client):
    admin = sign_in(client, Role.ADMIN)
    response = client.post("/users/new", data={"email": "x@example.org", "role": "viewer", "locale": "de",
                                               "password": ""})
    assert "Please set a first password" in response.text
    response = client.post("/users/new", data={"email": "x@example.org", "role": "viewer", "locale": "de",
                                               "password": "aaaaaaaaaaaa"})
    assert "Password too weak" in response.text
    response = client.post("/users/new", data={"email": admin.email.upper(), "role": "viewer", "locale": "de",
                                               "password": "a-new-password-1"})
    assert "exists already" in response.text
    response = client.post("/users/new", data={"email": "not-an-email", "role": "viewer", "locale": "de",
                                               "password": "a-new-password-1"})
    assert "Please enter a valid e-mail address." in response.text
    response = client.post("/users/new", data={"email": "y@example.org", "role": "emperor", "locale": "de",
                                               "password": "a-new-password-1"})
    assert response.status_code == 200 and "Not a valid choice" in response.text
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_admin_changes_a_role(client):
    sign_in(client, Role.ADMIN)
    other = make_account(Role.VIEWER, "viewer@example.org")
    page = client.get(f"/users/{other.id}/edit").text
    response = client.post(f"/users/{other.id}/edit", data={
        "email": other.email, "name": "Promoted", "role": "planner", "locale": "de", "active": "y",
        "version": str(other.version), "password": ""})
    assert response.status_code == 302, page
    db.session.expire_all()
    assert db.session.get(User, other.id).role == Role.PLANNER


def test_disabling_a_user_ends_their_session_and_refuses_login(app, client):
    viewer_client = app.test_client()
    viewer = sign_in(viewer_client, Role.VIEWER)
    assert viewer_client.get("/").status_code == 200
    sign_in(client, Role.ADMIN)
    response = client.post(f"/users/{viewer.id}/edit", data={
        "email": viewer.email, "name": viewer.name, "role": "viewer", "locale": "en",
        "version": str(viewer.version), "password": ""})  # checkbox "active" not sent: unchecked
    assert response.status_code == 302
    assert viewer_client.get("/").status_code == 302
    response = log_in(viewer_client, viewer.email)
    assert response.status_code == 200 and "disabled" in response.text


def test_setting_a_new_password_for_a_user_logs_them_out_everywhere(app, client):
    planner_client = app.test_client()
    planner = sign_in(planner_client, Role.PLANNER)
    sign_in(client, Role.ADMIN)
    client.post(f"/users/{planner.id}/edit", data={
        "email": planner.email, "name": planner.name, "role": "planner", "locale": "en", "active": "y",
        "version": str(planner.version), "password": "brand-new-secret-9"})
    assert planner_client.get("/").status_code == 302
    assert log_in(planner_client, planner.email, "brand-new-secret-9").status_code == 302


def test_admin_cannot_lock_themselves_out(client):
    admin = sign_in(client, Role.ADMIN)
    response = client.post(f"/users/{admin.id}/edit", data={
        "email": admin.email, "name": admin.name, "role": "viewer", "locale": "en", "active": "y",
        "version": str(admin.version), "password": ""})
    assert response.status_code == 200
    assert "cannot take away your own administrator rights" in response.text
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == Role.ADMIN


def test_editing_a_user_with_a_stale_form_is_refused(app, client):
    sign_in(client, Role.ADMIN)
    other = make_account(Role.VIEWER, "viewer@example.org")
    opened = other.version
    other.name = "Changed meanwhile"
    db.session.commit()
    response = client.post(f"/users/{other.id}/edit", data={
        "email": other.email, "name": "Mine", "role": "viewer", "locale": "en", "active": "y",
        "version": str(opened), "password": ""})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    assert 'value="Mine"' in response.text
    db.session.expire_all()
    assert db.session.get(User, other.id).name == "Changed meanwhile"


# The user's own account ---------------------------------------------------------------------------

def test_user_changes_their_language(client):
    user = sign_in(client, Role.VIEWER, locale="en")
    response = client.post("/account", data={"name": "Büro OB", "locale": "de", "version": str(user.version)})
    assert response.status_code == 302
    assert '<html lang="de">' in client.get("/account").text


def test_password_change_needs_the_current_password(client):
    sign_in(client, Role.VIEWER)
    response = client.post("/account", data={"pw-current_password": "wrong-password",
                                             "pw-new_password": "another-secret-7", "pw-confirm": "another-secret-7"})
    assert "The current password is wrong." in response.text
    response = client.post("/account", data={"pw-current_password": PASSWORD,
                                             "pw-new_password": "another-secret-7", "pw-confirm": "another-secret-8"})
    assert "The two passwords are not the same." in response.text
    response = client.post("/account", data={"pw-current_password": PASSWORD,
                                             "pw-new_password": "short", "pw-confirm": "short"})
    assert "at least 10 characters" in response.text


def test_password_change_keeps_this_session_and_ends_the_others(app, client):
    user = sign_in(client, Role.VIEWER)
    elsewhere = app.test_client()
    log_in(elsewhere, user.email)
    assert elsewhere.get("/").status_code == 200
    response = client.post("/account", data={"pw-current_password": PASSWORD,
                                             "pw-new_password": "another-secret-7", "pw-confirm": "another-secret-7"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/").status_code == 302
    client.post("/logout")
    assert log_in(client, user.email, PASSWORD).status_code == 200
    assert log_in(client, user.email, "another-secret-7").status_code == 302


# The create-user command ----------------------------------------------------------------------------

def test_create_user_command_reads_the_password_from_stdin(runner, client):
    result = runner.invoke(args=["create-user", "Chief@Example.org", "--role", "admin", "--name", "Chief"],
                           input="a-long-secret-42\n")
    assert result.exit_code == 0, result.output
    assert "Created user chief@example.org with role admin." in result.output
    user = db.session.scalar(select(User).where(User.email == "chief@example.org"))
    assert user.role == Role.ADMIN and user.check_password("a-long-secret-42")
    assert log_in(client, "chief@example.org", "a-long-secret-42").status_code == 302
    assert client.get("/users").status_code == 200


def test_create_user_command_refuses_weak_passwords_and_duplicates(runner):
    result = runner.invoke(args=["create-user", "weak@example.org"], input="short\n")
    assert result.exit_code != 0 and "password too weak" in result.output
    assert runner.invoke(args=["create-user", "one@example.org"], input="a-long-secret-42\n").exit_code == 0
    result = runner.invoke(args=["create-user", "ONE@example.org"], input="a-long-secret-42\n")
    assert result.exit_code != 0 and "exists already" in result.output
    result = runner.invoke(args=["create-user", "two@example.org", "--role", "emperor"], input="a-long-secret-42\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_create_user_command_makes_viewers_by_default(runner):
    result = runner.invoke(args=["create-user", "reader@example.org"], input="a-long-secret-42\n")
    assert result.exit_code == 0
    assert db.session.scalar(select(User.role).where(User.email == "reader@example.org")) == Role.VIEWER


# CSRF -----------------------------------------------------------------------------------------------

def test_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    make_account(Role.PLANNER)
    response = client.post("/login", data={"email": "planner@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "The form had expired" in response.text or "Das Formular" in response.text


def test_post_with_csrf_token_is_accepted_and_edits_need_one_too(csrf_app):
    client = csrf_app.test_client()
    make_account(Role.PLANNER)
    token = csrf_token_from(client.get("/login").text)
    response = client.post("/login", data={"email": "planner@example.org", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    response = client.post("/contacts/new", data={"name": "No token"})
    assert response.status_code == 400
    token = csrf_token_from(client.get("/contacts/new").text)
    response = client.post("/contacts/new", data={"name": "With token", "csrf_token": token})
    assert response.status_code == 302
    assert client.post("/logout").status_code == 400  # logging out needs the token as well
