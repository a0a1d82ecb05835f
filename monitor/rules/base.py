"""What every rule shares: its input (`Context`), its output frame and the formatting of details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from monitor.calendar import WorkCalendar
from monitor.config import RulesSettings
from monitor.frames import Frames, local_instant

FINDING_COLUMNS: Final = ["dossier_id", "rule", "step", "unit_code", "details"]


@dataclass(frozen=True)
class Context:
    frames: Frames
    judged: pd.DataFrame  # monitor.judge.judge(frames, calendar, rules, now)
    calendar: WorkCalendar
    rules: RulesSettings
    now: dt.datetime

    @property
    def now64(self) -> np.datetime64:
        return local_instant(self.now)


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})


def findings(
    rule: str,
    dossier_ids: npt.ArrayLike,
    unit_codes: npt.ArrayLike,
    details: list[dict[str, Any]],
    steps: npt.ArrayLike | None = None,
) -> pd.DataFrame:
    ids = np.asarray(dossier_ids, dtype=np.int64)
    return pd.DataFrame(
        {
            "dossier_id": ids,
            "rule": rule,
            "step": np.zeros(len(ids), dtype=np.int64)
            if steps is None
            else np.asarray(steps, dtype=np.int64),
            "unit_code": np.asarray(unit_codes, dtype=object),
            "details": details,
        }
    )


def iso_list(values: npt.NDArray[np.datetime64]) -> list[str | None]:
    """Naive local instants as ISO 8601 with +07:00 (None for NaT), for JSON details."""
    text = np.datetime_as_string(np.asarray(values, dtype="datetime64[s]"), unit="s")
    return [None if t == "NaT" else f"{t}+07:00" for t in text.tolist()]


def date_list(values: npt.NDArray[np.datetime64]) -> list[str | None]:
    text = np.datetime_as_string(np.asarray(values, dtype="datetime64[D]"), unit="D")
    return [None if t == "NaT" else str(t) for t in text.tolist()]


def hours_list(seconds: npt.NDArray[np.int64] | npt.NDArray[np.float64]) -> list[float]:
    return [round(float(s) / 3600, 2) for s in np.asarray(seconds).tolist()]


def days_list(
    seconds: npt.NDArray[np.int64] | npt.NDArray[np.float64], calendar: WorkCalendar
) -> list[float]:
    return [round(float(s) / calendar.day_seconds, 2) for s in np.asarray(seconds).tolist()]
