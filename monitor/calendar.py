"""The Vietnamese working calendar (domain.md §3) as a working-second clock.

Every instant maps to a working-second ordinal (office seconds since the calendar's first day); adding
working time and measuring it are then array arithmetic and `searchsorted`, so a million statutory dues
cost a handful of numpy operations. Instants are numpy ``datetime64[s]`` in naive local time
(Asia/Ho_Chi_Minh has no daylight saving, so local time is a fixed offset from UTC); the scalar methods
take and return aware datetimes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Final, Literal, cast
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt

LOCAL_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_OFFICE_HOURS: Final = ((dt.time(7, 0), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 0)))
DEFAULT_FIRST_YEAR: Final = 2000
DEFAULT_LAST_YEAR: Final = 2060
_DAY: Final = 86_400

Instants = npt.NDArray[np.datetime64]
Dates = npt.NDArray[np.datetime64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class LimitUnit(IntEnum):
    """The unit of a procedure's statutory time limit (`DonViTinh`). 0 stands for unknown in arrays."""

    WORKING_DAYS = 1
    WORKING_HOURS = 2
    CALENDAR_DAYS = 3

    @classmethod
    def from_source(cls, text: str) -> LimitUnit:
        """Parse the center's `DonViTinh` ("Ngày làm việc", "Giờ làm việc", "Ngày"), or our own names."""
        key = " ".join(text.strip().lower().split())
        try:
            return _UNIT_NAMES[key]
        except KeyError:
            known = ", ".join(f'"{name}"' for name in ("Ngày làm việc", "Giờ làm việc", "Ngày"))
            raise ValueError(f"unknown time-limit unit {text!r}; expected one of {known}") from None

    @property
    def label(self) -> str:
        return {1: "ngày làm việc", 2: "giờ làm việc", 3: "ngày"}[self.value]

    @property
    def key(self) -> str:
        return self.name.lower()


_UNIT_NAMES: Final = {
    "ngày làm việc": LimitUnit.WORKING_DAYS,
    "working_days": LimitUnit.WORKING_DAYS,
    "giờ làm việc": LimitUnit.WORKING_HOURS,
    "working_hours": LimitUnit.WORKING_HOURS,
    "ngày": LimitUnit.CALENDAR_DAYS,
    "calendar_days": LimitUnit.CALENDAR_DAYS,
}


class CalendarRangeError(ValueError):
    """An instant outside the years the calendar was built for."""


