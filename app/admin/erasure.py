"""Erasing a case or a victim completely: every row of every force table that points at
it, found from the models' own foreign keys, so a table added later is erased too.

Some tables name a case or a person without a foreign key (the outbox keeps a case id,
a sign-in keeps its user's id, a remembered API answer may carry ids in its body):
those are listed here by name. The audit trail is never touched: its rows name records
by id only, and the database refuses the application any change to them anyway.
Nothing here commits; the caller's transaction (a job's) does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence

from sqlalchemy import Column, ColumnElement, Table, Text, and_, cast, delete, or_, select

from tenants.binding import db, tenant_tables

KEPT = frozenset({"audit_event"})  # the s.62 log: erasure is logged in it, never from it
_MAX_DEPTH = 8


def _tables() -> dict[str, Table]:
    return {table.name: table for table in tenant_tables() if table.name not in KEPT}


def _children(target: Table) -> Iterator[tuple[Table, Column[object], Column[object]]]:
    """(table, its column, target's column) for every foreign key into target.

    A table's keys into itself (a reply to a message) are left out: those rows go in the
    same statement as the rows they point at, and PostgreSQL checks the key at its end.
    """
    for table in _tables().values():
        if table is target:
            continue
        for key in table.foreign_keys:
            if key.column.table is target:
                yield table, key.parent, key.column


def erase_where(target: Table, where: ColumnElement[bool], depth: int = 0) -> None:
    """Delete target's rows matching where, and first everything that points at them."""
    if depth > _MAX_DEPTH:
        raise RuntimeError(f"foreign keys into {target.name} nest deeper than {_MAX_DEPTH}")
    for child, column, referenced in _children(target):
        erase_where(child, column.in_(select(referenced).where(where)), depth + 1)
    db.session.execute(delete(target).where(where))


def _loose(kind: str, ids: Sequence[uuid.UUID]) -> Iterator[tuple[Table, ColumnElement[bool]]]:
    """Rows that name a case or victim without a foreign key."""
    tables = _tables()
    for table in tables.values():
        column = table.c.get(f"{kind}_id")
        if column is not None and not column.foreign_keys:
            yield table, column.in_(ids)
    if kind == "victim":
        outbox, signed_in = tables["outbox_message"], tables["signed_in_session"]
        yield outbox, and_(outbox.c.recipient_kind == "victim", outbox.c.recipient_id.in_(ids))
        yield signed_in, and_(signed_in.c.user_kind == "victim", signed_in.c.user_id.in_(ids))
    remembered = tables.get("idempotency_key")
    if remembered is not None:  # a records-system answer may carry the ids in its body
        body = cast(remembered.c.response_body, Text)
        mentions = [body.contains(str(i)) for i in ids]
        mentions += [remembered.c.response_location.contains(str(i)) for i in ids]
        yield remembered, or_(*mentions)


def erase(kind: str, ids: Sequence[uuid.UUID]) -> None:
    """Erase the cases or victims (kind "case" or "victim") with these ids, completely."""
    if not ids:
        return
    for table, where in _loose(kind, ids):
        erase_where(table, where)
    target = _tables()[kind]
    erase_where(target, target.c.id.in_(ids))
    db.session.expire_all()
