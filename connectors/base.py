"""What every connector hands to the sync: typed, personal-data-free records, and one error type.

Instants are aware datetimes in Asia/Ho_Chi_Minh (the center's local time). Nothing here imports monitor/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

# Fields that identify the citizen. They are never needed to judge timeliness, so they are dropped at the
# door: from records and from the raw payload kept with a reject alike.
PERSONAL_FIELDS: Final = frozenset(
    {
        "ChuHoSo",
        "TenChuHoSo",
        "HoTen",
        "HoTenNguoiNop",
        "NguoiNop",
        "SoDienThoai",
        "DienThoai",
        "Email",
        "DiaChi",
        "DiaChiChuHoSo",
        "NgaySinh",
        "SoCMND",
        "CMND",
        "SoCCCD",
        "CCCD",
        "SoDinhDanh",
        "MaDinhDanh",
        "SoGiayTo",
        "SoGiayToChuHoSo",
        "SoHoChieu",
    }
)


@dataclass(frozen=True, slots=True)
class SupplementRecord:
    requested_at: dt.datetime | None
    completed_at: dt.datetime | None
    content: str | None
    requested_by: str | None


@dataclass(frozen=True, slots=True)
class StepRecord:
    seq: int
    unit_code: str | None
    unit_name: str | None
    handler: str | None
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    handed_over_at: dt.datetime | None
    content: str | None


@dataclass(frozen=True, slots=True)
class ApologyRecord:
    issued_at: dt.datetime | None
    new_due_at: dt.datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class DossierRecord:
    """One full snapshot of a dossier; a later snapshot replaces an earlier one, nested lists included."""

    code: str
    procedure_code: str | None
    procedure_name: str | None
    unit_code: str
    unit_name: str | None
    channel: int | None
    status: int
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointed_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    updated_at: dt.datetime
    supplements: tuple[SupplementRecord, ...] = ()
    steps: tuple[StepRecord, ...] = ()
    apologies: tuple[ApologyRecord, ...] = ()
    rating: int | None = None
    complaint: bool | None = None


@dataclass(frozen=True, slots=True)
class UnitRecord:
    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class ProcedureRecord:
    code: str
    name: str
    field_code: str | None
    field_name: str | None
    limit_value: float | None
    limit_unit: str | None  # the source's DonViTinh text, e.g. "Ngày làm việc"


@dataclass(frozen=True, slots=True)
class RejectedRecord:
    """A source record that failed validation: kept with its reason for the office to see.

    `payload` is the raw record with the personal fields removed."""

    key: str | None
    reason: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Page:
    """One batch from a source, stored in one transaction. `last_updated` is the highest `NgayCapNhat`
    among the page's valid records: once the page is stored the cursor may move up to it."""

    records: tuple[DossierRecord, ...]
    rejected: tuple[RejectedRecord, ...]
    last_updated: dt.datetime | None
    total: int | None = None  # how many records the source announced for the whole pull, if it says


class ConnectorError(Exception):
    """A source failed. `permanent` means retrying will not help (a refused token, a bad URL)."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class DossierSource(Protocol):
    """A source pulled page by page: the http connector (and the fake center behind it)."""

    def units(self) -> list[UnitRecord]: ...

    def procedures(self) -> list[ProcedureRecord]: ...

    def dossier_pages(self, since: dt.datetime | None) -> Iterator[Page]: ...


def strip_personal(value: Any) -> Any:
    """A copy of a raw record (nested lists and objects included) without the personal fields."""
    if isinstance(value, Mapping):
        return {str(k): strip_personal(v) for k, v in value.items() if k not in PERSONAL_FIELDS}
    if isinstance(value, list | tuple):
        return [strip_personal(v) for v in value]
    return value
