"""Builders of report dicts (the JSON shape of `monitor report`) for the renderer tests."""

from __future__ import annotations

from typing import Any

from monitor.labels import RULE_LABELS

RULES = tuple(RULE_LABELS)


def figures(
    code: str | None, name: str, in_scope: int, early: int, on_day: int, **extra: Any
) -> dict[str, Any]:
    """One FIGURES dict, consistent with domain.md §6 (late = the rest; no dissatisfied unless given)."""
    late = in_scope - early - on_day
    dissatisfied = extra.pop("dissatisfied", 0)
    rate = None if in_scope == 0 else (early + on_day) / in_scope
    proxy = None if rate is None else max(0.0, 1 - ((1 - rate) + dissatisfied / in_scope))
    band = None if proxy is None else ("low" if proxy >= 0.9 else "medium" if proxy >= 0.8 else "high")
    violations = dict.fromkeys(RULES, 0) | extra.pop("violations", {})
    return {
        "unit_code": code,
        "unit_name": name,
        "in_scope": in_scope,
        "undetermined": extra.pop("undetermined", 0),
        "on_time": early + on_day,
        "early": early,
        "on_day": on_day,
        "late": late,
        "on_time_rate": rate,
        "progress_points": None if rate is None else rate * 20,
        "dissatisfied": dissatisfied,
        "satisfaction_proxy": proxy,
        "risk_band": band,
        "open_overdue_at_end": extra.pop("open_overdue_at_end", 0),
        "violations": violations,
    }


def sample_report(late_rows: int = 3) -> dict[str, Any]:
    """A February 2026 report over three units, one of them with nothing in scope."""
    units = [
        figures(
            "P1",
            "Phòng Hành chính – Tổng hợp",
            40,
            30,
            6,
            dissatisfied=1,
            violations={"overdue_return": 4, "missing_apology": 2},
            open_overdue_at_end=1,
        ),
        figures(
            "P2",
            "Phòng Quản lý đất đai",
            25,
            10,
            5,
            violations={"overdue_return": 10, "repeated_supplement": 3, "step_overdue": 5},
            open_overdue_at_end=2,
        ),
        figures("P3", "Phòng Đăng ký kinh doanh", 0, 0, 0),
    ]
    total = figures(
        None,
        "Toàn Sở",
        65,
        40,
        11,
        dissatisfied=1,
        open_overdue_at_end=3,
        violations={"overdue_return": 14, "missing_apology": 2, "repeated_supplement": 3, "step_overdue": 5},
    )
    previous = {"P1": 0.85, "P2": 0.7, "P3": None, None: 0.8}
    rows = []
    for unit in [*units, total]:
        before = previous[unit["unit_code"]]
        now = unit["on_time_rate"]
        rows.append(
            {
                "unit_code": unit["unit_code"],
                "unit_name": unit["unit_name"],
                "previous_in_scope": 20,
                "in_scope": unit["in_scope"],
                "previous_on_time_rate": before,
                "on_time_rate": now,
                "on_time_rate_change": None if before is None or now is None else now - before,
                "previous_satisfaction_proxy": before,
                "satisfaction_proxy": unit["satisfaction_proxy"],
                "satisfaction_proxy_change": None
                if before is None or unit["satisfaction_proxy"] is None
                else unit["satisfaction_proxy"] - before,
                "previous_risk_band": "medium",
                "risk_band": unit["risk_band"],
            }
        )
    trend = [
        {
            "month": m,
            "in_scope": n,
            "on_time": o,
            "late": n - o,
            "on_time_rate": o / n if n else None,
            "satisfaction_proxy": o / n if n else None,
            "risk_band": None if not n else "medium",
        }
        for m, n, o in [
            ("2025-09", 50, 45),
            ("2025-10", 0, 0),
            ("2025-11", 60, 50),
            ("2025-12", 55, 50),
            ("2026-01", 70, 56),
            ("2026-02", 65, 51),
        ]
    ]
    procedures = [
        {
            "procedure_code": "1.004227",
            "procedure_name": "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
            "in_scope": 20,
            "late": 9,
            "on_time_rate": 0.55,
        },
        {
            "procedure_code": "2.001610",
            "procedure_name": "Đăng ký thành lập doanh nghiệp tư nhân",
            "in_scope": 30,
            "late": 4,
            "on_time_rate": 26 / 30,
        },
    ]
    late = [
        {
            "code": f"H48.18-260210-{i:04d}",
            "unit_code": "P2",
            "unit_name": "Phòng Quản lý đất đai",
            "procedure_code": "1.004227",
            "procedure_name": "Cấp giấy chứng nhận quyền sử dụng đất lần đầu",
            "received_at": "2026-02-02T08:00:00+07:00",
            "effective_due_at": "2026-02-10T17:00:00+07:00",
            "judged_end_at": "2026-02-12T10:00:00+07:00",
            "late_working_days": 1.5 + i,
            "reason": "after_due",
        }
        for i in range(late_rows)
    ]
    return {
        "month": "2026-02",
        "period": {"start": "2026-02-01T00:00:00+07:00", "end": "2026-02-28T23:59:59+07:00"},
        "units": units,
        "total": total,
        "change": {"previous_month": "2026-01", "rows": rows},
        "trend": trend,
        "procedures": procedures,
        "late_dossiers": late,
    }
