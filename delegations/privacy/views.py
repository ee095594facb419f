"""Downloading a visit's personal data (planners)."""
from __future__ import annotations

import json

from flask import Blueprint, abort, current_app
from flask_login import current_user

from delegations.auth.access import planner_required
from delegations.extensions import db
from delegations.models import Delegation, utc_now
from delegations.privacy.export import personal_data_export

blueprint = Blueprint("privacy", __name__)


@blueprint.route("/delegations/<int:delegation_id>/personal-data.json")
@planner_required
def export_delegation(delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id) or abort(404)
    document = personal_data_export(delegation, utc_now())
    current_app.logger.info("personal data of delegation %s exported by user %s", delegation.id, current_user.id)
    response = current_app.response_class(json.dumps(document, ensure_ascii=False, indent=2),
                                          mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="delegation-{delegation.id}-personal-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
