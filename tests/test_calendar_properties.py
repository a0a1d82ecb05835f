"""Properties of the working-second clock: round trips and monotonicity."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.calendar import WorkCalendar

CAL = WorkCalendar()
instants = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
    lambda t: t.replace(microsecond=0)
)
amounts = st.integers(min_value=1, max_value=400 * 3600)


def arr(*values: dt.datetime) -> np.ndarray:
    return np.array(values, dtype="datetime64[s]")


@settings(max_examples=300, deadline=None)
@given(instants, amounts)
def test_adding_then_measuring_working_time_round_trips(start: dt.datetime, seconds: int) -> None:
    t = arr(start)
    end = CAL.add_working_seconds(t, [seconds])
    assert CAL.working_seconds_between(t, end)[0] == seconds


@settings(max_examples=300, deadline=None)
@given(instants, amounts)
def test_a_positive_result_is_within_office_hours_or_on_an_interval_end(
    start: dt.datetime, seconds: int
) -> None:
    end = CAL.add_working_seconds(arr(start), [seconds])[0].astype(dt.datetime)
    assert CAL.is_working(end.date())
    tod = end.time()
    assert dt.time(7) < tod <= dt.time(11, 30) or dt.time(13, 30) < tod <= dt.time(17)


@settings(max_examples=300, deadline=None)
@given(instants, instants, amounts)
def test_the_clock_is_monotonic_in_the_start(a: dt.datetime, b: dt.datetime, seconds: int) -> None:
    first, second = sorted((a, b))
    out = CAL.add_working_seconds(arr(first, second), [seconds, seconds])
    assert out[0] <= out[1]
    ordinals = CAL.working_ordinal(arr(first, second))
    assert ordinals[0] <= ordinals[1]


@settings(max_examples=300, deadline=None)
@given(instants, amounts, amounts)
def test_the_clock_is_monotonic_in_the_amount(start: dt.datetime, x: int, y: int) -> None:
    small, large = sorted((x, y))
    out = CAL.add_working_seconds(arr(start, start), [small, large])
    assert out[0] <= out[1]


@settings(max_examples=300, deadline=None)
@given(instants, instants)
def test_measuring_is_antisymmetric_and_additive(a: dt.datetime, b: dt.datetime) -> None:
    ab = CAL.working_seconds_between(arr(a), arr(b))[0]
    ba = CAL.working_seconds_between(arr(b), arr(a))[0]
    assert ab == -ba


@settings(max_examples=200, deadline=None)
@given(instants, amounts)
def test_array_and_scalar_paths_agree(start: dt.datetime, seconds: int) -> None:
    from monitor.calendar import LOCAL_TZ

    scalar = CAL.add(start.replace(tzinfo=LOCAL_TZ), dt.timedelta(seconds=seconds))
    array = CAL.add_working_seconds(arr(start), [seconds])[0]
    assert np.datetime64(scalar.replace(tzinfo=None), "s") == array
