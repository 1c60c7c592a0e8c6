"""Form pieces every journey uses: one definition each, so a fix lands everywhere.

Journeys keep their own fields and messages; what is here is the mechanics: trimming,
length limits, GOV.UK options, refusing control characters, the shape of an email
address (WTForms' Email() needs email_validator, which we do not install).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

# Control characters a one-line or paragraph answer has no business holding (tab, line
# feed and carriage return are left to the fields that allow paragraphs): a NUL reaches
# PostgreSQL as an error and is not even valid in an HTML page.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Something@domain.tld with no spaces: enough to catch a typing slip.
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def stripped(value: Any) -> Any:
    """Leading and trailing spaces dropped, so an answer of only spaces is no answer
    (with DataRequired: InputRequired accepts "   ")."""
    return value.strip() if isinstance(value, str) else value


def at_most(limit: int, message: LazyString) -> Length:
    return Length(max=limit, message=message)


def choices(labels: dict[str, Any]) -> list[SelectChoice]:
    """Options for a select, radios or checkboxes (WTForms 3.3 deprecates plain pairs)."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def is_email(text: str | None) -> bool:
    return bool(text) and EMAIL.fullmatch(str(text).strip()) is not None


def no_control(pattern: re.Pattern[str] = CONTROL) -> Any:
    """A validator refusing pattern's characters; the answer is shown back without them."""

    def check(form: Any, field: Any) -> None:
        if isinstance(field.data, str) and pattern.search(field.data):
            field.data = pattern.sub("", field.data)
            field.raw_data = [field.data]
            raise ValidationError(str(_l("Remove the special characters from this answer")))

    return check
