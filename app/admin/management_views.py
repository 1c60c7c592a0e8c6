"""Management information: the figures page and its CSV."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template
from flask.typing import ResponseReturnValue

from app.admin import management
from app.admin.audit_search import safe_cell
from app.admin.blueprint import AdminTag, bp
from app.audit import record
from app.auth.access import admin_required
from app.casework.catalogue import DUTY_LABELS, EVENT_LABELS


@bp.get("/statistics")
@admin_required
def statistics() -> ResponseReturnValue:
    figures = management.figures()
    record(AdminTag.STATISTICS_VIEWED, purpose="management information")
    labels = {**DUTY_LABELS, **EVENT_LABELS}
    return render_template("admin/statistics.html", figures=figures, event_labels=labels)


@bp.get("/statistics.csv")
@admin_required
def statistics_csv() -> ResponseReturnValue:
    figures = management.figures()
    record(AdminTag.STATISTICS_VIEWED, purpose="management information export")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("measure", "group", "duties_settled", "met_on_time", "percent_on_time"))
    for measure, tallies in (
        ("month", figures.by_month),
        ("team", figures.by_team),
        ("event_type", figures.by_event),
    ):
        for group, tally in sorted(tallies.items()):
            writer.writerow(
                (measure, safe_cell(group), tally.settled, tally.on_time, tally.percent)
            )
    writer.writerow(("median_first_reply_hours", "", "", "", figures.median_reply_hours))
    writer.writerow(("invites_sent", "", "", "", figures.invites_sent))
    writer.writerow(("invites_accepted", "", "", "", figures.invites_accepted))
    writer.writerow(("calls_avoided_estimate", "", "", "", figures.calls_avoided))
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="statistics.csv"'},
    )
