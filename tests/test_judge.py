"""The judged fields of §4: dues in both supplement-clock modes, end time, paused, due soon, lateness."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from monitor.calendar import LimitUnit
from monitor.config import RulesSettings
from monitor.judge import judge
from tests.rules_support import CALENDAR, at, case, frames_of, t64

NOW = "2026-02-10 09:00"


def judged(now: str = NOW, rules: RulesSettings | None = None, **fields: Any) -> dict[str, Any]:
    frame = judge(frames_of(case(1, **fields)), CALENDAR, rules or RulesSettings(), at(now))
    return {name: frame[name].to_numpy()[0] for name in frame.columns}


def test_the_statutory_due_is_the_base_due_without_an_appointment() -> None:
    j = judged(status=4)
    assert j["statutory_due"] == t64("2026-02-09 08:00") == j["base_due"] == j["effective_due"]


def test_the_first_appointment_is_the_base_due_not_the_latest() -> None:
    j = judged(status=4, appointed="2026-02-06 16:00", latest_appointed="2026-02-20 16:00")
    assert j["base_due"] == t64("2026-02-06 16:00")


def test_pause_adds_the_wall_clock_time_of_each_completed_supplement() -> None:
    # 26 h + 1 h of wall-clock time; the pending third request adds nothing yet.
    supplements = [
        ("2026-02-03 08:00", "2026-02-04 10:00"),
        ("2026-02-05 08:00", "2026-02-05 09:00"),
        ("2026-02-06 08:00", None),
    ]
    assert judged(status=4, supplements=supplements)["effective_due"] == t64("2026-02-10 11:00")


def test_pause_may_land_outside_office_hours() -> None:
    j = judged(status=4, appointed="2026-02-06 16:00", supplements=[("2026-02-03 08:00", "2026-02-04 10:00")])
    assert j["effective_due"] == t64("2026-02-07 18:00")  # a Saturday evening, as 766 subtracts raw time


def test_restart_counts_the_limit_again_from_the_last_completion() -> None:
    supplements = [("2026-02-03 08:00", "2026-02-04 10:00"), ("2026-02-02 09:00", "2026-02-03 07:00")]
    j = judged(status=4, supplements=supplements, rules=RulesSettings(supplement_clock="restart"))
    assert j["effective_due"] == t64("2026-02-11 10:00")  # 5 working days after Wednesday 04/02 10:00


def test_restart_without_a_completed_request_keeps_the_base_due() -> None:
    j = judged(
        status=5, supplements=[("2026-02-03 08:00", None)], rules=RulesSettings(supplement_clock="restart")
    )
    assert j["effective_due"] == t64("2026-02-09 08:00")


def test_restart_with_an_unknown_limit_behaves_as_pause() -> None:
    j = judged(
        status=4,
        limit=None,
        appointed="2026-02-09 08:00",
        supplements=[("2026-02-03 08:00", "2026-02-04 08:00")],
        rules=RulesSettings(supplement_clock="restart"),
    )
    assert j["effective_due"] == t64("2026-02-10 08:00")


def test_a_limit_in_calendar_days_closes_at_the_end_of_a_working_day() -> None:
    j = judged(status=4, received="2026-02-04 09:00", limit=(3, LimitUnit.CALENDAR_DAYS))
    assert j["statutory_due"] == t64("2026-02-09 17:00")  # 07/02 is a Saturday


@pytest.mark.parametrize(
    ("fields", "end"),
    [
        ({"status": 10, "finished": "2026-02-05 10:00", "returned": "2026-02-06 10:00"}, "2026-02-05 10:00"),
        ({"status": 10, "returned": "2026-02-06 10:00", "updated": "2026-02-07 10:00"}, "2026-02-06 10:00"),
        ({"status": 7, "updated": "2026-02-07 10:00"}, "2026-02-07 10:00"),
        ({"status": 4, "finished": "2026-02-05 10:00"}, None),
    ],
)
def test_the_end_time_falls_back_from_finish_to_return_to_last_update(
    fields: dict[str, Any], end: str | None
) -> None:
    value = judged(**fields)["end_at"]
    assert (np.isnat(value) and end is None) or value == t64(end)


@pytest.mark.parametrize(
    ("status", "supplements", "paused"),
    [
        (5, [("2026-02-03 08:00", None)], True),
        (5, [("2026-02-03 08:00", "2026-02-03 09:00")], False),
        (4, [("2026-02-03 08:00", None)], False),
        (2, [], False),
        (6, [], True),
    ],
)
def test_the_status_decides_whether_the_clock_is_paused(
    status: int, supplements: list[tuple[str, str | None]], paused: bool
) -> None:
    assert bool(judged(status=status, supplements=supplements)["paused"]) is paused


@pytest.mark.parametrize(
    ("now", "soon"),
    [
        ("2026-02-06 08:00", True),  # the due is exactly 8 working hours ahead
        ("2026-02-06 07:59", False),  # 8 working hours and one minute ahead
        ("2026-02-09 07:59", True),
        ("2026-02-09 08:00", False),  # due equal to now: neither due soon nor overdue
        ("2026-02-09 08:01", False),
    ],
)
def test_due_soon_is_within_the_warning_horizon_of_working_time(now: str, soon: bool) -> None:
    j = judged(now=now, status=4)
    assert bool(j["due_soon"]) is soon
    assert not j["overdue_open"] or now > "2026-02-09 08:00"


def test_a_paused_dossier_is_never_due_soon() -> None:
    assert not judged(now="2026-02-09 07:00", status=6)["due_soon"]


def test_lateness_is_counted_in_working_hours() -> None:
    assert judged(status=10, finished="2026-02-10 08:00")["late_working_hours"] == 8.0
    assert judged(status=10, finished="2026-02-06 08:00")["late_working_hours"] == 0.0
    assert judged(status=4)["late_working_hours"] == 9.0
    assert np.isnan(judged(status=4, limit=None)["late_working_hours"])
    assert np.isnan(judged(status=7, updated="2026-02-10 08:00")["late_working_hours"])


def test_counts_of_supplements_and_reschedules() -> None:
    j = judged(
        status=4,
        supplements=[("2026-02-03 08:00", "2026-02-03 09:00"), ("2026-02-04 08:00", None)],
        apologies=[("2026-02-05 08:00", "2026-02-12 08:00"), ("2026-02-06 08:00", None)],
    )
    assert (j["supplement_count"], j["pending_supplements"], j["reschedule_count"], j["apology_count"]) == (
        2,
        1,
        1,
        2,
    )
