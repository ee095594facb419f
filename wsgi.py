"""Entry point for gunicorn: `gunicorn wsgi:app` (production: SECRET_KEY and DATABASE_URL must be set)."""
import os

from delegations import create_app

os.environ.setdefault("DELEGATIONS_ENV", "production")
app = create_app()
