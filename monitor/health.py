"""Connector health: the age of each connector's last successful sync, and whether it is stale.

Shared by `/healthz`, the overview banner, the sync page and the office's down/up alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from monitor.config import Settings
from monitor.models import SyncRun
from monitor.timeutil import iso

STALE_INTERVALS = 3


def connector_health(settings: Settings, session: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """Age of the last successful sync per connector; stale when older than three intervals, or when
    runs have been failing for that long without one success."""
    rows = []
    for connector in settings.connectors:
        last_ok = session.scalar(
            select(func.max(SyncRun.finished_at)).where(
                SyncRun.connector == connector.name, SyncRun.status == "success"
            )
        )
        first_try = session.scalar(
            select(func.min(SyncRun.started_at)).where(SyncRun.connector == connector.name)
        )
        limit = dt.timedelta(minutes=connector.interval_minutes * STALE_INTERVALS)
        reference = last_ok or first_try
        age = (now - reference).total_seconds() if reference else None
        rows.append(
            {
                "connector": connector.name,
                "last_success": iso(last_ok),
                "age_seconds": None if last_ok is None else round(age or 0),
                "stale": reference is not None and now - reference > limit,
            }
        )
    return rows
