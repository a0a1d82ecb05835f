"""Per-request plumbing shared by the blueprints: the settings, a database session, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import current_app, g
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.db import utcnow


def ext() -> dict[str, Any]:
    data: dict[str, Any] = current_app.extensions["monitor"]
    return data


def settings() -> Settings:
    value: Settings = ext()["settings"]
    return value


def db() -> Session:
    """One session per request, closed at teardown; handlers commit what they change."""
    if "db" not in g:
        g.db = ext()["sessions"]()
    session: Session = g.db
    return session


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def now() -> dt.datetime:
    """The current instant; tests inject a clock with create_app(..., {"MONITOR_CLOCK": fn})."""
    clock: Callable[[], dt.datetime] = current_app.config.get("MONITOR_CLOCK") or utcnow
    return clock()
