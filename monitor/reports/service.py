"""Build a month's report from the database and store it as a `ReportRun` (figures, XLSX and PDF).

Every generation is a new row, so there is a record of who asked when; the newest successful run is the
current report, and generating again drops the files of the older runs (their figures stay, as a record).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, not_, select, update
from sqlalchemy.orm import Session, defer, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from monitor.calendar import LOCAL_TZ, WorkCalendar
from monitor.config import Settings
from monitor.frames import load_frames
from monitor.indicators import month_bounds
from monitor.judge import ENDED_STATUSES
from monitor.models import Dossier, ReportRun, Unit, Violation
from monitor.reports.figures import TREND_MONTHS, ViolationCounts, build_report, shift_month
from monitor.reports.labels import RULE_LABELS
from monitor.reports.pdf import render_pdf
from monitor.reports.xlsx import render_xlsx

TRIGGERS = ("schedule", "manual", "command")
NEVER_RECEIVED = (1, 3)
Progress = Callable[[str], None]


class ReportError(Exception):
    """The report could not be built; the message says which month and why, and the run is marked failed."""


def month_instants(month: str) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and last second as aware local instants."""
    first, last = month_bounds(month)
    return (
        dt.datetime.combine(first, dt.time(0, 0), tzinfo=LOCAL_TZ),
        dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=LOCAL_TZ),
    )


def violation_counts(session: Session, month: str) -> ViolationCounts:
    """Violations per unit and rule whose detection time falls in the month, whatever their status now
    (an explained or resolved violation still happened). Warnings such as `due_soon` are not counted."""
    start, end = month_instants(month)
    rows = session.execute(
        select(Violation.unit_code, Violation.rule, func.count())
        .where(
            Violation.detected_at >= start,
            Violation.detected_at <= end,
            Violation.rule.in_(list(RULE_LABELS)),
        )
        .group_by(Violation.unit_code, Violation.rule)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for unit_code, rule, count in rows:
        counts[unit_code][rule] = int(count)
    return counts


def _may_count(month: str) -> ColumnElement[bool]:
    """Dossiers that can count in the report: received at the center (not status 1 or 3) and not ended
    before the trend's first month. Older history cannot change the figures, so it is not read."""
    d = Dossier.__table__.c
    window_start, _ = month_instants(shift_month(month, 1 - TREND_MONTHS))
    ended_before = and_(
        d.status.in_(ENDED_STATUSES),
        func.coalesce(d.finished_at, d.returned_at, d.source_updated_at) < window_start,
    )
    return and_(d.status.not_in(NEVER_RECEIVED), not_(ended_before))


def compute_report(
    session: Session, settings: Settings, calendar: WorkCalendar, month: str, progress: Progress | None = None
) -> dict[str, Any]:
    """The report's figures straight from the database (nothing stored)."""
    say = progress or (lambda _text: None)
    say("đang đọc hồ sơ")
    # Dossiers received after the month are read and left out by the §6 scope, rather than filtered in
    # SQL: "received_at <= end" matches nearly every row, and SQLite would walk its index row by row.
    frames = load_frames(session, where=_may_count(month))
    units = [(code, name) for code, name in session.execute(select(Unit.code, Unit.name).order_by(Unit.code))]
    say(f"đang tính chỉ số trên {len(frames):,} hồ sơ".replace(",", "."))
    return build_report(
        frames, calendar, settings.rules, month, units=units, violations=violation_counts(session, month)
    )


def generate(
    sessions: sessionmaker[Session],
    settings: Settings,
    calendar: WorkCalendar,
    month: str,
    *,
    now: dt.datetime,
    trigger: str,
    progress: Progress | None = None,
) -> ReportRun:
    """Build, render and store the month's report; the returned run is the current one. A failure is
    recorded on the run (status `failed`, the error) before `ReportError` is raised."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}; expected one of {', '.join(TRIGGERS)}")
    month_bounds(month)  # a malformed month fails here, before a run row exists
    say = progress or (lambda _text: None)
    with sessions.begin() as session:
        run = ReportRun(month=month, trigger=trigger, status="running", created_at=now)
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        with sessions() as session:
            report = compute_report(session, settings, calendar, month, say)
        say("đang tạo tệp Excel")
        xlsx = render_xlsx(report)
        say("đang tạo tệp PDF")
        pdf = render_pdf(report)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}"
        with sessions.begin() as session:
            session.execute(
                update(ReportRun)
                .where(ReportRun.id == run_id)
                .values(status="failed", error=message, finished_at=now)
            )
        raise ReportError(f"báo cáo tháng {month} không tạo được: {message}") from exc
    with sessions.begin() as session:
        session.execute(
            update(ReportRun)
            .where(ReportRun.month == month, ReportRun.id != run_id)
            .values(xlsx=None, pdf=None)
        )
        run = session.get_one(ReportRun, run_id)
        run.status, run.finished_at = "success", now
        run.figures, run.xlsx, run.pdf = report, xlsx, pdf
    return run


def current_run(session: Session, month: str) -> ReportRun | None:
    """The newest successful run of the month: the report people download."""
    return session.scalars(
        select(ReportRun)
        .where(ReportRun.month == month, ReportRun.status == "success")
        .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
        .limit(1)
    ).first()


def runs(session: Session, limit: int = 100) -> list[ReportRun]:
    """Recent runs, newest first, without loading their files."""
    return list(
        session.scalars(
            select(ReportRun)
            .options(defer(ReportRun.xlsx), defer(ReportRun.pdf), defer(ReportRun.figures))
            .order_by(ReportRun.created_at.desc(), ReportRun.id.desc())
            .limit(limit)
        )
    )
