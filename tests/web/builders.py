"""Builders for the web tests: units, dossiers, violations and users written straight to the database."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy.orm import Session

from monitor import users
from monitor.calendar import LOCAL_TZ
from monitor.models import (
    Dossier,
    Judgement,
    ProcessingStep,
    SupplementRequest,
    Unit,
    User,
    Violation,
    ViolationEvent,
)

PASSWORD = "mat-khau-rat-dai"


def local(text: str) -> dt.datetime:
    """An instant from local wall-clock text, e.g. "2026-03-02 09:00"."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def unit(session: Session, code: str, name: str) -> Unit:
    row = Unit(code=code, name=name)
    session.add(row)
    session.flush()
    return row


JUDGED = {c.name for c in Judgement.__table__.c} - {"dossier_id"}


def dossier(session: Session, code: str, unit_code: str, **fields: Any) -> Dossier:
    """A dossier as a sync and an evaluation leave it: `fields` may set its own columns and judged ones."""
    values: dict[str, Any] = {
        "connector": "center",
        "procedure_code": "1.000001",
        "procedure_name": "Cấp giấy phép thử nghiệm",
        "unit_name": unit_code,
        "status": 10,
        "received_at": local("2026-03-02 09:00"),
        "first_appointed_at": local("2026-03-09 09:00"),
        "finished_at": local("2026-03-11 15:00"),
        "source_updated_at": local("2026-03-11 15:00"),
        "snapshot_hash": code,
    }
    judged: dict[str, Any] = {
        "base_due_at": local("2026-03-09 09:00"),
        "effective_due_at": local("2026-03-09 09:00"),
        "end_at": local("2026-03-11 15:00"),
        "paused": False,
        "due_soon": False,
        "evaluated_at": local("2026-03-12 07:00"),
    }
    for name, value in fields.items():
        (judged if name in JUDGED else values)[name] = value
    row = Dossier(code=code, unit_code=unit_code, **values)
    row.judgement = Judgement(**judged)
    session.add(row)
    session.flush()
    return row


def step(
    session: Session, d: Dossier, seq: int, unit_code: str, start: str, due: str, handed: str | None
) -> None:
    session.add(
        ProcessingStep(
            dossier_id=d.id,
            seq=seq,
            unit_code=unit_code,
            unit_name=unit_code,
            started_at=local(start),
            due_at=local(due),
            handed_over_at=local(handed) if handed else None,
        )
    )


def supplement(session: Session, d: Dossier, seq: int, requested: str, completed: str | None) -> None:
    session.add(
        SupplementRequest(
            dossier_id=d.id,
            seq=seq,
            requested_at=local(requested),
            completed_at=local(completed) if completed else None,
        )
    )


def violation(
    session: Session,
    d: Dossier,
    rule: str,
    *,
    unit_code: str | None = None,
    status: str = "open",
    detected: str = "2026-03-10 07:00",
    step_no: int = 0,
) -> Violation:
    row = Violation(
        rule=rule,
        dossier_id=d.id,
        unit_code=unit_code or d.unit_code,
        step=step_no,
        status=status,
        detected_at=local(detected),
        details={"late_working_hours": 14.0},
    )
    session.add(row)
    session.flush()
    session.add(
        ViolationEvent(
            violation_id=row.id, at=row.detected_at, actor="system", action="opened", to_status="open"
        )
    )
    return row


@functools.cache
def _password_hash() -> str:
    # argon2 is slow on purpose; hashing the shared test password once keeps the suite quick.
    return users.hash_password(PASSWORD)


def user(session: Session, email: str, role: str, unit_code: str | None = None) -> User:
    row = User(
        email=email,
        name=email.split("@", maxsplit=1)[0],
        role=role,
        unit_code=unit_code,
        password_hash=_password_hash(),
        active=True,
        failed_logins=0,
    )
    session.add(row)
    session.flush()
    return row
