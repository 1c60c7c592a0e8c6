"""The WSGI entry point: gunicorn wsgi:app, flask --app wsgi ….

Outside production, a missing DATABASE_URL or REDIS_URL means the embedded servers
under instance/ (tenants.embedded): this process connects to them if another process
runs them, or starts them and stops them again when it exits. Production settings
refuse to load without both URLs, and never import the embedded servers.
"""

import atexit

from app import create_app
from config import load_settings
from config.settings import with_overrides

settings = load_settings()
if settings.env != "production" and settings.uses_embedded_services:
    from tenants import embedded

    _services = embedded.use(settings.instance_path)
    atexit.register(_services.stop)  # does nothing unless this process started them
    settings = with_overrides(
        settings,
        database_url=settings.database_url or _services.database_url,
        admin_database_url=settings.admin_database_url or _services.admin_database_url,
        redis_url=settings.redis_url or _services.redis_url,
    )
app = create_app(settings)
if settings.env == "production":
    # Refuse to serve as a role that could step outside its force (docs/security.md).
    with app.app_context():
        app.extensions["tenancy"].refuse_unsafe_login_role()
