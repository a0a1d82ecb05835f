"""The report as an Excel workbook: a summary sheet, then one sheet per section.

Every sheet has a title, a subtitle and one header row (row 3, frozen); numbers are stored as numbers with
Vietnamese-friendly formats (rates as fractions shown as percentages), a missing rate as "—". Write-only
mode streams rows, so the appendix of late dossiers costs little even for a large month.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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

HEADER_ROW: Final = 3  # pandas: read_excel(..., header=HEADER_ROW - 1)
SHEETS: Final = {
    "summary": "Tổng hợp",
    "violations": "Vi phạm theo quy tắc",
    "change": "So với tháng trước",
    "trend": "Xu hướng 6 tháng",
    "procedures": "Thủ tục quá hạn nhiều",
    "late_dossiers": "Hồ sơ quá hạn",
}
FORMATS: Final = {
    "int": "#,##0",
    "pct": "0.0%",
    "delta": '+0.0" đ";-0.0" đ";0.0" đ"',
    "points": "0.00",
    "days": "0.0",
    "date": "DD/MM/YYYY",
}
WIDTHS: Final = {"text": 14, "int": 12, "pct": 13, "delta": 13, "points": 11, "days": 11, "date": 13}
Columns = Sequence[tuple[str, str, str]]


def _value(kind: str, value: Any) -> Any:
    if kind == "risk":
        return RISK_LABELS.get(value or "", DASH)
    if kind == "month":
        return month_label(value)
    if kind == "reason":
        return REASON_LABELS.get(value, value)
    if kind == "date":
        return dt.datetime.fromisoformat(value).date() if value else DASH
    if kind == "delta" and value is not None:
        return round(value * 100, 1)  # percentage points, not a fraction
    return DASH if value is None else value


class _Sheet:
    def __init__(self, book: Workbook, title: str, subtitle: str, columns: Columns) -> None:
        self.sheet = book.create_sheet(title)
        self.columns = columns
        for index, (key, header, kind) in enumerate(columns, start=1):
            width = 42 if key in {"unit_name", "procedure_name"} else WIDTHS.get(kind, 14)
            self.sheet.column_dimensions[get_column_letter(index)].width = max(width, len(header) * 0.9)
        self.sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        bold = Font(bold=True, size=13)
        self._row([(title, bold)])
        self._row([(subtitle, Font(italic=True, color="555555"))])
        fill = PatternFill("solid", fgColor="DCE6F1")
        head = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="center")
        cells = []
        for _, header, _ in columns:
            cell = WriteOnlyCell(self.sheet, value=header)
            cell.font, cell.fill, cell.alignment = head, fill, wrap
            cells.append(cell)
        self.sheet.append(cells)

    def _row(self, values: Iterable[tuple[Any, Font | None]]) -> None:
        cells = []
        for value, font in values:
            cell = WriteOnlyCell(self.sheet, value=value)
            if font is not None:
                cell.font = font
            cells.append(cell)
        self.sheet.append(cells)

    def rows(self, records: Iterable[dict[str, Any]], bold_last: bool = False) -> None:
        items = list(records)
        centre, bold = Alignment(horizontal="center"), Font(bold=True)
        for position, record in enumerate(items, start=1):
            last = bold_last and position == len(items)
            cells: list[Any] = []
            for key, _, kind in self.columns:
                value = _value(kind, record.get(key))
                styled = last or value == DASH or kind in FORMATS
                if not styled:
                    cells.append(value)  # a plain value costs far less than a styled cell
                    continue
                cell = WriteOnlyCell(self.sheet, value=value)
                if value == DASH:
                    cell.alignment = centre
                elif kind in FORMATS:
                    cell.number_format = FORMATS[kind]
                if last:
                    cell.font = bold
                cells.append(cell)
            self.sheet.append(cells)


def _with_total_name(total: dict[str, Any]) -> dict[str, Any]:
    return {**total, "unit_code": None, "unit_name": TOTAL_NAME}


def render_xlsx(report: dict[str, Any]) -> bytes:
    """The whole report as .xlsx bytes."""
    book = Workbook(write_only=True)
    label = month_label(report["month"])
    subtitle = f"Tháng {label}: từ {_day(report['period']['start'])} đến {_day(report['period']['end'])}"
    total = _with_total_name(report["total"])

    summary = _Sheet(book, SHEETS["summary"], f"Báo cáo rủi ro mức độ hài lòng — {subtitle}", FIGURE_COLUMNS)
    summary.rows([*report["units"], total], bold_last=True)

    rule_columns = [("unit_code", "Mã đơn vị", "text"), ("unit_name", "Đơn vị", "text")]
    rule_columns += [(code, RULE_LABELS[code], "int") for code in RULE_LABELS]
    rule_columns.append(("violations_total", "Tổng số vi phạm", "int"))
    violations = _Sheet(book, SHEETS["violations"], f"Vi phạm phát hiện trong tháng {label}", rule_columns)
    violations.rows((_violation_row(u) for u in [*report["units"], total]), bold_last=True)

    change = report["change"]
    previous = month_label(change["previous_month"])
    _Sheet(book, SHEETS["change"], f"Tháng {label} so với tháng {previous}", CHANGE_COLUMNS).rows(
        change["rows"], bold_last=True
    )
    _Sheet(book, SHEETS["trend"], "Toàn Sở, sáu tháng gần nhất", TREND_COLUMNS).rows(report["trend"])
    _Sheet(book, SHEETS["procedures"], "Mười thủ tục có nhiều hồ sơ quá hạn nhất", PROCEDURE_COLUMNS).rows(
        report["procedures"]
    )
    _Sheet(book, SHEETS["late_dossiers"], f"Hồ sơ quá hạn trong tháng {label}", LATE_COLUMNS).rows(
        report["late_dossiers"]
    )
    book.properties.title = f"Báo cáo rủi ro mức độ hài lòng tháng {label}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _violation_row(figures: dict[str, Any]) -> dict[str, Any]:
    counts = figures["violations"]
    return {
        "unit_code": figures["unit_code"],
        "unit_name": figures["unit_name"],
        **{code: counts.get(code, 0) for code in RULE_LABELS},
        "violations_total": sum(counts.values()),
    }


def _day(value: str) -> str:
    return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y")