def to_local_naive(value: dt.datetime) -> dt.datetime:
    """An aware datetime in local wall time without tzinfo; a naive one is taken as local already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


class WorkCalendar:
    """Office hours, VN public holidays with make-up Saturdays, and the overrides that win over both."""

    def __init__(
        self,
        office_hours: Sequence[tuple[dt.time, dt.time]] = DEFAULT_OFFICE_HOURS,
        extra_holidays: Iterable[dt.date] = (),
        extra_workdays: Iterable[dt.date] = (),
        first_year: int = DEFAULT_FIRST_YEAR,
        last_year: int = DEFAULT_LAST_YEAR,
    ) -> None:
        extra_off, extra_on = set(extra_holidays), set(extra_workdays)
        clash = sorted(extra_off & extra_on)
        if clash:
            listed = ", ".join(d.isoformat() for d in clash)
            raise ValueError(f"dates in both extra_holidays and extra_workdays: {listed}")
        starts = np.array([_seconds(a) for a, _ in office_hours], dtype=np.int64)
        ends = np.array([_seconds(b) for _, b in office_hours], dtype=np.int64)
        if len(starts) == 0 or np.any(ends <= starts) or np.any(starts[1:] < ends[:-1]):
            raise ValueError(
                "office hours must be non-empty, ordered, non-overlapping [start, end) intervals"
            )
        self._starts, self._ends = starts, ends
        lengths = ends - starts
        self._interval_end = np.cumsum(lengths)  # working seconds of the day at each interval's end
        self._interval_before = self._interval_end - lengths
        self.day_seconds = int(self._interval_end[-1])
        self.close_seconds = int(ends[-1])

        self.first_year, self.last_year = first_year, last_year
        first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
        self._origin = int(np.datetime64(first, "D").astype(np.int64))
        n_days = (last - first).days + 1
        days = np.arange(n_days, dtype=np.int64)
        weekday = (days + self._origin + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        working = weekday < 5

        vn = holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
        self._holiday_names: dict[dt.date, str] = {d: str(name) for d, name in vn.items()}
        # weekend_workdays is filled per requested year; the years were requested above.
        makeup = set(getattr(vn, "weekend_workdays", set()))
        for day in self._holiday_names:
            working[(day - first).days] = False
        for day in makeup | extra_on:
            if first <= day <= last:
                working[(day - first).days] = True
        for day in extra_off:
            if first <= day <= last:
                working[(day - first).days] = False
        self._makeup_days = frozenset(makeup | extra_on)
        self._extra_holidays = frozenset(extra_off)

        self._working = working
        per_day = np.where(working, self.day_seconds, 0).astype(np.int64)
        self._cum_end = np.cumsum(per_day)
        self._cum_before = self._cum_end - per_day
        self._workday_count = np.cumsum(working.astype(np.int64))  # working days in [first, d]
        idx = np.where(working, days, -1)
        prev_incl = np.maximum.accumulate(idx)
        self._prev_strict = np.concatenate(([-1], prev_incl[:-1]))
        nxt = np.where(working, days, n_days)
        next_incl = np.minimum.accumulate(nxt[::-1])[::-1]
        self._next_strict = np.concatenate((next_incl[1:], [n_days]))
        self._next_incl = next_incl
        self._n_days = n_days

    # ------------------------------------------------------------------ array core

    def _day_index(self, day_numbers: Ints, valid: Bools) -> Ints:
        idx = day_numbers - self._origin
        bad = valid & ((idx < 0) | (idx >= self._n_days))
        if np.any(bad):
            sample = np.datetime64(int(day_numbers[bad][0]), "D")
            raise CalendarRangeError(
                f"{sample} is outside the working calendar ({self.first_year}–{self.last_year})"
            )
        return np.where(valid, idx, 0)

    def _split(self, t: Instants) -> tuple[Ints, Ints, Bools]:
        t = np.asarray(t, dtype="datetime64[s]")
        valid = ~np.isnat(t)
        secs = np.where(valid, t.astype(np.int64), 0)
        return self._day_index(secs // _DAY, valid), secs % _DAY, valid

    def working_ordinal(self, t: Instants) -> Ints:
        """Working seconds from the calendar's start to each instant (-1 where the instant is NaT)."""
        day, sod, valid = self._split(t)
        inside = np.zeros(day.shape, dtype=np.int64)
        for start, end in zip(self._starts, self._ends, strict=True):
            inside += np.clip(sod - start, 0, end - start)
        ordinal = self._cum_before[day] + np.where(self._working[day], inside, 0)
        return np.where(valid, ordinal, -1)

    def _from_ordinal(self, ordinal: Ints, valid: Bools, earliest: bool) -> Instants:
        """The instant of a working ordinal: the earliest one (a result stays on an interval's end), or
        the one where the clock starts moving again (the next opening)."""
        ordinal = np.where(valid, ordinal, 0)
        side: Literal["left", "right"] = "left" if earliest else "right"
        day = np.searchsorted(self._cum_end, ordinal, side=side)
        if np.any(valid & (day >= self._n_days)):
            raise CalendarRangeError(f"a result falls after the working calendar's end ({self.last_year})")
        day = np.minimum(day, self._n_days - 1)
        rest = ordinal - self._cum_before[day]
        k = np.minimum(np.searchsorted(self._interval_end, rest, side=side), len(self._starts) - 1)
        sod = self._starts[k] + rest - self._interval_before[k]
        secs = (day + self._origin) * _DAY + sod
        out = secs.astype("datetime64[s]")
        out[~valid] = np.datetime64("NaT")
        return cast(Instants, out)

    def add_working_seconds(self, t: Instants, seconds: npt.ArrayLike) -> Instants:
        """`t` plus that many working seconds (§3): outside office time first moves to the next opening;
        a positive amount landing exactly on an interval's end stays there."""
        t = np.asarray(t, dtype="datetime64[s]")
        amount = np.broadcast_to(np.asarray(seconds), t.shape)
        valid = ~np.isnat(t)
        if np.issubdtype(amount.dtype, np.floating):
            valid &= ~np.isnan(amount)
            amount = np.where(np.isnan(amount), 0, np.rint(amount))
        amount = amount.astype(np.int64)
        if np.any(valid & (amount < 0)):
            raise ValueError("working time to add must not be negative")
        start = self.working_ordinal(t)
        positive = self._from_ordinal(start + amount, valid, earliest=True)
        opening = self._from_ordinal(start, valid, earliest=False)
        return np.where(amount > 0, positive, opening)

    def working_seconds_between(self, a: Instants, b: Instants) -> Ints:
        """Office seconds from `a` to `b`; negative when `b` is earlier. Garbage where either is NaT: mask
        with `np.isnat` first."""
        return self.working_ordinal(b) - self.working_ordinal(a)

    def is_working_day(self, dates: Dates) -> Bools:
        d = np.asarray(dates, dtype="datetime64[D]")
        valid = ~np.isnat(d)
        idx = self._day_index(np.where(valid, d.astype(np.int64), 0), valid)
        return np.where(valid, self._working[idx], False)

    def _dates(self, idx: Ints, valid: Bools) -> Dates:
        out = (idx + self._origin).astype("datetime64[D]")
        out[~valid] = np.datetime64("NaT")
        return cast(Dates, out)

    def _date_index(self, dates: Dates) -> tuple[Ints, Bools]:
        d = np.asarray(dates, dtype="datetime64[D]")
        valid = ~np.isnat(d)
        return self._day_index(np.where(valid, d.astype(np.int64), 0), valid), valid

    def previous_working_days(self, dates: Dates) -> Dates:
        """The last working day strictly before each date."""
        idx, valid = self._date_index(dates)
        prev = self._prev_strict[idx]
        if np.any(valid & (prev < 0)):
            raise CalendarRangeError(f"no working day before {self.first_year} in the calendar")
        return self._dates(prev, valid)

    def next_working_days(self, dates: Dates, include_self: bool = False) -> Dates:
        """The first working day strictly after each date (or the date itself if working and allowed)."""
        idx, valid = self._date_index(dates)
        nxt = (self._next_incl if include_self else self._next_strict)[idx]
        if np.any(valid & (nxt >= self._n_days)):
            raise CalendarRangeError(f"no working day after {self.last_year} in the calendar")
        return self._dates(nxt, valid)

    def add_working_days_to_dates(self, dates: Dates, n: npt.ArrayLike) -> Dates:
        """The n-th working day after each date (n = 0 gives the date itself)."""
        idx, valid = self._date_index(dates)
        n_arr = np.broadcast_to(np.asarray(n, dtype=np.int64), idx.shape)
        target = self._workday_count[idx] + n_arr
        found = np.searchsorted(self._workday_count, target, side="left")
        out_idx = np.where(n_arr > 0, found, idx)
        if np.any(valid & (out_idx >= self._n_days)):
            raise CalendarRangeError(f"a result falls after the working calendar's end ({self.last_year})")
        return self._dates(np.minimum(out_idx, self._n_days - 1), valid)

    def close_of_day(self, dates: Dates) -> Instants:
        """The close of office hours (17:00 by default) on each date."""
        d = np.asarray(dates, dtype="datetime64[D]")
        return cast(Instants, d.astype("datetime64[s]") + np.timedelta64(self.close_seconds, "s"))

    def statutory_due(
        self, received: Instants, limit_value: npt.ArrayLike, limit_unit: npt.ArrayLike
    ) -> Instants:
        """§3 statutory due per dossier; NaT where the received time, the limit or its unit is unknown.

        `limit_unit` holds `LimitUnit` codes (0 = unknown); `limit_value` may be float with NaN."""
        received = np.asarray(received, dtype="datetime64[s]")
        value = np.broadcast_to(np.asarray(limit_value, dtype=np.float64), received.shape)
        unit = np.broadcast_to(np.asarray(limit_unit, dtype=np.int64), received.shape)
        known = ~np.isnat(received) & ~np.isnan(value) & np.isin(unit, list(LimitUnit))
        value = np.where(known, value, 0.0)
        per_unit = np.select(
            [unit == LimitUnit.WORKING_DAYS, unit == LimitUnit.WORKING_HOURS],
            [self.day_seconds, 3600],
            0,
        )
        working = known & (unit != LimitUnit.CALENDAR_DAYS)
        by_working = self.add_working_seconds(
            np.where(working, received, np.datetime64("NaT")), value * per_unit
        )
        calendar = known & (unit == LimitUnit.CALENDAR_DAYS)
        day = received.astype("datetime64[D]") + np.rint(value).astype(np.int64)
        day = np.where(calendar, day, np.datetime64("NaT"))
        by_calendar = self.close_of_day(self.next_working_days(day, include_self=True))
        out = np.where(calendar, by_calendar, by_working)
        out[~known] = np.datetime64("NaT")
        return out

    # ------------------------------------------------------------------ scalar convenience

    @staticmethod
    def _one(value: dt.datetime) -> Instants:
        return np.array([np.datetime64(to_local_naive(value), "s")])

    @staticmethod
    def _aware(value: np.datetime64) -> dt.datetime:
        seconds = int(value.astype("datetime64[s]").astype(np.int64))
        naive = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)
        return naive.replace(tzinfo=LOCAL_TZ)

    def due(self, received: dt.datetime, limit_value: float, unit: LimitUnit) -> dt.datetime:
        """The statutory due instant, aware in Asia/Ho_Chi_Minh."""
        return self._aware(self.statutory_due(self._one(received), [limit_value], [int(unit)])[0])

    def add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """`start` plus working time."""
        return self._aware(self.add_working_seconds(self._one(start), [amount.total_seconds()])[0])

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from `a` to `b` (negative when `b` is earlier)."""
        return dt.timedelta(seconds=int(self.working_seconds_between(self._one(a), self._one(b))[0]))

    def is_working(self, day: dt.date) -> bool:
        return bool(self.is_working_day(np.array([day], dtype="datetime64[D]"))[0])

    def next_working_day(self, day: dt.date) -> dt.date:
        return self._date(self.next_working_days(np.array([day], dtype="datetime64[D]"))[0])

    def previous_working_day(self, day: dt.date) -> dt.date:
        return self._date(self.previous_working_days(np.array([day], dtype="datetime64[D]"))[0])

    @staticmethod
    def _date(value: np.datetime64) -> dt.date:
        return dt.date(1970, 1, 1) + dt.timedelta(days=int(value.astype("datetime64[D]").astype(np.int64)))

    def holiday_name(self, day: dt.date) -> str | None:
        """Why a date is off (Vietnamese name from `holidays`), or None."""
        if day in self._extra_holidays:
            return "Ngày nghỉ bổ sung (cấu hình)"
        if day in self._makeup_days:
            return None
        return self._holiday_names.get(day)
