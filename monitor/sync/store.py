"""Storing what a connector fetched: one page per transaction, with bulk statements.

One query finds the page's dossiers already stored; a snapshot identical to the stored one (same hash)
writes nothing; new dossiers are inserted, changed ones updated, and only changed ones get their nested
lists replaced and a status observation when their status moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from connectors.base import DossierRecord, ProcedureRecord, RejectedRecord, UnitRecord
from monitor.calendar import LimitUnit
from monitor.models import (
    Apology,
    Dossier,
    Feedback,
    ImportedFile,
    Procedure,
    ProcessingStep,
    StatusObservation,
    SupplementRequest,
    SyncCursor,
    Unit,
)
from monitor.models import (
    RejectedRecord as RejectedRow,
)
from monitor.sync.bulk import Bulk


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


D = _table(Dossier)
NESTED = tuple(_table(m) for m in (SupplementRequest, ProcessingStep, Apology, Feedback))


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def _ts(value: dt.datetime | None) -> float | None:
    return None if value is None else value.timestamp()


def fingerprint(r: DossierRecord) -> str:
    """The snapshot's hash, from the sanitized record (so the source's format and field order do not
    matter); instants as epoch seconds because repr of an aware datetime is slow."""
    parts = (
        r.code, r.procedure_code, r.procedure_name, r.unit_code, r.unit_name, r.channel, r.status,
        _ts(r.submitted_at), _ts(r.received_at), _ts(r.appointed_at), _ts(r.finished_at),
        _ts(r.returned_at), _ts(r.updated_at), r.rating, r.complaint,
        tuple((_ts(s.requested_at), _ts(s.completed_at), s.content, s.requested_by) for s in r.supplements),
        tuple(
            (s.seq, s.unit_code, s.unit_name, s.handler, _ts(s.started_at), _ts(s.due_at),
             _ts(s.handed_over_at), s.content)
            for s in r.steps
        ),
        tuple((_ts(a.issued_at), _ts(a.new_due_at), a.reason) for a in r.apologies),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


DOSSIER_COLUMNS = (
    "connector", "procedure_code", "procedure_name", "unit_code", "unit_name", "channel", "status",
    "submitted_at", "received_at", "appointed_at", "finished_at", "returned_at", "source_updated_at",
    "snapshot_hash", "changed_at", "first_appointed_at",
)  # fmt: skip


def _values(
    r: DossierRecord, connector: str, digest: str, now: Any, first_appointed: Any, at: Callable[..., Any]
) -> tuple[Any, ...]:
    """A dossier row in DOSSIER_COLUMNS order, instants already converted for the driver."""
    return (
        connector, r.procedure_code, r.procedure_name, r.unit_code, r.unit_name, r.channel, r.status,
        at(r.submitted_at), at(r.received_at), at(r.appointed_at), at(r.finished_at), at(r.returned_at),
        at(r.updated_at), digest, now, first_appointed,
    )  # fmt: skip


def store_dossiers(
    session: Session,
    connector: str,
    records: Sequence[DossierRecord],
    rejected: Sequence[RejectedRecord],
    now: dt.datetime,
    run_id: int | None,
) -> Counts:
    """Upsert one page of snapshots and keep its rejects; the caller owns the transaction."""
    counts = Counts(rejected=len(rejected))
    latest: dict[str, DossierRecord] = {}
    for record in records:  # a page may repeat a dossier: its last snapshot is the newest
        latest[record.code] = record
    counts.unchanged += len(records) - len(latest)
    stored = {
        row.code: row
        for row in session.execute(
            select(
                D.c.id, D.c.code, D.c.snapshot_hash, D.c.first_appointed_at, D.c.status, D.c.source_updated_at
            ).where(D.c.code.in_(list(latest)))
        )
    }
    bulk = Bulk(session)
    at = bulk.instant
    now_value = at(now)
    new_rows: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    changed_ids: list[int] = []
    observations: list[tuple[Any, ...]] = []
    nested_for: dict[str, DossierRecord] = {}
    for code, record in latest.items():
        old = stored.get(code)
        if old is not None and old.source_updated_at > record.updated_at:
            counts.unchanged += 1  # an older snapshot (an old export, say) never overwrites a newer one
            continue
        digest = fingerprint(record)
        if old is None:
            values = _values(record, connector, digest, now_value, at(record.appointed_at), at)
            new_rows.append((*values, code, now_value))
            nested_for[code] = record
        elif old.snapshot_hash != digest:
            first = at(old.first_appointed_at or record.appointed_at)
            changed.append((*_values(record, connector, digest, now_value, first, at), old.id))
            changed_ids.append(old.id)
            nested_for[code] = record
            if old.status != record.status:
                observations.append((old.id, record.status, now_value, at(record.updated_at), run_id))
        else:
            counts.unchanged += 1
    ids = {code: old.id for code, old in stored.items()}
    if new_rows:
        bulk.insert(D, (*DOSSIER_COLUMNS, "code", "first_seen_at"), new_rows)
        fresh = [row[-2] for row in new_rows]
        for code, dossier_id in session.execute(select(D.c.code, D.c.id).where(D.c.code.in_(fresh))):
            ids[code] = dossier_id
            record = latest[code]
            observations.append((dossier_id, record.status, now_value, at(record.updated_at), run_id))
    if changed:
        bulk.update(D, DOSSIER_COLUMNS, "id", changed)
        for table in NESTED:
            session.execute(delete(table).where(table.c.dossier_id.in_(changed_ids)))
    _insert_nested(bulk, {ids[code]: record for code, record in nested_for.items()})
    bulk.insert(
        _table(StatusObservation),
        ("dossier_id", "status", "observed_at", "source_updated_at", "sync_run_id"),
        observations,
    )
    if rejected:
        session.execute(
            insert(_table(RejectedRow)),
            [
                {"sync_run_id": run_id, "connector": connector, "record_key": r.key, "reason": r.reason,
                 "payload": r.payload, "rejected_at": now}
                for r in rejected
            ],
        )  # fmt: skip
    counts.inserted, counts.updated = len(new_rows), len(changed)
    _ensure_catalog(session, nested_for.values(), now)
    return counts


def _insert_nested(bulk: Bulk, records: dict[int, DossierRecord]) -> None:
    at = bulk.instant
    supplements: list[tuple[Any, ...]] = []
    steps: list[tuple[Any, ...]] = []
    apologies: list[tuple[Any, ...]] = []
    feedback: list[tuple[Any, ...]] = []
    for dossier_id, r in records.items():
        for seq, s in enumerate(r.supplements, 1):
            supplements.append(
                (dossier_id, seq, at(s.requested_at), at(s.completed_at), s.content, s.requested_by)
            )
        for st in r.steps:
            steps.append((dossier_id, st.seq, st.unit_code, st.unit_name, st.handler, at(st.started_at),
                          at(st.due_at), at(st.handed_over_at), st.content))  # fmt: skip
        for seq, a in enumerate(r.apologies, 1):
            apologies.append((dossier_id, seq, at(a.issued_at), at(a.new_due_at), a.reason))
        if r.rating is not None or r.complaint is not None:
            feedback.append((dossier_id, r.rating, bool(r.complaint)))
    supplement_t, step_t, apology_t, feedback_t = NESTED
    bulk.insert(supplement_t, ("dossier_id", "seq", "requested_at", "completed_at", "content",
                               "requested_by"), supplements)  # fmt: skip
    bulk.insert(step_t, ("dossier_id", "seq", "unit_code", "unit_name", "handler", "started_at", "due_at",
                         "handed_over_at", "content"), steps)  # fmt: skip
    bulk.insert(apology_t, ("dossier_id", "seq", "issued_at", "new_due_at", "reason"), apologies)
    bulk.insert(feedback_t, ("dossier_id", "rating", "complaint"), feedback)


def _ensure_catalog(session: Session, records: Iterable[DossierRecord], now: dt.datetime) -> None:
    """Units and procedures named by dossiers but not (yet) in the catalogue get a row, so a file
    import without `/donvi` still lists its units; the catalogue sync fills in the rest."""
    units: dict[str, str] = {}
    procedures: dict[str, str] = {}
    for r in records:
        units.setdefault(r.unit_code, r.unit_name or r.unit_code)
        for s in r.steps:
            if s.unit_code:
                units.setdefault(s.unit_code, s.unit_name or s.unit_code)
        if r.procedure_code:
            procedures.setdefault(r.procedure_code, r.procedure_name or r.procedure_code)
    for model, wanted in ((Unit, units), (Procedure, procedures)):
        table = _table(model)
        if not wanted:
            continue
        known = set(session.scalars(select(table.c.code).where(table.c.code.in_(list(wanted)))))
        missing = [{"code": c, "name": n, "updated_at": now} for c, n in wanted.items() if c not in known]
        if missing:
            session.execute(insert(table), missing)


def store_catalog(
    session: Session, units: Sequence[UnitRecord], procedures: Sequence[ProcedureRecord], now: dt.datetime
) -> None:
    """Insert or update the units and procedures the source lists."""
    unit_rows = {u.code: {"name": u.name, "parent_code": u.parent_code} for u in units}
    proc_rows = {p.code: _procedure_row(p) for p in procedures}
    for model, rows in ((Unit, unit_rows), (Procedure, proc_rows)):
        table = _table(model)
        columns = [table.c[k] for k in next(iter(rows.values()), {})]
        existing = {
            row[0]: tuple(row[1:])
            for row in session.execute(select(table.c.code, *columns).where(table.c.code.in_(list(rows))))
        }
        fresh = [{"code": c, **v, "updated_at": now} for c, v in rows.items() if c not in existing]
        moved = [
            {"b_code": c, **v, "updated_at": now}
            for c, v in rows.items()
            if c in existing and existing[c] != tuple(v.values())
        ]
        if fresh:
            session.execute(insert(table), fresh)
        if moved:
            session.execute(update(table).where(table.c.code == bindparam("b_code")), moved)


def _procedure_row(p: ProcedureRecord) -> dict[str, Any]:
    try:
        unit = int(LimitUnit.from_source(p.limit_unit)) if p.limit_unit else None
    except ValueError:
        unit = None
    return {
        "name": p.name,
        "field_code": p.field_code,
        "field_name": p.field_name,
        "limit_value": p.limit_value,
        "limit_unit": unit,
    }


def advance_cursor(session: Session, connector: str, until: dt.datetime | None, now: dt.datetime) -> None:
    """Move the connector's cursor forward to `until` (never back), inside the page's transaction."""
    if until is None:
        return
    cursor = session.get(SyncCursor, connector)
    if cursor is None:
        session.add(SyncCursor(connector=connector, updated_until=until, saved_at=now))
    elif until > cursor.updated_until:
        cursor.updated_until, cursor.saved_at = until, now


def imported_hashes(session: Session, connector: str) -> set[str]:
    return set(session.scalars(select(ImportedFile.sha256).where(ImportedFile.connector == connector)))
