"""What the API accepts and returns, as pydantic models: the OpenAPI document's schemas
are generated from these (JSON Schema 2020-12, which OpenAPI 3.1 uses as is).

Input models forbid unknown fields (a typo is a 422, never silently dropped), bound
every string, and strip control characters nowhere: text is stored as given and
escaped where it is shown. Output models carry ids, keys and dates; never an internal
note, a victim's contact details or anything a victim wrote.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

from app.casework.catalogue import CASE_ROLE_LABELS, ENHANCED_REASONS, EVENT_LABELS

_NO_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: str) -> str:
    """Refuse control characters (NUL above all: PostgreSQL cannot store it)."""
    if _NO_CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _one_of(keys: Iterable[str]) -> tuple[Any, Any]:
    """A string that must be one of keys, documented as an enum."""
    allowed = tuple(keys)

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of: {', '.join(allowed)}")
        return value

    return AfterValidator(check), WithJsonSchema({"type": "string", "enum": list(allowed)})


def _text(max_length: int, min_length: int = 0) -> Any:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


_EVENT, _EVENT_SCHEMA = _one_of(EVENT_LABELS)
_REASON, _REASON_SCHEMA = _one_of(ENHANCED_REASONS)
_ROLE, _ROLE_SCHEMA = _one_of(CASE_ROLE_LABELS)
_PRINTABLE = AfterValidator(_printable)
EventTypeKey = Annotated[str, _EVENT, _EVENT_SCHEMA]
EnhancedReason = Annotated[str, _REASON, _REASON_SCHEMA]
CaseRole = Annotated[str, _ROLE, _ROLE_SCHEMA]
Reference = Annotated[str, _text(40, 1), _PRINTABLE]
Key60 = Annotated[str, _text(60, 1), _PRINTABLE]
Short60 = Annotated[str, _text(60), _PRINTABLE]
Name = Annotated[str, _text(120, 1), _PRINTABLE]
Identifier = Annotated[str, _text(254, 1), _PRINTABLE]
Text2000 = Annotated[str, _text(2000), _PRINTABLE]
Text4000 = Annotated[str, _text(4000), _PRINTABLE]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
Mobile = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ]{10,20}$")]


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


# --- problems ----------------------------------------------------------------------------


class FieldError(BaseModel):
    location: str = Field(description="Where: body.<field>, query.<name>, header.<name>.")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/api/v1/docs#problem-validation-failed",
                    "title": "Validation failed",
                    "status": 422,
                    "detail": "The request body failed validation.",
                    "errors": [{"location": "body.offence_category", "message": "Field required"}],
                }
            ]
        }
    )

    type: str = Field(description="A URI reference naming the kind of problem.")
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    error: str | None = Field(None, description="OAuth 2.0 error code (token endpoint).")
    error_description: str | None = None


# --- token -------------------------------------------------------------------------------


class TokenRequest(BaseModel):
    """RFC 6749 section 4.4.2 (unknown parameters are ignored, as RFC 6749 requires)."""

    model_config = ConfigDict(extra="ignore")

    grant_type: str = Field(max_length=100, examples=["client_credentials"])
    scope: str | None = Field(None, max_length=200, examples=["cases:read cases:write"])


class TokenResponse(BaseModel):
    model_config = _examples(
        {
            "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
            "token_type": "Bearer",
            "expires_in": 900,
            "scope": "cases:read cases:write",
        }
    )

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str


# --- cases -------------------------------------------------------------------------------


class NewCase(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "crime_reference": "46/12345/26",
                    "offence_category": "burglary",
                    "reported_on": "2026-03-02",
                    "oic": "C1234",
                    "team": "Canterbury CID",
                    "enhanced_reasons": ["persistently_targeted"],
                    "automatic_contact": True,
                }
            ]
        },
    )

    crime_reference: Reference = Field(
        description="In the force's format (e.g. 46/12345/26); spaces are removed and "
        "letters upper-cased before it is checked."
    )
    offence_category: Key60 = Field(
        description="An offence category key the force offers (e.g. burglary)."
    )
    reported_on: date = Field(description="The date the crime was reported (not in the future).")
    oic: Identifier = Field(
        description="The officer in charge: an active officer's collar number or email."
    )
    team: Short60 | None = None
    enhanced_reasons: list[EnhancedReason] = Field(default_factory=list, max_length=16)
    automatic_contact: bool | None = Field(
        None,
        description="May updates reach the victim automatically? Omitted: the offence "
        "category's default (off for domestic abuse, sexual offences, stalking).",
    )


class OfficerRef(BaseModel):
    collar_number: str | None
    email: str | None


class CaseOut(BaseModel):
    model_config = _examples(
        {
            "crime_reference": "46/12345/26",
            "offence_category": "burglary",
            "reported_on": "2026-03-02",
            "status": "open",
            "outcome": None,
            "oic": {"collar_number": "C1234", "email": "a.officer@kent.police.example"},
            "team": "Canterbury CID",
            "enhanced_rights": True,
            "enhanced_reasons": ["persistently_targeted"],
            "automatic_contact": True,
            "next_due_on": "2026-03-30",
            "victim_count": 1,
            "created_at": "2026-03-02T10:15:00Z",
            "updated_at": "2026-03-02T10:15:00Z",
            "closed_at": None,
        }
    )

    crime_reference: str
    offence_category: str
    reported_on: date | None
    status: str
    outcome: str | None
    oic: OfficerRef | None
    team: str | None
    enhanced_rights: bool
    enhanced_reasons: list[str]
    automatic_contact: bool
    next_due_on: date | None = Field(description="The earliest open Victims' Code duty.")
    victim_count: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class CaseQuery(Strict):
    updated_since: datetime | None = Field(
        None, description="Only cases changed at or after this moment (ISO 8601 with zone)."
    )
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the last page.")
    limit: int = Field(50, ge=1, le=200)


class CasePage(BaseModel):
    model_config = _examples({"cases": [], "next_cursor": None})

    cases: list[CaseOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null at the end."
    )


# --- victims -----------------------------------------------------------------------------


class NewVictim(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Sam Example",
                    "date_of_birth": "1985-03-27",
                    "email": "sam@example.com",
                    "mobile": "07700900123",
                    "preferred_language": "en",
                    "contact_channel": "email",
                    "safe_from": "09:00",
                    "safe_until": "17:00",
                    "role": "victim",
                    "send_invite": True,
                }
            ]
        },
    )

    name: Name
    date_of_birth: date
    email: Email | None = None
    mobile: Mobile | None = None
    preferred_language: Literal["en", "cy"] = "en"
    contact_channel: Literal["email", "sms", "none"] = "email"
    safe_from: time | None = None
    safe_until: time | None = None
    role: CaseRole = "victim"
    send_invite: bool = Field(
        True,
        description="Send the invite to the victim site now, by the outbox, as the "
        "officer screen's Send invite does.",
    )


class VictimOut(BaseModel):
    """The new person's id and what happened: never their details back."""

    model_config = _examples(
        {"id": "7d0c1a2e-5a0e-4b3e-9f57-0f6a2b1c9d11", "role": "victim", "invite_sent": True,
         "invite_expires_at": "2026-03-16T10:15:00Z"}
    )  # fmt: skip

    id: uuid.UUID
    role: str
    invite_sent: bool
    invite_expires_at: datetime | None


