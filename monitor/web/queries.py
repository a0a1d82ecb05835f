"""The violations list as a query: filters parsed from a request (with messages naming bad values),
scoped to what the user may see, sorted and paged. Pages, exports and the API share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_TZ
from monitor.models import STATUSES, Dossier, Unit, User, Violation
from monitor.web.labels import VIOLATION_RULES

SORTS = {
    "detected": Violation.detected_at,
    "unit": Violation.unit_code,
    "rule": Violation.rule,
    "status": Violation.status,
    "dossier": Dossier.code,
}
PAGE_SIZES = (25, 50, 100)
MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL; a larger one is simply not found
MAX_API_LIMIT = 1000


class FilterError(ValueError):
    """A filter value that cannot be used; the message names the parameter and the value."""


class NotVisibleError(Exception):
    """The user asked for a unit they may not see."""


@dataclass(frozen=True)
class ViolationFilter:
    unit: str | None = None
    rule: str | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    code: str | None = None
    sort: str = "detected"
    descending: bool = True
    page: int = 1
    per_page: int = 50

    def params(self, **changes: Any) -> dict[str, Any]:
        """Query parameters that reproduce this filter (for links), with `changes` applied."""
        f = replace(self, **changes)
        out: dict[str, Any] = {
            "unit": f.unit,
            "rule": f.rule,
            "status": f.status,
            "from": f.date_from.strftime("%d/%m/%Y") if f.date_from else None,
            "to": f.date_to.strftime("%d/%m/%Y") if f.date_to else None,
            "q": f.code,
            "sort": None if f.sort == "detected" else f.sort,
            "order": None if f.descending else "asc",
            "page": None if f.page == 1 else f.page,
            "per_page": None if f.per_page == 50 else f.per_page,
        }
        return {k: v for k, v in out.items() if v is not None}


def _date(name: str, value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not 1900 <= day.year <= 2100:
            raise FilterError(f"'{name}' = {value!r}: năm phải từ 1900 đến 2100")
        return day
    raise FilterError(f"'{name}' = {value!r} không phải ngày hợp lệ (dd/mm/yyyy hoặc yyyy-mm-dd)")


def _int(name: str, value: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise FilterError(f"'{name}' = {value!r} phải là số nguyên từ {low} đến {high}")
    return int(value)


def _choice(name: str, value: str, allowed: tuple[str, ...] | list[str]) -> str:
    if value not in allowed:
        raise FilterError(f"'{name}' = {value!r} không hợp lệ; chọn một trong: {', '.join(allowed)}")
    return value


def parse_filter(args: Mapping[str, str], *, reversed_range_ok: bool = False) -> ViolationFilter:
    """Read a filter from query parameters; empty values mean 'any'. A person who swaps the period's
    ends is told so; a script (`reversed_range_ok`) simply gets nothing back."""

    def get(name: str) -> str | None:
        value = (args.get(name) or "").strip()
        return value or None

    f = ViolationFilter()
    changes: dict[str, Any] = {}
    if (unit := get("unit")) is not None:
        changes["unit"] = unit
    if (rule := get("rule")) is not None:
        changes["rule"] = _choice("rule", rule, VIOLATION_RULES)
    if (status := get("status")) is not None:
        changes["status"] = _choice("status", status, STATUSES)
    if (value := get("from")) is not None:
        changes["date_from"] = _date("from", value)
    if (value := get("to")) is not None:
        changes["date_to"] = _date("to", value)
    swapped = (
        changes.get("date_from") and changes.get("date_to") and changes["date_from"] > changes["date_to"]
    )
    if swapped and not reversed_range_ok:
        raise FilterError("'from' phải trước hoặc bằng 'to'")
    if (code := get("q")) is not None:
        if len(code) > 80:
            raise FilterError("'q' dài quá 80 ký tự")
        changes["code"] = code
    if (sort := get("sort")) is not None:
        changes["sort"] = _choice("sort", sort, list(SORTS))
    if (order := get("order")) is not None:
        changes["descending"] = _choice("order", order, ("asc", "desc")) == "desc"
    if (page := get("page")) is not None:
        changes["page"] = _int("page", page, 1, 1_000_000)
    if (per_page := get("per_page")) is not None:
        changes["per_page"] = _int("per_page", per_page, 1, max(PAGE_SIZES))
    return replace(f, **changes)


def scope(f: ViolationFilter, user: User) -> ViolationFilter:
    """A unit head sees their own unit only: no unit means theirs, another unit is not visible."""
    if user.role != "unit_head":
        return f
    if f.unit is not None and f.unit != user.unit_code:
        raise NotVisibleError(f.unit)
    return replace(f, unit=user.unit_code)


def _local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), LOCAL_TZ).astimezone(dt.UTC)


def _conditions(f: ViolationFilter) -> list[ColumnElement[bool]]:
    """The filter as conditions on violations (and, for the code search only, on their dossier)."""
    where: list[ColumnElement[bool]] = []
    if f.unit:
        where.append(Violation.unit_code == f.unit)
    if f.rule:
        where.append(Violation.rule == f.rule)
    if f.status:
        where.append(Violation.status == f.status)
    if f.date_from:
        where.append(Violation.detected_at >= _local_midnight_utc(f.date_from))
    if f.date_to:
        where.append(Violation.detected_at < _local_midnight_utc(f.date_to + dt.timedelta(days=1)))
    if f.code:
        escaped = f.code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        # Center codes are upper case; a case-sensitive LIKE on the upper-cased input is several times
        # cheaper than ILIKE over a million codes.
        where.append(Dossier.code.like(f"%{escaped.upper()}%", escape="\\"))
    return where


def filtered(f: ViolationFilter) -> Select[Violation, str]:
    """Violation rows with their dossier's code, unsorted and unpaged."""
    return (
        select(Violation, Dossier.code)
        .join(Dossier, Dossier.id == Violation.dossier_id)
        .where(*_conditions(f))
    )


def count(session: Session, f: ViolationFilter) -> int:
    """How many violations match. Without a code search the dossiers are not joined: every violation has
    its dossier (a foreign key), and joining a million dossiers to count would cost a hundred times more."""
    query = select(func.count()).select_from(Violation)
    if f.code:
        query = query.join(Dossier, Dossier.id == Violation.dossier_id)
    return session.scalar(query.where(*_conditions(f))) or 0


def ordered(f: ViolationFilter, query: Select[Violation, str]) -> Select[Violation, str]:
    column = SORTS[f.sort]
    primary = column.desc() if f.descending else column.asc()
    tie = Violation.id.desc() if f.descending else Violation.id.asc()
    return query.order_by(primary, tie)


@dataclass(frozen=True)
class Page:
    rows: list[tuple[Violation, str]]
    total: int
    filter: ViolationFilter

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filter.per_page))


def page(session: Session, f: ViolationFilter) -> Page:
    total = count(session, f)
    query = ordered(f, filtered(f)).limit(f.per_page).offset((f.page - 1) * f.per_page)
    rows = [(v, code) for v, code in session.execute(query)]
    return Page(rows, total, f)


def all_rows(session: Session, f: ViolationFilter) -> Any:
    """Every filtered row in order, streamed in chunks (for exports)."""
    return session.execute(ordered(f, filtered(f)).execution_options(yield_per=2000))


def units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.code)))
