"""The measures of domain.md §6 for any set of units and any period: pure (no database, no Flask).

Public API (the web overview and the monthly report rely on it):

- `period_figures(frames, calendar, rules, start, end, *, units=None) -> PeriodFigures`: one FIGURES dict
  per unit (every unit listed appears, even with an empty scope) and a total. FIGURES has exactly the keys
  `FIGURE_KEYS`: `unit_code, unit_name, in_scope, undetermined, on_time, early, on_day, late,
  on_time_rate, progress_points, dissatisfied, satisfaction_proxy, risk_band`. Rates are fractions 0..1,
  None for an empty scope; `risk_band` is "low" | "medium" | "high" | None; the total's `unit_code` and
  `unit_name` are None. `units` is a sequence of (code, name); without it, the units found in the frames.
  With `units`, dossiers of other units are left out of the total too.
- `classify_period(frames, calendar, rules, start, end) -> DataFrame`: the verdict per dossier behind the
  figures (`id`, `unit_code`, `in_scope`, `undetermined`, `on_time`, `early`, `on_day`, `late`,
  `dissatisfied`, `judged_end`, `effective_due`), e.g. for a list of the month's late dossiers.
- `month_bounds("2026-02") -> (date(2026, 2, 1), date(2026, 2, 28))`.
- `monthly_trend(frames, calendar, rules, months, *, units=None) -> list[PeriodFigures]`, in the order given.

The state at the end of the period is reconstructed (a supplement request made after it did not exist,
one completed after it was still pending, a dossier ended after it was still open), so a past month's
figures stay the same whenever they are rebuilt.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from monitor.calendar import WorkCalendar
from monitor.config import RulesSettings
from monitor.frames import Frames
from monitor.judge import (
    ENDED_STATUSES,
    NAT,
    OPEN_STATUSES,
    base_due,
    effective_due,
    end_time,
    supplement_summary,
)

FIGURE_KEYS: Final = (
    "unit_code",
    "unit_name",
    "in_scope",
    "undetermined",
    "on_time",
    "early",
    "on_day",
    "late",
    "on_time_rate",
    "progress_points",
    "dissatisfied",
    "satisfaction_proxy",
    "risk_band",
)
COUNTS: Final = ("in_scope", "undetermined", "on_time", "early", "on_day", "late", "dissatisfied")
PROGRESS_POINTS: Final = 20  # 766 group "Tiến độ giải quyết"
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class PeriodFigures:
    label: str  # "2026-02" for a month, "2026-02-01..2026-02-15" otherwise
    start: dt.date
    end: dt.date
    units: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "units": self.units,
            "total": self.total,
        }


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month."""
    match = _MONTH.match(month.strip())
    if not match:
        raise ValueError(f"{month!r} is not a month written YYYY-MM, such as 2026-02")
    year, number = int(match[1]), int(match[2])
    return dt.date(year, number, 1), dt.date(year, number, month_calendar.monthrange(year, number)[1])