# --- events and duties -------------------------------------------------------------------


class NewEvent(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "event_type": "arrested",
                    "occurred_at": "2026-03-04T14:30:00Z",
                    "internal_note": "Arrested at home address; interview pending.",
                    "publish": True,
                }
            ]
        },
    )

    event_type: EventTypeKey
    occurred_at: datetime = Field(description="When it happened (ISO 8601 with zone).")
    victim_text: Text4000 | None = Field(
        None,
        description="What the victim will read. Omitted: the force's wording for "
        "this event type (required for free_update).",
    )
    victim_text_cy: Text4000 | None = None
    details: Text2000 | None = Field(
        None, description="Bail conditions, hearing date, time and place (shown to victims)."
    )
    internal_note: Text4000 | None = Field(
        None, description="Kept for officers; never shown to victims or returned by the API."
    )
    publish: bool = Field(
        False, description="Tell the victims now (meets the duties this update fulfils)."
    )


class DutyOut(BaseModel):
    duty: str
    label: str
    due_on: date
    status: Literal["due", "due_today", "overdue", "met_on_time", "met_late"]
    met_at: datetime | None
    ruleset: str


class EventOut(BaseModel):
    model_config = _examples(
        {
            "id": "0b9f3c4e-1d2a-4c5b-8e6f-7a8b9c0d1e2f",
            "event_type": "arrested",
            "occurred_at": "2026-03-04T14:30:00Z",
            "posted_at": "2026-03-04T14:35:10Z",
            "published_at": "2026-03-04T14:35:10Z",
            "duties_created": [
                {"duty": "inform-arrest", "label": "Tell the victim about the arrest",
                 "due_on": "2026-03-05", "status": "met_on_time",
                 "met_at": "2026-03-04T14:35:10Z", "ruleset": "ew-2021"}
            ],
        }
    )  # fmt: skip

    id: uuid.UUID
    event_type: str
    occurred_at: datetime
    posted_at: datetime
    published_at: datetime | None
    duties_created: list[DutyOut]


class DutyList(BaseModel):
    model_config = _examples(
        {"duties": [{"duty": "update-cadence", "label": "Regular update at the agreed frequency",
                     "due_on": "2026-03-30", "status": "due", "met_at": None,
                     "ruleset": "ew-2021"}]}
    )  # fmt: skip

    duties: list[DutyOut]
