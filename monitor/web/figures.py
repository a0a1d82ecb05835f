"""The overview's figures per unit: active violations by rule and due-soon dossiers (SQL aggregates),
this month's on-time rate and 766 progress points, and the on-time trend of recent months.

Everything is computed for all units at once and cached for `[web].overview_cache_seconds`, so the page
costs one dictionary look-up per request and at most one computation per worker per interval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_TZ, WorkCalendar
from monitor.config import Settings
from monitor.frames import Frames, load_frames
from monitor.indicators import month_bounds, monthly_trend
from monitor.judge import ENDED_STATUSES
from monitor.models import Dossier, Judgement, Unit, Violation
from monitor.web.labels import ACTIVE_STATUSES

TREND_MONTHS = 6


@dataclass
class UnitFigures:
    open_by_rule: dict[str, int] = field(default_factory=dict)
    due_soon: int = 0
    on_time_rate: float | None = None
    progress_points: float | None = None
    in_scope: int = 0
    trend: list[tuple[str, float | None]] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(self.open_by_rule.values())


def counts(session: Session) -> dict[str, UnitFigures]:
    out: dict[str, UnitFigures] = {}
    rows = session.execute(
        select(Violation.unit_code, Violation.rule, func.count())
        .where(Violation.status.in_(ACTIVE_STATUSES))
        .group_by(Violation.unit_code, Violation.rule)
    )
    for unit_code, rule, n in rows:
        out.setdefault(unit_code, UnitFigures()).open_by_rule[rule] = int(n)
    soon = session.execute(
        select(Dossier.unit_code, func.count())
        .join(Judgement, Judgement.dossier_id == Dossier.id)
        .where(Judgement.due_soon.is_(True), Dossier.status.in_((2, 4, 5, 6)))
        .group_by(Dossier.unit_code)
    )
    for unit_code, n in soon:
        out.setdefault(unit_code, UnitFigures()).due_soon = int(n)
    return out


def recent_months(now: dt.datetime, count: int = TREND_MONTHS) -> list[str]:
    """The last `count` months, oldest first, ending with the current local month."""
    today = now.astimezone(LOCAL_TZ).date()
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def frames_for(session: Session, start: dt.date, end: dt.date) -> Frames:
    """Only the dossiers a period [start, end] can count: received by its end and not ended before its
    start (the end time is NgayKetThucXuLy, else NgayTra, else NgayCapNhat, domain.md §4)."""
    first = dt.datetime.combine(start, dt.time(0), LOCAL_TZ)
    last = dt.datetime.combine(end, dt.time(23, 59, 59), LOCAL_TZ)
    ended = func.coalesce(Dossier.finished_at, Dossier.returned_at, Dossier.source_updated_at)
    still_relevant = or_(Dossier.status.not_in(ENDED_STATUSES), ended >= first.astimezone(dt.UTC))
    return load_frames(session, received_until=last, where=still_relevant)


def work_calendar(settings: Settings) -> WorkCalendar:
    cal = settings.calendar
    return WorkCalendar(cal.office_hours, cal.extra_holidays, cal.extra_workdays)


def indicators(
    session: Session, settings: Settings, now: dt.datetime, figures: dict[str, UnitFigures]
) -> None:
    """Fill this month's rate and points and the recent months' trend from the 766 indicators."""
    months = recent_months(now)
    start, _ = month_bounds(months[0])
    _, end = month_bounds(months[-1])
    frames = frames_for(session, start, end)
    codes = [(u.code, u.name) for u in session.scalars(select(Unit).order_by(Unit.code))]
    trend = monthly_trend(frames, work_calendar(settings), settings.rules, months, units=codes)
    for period in trend:
        for row in period.units:
            unit = figures.setdefault(row["unit_code"], UnitFigures())
            unit.trend.append((period.label, row["on_time_rate"]))
    for row in trend[-1].units:
        unit = figures[row["unit_code"]]
        unit.on_time_rate = row["on_time_rate"]
        unit.progress_points = row["progress_points"]
        unit.in_scope = row["in_scope"]


def compute(session: Session, settings: Settings, now: dt.datetime) -> dict[str, Any]:
    figures = counts(session)
    indicators(session, settings, now, figures)
    return {"units": figures, "computed_at": now}
