"""Words the users see: Vietnamese labels for rule codes, violation statuses, dossier statuses, roles."""

from __future__ import annotations

RULE_LABELS = {
    "overdue_return": "Giải quyết quá hạn",
    "overdue_open": "Đang quá hạn",
    "repeated_supplement": "Yêu cầu bổ sung nhiều lần",
    "missing_apology": "Quá hạn không xin lỗi",
    "repeated_reschedule": "Hẹn lại nhiều lần",
    "step_overdue": "Chậm tại bước xử lý",
    "due_beyond_statutory": "Hẹn trả vượt quy định",
}
VIOLATION_RULES = tuple(RULE_LABELS)

# What each rule means, said the way the office would explain it to a unit (domain.md §5).
RULE_EXPLANATIONS = {
    "overdue_return": "Hồ sơ đã giải quyết xong nhưng thời điểm kết thúc muộn hơn hạn trả kết quả.",
    "overdue_open": "Hồ sơ chưa giải quyết xong, không tạm dừng, và đã qua hạn trả kết quả.",
    "repeated_supplement": "Công dân bị yêu cầu bổ sung giấy tờ nhiều hơn số lần cho phép.",
    "missing_apology": (
        "Hồ sơ quá hạn mà không có văn bản xin lỗi gửi công dân trước ngày làm việc liền trước ngày hẹn trả."
    ),
    "repeated_reschedule": "Đơn vị đã hẹn lại ngày trả kết quả nhiều hơn số lần cho phép.",
    "step_overdue": "Một bước xử lý được chuyển tiếp muộn hơn hạn của bước đó (phiếu kiểm soát quá trình).",
    "due_beyond_statutory": (
        "Ngày hẹn trả ghi trên giấy tiếp nhận muộn hơn thời hạn giải quyết theo quy định."
    ),
}

STATUS_LABELS = {
    "open": "Chưa giải trình",
    "explained": "Đã giải trình, chờ duyệt",
    "accepted": "Chấp nhận giải trình",
    "rejected": "Không chấp nhận",
    "resolved": "Đã khắc phục",
}
# Violations that still need someone's attention; accepted and resolved ones are closed.
ACTIVE_STATUSES = ("open", "explained", "rejected")

DOSSIER_STATUS_LABELS = {
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

ROLE_LABELS = {
    "admin": "Quản trị",
    "office": "Văn phòng Sở",
    "unit_head": "Trưởng phòng",
    "viewer": "Chỉ xem",
}

ACTION_LABELS = {
    "opened": "Phát hiện vi phạm",
    "explained": "Giải trình",
    "accepted": "Chấp nhận giải trình",
    "rejected": "Không chấp nhận giải trình",
    "resolved": "Tự đóng (đã khắc phục)",
    "reopened": "Mở lại",
}
