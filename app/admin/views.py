"""Force administration: the home page, the audit trail, and what every page shares.

Every route is admin_required: other officers (and victims) are told nothing exists.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin import audit_search
from app.admin.blueprint import AdminTag, bp
from app.admin.forms import AuditSearchForm
from app.audit import record
from app.auth.access import admin_required
from app.casework.cases import normalise_reference
from app.casework.catalogue import OUTCOME_LABELS
from app.forms import choices
from app.models import Officer

# --- shared -------------------------------------------------------------------------------


def me() -> Officer:
    officer: Officer = current_user._get_current_object()
    return officer


def when(value: datetime | None) -> str:
    """A moment in UK time, as the pages show it."""
    return value.astimezone(audit_search.UK).strftime("%-d %b %Y %H:%M") if value else ""


def day(value: date | datetime | None) -> str:
    return value.strftime("%-d %b %Y") if value else ""


EXPORT_STATES = {
    "queued": _l("Being made"),
    "ready": _l("Ready to download"),
    "downloaded": _l("Downloaded"),
    "expired": _l("Expired"),
    "failed": _l("Could not be made"),
}


@bp.context_processor
def template_helpers() -> dict[str, object]:
    return {
        "when": when,
        "day": day,
        "export_states": EXPORT_STATES,
        "outcome_labels": OUTCOME_LABELS,
    }


@bp.get("/")
@admin_required
def home() -> ResponseReturnValue:
    return render_template("admin/home.html")


# --- the audit trail ---------------------------------------------------------------------------


def _search_form() -> AuditSearchForm:
    form = AuditSearchForm(request.args)
    form.action.choices = choices({"": "", **{tag: tag for tag in audit_search.force_tags()}})
    return form


def _query(form: AuditSearchForm, paged: bool = True) -> audit_search.AuditQuery:
    record_text = form.record.data or ""
    return audit_search.AuditQuery(
        person_ids=tuple(audit_search.people_matching(form.person.data or "")),
        record_ids=tuple(
            audit_search.records_matching(record_text, normalise_reference(record_text))
        ),
        tag=form.action.data or "",
        start=form.start.data,
        end=form.end.data,
        before=request.args.get("before") if paged else None,
    )


def _unmatched(form: AuditSearchForm, query: audit_search.AuditQuery) -> bool:
    """A person or record was asked for but names nobody: the search finds nothing."""
    return bool(
        (form.person.data and not query.person_ids) or (form.record.data and not query.record_ids)
    )


@bp.get("/audit")
@admin_required
def audit_trail() -> ResponseReturnValue:
    form = _search_form()
    searched = any(request.args.get(name) for name in ("person", "record", "action", "start"))
    results, query = None, audit_search.AuditQuery()
    if form.validate():
        query = _query(form)
        empty = audit_search.Results([], None)
        results = empty if _unmatched(form, query) else audit_search.search(query)
        record(
            AdminTag.AUDIT_SEARCHED,
            purpose="audit trail",
            search=query.describe(),
            results=len(results.rows),
        )
    return render_template(
        "admin/audit.html", form=form, results=results, searched=searched, query=query
    )


@bp.get("/audit/export.csv")
@admin_required
def audit_export() -> ResponseReturnValue:
    form = _search_form()
    if not form.validate():
        return render_template("admin/audit.html", form=form, results=None, searched=True), 400
    query = _query(form, paged=False)
    rows, cut = ([], False) if _unmatched(form, query) else audit_search.export_rows(query)
    record(
        AdminTag.AUDIT_EXPORTED,
        purpose="audit trail export",
        search=query.describe(),
        rows=len(rows),
        truncated=cut,
    )
    body = "".join(audit_search.as_csv(rows))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-trail.csv"'},
    )
