"""The victim site's blueprint and the helpers every victim view shares."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm

from app.casework import victims as casework
from app.casework.cases import category_name
from app.models import Case, Victim
from app.site import force_blueprint
from app.victims import labels

bp = force_blueprint("victims", __name__, template_folder="templates")


def me() -> Victim:
    victim: Victim = current_user._get_current_object()
    return victim


def case_or_404(case_id: uuid.UUID) -> Case:
    """One of the signed-in victim's cases; anyone else's is a 404, like a missing id."""
    case = casework.case_of(me(), case_id)
    if case is None:
        abort(404)
    return case


# Fields whose first input is not the element with the field's own id.
_FIRST_INPUT = {"date_of_birth": "date_of_birth-day"}


def error_list(form: FlaskForm) -> list[dict[str, Any]]:
    """The GOV.UK error summary's list: each field's first error, linked to its input."""
    return [
        {"text": field.errors[0], "href": f"#{_FIRST_INPUT.get(field.id, field.id)}"}
        for field in form
        if field.errors and field.name != "csrf_token"
    ]


def money(pence: int) -> str:
    return f"£{pence / 100:,.2f}".replace(".00", "")


@bp.context_processor
def template_helpers() -> dict[str, object]:
    return {
        "category_name": category_name,
        "labels": labels,
        "money": money,
    }
