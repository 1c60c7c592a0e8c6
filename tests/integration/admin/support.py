"""What the force-administration tests share: an admin signed in, forms posted with their
CSRF token, jobs run, rows read back through the force's own binding, and the whole
database searched for a value.

The registry rows of the test forces (name, branding, settings, IdP, Welsh) are put
back after each test by `registry_restored` (the root reset empties force tables but
leaves those columns as a test left them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from rq import SimpleWorker
from sqlalchemy import Engine, func, select, text

from app.models import AuditEvent
from tenants.binding import force_scope
from tenants.extension import tenancy
from tenants.jobs import QUEUES, queue
from tests.factories import registered_force
from tests.support.forces import TEST_SLUGS
from tests.support.officers import as_officer, csrf_token, host

_COLUMNS = "name, branding, settings, idp_settings, welsh_enabled"


@contextmanager
def registry_restored(app: Flask, admin_engine: Engine) -> Iterator[None]:
    """The test forces' registry rows are as they were when the block ends."""
    with admin_engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT slug, {_COLUMNS} FROM public.tenant WHERE slug = ANY(:s)"),
            {"s": list(TEST_SLUGS)},
        ).all()
    try:
        yield
    finally:
        with admin_engine.begin() as conn:
            for row in rows:
                conn.execute(
                    text(
                        "UPDATE public.tenant SET name = :name, branding = CAST(:b AS json), "
                        "settings = CAST(:s AS json), idp_settings = CAST(:i AS json), "
                        "welsh_enabled = :w WHERE slug = :slug"
                    ),
                    {
                        "name": row.name,
                        "b": json.dumps(row.branding),
                        "s": json.dumps(row.settings),
                        "i": json.dumps(row.idp_settings),
                        "w": row.welsh_enabled,
                        "slug": row.slug,
                    },
                )
        with app.app_context():
            tenancy().registry.invalidate()


def as_admin(app: Flask, client: Any, slug: str = "kent") -> Any:
    """Sign client in on slug as a new force administrator."""
    return as_officer(app, client, slug, role="admin", team="Force administration")


def get(client: Any, path: str, slug: str = "kent", status: int = 200) -> Any:
    response = client.get(path, headers=host(slug))
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    return response


def post(
    client: Any,
    path: str,
    data: dict[str, Any] | None = None,
    slug: str = "kent",
    form_page: str | None = None,
    **kwargs: Any,
) -> Any:
    """POST as a browser does: with the CSRF token of the form's page (or another)."""
    token = csrf_token(get(client, form_page or path, slug).text)
    return client.post(
        path, headers=host(slug), data={"csrf_token": token, **(data or {})}, **kwargs
    )


def submit(client: Any, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """post() that must succeed with a redirect."""
    response = post(client, path, data, **kwargs)
    assert response.status_code == 302, error_summary(response.text) or response.text[:500]
    return response


def error_summary(html: str) -> list[str]:
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    if not found:
        return []
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", found.group(0), re.S)
    ]


def work(app: Flask) -> None:
    """Run every queued job in this process, as a worker would."""
    with app.app_context():
        queues = [queue(name) for name in QUEUES]
        SimpleWorker(queues, connection=tenancy().redis).work(burst=True)


def audit_rows(app: Flask, slug: str = "kent", tag: str | None = None) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.occurred_at)
    if tag is not None:
        statement = statement.where(AuditEvent.tag == tag)
    with app.app_context(), force_scope(registered_force(slug)) as session:
        rows = list(session.scalars(statement))
        for row in rows:
            session.expunge(row)
        return rows


def in_force(app: Flask, statement: Any, slug: str = "kent") -> list[Any]:
    """Rows (or values) of statement, read as slug; model objects come back detached."""
    with app.app_context(), force_scope(registered_force(slug)) as session:
        rows = list(session.scalars(statement))
        for row in rows:
            if hasattr(row, "_sa_instance_state"):
                session.expunge(row)
        return rows


def count(app: Flask, model: type, slug: str = "kent") -> int:
    with app.app_context(), force_scope(registered_force(slug)) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def tables_holding(admin_engine: Engine, value: str) -> list[str]:
    """Every table of the database (force schemas and public) with a row whose text
    holds value: the superuser reads each row cast to text."""
    with admin_engine.connect() as conn:
        tables = conn.execute(
            text(
                "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
                "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                "AND table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
        ).scalars()
        found = []
        for table in list(tables):
            hit = conn.execute(
                text(f"SELECT 1 FROM {table} t WHERE t::text ILIKE :v LIMIT 1"),
                {"v": f"%{value}%"},
            ).first()
            if hit:
                found.append(table)
    return found
