"""Validation of raw records: what is required, what is rejected and why, and dialects by configuration."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.base import LOCAL_TZ, strip_personal
from connectors.records import RecordError, RecordParser
from tests.test_sync_files import raw


def test_a_reference_record_becomes_a_typed_snapshot_in_local_time() -> None:
    record = RecordParser().dossier(raw())
    assert record.received_at == dt.datetime(2026, 2, 13, 16, 0, tzinfo=LOCAL_TZ)
    assert (record.status, record.channel, record.rating, record.complaint) == (10, 2, 3, True)
    assert record.steps[0].handed_over_at == dt.datetime(2026, 2, 13, 16, 30, tzinfo=LOCAL_TZ)
    assert record.supplements[0].completed_at is not None and record.apologies[0].new_due_at is not None


def test_numbers_may_arrive_as_numbers_and_empty_times_mean_none() -> None:
    record = RecordParser().dossier(raw(TrangThaiHoSo=4, KenhThucHien=1, NgayTra=None, NgayKetThucXuLy=""))
    assert (record.status, record.channel, record.returned_at, record.finished_at) == (4, 1, None, None)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"MaHoSo": ""}, "MaHoSo: required field is missing or empty"),
        ({"MaDonViXuLy": None}, "MaDonViXuLy: required field is missing or empty"),
        ({"TrangThaiHoSo": "11"}, "TrangThaiHoSo: expected a status code 1–10, got '11'"),
        ({"TrangThaiHoSo": None}, "TrangThaiHoSo: expected a status code 1–10, got missing"),
        ({"NgayCapNhat": ""}, "NgayCapNhat: required field is missing or empty"),
        ({"NgayHenTra": "20260231160000"}, "NgayHenTra: unparsable time '20260231160000'"),
        ({"DanhSachXinLoi": [{"NgayXinLoi": "26/02/2026"}]}, "DanhSachXinLoi[1].NgayXinLoi: unparsable time"),
        ({"QuaTrinhXuLy": "none"}, "QuaTrinhXuLy: expected a list of objects"),
    ],
)
def test_a_record_failing_validation_is_rejected_whole_with_its_reason(overrides: dict, reason: str) -> None:
    with pytest.raises(RecordError) as caught:
        RecordParser().dossier(raw(**overrides))
    assert reason in str(caught.value)


def test_a_reject_keeps_the_payload_without_personal_fields() -> None:
    parser = RecordParser()
    payload = raw(Email="a@b.vn", SoCCCD="001234567890", TrangThaiHoSo="11")
    reject = parser.reject(payload, "bad status")
    assert reject.key == "H48.18-260213-0007"
    assert not {"ChuHoSo", "SoDienThoai", "Email", "SoCCCD"} & set(reject.payload)
    assert reject.payload["MaTTHC"] == payload["MaTTHC"]


def test_personal_fields_are_stripped_inside_nested_lists_too() -> None:
    cleaned = strip_personal({"a": [{"ChuHoSo": "X", "b": 1}], "Email": "e"})
    assert cleaned == {"a": [{"b": 1}]}


def test_another_systems_field_names_and_date_format_are_reached_by_configuration() -> None:
    parser = RecordParser("%d/%m/%Y %H:%M", {"MaHoSo": "SoHoSo", "NgayTiepNhan": "NgayNhan"})
    source = {k: v for k, v in raw().items() if not isinstance(v, list | dict)}
    source = {
        **source,
        "NgayHenTra": "27/02/2026 16:00",
        "NgayCapNhat": "02/03/2026 09:00",
        "NgayNopHoSo": "",
        "NgayKetThucXuLy": "",
        "NgayTra": "",
    }
    source["SoHoSo"] = source.pop("MaHoSo")
    source["NgayNhan"] = "13/02/2026 16:00"
    del source["NgayTiepNhan"]
    record = parser.dossier(source)
    assert record.code == "H48.18-260213-0007"
    assert record.received_at == dt.datetime(2026, 2, 13, 16, 0, tzinfo=LOCAL_TZ)
    with pytest.raises(RecordError, match="NgayNhan: unparsable time '20260213160000'"):
        parser.dossier({**source, "NgayNhan": "20260213160000"})


def test_a_procedure_keeps_its_limit_and_the_sources_unit_text() -> None:
    proc = RecordParser().procedure(
        {"MaTTHC": "1.1", "TenTTHC": "X", "ThoiGianGiaiQuyet": "7,5", "DonViTinh": "Giờ làm việc"}
    )
    assert (proc.limit_value, proc.limit_unit) == (7.5, "Giờ làm việc")
