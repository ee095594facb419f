"""The subscribe panel, the token-guarded feed with cheap 304 answers, and one-off .ics downloads."""
from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.http import is_resource_modified

from delegations.auth.access import public
from delegations.config import public_base_url
from delegations.constants import Role
from delegations.database import begin_writing
from delegations.extensions import db
from delegations.feeds import tokens
from delegations.feeds.calendar import CalendarOptions
from delegations.feeds.exporters import ICALENDAR_CONTENT_TYPE, FeedPolicy, exporter
from delegations.feeds.forms import FeedForm, scope_choices
from delegations.feeds.links import FEED_ROUTE, feed_links, install_log_filter
from delegations.models import Delegation, FeedDetail, FeedToken, ProgrammeItem, utc_now
from delegations.templating import current_locale_code

blueprint = Blueprint("feeds", __name__)

DEFAULT_SETTINGS = {
    "FEED_UID_DOMAIN": "delegation-planner.invalid",  # right side of every event UID: never change it
    "FEED_HISTORY_DAYS": 180,
    "FEED_CANCELLED_DAYS": 30,
    "FEED_REFRESH_MINUTES": 15,
    "FEED_LAST_USED_PRECISION_MINUTES": 60,
}
SHOWN_ONCE = "feeds.shown_once"
FEED_CACHE_CONTROL = "private, no-cache"  # revalidate every time (cheap: 304); never in a shared cache


@blueprint.record_once
def configure(state) -> None:
    for key, value in DEFAULT_SETTINGS.items():
        state.app.config.setdefault(key, value)
    install_log_filter()


def policy() -> FeedPolicy:
    return FeedPolicy.from_config(current_app.config)


def app_root_url() -> str:
    return (public_base_url(current_app.config) or request.host_url.rstrip("/") + request.script_root).rstrip("/")


def app_url(endpoint: str, **values) -> str:
    """An absolute link into the app that also holds behind a reverse proxy (PUBLIC_BASE_URL)."""
    path = url_for(endpoint, **values)
    return app_root_url() + path[len(request.script_root):]


def calendar_options(name: str, internal: bool, locale: str, subscription: bool) -> CalendarOptions:
    visit_links: dict[int, str] = {}  # one url_for per visit, not per item

    def visit_url(delegation: Delegation) -> str:
        if delegation.id not in visit_links:
            visit_links[delegation.id] = app_url("visits.show_delegation", delegation_id=delegation.id)
        return visit_links[delegation.id]

    settings = policy()
    return CalendarOptions(
        name=name, internal=internal, uid_domain=settings.uid_domain, locale=locale,
        refresh=settings.refresh if subscription else None,
        item_url=(lambda item: f"{visit_url(item.delegation)}#item-{item.id}") if internal else None,
        visit_url=visit_url if internal else None)


# The feed itself ---------------------------------------------------------------------------------

@blueprint.route(FEED_ROUTE)
@public
def feed(token: str):
    found = tokens.find_feed(token)
    if found is None:
        current_app.logger.info("Calendar feed: unknown or revoked token refused")  # never the token itself
        abort(404)
    feed_id, scope, target_id = found.id, found.scope, found.target_id
    label, locale, internal = found.label, found.locale, found.detail == FeedDetail.INTERNAL
    settings, now, root = policy(), utc_now(), app_root_url()
    feed_exporter = exporter(scope.value)

    etag = feed_exporter.fingerprint(target_id, now, settings, found.detail.value, locale, label, root)
    use = tokens.use_to_record(found, etag, now,
                               timedelta(minutes=current_app.config["FEED_LAST_USED_PRECISION_MINUTES"]))
    changed_at = use.changed_at or found.content_changed_at
    if use.writes:
        # End the read first, so that SQLite takes the write lock up front instead of upgrading.
        db.session.rollback()
        begin_writing()
        tokens.record_use(feed_id, use)
        db.session.commit()

    headers = {"Cache-Control": FEED_CACHE_CONTROL, "X-Robots-Tag": "noindex, nofollow"}
    if not is_resource_modified(request.environ, etag=etag, last_modified=changed_at):
        response = Response(status=304, headers=headers)
    else:
        with force_locale(locale):
            body = feed_exporter.render(target_id, calendar_options(label, internal, locale, True), now, settings)
        response = Response(body, content_type=ICALENDAR_CONTENT_TYPE, headers=headers)
        current_app.logger.info("Calendar feed %s sent (%s bytes)", feed_id, len(body))
    response.set_etag(etag)
    response.last_modified = changed_at
    return response


