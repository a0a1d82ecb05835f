"""The working calendar of domain.md §3, example by example."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from monitor.calendar import LOCAL_TZ, CalendarRangeError, LimitUnit, WorkCalendar

CAL = WorkCalendar()


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


def test_the_worked_example_of_domain_md_lands_on_friday_27_february_at_16_00() -> None:
    assert CAL.due(at("2026-02-13T16:00"), 5, LimitUnit.WORKING_DAYS) == at("2026-02-27T16:00")


def test_one_working_day_is_the_length_of_the_office_day() -> None:
    assert CAL.day_seconds == 8 * 3600
    custom = WorkCalendar([(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(16, 30))])
    assert custom.day_seconds == int(7.5 * 3600)


@pytest.mark.parametrize(
    "day",
    ["2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01"],
)
def test_tet_2025_is_off(day: str) -> None:
    assert not CAL.is_working(d(day))


@pytest.mark.parametrize("day", ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"])
def test_tet_2026_is_off(day: str) -> None:
    assert not CAL.is_working(d(day))


def test_the_days_around_tet_2026_are_working_days() -> None:
    assert CAL.is_working(d("2026-02-13"))
    assert CAL.is_working(d("2026-02-23"))


@pytest.mark.parametrize("makeup, swap", [("2025-04-26", "2025-05-02"), ("2026-08-22", "2026-08-31")])
def test_a_make_up_saturday_is_worked_and_its_swap_day_is_off(makeup: str, swap: str) -> None:
    assert d(makeup).weekday() == 5
    assert CAL.is_working(d(makeup))
    assert not CAL.is_working(d(swap))
    assert CAL.holiday_name(d(swap))


def test_hung_kings_2026_falls_on_a_sunday_and_is_observed_on_monday_27_april() -> None:
    assert not CAL.is_working(d("2026-04-27"))
    assert CAL.is_working(d("2026-04-28"))


@pytest.mark.parametrize("day", ["2025-09-01", "2025-09-02", "2026-09-01", "2026-09-02"])
def test_national_day_has_its_extra_day(day: str) -> None:
    assert not CAL.is_working(d(day))


def test_vietnam_culture_day_24_november_2026_is_off() -> None:
    assert not CAL.is_working(d("2026-11-24"))
    assert CAL.is_working(d("2026-11-23"))


def test_ordinary_weekends_are_off() -> None:
    assert not CAL.is_working(d("2026-11-28"))
    assert not CAL.is_working(d("2026-11-29"))
    assert CAL.is_working(d("2026-11-27"))


@pytest.mark.parametrize(
    "received, expected",
    [
        ("2026-03-02T12:00", "2026-03-02T14:30"),  # lunch: moves to 13:30
        ("2026-03-02T11:30", "2026-03-02T14:30"),  # exactly 11:30 is outside [07:00, 11:30)
        ("2026-03-02T18:00", "2026-03-03T08:00"),  # after 17:00: next working day's 07:00
        ("2026-03-02T05:00", "2026-03-02T08:00"),  # before opening
        ("2026-02-28T09:00", "2026-03-02T08:00"),  # Saturday
        ("2026-04-30T09:00", "2026-05-04T08:00"),  # 30/4, 1/5, then a weekend
        ("2026-03-02T11:00", "2026-03-02T14:00"),  # half an hour before lunch, the rest after
        ("2026-03-02T10:15:30", "2026-03-02T11:15:30"),  # seconds carried
    ],
)
def test_adding_one_working_hour(received: str, expected: str) -> None:
    assert CAL.add(at(received), hours(1)) == at(expected)
    assert CAL.due(at(received), 1, LimitUnit.WORKING_HOURS) == at(expected)


def test_a_result_landing_exactly_at_17_00_stays_there() -> None:
    assert CAL.add(at("2026-03-02T07:00"), hours(8)) == at("2026-03-02T17:00")
    assert CAL.due(at("2026-03-02T07:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-03-02T17:00")
    assert CAL.add(at("2026-03-02T16:00"), hours(1)) == at("2026-03-02T17:00")


def test_a_result_landing_exactly_at_11_30_stays_there() -> None:
    assert CAL.add(at("2026-03-02T07:00"), hours(4.5)) == at("2026-03-02T11:30")


def test_adding_nothing_moves_an_outside_instant_to_the_next_opening() -> None:
    assert CAL.add(at("2026-03-02T12:00"), hours(0)) == at("2026-03-02T13:30")
    assert CAL.add(at("2026-03-02T17:00"), hours(0)) == at("2026-03-03T07:00")
    assert CAL.add(at("2026-03-02T09:00"), hours(0)) == at("2026-03-02T09:00")


def test_receipt_on_a_holiday_starts_the_clock_on_the_next_working_day() -> None:
    assert CAL.due(at("2026-02-17T09:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-02-23T17:00")


def test_receipt_after_hours_on_friday_before_tet_starts_after_tet() -> None:
    assert CAL.due(at("2026-02-13T17:30"), 2, LimitUnit.WORKING_HOURS) == at("2026-02-23T09:00")


def test_working_days_cross_a_make_up_saturday() -> None:
    # Friday 21/08/2026 16:00 + 1 working day: 1 h on Friday, 7 h on the make-up Saturday 22/08.
    assert CAL.due(at("2026-08-21T16:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-08-22T16:00")


def test_working_days_skip_the_national_day_swap() -> None:
    # Friday 28/08/2026 16:00 + 1 day: Friday 1 h, then 31/08, 1/9, 2/9 are off: Thursday 3/9 16:00.
    assert CAL.due(at("2026-08-28T16:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-09-03T16:00")


@pytest.mark.parametrize(
    "received, days, expected",
    [
        ("2026-03-02T08:00", 3, "2026-03-05T17:00"),  # lands on a Thursday: its close
        ("2026-03-02T16:59", 3, "2026-03-05T17:00"),  # whatever the hour of receipt
        ("2026-03-02T20:00", 3, "2026-03-05T17:00"),
        ("2026-03-02T08:00", 5, "2026-03-09T17:00"),  # lands on a Saturday: Monday's close
        ("2026-02-10T08:00", 6, "2026-02-23T17:00"),  # lands in Tết: the next working day
        ("2026-04-25T08:00", 5, "2026-05-04T17:00"),  # lands on 30/4: skips 1/5 and the weekend
        ("2026-08-17T08:00", 5, "2026-08-22T17:00"),  # lands on the make-up Saturday: worked
        ("2026-11-20T08:00", 4, "2026-11-25T17:00"),  # lands on 24/11/2026
    ],
)
def test_calendar_day_limits_close_on_a_working_day(received: str, days: int, expected: str) -> None:
    assert CAL.due(at(received), days, LimitUnit.CALENDAR_DAYS) == at(expected)


def test_working_time_between_counts_office_minutes_only() -> None:
    assert CAL.between(at("2026-02-13T16:00"), at("2026-02-27T16:00")) == hours(40)
    assert CAL.between(at("2026-03-02T11:00"), at("2026-03-02T14:00")) == hours(1)
    assert CAL.between(at("2026-03-02T12:00"), at("2026-03-02T13:00")) == hours(0)


def test_working_time_between_is_negative_when_the_second_is_earlier() -> None:
    assert CAL.between(at("2026-03-03T08:00"), at("2026-03-02T16:00")) == -hours(2)


def test_previous_and_next_working_days_skip_tet() -> None:
    assert CAL.previous_working_day(d("2026-02-23")) == d("2026-02-13")
    assert CAL.next_working_day(d("2026-02-13")) == d("2026-02-23")
    assert CAL.next_working_day(d("2026-08-21")) == d("2026-08-22")
    assert CAL.previous_working_day(d("2026-09-03")) == d("2026-08-28")


def test_an_extra_holiday_in_the_config_wins_over_the_package() -> None:
    cal = WorkCalendar(extra_holidays=[d("2026-12-31"), d("2026-08-22")])
    assert not cal.is_working(d("2026-12-31"))
    assert not cal.is_working(d("2026-08-22"))  # even a make-up Saturday
    assert cal.due(at("2026-12-30T16:00"), 1, LimitUnit.WORKING_DAYS) == at("2027-01-04T16:00")


def test_an_extra_workday_in_the_config_wins_over_the_weekend_and_the_package() -> None:
    cal = WorkCalendar(extra_workdays=[d("2026-12-26"), d("2026-11-24")])
    assert cal.is_working(d("2026-12-26"))
    assert cal.is_working(d("2026-11-24"))
    assert cal.due(at("2026-12-25T16:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-12-26T16:00")
    assert cal.holiday_name(d("2026-11-24")) is None


def test_conflicting_overrides_are_refused() -> None:
    with pytest.raises(ValueError, match="2026-12-31"):
        WorkCalendar(extra_holidays=[d("2026-12-31")], extra_workdays=[d("2026-12-31")])


def test_custom_office_hours_with_three_intervals() -> None:
    cal = WorkCalendar(
        [(dt.time(8, 0), dt.time(10, 0)), (dt.time(10, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(17, 0))]
    )
    assert cal.day_seconds == int(7.5 * 3600)
    assert cal.add(at("2026-03-02T09:30"), hours(1)) == at("2026-03-02T11:00")
    assert cal.due(at("2026-03-02T08:00"), 1, LimitUnit.WORKING_DAYS) == at("2026-03-02T17:00")


def test_aware_instants_in_other_zones_are_read_as_the_same_instant() -> None:
    utc = dt.datetime(2026, 2, 13, 9, 0, tzinfo=dt.UTC)  # 16:00 in Hà Nội
    assert CAL.due(utc, 5, LimitUnit.WORKING_DAYS) == at("2026-02-27T16:00")


def test_arrays_carry_unknowns_through_as_nat() -> None:
    received = np.array(
        ["2026-02-13T16:00", "NaT", "2026-03-02T08:00", "2026-03-02T08:00"], dtype="datetime64[s]"
    )
    due = CAL.statutory_due(received, [5, 5, np.nan, 3], [1, 1, 1, 0])
    assert due[0] == np.datetime64("2026-02-27T16:00")
    assert np.isnat(due[1:]).all()


def test_mixed_units_in_one_array() -> None:
    received = np.array(["2026-02-13T16:00"] * 3, dtype="datetime64[s]")
    due = CAL.statutory_due(
        received, [5, 3, 3], [LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS, LimitUnit.CALENDAR_DAYS]
    )
    assert list(due.astype(str)) == ["2026-02-27T16:00:00", "2026-02-23T09:00:00", "2026-02-23T17:00:00"]


def test_an_instant_outside_the_calendar_years_is_a_clear_error() -> None:
    with pytest.raises(CalendarRangeError, match="1990"):
        CAL.due(at("1990-01-02T08:00"), 1, LimitUnit.WORKING_DAYS)


def test_negative_working_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CAL.add(at("2026-03-02T08:00"), -hours(1))


def test_adding_working_days_to_dates() -> None:
    dates = np.array(["2026-02-13", "2026-02-13", "2026-02-14"], dtype="datetime64[D]")
    out = CAL.add_working_days_to_dates(dates, [0, 1, 1])
    assert list(out.astype(str)) == ["2026-02-13", "2026-02-23", "2026-02-23"]


@pytest.mark.parametrize(
    "text, unit",
    [
        ("Ngày làm việc", LimitUnit.WORKING_DAYS),
        ("giờ làm việc", LimitUnit.WORKING_HOURS),
        ("Ngày", LimitUnit.CALENDAR_DAYS),
    ],
)
def test_limit_units_are_read_from_the_center_wording(text: str, unit: LimitUnit) -> None:
    assert LimitUnit.from_source(text) is unit


def test_an_unknown_limit_unit_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="Tháng"):
        LimitUnit.from_source("Tháng")
