"""The explanation workflow through the pages: the unit head explains, the office accepts or rejects
with a comment, every step lands in the audit trail shown on the page."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from monitor.models import Violation
from tests.web.conftest import World


def status_of(world: World, violation_id: int) -> Violation:
    with world.sessions() as session:
        v = session.get(Violation, violation_id)
        assert v is not None
        _ = v.events
        return v


def explain(world: World, email: str, violation_id: int, text: str) -> tuple[TestResponse, FlaskClient]:
    client = world.client(email)
    page = f"/violations/{violation_id}"
    return world.post(client, "/violations", f"{page}/explain", {"text": text}), client


def test_the_unit_head_explains_and_the_office_accepts_with_every_step_in_the_trail(world: World) -> None:
    vid = world.ids["kt"]
    response, _ = explain(world, "kt@so.gov.vn", vid, "Hồ sơ phải xin ý kiến Sở Xây dựng.")
    assert response.status_code == 302
    assert status_of(world, vid).status == "explained"
    office = world.client("office@so.gov.vn")
    world.post(office, f"/violations/{vid}", f"/violations/{vid}/accept", {"comment": "Đồng ý."})
    v = status_of(world, vid)
    assert v.status == "accepted" and v.review_comment == "Đồng ý."
    assert [(e.action, e.actor) for e in v.events] == [
        ("opened", "system"),
        ("explained", "kt@so.gov.vn"),
        ("accepted", "office@so.gov.vn"),
    ]
    page = office.get(f"/violations/{vid}").get_data(as_text=True)
    assert "Hồ sơ phải xin ý kiến Sở Xây dựng." in page and "Chấp nhận giải trình" in page
    assert "kt@so.gov.vn" in page and "12/03/2026 10:00" in page


def test_a_rejection_needs_a_reason_and_then_the_unit_may_explain_again(world: World) -> None:
    vid = world.ids["kt"]
    explain(world, "kt@so.gov.vn", vid, "Lý do thứ nhất")
    office = world.client("office@so.gov.vn")
    refused = world.post(office, f"/violations/{vid}", f"/violations/{vid}/reject", {"comment": " "})
    assert refused.status_code == 302
    assert "Lý do không chấp nhận không được để trống" in office.get(f"/violations/{vid}").get_data(
        as_text=True
    )
    assert status_of(world, vid).status == "explained"
    world.post(office, f"/violations/{vid}", f"/violations/{vid}/reject", {"comment": "Chưa đủ căn cứ"})
    assert status_of(world, vid).status == "rejected"
    explain(world, "kt@so.gov.vn", vid, "Bổ sung căn cứ")
    v = status_of(world, vid)
    assert v.status == "explained" and v.explanation == "Bổ sung căn cứ" and v.review_comment is None


def test_a_unit_head_cannot_explain_another_units_violation(world: World) -> None:
    client = world.client("kt@so.gov.vn")
    token_page = "/violations"
    response = world.post(client, token_page, f"/violations/{world.ids['tp']}/explain", {"text": "x"})
    assert response.status_code == 404
    assert status_of(world, world.ids["tp"]).status == "open"


def test_the_office_and_viewers_cannot_explain_and_viewers_and_heads_cannot_review(world: World) -> None:
    vid = world.ids["kt"]
    for email in ("office@so.gov.vn", "viewer@so.gov.vn"):
        client = world.client(email)
        assert world.post(client, "/", f"/violations/{vid}/explain", {"text": "x"}).status_code == 403
    explain(world, "kt@so.gov.vn", vid, "Giải trình")
    for email in ("viewer@so.gov.vn", "kt@so.gov.vn"):
        client = world.client(email)
        assert world.post(client, "/", f"/violations/{vid}/accept", {}).status_code == 403
    assert status_of(world, vid).status == "explained"


def test_a_closed_violation_cannot_be_explained(world: World) -> None:
    vid = world.ids["kt_accepted"]
    client = world.client("kt@so.gov.vn")
    assert "Gửi giải trình" not in client.get(f"/violations/{vid}").get_data(as_text=True)
    world.post(client, "/", f"/violations/{vid}/explain", {"text": "x"})
    assert status_of(world, vid).status == "accepted"


def test_the_forms_shown_match_who_may_act(world: World) -> None:
    vid = world.ids["kt"]
    assert "Gửi giải trình" in world.client("kt@so.gov.vn").get(f"/violations/{vid}").get_data(as_text=True)
    assert "Gửi giải trình" not in world.client("office@so.gov.vn").get(f"/violations/{vid}").get_data(
        as_text=True
    )
    explain(world, "kt@so.gov.vn", vid, "Giải trình")
    assert "Chấp nhận giải trình</button>" in world.client("office@so.gov.vn").get(
        f"/violations/{vid}"
    ).get_data(as_text=True)
    assert (
        "<form"
        not in world.client("viewer@so.gov.vn")
        .get(f"/violations/{vid}")
        .get_data(as_text=True)
        .split("Giải trình</h2>")[1]
        .split("Lịch sử")[0]
    )
