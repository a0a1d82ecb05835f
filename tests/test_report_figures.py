"""The monthly report's figures against a February 2026 computed by hand (16–20/02 is Tết)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from monitor.calendar import LimitUnit
from monitor.config import RulesSettings
from monitor.reports.figures import build_report, shift_month
from tests.rules_support import CALENDAR, case, frames_of

CATALOGUE = [
    ("U1", "Phòng Tư pháp – Hộ tịch"),
    ("U2", "Phòng Quản lý đất đai"),
    ("U3", "Phòng Đăng ký kinh doanh"),
]
TEN_DAYS = (10, LimitUnit.WORKING_DAYS)


def february() -> dict[str, Any]:
    due = "2026-02-10 17:00"
    frames = frames_of(
        # U1: one of every category, plus what stays out of scope.
        case(1, status=10, appointed=due, finished="2026-02-09 10:00"),  # early
        case(2, status=10, appointed=due, finished="2026-02-10 15:00"),  # on the day
        case(3, status=10, appointed=due, finished="2026-02-12 10:00"),  # late by 11 working hours
        case(4, status=4, appointed="2026-02-25 17:00"),  # still open, late by 26 + 27/02
        case(  # ended in time, but two supplement requests: late for 766
            5,
            status=10,
            appointed=due,
            finished="2026-02-09 10:00",
            supplements=[("2026-02-03 08:00", "2026-02-03 10:00"), ("2026-02-04 08:00", "2026-02-04 10:00")],
        ),
        case(6, status=10, appointed=due, finished="2026-02-09 10:00", rating=3),  # early, dissatisfied
        case(7, status=3, appointed=due),  # refused at intake
        case(
            8,
            status=10,
            received="2026-01-05 08:00",
            appointed="2026-01-15 17:00",
            finished="2026-01-20 09:00",
        ),
        case(9, status=4, limit=None),  # no due: undetermined
        case(10, status=4, received="2026-03-02 08:00", appointed="2026-03-09 17:00"),  # next month
        # U2: nine early (one waiting on its only supplement request at the month's end), one late.
        case(
            11,
            unit="U2",
            status=5,
            limit=TEN_DAYS,
            appointed="2026-02-26 17:00",
            supplements=[("2026-02-24 09:00", None)],
        ),
        *(
            case(
                n,
                unit="U2",
                status=10,
                limit=TEN_DAYS,
                appointed="2026-02-27 17:00",
                finished="2026-02-23 09:00",
            )
            for n in range(12, 20)
        ),
        case(
            20,
            unit="U2",
            status=10,
            limit=TEN_DAYS,
            appointed="2026-02-05 17:00",
            returned="2026-02-06 08:00",
            complaint=True,
        ),
        # U4 is missing from the catalogue: it still shows, named from its dossiers.
        case(21, unit="U4", status=9, appointed=due, finished=due),
        # U5 only received dossiers after February: not a unit of this report.
        case(22, unit="U5", status=4, received="2026-03-03 08:00", appointed="2026-03-10 17:00"),
    )
    violations = {"U1": {"overdue_return": 2, "overdue_open": 1}, "U2": {"repeated_supplement": 1}}
    return build_report(frames, CALENDAR, RulesSettings(), "2026-02", units=CATALOGUE, violations=violations)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return february()


def unit(report: dict[str, Any], code: str) -> dict[str, Any]:
    return next(u for u in report["units"] if u["unit_code"] == code)


def test_every_catalogue_unit_appears_in_order_then_units_found_only_on_dossiers(
    report: dict[str, Any],
) -> None:
    assert [(u["unit_code"], u["unit_name"]) for u in report["units"]] == [*CATALOGUE, ("U4", "Phòng U4")]


def test_a_unit_with_every_category_is_counted_by_hand(report: dict[str, Any]) -> None:
    u1 = unit(report, "U1")
    assert {
        k: u1[k] for k in ("in_scope", "undetermined", "early", "on_day", "late", "on_time", "dissatisfied")
    } == {
        "in_scope": 6,
        "undetermined": 1,
        "early": 2,
        "on_day": 1,
        "late": 3,
        "on_time": 3,
        "dissatisfied": 1,
    }
    assert u1["on_time_rate"] == pytest.approx(0.5)
    assert u1["progress_points"] == pytest.approx(10)
    assert u1["satisfaction_proxy"] == pytest.approx(2 / 6)
    assert u1["risk_band"] == "high"
    assert u1["open_overdue_at_end"] == 1


def test_a_dossier_waiting_on_its_only_supplement_is_judged_at_the_request(report: dict[str, Any]) -> None:
    u2 = unit(report, "U2")
    assert (u2["in_scope"], u2["early"], u2["late"], u2["dissatisfied"]) == (10, 9, 1, 1)
    assert u2["satisfaction_proxy"] == pytest.approx(0.8)
    assert u2["risk_band"] == "medium"
    assert u2["open_overdue_at_end"] == 0


def test_an_empty_unit_has_no_rate_rather_than_zero(report: dict[str, Any]) -> None:
    u3 = unit(report, "U3")
    assert u3["in_scope"] == 0
    assert (u3["on_time_rate"], u3["progress_points"], u3["satisfaction_proxy"], u3["risk_band"]) == (
        None,
    ) * 4
    assert set(u3["violations"].values()) == {0}


def test_the_total_adds_the_units_and_the_violations_by_rule(report: dict[str, Any]) -> None:
    total = report["total"]
    assert total["unit_code"] is None
    assert (total["in_scope"], total["early"], total["on_day"], total["late"]) == (17, 11, 2, 4)
    assert total["on_time_rate"] == pytest.approx(13 / 17)
    assert total["satisfaction_proxy"] == pytest.approx(11 / 17)
    assert total["open_overdue_at_end"] == 1
    assert total["violations"]["overdue_return"] == 2
    assert total["violations"]["repeated_supplement"] == 1
    assert sum(total["violations"].values()) == 4


def test_the_change_compares_with_january(report: dict[str, Any]) -> None:
    change = report["change"]
    assert change["previous_month"] == "2026-01"
    u1, u2 = change["rows"][0], change["rows"][1]
    assert (u1["previous_in_scope"], u1["previous_on_time_rate"]) == (1, 0.0)
    assert u1["on_time_rate_change"] == pytest.approx(0.5)
    assert (u2["previous_on_time_rate"], u2["on_time_rate_change"]) == (None, None)
    assert (change["rows"][-1]["unit_code"], change["rows"][-1]["unit_name"]) == (None, "Toàn Sở")


def test_the_trend_covers_six_months_ending_with_the_report_month(report: dict[str, Any]) -> None:
    trend = report["trend"]
    assert [t["month"] for t in trend] == ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert [t["in_scope"] for t in trend] == [0, 0, 0, 0, 1, 17]
    assert trend[0]["on_time_rate"] is None
    assert trend[-1]["on_time_rate"] == pytest.approx(13 / 17)


def test_procedures_are_ranked_by_late_dossiers(report: dict[str, Any]) -> None:
    assert [(p["procedure_code"], p["in_scope"], p["late"]) for p in report["procedures"]] == [
        ("P-5-1", 7, 3),
        ("P-10-1", 10, 1),
    ]


def test_the_appendix_lists_late_dossiers_by_unit_latest_first(report: dict[str, Any]) -> None:
    rows = [(r["code"], r["unit_code"], r["late_working_days"], r["reason"]) for r in report["late_dossiers"]]
    assert rows == [
        ("H48-000004", "U1", 2.0, "open_after_due"),
        ("H48-000003", "U1", 1.4, "after_due"),
        ("H48-000005", "U1", 0.0, "repeated_supplement"),
        ("H48-000020", "U2", 0.1, "after_due"),
    ]
    first = report["late_dossiers"][0]
    assert first["effective_due_at"] == "2026-02-25T17:00:00+07:00"
    assert first["judged_end_at"] == "2026-02-28T23:59:59+07:00"
    assert first["unit_name"] == "Phòng Tư pháp – Hộ tịch"


def test_the_report_is_plain_json_and_the_same_when_rebuilt(report: dict[str, Any]) -> None:
    assert json.loads(json.dumps(report)) == february()
    assert report["period"] == {"start": "2026-02-01T00:00:00+07:00", "end": "2026-02-28T23:59:59+07:00"}


def test_months_shift_across_years() -> None:
    assert shift_month("2026-01", -1) == "2025-12"
    assert shift_month("2025-12", 1) == "2026-01"
    assert shift_month("2026-02", -5) == "2025-09"
