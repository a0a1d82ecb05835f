"""The file connector: JSON, JSON lines, XLSX and CSV exports, bad rows, and each file imported once."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.models import (
    Apology,
    Dossier,
    Feedback,
    ImportedFile,
    ProcessingStep,
    RejectedRecord,
    SupplementRequest,
)
from monitor.sync import sync_connector
from tests.conftest import build_settings


def raw(code: str = "H48.18-260213-0007", **overrides: Any) -> dict[str, Any]:
    """A dossier as center-api.md shows it."""
    record: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": "1.004486.000.00.00.H48",
        "TenTTHC": "Cấp giấy phép tiến hành công việc bức xạ",
        "MaDonViXuLy": "H48.18.03",
        "DonViXuLy": "Phòng Quản lý chuyên ngành",
        "KenhThucHien": "2",
        "ChuHoSo": "Nguyễn Văn A",
        "SoDienThoai": "0912345678",
        "NgayNopHoSo": "20260213153000",
        "NgayTiepNhan": "20260213160000",
        "NgayHenTra": "20260227160000",
        "TrangThaiHoSo": "10",
        "NgayKetThucXuLy": "20260227150000",
        "NgayTra": "20260302090000",
        "NgayCapNhat": "20260302090000",
        "DanhSachHoSoBoSung": [
            {
                "NgayBoSung": "20260224100000",
                "NgayTiepNhanBoSung": "20260225080000",
                "NoiDungBoSung": "Thiếu bản sao chứng chỉ",
                "NguoiYeuCauBoSung": "Chuyên viên",
            }
        ],
        "QuaTrinhXuLy": [
            {
                "STT": 1,
                "MaPhongBan": "H48.18.01",
                "PhongBanXuLy": "Bộ phận Một cửa",
                "NguoiXuLy": "CV1",
                "NgayBatDau": "20260213160000",
                "NgayKetThucTheoQuyDinh": "20260223110000",
                "ThoiDiemXuLy": "20260213163000",
                "NoiDungXuLy": "Chuyển phòng chuyên môn",
            },
        ],
        "DanhSachXinLoi": [
            {"NgayXinLoi": "20260226100000", "NgayHenTraMoi": "20260303160000", "LyDo": "..."}
        ],
        "DanhGia": {"MucDo": "3", "CoPhanAnh": True},
    }
    record.update(overrides)
    return record


def file_settings(db_url: str, folder: Path) -> Settings:
    folder.mkdir(exist_ok=True)
    return build_settings(
        {
            "database": {"url": db_url},
            "connectors": [{"name": "exports", "kind": "file", "path": str(folder)}],
        }
    )


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_json_export_is_imported_with_its_nested_lists(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = file_settings(db_url, tmp_path / "in")
    (tmp_path / "in" / "hoso.json").write_text(json.dumps({"data": [raw(), raw("H48.18-260213-0008")]}))
    summary = sync_connector(settings, sessions, "exports")
    assert (summary.status, summary.inserted, summary.rejected) == ("success", 2, 0)
    assert [count(sessions, m) for m in (SupplementRequest, ProcessingStep, Apology, Feedback)] == [
        2,
        2,
        2,
        2,
    ]
    with sessions() as s:
        feedback = s.scalars(select(Feedback)).first()
        assert feedback is not None and (feedback.rating, feedback.complaint) == (3, True)


def test_json_lines_reject_a_broken_line_and_keep_the_others(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = file_settings(db_url, tmp_path / "in")
    lines = [json.dumps(raw()), "{not json", json.dumps(raw("H48.18-260213-0009", TrangThaiHoSo=11))]
    lines.append(json.dumps(raw("H48.18-260213-0010")))
    (tmp_path / "in" / "hoso.jsonl").write_text("\n".join(lines))
    summary = sync_connector(settings, sessions, "exports")
    assert (summary.inserted, summary.rejected) == (2, 2)
    with sessions() as s:
        reasons = sorted(s.scalars(select(RejectedRecord.reason)))
    assert "hoso.jsonl line 2: not valid JSON" in reasons[0]
    assert "TrangThaiHoSo: expected a status code 1–10, got 11" in reasons[1]


def test_a_csv_export_holds_the_flat_dossier_fields(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = file_settings(db_url, tmp_path / "in")
    flat = {k: v for k, v in raw().items() if not isinstance(v, list | dict)} | {"MucDo": "2"}
    with (tmp_path / "in" / "hoso.csv").open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(flat))
        writer.writeheader()
        writer.writerow(flat)
        writer.writerow(flat | {"MaHoSo": "H48.18-260213-0011", "NgayTiepNhan": "13/02/2026"})
    summary = sync_connector(settings, sessions, "exports")
    assert (summary.inserted, summary.rejected) == (1, 1)
    with sessions() as s:
        dossier = s.scalars(select(Dossier)).one()
        assert (dossier.status, dossier.channel) == (10, 2)
        assert s.scalar(select(Feedback.rating)) == 2


def test_an_xlsx_export_links_its_sheets_by_dossier_code(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = file_settings(db_url, tmp_path / "in")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "HoSo"
    columns = [
        "MaHoSo",
        "MaDonViXuLy",
        "TrangThaiHoSo",
        "NgayTiepNhan",
        "NgayHenTra",
        "NgayCapNhat",
        "ChuHoSo",
    ]
    sheet.append(columns)
    sheet.append(
        ["H48.18-260213-0001", "H48.18.03", 5, 20260213160000, "20260227160000", 20260224100000, "A"]
    )
    sheet.append(["H48.18-260213-0002", "H48.18.03", 4, "20260213160000", None, "20260213163000", "B"])
    sheet.append(["", "H48.18.03", 4, "20260213160000", None, "20260213163000", "C"])
    supplements = book.create_sheet("BoSung")
    supplements.append(["MaHoSo", "NgayBoSung", "NgayTiepNhanBoSung", "NoiDungBoSung"])
    supplements.append(["H48.18-260213-0001", "20260220100000", None, "Thiếu bản sao"])
    supplements.append(["H48.18-260213-0001", "20260224100000", None, "Thiếu lần hai"])
    steps = book.create_sheet("QuaTrinhXuLy")
    steps.append(["MaHoSo", "STT", "MaPhongBan", "NgayBatDau", "NgayKetThucTheoQuyDinh", "ThoiDiemXuLy"])
    steps.append(["H48.18-260213-0002", 1, "H48.18.02", "20260213160000", "20260213170000", "20260213163000"])
    apologies = book.create_sheet("XinLoi")
    apologies.append(["MaHoSo", "NgayXinLoi", "NgayHenTraMoi", "LyDo"])
    apologies.append(["H48.18-260213-0001", "20260226100000", "20260303160000", "Chờ ý kiến"])
    book.save(tmp_path / "in" / "hoso.xlsx")
    summary = sync_connector(settings, sessions, "exports")
    assert (summary.inserted, summary.rejected) == (2, 1)
    with sessions() as s:
        first = s.scalars(select(Dossier).where(Dossier.code == "H48.18-260213-0001")).one()
        assert [r.content for r in first.supplements] == ["Thiếu bản sao", "Thiếu lần hai"]
        assert len(first.apologies) == 1 and first.steps == []
        assert first.appointed_at is not None and first.appointed_at.hour == 9  # 16:00 +07:00 is 09:00 UTC
        second = s.scalars(select(Dossier).where(Dossier.code == "H48.18-260213-0002")).one()
        assert [st.unit_code for st in second.steps] == ["H48.18.02"]


def test_the_same_file_twice_is_imported_once(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = file_settings(db_url, tmp_path / "in")
    content = json.dumps([raw()])
    (tmp_path / "in" / "a.json").write_text(content)
    first = sync_connector(settings, sessions, "exports")
    (tmp_path / "in" / "copy-of-a.json").write_text(content)
    second = sync_connector(settings, sessions, "exports")
    assert (first.inserted, first.fetched) == (1, 1)
    assert (second.status, second.fetched) == ("success", 0)
    assert count(sessions, ImportedFile) == 1


def test_a_missing_export_folder_fails_the_run_by_name(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    settings = build_settings(
        {
            "database": {"url": db_url},
            "connectors": [{"name": "exports", "kind": "file", "path": str(tmp_path / "nope")}],
        }
    )
    summary = sync_connector(settings, sessions, "exports")
    assert summary.status == "failed" and str(tmp_path / "nope") in (summary.error or "")
