"""What each role sees on the pages: the office and viewers see every unit, a unit head only their own
(404, never the data, for anything else); a bad filter value is a clear 400."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.web.conftest import World


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("email", ["office@so.gov.vn", "viewer@so.gov.vn", "admin@so.gov.vn"])
def test_the_overview_shows_every_unit_with_its_open_violations_to_the_office_viewers_and_admins(
    world: World, email: str
) -> None:
    page = text(world.client(email).get("/"))
    assert "Phòng Kinh tế" in page and "Phòng Tư pháp" in page
    assert 'href="/violations?unit=KT&amp;rule=overdue_return">1<' in page
    assert 'href="/violations?unit=TP&amp;rule=step_overdue">1<' in page


def test_a_unit_head_lands_on_their_own_unit_with_what_waits_for_an_explanation(world: World) -> None:
    page = text(world.client("kt@so.gov.vn").get("/"))
    assert "Phòng Kinh tế" in page and "Phòng Tư pháp" not in page
    assert f"/violations/{world.ids['kt']}" in page
    assert f"/violations/{world.ids['tp']}" not in page


def test_the_overview_counts_due_soon_dossiers_per_unit(world: World) -> None:
    page = text(world.client("office@so.gov.vn").get("/"))
    assert '<span class="badge warn">1</span>' in page


def test_the_list_shows_the_office_every_unit_and_filters_by_unit(world: World) -> None:
    client = world.client("office@so.gov.vn")
    everything = text(client.get("/violations"))
    assert "H48.18-260302-0001" in everything and "H48.18-260302-0002" in everything
    only_tp = text(client.get("/violations?unit=TP"))
    assert "H48.18-260302-0002" in only_tp and "H48.18-260302-0003" not in only_tp
    assert "<b>2</b> vi phạm" in only_tp


def test_the_list_filters_by_rule_status_period_and_dossier_code(world: World) -> None:
    client = world.client("office@so.gov.vn")
    assert "<b>1</b> vi phạm" in text(client.get("/violations?rule=overdue_open"))
    assert "<b>1</b> vi phạm" in text(client.get("/violations?status=accepted"))
    assert "<b>3</b> vi phạm" in text(client.get("/violations?from=2026-03-10&to=11/03/2026"))
    assert "<b>1</b> vi phạm" in text(client.get("/violations?q=0003"))


def test_the_list_sorts_and_pages(world: World) -> None:
    client = world.client("office@so.gov.vn")
    first = text(client.get("/violations?sort=detected&order=asc&per_page=1"))
    assert "H48.18-260302-0003" in first and "trang 1/4" in first
    last = text(client.get("/violations?sort=detected&order=asc&per_page=1&page=4"))
    assert "H48.18-260302-0001" in last and "H48.18-260302-0003" not in last


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("rule=late", "'rule' = 'late'"),
        ("status=closed", "'status' = 'closed'"),
        ("from=31/02/2026", "'from' = '31/02/2026'"),
        ("page=0", "'page' = '0'"),
        ("per_page=5000", "'per_page' = '5000'"),
        ("sort=password", "'sort' = 'password'"),
        ("unit=XX", "'unit' = 'XX'"),
        ("from=2026-03-12&to=2026-03-01", "'from' phải trước"),
    ],
)
def test_a_bad_filter_value_gives_a_message_naming_it_not_a_server_error(
    world: World, query: str, named: str
) -> None:
    response = world.client("office@so.gov.vn").get(f"/violations?{query}")
    assert response.status_code == 400
    assert named.replace("'", "&#39;") in text(response)


def test_a_unit_head_sees_only_their_units_violations_in_the_list(world: World) -> None:
    page = text(world.client("kt@so.gov.vn").get("/violations"))
    assert "H48.18-260302-0001" in page and "H48.18-260302-0003" in page
    assert "H48.18-260302-0002" not in page


def test_a_unit_head_asking_for_another_unit_gets_404(world: World) -> None:
    client = world.client("kt@so.gov.vn")
    assert client.get("/violations?unit=TP").status_code == 404
    assert client.get("/violations.csv?unit=TP").status_code == 404
    assert client.get("/violations.xlsx?unit=TP").status_code == 404


def test_a_unit_head_cannot_open_another_units_violation_or_dossier(world: World) -> None:
    client = world.client("kt@so.gov.vn")
    response = client.get(f"/violations/{world.ids['tp']}")
    assert response.status_code == 404
    assert "H48.18-260302-0002" not in text(response)
    assert client.get("/dossiers/H48.18-260302-0002").status_code == 404


def test_a_unit_head_sees_a_step_violation_of_their_unit_on_another_units_dossier(world: World) -> None:
    client = world.client("tp@so.gov.vn")
    page = text(client.get(f"/violations/{world.ids['tp_step']}"))
    assert "Chậm tại bước xử lý" in page and "H48.18-260302-0001" in page
    assert f'/violations/{world.ids["kt"]}"' not in page  # the KT violation on the same dossier stays hidden


def test_the_detail_page_explains_the_rule_and_draws_the_late_part_in_red(world: World) -> None:
    page = text(world.client("office@so.gov.vn").get(f"/violations/{world.ids['kt']}"))
    assert "Giải quyết quá hạn" in page
    assert "thời điểm kết thúc muộn hơn hạn trả kết quả" in page
    assert "<svg" in page and 'fill="#c62828"' in page
    assert "Quá hạn: hạn 09/03/2026 09:00, kết thúc 11/03/2026 15:00" in page
    assert "Bước 2: TP" in page
    assert "Yêu cầu bổ sung lần 1" in page
    assert "11/03/2026 16:00" in page  # detected at, dd/mm/yyyy local time


def test_the_dossier_page_lists_its_violations(world: World) -> None:
    page = text(world.client("viewer@so.gov.vn").get("/dossiers/H48.18-260302-0001"))
    assert "Giải quyết quá hạn" in page and "Chậm tại bước xử lý" in page


def test_a_dossier_not_yet_evaluated_shows_its_facts_and_says_so(world: World) -> None:
    from monitor.models import Dossier

    with world.sessions.begin() as session:
        d = session.scalars(select(Dossier).where(Dossier.code == "H48.18-260302-0003")).one()
        d.judgement = None  # as a sync leaves a new dossier until the next evaluation
    page = text(world.client("viewer@so.gov.vn").get("/dossiers/H48.18-260302-0003"))
    assert "02/03/2026" in page  # received
    assert "chưa đánh giá" in page and "Hạn tính đúng hạn" not in page
    evaluated = text(world.client("viewer@so.gov.vn").get("/dossiers/H48.18-260302-0001"))
    assert "Hạn tính đúng hạn" in evaluated and "09/03/2026" in evaluated


def test_a_missing_violation_is_a_friendly_404_even_beyond_the_id_range(world: World) -> None:
    client = world.client("office@so.gov.vn")
    response = client.get("/violations/999999")
    assert response.status_code == 404
    assert "Không tìm thấy" in text(response)
    assert client.get("/violations/99999999999").status_code == 404


def test_a_nul_character_in_a_filter_is_refused_not_a_server_error(world: World) -> None:
    assert world.client("office@so.gov.vn").get("/violations?q=%00").status_code == 400
