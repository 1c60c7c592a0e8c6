"""The force settings forms (app.admin.forms holds the shared pieces and the others)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.admin.forms import AdminForm, https_url, optional_text
from app.forms import at_most, choices, stripped


class BrandingForm(AdminForm):
    name = StringField(
        _l("Name of the force"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the name of the force")),
            Length(2, 120, _l("The name must be 2 to 120 characters")),
        ],
    )
    name_cy = optional_text(
        _l("Name of the force in Welsh"), 120, _l("The Welsh name must be 120 characters or fewer")
    )
    colour = StringField(
        _l("Brand colour"),
        widget=GovTextInput(),
        filters=[stripped],
        description=_l("A hex colour like #1d70b8. White text on it must be easy to read."),
        validators=[
            DataRequired(_l("Enter the brand colour")),
            at_most(7, _l("Enter a hex colour like #1d70b8")),
        ],
    )
    submit = SubmitField(_l("Save branding"), widget=GovSubmitInput())


class LogoForm(AdminForm):
    logo = FileField(
        _l("Upload a logo"),
        widget=GovFileInput(),
        description=_l("A PNG up to 256 KB or an SVG up to 64 KB, at most 2000 pixels wide"),
    )
    upload = SubmitField(_l("Upload logo"), widget=GovSubmitInput())


def _footer_link(number: int) -> tuple[StringField, StringField, StringField]:
    return (
        optional_text(
            _l("Link %(number)s text", number=number),
            60,
            _l("Link text must be 60 characters or fewer"),
        ),
        optional_text(
            _l("Link %(number)s text in Welsh", number=number),
            60,
            _l("Link text must be 60 characters or fewer"),
        ),
        StringField(
            _l("Link %(number)s web address", number=number),
            widget=GovTextInput(),
            filters=[stripped],
            validators=[
                Optional(),
                at_most(200, _l("Enter a web address of 200 characters or fewer")),
                https_url,
            ],
        ),
    )


FOOTER_LINKS = 3


class ContactForm(AdminForm):
    phone = optional_text(
        _l("Phone number"),
        20,
        _l("Enter a phone number, like 01632 960 000"),
        render_kw={"inputmode": "tel"},
    )
    email = optional_text(
        _l("Email address"), 254, _l("Enter an email address like name@example.com")
    )
    address = optional_text(_l("Address"), 200, _l("The address must be 200 characters or fewer"))
    address_cy = optional_text(
        _l("Address in Welsh"), 200, _l("The Welsh address must be 200 characters or fewer")
    )
    link_1_text, link_1_text_cy, link_1_url = _footer_link(1)
    link_2_text, link_2_text_cy, link_2_url = _footer_link(2)
    link_3_text, link_3_text_cy, link_3_url = _footer_link(3)
    submit = SubmitField(_l("Save contact details"), widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        """A footer link needs both its text and its address."""
        valid = bool(super().validate(extra_validators))
        for number in range(1, FOOTER_LINKS + 1):
            text, url = self[f"link_{number}_text"], self[f"link_{number}_url"]
            if bool(text.data) != bool(url.data) and not (text.errors or url.errors):
                missing = url if text.data else text
                missing.errors = [str(_l("Enter both the text and the web address of the link"))]
                valid = False
        return valid


class LanguageForm(AdminForm):
    welsh = RadioField(
        _l("Offer the site in Welsh?"),
        widget=GovRadioInput(),
        choices=choices({"yes": _l("Yes"), "no": _l("No")}),
        invalid_choice_message=_l("Select yes or no"),
        validators=[InputRequired(_l("Select yes or no"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class CaseworkForm(AdminForm):
    pattern = StringField(
        _l("Crime reference format"),
        widget=GovTextInput(),
        filters=[stripped],
        description=_l(
            "A regular expression every crime reference must match, "
            "like [0-9]{2}/[0-9]{1,6}/[0-9]{2}"
        ),
        validators=[
            DataRequired(_l("Enter the crime reference format")),
            at_most(100, _l("The format must be 100 characters or fewer")),
        ],
    )
    example = StringField(
        _l("Example crime reference"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter an example crime reference")),
            at_most(40, _l("The example must be 40 characters or fewer")),
        ],
    )
    invite_days = IntegerField(
        _l("Days a victim's invite stays valid"),
        widget=GovTextInput(),
        invalid_value_message=_l("Enter a whole number of days from 1 to 60"),
        validators=[
            InputRequired(_l("Enter how many days an invite stays valid")),
            NumberRange(1, 60, _l("Enter a whole number of days from 1 to 60")),
        ],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class OffencesForm(AdminForm):
    offered = SelectMultipleField(
        _l("Offence categories offered on the service"),
        widget=GovCheckboxesInput(),
        invalid_choice_message=_l("Select offence categories from the list"),
        validators=[InputRequired(_l("Offer at least one offence category"))],
    )
    automatic = SelectMultipleField(
        _l(
            "Categories where victims get automatic notifications unless the officer turns them off"
        ),
        widget=GovCheckboxesInput(),
        invalid_choice_message=_l("Select offence categories from the list"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NotificationsForm(AdminForm):
    sender_name = optional_text(
        _l("Sender name"), 60, _l("The sender name must be 60 characters or fewer")
    )
    sender_name_cy = optional_text(
        _l("Sender name in Welsh"), 60, _l("The Welsh sender name must be 60 characters or fewer")
    )
    provider = RadioField(
        _l("How email is sent"),
        widget=GovRadioInput(),
        choices=choices(
            {"smtp": _l("The force's mail relay (SMTP)"), "notify": _l("GOV.UK Notify")}
        ),
        invalid_choice_message=_l("Select how email is sent"),
        validators=[InputRequired(_l("Select how email is sent"))],
    )
    mail_from = optional_text(
        _l("From address"), 254, _l("The From address must be 254 characters or fewer")
    )
    smtp_url = PasswordField(
        _l("Mail relay address (smtp:// or smtps://)"),
        widget=GovPasswordInput(),
        filters=[stripped],
        description=_l("Leave blank to keep the one stored. It is never shown again."),
        validators=[
            Optional(),
            at_most(300, _l("The relay address must be 300 characters or fewer")),
        ],
    )
    notify_api_key = PasswordField(
        _l("GOV.UK Notify API key"),
        widget=GovPasswordInput(),
        filters=[stripped],
        description=_l("Leave blank to keep the one stored. It is never shown again."),
        validators=[Optional(), at_most(200, _l("The API key must be 200 characters or fewer"))],
    )
    email_template_en = optional_text(
        _l("Notify email template id (English)"), 64, _l("Enter a template id")
    )
    email_template_cy = optional_text(
        _l("Notify email template id (Welsh)"), 64, _l("Enter a template id")
    )
    sms_template_en = optional_text(
        _l("Notify text message template id (English)"), 64, _l("Enter a template id")
    )
    sms_template_cy = optional_text(
        _l("Notify text message template id (Welsh)"), 64, _l("Enter a template id")
    )
    reply_to_id = optional_text(_l("Notify email reply-to id"), 64, _l("Enter a reply-to id"))
    sms_sender_id = optional_text(_l("Notify text message sender id"), 64, _l("Enter a sender id"))
    forget = SelectMultipleField(
        _l("Remove stored secrets"),
        widget=GovCheckboxesInput(),
        choices=choices(
            {
                "smtp_url": _l("Remove the stored mail relay"),
                "notify_api_key": _l("Remove the stored Notify API key"),
            }
        ),
        invalid_choice_message=_l("Select secrets to remove from the list"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate_smtp_url(self, field: Any) -> None:
        if field.data and not re.fullmatch(r"smtps?://\S+", field.data):
            raise ValidationError(
                str(_l("Enter a relay address starting with smtp:// or smtps://"))
            )


class IdpForm(AdminForm):
    issuer = StringField(
        _l("Issuer URL"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the issuer URL")),
            at_most(300, _l("The issuer URL must be 300 characters or fewer")),
        ],
    )
    client_id = StringField(
        _l("Client id"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the client id")),
            at_most(200, _l("The client id must be 200 characters or fewer")),
        ],
    )
    client_secret = PasswordField(
        _l("Client secret"),
        widget=GovPasswordInput(),
        description=_l("Leave blank to keep the one stored. It is never shown again."),
        validators=[
            Optional(),
            at_most(500, _l("The client secret must be 500 characters or fewer")),
        ],
    )
    role_claim = StringField(
        _l("Claim that holds roles or groups"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the claim that holds roles or groups")),
            at_most(100, _l("The claim must be 100 characters or fewer")),
        ],
    )
    officer_values = optional_text(
        _l("Values that make someone an officer"), 300, _l("Enter 300 characters or fewer")
    )
    supervisor_values = optional_text(
        _l("Values that make someone a supervisor"), 300, _l("Enter 300 characters or fewer")
    )
    admin_values = optional_text(
        _l("Values that make someone a force administrator"),
        300,
        _l("Enter 300 characters or fewer"),
    )
    entra = SelectMultipleField(
        _l("Microsoft Entra ID"),
        widget=GovCheckboxesInput(),
        choices=choices({"yes": _l("Identify people by tenant and object id (tid and oid)")}),
        invalid_choice_message=_l("Select from the list"),
        validators=[Optional()],
    )
    test = SubmitField(_l("Test connection"), widget=GovSubmitInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
