"""Officer forms for victims' rights: a review's outcome, a complaint's answer, the day a
personal statement was taken, a person acting for a victim. Same rules as
app.officers.forms: GOV.UK messages for every way a field can be wrong, lengths bounded.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from app.casework.catalogue import CASE_ROLE_LABELS
from app.forms import at_most, choices, stripped
from app.models.rights import REPRESENTATIVE_ROLES
from app.officers.forms import VictimForm, real_date
from app.rights import labels


def victim_text(label: str, required: str) -> TextAreaField:
    return TextAreaField(
        label,
        widget=GovTextArea(),
        filters=[stripped],
        validators=[
            DataRequired(required),
            at_most(4000, _l("What the victim will read must be 4,000 characters or fewer")),
        ],
    )


class ReviewDecisionForm(FlaskForm):
    outcome = RadioField(
        _l("What was decided?"),
        widget=GovRadioInput(),
        choices=choices(labels.REVIEW_OUTCOMES),
        invalid_choice_message=_l("Select what was decided"),
        validators=[InputRequired(_l("Select what was decided"))],
    )
    outcome_text = victim_text(
        _l("What the victim will read"), _l("Enter what the victim will read")
    )
    submit = SubmitField(_l("Record the decision and tell the victim"), widget=GovSubmitInput())


class ComplaintAnswerForm(FlaskForm):
    answer_text = victim_text(_l("The answer the victim will read"), _l("Enter the answer"))
    submit = SubmitField(_l("Send the answer"), widget=GovSubmitInput())


class StatementTakenForm(FlaskForm):
    taken_on = real_date(
        _l("When was the statement taken?"),
        _l("Enter the date the statement was taken"),
        _l("The date the statement was taken must be a real date"),
    )
    submit = SubmitField(_l("Record the statement as taken"), widget=GovSubmitInput())


class RepresentativeForm(VictimForm):
    """A person acting for a victim on the case: who they are, their role, for whom."""

    role = RadioField(
        _l("How do they act for the victim?"),
        widget=GovRadioInput(),
        choices=choices({key: CASE_ROLE_LABELS[key] for key in REPRESENTATIVE_ROLES}),
        invalid_choice_message=_l("Select how they act for the victim"),
        validators=[InputRequired(_l("Select how they act for the victim"))],
    )
    acting_for = RadioField(
        _l("Who do they act for?"),
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select the victim they act for"),
        validators=[InputRequired(_l("Select the victim they act for"))],
    )
    submit = SubmitField(_l("Add person"), widget=GovSubmitInput())
