"""Words the users see: Vietnamese labels for rule codes, violation statuses, dossier statuses, roles."""

from __future__ import annotations

from monitor.labels import DOSSIER_STATUS_LABELS, ROLE_LABELS, RULE_LABELS, VIOLATION_STATUS_LABELS

# The shared vocabulary (monitor/labels.py), under the names the pages have always used.
STATUS_LABELS = VIOLATION_STATUS_LABELS
__all__ = ["DOSSIER_STATUS_LABELS", "ROLE_LABELS", "RULE_LABELS", "STATUS_LABELS"]

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

# Violations that still need someone's attention; accepted and resolved ones are closed.
ACTIVE_STATUSES = ("open", "explained", "rejected")


ACTION_LABELS = {
    "opened": "Phát hiện vi phạm",
    "explained": "Giải trình",
    "accepted": "Chấp nhận giải trình",
    "rejected": "Không chấp nhận giải trình",
    "resolved": "Tự đóng (đã khắc phục)",
    "reopened": "Mở lại",
}
