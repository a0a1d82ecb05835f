"""The JSON API: bearer tokens, the command line's field names, the same role rules as the pages."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from monitor import users
from tests.web.conftest import World


def token_for(world: World, email: str) -> dict[str, str]:
    with world.sessions.begin() as session:
        token = users.issue_token(session, email=email, name="test")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(world: World) -> FlaskClient:
    return world.app.test_client()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/violations", "/api/v1/violations/1", "/api/v1/dossiers", "/api/v1/units", "/api/v1/indicators"],
)
def test_without_a_valid_bearer_token_the_api_answers_401(world: World, api: FlaskClient, url: str) -> None:
    assert api.get(url).status_code == 401
    response = api.get(url, headers={"Authorization": "Bearer mon_not-a-token"})
    assert response.status_code == 401
    assert "bearer token" in response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_does_not_open_the_api(world: World) -> None:
    assert world.client("office@so.gov.vn").get("/api/v1/units").status_code == 401


def test_violations_have_the_command_lines_fields(world: World, api: FlaskClient) -> None:
    body = api.get(
        "/api/v1/violations?rule=step_overdue", headers=token_for(world, "viewer@so.gov.vn")
    ).get_json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item == {
        "id": world.ids["tp_step"],
        "rule": "step_overdue",
        "dossier_code": "H48.18-260302-0001",
        "unit_code": "TP",
        "step": 2,
        "status": "open",
        "detected_at": "2026-03-10T07:00:00+07:00",
        "details": {"late_working_hours": 14.0},
    }
    other = api.get(
        "/api/v1/violations?rule=overdue_open", headers=token_for(world, "viewer@so.gov.vn")
    ).get_json()
    assert other["items"][0]["step"] is None  # 0 in the table means "not a step rule"


def test_violations_page_with_limit_and_offset(world: World, api: FlaskClient) -> None:
    headers = token_for(world, "office@so.gov.vn")
    body = api.get("/api/v1/violations?limit=2&offset=1&sort=detected&order=asc", headers=headers).get_json()
    assert body["total"] == 4 and len(body["items"]) == 2
    assert [i["id"] for i in body["items"]] == [world.ids["tp_step"], world.ids["tp"]]
    assert api.get("/api/v1/violations?limit=0", headers=headers).status_code == 400


def test_a_unit_heads_token_reads_only_their_unit(world: World, api: FlaskClient) -> None:
    headers = token_for(world, "kt@so.gov.vn")
    body = api.get("/api/v1/violations", headers=headers).get_json()
    assert {i["unit_code"] for i in body["items"]} == {"KT"}
    assert api.get("/api/v1/violations?unit=TP", headers=headers).status_code == 403
    hidden = api.get(f"/api/v1/violations/{world.ids['tp']}", headers=headers)
    assert hidden.status_code == 404 and "H48.18" not in hidden.get_data(as_text=True)
    assert api.get("/api/v1/dossiers/H48.18-260302-0002", headers=headers).status_code == 404
    assert api.get("/api/v1/dossiers?unit=TP", headers=headers).status_code == 403
    dossiers = api.get("/api/v1/dossiers", headers=headers).get_json()
    assert {d["unit_code"] for d in dossiers["items"]} == {"KT"}
    assert [u["code"] for u in api.get("/api/v1/units", headers=headers).get_json()["items"]] == ["KT"]


def test_a_dossier_has_the_command_lines_fields(world: World, api: FlaskClient) -> None:
    body = api.get(
        "/api/v1/dossiers/H48.18-260302-0001", headers=token_for(world, "office@so.gov.vn")
    ).get_json()
    assert body == {
        "code": "H48.18-260302-0001",
        "unit_code": "KT",
        "procedure_code": "1.000001",
        "status": 10,
        "received_at": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-09T09:00:00+07:00",
        "effective_due_at": "2026-03-09T09:00:00+07:00",
        "statutory_due_at": None,
        "end_at": "2026-03-11T15:00:00+07:00",
        "supplement_requests": 1,
        "paused": False,
        "due_soon": False,
    }


def test_dossiers_filter_by_due_soon_and_reject_a_bad_value(world: World, api: FlaskClient) -> None:
    headers = token_for(world, "office@so.gov.vn")
    body = api.get("/api/v1/dossiers?due_soon=true", headers=headers).get_json()
    assert [d["code"] for d in body["items"]] == ["H48.18-260302-0002"]
    bad = api.get("/api/v1/dossiers?due_soon=maybe", headers=headers)
    assert bad.status_code == 400 and "'due_soon'" in bad.get_json()["error"]


def test_the_workflow_through_the_api_follows_the_same_rules(world: World, api: FlaskClient) -> None:
    vid = world.ids["kt"]
    head, office, viewer = (
        token_for(world, e) for e in ("kt@so.gov.vn", "office@so.gov.vn", "viewer@so.gov.vn")
    )
    assert (
        api.post(f"/api/v1/violations/{vid}/explain", json={"text": "x"}, headers=office).status_code == 403
    )
    assert (
        api.post(
            f"/api/v1/violations/{world.ids['tp']}/explain", json={"text": "x"}, headers=head
        ).status_code
        == 404
    )
    explained = api.post(
        f"/api/v1/violations/{vid}/explain", json={"text": "Chờ ý kiến liên ngành"}, headers=head
    )
    assert explained.status_code == 200 and explained.get_json()["status"] == "explained"
    assert (
        api.post(f"/api/v1/violations/{vid}/explain", json={"text": "lần nữa"}, headers=head).status_code
        == 409
    )
    assert api.post(f"/api/v1/violations/{vid}/accept", json={}, headers=viewer).status_code == 403
    accepted = api.post(
        f"/api/v1/violations/{vid}/accept", json={"comment": "Đồng ý"}, headers=office
    ).get_json()
    assert accepted["status"] == "accepted"
    assert [e["actor"] for e in accepted["events"]] == ["system", "kt@so.gov.vn", "office@so.gov.vn"]


def test_indicators_have_the_reports_shape_and_a_bad_month_is_named(world: World, api: FlaskClient) -> None:
    headers = token_for(world, "office@so.gov.vn")
    body = api.get("/api/v1/indicators?month=2026-03", headers=headers).get_json()
    assert body["month"] == "2026-03"
    assert [u["unit_code"] for u in body["units"]] == ["KT", "TP"]
    assert {"on_time_rate", "progress_points", "in_scope"} <= set(body["total"])
    bad = api.get("/api/v1/indicators?month=2026-13", headers=headers)
    assert bad.status_code == 400 and "2026-13" in bad.get_json()["error"]
    head = api.get("/api/v1/indicators?month=2026-03", headers=token_for(world, "tp@so.gov.vn")).get_json()
    assert [u["unit_code"] for u in head["units"]] == ["TP"]


def test_the_openapi_document_describes_every_route(world: World, api: FlaskClient) -> None:
    doc = api.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = set(doc["paths"])
    routes = {
        str(rule.rule).replace("<int:", "{").replace("<path:", "{").replace("<", "{").replace(">", "}")
        for rule in world.app.url_map.iter_rules()
        if str(rule.rule).startswith("/api/v1/") and rule.endpoint != "api.openapi"
    }
    assert routes == documented
