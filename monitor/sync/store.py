"""Storing what a connector fetched: one page per transaction, with bulk statements.

One query finds the page's dossiers already stored; a snapshot identical to the stored one (same hash)
writes nothing; new dossiers are inserted, changed ones updated, and only changed ones get their nested
lists replaced and a status observation when their status moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
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


def _row(r: DossierRecord, connector: str, digest: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "connector": connector,
        "procedure_code": r.procedure_code,
        "procedure_name": r.procedure_name,
        "unit_code": r.unit_code,
        "unit_name": r.unit_name,
        "channel": r.channel,
        "status": r.status,
        "submitted_at": r.submitted_at,
        "received_at": r.received_at,
        "appointed_at": r.appointed_at,
        "finished_at": r.finished_at,
        "returned_at": r.returned_at,
        "source_updated_at": r.updated_at,
        "snapshot_hash": digest,
        "changed_at": now,
    }


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
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    observations: list[dict[str, Any]] = []
    nested_for: dict[str, DossierRecord] = {}
    for code, record in latest.items():
        old = stored.get(code)
        if old is not None and old.source_updated_at > record.updated_at:
            counts.unchanged += 1  # an older snapshot (an old export, say) never overwrites a newer one
            continue
        digest = fingerprint(record)
        if old is None:
            row = _row(record, connector, digest, now)
            row.update(code=code, first_appointed_at=record.appointed_at, first_seen_at=now)
            new_rows.append(row)
            nested_for[code] = record
        elif old.snapshot_hash != digest:
            row = _row(record, connector, digest, now)
            row.update(b_id=old.id, first_appointed_at=old.first_appointed_at or record.appointed_at)
            changed.append(row)
            nested_for[code] = record
            if old.status != record.status:
                observations.append(_observation(old.id, record, now, run_id))
        else:
            counts.unchanged += 1
    ids = {code: old.id for code, old in stored.items()}
    if new_rows:
        for made in session.execute(insert(D).returning(D.c.id, D.c.code), new_rows):
            ids[made.code] = made.id
            observations.append(_observation(made.id, latest[made.code], now, run_id))
    if changed:
        session.execute(update(D).where(D.c.id == bindparam("b_id")), changed)
        changed_ids = [row["b_id"] for row in changed]
        for table in NESTED:
            session.execute(delete(table).where(table.c.dossier_id.in_(changed_ids)))
    _insert_nested(session, {ids[code]: record for code, record in nested_for.items()})
    if observations:
        session.execute(insert(_table(StatusObservation)), observations)
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


def _observation(dossier_id: int, r: DossierRecord, now: dt.datetime, run_id: int | None) -> dict[str, Any]:
    return {
        "dossier_id": dossier_id,
        "status": r.status,
        "observed_at": now,
        "source_updated_at": r.updated_at,
        "sync_run_id": run_id,
    }


def _insert_nested(session: Session, records: dict[int, DossierRecord]) -> None:
    supplements: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    apologies: list[dict[str, Any]] = []
    feedback: list[dict[str, Any]] = []
    for dossier_id, r in records.items():
        for seq, s in enumerate(r.supplements, 1):
            supplements.append({"dossier_id": dossier_id, "seq": seq, "requested_at": s.requested_at,
                                "completed_at": s.completed_at, "content": s.content,
                                "requested_by": s.requested_by})  # fmt: skip
        for st in r.steps:
            steps.append({"dossier_id": dossier_id, "seq": st.seq, "unit_code": st.unit_code,
                          "unit_name": st.unit_name, "handler": st.handler, "started_at": st.started_at,
                          "due_at": st.due_at, "handed_over_at": st.handed_over_at,
                          "content": st.content})  # fmt: skip
        for seq, a in enumerate(r.apologies, 1):
            apologies.append({"dossier_id": dossier_id, "seq": seq, "issued_at": a.issued_at,
                              "new_due_at": a.new_due_at, "reason": a.reason})  # fmt: skip
        if r.rating is not None or r.complaint is not None:
            feedback.append({"dossier_id": dossier_id, "rating": r.rating, "complaint": bool(r.complaint)})
    for table, rows in zip(NESTED, (supplements, steps, apologies, feedback), strict=True):
        if rows:
            session.execute(insert(table), rows)


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
