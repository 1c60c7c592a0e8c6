"""Officer forms: GOV.UK widgets, clear messages, lengths bounded before the database."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.casework.catalogue import CASE_ROLE_LABELS, ENHANCED_REASONS, EVENT_LABELS, OUTCOME_LABELS


def not_in_future(form: Any, field: Any) -> None:
    if field.data and field.data > date.today():
        raise ValidationError(str(_l("The date must be today or in the past")))


# Something@domain.tld with no spaces: enough to catch a typing slip. WTForms' Email()
# needs the email_validator package, which is not installed (every address was a 500).
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def email_address(form: Any, field: Any) -> None:
    if field.data and not _EMAIL.fullmatch(field.data.strip()):
        raise ValidationError(str(_l("Enter an email address like name@example.com")))


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    """Options for a select, radios or checkboxes (WTForms 3.3 deprecates plain pairs)."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class CaseForm(FlaskForm):
    crime_reference = StringField(
        _l("Crime reference number"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Enter the crime reference number")), Length(max=40)],
    )
    offence_category = SelectField(
        _l("Offence category"),
        widget=GovSelect(),
        validators=[InputRequired(_l("Select the offence category"))],
    )
    reported_on = DateField(
        _l("Date reported"),
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(_l("Enter the date the crime was reported")), not_in_future],
    )
    team = StringField(_l("Team"), widget=GovTextInput(), validators=[Optional(), Length(max=60)])
    enhanced_reasons = SelectMultipleField(
        _l("Enhanced rights under the Victims' Code"),
        widget=GovCheckboxesInput(),
        choices=choices(ENHANCED_REASONS),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Create case"), widget=GovSubmitInput())


class VictimForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Enter the person's full name")), Length(max=120)],
    )
    date_of_birth = DateField(
        _l("Date of birth"),
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(_l("Enter the date of birth")), not_in_future],
    )
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=254),
            email_address,
        ],
    )
    mobile = StringField(
        _l("Mobile phone number"),
        widget=GovTextInput(),
        validators=[Optional(), Length(min=10, max=20, message=_l("Enter a UK mobile number"))],
    )
    preferred_language = RadioField(
        _l("Preferred language"),
        widget=GovRadioInput(),
        choices=choices({"en": "English", "cy": "Cymraeg"}),
        default="en",
        validators=[InputRequired(_l("Select a language"))],
    )
    contact_channel = RadioField(
        _l("How may we contact them?"),
        widget=GovRadioInput(),
        choices=choices(
            {"email": _l("Email"), "sms": _l("Text message"), "none": _l("Do not contact")}
        ),
        default="email",
        validators=[InputRequired(_l("Select how we may contact them"))],
    )
    safe_from = TimeField(
        _l("Safe to contact from"), widget=GovTextInput(), format="%H:%M", validators=[Optional()]
    )
    safe_until = TimeField(
        _l("Safe to contact until"), widget=GovTextInput(), format="%H:%M", validators=[Optional()]
    )
    role = RadioField(
        _l("Role on the case"),
        widget=GovRadioInput(),
        choices=choices(CASE_ROLE_LABELS),
        default="victim",
        validators=[InputRequired(_l("Select their role on the case"))],
    )
    submit = SubmitField(_l("Add person"), widget=GovSubmitInput())

    def validate_email(self, field: Any) -> None:
        if self.contact_channel.data == "email" and not field.data:
            raise ValidationError(
                str(_l("Enter an email address, or choose another way to contact them"))
            )

    def validate_mobile(self, field: Any) -> None:
        if self.contact_channel.data == "sms" and not field.data:
            raise ValidationError(
                str(_l("Enter a mobile number, or choose another way to contact them"))
            )


class UpdateForm(FlaskForm):
    event_type = SelectField(
        _l("What happened?"),
        widget=GovSelect(),
        choices=choices(EVENT_LABELS),
        validators=[InputRequired(_l("Select what happened"))],
    )
    occurred_on = DateField(
        _l("When did it happen?"),
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(_l("Enter the date it happened")), not_in_future],
    )
    victim_text = TextAreaField(
        _l("What the victim will read"),
        widget=GovTextArea(),
        validators=[InputRequired(_l("Enter what the victim will read")), Length(max=4000)],
    )
    victim_text_cy = TextAreaField(
        _l("What the victim will read, in Welsh"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000)],
    )
    details = TextAreaField(
        _l("Details for the victim (bail conditions, hearing date, time and place)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    internal_note = TextAreaField(
        _l("Internal note (never shown to the victim)"),
        widget=GovTextArea(),
        validators=[Optional(), Length(max=4000)],
    )
    publish = SubmitField(_l("Post and tell the victim"), widget=GovSubmitInput())
    save = SubmitField(_l("Save without telling the victim yet"), widget=GovSubmitInput())


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"),
        widget=GovTextArea(),
        validators=[InputRequired(_l("Enter your reply")), Length(max=4000)],
    )
    submit = SubmitField(_l("Send reply"), widget=GovSubmitInput())


class ReassignForm(FlaskForm):
    officer = StringField(
        _l("New officer in charge"),
        widget=GovTextInput(),
        validators=[
            InputRequired(_l("Enter the officer's collar number or email address")),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Reassign case"), widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = RadioField(
        _l("Outcome"),
        widget=GovRadioInput(),
        choices=choices(OUTCOME_LABELS),
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
        validators=[InputRequired(_l("Select yes or no"))],
    )
    enhanced_reasons = SelectMultipleField(
        _l("Enhanced rights under the Victims' Code"),
        widget=GovCheckboxesInput(),
        choices=choices(ENHANCED_REASONS),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that posts (invite, revoke, publish, property status): CSRF only."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
