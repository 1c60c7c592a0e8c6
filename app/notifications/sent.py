"""The development-only "Sent messages" page on the central site.

A journey of its own (app.journeys lists app.notifications.sent), so the journeys that
call notify() may import app.notifications without importing a journey. init_app
mounts the page only outside production: in production the route does not exist.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, render_template

from app.auth.access import public
from app.notifications.sink import SentMail, read_mail
from app.site import central_blueprint

bp = central_blueprint("sent_messages", __name__, template_folder="templates")


@bp.get("/dev/sent-messages")
@public
def list_messages() -> str:
    """What the development sink received, per site, newest first (never in production)."""
    settings = current_app.extensions["settings"]
    by_site: dict[str, list[SentMail]] = defaultdict(list)
    for mail in read_mail(Path(settings.instance_path) / "mail"):
        by_site[mail.site].append(mail)
    return render_template(
        "notifications/sent_messages.html", by_site=dict(sorted(by_site.items())), when=_when
    )


def _when(mail: SentMail) -> str:
    return datetime.fromtimestamp(mail.received, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def init_app(app: Flask) -> None:
    if app.extensions["settings"].env != "production":
        app.register_blueprint(bp)
