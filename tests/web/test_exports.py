"""Exports contain exactly the filtered rows, in the list's order, for CSV and XLSX alike."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.web.conftest import World


def csv_rows(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the diacritics only with the BOM
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(body: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["kt", "tp", "tp_step", "kt_accepted"]),  # newest first, then the higher id
        ("unit=KT", ["kt", "kt_accepted"]),
        ("rule=step_overdue", ["tp_step"]),
        ("status=open&unit=TP&sort=dossier&order=asc", ["tp_step", "tp"]),
        ("q=0002", ["tp"]),
        ("to=2026-03-09", ["kt_accepted"]),
    ],
)
def test_csv_and_xlsx_exports_hold_exactly_the_filtered_rows(
    world: World, query: str, expected: list[str]
) -> None:
    client = world.client("office@so.gov.vn")
    ids = [world.ids[name] for name in expected]
    as_csv = csv_rows(client.get(f"/violations.csv?{query}", buffered=True).data)
    as_xlsx = xlsx_rows(client.get(f"/violations.xlsx?{query}", buffered=True).data)
    assert [int(r["id"]) for r in as_csv] == ids
    assert [r["id"] for r in as_xlsx] == ids


def test_an_export_row_carries_codes_and_vietnamese_labels(world: World) -> None:
    rows = csv_rows(
        world.client("office@so.gov.vn").get("/violations.csv?rule=step_overdue", buffered=True).data
    )
    (row,) = rows
    assert row["rule"] == "step_overdue" and row["Loại vi phạm"] == "Chậm tại bước xử lý"
    assert row["dossier_code"] == "H48.18-260302-0001" and row["unit_code"] == "TP" and row["step"] == "2"
    assert row["Trạng thái"] == "Chưa giải trình" and row["Phát hiện lúc"] == "10/03/2026 07:00"


def test_a_unit_heads_export_holds_only_their_unit(world: World) -> None:
    client = world.client("tp@so.gov.vn")
    rows = xlsx_rows(client.get("/violations.xlsx", buffered=True).data)
    assert {r["unit_code"] for r in rows} == {"TP"} and len(rows) == 2


def test_an_export_with_a_bad_filter_says_which(world: World) -> None:
    response = world.client("office@so.gov.vn").get("/violations.csv?status=nope")
    assert response.status_code == 400
    assert "'status' = 'nope'" in response.get_json()["error"]
