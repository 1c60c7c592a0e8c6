"""Audit tags for changes to cases, whoever makes them (officer pages, the API, jobs)."""

from __future__ import annotations

from tenants.audit import ForceTag


class CaseworkTag(ForceTag):
    CASE_CREATED = "case:created"
    CASE_CHANGED = "case:changed"
    CASE_REASSIGNED = "case:reassigned"
    CASE_CLOSED = "case:closed"
    VICTIM_ADDED = "victim:added"
    VICTIM_CHANGED = "victim:changed"
    INVITE_SENT = "invite:sent"
    INVITE_REVOKED = "invite:revoked"
    EVENT_POSTED = "event:posted"
    EVENT_PUBLISHED = "event:published"
    MESSAGE_SENT = "message:sent"
    PROPERTY_CHANGED = "property:changed"
