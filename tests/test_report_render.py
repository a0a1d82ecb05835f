"""The report's files: the workbook says what the JSON says, the PDF carries the names, rates and charts."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from monitor.reports import charts
from monitor.reports.labels import (
    CHANGE_COLUMNS,
    DASH,
    FIGURE_COLUMNS,
    LATE_COLUMNS,
    PROCEDURE_COLUMNS,
    REASON_LABELS,
    RISK_LABELS,
    RULE_LABELS,
    TOTAL_NAME,
    TREND_COLUMNS,
    month_label,
)
from monitor.reports.pdf import APPENDIX_LIMIT, render_pdf
from monitor.reports.xlsx import HEADER_ROW, SHEETS, render_xlsx
from tests.report_builders import sample_report
from tests.test_report_figures import february


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return february()


@pytest.fixture(scope="module")
def workbook(report: dict[str, Any]) -> bytes:
    return render_xlsx(report)


@pytest.fixture(scope="module")
def pdf(report: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render_pdf(report))
    return path


def sheet(workbook: bytes, section: str) -> pd.DataFrame:
    return pd.read_excel(io.BytesIO(workbook), sheet_name=SHEETS[section], header=HEADER_ROW - 1)


def back_to_json(kind: str, value: Any) -> Any:
    """Undo the workbook's presentation: dashes, Vietnamese labels, dates and percentage points."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == DASH:
        return None
    if kind == "risk":
        return {label: code for code, label in RISK_LABELS.items()}[value]
    if kind == "reason":
        return {label: code for code, label in REASON_LABELS.items()}[value]
    if kind == "month":
        mon, year = value.split("/")
        return f"{year}-{mon}"
    if kind == "date":
        return value.date().isoformat()
    if kind == "delta":
        return value / 100
    return value


def assert_same(kind: str, read: Any, expected: Any) -> None:
    if kind == "date":
        expected = expected[:10] if expected else None
    if kind == "delta" and expected is not None:
        assert read == pytest.approx(round(expected * 100, 1) / 100)
    elif isinstance(expected, float):
        assert read == pytest.approx(expected)
    else:
        assert read == expected


def assert_sheet_equals(frame: pd.DataFrame, columns: Any, records: list[dict[str, Any]]) -> None:
    assert list(frame.columns) == [header for _, header, _ in columns]
    assert len(frame) == len(records)
    for (_, row), record in zip(frame.iterrows(), records, strict=True):
        for key, header, kind in columns:
            assert_same(kind, back_to_json(kind, row[header]), record.get(key))


def test_the_summary_sheet_equals_the_json_figures(workbook: bytes, report: dict[str, Any]) -> None:
    total = {**report["total"], "unit_name": TOTAL_NAME}
    assert_sheet_equals(sheet(workbook, "summary"), FIGURE_COLUMNS, [*report["units"], total])


def test_every_section_has_its_own_sheet_equal_to_the_json(workbook: bytes, report: dict[str, Any]) -> None:
    assert_sheet_equals(sheet(workbook, "change"), CHANGE_COLUMNS, report["change"]["rows"])
    assert_sheet_equals(sheet(workbook, "trend"), TREND_COLUMNS, report["trend"])
    assert_sheet_equals(sheet(workbook, "procedures"), PROCEDURE_COLUMNS, report["procedures"])
    assert_sheet_equals(sheet(workbook, "late_dossiers"), LATE_COLUMNS, report["late_dossiers"])
    violations = sheet(workbook, "violations")
    for (_, row), figures in zip(violations.iterrows(), [*report["units"], report["total"]], strict=True):
        assert {code: row[label] for code, label in RULE_LABELS.items()} == figures["violations"]
        assert row["Tổng số vi phạm"] == sum(figures["violations"].values())


def test_headers_are_frozen_and_numbers_formatted(workbook: bytes) -> None:
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == list(SHEETS.values())
    for ws in book.worksheets:
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    summary = book[SHEETS["summary"]]
    headers = {cell.value: cell.column_letter for cell in summary[HEADER_ROW]}
    rate = summary[f"{headers['Tỷ lệ đúng hạn']}{HEADER_ROW + 1}"]
    assert rate.number_format == "0.0%"
    assert summary[f"{headers['Hồ sơ trong kỳ']}{HEADER_ROW + 1}"].number_format == "#,##0"
    empty_unit = summary[f"{headers['Tỷ lệ đúng hạn']}{HEADER_ROW + 3}"]
    assert empty_unit.value == DASH


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_text_keeps_every_unit_name_with_its_diacritics_and_rates(
    pdf: Path, report: dict[str, Any]
) -> None:
    text = pdf_text(pdf)
    for unit in report["units"]:
        assert unit["unit_name"] in text
    assert "50,0%" in text  # U1
    assert "90,0%" in text  # U2
    assert "100,0%" in text  # U4
    assert f"{13 / 17 * 100:.1f}%".replace(".", ",") in text  # the department
    assert f"Báo cáo rủi ro mức độ hài lòng — tháng {month_label(report['month'])}" in text
    summary_page = text.split("\f")[0]
    u3_line = next(line for line in summary_page.splitlines() if "Phòng Đăng ký kinh doanh" in line)
    assert DASH in u3_line


def test_the_pdf_is_a4_with_the_three_charts_on_its_first_page(pdf: Path) -> None:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    images = [line.split() for line in listing.splitlines()[2:]]
    assert [row[0] for row in images if row[2] == "image"] == ["1", "1", "1"]


def test_a_long_appendix_is_cut_in_the_pdf_but_complete_in_the_workbook(tmp_path: Path) -> None:
    report = sample_report(late_rows=APPENDIX_LIMIT + 20)
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(report))
    text = pdf_text(path)
    assert "danh sách đầy đủ trong tệp Excel" in text
    assert f"H48.18-260210-{APPENDIX_LIMIT + 19:04d}" in text  # the latest rows are the ones shown
    assert "H48.18-260210-0000" not in text
    assert len(sheet(render_xlsx(report), "late_dossiers")) == APPENDIX_LIMIT + 20


def test_charts_are_png_images() -> None:
    report = sample_report()
    for draw in (charts.on_time_by_unit, charts.six_month_trend, charts.violations_by_rule):
        assert draw(report).startswith(b"\x89PNG\r\n\x1a\n")
