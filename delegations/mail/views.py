"""The outbox page for planners, and the public page where a recipient acknowledges a notice (/ack/<token>)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from delegations.auth.access import planner_required, public
from delegations.extensions import db
from delegations.mail import outbox
from delegations.mail.queries import outbox_listing, state_counts
from delegations.mail.settings import DEFAULT_SETTINGS, MailSettingsError, mail_configured, smtp_settings
from delegations.models import Delegation, OutboxMessage, OutboxState, utc_now

blueprint = Blueprint("mail", __name__)

PAGE_SIZE = 50
# Acknowledgement pages carry a secret in their address: keep them out of caches, referrers and search engines.
ACK_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}


@blueprint.record_once
def configure(state) -> None:
    for key, value in DEFAULT_SETTINGS.items():
        state.app.config.setdefault(key, value)


@blueprint.route("/outbox/")
@planner_required
def outbox_page():
    state = request.args.get("state") or None
    if state is not None and state not in {member.value for member in OutboxState}:
        state = None
    delegation_id = request.args.get("delegation", type=int)
    delegation = db.session.get(Delegation, delegation_id) if delegation_id else None
    if delegation is None:
        delegation_id = None
    page = db.paginate(outbox_listing(OutboxState(state) if state else None, delegation_id),
                       per_page=PAGE_SIZE, error_out=False)
    try:
        settings, settings_problem = smtp_settings(current_app.config), None
    except MailSettingsError as error:
        settings, settings_problem = None, str(error)
    filters = {key: value for key, value in (("state", state), ("delegation", delegation_id)) if value}
    return render_template("mail/outbox.html", page=page, counts=state_counts(delegation_id), state=state,
                           delegation=delegation, filters=filters, configured=mail_configured(current_app.config),
                           settings=settings, settings_problem=settings_problem, states=list(OutboxState),
                           may_requeue=outbox.may_requeue, now=utc_now())


@blueprint.route("/outbox/<int:message_id>/requeue", methods=["POST"])
@planner_required
def requeue(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if outbox.requeue(message):
        db.session.commit()
        current_app.logger.info("Outbox message %s queued again", message.id)
        flash(_("The message to %(recipients)s waits in the outbox again and goes out with the next run.",
                recipients=", ".join(message.recipients)), "success")
    else:
        flash(_("Only a failed message, or one waiting for a retry, can be sent again; this one is: %(state)s.",
                state=message.state.label), "info")
    return redirect(request.form.get("back") if _is_local(request.form.get("back")) else url_for("mail.outbox_page"))


def _is_local(target: str | None) -> bool:
    return bool(target) and target.startswith("/") and not target.startswith("//") and "\\" not in target


def _message_or_404(token: str) -> OutboxMessage:
    message = outbox.find_by_ack_token(token)
    if message is None:
        current_app.logger.info("Acknowledgement: unknown token refused")  # never the token itself
        response = current_app.make_response((render_template("mail/ack_invalid.html"), 404))
        response.headers["Cache-Control"] = "no-store"  # an invalid token opens nothing: no need to hide the referrer
        abort(response)
    return message


@blueprint.route("/ack/<token>", methods=["GET", "POST"])
@public
def acknowledge(token: str):
    message = _message_or_404(token)
    if request.method == "POST":
        if outbox.acknowledge(message):
            db.session.commit()
            current_app.logger.info("Outbox message %s acknowledged", message.id)
        return redirect(url_for("mail.acknowledge", token=token))
    response = current_app.make_response(render_template("mail/acknowledge.html", message=message))
    response.headers.update(ACK_HEADERS)
    return response
