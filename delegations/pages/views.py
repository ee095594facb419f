"""The accessibility statement that NBGG § 9b requires, in German and English.

@public because a guest who follows the QR code, and anybody asked to report a barrier, must read it
without an account; it shows no data of the app, only settings (the feedback contact).
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request
from flask_babel import force_locale

from delegations.auth.access import public

blueprint = Blueprint("pages", __name__)

# The day the statement was last reviewed (update it with docs/accessibility.md).
STATEMENT_DATE = date(2026, 12, 3)
LANGUAGES = ("de", "en")


@blueprint.route("/accessibility")
@public
def accessibility():
    asked = request.args.get("lang")
    language = asked if asked in LANGUAGES else None
    config = current_app.config
    context = {"contact_email": config["ACCESSIBILITY_CONTACT_EMAIL"],
               "contact_phone": config["ACCESSIBILITY_CONTACT_PHONE"],
               "statement_date": STATEMENT_DATE, "languages": LANGUAGES}
    if language is None:
        return render_template("pages/accessibility.html", **context)
    with force_locale(language):
        return render_template("pages/accessibility.html", page_language=language, **context)
