"""What people read in the report: Vietnamese labels and number formats, shared by every renderer."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from monitor.labels import RISK_LABELS, RULE_LABELS

__all__ = ["RISK_LABELS", "RULE_LABELS"]  # the shared vocabulary, re-exported for the renderers

DASH: Final = "—"

TOTAL_NAME: Final = "Toàn Sở"

# Column key → header, in the order the summary shows them. Kinds drive the number format.
FIGURE_COLUMNS: Final = (
    ("unit_code", "Mã đơn vị", "text"),
    ("unit_name", "Đơn vị", "text"),
    ("in_scope", "Hồ sơ trong kỳ", "int"),
    ("early", "Trước hạn", "int"),
    ("on_day", "Đúng ngày hẹn", "int"),
    ("late", "Quá hạn", "int"),
    ("on_time", "Đúng hạn (766)", "int"),
    ("on_time_rate", "Tỷ lệ đúng hạn", "pct"),
    ("progress_points", "Điểm tiến độ (/20)", "points"),
    ("dissatisfied", "Không hài lòng, phản ánh", "int"),
    ("satisfaction_proxy", "Chỉ số hài lòng ước tính", "pct"),
    ("risk_band", "Mức rủi ro", "risk"),
    ("open_overdue_at_end", "Đang quá hạn cuối kỳ", "int"),
    ("undetermined", "Chưa xác định hạn", "int"),
)
CHANGE_COLUMNS: Final = (
    ("unit_code", "Mã đơn vị", "text"),
    ("unit_name", "Đơn vị", "text"),
    ("previous_in_scope", "Hồ sơ tháng trước", "int"),
    ("in_scope", "Hồ sơ tháng này", "int"),
    ("previous_on_time_rate", "Tỷ lệ đúng hạn tháng trước", "pct"),
    ("on_time_rate", "Tỷ lệ đúng hạn tháng này", "pct"),
    ("on_time_rate_change", "Thay đổi (điểm %)", "delta"),
    ("previous_satisfaction_proxy", "Chỉ số hài lòng tháng trước", "pct"),
    ("satisfaction_proxy", "Chỉ số hài lòng tháng này", "pct"),
    ("satisfaction_proxy_change", "Thay đổi chỉ số (điểm %)", "delta"),
    ("previous_risk_band", "Rủi ro tháng trước", "risk"),
    ("risk_band", "Rủi ro tháng này", "risk"),
)
TREND_COLUMNS: Final = (
    ("month", "Tháng", "month"),
    ("in_scope", "Hồ sơ trong kỳ", "int"),
    ("on_time", "Đúng hạn (766)", "int"),
    ("late", "Quá hạn", "int"),
    ("on_time_rate", "Tỷ lệ đúng hạn", "pct"),
    ("satisfaction_proxy", "Chỉ số hài lòng ước tính", "pct"),
    ("risk_band", "Mức rủi ro", "risk"),
)
PROCEDURE_COLUMNS: Final = (
    ("procedure_code", "Mã thủ tục", "text"),
    ("procedure_name", "Tên thủ tục", "text"),
    ("in_scope", "Hồ sơ trong kỳ", "int"),
    ("late", "Quá hạn", "int"),
    ("on_time_rate", "Tỷ lệ đúng hạn", "pct"),
)
LATE_COLUMNS: Final = (
    ("unit_name", "Đơn vị", "text"),
    ("code", "Mã hồ sơ", "text"),
    ("procedure_name", "Thủ tục", "text"),
    ("received_at", "Ngày tiếp nhận", "date"),
    ("effective_due_at", "Hạn giải quyết", "date"),
    ("judged_end_at", "Ngày kết thúc (tính đến cuối kỳ)", "date"),
    ("late_working_days", "Trễ (ngày làm việc)", "days"),
    ("reason", "Lý do tính quá hạn", "reason"),
)
REASON_LABELS: Final = {
    "after_due": "Kết thúc sau hạn",
    "open_after_due": "Chưa xong, đã quá hạn",
    "repeated_supplement": "Bổ sung hồ sơ nhiều lần",
}


def pct(value: float | None, digits: int = 1) -> str:
    """85,3% (Vietnamese decimal comma), or a dash when there is no rate (an empty scope)."""
    if value is None:
        return DASH
    return f"{value * 100:.{digits}f}%".replace(".", ",")


def delta_points(value: float | None) -> str:
    """A change of a rate in percentage points, signed: +2,5 / −1,0."""
    if value is None:
        return DASH
    points = value * 100
    sign = "+" if points > 0.05 else ("−" if points < -0.05 else "±")
    return f"{sign}{abs(points):.1f}".replace(".", ",")


def number(value: float | None, digits: int = 0) -> str:
    """1.234 (Vietnamese thousands dot) or 12,5; a dash for nothing."""
    if value is None:
        return DASH
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def risk(value: str | None) -> str:
    return RISK_LABELS.get(value or "", DASH)


def month_label(month: str) -> str:
    """'2026-02' → '02/2026'."""
    year, mon = month.split("-")
    return f"{mon}/{year}"


def date_label(value: str | None) -> str:
    """An ISO instant from the figures → dd/mm/yyyy (its local date, already +07:00)."""
    if not value:
        return DASH
    return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y")


def cell_text(kind: str, value: Any) -> str:
    """One value as text for the PDF and the web page."""
    if kind == "pct":
        return pct(value)
    if kind == "delta":
        return delta_points(value)
    if kind == "points":
        return number(value, 2)
    if kind == "days":
        return number(value, 1)
    if kind == "int":
        return number(value)
    if kind == "risk":
        return risk(value)
    if kind == "month":
        return month_label(value)
    if kind == "date":
        return date_label(value)
    if kind == "reason":
        return REASON_LABELS.get(value, value or DASH)
    return DASH if value is None else str(value)
