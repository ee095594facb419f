"""Friendly error pages: a user never sees a stack trace, and a bad form token is explained."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("The form had expired or was sent from elsewhere. Please go back, reload the page and try again.")
        return render_template("errors/error.html", code=400, title=_("Form could not be sent"), message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            400: _("Bad request"),
            403: _("Not allowed"),
            404: _("Page not found"),
            405: _("Not allowed"),
            413: _("File too large"),
        }
        messages = {
            403: _("Your account may read this but not change it. Ask an administrator if you need more rights."),
            404: _("This page does not exist, or what it showed has been deleted."),
            413: _("The file is larger than the app accepts. Please send a smaller file."),
        }
        code = error.code or 500
        return render_template("errors/error.html", code=code, title=titles.get(code, error.name),
                               message=messages.get(code, error.description)), code

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/error.html", code=500, title=_("Something went wrong"),
                               message=_("The error has been logged. Nothing you entered was saved halfway.")), 500
