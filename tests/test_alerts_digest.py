"""The digest's content: sections, order, limits, the current holder, the violations window, rendering."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.digest import DossierLine, ViolationLine, build_digest
from monitor.alerts.jobs import build_digests
from monitor.alerts.render import render_connector_alert, render_digest
from monitor.config import Settings
from tests.alerts_support import add_dossier, add_unit, add_violation, at
from tests.conftest import build_settings


def _line(code: str, due: str) -> DossierLine:
    return DossierLine(code=code, procedure="Đăng ký kinh doanh", due_at=at(due), holder="Nguyễn Thị Hà")


def test_sections_put_the_earliest_due_first_and_keep_at_most_max_lines() -> None:
    lines = [_line(f"D{i}", f"2026-08-2{5 - i} 10:00") for i in range(4)]
    digest = build_digest(
        unit_code="PKT",
        unit_name="Phòng Kinh tế",
        day=dt.date(2026, 8, 24),
        since=at("2026-08-21 07:00"),
        due_soon=lines,
        overdue=[],
        new_violations=[],
        max_lines=2,
        public_url="https://monitor.example.vn/",
    )
    assert [x.code for x in digest.due_soon.lines] == ["D3", "D2"]
    assert (digest.due_soon.total, digest.due_soon.more) == (4, 2)
    assert digest.link == "https://monitor.example.vn/violations?unit=PKT"
    assert not digest.empty


def test_newest_violations_come_first() -> None:
    older = ViolationLine("A", "overdue_open", "Đang quá hạn", 0, at("2026-08-21 09:00"))
    newer = ViolationLine("B", "step_overdue", "Chậm tại bước xử lý", 2, at("2026-08-21 15:00"))
    digest = build_digest(
        unit_code="PKT",
        unit_name="Phòng Kinh tế",
        day=dt.date(2026, 8, 24),
        since=at("2026-08-21 07:00"),
        due_soon=[],
        overdue=[],
        new_violations=[older, newer],
        max_lines=10,
        public_url="http://x",
    )
    assert [v.dossier_code for v in digest.new_violations.lines] == ["B", "A"]


def _settings(settings: Settings, **alerts: object) -> Settings:
    return build_settings(
        {
            "database": {"url": settings.database.url},
            "alerts": {"units": {"PKT": ["json://127.0.0.1:9/hook"]}, **alerts},
            "web": {"public_url": "https://monitor.example.vn"},
        }
    )


def test_a_digest_lists_due_soon_and_overdue_open_dossiers_with_who_holds_them(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    now = at("2026-08-24 07:00")
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(
            s,
            code="SOON",
            due=at("2026-08-24 10:00"),
            due_soon=True,
            holder=("Trần Văn Bình", "Phòng Kinh tế"),
        )
        add_dossier(s, code="LATE", due=at("2026-08-21 16:00"), holder=("Phạm Thu Hương", "Phòng Kinh tế"))
        add_dossier(s, code="PAUSED", due=at("2026-08-20 16:00"), status=5, paused=True)
        add_dossier(s, code="DONE", due=at("2026-08-20 16:00"), status=10)
        add_dossier(s, code="OTHER-UNIT", unit="PTC", due=at("2026-08-20 16:00"))
    with sessions() as s:
        (digest,) = build_digests(_settings(settings), s, now)
    assert [x.code for x in digest.due_soon.lines] == ["SOON"]
    assert digest.due_soon.lines[0].holder == "Trần Văn Bình (Phòng Kinh tế)"
    assert [x.code for x in digest.overdue.lines] == ["LATE"]
    assert digest.overdue.lines[0].holder == "Phạm Thu Hương (Phòng Kinh tế)"
    assert digest.unit_name == "Phòng Kinh tế"


def test_violations_count_from_the_previous_working_days_digest(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    monday = at("2026-08-17 07:00")  # the previous working day is Friday 14/08
    with sessions.begin() as s:
        d = add_dossier(s, due=at("2026-08-21 16:00"))
        add_violation(s, d, "overdue_open", at("2026-08-14 07:00"))  # judged by Friday's digest itself
        add_violation(s, d, "repeated_supplement", at("2026-08-14 07:01"))
        add_violation(s, d, "step_overdue", at("2026-08-16 20:00"), step=2)
    with sessions() as s:
        (digest,) = build_digests(_settings(settings), s, monday)
    assert sorted(v.rule for v in digest.new_violations.lines) == ["repeated_supplement", "step_overdue"]
    assert digest.since == at("2026-08-14 07:00")


def test_a_unit_with_nothing_to_report_has_an_empty_digest(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        (digest,) = build_digests(_settings(settings), s, at("2026-08-24 07:00"))
    assert digest.empty
    assert digest.unit_name == "PKT"  # not synced yet: the code stands in for the name


def test_the_rendered_digest_is_vietnamese_with_totals_first_and_a_link_to_the_full_list() -> None:
    digest = build_digest(
        unit_code="PKT",
        unit_name="Phòng Kinh tế",
        day=dt.date(2026, 8, 24),
        since=at("2026-08-21 07:00"),
        due_soon=[_line("H48.18-260810-0001", "2026-08-24 10:00")],
        overdue=[_line("H48.18-260810-0002", "2026-08-20 16:00")] * 3,
        new_violations=[
            ViolationLine(
                "H48.18-260810-0003", "step_overdue", "Chậm tại bước xử lý", 2, at("2026-08-21 15:00")
            )
        ],
        max_lines=2,
        public_url="https://monitor.example.vn",
    )
    message = render_digest(digest)
    assert message.subject == (
        "[Theo dõi hồ sơ] Phòng Kinh tế 24/08/2026: 1 sắp đến hạn, 3 quá hạn, 1 vi phạm mới"
    )
    text_lines = message.text.splitlines()
    assert text_lines[2] == "Sắp đến hạn: 1 · Quá hạn chưa trả: 3 · Vi phạm mới: 1"
    assert (
        "- H48.18-260810-0001 · hạn 24/08/2026 10:00 · Đăng ký kinh doanh · đang ở: Nguyễn Thị Hà"
        in text_lines
    )
    assert "… và 1 hồ sơ khác" in text_lines
    assert "- H48.18-260810-0003 · Chậm tại bước xử lý (bước 2) · phát hiện 21/08/2026 15:00" in text_lines
    assert text_lines[-1] == "Xem đầy đủ: https://monitor.example.vn/violations?unit=PKT"
    assert '<a href="https://monitor.example.vn/violations?unit=PKT">' in message.html
    assert "Quá hạn, chưa trả (3)" in message.html


def test_html_escapes_what_came_from_the_center() -> None:
    line = DossierLine(code="X", procedure="<script>alert(1)</script>", due_at=None, holder="—")
    digest = build_digest(
        unit_code="PKT",
        unit_name="Phòng <b>",
        day=dt.date(2026, 8, 24),
        since=at("2026-08-21 07:00"),
        due_soon=[line],
        overdue=[],
        new_violations=[],
        max_lines=5,
        public_url="http://x",
    )
    html = render_digest(digest).html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Phòng &lt;b&gt;" in html


def test_the_connector_alerts_say_down_with_the_error_and_up_again() -> None:
    down = render_connector_alert(
        connector="center",
        healthy=False,
        since=at("2026-08-24 09:00"),
        last_success=at("2026-08-24 08:00"),
        error="HTTP 503 từ trung tâm",
        public_url="http://m",
    )
    assert down.subject == '[Theo dõi hồ sơ] Đồng bộ "center" bị gián đoạn'
    assert "Lần đồng bộ thành công gần nhất: 24/08/2026 08:00." in down.text
    assert "Lỗi gần nhất: HTTP 503 từ trung tâm" in down.text
    up = render_connector_alert(
        connector="center",
        healthy=True,
        since=at("2026-08-24 10:00"),
        last_success=None,
        error=None,
        public_url="http://m",
    )
    assert up.subject == '[Theo dõi hồ sơ] Đồng bộ "center" đã hoạt động lại'
    assert "http://m/sync" in up.html


def test_after_a_make_up_saturday_violations_count_from_that_saturday(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        (digest,) = build_digests(_settings(settings), s, at("2026-08-24 07:00"))
    assert digest.since == at("2026-08-22 07:00")


def test_a_long_section_shows_the_most_urgent_lines_and_counts_them_all(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        for i in range(7):
            add_dossier(s, code=f"LATE-{i}", due=at(f"2026-08-1{i} 16:00"))
    with sessions() as s:
        (digest,) = build_digests(_settings(settings, max_lines=3), s, at("2026-08-24 07:00"))
    assert [x.code for x in digest.overdue.lines] == ["LATE-0", "LATE-1", "LATE-2"]
    assert (digest.overdue.total, digest.overdue.more) == (7, 4)
