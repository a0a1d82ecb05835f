"""What a unit head must act on today: the digest's content, built from the last evaluation.

`load_digest` reads the database; `build_digest` is pure (rows in, a Digest out) so the rules of what
goes in, in which order and how much, are tested without a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from monitor.labels import RULE_LABELS
from monitor.models import Dossier, Judgement, ProcessingStep, Unit, Violation

OPEN_STATUSES = (2, 4, 5, 6)  # domain.md §2: received, in process, supplement, fees


@dataclass(frozen=True)
class DossierLine:
    code: str
    procedure: str
    due_at: dt.datetime | None
    holder: str  # who holds the current step: "handler (unit)", or "—"


@dataclass(frozen=True)
class ViolationLine:
    dossier_code: str
    rule: str
    label: str
    step: int
    detected_at: dt.datetime


@dataclass(frozen=True)
class Section:
    total: int
    lines: tuple[DossierLine, ...] | tuple[ViolationLine, ...]

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


@dataclass(frozen=True)
class Digest:
    unit_code: str
    unit_name: str
    day: dt.date
    since: dt.datetime
    due_soon: Section
    overdue: Section
    new_violations: Section
    link: str

    @property
    def empty(self) -> bool:
        return not (self.due_soon.total or self.overdue.total or self.new_violations.total)


def violations_link(public_url: str, unit_code: str) -> str:
    return f"{public_url.rstrip('/')}/violations?unit={quote(unit_code)}"


def build_digest(
    *,
    unit_code: str,
    unit_name: str,
    day: dt.date,
    since: dt.datetime,
    due_soon: Sequence[DossierLine],
    overdue: Sequence[DossierLine],
    new_violations: Sequence[ViolationLine],
    max_lines: int,
    public_url: str,
    totals: tuple[int, int, int] | None = None,
) -> Digest:
    """Order each section by urgency (earliest due first; newest violation first) and keep `max_lines`.

    `totals` (due soon, overdue, new violations) when the lines given are already a cut of more."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    counts = totals or (len(due_soon), len(overdue), len(new_violations))

    def by_due(lines: Sequence[DossierLine], total: int) -> Section:
        ordered = sorted(lines, key=lambda x: (x.due_at or far, x.code))
        return Section(max(total, len(ordered)), tuple(ordered[:max_lines]))

    newest = sorted(new_violations, key=lambda v: (-v.detected_at.timestamp(), v.dossier_code, v.rule))
    return Digest(
        unit_code=unit_code,
        unit_name=unit_name,
        day=day,
        since=since,
        due_soon=by_due(due_soon, counts[0]),
        overdue=by_due(overdue, counts[1]),
        new_violations=Section(max(counts[2], len(newest)), tuple(newest[:max_lines])),
        link=violations_link(public_url, unit_code),
    )


def _holders(session: Session, dossier_ids: list[int]) -> dict[int, str]:
    """The current step per dossier: the latest step (highest STT) not yet handed over."""
    if not dossier_ids:
        return {}
    step = ProcessingStep
    rows = session.execute(
        select(step.dossier_id, step.seq, step.handler, step.unit_name)
        .where(ProcessingStep.dossier_id.in_(dossier_ids), ProcessingStep.handed_over_at.is_(None))
        .order_by(ProcessingStep.dossier_id, ProcessingStep.seq)
    ).all()
    holders: dict[int, str] = {}
    for dossier_id, _seq, handler, unit_name in rows:  # ordered by STT: the last one wins
        parts = [p for p in (handler, f"({unit_name})" if unit_name else None) if p]
        holders[dossier_id] = " ".join(parts) or "—"
    return holders


def _dossier_lines(
    session: Session, where: Sequence[ColumnElement[bool]], limit: int
) -> tuple[int, list[DossierLine]]:
    """How many judged dossiers match, and the `limit` most urgent of them (the cut is done by the
    database)."""
    judged = Dossier.__table__.join(Judgement.__table__, Judgement.dossier_id == Dossier.id)
    total = session.scalar(select(func.count()).select_from(judged).where(*where)) or 0
    due = Judgement.effective_due_at
    rows = session.execute(
        select(Dossier.id, Dossier.code, Dossier.procedure_name, Dossier.procedure_code, due)
        .select_from(judged)
        .where(*where)
        .order_by(due.is_(None), due, Dossier.code)
        .limit(limit)
    ).all()
    holders = _holders(session, [r.id for r in rows])
    lines = [
        DossierLine(
            code=r.code,
            procedure=r.procedure_name or r.procedure_code or "—",
            due_at=r.effective_due_at,
            holder=holders.get(r.id, "—"),
        )
        for r in rows
    ]
    return total, lines


def load_digest(
    session: Session,
    *,
    unit_code: str,
    now: dt.datetime,
    since: dt.datetime,
    day: dt.date,
    max_lines: int,
    public_url: str,
) -> Digest:
    """The digest of one unit as of `now`, from the judged fields of the last evaluation."""
    unit_name = session.scalar(select(Unit.name).where(Unit.code == unit_code)) or unit_code
    in_unit = (Dossier.unit_code == unit_code, Dossier.status.in_(OPEN_STATUSES))
    soon_total, due_soon = _dossier_lines(session, (*in_unit, Judgement.due_soon.is_(True)), max_lines)
    overdue_total, overdue = _dossier_lines(
        session,
        (
            *in_unit,
            Judgement.paused.is_not(True),
            Judgement.effective_due_at.is_not(None),
            Judgement.effective_due_at < now,
        ),
        max_lines,
    )
    recent = (
        Violation.unit_code == unit_code,
        Violation.detected_at > since,  # (since, now]: the previous digest's evaluation had those at `since`
        Violation.detected_at <= now,
        Violation.rule.in_(RULE_LABELS),
    )
    violations_total = session.scalar(select(func.count()).select_from(Violation).where(*recent)) or 0
    violations = session.execute(
        select(Violation.rule, Violation.step, Violation.detected_at, Dossier.code)
        .join(Dossier, Dossier.id == Violation.dossier_id)
        .where(*recent)
        .order_by(Violation.detected_at.desc(), Dossier.code, Violation.rule)
        .limit(max_lines)
    ).all()
    return build_digest(
        unit_code=unit_code,
        unit_name=unit_name,
        day=day,
        since=since,
        due_soon=due_soon,
        overdue=overdue,
        new_violations=[
            ViolationLine(code, rule, RULE_LABELS[rule], step, detected)
            for rule, step, detected, code in violations
        ],
        max_lines=max_lines,
        public_url=public_url,
        totals=(soon_total, overdue_total, violations_total),
    )
