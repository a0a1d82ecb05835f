"""Simulated dossiers: each one is a whole life planned in advance (arrival, steps, supplements, apologies,
result, rating), and what the fake center serves is that life as seen at the fake's current time.

So the data is a pure function of (seed, start time, now): deterministic for a seed, and a running fake
sees dossiers arrive, progress and finish as its clock moves. Times are naive local (Asia/Ho_Chi_Minh)
inside this module; `due` callables take and return aware ones.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.base import LOCAL_TZ
from connectors.fake_catalog import (
    COMPANIES,
    PROCEDURES,
    STEP_CONTENT,
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
