"""Victim forms: GOV.UK wording for every error, nothing stored that is not plain text.

Every text field refuses control characters (a NUL byte would reach PostgreSQL as an
error page) and has a length limit with its own message; every choice is checked
against its list with a message a person can act on, never WTForms' own English.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Field,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from app.forms import choices, is_email, no_control, stripped
from app.victims.labels import CADENCES, CHANNELS, PROPERTY_CATEGORIES, PROPERTY_KINDS

_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]?([0-5][0-9])$")
_MOBILE = re.compile(r"^(\+44|0)7[0-9]{9}$")


plain_text = no_control()


def one_of(options: dict[str, Any], message: Any) -> AnyOf:
    return AnyOf(list(options), message=message)


class DateOfBirthField(Field):
    """A GOV.UK date input (day, month, year) with GOV.UK's own error messages.

    raw_data is always three strings, whatever was posted, so the page can show back
    what was typed; data is a date or None.
    """

    data: date | None

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(v).strip()[:10] for v in valuelist[:3]]
        self.raw_data = parts + [""] * (3 - len(parts))
        self.data = None

    def _value(self) -> str:
        return ""

    def pre_validate(self, form: Any) -> None:
        day, month, year = self.raw_data or ["", "", ""]
        if not (day or month or year):
            raise ValidationError(str(_l("Enter your date of birth")))
        for value, message in (
            (day, _l("Date of birth must include a day")),
            (month, _l("Date of birth must include a month")),
            (year, _l("Date of birth must include a year")),
        ):
            if not value:
                raise ValidationError(str(message))
        self.data = _real_date(day, month, year)
        if self.data > date.today():
            raise ValidationError(str(_l("Date of birth must be in the past")))


def _real_date(day: str, month: str, year: str) -> date:
    try:
        if len(year) != 4:
            raise ValueError
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValidationError(str(_l("Date of birth must be a real date"))) from None


def _email_field(label: Any) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            plain_text,
        ],
    )


def valid_email(form: Any, field: Any) -> None:
    if not is_email(field.data):
        raise ValidationError(
            str(_l("Enter an email address in the correct format, like name@example.com"))
        )


class InviteCheckForm(FlaskForm):
    crime_reference = StringField(
        _l("Crime reference number"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your crime reference number")),
            Length(max=40, message=_l("Crime reference number must be 40 characters or fewer")),
            plain_text,
        ],
    )
    date_of_birth = DateOfBirthField(_l("Date of birth"))
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Create a password"),
        validators=[InputRequired(_l("Enter a password")), Length(max=1000), plain_text],
    )
    confirm = PasswordField(
        _l("Confirm your password"),
        validators=[InputRequired(_l("Confirm your password")), Length(max=1000)],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_confirm(self, field: Any) -> None:
        if field.data != self.password.data:
            raise ValidationError(str(_l("The passwords do not match")))


class AccountForm(NewPasswordForm):
    email = _email_field(_l("Email address"))

    def validate_email(self, field: Any) -> None:
        valid_email(self, field)


class SignInForm(FlaskForm):
    email = _email_field(_l("Email address"))
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password")), Length(max=1000)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


_CODE = re.compile(r"^[0-9]{6}$")


def _code_field(label: Any, required: bool = True) -> StringField:
    """A 6-digit code from an authenticator app; spaces and dashes people type are
    dropped. A wrong shape is never shown back (the page has no use for 10 KB of it)."""
    # Not Optional() when it may be left empty: that would skip the form's own check
    # that either a code or the password was given.
    presence = [DataRequired(_l("Enter the 6-digit code from your authenticator app"))]
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[_without_spaces],
        validators=[*(presence if required else []), plain_text, six_digits],
    )


def _without_spaces(value: Any) -> Any:
    return re.sub(r"[ -]", "", value) if isinstance(value, str) else value


def six_digits(form: Any, field: Any) -> None:
    if field.data and not _CODE.fullmatch(field.data):
        forget(field)
        raise ValidationError(str(_l("The code must be 6 digits, like 123456")))


def forget(field: Any) -> None:
    """Show the field empty again (a wrong code is no use to see twice)."""
    field.data, field.raw_data = "", [""]


class CodeForm(FlaskForm):
    code = _code_field(_l("Code from your authenticator app"))
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TurnOffTwoStepForm(FlaskForm):
    code = _code_field(_l("Code from your authenticator app"), required=False)
    password = PasswordField(_l("Or your password"), validators=[Length(max=1000)])
    submit = SubmitField(_l("Turn off two-step sign-in"), widget=GovSubmitInput())

    def validate_code(self, field: Any) -> None:
        if not field.data and not self.password.data:
            raise ValidationError(
                str(_l("Enter a code from your authenticator app, or your password"))
            )


class ResetRequestForm(FlaskForm):
    email = _email_field(_l("Email address"))
    submit = SubmitField(_l("Send the link"), widget=GovSubmitInput())


class MessageForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your message")),
            Length(max=2000, message=_l("Your message must be 2,000 characters or fewer")),
            plain_text,
        ],
    )
    submit = SubmitField(_l("Send message"), widget=GovSubmitInput())


class UpdateRequestForm(FlaskForm):
    body = TextAreaField(
        _l("What would you like to know? (optional)"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=1000, message=_l("Your question must be 1,000 characters or fewer")),
            plain_text,
        ],
    )
    submit = SubmitField(_l("Ask for an update"), widget=GovSubmitInput())


def _text(
    label: Any, limit: int, required: Any = None, area: bool = False, optional: bool = True
) -> Field:
    """A stripped text answer; optional=False leaves an empty one to the inline check."""
    too_long = _l("This answer must be %(count)d characters or fewer", count=limit)
    validators: list[Any] = [DataRequired(required)] if required else []
    validators += [Optional()] if optional and not required else []
    validators += [Length(max=limit, message=too_long), plain_text]
    kind = TextAreaField if area else StringField
    return kind(
        label,
        widget=GovTextArea() if area else GovTextInput(),
        filters=[stripped],
        validators=validators,
    )


class PropertyForm(FlaskForm):
    category = RadioField(
        _l("What kind of item is it?"),
        widget=GovRadioInput(),
        choices=choices(PROPERTY_CATEGORIES),
        validate_choice=False,
        validators=[
            InputRequired(_l("Select what kind of item it is")),
            one_of(PROPERTY_CATEGORIES, _l("Select what kind of item it is")),
        ],
    )
    status = RadioField(
        _l("Was it stolen or damaged?"),
        widget=GovRadioInput(),
        choices=choices(PROPERTY_KINDS),
        validate_choice=False,
        validators=[
            InputRequired(_l("Select whether it was stolen or damaged")),
            one_of(PROPERTY_KINDS, _l("Select whether it was stolen or damaged")),
        ],
    )
    description = _text(_l("Describe the item"), 500, _l("Describe the item"), area=True)
    make = _text(_l("Make (optional)"), 80)
    model = _text(_l("Model (optional)"), 80)
    serial_number = _text(_l("Serial number (optional)"), 80)
    value = _text(_l("Approximate value in pounds (optional)"), 20)
    marks = _text(_l("Identifying marks (optional)"), 500, area=True)
    submit = SubmitField(_l("Save item"), widget=GovSubmitInput())

    def validate_value(self, field: Any) -> None:
        if field.data:
            field.pence = pence(field.data)

    def values(self) -> dict[str, Any]:
        """The item's columns from the answers (call after validate)."""
        return {
            "category": self.category.data,
            "status": self.status.data,
            "description": self.description.data,
            "make": self.make.data or None,
            "model": self.model.data or None,
            "serial_number": self.serial_number.data or None,
            "value_pence": pence(self.value.data) if self.value.data else None,
            "marks": self.marks.data or None,
        }


