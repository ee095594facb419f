"""`flask --app delegations feeds issue|list|revoke`: feed links for the command line and scripts."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from delegations.config import public_base_url
from delegations.extensions import db
from delegations.feeds import tokens
from delegations.feeds.links import feed_links
from delegations.models import FeedDetail, FeedToken

feeds_group = AppGroup("feeds", help="Secret calendar feed links: issue, list, revoke.")

DEVELOPMENT_BASE_URL = "http://localhost:5000"


@feeds_group.command("issue")
@click.option("--scope", required=True, metavar="SCOPE",
              help="mayor, principal:ID, person:ID, delegation:ID or all.")
@click.option("--label", required=True, help="The calendar's name, as subscribers see it.")
@click.option("--public", "public_detail", is_flag=True,
              help="Public detail: no internal notes, people or links into the app (default: internal).")
@click.option("--locale", type=click.Choice(["de", "en"]), default="de", show_default=True,
              help="Language of the feed's own words.")
@click.option("--base-url", default=None,
              help="The app's public root URL (default: the PUBLIC_BASE_URL setting).")
def issue_command(scope: str, label: str, public_detail: bool, locale: str, base_url: str | None) -> None:
    """Issue a feed link and print it (the only time it is shown)."""
    if not label.strip():
        raise click.ClickException("the label must not be empty")
    try:
        scope_kind, target_id = tokens.parse_scope(scope)
    except tokens.FeedScopeError as error:
        raise click.ClickException(str(error))
    base_url = base_url or public_base_url(current_app.config)
    if not base_url:
        click.echo(f"Warning: PUBLIC_BASE_URL is not set; the links use {DEVELOPMENT_BASE_URL}. Set it in "
                   "instance/config.py or the environment (or pass --base-url) to print the public address.",
                   err=True)
        base_url = DEVELOPMENT_BASE_URL
    detail = FeedDetail.PUBLIC if public_detail else FeedDetail.INTERNAL
    issued = tokens.issue_feed(scope_kind, target_id, detail, label, created_by=None, locale=locale)
    db.session.commit()
    links = feed_links(base_url, issued.token)
    feed = issued.feed
    click.echo(f"Issued feed {feed.id} “{feed.label}” ({feed.scope_reference}, {feed.detail.value}).")
    click.echo(links.https)
    click.echo(links.webcal)
    click.echo("The link is shown only now: the planner stores just its hash.")


@feeds_group.command("list")
@click.option("--all", "include_revoked", is_flag=True, help="Also list revoked feeds.")
def list_command(include_revoked: bool) -> None:
    """List feeds: id, state, scope, detail, label, creator, creation and last use."""
    feeds = tokens.feeds_for_list(include_revoked=include_revoked)
    if not feeds:
        click.echo("No feeds.")
        return
    for feed in feeds:
        state = f"revoked {feed.revoked_at:%Y-%m-%d}" if feed.revoked_at else "active"
        creator = feed.created_by.email if feed.created_by else "command line"
        last_used = f"{feed.last_used_at:%Y-%m-%d %H:%M} UTC" if feed.last_used_at else "never used"
        click.echo(f"{feed.id}\t{state}\t{feed.scope_reference}\t{feed.detail.value}\t{feed.label}\t"
                   f"{creator}\t{feed.created_at:%Y-%m-%d}\t{last_used}")


@feeds_group.command("revoke")
@click.argument("feed_ids", nargs=-1, type=int, required=True)
def revoke_command(feed_ids: tuple[int, ...]) -> None:
    """Revoke feeds by id: their links answer 404 from now on."""
    missing = [feed_id for feed_id in feed_ids if db.session.get(FeedToken, feed_id) is None]
    if missing:
        raise click.ClickException(f"no feed with id {', '.join(map(str, missing))}; nothing was revoked")
    for feed_id in feed_ids:
        feed = db.session.get(FeedToken, feed_id)
        if tokens.revoke_feed(feed):
            click.echo(f"Revoked feed {feed.id} “{feed.label}”.")
        else:
            click.echo(f"Feed {feed.id} “{feed.label}” was already revoked.")
    db.session.commit()
