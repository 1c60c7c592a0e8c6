"""Force administration forms: GOV.UK widgets, every way a field can be wrong with a
message in GOV.UK's words, lengths bounded before anything is stored."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.admin.retention import MAX_YEARS
from app.casework.catalogue import OUTCOME_LABELS


def stripped(value: Any) -> Any:
    """Leading and trailing spaces dropped, so an answer of only spaces is no answer."""
    return value.strip() if isinstance(value, str) else value


def at_most(limit: int, message: LazyString) -> Length:
    return Length(max=limit, message=message)


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


def optional_text(label: LazyString, limit: int, too_long: LazyString, **kw: Any) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[stripped],
        validators=[Optional(), at_most(limit, too_long)],
        **kw,
    )


def https_url(form: Any, field: Any) -> None:
    if field.data and not re.fullmatch(r"https://[^\s<>\"']+", field.data):
        raise ValidationError(str(_l("Enter a web address starting with https://")))


class DateInput(GovDateInput):
    """GOV.UK's date input with translated box labels, for a GET form too: a search with
    no date sends no boxes, which the library's widget cannot render."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        raw = field.raw_data
        if raw is not None and len(raw) != 3:
            field.raw_data = None
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        field.raw_data = raw
        for item, label in zip(params["items"], (_l("Day"), _l("Month"), _l("Year")), strict=True):
            item["label"] = str(label)
        return params


def years_field(label: LazyString) -> IntegerField:
    message = _l("Enter a whole number of years from 1 to 100")
    return IntegerField(
        label,
        widget=GovTextInput(),
        invalid_value_message=message,
        validators=[Optional(), NumberRange(1, MAX_YEARS, message)],
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AdminForm(FlaskForm):
    """Every text answer refuses control characters: a NUL byte would reach PostgreSQL
    as an error (a 500), and none of them belongs in a setting or a search."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        for field in self:
            if _has_control(field):
                # Shown back without them: a NUL is not even valid in an HTML page.
                if isinstance(field.data, str):
                    field.data = _CONTROL.sub("", field.data)
                field.raw_data = [
                    _CONTROL.sub("", v) if isinstance(v, str) else v for v in field.raw_data or []
                ]
                field.errors = [str(_l("Remove the special characters from this answer"))]
                valid = False
        return valid


def _has_control(field: Any) -> bool:
    """In the answer, or in what was typed when it could not be read (a number, say)."""
    typed = [v for v in (field.raw_data or []) if isinstance(v, str)]
    if isinstance(field.data, str):
        typed.append(field.data)
    return any(_CONTROL.search(v) for v in typed)


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


# --- audit trail ------------------------------------------------------------------------------


class AuditSearchForm(AdminForm):
    class Meta:
        csrf = False  # a GET search: it changes nothing

    person = optional_text(
        _l("Person"),
        254,
        _l("Person must be 254 characters or fewer"),
        description=_l("An officer's collar number or email address, or a victim's email"),
    )
    record = optional_text(
        _l("Record"),
        64,
        _l("Record must be 64 characters or fewer"),
        description=_l("A crime reference, or the id of any record"),
    )
    action = SelectField(
        _l("Action"),
        widget=GovSelect(),
        invalid_choice_message=_l("Select an action from the list"),
        validators=[Optional()],
    )
    start = DateField(
        _l("From"),
        widget=DateInput(),
        format="%d %m %Y",
        invalid_value_message=_l("The start date must be a real date"),
        validators=[Optional()],
    )
    end = DateField(
        _l("To"),
        widget=DateInput(),
        format="%d %m %Y",
        invalid_value_message=_l("The end date must be a real date"),
        validators=[Optional()],
    )
    submit = SubmitField(_l("Search"), widget=GovSubmitInput())

    def validate_end(self, field: Any) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(str(_l("The end date must be the same as or after the start")))


# --- settings ---------------------------------------------------------------------------------


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


class RetentionForm(AdminForm):
    default_years = years_field(_l("Any other outcome"))
    submit = SubmitField(_l("Save retention periods"), widget=GovSubmitInput())


for _outcome, _label in OUTCOME_LABELS.items():
    setattr(RetentionForm, f"years_{_outcome}", years_field(_label))


# --- cases, victims, the support directory ----------------------------------------------------


class FindForm(AdminForm):
    class Meta:
        csrf = False  # a GET search

    q = StringField(
        _l("Crime reference or email address"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter a crime reference or an email address")),
            at_most(254, _l("Enter 254 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Find"), widget=GovSubmitInput())


class LegalHoldForm(AdminForm):
    hold = RadioField(
        _l("Put this case on legal hold?"),
        widget=GovRadioInput(),
        choices=choices({"yes": _l("Yes, keep it whatever the retention period"), "no": _l("No")}),
        invalid_choice_message=_l("Select yes or no"),
        validators=[InputRequired(_l("Select yes or no"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class SupportServiceForm(AdminForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the name of the service")),
            at_most(120, _l("The name must be 120 characters or fewer")),
        ],
    )
    name_cy = optional_text(
        _l("Name in Welsh"), 120, _l("The Welsh name must be 120 characters or fewer")
    )
    description = TextAreaField(
        _l("What the service does"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            Optional(),
            at_most(500, _l("The description must be 500 characters or fewer")),
        ],
    )
    description_cy = TextAreaField(
        _l("What the service does, in Welsh"),
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            Optional(),
            at_most(500, _l("The Welsh description must be 500 characters or fewer")),
        ],
    )
    area = optional_text(_l("Area it covers"), 120, _l("The area must be 120 characters or fewer"))
    phone = optional_text(
        _l("Phone number"), 30, _l("The phone number must be 30 characters or fewer")
    )
    url = StringField(
        _l("Website"),
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            Optional(),
            at_most(200, _l("Enter a web address of 200 characters or fewer")),
            https_url,
        ],
    )
    submit = SubmitField(_l("Save service"), widget=GovSubmitInput())

    def validate_phone(self, field: Any) -> None:
        if field.data and not re.fullmatch(r"[0-9 +()-]{3,30}", field.data):
            raise ValidationError(str(_l("Enter a phone number, like 01632 960 000")))
