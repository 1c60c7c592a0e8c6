"""What victim pages call things: plain words, second person, translated.

The officer pages' labels (app.casework.catalogue) speak to officers ("Tell the victim
about the arrest"); these speak to the victim ("tell you about the arrest").
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

Labels = dict[str, LazyString]

PROPERTY_CATEGORIES: Labels = {
    "bicycle": _l("Bicycle"),
    "phone": _l("Mobile phone"),
    "electronics": _l("Computer, tablet or other electronics"),
    "jewellery": _l("Jewellery or watch"),
    "vehicle": _l("Vehicle or vehicle part"),
    "cash_cards": _l("Cash, bank cards or documents"),
    "clothing_bags": _l("Clothing or bag"),
    "tools": _l("Tools or equipment"),
    "other": _l("Something else"),
}

PROPERTY_KINDS: Labels = {
    "missing": _l("Stolen or missing"),
    "damaged": _l("Damaged"),
}

PROPERTY_STATUSES: Labels = {
    "missing": _l("Stolen or missing"),
    "damaged": _l("Damaged"),
    "recovered": _l("Found by the police"),
    "returned": _l("Returned to you"),
}

CHANNELS: Labels = {
    "email": _l("Email"),
    "sms": _l("Text message"),
    "none": _l("Do not contact me, I will sign in to check"),
}

CADENCES: Labels = {
    "7": _l("Every week"),
    "14": _l("Every 2 weeks"),
    "28": _l("Every 4 weeks"),
}

CASE_STATUSES: Labels = {
    "open": _l("Being investigated"),
    "closed": _l("Closed"),
}

# What the police owe the victim, by duty key (app/victims_code/data/rulesets).
DUTIES: Labels = {
    "update-cadence": _l("give you a regular update, even if nothing has changed"),
    "take-personal-statement": _l("contact you to take your personal statement"),
    "inform-arrest": _l("tell you about the arrest"),
    "inform-interview": _l("tell you about the interview"),
    "inform-release-without-charge": _l("tell you about the release without charge"),
    "inform-bail": _l("tell you about bail and any conditions that protect you"),
    "inform-release-under-investigation": _l("tell you about the release under investigation"),
    "inform-bail-change": _l("tell you how the bail conditions changed"),
    "inform-bail-cancelled": _l("tell you that bail was cancelled"),
    "explain-decision-not-to-investigate": _l(
        "explain the decision not to investigate and offer you support"
    ),
    "inform-charge": _l("tell you about the charge and the first court hearing"),
    "inform-out-of-court-disposal": _l("tell you how the case was dealt with out of court"),
    "inform-no-further-action": _l(
        "explain the decision to take no further action and your right to a review"
    ),
    "inform-hearing": _l("tell you the date, time and place of the court hearing"),
    "inform-verdict": _l("tell you the verdict"),
    "inform-sentence": _l("tell you the sentence"),
    "refer-to-support": _l("refer you to a support service"),
    "acknowledge-review": _l("confirm we have your request for a review"),
    "decide-review": _l("tell you the outcome of the review"),
    "acknowledge-complaint": _l("reply to your complaint"),
}

# Headings for the updates on a victim's timeline, by event type.
EVENTS: Labels = {
    "arrested": _l("A suspect was arrested"),
    "interviewed_under_caution": _l("A suspect was interviewed"),
    "released_without_charge": _l("Released without charge"),
    "bailed": _l("Released on bail"),
    "released_under_investigation": _l("Released while we investigate"),
    "bail_changed": _l("Bail conditions changed"),
    "bail_cancelled": _l("Bail cancelled"),
    "decision_not_to_investigate": _l("Decision not to investigate further"),
    "charged": _l("Charged"),
    "out_of_court_disposal": _l("Dealt with out of court"),
    "no_further_action": _l("No further action"),
    "hearing_listed": _l("Court hearing arranged"),
    "verdict": _l("Verdict"),
    "sentence": _l("Sentence"),
    "needs_assessed": _l("Your support needs"),
    "support_referral_made": _l("Referred to a support service"),
    "free_update": _l("Update"),
}

RIGHTS: Labels = {
    "request-review": _l("ask for the decision not to charge to be reviewed"),
}
