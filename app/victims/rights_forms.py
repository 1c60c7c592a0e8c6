"""Victim forms for their rights: a review, a complaint, a personal statement, feedback.

As app.victims.forms: GOV.UK wording for every error, control characters refused,
every answer bounded, every choice checked against its list with a message of ours.
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import Field, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import choices, stripped
from app.rights import labels
from app.victims.forms import one_of, plain_text


def text_answer(label: LazyString, limit: int, required: LazyString | None = None) -> Field:
    """A stripped text area; an answer of only spaces is no answer."""
    first: Any = DataRequired(required) if required else Optional()
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            first,
            Length(
                max=limit,
                message=_l("This answer must be %(count)d characters or fewer", count=limit),
            ),
            plain_text,
        ],
    )


def radios(label: LazyString, options: dict[str, Any], missing: LazyString) -> RadioField:
    return RadioField(
        label,
        widget=GovRadioInput(),
        choices=choices(options),
        validate_choice=False,
        validators=[InputRequired(missing), one_of(options, missing)],
    )


class ReviewForm(FlaskForm):
    reasons = text_answer(
        _l("Why do you want the decision reviewed?"),
        4000,
        _l("Enter why you want the decision reviewed"),
    )
    submit = SubmitField(_l("Ask for a review"), widget=GovSubmitInput())


class LateReviewForm(ReviewForm):
    """After the three months: the request still goes, with the reason it is late."""

    late_reason = text_answer(
        _l("Why are you asking after the deadline?"),
        2000,
        _l("Enter why you are asking after the deadline"),
    )


class ComplaintForm(FlaskForm):
    topic = radios(
        _l("What is your complaint about?"),
        labels.COMPLAINT_TOPICS,
        _l("Select what your complaint is about"),
    )
    details = text_answer(_l("Tell us what happened"), 4000, _l("Enter what happened"))
    wanted = text_answer(_l("What would you like us to do? (optional)"), 2000)
    submit = SubmitField(_l("Send complaint"), widget=GovSubmitInput())


class StatementForm(FlaskForm):
    delivery = radios(
        _l("If the case goes to court, how would you like your statement to be used?"),
        labels.STATEMENT_DELIVERY,
        _l("Select how you would like your statement to be used"),
    )
    contact_note = text_answer(
        _l("Is there anything we should know when we contact you? (optional)"), 500
    )
    submit = SubmitField(_l("Send request"), widget=GovSubmitInput())


class FeedbackForm(FlaskForm):
    satisfaction = radios(
        _l("Overall, how did you feel about this service?"),
        labels.SATISFACTION,
        _l("Select how you felt about this service"),
    )
    saved_call = radios(
        _l("Did using this service save you a call to 101?"),
        labels.SAVED_CALL,
        _l("Select whether this service saved you a call to 101"),
    )
    improvement = text_answer(_l("How could we improve this service? (optional)"), 1200)
    submit = SubmitField(_l("Send feedback"), widget=GovSubmitInput())
