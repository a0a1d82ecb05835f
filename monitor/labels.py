"""Words the users see, in one place: Vietnamese labels for rule codes, violation and dossier statuses,
roles and risk bands. Pages, alerts, reports and the command line all read them from here."""

from __future__ import annotations

from typing import Final

# domain.md §5: the violation rules, in the order the pages show them.
RULE_LABELS: Final = {
    "overdue_return": "Giải quyết quá hạn",
    "overdue_open": "Đang quá hạn",
    "repeated_supplement": "Yêu cầu bổ sung nhiều lần",
    "missing_apology": "Quá hạn không xin lỗi",
    "repeated_reschedule": "Hẹn lại nhiều lần",
    "step_overdue": "Chậm tại bước xử lý",
    "due_beyond_statutory": "Hẹn trả vượt quy định",
}
DUE_SOON_LABEL: Final = "Sắp đến hạn"  # a warning, not a violation

VIOLATION_STATUS_LABELS: Final = {
    "open": "Chưa giải trình",
    "explained": "Đã giải trình, chờ duyệt",
    "accepted": "Chấp nhận giải trình",
    "rejected": "Không chấp nhận",
    "resolved": "Đã khắc phục",
}

# domain.md §2: TrangThaiHoSo.
DOSSIER_STATUS_LABELS: Final = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Chờ nghĩa vụ tài chính",
    7: "Công dân rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

ROLE_LABELS: Final = {
    "admin": "Quản trị",
    "office": "Văn phòng Sở",
    "unit_head": "Trưởng phòng",
    "viewer": "Chỉ xem",
}

RISK_LABELS: Final = {"low": "Thấp", "medium": "Trung bình", "high": "Cao"}
