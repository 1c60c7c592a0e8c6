"""Force administration forms: GOV.UK widgets, every way a field can be wrong with a
message in GOV.UK's words, lengths bounded before anything is stored."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from app.admin.retention import MAX_YEARS
from app.casework.catalogue import OUTCOME_LABELS
from app.forms import CONTROL, at_most, choices, stripped


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


_CONTROL = CONTROL


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
