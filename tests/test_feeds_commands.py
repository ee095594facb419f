"""`flask --app delegations feeds issue|list|revoke`: print a working link once, list feeds, revoke them."""
from __future__ import annotations

import re

from sqlalchemy import select

from delegations.constants import PrincipalKind
from delegations.extensions import db
from delegations.models import FeedDetail, FeedScope, FeedToken
from tests.factories import make_contact, make_delegation, make_item, make_principal
from tests.test_feeds_calendar import events, parse_both

LINK = re.compile(r"^https://planner\.example\.org(/feeds/[A-Za-z0-9_-]{43}\.ics)$", re.M)


def issue(runner, *args):
    return runner.invoke(args=["feeds", "issue", "--base-url", "https://planner.example.org", *args])


def test_issue_prints_https_and_webcal_links_that_work(runner, client):
    mayor = make_principal(kind=PrincipalKind.MAYOR)
    item = make_item(make_delegation(), principal=mayor)
    db.session.commit()

    result = issue(runner, "--scope", "mayor", "--label", "Mayor's diary")

    assert result.exit_code == 0, result.output
    path = LINK.search(result.output).group(1)
    assert f"webcal://planner.example.org{path}" in result.output
    feed = db.session.scalars(select(FeedToken)).one()
    assert (feed.scope, feed.principal_id, feed.detail, feed.created_by_id) == (
        FeedScope.PRINCIPAL, mayor.id, FeedDetail.INTERNAL, None)
    assert path.removeprefix("/feeds/").removesuffix(".ics") not in feed.token_hash
    assert set(events(parse_both(client.get(path).data))) == {f"item-{item.id}@delegation-planner.invalid"}


def test_issue_takes_every_scope_and_public_detail(runner):
    person, visit = make_contact(), make_delegation()
    principal = make_principal(kind=PrincipalKind.DEPUTY_MAYOR)
    db.session.commit()

    for scope in (f"person:{person.id}", f"delegation:{visit.id}", f"principal:{principal.id}", "all"):
        result = issue(runner, "--scope", scope, "--label", scope, "--public", "--locale", "en")
        assert result.exit_code == 0, result.output

    feeds = db.session.scalars(select(FeedToken).order_by(FeedToken.id)).all()
    assert [feed.scope_reference for feed in feeds] == [
        f"person:{person.id}", f"delegation:{visit.id}", f"principal:{principal.id}", "all"]
    assert {feed.detail for feed in feeds} == {FeedDetail.PUBLIC}
    assert {feed.locale for feed in feeds} == {"en"}


def test_issue_refuses_an_unknown_scope_and_issues_nothing(runner):
    for scope in ("delegation:999", "mayor", "planet:3", "person:abc"):
        result = issue(runner, "--scope", scope, "--label", "x")
        assert result.exit_code != 0
        assert "Error" in result.output
    assert db.session.scalar(select(FeedToken.id)) is None


def test_issue_without_a_base_url_warns_but_still_prints_the_link(runner):
    result = runner.invoke(args=["feeds", "issue", "--scope", "all", "--label", "All"])

    assert result.exit_code == 0
    assert "PUBLIC_BASE_URL" in result.output
    assert re.search(r"http://localhost:5000/feeds/[A-Za-z0-9_-]{43}\.ics", result.output)


def test_list_and_revoke(runner, client):
    path = LINK.search(issue(runner, "--scope", "all", "--label", "Everything").output).group(1)
    issue(runner, "--scope", "all", "--label", "Second")
    first = db.session.scalars(select(FeedToken).where(FeedToken.label == "Everything")).one()

    listing = runner.invoke(args=["feeds", "list"])
    assert listing.exit_code == 0
    assert re.search(rf"^{first.id}\tactive\tall\tinternal\tEverything\tcommand line\t", listing.output, re.M)
    assert path not in listing.output
    assert client.get(path).status_code == 200

    revoked = runner.invoke(args=["feeds", "revoke", str(first.id)])
    assert revoked.exit_code == 0
    assert f"Revoked feed {first.id}" in revoked.output
    assert client.get(path).status_code == 404
    assert "Everything" not in runner.invoke(args=["feeds", "list"]).output
    assert re.search(rf"^{first.id}\trevoked ", runner.invoke(args=["feeds", "list", "--all"]).output, re.M)
    assert "already revoked" in runner.invoke(args=["feeds", "revoke", str(first.id)]).output


def test_revoke_of_an_unknown_feed_fails_and_revokes_nothing(runner):
    issue(runner, "--scope", "all", "--label", "Everything")
    feed_id = db.session.scalar(select(FeedToken.id))

    result = runner.invoke(args=["feeds", "revoke", str(feed_id), "999"])

    assert result.exit_code != 0
    assert "999" in result.output
    assert db.session.get(FeedToken, feed_id).revoked_at is None
