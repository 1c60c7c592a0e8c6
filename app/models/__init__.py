"""Product models. Tenant-schema models sit under the placeholder schema (tenants.binding)."""

from app.models.audit import AuditEvent, PlatformAuditEvent
from app.models.cases import Case
from app.models.support import SupportService

__all__ = ["AuditEvent", "Case", "PlatformAuditEvent", "SupportService"]
