"""The delegation planner: create_app() builds the Flask application."""
from __future__ import annotations

import os

from flask import Flask

from delegations.config import DefaultConfig, settings_from_environment


class ConfigurationError(RuntimeError):
    """The application cannot start safely with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(DefaultConfig)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "delegations.db")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(settings_from_environment())
    else:
        app.config.update(test_config)
    check_production_settings(app)

    register_extensions(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def check_production_settings(app: Flask) -> None:
    production = os.environ.get("DELEGATIONS_ENV", app.config.get("ENV_NAME", "development")) == "production"
    if production and app.config["SECRET_KEY"] == DefaultConfig.SECRET_KEY:
        raise ConfigurationError(
            "SECRET_KEY is not set. In production set it in instance/config.py or the environment "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))').")


def register_extensions(app: Flask) -> None:
    from delegations import database
    from delegations.auth.access import init_access
    from delegations.extensions import babel, csrf, db, migrate
    from delegations.i18n import select_locale

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_access(app)


def register_security(app: Flask) -> None:
    from delegations.security import init_security_headers

    init_security_headers(app)
    from delegations.hardening import init_hardening
    init_hardening(app)  # cookies, proxies, login rate limit, session limits (issue 6)


def register_blueprints(app: Flask) -> None:
    from delegations.auth.views import blueprint as auth
    from delegations.people.views import blueprint as people
    from delegations.visits.views import blueprint as visits

    app.register_blueprint(auth)
    app.register_blueprint(visits)
    app.register_blueprint(people)
    from delegations.feeds.views import blueprint as feeds
    app.register_blueprint(feeds)
    from delegations.calendars.views import blueprint as calendars
    app.register_blueprint(calendars)
    from delegations.history.views import blueprint as history
    from delegations.privacy.views import blueprint as privacy
    from delegations.auth.sessions import blueprint as sessions
    app.register_blueprint(history)
    app.register_blueprint(privacy)
    from delegations.printing.views import blueprint as printing
    app.register_blueprint(printing)
    app.register_blueprint(sessions)
    from delegations.protocol.views import blueprint as protocol
    app.register_blueprint(protocol)
    from delegations.itinerary.views import blueprint as itinerary
    app.register_blueprint(itinerary)
    from delegations.pages.views import blueprint as pages
    app.register_blueprint(pages)  # the accessibility statement (issue 11)
    from delegations.releases.views import blueprint as releases
    app.register_blueprint(releases)  # released programme versions and change notices (issue 9)
    from delegations.travel.views import blueprint as travel
    app.register_blueprint(travel)  # travel per member, transfers, run sheets by role (issue 9)
    from delegations.workload.views import blueprint as workload
    app.register_blueprint(workload)  # the workload board (issue 9)
    from delegations.mail.views import blueprint as mail
    app.register_blueprint(mail)  # the outbox and acknowledgements (issue 9)
    from delegations.partners.views import blueprint as partners
    app.register_blueprint(partners)  # partner-city dossiers and round anniversaries (issue 9)


def register_errorhandlers(app: Flask) -> None:
    from delegations.errors import init_errorhandlers

    init_errorhandlers(app)


def register_template_helpers(app: Flask) -> None:
    from delegations.templating import init_templating

    init_templating(app)


def register_commands(app: Flask) -> None:
    from delegations.commands import init_commands

    init_commands(app)
