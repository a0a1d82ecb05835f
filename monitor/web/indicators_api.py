"""`/api/v1/indicators`: a month's §6 figures per unit in the monthly report's JSON shape
(`{"month", "units": [FIGURES], "total": FIGURES}`), restricted to a unit head's own unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.indicators import month_bounds, period_figures
from monitor.models import Unit, User
from monitor.web.figures import frames_for, recent_months, work_calendar

# The working calendar covers 2000–2060; a month outside it has no figures to compute.
FIRST_YEAR, LAST_YEAR = 2000, 2059


def month_figures(
    session: Session, settings: Settings, now: dt.datetime, month: str | None, user: User
) -> dict[str, Any]:
    """Raises ValueError naming a malformed month."""
    chosen = month or recent_months(now, 1)[0]
    start, end = month_bounds(chosen)
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise ValueError(f"{chosen!r}: months from {FIRST_YEAR} to {LAST_YEAR} only")
    units = [(u.code, u.name) for u in session.scalars(select(Unit).order_by(Unit.code))]
    if user.role == "unit_head":
        units = [(code, name) for code, name in units if code == user.unit_code]
    figures = period_figures(
        frames_for(session, start, end), work_calendar(settings), settings.rules, start, end, units=units
    )
    return {"month": chosen, "units": figures.units, "total": figures.total}
