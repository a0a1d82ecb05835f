"""The monthly report's figures (domain.md §6), pure: frames, calendar and rules in, one JSON-ready dict out.

Built on `monitor.indicators` (the §6 verdicts are computed there, once): this module only adds what the
report needs around them: violation counts, open overdue dossiers at the month's end, the change against
the previous month, the six-month trend, the procedures with the most late dossiers and the appendix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from monitor.calendar import WorkCalendar
from monitor.config import RulesSettings
from monitor.frames import Frames
from monitor.indicators import classify_period, month_bounds, monthly_trend
from monitor.judge import end_time, supplement_summary
from monitor.reports.labels import RULE_LABELS, TOTAL_NAME

TREND_MONTHS: Final = 6
TOP_PROCEDURES: Final = 10
ViolationCounts = Mapping[str, Mapping[str, int]]  # unit code → rule code → violations detected


def shift_month(month: str, by: int) -> str:
    """'2026-01' shifted by -1 → '2025-12'."""
    first, _ = month_bounds(month)
    index = first.year * 12 + first.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def period_instants(month: str) -> tuple[np.datetime64, np.datetime64]:
    """The month's first and last second, naive local (the calendar's currency)."""
    first, last = month_bounds(month)
    return (
        np.datetime64(dt.datetime.combine(first, dt.time(0, 0)), "s"),
        np.datetime64(dt.datetime.combine(last, dt.time(23, 59, 59)), "s"),
    )


def report_units(frames: Frames, known: Sequence[tuple[str, str]], month: str) -> list[tuple[str, str]]:
    """Every unit of the catalogue, then any unit found only on dossiers received by the month's end, so
    nobody's dossiers vanish from the total because the unit list is stale."""
    listed = list(known)
    seen = {code for code, _ in listed}
    d = frames.dossiers
    if len(d):
        received = d["received_at"].to_numpy(dtype="datetime64[s]") <= period_instants(month)[1]
        extra = (
            d[received & ~d["unit_code"].isin(seen).to_numpy()]
            .groupby("unit_code", sort=True)["unit_name"]
            .last()
        )
        listed += [
            (str(code), str(name) if isinstance(name, str) and name else str(code))
            for code, name in extra.items()
        ]
    return listed


def _iso(values: np.ndarray) -> list[str | None]:
    text = np.datetime_as_string(values.astype("datetime64[s]"), unit="s")
    return [None if t == "NaT" else f"{t}+07:00" for t in text]


def _open_overdue_at_end(frames: Frames, verdicts: pd.DataFrame, month: str) -> pd.Series:
    """Per unit: in-scope dossiers still open at the month's last second, not waiting on a supplement
    request then, whose effective due had passed."""
    _, p_end = period_instants(month)
    ended = end_time(frames)
    ended_by_end = ~np.isnat(ended) & (ended <= p_end)
    pending = supplement_summary(frames, until=p_end).pending > 0
    due = verdicts["effective_due"].to_numpy(dtype="datetime64[s]")
    overdue = verdicts["in_scope"].to_numpy() & ~ended_by_end & ~pending & ~np.isnat(due) & (due < p_end)
    return pd.Series(overdue, index=verdicts.index).groupby(verdicts["unit_code"]).sum()


def _with_extras(
    figures: dict[str, Any], open_overdue: int, violations: Mapping[str, int] | None
) -> dict[str, Any]:
    counts = {rule: int((violations or {}).get(rule, 0)) for rule in RULE_LABELS}
    return {**figures, "open_overdue_at_end": int(open_overdue), "violations": counts}


