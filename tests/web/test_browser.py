"""The office's and a unit head's day in a real browser (headless Chromium): filter, open, explain,
accept. Screenshots of the overview, the list and the detail go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from tests.web import builders as b
from tests.web.conftest import World

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def base_url(world: World) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, world.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", b.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("header .me")).to_contain_text(email.split("@", 1)[0])


def sign_out(page: Page) -> None:
    page.click("text=Đăng xuất")
    expect(page.locator("h1")).to_have_text("Đăng nhập")


@pytest.mark.browser
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_office_filters_opens_and_accepts_what_the_unit_head_explained(
    world: World, base_url: str, page: Page
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, base_url, "office@so.gov.vn")
    expect(page.locator("table.overview")).to_contain_text("Phòng Kinh tế")
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    page.click("nav >> text=Vi phạm")
    page.select_option("select[name=unit]", "KT")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(f"{base_url}/violations?unit=KT&rule=&status=&from=&to=&q=")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    expect(page.locator("table.list")).not_to_contain_text("H48.18-260302-0002")
    page.screenshot(path=str(ARTIFACTS / "violations.png"), full_page=True)

    page.click("table.list >> text=H48.18-260302-0001")
    detail = page.url
    expect(page.locator("h1")).to_have_text("Giải quyết quá hạn")
    expect(page.locator("svg.timeline rect[fill='#c62828']").first).to_be_visible()
    sign_out(page)

    sign_in(page, base_url, "kt@so.gov.vn")
    page.goto(detail)
    page.fill("textarea[name=text]", "Hồ sơ phải lấy ý kiến Sở Xây dựng, văn bản trả lời đến chậm 2 ngày.")
    page.click("text=Gửi giải trình")
    expect(page.locator(".flash.success")).to_have_text("Đã gửi giải trình.")
    expect(page.locator(".status.big")).to_have_text("Đã giải trình, chờ duyệt")
    sign_out(page)

    sign_in(page, base_url, "office@so.gov.vn")
    page.goto(detail)
    page.fill("form.review textarea[name=comment] >> nth=0", "Đồng ý, lý do khách quan.")
    page.click("button:has-text('Chấp nhận giải trình')")
    expect(page.locator(".status.big")).to_have_text("Chấp nhận giải trình")
    expect(page.locator("ol.trail")).to_contain_text("kt@so.gov.vn")
    expect(page.locator("ol.trail")).to_contain_text("office@so.gov.vn")
    page.screenshot(path=str(ARTIFACTS / "violation.png"), full_page=True)
