"""The first things a new user does: log in and see the overview."""
from tests.conftest import log_in, make_user_with_role


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_planner_logs_in_and_sees_the_overview(client, app):
    user = make_user_with_role("planner")
    response = log_in(client, user.email)
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "14" in page.text
