"""`/reports`: the office regenerates a month, everyone who reads reports sees the page and downloads."""

from __future__ import annotations

import io

import pandas as pd
from sqlalchemy import select

from monitor.config import Settings
from monitor.models import ReportRun
from monitor.web import create_app
from tests.alerts_support import smtp_sink
from tests.conftest import build_settings
from tests.web.conftest import World, world  # noqa: F401 (the web tests' fixture)


def generate(w: World, month: str = "2026-03") -> object:
    office = w.client("office@so.gov.vn")
    return w.post(office, "/reports", "/reports/generate", {"month": month})


def test_the_office_generates_a_month_and_sees_it_with_its_three_charts(world: World) -> None:  # noqa: F811
    office = world.client("office@so.gov.vn")
    response = world.post(office, "/reports", "/reports/generate", {"month": "2026-03"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/reports/2026-03")
    page = office.get("/reports/2026-03").get_data(as_text=True)
    assert "Báo cáo rủi ro mức độ hài lòng — tháng 03/2026" in page
    assert "Phòng Kinh tế" in page and "Phòng Tư pháp" in page
    assert page.count('src="data:image/png;base64,') == 3
    with world.sessions() as session:
        run = session.scalars(select(ReportRun)).one()
        assert (run.month, run.trigger, run.status) == ("2026-03", "manual", "success")
    listing = office.get("/reports").get_data(as_text=True)
    assert "Tháng 03/2026" in listing and "Trên web" in listing


def test_a_viewer_downloads_the_pdf_and_the_workbook(world: World) -> None:  # noqa: F811
    generate(world)
    viewer = world.client("viewer@so.gov.vn")
    pdf = viewer.get("/reports/2026-03/download/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert 'filename="bao-cao-rui-ro-hai-long-2026-03.pdf"' in pdf.headers["Content-Disposition"]
    xlsx = viewer.get("/reports/2026-03/download/xlsx")
    summary = pd.read_excel(io.BytesIO(xlsx.data), header=2)
    assert summary["Đơn vị"].tolist() == ["Phòng Kinh tế", "Phòng Tư pháp", "Toàn Sở"]
    assert viewer.get("/reports/2026-03/download/docx").status_code == 404
    assert viewer.get("/reports/2026-04").status_code == 404


def test_only_the_office_and_admins_regenerate_and_unit_heads_do_not_read_reports(world: World) -> None:  # noqa: F811
    viewer = world.client("viewer@so.gov.vn")
    token_page = viewer.get("/reports").get_data(as_text=True)
    assert "Tạo báo cáo" not in token_page
    head = world.client("kt@so.gov.vn")
    assert head.get("/reports").status_code == 403
    assert world.client().get("/reports").status_code == 302  # to the sign-in page


def test_a_bad_month_is_named_in_the_message(world: World) -> None:  # noqa: F811
    office = world.client("office@so.gov.vn")
    world.post(office, "/reports", "/reports/generate", {"month": "2026-3"})
    page = office.get("/reports").get_data(as_text=True)
    assert "Tháng “2026-3” không hợp lệ" in page


def test_the_office_resends_a_month_by_e_mail_from_the_list(world: World, settings: Settings) -> None:  # noqa: F811
    generate(world)
    with smtp_sink() as sink:
        configured = build_settings(
            {
                "database": {"url": settings.database.url},
                "reports": {"recipients": [sink.url("giamdoc@so.gov.vn")]},
            }
        )
        app = create_app(configured, {"MONITOR_CLOCK": world.clock, "TESTING": True})
        other = World(app, world.sessions, world.clock, world.ids)
        office = other.client("office@so.gov.vn")
        response = other.post(office, "/reports", "/reports/2026-03/send", {})
        assert response.status_code == 302
        assert "Đã gửi báo cáo tháng 03/2026 tới 1 người nhận." in office.get("/reports").get_data(
            as_text=True
        )
        app.extensions["monitor"]["engine"].dispose()
    assert len(sink.received) == 1
    names = {part.get_filename() for part in sink.received[0].message.iter_attachments()}
    assert names == {"bao-cao-rui-ro-hai-long-2026-03.pdf", "bao-cao-rui-ro-hai-long-2026-03.xlsx"}
