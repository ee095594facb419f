"""Every Flask extension, instantiated once and bound in the application factory."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from delegations.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Rate limits (login); storage and limits come from the config (RATELIMIT_STORAGE_URI, LOGIN_RATE_LIMIT).
limiter = Limiter(key_func=get_remote_address)
