"""The sync page (runs, rejected records, failed deliveries), the overview's stale-sync banner, and the
admin page for users and tokens."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from monitor.models import ApiToken, Delivery, RejectedRecord, SyncRun, User
from tests.web.conftest import World


def add_run(world: World, status: str, minutes_ago: int, error: str | None = None) -> None:
    at = world.clock.now - dt.timedelta(minutes=minutes_ago)
    with world.sessions.begin() as session:
        session.add(
            SyncRun(
                connector="center",
                status=status,
                started_at=at,
                finished_at=at,
                fetched=120,
                inserted=7,
                rejected=1,
                error=error,
            )
        )


def test_the_sync_page_lists_runs_rejected_records_and_failed_deliveries(world: World) -> None:
    add_run(world, "success", 30)
    add_run(world, "failed", 5, "HTTP 503 from center")
    with world.sessions.begin() as session:
        session.add(
            RejectedRecord(
                connector="center",
                record_key="H48.18-X",
                reason="NgayTiepNhan is not a date",
                payload={"MaHoSo": "H48.18-X"},
                rejected_at=world.clock.now,
            )
        )
        session.add(
            Delivery(
                kind="digest",
                key="KT",
                day=dt.date(2026, 3, 12),
                recipient="mailto://kt…",
                target_hash="0" * 64,
                status="failed",
                attempts=5,
                last_error="SMTP 550 mailbox",
                subject="s",
                body_text="b",
            )
        )
    page = world.client("office@so.gov.vn").get("/sync").get_data(as_text=True)
    assert "HTTP 503 from center" in page and '<td class="num">120</td>' in page
    assert "NgayTiepNhan is not a date" in page and "H48.18-X" in page
    assert "SMTP 550 mailbox" in page


def test_unit_heads_do_not_see_the_sync_page(world: World) -> None:
    assert world.client("kt@so.gov.vn").get("/sync").status_code == 403


def test_the_overview_warns_when_the_last_sync_failed_or_is_stale(world: World) -> None:
    client = world.client("office@so.gov.vn")
    add_run(world, "success", 10)
    assert 'class="banner"' not in client.get("/").get_data(as_text=True)
    add_run(world, "failed", 2, "connection refused")
    page = client.get("/").get_data(as_text=True)
    assert "bị lỗi: connection refused" in page
    world.clock.now += dt.timedelta(hours=2)
    assert "đã cũ" in client.get("/").get_data(as_text=True)


def test_only_admins_open_the_admin_page(world: World) -> None:
    for email in ("office@so.gov.vn", "viewer@so.gov.vn", "kt@so.gov.vn"):
        assert world.client(email).get("/admin/users").status_code == 403
    assert "Người dùng và quyền" in world.client("admin@so.gov.vn").get("/admin/users").get_data(as_text=True)


def test_an_admin_creates_a_unit_head_and_the_generated_password_is_shown_once(world: World) -> None:
    admin = world.client("admin@so.gov.vn")
    response = world.post(
        admin,
        "/admin/users",
        "/admin/users",
        {"email": "new@so.gov.vn", "role": "unit_head", "unit_code": "TP", "name": "Chị Mới"},
    )
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    password = re.search(r"Mật khẩu \(chỉ hiện một lần\): ([^\s<]+)", page)
    assert password is not None
    assert world.login(world.app.test_client(), "new@so.gov.vn", password.group(1)).status_code == 302
    assert password.group(1) not in admin.get("/admin/users").get_data(as_text=True)


def test_a_unit_head_without_a_unit_is_refused_with_a_message(world: World) -> None:
    admin = world.client("admin@so.gov.vn")
    world.post(
        admin, "/admin/users", "/admin/users", {"email": "x@so.gov.vn", "role": "unit_head", "unit_code": ""}
    )
    assert "a unit_head needs a unit" in admin.get("/admin/users").get_data(as_text=True)
    with world.sessions() as session:
        assert session.scalar(select(User).where(User.email == "x@so.gov.vn")) is None


def test_an_admin_moves_a_user_to_another_unit_and_deactivates_another(world: World) -> None:
    admin = world.client("admin@so.gov.vn")
    with world.sessions() as session:
        kt = session.scalar(select(User).where(User.email == "kt@so.gov.vn"))
        viewer = session.scalar(select(User).where(User.email == "viewer@so.gov.vn"))
        assert kt is not None and viewer is not None
    world.post(
        admin,
        "/admin/users",
        f"/admin/users/{kt.id}",
        {"role": "unit_head", "unit_code": "TP", "active": "1"},
    )
    world.post(admin, "/admin/users", f"/admin/users/{viewer.id}", {"role": "viewer", "unit_code": ""})
    assert world.login(world.app.test_client(), "viewer@so.gov.vn", "mat-khau-rat-dai").status_code == 401
    moved = world.client("kt@so.gov.vn")
    assert moved.get(f"/violations/{world.ids['tp']}").status_code == 200
    assert moved.get(f"/violations/{world.ids['kt']}").status_code == 404


def test_an_admin_issues_a_token_shown_once_and_revokes_it(world: World) -> None:
    admin = world.client("admin@so.gov.vn")
    response = world.post(
        admin, "/admin/users", "/admin/tokens", {"email": "office@so.gov.vn", "name": "báo cáo"}
    )
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    token = re.search(r"hãy lưu lại\): ([^\s<]+)", page)
    assert token is not None
    api = world.app.test_client()
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert api.get("/api/v1/units", headers=headers).status_code == 200
    with world.sessions() as session:
        row = session.scalar(select(ApiToken))
        assert row is not None and token.group(1) not in (row.token_hash, row.prefix)
    world.post(admin, "/admin/users", f"/admin/tokens/{row.id}/revoke", {})
    assert api.get("/api/v1/units", headers=headers).status_code == 401
