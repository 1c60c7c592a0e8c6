"""What the rights pages call things, translated: officers' words and victims' words.

The keys are what the database stores (app.models.rights); officer labels speak about
the victim ("Wants to read it in court"), victim labels to them ("I want to read it").
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.rights.statements import DUTY as STATEMENT_DUTY

Labels = dict[str, LazyString]

# Duties no Code rule names (their deadline is the force's): officer and victim wording.
OFFICER_DUTIES: Labels = {STATEMENT_DUTY: _l("Take the victim's personal statement")}
VICTIM_DUTIES: Labels = {STATEMENT_DUTY: _l("contact you to take your personal statement")}

REVIEW_OUTCOMES: Labels = {
    "decision_stands": _l("The decision not to charge stands"),
    "decision_overturned": _l("The decision was overturned"),
}

COMPLAINT_TOPICS: Labels = {
    "treatment": _l("How an officer or member of staff treated me"),
    "investigation": _l("How my case was investigated"),
    "code": _l("Not getting the service the Victims' Code promises, such as updates"),
    "website": _l("This website"),
    "other": _l("Something else"),
}

OFFICER_COMPLAINT_TOPICS: Labels = {
    "treatment": _l("Treatment by an officer or member of staff"),
    "investigation": _l("How the case was investigated"),
    "code": _l("Victims' Code service not given"),
    "website": _l("This website"),
    "other": _l("Something else"),
}

ROUTED_TO: Labels = {
    "professional_standards": _l("Sent to professional standards"),
    "force_admins": _l("Sent to the force's administrators (no professional standards address)"),
    "nobody": _l("Not sent to anyone: no professional standards address or administrator"),
}

STATEMENT_DELIVERY: Labels = {
    "read_myself": _l("I want to read it out in court myself"),
    "read_for_me": _l("I want someone else to read it out for me"),
    "court_reads": _l("I want the court to read it without it being read out"),
    "not_sure": _l("I am not sure yet"),
}

OFFICER_STATEMENT_DELIVERY: Labels = {
    "read_myself": _l("Wants to read it out in court"),
    "read_for_me": _l("Wants someone else to read it out"),
    "court_reads": _l("Wants the court to read it without it being read out"),
    "not_sure": _l("Not sure yet"),
}

STATEMENT_KINDS: Labels = {
    "new": _l("New statement"),
    "update": _l("Update to a statement"),
}

SATISFACTION: Labels = {
    "5": _l("Very satisfied"),
    "4": _l("Satisfied"),
    "3": _l("Neither satisfied nor dissatisfied"),
    "2": _l("Dissatisfied"),
    "1": _l("Very dissatisfied"),
}

SAVED_CALL: Labels = {
    "yes": _l("Yes"),
    "no": _l("No, I still needed to call"),
    "would_not_call": _l("I would not have called 101"),
}

MILESTONES: Labels = {
    "first_update": _l("After the first update"),
    "case_closed": _l("After the case was closed"),
}
