"""Every rule of §5 on its edge cases, one row per case.

Unless a row says otherwise a dossier is received Monday 02/02/2026 08:00 with a limit of 5 working days,
so its due is Monday 09/02/2026 08:00, and the rules run at Tuesday 10/02/2026 09:00."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.config import RulesSettings
from monitor.rules import detect
from tests.rules_support import CALENDAR, Case, at, case

NOW = "2026-02-10 09:00"
LATE_END = {"status": 10, "finished": "2026-02-09 09:00"}
TWO_SUPPLEMENTS = [("2026-02-03 08:00", "2026-02-03 09:00"), ("2026-02-03 10:00", "2026-02-03 11:00")]

# (description, dossier fields, now, rules settings, expected {(rule, step)})
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any], set[tuple[str, int]]]] = [
    ("returned before the due", {"status": 10, "finished": "2026-02-06 10:00"}, NOW, {}, set()),
    ("returned exactly at the due instant", {"status": 10, "finished": "2026-02-09 08:00"}, NOW, {}, set()),
    (
        "returned one second after the due",
        {"status": 10, "finished": "2026-02-09 08:00:01"},
        NOW,
        {},
        {("overdue_return", 0), ("missing_apology", 0)},
    ),
    (
        "finished (9) late",
        {**LATE_END, "status": 9},
        NOW,
        {},
        {("overdue_return", 0), ("missing_apology", 0)},
    ),
    (
        "returned late with only NgayTra",
        {"status": 10, "returned": "2026-02-09 10:00"},
        NOW,
        {},
        {("overdue_return", 0), ("missing_apology", 0)},
    ),
    ("withdrawn (7) after the due", {"status": 7, "updated": "2026-02-10 08:00"}, NOW, {}, set()),
    ("stopped (8) after the due", {"status": 8, "updated": "2026-02-10 08:00"}, NOW, {}, set()),
    (
        "withdrawn (7) with two supplement requests",
        {"status": 7, "updated": "2026-02-05 08:00", "supplements": TWO_SUPPLEMENTS},
        NOW,
        {},
        {("repeated_supplement", 0)},
    ),
    (
        "not received (1), everything wrong",
        {"status": 1, "supplements": TWO_SUPPLEMENTS, "steps": [("U2", "2026-02-03 08:00", None)]},
        NOW,
        {},
        set(),
    ),
    (
        "refused at intake (3), everything wrong",
        {"status": 3, "appointed": "2026-03-30 08:00", "supplements": TWO_SUPPLEMENTS},
        NOW,
        {},
        set(),
    ),
    ("open past the due", {"status": 4}, NOW, {}, {("overdue_open", 0), ("missing_apology", 0)}),
    ("open exactly at the due instant", {"status": 4}, "2026-02-09 08:00", {}, set()),
    (
        "received (2) one second past the due",
        {"status": 2},
        "2026-02-09 08:00:01",
        {},
        {("overdue_open", 0), ("missing_apology", 0)},
    ),
    (
        "paused on a pending supplement past the due",
        {"status": 5, "supplements": [("2026-02-05 08:00", None)]},
        NOW,
        {},
        set(),
    ),
    ("paused waiting for fees (6) past the due", {"status": 6}, NOW, {}, set()),
    (
        "status 5 with every request completed runs",
        {"status": 5, "supplements": [("2026-02-03 08:00", "2026-02-03 09:00")]},
        NOW,
        {},
        {("overdue_open", 0), ("missing_apology", 0)},
    ),
    (
        "status 4 with a pending request runs",
        {"status": 4, "supplements": [("2026-02-05 08:00", None)]},
        NOW,
        {},
        {("overdue_open", 0), ("missing_apology", 0)},
    ),
    (
        "a completed supplement extends the due (pause)",
        {"status": 4, "supplements": [("2026-02-06 16:00", "2026-02-09 07:00")]},
        "2026-02-12 09:00",
        {},
        {("overdue_open", 0), ("missing_apology", 0)},
    ),
    (
        "a completed supplement restarts the clock (restart)",
        {"status": 4, "supplements": [("2026-02-06 16:00", "2026-02-09 07:00")]},
        "2026-02-12 09:00",
        {"supplement_clock": "restart"},
        set(),
    ),
    ("no due at all", {"status": 4, "limit": None}, NOW, {}, set()),
    (
        "one supplement request",
        {"status": 4, "supplements": TWO_SUPPLEMENTS[:1]},
        "2026-02-05 09:00",
        {},
        set(),
    ),
    (
        "two supplement requests",
        {"status": 4, "supplements": TWO_SUPPLEMENTS},
        "2026-02-05 09:00",
        {},
        {("repeated_supplement", 0)},
    ),
    (
        "two requests within a limit of two",
        {"status": 4, "supplements": TWO_SUPPLEMENTS},
        "2026-02-05 09:00",
        {"max_supplement_requests": 2},
        set(),
    ),
    (
        "apology on the working day before the due date",
        {**LATE_END, "apologies": [("2026-02-06 16:00", "2026-02-11 08:00")]},
        NOW,
        {},
        {("overdue_return", 0)},
    ),
    (
        "apology without a new date on the working day before",
        {**LATE_END, "apologies": [("2026-02-06 16:00", None)]},
        NOW,
        {},
        {("overdue_return", 0)},
    ),
    (
        "apology on the due date",
        {**LATE_END, "apologies": [("2026-02-09 07:00", "2026-02-11 08:00")]},
        NOW,
        {},
        {("overdue_return", 0), ("missing_apology", 0)},
    ),
    (
        "two apologies, the earlier in time",
        {**LATE_END, "apologies": [("2026-02-09 07:00", None), ("2026-02-05 09:00", None)]},
        NOW,
        {},
        {("overdue_return", 0)},
    ),
    (
        "two apologies with new dates",
        {
            **LATE_END,
            "apologies": [("2026-02-05 09:00", "2026-02-10 08:00"), ("2026-02-06 09:00", "2026-02-12 08:00")],
        },
        NOW,
        {},
        {("overdue_return", 0), ("repeated_reschedule", 0)},
    ),
    (
        "apology during Tết before a due just after it",
        {
            **LATE_END,
            "appointed": "2026-02-23 10:00",
            "finished": "2026-02-24 10:00",
            "apologies": [("2026-02-20 09:00", None)],
        },
        "2026-02-25 09:00",
        {},
        {("overdue_return", 0), ("missing_apology", 0), ("due_beyond_statutory", 0)},
    ),
    (
        "step handed over after its due, attributed to the step's unit",
        {
            "status": 10,
            "finished": "2026-02-06 10:00",
            "steps": [("U2", "2026-02-04 08:00", "2026-02-04 09:00")],
        },
        NOW,
        {},
        {("step_overdue", 1)},
    ),
    (
        "step handed over exactly at its due",
        {
            "status": 10,
            "finished": "2026-02-06 10:00",
            "steps": [("U2", "2026-02-04 08:00", "2026-02-04 08:00")],
        },
        NOW,
        {},
        set(),
    ),
    (
        "a step still open past its due",
        {
            "status": 4,
            "steps": [("U2", "2026-02-05 08:00", None), ("U3", "2026-02-12 08:00", None)],
        },
        "2026-02-06 09:00",
        {},
        {("step_overdue", 1)},
    ),
    (
        "an unhanded step of an ended dossier counts at its end",
        {
            "status": 10,
            "finished": "2026-02-06 10:00",
            "steps": [("U2", "2026-02-06 08:00", None), ("U3", "2026-02-06 11:00", None)],
        },
        NOW,
        {},
        {("step_overdue", 1)},
    ),
    (
        "appointed later the same day as the statutory due",
        {"status": 4, "appointed": "2026-02-09 17:00"},
        "2026-02-05 09:00",
        {},
        set(),
    ),
    (
        "appointed the day after the statutory due",
        {"status": 4, "appointed": "2026-02-10 08:00"},
        "2026-02-05 09:00",
        {},
        {("due_beyond_statutory", 0)},
    ),
    (
        "appointed one working day beyond within a tolerance of one",
        {"status": 4, "appointed": "2026-02-10 16:00"},
        "2026-02-05 09:00",
        {"statutory_tolerance_working_days": 1},
        set(),
    ),
    (
        "appointed with an unknown limit",
        {"status": 4, "appointed": "2026-03-10 08:00", "limit": None},
        "2026-02-05 09:00",
        {},
        set(),
    ),
    (
        "a switched-off rule stays silent, the others still judge",
        {"status": 4},
        NOW,
        {"disabled": ["overdue_open"]},
        {("missing_apology", 0)},
    ),
]


def found(c: Case, now: str, settings: dict[str, Any]) -> set[tuple[str, int]]:
    from tests.rules_support import frames_of

    result = detect(frames_of(c), CALENDAR, RulesSettings(**settings), at(now))
    return {(r.rule, int(r.step)) for r in result.itertuples()}


@pytest.mark.parametrize(
    ("fields", "now", "settings", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_the_rules_fire_exactly_when_domain_md_says(
    fields: dict[str, Any], now: str, settings: dict[str, Any], expected: set[tuple[str, int]]
) -> None:
    assert found(case(1, **fields), now, settings) == expected


def details(fields: dict[str, Any], rule: str, now: str = NOW) -> dict[str, Any]:
    from tests.rules_support import frames_of

    result = detect(frames_of(case(1, **fields)), CALENDAR, RulesSettings(), at(now))
    return next(r.details for r in result.itertuples() if r.rule == rule)


def test_missing_apology_says_none_when_there_was_no_apology() -> None:
    assert details(LATE_END, "missing_apology")["kind"] == "none"
    assert details(LATE_END, "missing_apology")["apology_deadline"] == "2026-02-06"


def test_missing_apology_says_late_when_every_apology_came_after_the_deadline() -> None:
    d = details({**LATE_END, "apologies": [("2026-02-09 07:00", "2026-02-11 08:00")]}, "missing_apology")
    assert (d["kind"], d["first_apology"], d["apologies"]) == ("late", "2026-02-09", 1)


def test_overdue_details_give_the_lateness_in_working_time() -> None:
    d = details({"status": 10, "finished": "2026-02-10 08:00"}, "overdue_return")
    assert d == {
        "effective_due": "2026-02-09T08:00:00+07:00",
        "end": "2026-02-10T08:00:00+07:00",
        "late_working_hours": 8.0,
        "late_working_days": 1.0,
        "supplements": 0,
    }
    # The current lateness of an open dossier is its judged late_working_hours, not frozen in details.
    assert details({"status": 4}, "overdue_open") == {"effective_due": "2026-02-09T08:00:00+07:00"}


def test_a_step_violation_belongs_to_the_steps_unit_or_else_the_handling_unit() -> None:
    from tests.rules_support import frames_of

    c = case(
        1, status=4, unit="U1", steps=[("U2", "2026-02-03 08:00", None), (None, "2026-02-04 08:00", None)]
    )
    result = detect(frames_of(c), CALENDAR, RulesSettings(), at(NOW))
    steps = result[result["rule"] == "step_overdue"]
    assert dict(zip(steps["step"], steps["unit_code"], strict=True)) == {1: "U2", 2: "U1"}
    assert steps.iloc[0]["details"]["in_progress"] is True