MAX_POUNDS = Decimal(1_000_000)


def pence(text: str) -> int:
    """ "£1,250.50" -> 125050; a clear error for anything that is not an amount."""
    cleaned = text.replace("£", "").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(str(_l("Enter the value as an amount in pounds, like 250 or 249.99")))
    if amount > MAX_POUNDS:
        raise ValidationError(str(_l("The value must be £1,000,000 or less")))
    return int(amount * 100)


def parse_time(text: str) -> time | None:
    found = _TIME.fullmatch(text.strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


class ContactForm(FlaskForm):
    contact_channel = RadioField(
        _l("How should we tell you about new updates and messages?"),
        widget=GovRadioInput(),
        choices=choices(CHANNELS),
        validate_choice=False,
        validators=[
            InputRequired(_l("Select how we should contact you")),
            one_of(CHANNELS, _l("Select how we should contact you")),
        ],
    )
    mobile = _text(_l("Mobile phone number"), 20, optional=False)
    safe_from = _text(_l("From"), 5, optional=False)
    safe_until = _text(_l("Until"), 5, optional=False)
    cadence_days = RadioField(
        _l("How often would you like an update, if nothing new has happened?"),
        widget=GovRadioInput(),
        choices=choices(CADENCES),
        validate_choice=False,
        validators=[
            InputRequired(_l("Select how often you would like an update")),
            one_of(CADENCES, _l("Select how often you would like an update")),
        ],
    )
    preferred_language = RadioField(
        _l("Which language would you like us to use?"),
        widget=GovRadioInput(),
        choices=[SelectChoice("en", "English"), SelectChoice("cy", "Cymraeg")],
        validate_choice=False,
        validators=[Optional(), AnyOf(["en", "cy"], message=_l("Select a language"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_mobile(self, field: Any) -> None:
        number = re.sub(r"[\s()-]", "", field.data or "")
        if self.contact_channel.data == "sms" and not number:
            raise ValidationError(str(_l("Enter a mobile number, or choose another way")))
        if number and not _MOBILE.fullmatch(number):
            raise ValidationError(str(_l("Enter a UK mobile number, like 07700 900 982")))

    def validate_safe_from(self, field: Any) -> None:
        _check_time(field)

    def validate_safe_until(self, field: Any) -> None:
        _check_time(field)
        if bool(self.safe_from.data) != bool(field.data):
            raise ValidationError(str(_l("Enter both times, or neither")))


def _check_time(field: Any) -> None:
    if field.data and parse_time(field.data) is None:
        raise ValidationError(str(_l("Enter a time in the 24-hour clock, like 09:00 or 17:30")))


class ActionForm(FlaskForm):
    """A button that posts (sign out, remove an item): the CSRF token only."""

    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
