"""The fixed lists casework offers, with their labels, and the seeds every force starts with.

Labels are translated here (the officer and victim pages show them); the keys are what
the database, the deadline engine and the records-system API store.
"""

from __future__ import annotations

from typing import TypeAlias, cast

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Table, exists, insert, select

from app.models import OffenceCategory, UpdateTemplate
from tenants.forces import Force

Label: TypeAlias = LazyString | str

# Events an officer (or the records system) posts, in the order the form offers them.
EVENT_LABELS: dict[str, Label] = {
    "arrested": _l("Suspect arrested"),
    "interviewed_under_caution": _l("Suspect interviewed under caution"),
    "released_without_charge": _l("Released without charge"),
    "bailed": _l("Released on bail"),
    "released_under_investigation": _l("Released under investigation"),
    "bail_changed": _l("Bail conditions changed"),
    "bail_cancelled": _l("Bail cancelled"),
    "decision_not_to_investigate": _l("Decision not to investigate"),
    "charged": _l("Charged"),
    "out_of_court_disposal": _l("Out-of-court disposal"),
    "no_further_action": _l("No further action"),
    "hearing_listed": _l("Court hearing listed"),
    "verdict": _l("Verdict"),
    "sentence": _l("Sentence"),
    "needs_assessed": _l("Victim's needs assessed"),
    "support_referral_made": _l("Referred to a support service"),
    "free_update": _l("Other update"),
}

# Duty keys come from the Victims' Code rule sets (app/victims_code/data).
DUTY_LABELS: dict[str, Label] = {
    "update-cadence": _l("Regular update at the agreed frequency"),
    "inform-arrest": _l("Tell the victim about the arrest"),
    "inform-interview": _l("Tell the victim about the interview"),
    "inform-release-without-charge": _l("Tell the victim about the release without charge"),
    "inform-bail": _l("Tell the victim about bail and its conditions"),
    "inform-release-under-investigation": _l(
        "Tell the victim about the release under investigation"
    ),
    "inform-bail-change": _l("Tell the victim the bail conditions changed"),
    "inform-bail-cancelled": _l("Tell the victim bail was cancelled"),
    "explain-decision-not-to-investigate": _l(
        "Explain the decision not to investigate and offer support"
    ),
    "inform-charge": _l("Tell the victim about the charge and first hearing"),
    "inform-out-of-court-disposal": _l("Tell the victim about the out-of-court disposal"),
    "inform-no-further-action": _l(
        "Tell the victim about no further action and the right to review"
    ),
    "inform-hearing": _l("Tell the victim the hearing date, time and place"),
    "inform-verdict": _l("Tell the victim the verdict"),
    "inform-sentence": _l("Tell the victim the sentence"),
    "refer-to-support": _l("Refer the victim to a support service"),
    "acknowledge-review": _l("Acknowledge the review request"),
    "decide-review": _l("Decide the review"),
    "acknowledge-complaint": _l("Acknowledge the complaint"),
    "take-personal-statement": _l("Take the victim's personal statement"),
}

# DOMAIN.md: who has enhanced rights under the Victims' Code.
ENHANCED_REASONS: dict[str, Label] = {
    "bereaved": _l("Bereaved close relative"),
    "domestic_abuse": _l("Domestic abuse"),
    "hate_crime": _l("Hate crime"),
    "terrorism": _l("Terrorism"),
    "sexual_offence": _l("Sexual offence"),
    "human_trafficking": _l("Human trafficking"),
    "attempted_murder": _l("Attempted murder"),
    "kidnap_false_imprisonment": _l("Kidnap or false imprisonment"),
    "arson_endangering_life": _l("Arson with intent to endanger life"),
    "wounding_gbh_intent": _l("Wounding or GBH with intent"),
    "persistently_targeted": _l("Persistently targeted"),
    "under_18": _l("Under 18"),
    "mental_disorder": _l("Mental disorder"),
    "impaired_intelligence": _l("Significant impairment of intelligence and social functioning"),
    "physical_disability": _l("Physical disability or disorder"),
    "fear_of_testifying": _l("Fear or distress about testifying"),
}

CASE_ROLE_LABELS: dict[str, Label] = {
    "victim": _l("Victim"),
    "parent_guardian": _l("Parent or guardian"),
    "spokesperson": _l("Family spokesperson"),
    "advocate": _l("Independent advocate (IDVA or ISVA)"),
}

OUTCOME_LABELS: dict[str, Label] = {
    "charged": _l("Charged or summonsed"),
    "out_of_court_disposal": _l("Out-of-court disposal"),
    "no_further_action": _l("No further action"),
    "evidential_difficulties": _l("Evidential difficulties"),
    "not_in_public_interest": _l("Not in the public interest"),
    "victim_does_not_support": _l("Victim does not support further action"),
    "other": _l("Other"),
}

