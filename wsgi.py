"""The WSGI entry point: gunicorn wsgi:app, flask --app wsgi ….

Outside production, a missing DATABASE_URL or REDIS_URL starts the embedded server
under instance/ (tenants.embedded); production settings refuse to load without them.
"""

import atexit

from app import create_app
from config import load_settings
from config.settings import with_overrides
from tenants import embedded

settings = load_settings()
_services = None
if settings.env != "production" and settings.uses_embedded_services:
    _services = embedded.start(
        settings.instance_path, settings.database_url is None, settings.redis_url is None
    )
    atexit.register(_services.stop_redis)
    settings = with_overrides(
        settings,
        database_url=settings.database_url or _services.database_url,
        redis_url=settings.redis_url or _services.redis_url,
    )
app = create_app(settings)
