"""Officer forms: GOV.UK widgets, clear messages, lengths bounded before the database.

Every way a field can be wrong has a message in GOV.UK's words (never WTForms' own
"Not a valid choice."): a missing answer, a value that is not one of the options, a
date that is not a real date, an answer that is too long.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.casework import deadlines
from app.casework.catalogue import CASE_ROLE_LABELS, ENHANCED_REASONS, EVENT_LABELS, OUTCOME_LABELS
from app.forms import at_most, choices, is_email, stripped

# The earliest date any of these forms accepts: a mistyped year (0026 for 2026) is an
# error to show, not a date to store.
EARLIEST = date(1900, 1, 1)


def not_in_future(form: Any, field: Any) -> None:
    # Today where the force's Code applies (Europe/London), not the server's (UTC): just
    # after midnight in summer time, date.today() is still yesterday.
    if field.data and field.data > deadlines.today():
        raise ValidationError(str(_l("The date must be today or in the past")))


def not_too_early(form: Any, field: Any) -> None:
    if field.data and field.data < EARLIEST:
        raise ValidationError(str(_l("Enter a year after 1900, like 2026")))


def email_address(form: Any, field: Any) -> None:
    if field.data and not is_email(field.data):
        raise ValidationError(str(_l("Enter an email address like name@example.com")))


# A UK mobile: 07 and 9 digits, or +44 7 and 9 digits; spaces, dashes and brackets are
# allowed as people write them (the view keeps the digits).
_UK_MOBILE = re.compile(r"(?:\+44|0044|0)7\d{9}")


def mobile_digits(value: str) -> str:
    return re.sub(r"[\s()-]", "", value)


def uk_mobile(form: Any, field: Any) -> None:
    if field.data and not _UK_MOBILE.fullmatch(mobile_digits(field.data)):
        raise ValidationError(str(_l("Enter a UK mobile number, like 07700 900 982")))


def real_date(label: LazyString, required: LazyString, not_valid: LazyString) -> DateField:
    """A GOV.UK date input (day, month, year boxes) for a date in the past."""
    return DateField(
        label,
        widget=GovDateInput(),
        format="%d %m %Y",
        invalid_value_message=not_valid,
        validators=[InputRequired(required), not_too_early, not_in_future],
    )


class CaseForm(FlaskForm):
    crime_reference = StringField(
        _l("Crime reference number"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the crime reference number")),
            at_most(40, _l("Crime reference number must be 40 characters or fewer")),
        ],
    )
    offence_category = SelectField(
        _l("Offence category"),
        widget=GovSelect(),
        invalid_choice_message=_l("Select the offence category"),
        validators=[InputRequired(_l("Select the offence category"))],
    )
    reported_on = real_date(
        _l("Date reported"),
        _l("Enter the date the crime was reported"),
        _l("Date reported must be a real date"),
    )
    team = StringField(
        _l("Team"),
        widget=GovTextInput(),
        validators=[Optional(), at_most(60, _l("Team must be 60 characters or fewer"))],
    )
    enhanced_reasons = SelectMultipleField(
        _l("Enhanced rights under the Victims' Code"),
        widget=GovCheckboxesInput(),
        choices=choices(ENHANCED_REASONS),
        invalid_choice_message=_l("Select the reasons for enhanced rights from the list"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Create case"), widget=GovSubmitInput())


class VictimForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the person's full name")),
            at_most(120, _l("Full name must be 120 characters or fewer")),
        ],
    )
    date_of_birth = real_date(
        _l("Date of birth"),
        _l("Enter the date of birth"),
        _l("Date of birth must be a real date"),
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            at_most(254, _l("Email address must be 254 characters or fewer")),
            email_address,
        ],
    )
    mobile = StringField(
        _l("Mobile phone number"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            at_most(30, _l("Enter a UK mobile number, like 07700 900 982")),
            uk_mobile,
        ],
    )
    preferred_language = RadioField(
        _l("Preferred language"),
        widget=GovRadioInput(),
        choices=choices({"en": "English", "cy": "Cymraeg"}),
        default="en",
        invalid_choice_message=_l("Select a language"),
        validators=[InputRequired(_l("Select a language"))],
    )
    contact_channel = RadioField(
        _l("How may we contact them?"),
        widget=GovRadioInput(),
        choices=choices(
            {"email": _l("Email"), "sms": _l("Text message"), "none": _l("Do not contact")}
        ),
        default="email",
        invalid_choice_message=_l("Select how we may contact them"),
        validators=[InputRequired(_l("Select how we may contact them"))],
    )
    safe_from = TimeField(
        _l("Safe to contact from"),
        widget=GovTextInput(),
        format="%H:%M",
        invalid_value_message=_l("Enter a time on the 24-hour clock, like 09:00"),
        validators=[Optional()],
    )
    safe_until = TimeField(
        _l("Safe to contact until"),
        widget=GovTextInput(),
        format="%H:%M",
        invalid_value_message=_l("Enter a time on the 24-hour clock, like 17:30"),
        validators=[Optional()],
    )
    role = RadioField(
        _l("Role on the case"),
        widget=GovRadioInput(),
        choices=choices(CASE_ROLE_LABELS),
        default="victim",
        invalid_choice_message=_l("Select their role on the case"),
        validators=[InputRequired(_l("Select their role on the case"))],
    )
    submit = SubmitField(_l("Add person"), widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """The field checks, then: the chosen channel needs its address. (Not as
        validate_email/validate_mobile: Optional() ends a blank field's checks before
        those run, so a blank address for the chosen channel was accepted.)"""
        valid = bool(super().validate(extra_validators))
        needs = {
            "email": (
                self.email,
                _l("Enter an email address, or choose another way to contact them"),
            ),
            "sms": (
                self.mobile,
                _l("Enter a mobile number, or choose another way to contact them"),
            ),
        }.get(self.contact_channel.data or "")
        if needs and not self.contact_channel.errors and not (needs[0].data or "").strip():
            needs[0].errors = [*needs[0].errors, str(needs[1])]
            valid = False
        return valid


class UpdateForm(FlaskForm):
    event_type = SelectField(
        _l("What happened?"),
        widget=GovSelect(),
        choices=choices(EVENT_LABELS),
        invalid_choice_message=_l("Select what happened"),
        validators=[InputRequired(_l("Select what happened"))],
    )
    occurred_on = real_date(
        _l("When did it happen?"),
        _l("Enter the date it happened"),
        _l("The date it happened must be a real date"),
    )
    victim_text = TextAreaField(
        _l("What the victim will read"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter what the victim will read")),
            at_most(4000, _l("What the victim will read must be 4,000 characters or fewer")),
        ],
    )
    victim_text_cy = TextAreaField(
        _l("What the victim will read, in Welsh"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            at_most(4000, _l("The Welsh text must be 4,000 characters or fewer")),
        ],
    )
    details = TextAreaField(
        _l("Details for the victim (bail conditions, hearing date, time and place)"),
        widget=GovTextArea(),
        validators=[Optional(), at_most(2000, _l("Details must be 2,000 characters or fewer"))],
    )
    internal_note = TextAreaField(
        _l("Internal note (never shown to the victim)"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            at_most(4000, _l("The internal note must be 4,000 characters or fewer")),
        ],
    )
    publish = SubmitField(_l("Post and tell the victim"), widget=GovSubmitInput())
    save = SubmitField(_l("Save without telling the victim yet"), widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your reply")),
            at_most(4000, _l("Your reply must be 4,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Send reply"), widget=GovSubmitInput())


class ReassignForm(FlaskForm):
    officer = StringField(
        _l("New officer in charge"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the officer's collar number or email address")),
            at_most(254, _l("Enter the officer's collar number or email address")),
        ],
    )
    submit = SubmitField(_l("Reassign case"), widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        widget=GovRadioInput(),
        choices=choices(OUTCOME_LABELS),
        invalid_choice_message=_l("Select the outcome"),
        validators=[InputRequired(_l("Select the outcome"))],
    )
    submit = SubmitField(_l("Close case"), widget=GovSubmitInput())


class ContactForm(FlaskForm):
    automatic_contact = RadioField(
        _l("Can we send automatic notifications to the victims on this case?"),
        widget=GovRadioInput(),
        choices=choices(
            {"yes": _l("Yes, I have checked their contact details are safe to use"), "no": _l("No")}
        ),
        invalid_choice_message=_l("Select yes or no"),
        validators=[InputRequired(_l("Select yes or no"))],
    )
    enhanced_reasons = SelectMultipleField(
        _l("Enhanced rights under the Victims' Code"),
        widget=GovCheckboxesInput(),
        choices=choices(ENHANCED_REASONS),
        invalid_choice_message=_l("Select the reasons for enhanced rights from the list"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that posts (invite, revoke, publish, property status): CSRF only."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