# Home Office offence groups (with domestic abuse and stalking apart, as forces record
# them). Automatic contact is off by default where the offender may share the victim's
# phone or home.
OFFENCE_CATEGORIES = (
    ("violence_against_the_person", "Violence against the person", "Trais yn erbyn y person", True),
    ("domestic_abuse", "Domestic abuse", "Cam-drin domestig", False),
    ("sexual_offences", "Sexual offences", "Troseddau rhywiol", False),
    ("stalking_and_harassment", "Stalking and harassment", "Stelcio ac aflonyddu", False),
    ("robbery", "Robbery", "Lladrad", True),
    ("burglary", "Burglary", "Bwrgleriaeth", True),
    ("vehicle_offences", "Vehicle offences", "Troseddau cerbydau", True),
    ("theft", "Theft", "Dwyn", True),
    (
        "criminal_damage_and_arson",
        "Criminal damage and arson",
        "Difrod troseddol a llosgi bwriadol",
        True,
    ),
    (
        "fraud_and_computer_misuse",
        "Fraud and computer misuse",
        "Twyll a chamddefnyddio cyfrifiaduron",
        True,
    ),
    ("public_order_offences", "Public order offences", "Troseddau trefn gyhoeddus", True),
    ("hate_crime", "Hate crime", "Trosedd casineb", True),
    ("other", "Other crime", "Trosedd arall", True),
)

# The victim-facing wording each event starts from: plain English, and Welsh for a
# Welsh-language victim. A force edits these; the officer can edit each update too.
UPDATE_TEMPLATES = {
    "arrested": (
        "A suspect has been arrested. We will tell you what happens next.",
        "Mae rhywun a amheuir wedi cael ei arestio. Byddwn yn dweud wrthych beth sy'n digwydd nesaf.",
    ),
    "interviewed_under_caution": (
        "A suspect has been interviewed under caution.",
        "Mae rhywun a amheuir wedi cael ei gyfweld o dan rybudd.",
    ),
    "released_without_charge": (
        "The suspect has been released without charge.",
        "Mae'r sawl a amheuir wedi cael ei ryddhau heb gyhuddiad.",
    ),
    "bailed": (
        "The suspect has been released on bail. These are the bail conditions that affect you:",
        "Mae'r sawl a amheuir wedi cael ei ryddhau ar fechnïaeth. Dyma'r amodau mechnïaeth sy'n effeithio arnoch chi:",
    ),
    "released_under_investigation": (
        "The suspect has been released while the investigation continues.",
        "Mae'r sawl a amheuir wedi cael ei ryddhau tra bod yr ymchwiliad yn parhau.",
    ),
    "bail_changed": (
        "The suspect's bail conditions have changed.",
        "Mae amodau mechnïaeth y sawl a amheuir wedi newid.",
    ),
    "bail_cancelled": (
        "The suspect's bail has been cancelled.",
        "Mae mechnïaeth y sawl a amheuir wedi cael ei chanslo.",
    ),
    "decision_not_to_investigate": (
        "We have decided not to investigate this crime further. We can refer you to a support service.",
        "Rydym wedi penderfynu peidio ag ymchwilio i'r drosedd hon ymhellach. Gallwn eich cyfeirio at wasanaeth cymorth.",
    ),
    "charged": (
        "The suspect has been charged. The first court hearing is:",
        "Mae'r sawl a amheuir wedi cael ei gyhuddo. Dyma'r gwrandawiad llys cyntaf:",
    ),
    "out_of_court_disposal": (
        "The case has been dealt with out of court.",
        "Mae'r achos wedi cael ei ddatrys y tu allan i'r llys.",
    ),
    "no_further_action": (
        "No further action will be taken. You have the right to ask for this decision to be reviewed.",
        "Ni fydd camau pellach yn cael eu cymryd. Mae gennych hawl i ofyn i'r penderfyniad hwn gael ei adolygu.",
    ),
    "hearing_listed": (
        "A court hearing has been arranged:",
        "Mae gwrandawiad llys wedi cael ei drefnu:",
    ),
    "verdict": ("The court has reached a verdict.", "Mae'r llys wedi dod i ddyfarniad."),
    "sentence": ("The court has passed sentence.", "Mae'r llys wedi dedfrydu."),
    "needs_assessed": (
        "We have talked with you about the support you need.",
        "Rydym wedi siarad â chi am y cymorth sydd ei angen arnoch.",
    ),
    "support_referral_made": (
        "We have referred you to a support service. They will contact you.",
        "Rydym wedi eich cyfeirio at wasanaeth cymorth. Byddan nhw'n cysylltu â chi.",
    ),
    "free_update": ("", ""),
}


def seed_casework(conn: Connection, _force: Force) -> None:
    """Provisioning seeder: offence categories and update wording a force lacks."""
    categories = cast(Table, OffenceCategory.__table__)
    for position, (key, name, name_cy, automatic) in enumerate(OFFENCE_CATEGORIES):
        if not conn.scalar(select(exists().where(categories.c.key == key))):
            conn.execute(
                insert(categories).values(
                    key=key,
                    name=name,
                    name_cy=name_cy,
                    offered=True,
                    automatic_contact_default=automatic,
                    position=position,
                )
            )
    templates = cast(Table, UpdateTemplate.__table__)
    for event_type, (text_en, text_cy) in UPDATE_TEMPLATES.items():
        if not conn.scalar(select(exists().where(templates.c.event_type == event_type))):
            conn.execute(
                insert(templates).values(event_type=event_type, text_en=text_en, text_cy=text_cy)
            )