def classify_period(
    frames: Frames, calendar: WorkCalendar, rules: RulesSettings, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Each dossier's §6 verdict for the period [start 00:00:00, end 23:59:59]."""
    if end < start:
        raise ValueError(f"period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})")
    d = frames.dossiers
    p_start = np.datetime64(dt.datetime.combine(start, dt.time(0, 0)), "s")
    p_end = np.datetime64(dt.datetime.combine(end, dt.time(23, 59, 59)), "s")
    status = d["status"].to_numpy(dtype=np.int64)
    received = d["received_at"].to_numpy(dtype="datetime64[s]")
    ended_at = end_time(frames)
    ended = np.isin(status, ENDED_STATUSES) & ~np.isnat(ended_at)
    ended_before = ended & (ended_at < p_start)
    ended_within = ended & (ended_at <= p_end) & ~ended_before
    candidate = (
        np.isin(status, OPEN_STATUSES + ENDED_STATUSES)
        & ~np.isnat(received)
        & (received <= p_end)
        & ~ended_before
    )

    statutory = calendar.statutory_due(received, d["limit_value"].to_numpy(), d["limit_unit"].to_numpy())
    sup = supplement_summary(frames, until=p_end)
    due = effective_due(frames, calendar, rules, base_due(frames, statutory), sup)
    undetermined = candidate & np.isnat(due)
    in_scope = candidate & ~np.isnat(due)

    waiting_since = _only_request_pending_since(frames, sup.count, p_end)
    judged_end = np.where(ended_within, ended_at, np.where(~np.isnat(waiting_since), waiting_since, p_end))
    on_time = in_scope & (sup.count <= rules.max_supplement_requests) & (judged_end <= due)
    end_day, due_day = judged_end.astype("datetime64[D]"), due.astype("datetime64[D]")
    rating = d["rating"].to_numpy(dtype=np.float64)
    return pd.DataFrame(
        {
            "id": d["id"].to_numpy(),
            "unit_code": d["unit_code"].to_numpy(),
            "in_scope": in_scope,
            "undetermined": undetermined,
            "on_time": on_time,
            "early": on_time & (end_day < due_day),
            "on_day": on_time & (end_day == due_day),
            "late": in_scope & ~on_time,
            "dissatisfied": in_scope & ((rating == 3) | d["complaint"].to_numpy(dtype=bool)),
            "judged_end": np.where(in_scope, judged_end, NAT),
            "effective_due": np.where(in_scope, due, NAT),
        },
        index=d.index,
    )


def _only_request_pending_since(frames: Frames, count: np.ndarray, p_end: np.datetime64) -> np.ndarray:
    """Per dossier: the time of its only supplement request when, at the end of the period, that request
    was made but not yet completed; NaT otherwise."""
    s = frames.supplements
    out = np.full(len(frames.dossiers), NAT)
    if not len(s):
        return out
    requested = s["requested_at"].to_numpy(dtype="datetime64[s]")
    completed = s["completed_at"].to_numpy(dtype="datetime64[s]")
    pending = ~np.isnat(requested) & (requested <= p_end) & (np.isnat(completed) | (completed > p_end))
    pos = frames.positions(s["dossier_id"].to_numpy())[pending]
    only = count[pos] == 1
    out[pos[only]] = requested[pending][only]
    return out


def _figures(code: str | None, name: str | None, counts: dict[str, int]) -> dict[str, Any]:
    in_scope = counts["in_scope"]
    rate = counts["on_time"] / in_scope if in_scope else None
    # One division from integers: 0.9 stays 0.9 at the band's edge.
    proxy = max(0.0, (counts["on_time"] - counts["dissatisfied"]) / in_scope) if in_scope else None
    band = None if proxy is None else "low" if proxy >= 0.9 else "medium" if proxy >= 0.8 else "high"
    return {
        "unit_code": code,
        "unit_name": name,
        **{
            key: int(counts[key])
            for key in ("in_scope", "undetermined", "on_time", "early", "on_day", "late")
        },
        "on_time_rate": rate,
        "progress_points": None if rate is None else rate * PROGRESS_POINTS,
        "dissatisfied": int(counts["dissatisfied"]),
        "satisfaction_proxy": proxy,
        "risk_band": band,
    }


def _units_of(frames: Frames) -> list[tuple[str, str]]:
    d = frames.dossiers
    if not len(d):
        return []
    names = d.groupby("unit_code", sort=True)["unit_name"].agg(
        lambda s: next((v for v in reversed(s.tolist()) if isinstance(v, str) and v), "")
    )
    return [(str(code), str(name)) for code, name in names.items()]


def period_figures(
    frames: Frames,
    calendar: WorkCalendar,
    rules: RulesSettings,
    start: dt.date,
    end: dt.date,
    *,
    units: Sequence[tuple[str, str]] | None = None,
) -> PeriodFigures:
    """§6 figures per unit and in total for the period [start, end] (both days included)."""
    verdicts = classify_period(frames, calendar, rules, start, end)
    listed = list(units) if units is not None else _units_of(frames)
    codes = [code for code, _ in listed]
    if units is not None:
        verdicts = verdicts[verdicts["unit_code"].isin(codes)]
    sums = verdicts.groupby("unit_code")[list(COUNTS)].sum().reindex(codes, fill_value=0)
    table = {str(code): row for code, row in zip(sums.index, sums.to_numpy(dtype=np.int64), strict=True)}
    per_unit = [
        _figures(code, name, dict(zip(COUNTS, map(int, table[code]), strict=True))) for code, name in listed
    ]
    total = _figures(None, None, {k: int(verdicts[k].sum()) for k in COUNTS})
    label = f"{start:%Y-%m}" if (start, end) == month_bounds(f"{start:%Y-%m}") else f"{start}..{end}"
    return PeriodFigures(label=label, start=start, end=end, units=per_unit, total=total)


def monthly_trend(
    frames: Frames,
    calendar: WorkCalendar,
    rules: RulesSettings,
    months: Sequence[str],
    *,
    units: Sequence[tuple[str, str]] | None = None,
) -> list[PeriodFigures]:
    """`period_figures` for each "YYYY-MM" month, in the order given."""
    return [period_figures(frames, calendar, rules, *month_bounds(m), units=units) for m in months]
