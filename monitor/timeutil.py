"""Instants in and out: ISO 8601 on the command line and in JSON, dd/mm/yyyy for people."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from monitor.calendar import LOCAL_TZ


def parse_instant(text: str) -> dt.datetime:
    """ISO 8601; a time without an offset is Asia/Ho_Chi_Minh local time. Raises ValueError naming it."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 time such as 2026-02-13T16:00 or 2026-02-13") from None
    return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in local time with its +07:00 offset, seconds included."""
    if value is None:
        return None
    return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_TZ)


def fmt_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy, or an em dash for nothing."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in local time, or an em dash."""
    return "—" if value is None else local(value).strftime("%d/%m/%Y %H:%M")


def to_local_array(values: pd.Series) -> np.ndarray:
    """A column of aware (or UTC-naive) instants as naive local datetime64[s], the calendar's currency."""
    series = pd.to_datetime(values, utc=True)
    return series.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).to_numpy(dtype="datetime64[s]")


def from_local_array(values: np.ndarray) -> pd.Series:
    """Naive local datetime64 back to aware UTC instants (NaT kept)."""
    return pd.Series(values.astype("datetime64[ns]")).dt.tz_localize(LOCAL_TZ).dt.tz_convert(dt.UTC)