# One-off downloads -------------------------------------------------------------------------------

def file_name(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return (re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "programme") + ".ics"


def ics_download(exporter_id: str, target_id: int, name: str, filename: str) -> Response:
    internal = request.args.get("detail") != FeedDetail.PUBLIC.value
    body = exporter(exporter_id).render(target_id, calendar_options(name, internal, current_locale_code(), False), utc_now(), policy())
    return Response(body, content_type=ICALENDAR_CONTENT_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"})


@blueprint.route("/delegations/<int:delegation_id>/calendar.ics")
def download_delegation(delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    return ics_download("delegation-download", delegation.id, delegation.title, file_name(delegation.title))


@blueprint.route("/delegations/<int:delegation_id>/items/<int:item_id>/calendar.ics")
def download_item(delegation_id: int, item_id: int):
    item = db.session.get(ProgrammeItem, item_id)
    if item is None or item.delegation_id != delegation_id:
        abort(404)
    return ics_download("item-download", item.id, item.title, file_name(item.title))


# The subscribe panel ----------------------------------------------------------------------------

def feed_rows(feeds: list[FeedToken]) -> list[dict]:
    return [{"feed": feed, "scope": tokens.describe_scope(feed), "may_revoke": tokens.may_revoke(current_user, feed)}
            for feed in feeds]


@blueprint.route("/feeds/", methods=["GET", "POST"])
def index():
    preselected = request.args.get("scope", "")
    form = FeedForm()
    if request.method == "GET":
        form.locale.data = current_user.locale if current_user.locale in ("de", "en") else "de"
        if preselected:
            form.scope.data = preselected
            form.label.data = tokens.suggest_label(preselected)
    form.scope.choices = scope_choices(utc_now(), policy().history, include=form.scope.data or preselected)
    if form.validate_on_submit():
        try:
            scope, target_id = tokens.parse_scope(form.scope.data)
        except tokens.FeedScopeError as error:
            form.scope.errors.append(str(error))
        else:
            detail = FeedDetail(form.detail.data)
            if not tokens.may_create_feed(current_user, detail):
                abort(403)
            issued = tokens.issue_feed(scope, target_id, detail, form.label.data, created_by=current_user,
                                       locale=form.locale.data)
            db.session.commit()
            current_app.logger.info("Calendar feed %s created by user %s", issued.feed.id, current_user.id)
            session[SHOWN_ONCE] = {"id": issued.feed.id, "token": issued.token}
            return redirect(url_for("feeds.created", feed_id=issued.feed.id))
    own = tokens.feeds_for_list(current_user)
    others = ([feed for feed in tokens.feeds_for_list() if feed.created_by_id != current_user.id]
              if current_user.may(Role.PLANNER) else [])
    return render_template("feeds/index.html", form=form, own=feed_rows(own), others=feed_rows(others),
                           refresh_minutes=current_app.config["FEED_REFRESH_MINUTES"],
                           cancelled_days=current_app.config["FEED_CANCELLED_DAYS"])


@blueprint.route("/feeds/<int:feed_id>/new")
def created(feed_id: int):
    """The new feed's link, shown this once (the token lives only in the session until now)."""
    shown = session.pop(SHOWN_ONCE, None)
    feed = db.session.get(FeedToken, feed_id) or abort(404)
    if not shown or shown.get("id") != feed.id or feed.created_by_id != current_user.id or feed.is_revoked:
        flash(_("A feed's link is shown only once, right after it was created. If it is lost, revoke the feed "
                "and create a new one."), "info")
        return redirect(url_for("feeds.index"))
    links = feed_links(app_root_url(), shown["token"])
    response = Response(render_template("feeds/created.html", feed=feed, scope=tokens.describe_scope(feed),
                                        links=links, qr_code=links.qr_data_uri()))
    response.headers["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@blueprint.route("/feeds/<int:feed_id>/revoke", methods=["POST"])
def revoke(feed_id: int):
    feed = db.session.get(FeedToken, feed_id) or abort(404)
    if not tokens.may_revoke(current_user, feed):
        abort(403)
    if tokens.revoke_feed(feed):
        db.session.commit()
        current_app.logger.info("Calendar feed %s revoked by user %s", feed.id, current_user.id)
        flash(_("The feed “%(label)s” has been revoked: its link no longer works.", label=feed.label), "success")
    return redirect(url_for("feeds.index"))
