# ruff: noqa: E501
"""The simulated Sở Khoa học và Công nghệ: its units and a catalogue of real-looking KH&CN procedures.

Names follow the published procedure lists of provincial science departments; codes are made up in the
national format. Limits cover the three `DonViTinh` units of center-api.md.
"""

from __future__ import annotations

from typing import Final

DEPARTMENT: Final = ("H48.18", "Sở Khoa học và Công nghệ")
ONE_STOP: Final = ("H48.18.02", "Bộ phận Một cửa")
OFFICE: Final = ("H48.18.01", "Văn phòng Sở")

UNITS: Final = (
    OFFICE,
    ONE_STOP,
    ("H48.18.03", "Phòng Quản lý chuyên ngành"),
    ("H48.18.04", "Phòng Kế hoạch - Tài chính"),
    ("H48.18.05", "Phòng Quản lý khoa học"),
    ("H48.18.06", "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
    ("H48.18.07", "Phòng Quản lý công nghệ và Phát triển thị trường"),
    ("H48.18.08", "Phòng Bưu chính, Viễn thông và Chuyển đổi số"),
)

FIELDS: Final = {
    "ATBXHN": "An toàn bức xạ và hạt nhân",
    "TDC": "Tiêu chuẩn, đo lường, chất lượng",
    "HDKHCN": "Hoạt động khoa học và công nghệ",
    "SHTT": "Sở hữu trí tuệ",
    "CGCN": "Chuyển giao công nghệ",
    "BCVT": "Bưu chính, viễn thông",
}

WD, WH, CD = "Ngày làm việc", "Giờ làm việc", "Ngày"

# (field, handling unit, name, limit value, DonViTinh, relative frequency)
# fmt: off
PROCEDURES: Final = (
    ("ATBXHN", "H48.18.03", "Cấp giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế", 20, WD, 9),
    ("ATBXHN", "H48.18.03", "Gia hạn giấy phép tiến hành công việc bức xạ - sử dụng thiết bị X-quang chẩn đoán trong y tế", 15, WD, 5),
    ("ATBXHN", "H48.18.03", "Sửa đổi, bổ sung giấy phép tiến hành công việc bức xạ", 10, WD, 3),
    ("ATBXHN", "H48.18.03", "Cấp lại giấy phép tiến hành công việc bức xạ", 5, WD, 2),
    ("ATBXHN", "H48.18.03", "Cấp chứng chỉ nhân viên bức xạ (người phụ trách an toàn cơ sở X-quang)", 15, WD, 6),
    ("ATBXHN", "H48.18.03", "Cấp lại chứng chỉ nhân viên bức xạ", 5, WD, 1),
    ("ATBXHN", "H48.18.03", "Phê duyệt kế hoạch ứng phó sự cố bức xạ, hạt nhân cấp cơ sở", 30, CD, 1),
    ("ATBXHN", "H48.18.03", "Khai báo thiết bị X-quang chẩn đoán trong y tế", 24, WH, 4),
    ("TDC", "H48.18.06", "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá của tổ chức, cá nhân", 5, WD, 8),
    ("TDC", "H48.18.06", "Đăng ký công bố hợp quy đối với sản phẩm, hàng hóa sản xuất trong nước", 5, WD, 9),
    ("TDC", "H48.18.06", "Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu thuộc nhóm 2", 1, WD, 12),
    ("TDC", "H48.18.06", "Miễn giảm kiểm tra chất lượng hàng hóa nhập khẩu", 5, WD, 3),
    ("TDC", "H48.18.06", "Chứng nhận chuẩn đo lường để kiểm định phương tiện đo", 10, WD, 2),
    ("TDC", "H48.18.06", "Đăng ký tham dự sơ tuyển xét tặng Giải thưởng Chất lượng Quốc gia", 30, CD, 1),
    ("TDC", "H48.18.06", "Cấp giấy xác nhận đăng ký hoạt động xét tặng giải thưởng chất lượng", 7, WD, 1),
    ("TDC", "H48.18.06", "Kiểm tra nhà nước về đo lường đối với phương tiện đo nhập khẩu", 8, WH, 4),
    ("HDKHCN", "H48.18.05", "Cấp giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", 15, WD, 5),
    ("HDKHCN", "H48.18.05", "Thay đổi, bổ sung nội dung giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", 10, WD, 2),
    ("HDKHCN", "H48.18.05", "Cấp lại giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", 5, WD, 1),
    ("HDKHCN", "H48.18.05", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước", 10, WD, 2),
    ("HDKHCN", "H48.18.05", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh", 7, WD, 2),
    ("HDKHCN", "H48.18.05", "Cấp giấy chứng nhận doanh nghiệp khoa học và công nghệ", 7, WD, 1),
    ("HDKHCN", "H48.18.05", "Công nhận kết quả nghiên cứu khoa học và phát triển công nghệ", 45, CD, 1),
    ("HDKHCN", "H48.18.04", "Hỗ trợ kinh phí cho doanh nghiệp nhận chuyển giao công nghệ từ ngân sách tỉnh", 30, WD, 1),
    ("HDKHCN", "H48.18.04", "Thẩm định kinh phí nhiệm vụ khoa học và công nghệ cấp tỉnh", 20, WD, 1),
    ("HDKHCN", "H48.18.05", "Xét tiến cử xét tặng giải thưởng khoa học và công nghệ của tỉnh", 60, CD, 1),
    ("SHTT", "H48.18.07", "Cấp giấy chứng nhận tổ chức đủ điều kiện hoạt động giám định sở hữu công nghiệp", 20, WD, 1),
    ("SHTT", "H48.18.07", "Cấp thẻ giám định viên sở hữu công nghiệp", 15, WD, 1),
    ("SHTT", "H48.18.07", "Hỗ trợ đăng ký bảo hộ quyền sở hữu công nghiệp cho doanh nghiệp nhỏ và vừa", 10, WD, 2),
    ("SHTT", "H48.18.07", "Xác nhận sáng kiến cấp tỉnh", 30, CD, 2),
    ("CGCN", "H48.18.07", "Cấp giấy chứng nhận đăng ký chuyển giao công nghệ", 5, WD, 3),
    ("CGCN", "H48.18.07", "Cấp giấy chứng nhận đăng ký gia hạn, sửa đổi, bổ sung nội dung chuyển giao công nghệ", 5, WD, 2),
    ("CGCN", "H48.18.07", "Thẩm định cơ sở khoa học của dự án đầu tư có sử dụng công nghệ", 15, CD, 2),
    ("CGCN", "H48.18.07", "Cho ý kiến về công nghệ của dự án đầu tư", 10, CD, 3),
    ("CGCN", "H48.18.07", "Cấp giấy chứng nhận doanh nghiệp công nghệ cao tại địa phương", 30, WD, 1),
    ("BCVT", "H48.18.08", "Cấp giấy phép bưu chính", 20, WD, 3),
    ("BCVT", "H48.18.08", "Sửa đổi, bổ sung giấy phép bưu chính", 10, WD, 1),
    ("BCVT", "H48.18.08", "Cấp văn bản xác nhận thông báo hoạt động bưu chính", 7, WD, 3),
    ("BCVT", "H48.18.08", "Cấp giấy phép lắp đặt cáp viễn thông trên vỉa hè, lòng đường", 4, WH, 2),
    ("BCVT", "H48.18.08", "Cấp giấy chứng nhận đăng ký hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng", 5, WD, 3),
    ("BCVT", "H48.18.08", "Cấp lại giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử", 16, WH, 1),
)
# fmt: on


def procedure_code(index: int) -> str:
    """A stable code in the national format for catalogue entry `index`."""
    return f"1.{4000 + 37 * index:06d}.000.00.00.H48"


FAMILY: Final = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE: Final = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Hoài")
GIVEN: Final = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long",
                "Mai", "Nam", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy")  # fmt: skip
COMPANIES: Final = ("Bệnh viện Đa khoa", "Phòng khám Đa khoa", "Công ty TNHH", "Công ty Cổ phần",
                    "Trung tâm Y tế", "Hợp tác xã")  # fmt: skip

SUPPLEMENT_REASONS: Final = (
    "Thiếu bản sao chứng chỉ nhân viên bức xạ",
    "Bản mô tả thiết bị chưa đúng mẫu",
    "Thiếu kết quả thử nghiệm sản phẩm của tổ chức được chỉ định",
    "Hồ sơ năng lực chưa có xác nhận của người đứng đầu tổ chức",
    "Thiếu bản sao hợp đồng chuyển giao công nghệ có chữ ký các bên",
    "Sai thông tin trong tờ khai so với giấy đăng ký kinh doanh",
)
APOLOGY_REASONS: Final = (
    "Cần thêm thời gian thẩm định tại cơ sở",
    "Chờ ý kiến của cơ quan phối hợp",
    "Số lượng hồ sơ tiếp nhận tăng đột biến",
    "Cán bộ thụ lý đi công tác đột xuất",
)
STEP_CONTENT: Final = ("Chuyển phòng chuyên môn", "Thẩm định, trình lãnh đạo", "Ký duyệt, phát hành kết quả")
