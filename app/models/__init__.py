"""Product models. Tenant-schema models sit under the placeholder schema (tenants.binding)."""

from app.models.accounts import PasswordReset
from app.models.admin import BrandAsset, SubjectAccessExport
from app.models.api import ApiClient, IdempotencyKey
from app.models.audit import AuditEvent, PlatformAuditEvent
from app.models.cases import (
    Case,
    CaseEvent,
    Duty,
    Message,
    OffenceCategory,
    PropertyItem,
    UpdateTemplate,
)
from app.models.central import (
    ApplicationLink,
    CentralSignedInSession,
    ForceAdminGrant,
    ForceApplication,
    Operator,
)
from app.models.outbox import CentralOutboxMessage, OutboxMessage
from app.models.people import CaseVictim, Invite, Officer, SignedInSession, Victim
from app.models.rights import (
    Complaint,
    Feedback,
    FeedbackPrompt,
    PersonalStatementRequest,
    Representative,
    ReviewRequest,
)
from app.models.support import SupportService

__all__ = [
    "ApiClient",
    "ApplicationLink",
    "AuditEvent",
    "BrandAsset",
    "Case",
    "CaseEvent",
    "CaseVictim",
    "CentralOutboxMessage",
    "CentralSignedInSession",
    "Complaint",
    "Duty",
    "Feedback",
    "FeedbackPrompt",
    "ForceAdminGrant",
    "ForceApplication",
    "IdempotencyKey",
    "Invite",
    "Message",
    "OffenceCategory",
    "Officer",
    "Operator",
    "OutboxMessage",
    "PasswordReset",
    "PersonalStatementRequest",
    "PlatformAuditEvent",
    "PropertyItem",
    "Representative",
    "ReviewRequest",
    "SignedInSession",
    "SubjectAccessExport",
    "SupportService",
    "UpdateTemplate",
    "Victim",
]
