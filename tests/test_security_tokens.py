"""Tokens never leak: feed and guest-link tokens stay out of logs, error pages, the database and referrers."""
from __future__ import annotations

import inspect
import logging
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import inspect as sql_inspect
from sqlalchemy import select, text
from werkzeug.serving import make_server

from delegations.extensions import db
from delegations.feeds import tokens
from delegations.models import Base, FeedDetail, FeedScope
from delegations.printing import guest_links
from delegations.security import redact_tokens
from tests.accounts import make_account
from tests.factories import make_delegation, make_item

ALLOWED_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


@pytest.fixture
def secrets_issued(app, tmp_path):
    app.config.update(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"), PUBLIC_BASE_URL="https://planner.example.org")
    user = make_account("planner")
    delegation = make_delegation(title="Delegation from Poznań")
    make_item(delegation, title="Reception at the New Town Hall")
    db.session.flush()
    feed = tokens.issue_feed(FeedScope.ALL, None, FeedDetail.PUBLIC, "Everything", created_by=user, locale="en")
    guest = guest_links.create_link(delegation, user, app.config["SECRET_KEY"])
    db.session.commit()
    return {"feed": feed.token, "feed_id": feed.feed.id, "guest": guest.token}


class Everything(logging.Handler):
    """Every record any logger hands to the root logger, formatted with its traceback."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logged():
    """Every log record, whatever earlier tests did to logging (dictConfig may have disabled loggers)."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in ("werkzeug", "delegations", "gunicorn.access", "gunicorn.error")]
    saved = [(logger, logger.disabled, logger.level, logger.propagate) for logger in [root, *loggers]]
    globally_disabled = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    root.addHandler(handler)
    for logger in [root, *loggers]:
        logger.disabled, logger.propagate = False, True
        logger.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    for logger, disabled, level, propagate in saved:
        logger.disabled, logger.propagate = disabled, propagate
        logger.setLevel(level)
    logging.disable(globally_disabled)


def assert_no_secret(secrets_issued, *texts):
    for secret in (secrets_issued["feed"], secrets_issued["guest"]):
        for text_ in texts:
            assert secret not in text_


def test_feed_and_guest_requests_log_ids_but_never_tokens(client, secrets_issued, logged):
    feed = client.get(f"/feeds/{secrets_issued['feed']}.ics")
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data
    guest = client.get(f"/p/{secrets_issued['guest']}")
    assert guest.status_code == 200
    assert f"Calendar feed {secrets_issued['feed_id']} sent" in logged.text
    assert_no_secret(secrets_issued, logged.text)


def test_unknown_tokens_get_a_plain_404_that_does_not_repeat_them(client, secrets_issued, logged):
    guessed = secrets_issued["feed"][::-1]
    for path in (f"/feeds/{guessed}.ics", f"/p/{guessed}", f"/p/{guessed}/programme.pdf"):
        response = client.get(path)
        assert response.status_code == 404
        assert guessed not in response.text
    assert guessed not in logged.text


def test_a_crash_on_a_tokened_address_shows_and_logs_no_token(app, secrets_issued, logged):
    @app.route("/p/<token>/crash")
    def crash(token):
        raise RuntimeError("the renderer fell over")

    app.view_functions["crash"].is_public = True
    app.testing = False  # a real 500 page and Flask's "Exception on <path>" log line
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get(f"/p/{secrets_issued['guest']}/crash")
    assert response.status_code == 500
    assert "Exception on /p/[token]/crash [GET]" in logged.text
    assert "the renderer fell over" in logged.text  # the traceback is still there for the operator
    assert_no_secret(secrets_issued, response.text, logged.text)


def test_the_development_servers_access_log_redacts_tokens(app, secrets_issued, logged):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for path in (f"/feeds/{secrets_issued['feed']}.ics", f"/p/{secrets_issued['guest']}",
                     f"/feeds/{'x' * 43}.ics"):
            try:
                urllib.request.urlopen(base + path, timeout=10).read()
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.shutdown()
        thread.join(5)
    access_lines = [line for line in logged.lines if line.startswith("werkzeug")]
    assert any("GET /feeds/[token].ics" in line for line in access_lines)
    assert any("GET /p/[token]" in line for line in access_lines)
    assert_no_secret(secrets_issued, logged.text)


def test_gunicorn_access_lines_are_redacted(secrets_issued, logged):
    # gunicorn's glogging.Logger.access() logs the access_log_format with a dict of atoms.
    atoms = {"h": "203.0.113.9", "r": f"GET /feeds/{secrets_issued['feed']}.ics HTTP/1.1", "s": "200",
             "f": f"https://planner.example.org/p/{secrets_issued['guest']}"}
    logging.getLogger("gunicorn.access").info('%(h)s "%(r)s" %(s)s "%(f)s"', atoms)
    assert 'GET /feeds/[token].ics HTTP/1.1" 200 "https://planner.example.org/p/[token]"' in logged.text
    assert_no_secret(secrets_issued, logged.text)


def test_redaction_keeps_the_rest_of_the_line():
    assert redact_tokens("GET /p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/programme.pdf?lang=en") == \
        "GET /p/[token]/programme.pdf?lang=en"
    assert redact_tokens("GET /people/12") == "GET /people/12"


def test_every_response_sends_a_strict_referrer_policy(app, client, secrets_issued):
    responses = {
        "feed": client.get(f"/feeds/{secrets_issued['feed']}.ics"),
        "guest page": client.get(f"/p/{secrets_issued['guest']}"),
        "unknown feed": client.get("/feeds/nothing.ics"),
        "login page": client.get("/login"),
        "redirect to login": client.get("/"),
        "static file": client.get("/static/favicon.svg"),
        "failed login": client.post("/login", data={"email": "nobody@example.org", "password": "x"}),
    }
    etag = responses["feed"].headers["ETag"]
    responses["feed not modified"] = client.get(f"/feeds/{secrets_issued['feed']}.ics",
                                                headers={"If-None-Match": etag})
    assert responses["feed not modified"].status_code == 304
    for name, response in responses.items():
        assert response.headers.get("Referrer-Policy") in ALLOWED_REFERRER_POLICIES, name
    assert responses["guest page"].headers["Referrer-Policy"] == "no-referrer"


def test_tokens_are_stored_only_as_hashes(app, secrets_issued):
    """A copy of the database opens nothing: no column of any table holds a token."""
    db.session.commit()
    connection = db.session.connection()
    inspector = sql_inspect(connection)
    found = []
    for table in Base.metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        for row in connection.execute(select(table)).mappings():
            for column in columns:
                value = row.get(column)
                if isinstance(value, str) and (secrets_issued["feed"] in value or secrets_issued["guest"] in value):
                    found.append(f"{table.name}.{column}")
    assert found == []
    assert connection.execute(text("SELECT 1")).scalar() == 1


def test_token_checks_compare_in_constant_time():
    """Lookups go by the SHA-256 of the presented token (nothing about the stored token's prefix can be
    learned from timing), and the final comparison uses hmac.compare_digest."""
    assert "compare_digest" in inspect.getsource(tokens.find_feed)
    assert "token_digest(token)" in inspect.getsource(guest_links.find_active)
    assert "compare_digest" in inspect.getsource(guest_links.token_for)


def test_tokens_carry_at_least_128_bits(secrets_issued):
    # 43 characters of URL-safe base64 = 256 bits.
    assert len(secrets_issued["feed"]) >= 22 and len(secrets_issued["guest"]) >= 22
    assert tokens.TOKEN_BYTES * 8 >= 128


def test_guessing_tokens_is_rate_limited_without_hurting_working_links(app, client, secrets_issued):
    app.config["TOKEN_FAILURE_RATE_LIMIT"] = "5 per minute"
    for number in range(5):
        assert client.get(f"/feeds/{'g' * 42}{number}.ics").status_code == 404
    assert client.get(f"/p/{'h' * 43}").status_code == 429
    assert client.get(f"/feeds/{secrets_issued['feed']}.ics").status_code == 429  # the address is paused
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    assert other.get(f"/feeds/{secrets_issued['feed']}.ics").status_code == 200
    for _ in range(10):  # working links never use up the allowance
        assert other.get(f"/p/{secrets_issued['guest']}").status_code == 200
