"""Builders for the rules, judge and indicators tests: dossiers written as short Python literals.

`case(...)` describes one dossier with local times as "YYYY-MM-DD HH:MM" strings; `frames_of(...)` turns
cases into `Frames` directly (pure tests); `store(session, ...)` writes them to the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_TZ, LimitUnit, WorkCalendar
from monitor.frames import DOSSIER_TIMES, Frames
from monitor.models import Apology, Dossier, Feedback, Procedure, ProcessingStep, SupplementRequest

CALENDAR = WorkCalendar()
# 2026-02-02 is a Monday; 16-20/02/2026 is Tết.


def at(text: str | None) -> dt.datetime | None:
    """A local time written "YYYY-MM-DD HH:MM[:SS]" as an aware datetime."""
    return None if text is None else dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def t64(text: str | None) -> np.datetime64:
    return np.datetime64("NaT", "s") if text is None else np.datetime64(dt.datetime.fromisoformat(text), "s")


@dataclass
class Case:
    id: int
    status: int = 4
    received: str | None = "2026-02-02 08:00"
    limit: tuple[float, LimitUnit] | None = (5, LimitUnit.WORKING_DAYS)
    appointed: str | None = None  # first NgayHenTra
    latest_appointed: str | None = None
    finished: str | None = None
    returned: str | None = None
    updated: str = "2026-02-02 08:00"
    unit: str = "U1"
    supplements: list[tuple[str | None, str | None]] = field(default_factory=list)
    steps: list[tuple[str | None, str | None, str | None]] = field(default_factory=list)  # unit, due, handed
    apologies: list[tuple[str | None, str | None]] = field(default_factory=list)  # issued, new due
    rating: int | None = None
    complaint: bool = False

    @property
    def code(self) -> str:
        return f"H48-{self.id:06d}"

    @property
    def procedure(self) -> str | None:
        return None if self.limit is None else f"P-{self.limit[0]:g}-{int(self.limit[1])}"


def case(id: int, **fields: Any) -> Case:
    return Case(id=id, **fields)


def frames_of(*cases: Case) -> Frames:
    dossiers = pd.DataFrame(
        {
            "id": [c.id for c in cases],
            "code": [c.code for c in cases],
            "unit_code": [c.unit for c in cases],
            "unit_name": [f"Phòng {c.unit}" for c in cases],
            "procedure_code": [c.procedure for c in cases],
            "status": [c.status for c in cases],
            "received_at": [t64(c.received) for c in cases],
            "first_appointed_at": [t64(c.appointed) for c in cases],
            "appointed_at": [t64(c.latest_appointed or c.appointed) for c in cases],
            "finished_at": [t64(c.finished) for c in cases],
            "returned_at": [t64(c.returned) for c in cases],
            "source_updated_at": [t64(c.updated) for c in cases],
            "changed_at": [t64(c.updated) for c in cases],
            "limit_value": [np.nan if c.limit is None else float(c.limit[0]) for c in cases],
            "limit_unit": [0 if c.limit is None else int(c.limit[1]) for c in cases],
            "rating": [np.nan if c.rating is None else float(c.rating) for c in cases],
            "complaint": [c.complaint for c in cases],
        }
    )
    for name in DOSSIER_TIMES:
        dossiers[name] = dossiers[name].astype("datetime64[s]")
    dossiers["id"] = dossiers["id"].astype(np.int64)
    dossiers["status"] = dossiers["status"].astype(np.int64)
    dossiers["limit_unit"] = dossiers["limit_unit"].astype(np.int64)
    dossiers = dossiers.sort_values("id", ignore_index=True)

    def child(rows: list[dict[str, Any]], columns: list[str], times: list[str]) -> pd.DataFrame:
        frame = pd.DataFrame(rows, columns=columns)
        for name in times:
            frame[name] = frame[name].astype("datetime64[s]")
        for name in ("dossier_id", "seq"):
            frame[name] = frame[name].astype(np.int64)
        return frame

    supplements = child(
        [
            {"dossier_id": c.id, "seq": i + 1, "requested_at": t64(r), "completed_at": t64(done)}
            for c in cases
            for i, (r, done) in enumerate(c.supplements)
        ],
        ["dossier_id", "seq", "requested_at", "completed_at"],
        ["requested_at", "completed_at"],
    )
    steps = child(
        [
            {
                "dossier_id": c.id,
                "seq": i + 1,
                "unit_code": unit,
                "unit_name": None,
                "started_at": t64(None),
                "due_at": t64(due),
                "handed_over_at": t64(handed),
            }
            for c in cases
            for i, (unit, due, handed) in enumerate(c.steps)
        ],
        ["dossier_id", "seq", "unit_code", "unit_name", "started_at", "due_at", "handed_over_at"],
        ["started_at", "due_at", "handed_over_at"],
    )
    apologies = child(
        [
            {"dossier_id": c.id, "seq": i + 1, "issued_at": t64(issued), "new_due_at": t64(new)}
            for c in cases
            for i, (issued, new) in enumerate(c.apologies)
        ],
        ["dossier_id", "seq", "issued_at", "new_due_at"],
        ["issued_at", "new_due_at"],
    )
    procedures = pd.DataFrame(columns=["code", "name", "limit_value", "limit_unit"])
    return Frames(dossiers, supplements, steps, apologies, procedures)


def store(session: Session, *cases: Case, changed: dt.datetime | None = None) -> None:
    """Write the cases (and their procedures) to the database."""
    known = {p for (p,) in session.query(Procedure.code).all()}
    for c in cases:
        if c.limit is not None and c.procedure not in known:
            session.add(
                Procedure(
                    code=c.procedure, name="Thủ tục", limit_value=c.limit[0], limit_unit=int(c.limit[1])
                )
            )
            known.add(c.procedure)
        d = Dossier(
            id=c.id,
            code=c.code,
            connector="center",
            procedure_code=c.procedure,
            unit_code=c.unit,
            unit_name=f"Phòng {c.unit}",
            status=c.status,
            received_at=at(c.received),
            first_appointed_at=at(c.appointed),
            appointed_at=at(c.latest_appointed or c.appointed),
            finished_at=at(c.finished),
            returned_at=at(c.returned),
            source_updated_at=at(c.updated),
            snapshot_hash="x" * 64,
            changed_at=changed or at(c.updated),
        )
        d.supplements = [
            SupplementRequest(seq=i + 1, requested_at=at(r), completed_at=at(done))
            for i, (r, done) in enumerate(c.supplements)
        ]
        d.steps = [
            ProcessingStep(seq=i + 1, unit_code=unit, due_at=at(due), handed_over_at=at(handed))
            for i, (unit, due, handed) in enumerate(c.steps)
        ]
        d.apologies = [
            Apology(seq=i + 1, issued_at=at(issued), new_due_at=at(new))
            for i, (issued, new) in enumerate(c.apologies)
        ]
        if c.rating is not None or c.complaint:
            d.feedback = Feedback(rating=c.rating, complaint=c.complaint)
        session.add(d)