def _change_row(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    def diff(key: str) -> float | None:
        a, b = now[key], before[key]
        return None if a is None or b is None else a - b

    return {
        "unit_code": now["unit_code"],
        "unit_name": now["unit_name"],
        "previous_in_scope": before["in_scope"],
        "in_scope": now["in_scope"],
        "previous_on_time_rate": before["on_time_rate"],
        "on_time_rate": now["on_time_rate"],
        "on_time_rate_change": diff("on_time_rate"),
        "previous_satisfaction_proxy": before["satisfaction_proxy"],
        "satisfaction_proxy": now["satisfaction_proxy"],
        "satisfaction_proxy_change": diff("satisfaction_proxy"),
        "previous_risk_band": before["risk_band"],
        "risk_band": now["risk_band"],
    }


def _procedures(frames: Frames, verdicts: pd.DataFrame) -> list[dict[str, Any]]:
    d = frames.dossiers
    scoped = pd.DataFrame(
        {
            "code": d["procedure_code"].fillna("").to_numpy(),
            "in_scope": verdicts["in_scope"],
            "late": verdicts["late"],
        }
    )[verdicts["in_scope"].to_numpy()]
    sums = scoped.groupby("code", sort=True)[["in_scope", "late"]].sum()
    sums = sums[sums["late"] > 0].sort_values("late", ascending=False, kind="stable").head(TOP_PROCEDURES)
    names = dict(zip(frames.procedures["code"], frames.procedures["name"], strict=True))
    counts = sums.to_numpy(dtype=np.int64)
    return [
        {
            "procedure_code": code or None,
            "procedure_name": names.get(code) or code or "(không rõ thủ tục)",
            "in_scope": int(in_scope),
            "late": int(late),
            "on_time_rate": (int(in_scope) - int(late)) / int(in_scope),
        }
        for code, (in_scope, late) in zip(sums.index, counts, strict=True)
    ]


def _late_dossiers(
    frames: Frames,
    verdicts: pd.DataFrame,
    calendar: WorkCalendar,
    month: str,
    units: Sequence[tuple[str, str]],
) -> list[dict[str, Any]]:
    """The month's late dossiers, by unit (in the report's unit order), the latest first."""
    late = verdicts["late"].to_numpy()
    if not late.any():
        return []
    _, p_end = period_instants(month)
    d = frames.dossiers[late]
    v = verdicts[late]
    due = v["effective_due"].to_numpy(dtype="datetime64[s]")
    judged = v["judged_end"].to_numpy(dtype="datetime64[s]")
    ended = end_time(frames)[late]
    seconds = calendar.working_seconds_between(due, judged)
    days = np.round(np.maximum(seconds, 0) / calendar.day_seconds, 1)
    ended_within = ~np.isnat(ended) & (ended <= p_end)
    reason = np.where(
        judged > due, np.where(ended_within, "after_due", "open_after_due"), "repeated_supplement"
    )
    order = {code: i for i, (code, _) in enumerate(units)}
    names = dict(units)
    procedures = dict(zip(frames.procedures["code"], frames.procedures["name"], strict=True))
    table = pd.DataFrame(
        {
            "code": d["code"].to_numpy(),
            "unit_code": d["unit_code"].to_numpy(),
            "procedure_code": d["procedure_code"].to_numpy(),
            "received_at": _iso(d["received_at"].to_numpy()),
            "effective_due_at": _iso(due),
            "judged_end_at": _iso(judged),
            "late_working_days": days,
            "reason": reason,
        }
    )
    table["rank"] = table["unit_code"].map(order).fillna(len(order))
    table = table.sort_values(
        ["rank", "late_working_days", "code"], ascending=[True, False, True], kind="stable"
    )
    table["unit_name"] = table["unit_code"].map(names)
    table["procedure_name"] = table["procedure_code"].map(procedures)
    columns = [
        "code",
        "unit_code",
        "unit_name",
        "procedure_code",
        "procedure_name",
        "received_at",
        "effective_due_at",
        "judged_end_at",
        "late_working_days",
        "reason",
    ]
    records: list[dict[str, Any]] = (
        table[columns].astype(object).where(table[columns].notna(), None).to_dict("records")  # type: ignore[assignment]
    )
    for record in records:
        record["late_working_days"] = float(record["late_working_days"])
    return records


def build_report(
    frames: Frames,
    calendar: WorkCalendar,
    rules: RulesSettings,
    month: str,
    *,
    units: Sequence[tuple[str, str]] = (),
    violations: ViolationCounts | None = None,
) -> dict[str, Any]:
    """The whole report for `month` ("YYYY-MM"): the JSON of `monitor report` and the input of every
    renderer. `units` is the catalogue (code, name); `violations` the counts detected in the month."""
    listed = report_units(frames, units, month)
    violations = violations or {}
    months = [shift_month(month, k - TREND_MONTHS + 1) for k in range(TREND_MONTHS)]
    trend = monthly_trend(frames, calendar, rules, months, units=listed)
    current, previous = trend[-1], trend[-2]
    start, end = month_bounds(month)
    verdicts = classify_period(frames, calendar, rules, start, end)
    open_overdue = _open_overdue_at_end(frames, verdicts, month)
    unit_rows = [
        _with_extras(f, open_overdue.get(f["unit_code"], 0), violations.get(f["unit_code"]))
        for f in current.units
    ]
    totals: dict[str, int] = {
        rule: sum(unit["violations"][rule] for unit in unit_rows) for rule in RULE_LABELS
    }
    total = {
        **current.total,
        "open_overdue_at_end": sum(u["open_overdue_at_end"] for u in unit_rows),
        "violations": totals,
    }
    p_start, p_end = period_instants(month)
    return {
        "month": month,
        "period": {"start": _iso(np.array([p_start]))[0], "end": _iso(np.array([p_end]))[0]},
        "units": unit_rows,
        "total": total,
        "change": {
            "previous_month": months[-2],
            "rows": [
                *(_change_row(a, b) for a, b in zip(current.units, previous.units, strict=True)),
                {**_change_row(current.total, previous.total), "unit_name": TOTAL_NAME},
            ],
        },
        "trend": [
            {
                "month": m,
                **{
                    k: f.total[k]
                    for k in (
                        "in_scope",
                        "on_time",
                        "late",
                        "on_time_rate",
                        "satisfaction_proxy",
                        "risk_band",
                    )
                },
            }
            for m, f in zip(months, trend, strict=True)
        ],
        "procedures": _procedures(frames, verdicts),
        "late_dossiers": _late_dossiers(frames, verdicts, calendar, month, listed),
    }
