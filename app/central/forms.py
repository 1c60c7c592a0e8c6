"""The application's question pages and the operators' forms.

Every answer gets a GOV.UK message a person can act on, never WTForms' own English.
Free text refuses control characters and the markup characters < and > (a force name
or a person's name never needs them, and refusing says so clearly instead of storing
what a page must then escape); addresses and identifiers are checked against their
own grammar. Nothing here touches the database: the views check availability.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from app.forms import no_control, stripped
from tenants.branding import MIN_CONTRAST, contrast_with_white

# One-line answers: no control character at all. Paragraphs may keep tab and new lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_PARAGRAPHS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_MARKUP = re.compile(r"[<>]")
# A conservative ASCII address: it goes into mail headers and mailto: links.
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,24}"
)
_FORCE_NAME = re.compile(r"[\w .,'\u2019&()-]+")  # \u2019: a typographic apostrophe
_SLUG_CHARACTERS = re.compile(r"[a-z0-9-]+")
_HEX = re.compile(r"#?[0-9a-fA-F]{6}")
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces


# A new line in an address could add a mail header; in a name, break a page's layout.
plain_text = no_control(_CONTROL)
plain_paragraphs = no_control(_CONTROL_IN_PARAGRAPHS)


def no_markup(form: Any, field: Any) -> None:
    if isinstance(field.data, str) and _MARKUP.search(field.data):
        raise ValidationError(str(_l("Remove the < and > characters from this answer")))


def email_address(form: Any, field: Any) -> None:
    if not _EMAIL.fullmatch(field.data or ""):
        raise ValidationError(
            str(_l("Enter an email address in the correct format, like name@example.com"))
        )


def _email_field(label: Any, missing: Any) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(missing),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            plain_text,
            email_address,
        ],
    )


def _submit(label: Any = None) -> SubmitField:
    return SubmitField(label or _l("Continue"), widget=GovSubmitInput())


class ForceNameForm(FlaskForm):
    force_name = StringField(
        _l("What is your police force's name?"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your police force's name")),
            Length(min=2, max=120, message=_l("Force name must be 2 to 120 characters")),
            plain_text,
        ],
    )
    submit = _submit()

    def validate_force_name(self, field: Any) -> None:
        if not _FORCE_NAME.fullmatch(field.data) or "_" in field.data:
            raise ValidationError(
                str(
                    _l(
                        "Force name must only include letters, numbers, spaces and these "
                        "characters: . , ' & ( ) -"
                    )
                )
            )


class WebAddressForm(FlaskForm):
    slug = StringField(
        _l("Choose your site's web address"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the first part of your site's web address")),
            Length(max=40, message=_l("Web address must be 40 characters or fewer")),
            plain_text,
        ],
    )
    submit = _submit()

    def validate_slug(self, field: Any) -> None:
        # ASCII before lower(): "K".lower() is plain "k" for the Kelvin sign (U+212A) too.
        if not field.data.isascii():
            raise ValidationError(str(_SLUG_RULE))
        field.data = field.data.lower()
        if not _SLUG_CHARACTERS.fullmatch(field.data):
            raise ValidationError(str(_SLUG_RULE))


_SLUG_RULE = _l("Web address must only include lower-case letters a to z, numbers and hyphens")


class ContactNameForm(FlaskForm):
    contact_name = StringField(
        _l("What is your name?"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your name")),
            Length(max=120, message=_l("Your name must be 120 characters or fewer")),
            plain_text,
            no_markup,
        ],
    )
    submit = _submit()


class ContactEmailForm(FlaskForm):
    contact_email = _email_field(_l("What is your email address?"), _l("Enter your email address"))
    submit = _submit()


class ColourForm(FlaskForm):
    colour = StringField(
        _l("Choose your site's main colour"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter a colour, like #1d70b8")),
            Length(max=7, message=_l("Enter a colour as # and 6 letters or numbers, like #1d70b8")),
            plain_text,
        ],
    )
    submit = _submit()

    def validate_colour(self, field: Any) -> None:
        if not _HEX.fullmatch(field.data):
            raise ValidationError(
                str(_l("Enter a colour as # and 6 letters or numbers, like #1d70b8"))
            )
        field.data = "#" + field.data.lstrip("#").lower()
        ratio = contrast_with_white(field.data)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                str(
                    _l(
                        "White text on %(colour)s has a contrast ratio of %(ratio)s:1. "
                        "Choose a darker colour with a ratio of at least %(minimum)s:1",
                        colour=field.data,
                        ratio=f"{ratio:.2f}",
                        minimum=MIN_CONTRAST,
                    )
                )
            )


class IdentityProviderForm(FlaskForm):
    issuer = StringField(
        _l("Issuer URL"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter your identity provider's issuer URL")),
            Length(max=300, message=_l("Issuer URL must be 300 characters or fewer")),
            plain_text,
        ],
    )
    client_id = StringField(
        _l("Client ID"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the client ID")),
            Length(max=200, message=_l("Client ID must be 200 characters or fewer")),
            plain_text,
        ],
    )
    client_secret = PasswordField(
        _l("Client secret"),
        widget=GovPasswordInput(),
        validators=[
            Length(max=500, message=_l("Client secret must be 500 characters or fewer")),
            plain_text,
        ],
    )
    test = SubmitField(_l("Test connection"), widget=GovSubmitInput())
    submit = _submit()

    def validate_issuer(self, field: Any) -> None:
        parts = urlsplit(field.data)
        if parts.scheme != "https" and not field.data.startswith("http://"):
            raise ValidationError(str(_l("Issuer URL must start with https://")))
        if not _TOKEN.fullmatch(field.data) or parts.username or parts.password:
            raise ValidationError(str(_l("Enter the issuer URL exactly as your provider gives it")))
        if parts.query or parts.fragment or "#" in field.data or not parts.hostname:
            raise ValidationError(str(_l("Enter the issuer URL exactly as your provider gives it")))

    def validate_client_id(self, field: Any) -> None:
        if not _TOKEN.fullmatch(field.data) or _MARKUP.search(field.data):
            raise ValidationError(
                str(_l("Client ID must only include letters, numbers and symbols"))
            )

    def validate_client_secret(self, field: Any) -> None:
        if field.data and not _TOKEN.fullmatch(field.data):
            raise ValidationError(
                str(_l("Client secret must only include letters, numbers and symbols"))
            )


class AdministratorForm(FlaskForm):
    admin_email = _email_field(
        _l("What email address will your first force administrator sign in with?"),
        _l("Enter your first force administrator's email address"),
    )
    submit = _submit()


class WelshForm(FlaskForm):
    welsh = RadioField(
        _l("Do you want your site in Welsh as well as English?"),
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validate_choice=False,  # AnyOf below says it in our words, not WTForms'
        validators=[
            InputRequired(_l("Select yes if you want your site in Welsh as well")),
            AnyOf(["yes", "no"], message=_l("Select yes if you want your site in Welsh as well")),
        ],
    )
    submit = _submit()


class AgreementForm(FlaskForm):
    accept = BooleanField(
        _l("I accept the data processing agreement on behalf of my force"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_l("Accept the data processing agreement to continue"))],
    )
    submit = _submit()


class ReturnForm(FlaskForm):
    email = _email_field(_l("Email address"), _l("Enter your email address"))
    submit = _submit(_l("Send me a link"))


class ConfirmForm(FlaskForm):
    submit = _submit(_l("Confirm my email address"))


class SubmitApplicationForm(FlaskForm):
    submit = _submit(_l("Submit application"))


class ButtonForm(FlaskForm):
    """A form that is only a button and its CSRF token (approve, retry, suspend…)."""


@dataclass(frozen=True)
class Confirmation:
    """What a console "are you sure?" page (confirm.html) says: danger shows the
    explanation as a warning and the button in red."""

    heading: str
    explanation: str
    button: str
    danger: bool = False


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is the application rejected?"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the reason the application is rejected")),
            Length(max=1000, message=_l("The reason must be 1,000 characters or fewer")),
            plain_paragraphs,
        ],
    )
    submit = _submit(_l("Reject application"))


class DecommissionForm(FlaskForm):
    """The operator types the force's short name: decommissioning is not a slip of a click."""

    slug = StringField(
        _l("Type the force's short name to confirm"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Type the force's short name to confirm")),
            Length(max=40, message=_l("The short name you typed does not match this force's")),
        ],
    )
    submit = _submit(_l("Decommission the force"))


class LogoForm(FlaskForm):
    """The optional logo: the view checks the file itself (app.logos)."""

    logo = FileField(
        _l("Upload your force's logo (optional)"),
        widget=GovFileInput(),
        description=_l(
            "Your site shows it in its header, next to your force's name. A PNG up to 256 KB "
            "or an SVG up to 64 KB, at most 2000 pixels wide and high."
        ),
    )
    submit = _submit(_l("Upload logo"))
