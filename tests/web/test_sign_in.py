"""Signing in: sessions, throttling after repeated failures (with the injected clock), sign-out, cookies
and security headers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.web import create_app
from tests.web import builders as b
from tests.web.conftest import Clock, World, csrf_of, make_settings, populate


def test_every_page_sends_an_anonymous_visitor_to_the_sign_in_page(world: World) -> None:
    client = world.client()
    for url in [
        "/",
        "/violations",
        f"/violations/{world.ids['kt']}",
        "/violations.csv",
        "/sync",
        "/admin/users",
        "/dossiers/H48.18-260302-0001",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login"), url


def test_a_right_password_signs_in_and_lands_on_the_overview(world: World) -> None:
    client = world.client()
    response = world.login(client, "Office@So.gov.vn", b.PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Tổng quan các đơn vị" in client.get("/").get_data(as_text=True)


def test_a_wrong_password_is_refused_with_a_message(world: World) -> None:
    client = world.client()
    response = world.login(client, "office@so.gov.vn", "sai-mat-khau")
    assert response.status_code == 401
    assert "Thư điện tử hoặc mật khẩu không đúng" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_account_even_for_the_right_password_until_the_lock_ends(world: World) -> None:
    client = world.client()
    for _ in range(5):
        assert world.login(client, "office@so.gov.vn", "sai-mat-khau").status_code == 401
    locked = world.login(client, "office@so.gov.vn", b.PASSWORD)
    assert locked.status_code == 401
    assert "tạm khóa" in locked.get_data(as_text=True)
    world.clock.now += dt.timedelta(minutes=16)
    assert world.login(client, "office@so.gov.vn", b.PASSWORD).status_code == 302


def test_the_sign_in_page_only_redirects_to_local_paths_after_sign_in(world: World) -> None:
    client = world.client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    data = {"email": "office@so.gov.vn", "password": b.PASSWORD, "csrf_token": token}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_signing_out_needs_the_form_token_and_ends_the_session(world: World) -> None:
    client = world.client("office@so.gov.vn")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
    world.post(client, "/", "/logout", {})
    assert client.get("/").status_code == 302


def test_a_password_change_signs_out_existing_sessions(world: World) -> None:
    office = world.client("office@so.gov.vn")
    admin = world.client("admin@so.gov.vn")
    with world.sessions() as session:
        from monitor.users import find_user

        user_id = find_user(session, "office@so.gov.vn").id  # type: ignore[union-attr]
    world.post(
        admin,
        "/admin/users",
        f"/admin/users/{user_id}",
        {"role": "office", "unit_code": "", "active": "1", "password": "mot-mat-khau-moi"},
    )
    assert office.get("/").status_code == 302


def test_pages_carry_security_headers_and_the_session_cookie_is_http_only(world: World) -> None:
    client = world.client()
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    token = csrf_of(response.get_data(as_text=True))
    signed_in = client.post(
        "/login", data={"email": "office@so.gov.vn", "password": b.PASSWORD, "csrf_token": token}
    )
    cookie = signed_in.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_secure_cookies_setting_marks_the_session_cookie_secure(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        populate(session)
    app = create_app(make_settings(settings, secure_cookies=True), {"MONITOR_CLOCK": Clock()})
    client = app.test_client()
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": "office@so.gov.vn", "password": b.PASSWORD, "csrf_token": token}
    )
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["monitor"]["engine"].dispose()


def test_a_form_post_without_its_csrf_token_is_refused(world: World) -> None:
    client = world.client("kt@so.gov.vn")
    response = client.post(f"/violations/{world.ids['kt']}/explain", data={"text": "Lý do"})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    with world.sessions() as session:
        from monitor.models import Violation

        assert session.get(Violation, world.ids["kt"]).status == "open"  # type: ignore[union-attr]
