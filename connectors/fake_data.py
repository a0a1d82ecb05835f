"""Simulated dossiers: each one is a whole life planned in advance (arrival, steps, supplements, apologies,
result, rating), and what the fake center serves is that life as seen at the fake's current time.

So the data is a pure function of (seed, start time, now): deterministic for a seed, and a running fake
sees dossiers arrive, progress and finish as its clock moves. Times are naive local (Asia/Ho_Chi_Minh)
inside this module; `due` callables take and return aware ones.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.base import LOCAL_TZ
from connectors.fake_catalog import (
    APOLOGY_REASONS,
    COMPANIES,
    FAMILY,
    GIVEN,
    MIDDLE,
    OFFICE,
    ONE_STOP,
    PROCEDURES,
    STEP_CONTENT,
    SUPPLEMENT_REASONS,
    UNITS,
    procedure_code,
)

DueFunction = Callable[[dt.datetime, float, str], dt.datetime]
_HOUR = 3600
_DAY_SECONDS = 8 * _HOUR
_INTERVALS = ((7 * _HOUR, 11 * _HOUR + 1800), (13 * _HOUR + 1800, 17 * _HOUR))
_UNIT_NAMES = dict(UNITS)


def add_working(t: dt.datetime, seconds: float) -> dt.datetime:
    """`t` plus working time on a plain Monday–Friday office week (no holidays): the fake's own clock,
    good enough to make realistic data without depending on the monitor's calendar."""
    day = t.date()
    sec = t.hour * _HOUR + t.minute * 60 + t.second
    remaining = max(seconds, 0.0)
    while True:
        if day.weekday() < 5:
            for start, end in _INTERVALS:
                if sec < end:
                    begin = max(sec, start)
                    if remaining <= end - begin:
                        return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=begin + remaining)
                    remaining -= end - begin
                    sec = end
        day += dt.timedelta(days=1)
        sec = 0
        if day.weekday() == 0 and remaining > 5 * _DAY_SECONDS:
            weeks = int((remaining - 1) // (5 * _DAY_SECONDS))
            day += dt.timedelta(weeks=weeks)
            remaining -= weeks * 5 * _DAY_SECONDS


def simple_due(received: dt.datetime, value: float, unit: str) -> dt.datetime:
    """The statutory due with the plain office week (aware in, aware out)."""
    local = received.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if unit == "Ngày":
        day = local.date() + dt.timedelta(days=round(value))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        out = dt.datetime.combine(day, dt.time(17, 0))
    else:
        out = add_working(local, value * (_HOUR if unit == "Giờ làm việc" else _DAY_SECONDS))
    return out.replace(tzinfo=LOCAL_TZ)


def fmt(t: dt.datetime | None) -> str:
    if t is None:
        return ""
    return f"{t.year:04d}{t.month:02d}{t.day:02d}{t.hour:02d}{t.minute:02d}{t.second:02d}"


@dataclass(slots=True)
class Plan:
    """A dossier's whole life. `events` are the instants at which its served snapshot changes."""

    code: str
    procedure: int
    channel: int
    submitted: dt.datetime
    received: dt.datetime | None = None
    refused: dt.datetime | None = None
    appointed: dt.datetime | None = None
    overwrite_due: bool = False
    steps: list[tuple[str, dt.datetime, dt.datetime, dt.datetime | None]] = field(default_factory=list)
    supplements: list[tuple[dt.datetime, dt.datetime | None, str]] = field(default_factory=list)
    apologies: list[tuple[dt.datetime, dt.datetime | None, str]] = field(default_factory=list)
    fee: tuple[dt.datetime, dt.datetime] | None = None
    finished: dt.datetime | None = None
    returned: dt.datetime | None = None
    ended: tuple[int, dt.datetime] | None = None  # (7 withdrawn | 8 stopped, when)
    rating: tuple[dt.datetime, int, bool] | None = None
    person: tuple[str, str, str, str] = ("", "", "", "")
    events: list[dt.datetime] = field(default_factory=list)

    def seal(self) -> None:
        times = {self.submitted}
        for t in (self.received, self.refused, self.finished, self.returned):
            if t is not None:
                times.add(t)
        for _unit, start, _due, handed in self.steps:
            times.add(start)
            if handed is not None:
                times.add(handed)
        for requested, done, _text in self.supplements:
            times.add(requested)
            if done is not None:
                times.add(done)
        times.update(issued for issued, _new, _why in self.apologies)
        if self.fee:
            times.update(self.fee)
        if self.ended:
            times.add(self.ended[1])
        if self.rating:
            times.add(self.rating[0])
        self.events = sorted(times)

    def updated(self, now: dt.datetime) -> dt.datetime | None:
        """NgayCapNhat as of `now`: the last event at or before it (None: not submitted yet)."""
        i = bisect.bisect_right(self.events, now)
        return self.events[i - 1] if i else None


def _status(p: Plan, now: dt.datetime) -> int:
    if p.refused is not None and p.refused <= now:
        return 3
    if p.received is None or p.received > now:
        return 1
    if p.ended is not None and p.ended[1] <= now:
        return p.ended[0]
    if p.returned is not None and p.returned <= now:
        return 10
    if p.finished is not None and p.finished <= now:
        return 9
    if any(r <= now and (d is None or d > now) for r, d, _ in p.supplements):
        return 5
    if p.fee is not None and p.fee[0] <= now < p.fee[1]:
        return 6
    return 4 if p.steps and p.steps[0][3] is not None and p.steps[0][3] <= now else 2


def _at(t: dt.datetime | None, now: dt.datetime) -> str:
    return fmt(t) if t is not None and t <= now else ""


def snapshot(p: Plan, now: dt.datetime) -> dict[str, Any]:
    """The record the center serves for this dossier at `now` (center-api.md), personal fields included
    as a real center would send them."""
    proc = PROCEDURES[p.procedure]
    status = _status(p, now)
    apologies = [a for a in p.apologies if a[0] <= now]
    appointed = p.appointed if status != 3 else None
    if p.overwrite_due and apologies and apologies[-1][1] is not None:
        appointed = apologies[-1][1]  # many center systems write the apology's new date here
    name, phone, email, ident = p.person
    record: dict[str, Any] = {
        "MaHoSo": p.code,
        "MaTTHC": procedure_code(p.procedure),
        "TenTTHC": proc[2],
        "MaDonViXuLy": proc[1],
        "DonViXuLy": _UNIT_NAMES[proc[1]],
        "KenhThucHien": str(p.channel),
        "LoaiDoiTuong": "2" if name.startswith(COMPANIES) else "1",
        "ChuHoSo": name,
        "SoDienThoai": phone,
        "Email": email,
        "SoGiayToChuHoSo": ident,
        "NgayNopHoSo": fmt(p.submitted),
        "NgayTiepNhan": _at(p.received, now),
        "NgayHenTra": fmt(appointed) if p.received is not None and p.received <= now else "",
        "TrangThaiHoSo": str(status),
        "NgayKetThucXuLy": _at(p.finished, now) if status in (9, 10) else "",
        "NgayTra": _at(p.returned, now) if status == 10 else "",
        "NgayCapNhat": fmt(p.updated(now)),
        "DanhSachHoSoBoSung": [
            {
                "NgayBoSung": fmt(r),
                "NgayTiepNhanBoSung": _at(d, now),
                "NoiDungBoSung": text,
                "NguoiYeuCauBoSung": "Chuyên viên " + _UNIT_NAMES[proc[1]],
            }
            for r, d, text in p.supplements
            if r <= now
        ],
        "QuaTrinhXuLy": [
            {
                "STT": i,
                "MaPhongBan": unit,
                "PhongBanXuLy": _UNIT_NAMES[unit],
                "NguoiXuLy": f"Chuyên viên {unit[-2:]}.{(i * 7 + len(p.code)) % 9 + 1}",
                "NgayBatDau": fmt(start),
                "NgayKetThucTheoQuyDinh": fmt(due),
                "ThoiDiemXuLy": _at(handed, now),
                "NoiDungXuLy": STEP_CONTENT[min(i - 1, len(STEP_CONTENT) - 1)],
            }
            for i, (unit, start, due, handed) in enumerate(p.steps, 1)
            if start <= now
        ],
        "DanhSachXinLoi": [
            {"NgayXinLoi": fmt(issued), "NgayHenTraMoi": fmt(new), "LyDo": why}
            for issued, new, why in apologies
        ],
    }
    if p.rating is not None and p.rating[0] <= now:
        record["DanhGia"] = {"MucDo": str(p.rating[1]), "CoPhanAnh": p.rating[2]}
    return record


def units_payload() -> list[dict[str, Any]]:
    return [{"MaDonVi": "H48.18", "TenDonVi": "Sở Khoa học và Công nghệ", "MaDonViCha": None}] + [
        {"MaDonVi": code, "TenDonVi": name, "MaDonViCha": "H48.18"} for code, name in UNITS
    ]


def procedures_payload() -> list[dict[str, Any]]:
    from connectors.fake_catalog import FIELDS

    return [
        {
            "MaTTHC": procedure_code(i),
            "TenTTHC": name,
            "MaLinhVuc": field_code,
            "TenLinhVuc": FIELDS[field_code],
            "ThoiGianGiaiQuyet": str(limit),
            "DonViTinh": unit,
        }
        for i, (field_code, _unit_code, name, limit, unit, _weight) in enumerate(PROCEDURES)
    ]


def _upto(t: dt.datetime | None, limit: dt.datetime) -> dt.datetime | None:
    return t if t is not None and t <= limit else None


class Planner:
    """Draws dossier lives with realistic shares (early/on-day/late, supplements, apologies...)."""

    def __init__(self, seed: int, due: DueFunction = simple_due) -> None:
        self.rng = random.Random(seed)
        self.due = due
        self.weights = [p[5] for p in PROCEDURES]

    def _due(self, received: dt.datetime, value: float, unit: str) -> dt.datetime:
        due = self.due(received.replace(tzinfo=LOCAL_TZ), value, unit)
        return due.astimezone(LOCAL_TZ).replace(tzinfo=None)

    def _office_instant(self, start: dt.datetime, span_days: float) -> dt.datetime:
        rng = self.rng
        t = start + dt.timedelta(days=rng.random() * span_days)
        hour = rng.choice((7, 8, 9, 10, 13, 14, 15, 16))
        return add_working(t.replace(hour=hour, minute=rng.randrange(60)), 0)

    def plan(self, submitted: dt.datetime, code: str) -> Plan:
        rng = self.rng
        proc_index = rng.choices(range(len(PROCEDURES)), self.weights)[0]
        _field, unit, _name, limit, unit_text, _w = PROCEDURES[proc_index]
        channel = rng.choices((1, 2, 3), (40, 55, 5))[0]
        p = Plan(code=code, procedure=proc_index, channel=channel, submitted=submitted)
        p.person = self._person(code)
        roll = rng.random()
        received = submitted if channel == 1 else add_working(submitted, rng.uniform(0.2, 6) * _HOUR)
        if channel != 1 and roll < 0.01:
            p.seal()
            return p  # never accepted: stays "Mới đăng ký"
        if roll < 0.03:
            p.refused = received
            p.seal()
            return p
        p.received = received
        statutory = self._due(received, limit, unit_text)
        appointed = statutory
        if rng.random() < 0.04:  # the desk promised a later date than the law allows
            appointed = add_working(statutory, rng.choice((1, 2, 3, 5)) * _DAY_SECONDS)
        p.appointed = None if rng.random() < 0.01 else appointed
        span = (appointed - received).total_seconds()
        paused = self._supplements(p, received, span)
        effective = appointed + dt.timedelta(seconds=paused)
        finished = self._finish(received, effective, p)
        self._steps(p, unit, received, effective, finished)
        if rng.random() < 0.1:  # waiting for fees: status 6 shortly before the result
            p.fee = (finished - dt.timedelta(days=rng.uniform(1, 4)), finished - dt.timedelta(hours=1))
            if p.fee[0] <= received:
                p.fee = None
        if finished > effective:
            self._apologies(p, received, effective, finished)
        end_roll = rng.random()
        if end_roll < 0.03:  # withdrawn (7) or stopped (8) part-way
            when = received + (finished - received) * rng.uniform(0.2, 0.9)
            p.ended = (7 if end_roll < 0.02 else 8, when)
            p.steps = [(u, s, d, _upto(h, when)) for u, s, d, h in p.steps if s <= when]
            p.supplements = [(r, _upto(d, when), t) for r, d, t in p.supplements if r <= when]
            p.apologies = [a for a in p.apologies if a[0] <= when]
            p.fee = None
        else:
            p.finished = finished
            if rng.random() < 0.9:
                p.returned = add_working(finished, rng.uniform(0.1, 20) * _HOUR)
                if rng.random() < 0.35:
                    late = finished > effective
                    level = rng.choices((1, 2, 3), (40, 35, 25) if late else (60, 33, 7))[0]
                    complaint = rng.random() < (0.12 if late else 0.02)
                    p.rating = (p.returned + dt.timedelta(hours=rng.uniform(0.5, 48)), level, complaint)
        p.seal()
        return p

    def _person(self, code: str) -> tuple[str, str, str, str]:
        rng = self.rng
        if rng.random() < 0.3:
            name = f"{rng.choice(COMPANIES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        serial = code[-4:] + code[7:13]
        phone = f"09{rng.randrange(10**8):08d}"
        return name, phone, f"nguoinop{serial}@example.vn", f"0{rng.randrange(10**11):011d}"

    def _supplements(self, p: Plan, received: dt.datetime, span: float) -> float:
        rng = self.rng
        if rng.random() >= 0.12:
            return 0.0
        paused = 0.0
        at = received + dt.timedelta(seconds=span * rng.uniform(0.1, 0.5))
        for _ in range(3 if rng.random() < 0.05 else 2 if rng.random() < 0.2 else 1):
            requested = add_working(at, 0)
            done = add_working(requested + dt.timedelta(days=rng.uniform(0.5, 6)), 0)
            p.supplements.append((requested, done, rng.choice(SUPPLEMENT_REASONS)))
            paused += (done - requested).total_seconds()
            at = done + dt.timedelta(days=rng.uniform(0.5, 3))
        return paused

    def _finish(self, received: dt.datetime, effective: dt.datetime, p: Plan) -> dt.datetime:
        rng = self.rng
        floor = (p.supplements[-1][1] if p.supplements else received) or received
        outcome = rng.random()
        if outcome < 0.62:  # early: a day before the due date or more
            t = received + (effective - received) * rng.uniform(0.3, 0.85)
            t = add_working(t, 0)
            if t.date() >= effective.date():
                t = effective - dt.timedelta(days=1)
        elif outcome < 0.86:  # on the due date, before the due time
            opening = effective.replace(hour=7, minute=0, second=0)
            t = effective - (effective - opening) * rng.uniform(0, 0.9) if effective > opening else effective
        else:
            t = add_working(effective, rng.uniform(0.5, 64) * _HOUR)
        return max(t, floor + dt.timedelta(hours=rng.uniform(0.5, 4)))

    def _steps(self, p: Plan, unit: str, received: dt.datetime, due: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        one_stop = min(received + dt.timedelta(minutes=rng.uniform(10, 120)), end)
        sign_start = end - (end - one_stop) * rng.uniform(0.05, 0.2)
        expert_due = received + (due - received) * 0.8
        if (end > due and rng.random() < 0.7) or rng.random() < 0.06:
            sign_start = max(sign_start, expert_due + dt.timedelta(hours=rng.uniform(1, 30)))
            sign_start = min(sign_start, end)
        leader = OFFICE[0] if rng.random() < 0.5 else unit
        p.steps = [
            (ONE_STOP[0], received, add_working(received, 4 * _HOUR), one_stop),
            (unit, one_stop, expert_due, sign_start),
            (leader, sign_start, due, end),
        ]

    def _apologies(self, p: Plan, received: dt.datetime, due: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return
        if roll < 0.8:
            issued = due - dt.timedelta(days=rng.uniform(1.2, 3))
            issued = max(issued, received + dt.timedelta(hours=1))
        else:
            issued = due + dt.timedelta(hours=rng.uniform(2, 48))
        new = add_working(end, rng.uniform(0, 16) * _HOUR).replace(hour=16, minute=30, second=0)
        p.overwrite_due = rng.random() < 0.5
        if rng.random() < 0.15:
            first = add_working(due, rng.uniform(4, 16) * _HOUR)
            p.apologies.append((issued, first, rng.choice(APOLOGY_REASONS)))
            issued = max(issued + dt.timedelta(hours=2), first - dt.timedelta(hours=6))
        p.apologies.append((issued, new, rng.choice(APOLOGY_REASONS)))


def plan_department(
    seed: int, now: dt.datetime, size: int, future_days: float = 7.0, due: DueFunction = simple_due
) -> list[Plan]:
    """`size` dossiers submitted over the year before `now` and `future_days` after it (naive local)."""
    planner = Planner(seed, due)
    start = now - dt.timedelta(days=365)
    span = 365 + future_days
    times = sorted(planner._office_instant(start, span) for _ in range(size))
    per_day: dict[dt.date, int] = {}
    plans = []
    for t in times:
        n = per_day[t.date()] = per_day.get(t.date(), 0) + 1
        plans.append(planner.plan(t, f"H48.18-{t:%y%m%d}-{n:04d}"))
    return plans
