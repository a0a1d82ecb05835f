"""The fake center: deterministic for a seed, realistic in its mix, moving with its clock, and speaking
center-api.md exactly (paging, tu_ngay, error_code, 401)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import requests

from connectors.fake import FakeCenter
from connectors.fake_data import add_working
from tests.sync_support import FAKE_NOW, ManualClock, fake_center


def test_the_same_seed_gives_the_same_department_and_another_seed_another() -> None:
    one = FakeCenter(seed=3, size=300, now=FAKE_NOW, clock=ManualClock()).snapshots()
    again = FakeCenter(seed=3, size=300, now=FAKE_NOW, clock=ManualClock()).snapshots()
    other = FakeCenter(seed=4, size=300, now=FAKE_NOW, clock=ManualClock()).snapshots()
    assert one == again
    assert one != other


def test_a_year_of_dossiers_has_every_status_and_the_troubles_the_monitor_looks_for() -> None:
    served = FakeCenter(seed=1, size=4000, now=FAKE_NOW, clock=ManualClock()).snapshots()
    statuses = Counter(int(r["TrangThaiHoSo"]) for r in served.values())
    assert set(statuses) == set(range(1, 11))
    assert statuses[10] > len(served) / 2
    supplements = Counter(len(r["DanhSachHoSoBoSung"]) for r in served.values())
    assert supplements[1] > 0 and supplements[2] > 0
    apologies = Counter(len(r["DanhSachXinLoi"]) for r in served.values())
    assert apologies[1] > 0 and apologies[2] > 0
    late = [
        r for r in served.values() if r["NgayKetThucXuLy"] and r["NgayKetThucXuLy"] > r["NgayHenTra"] != ""
    ]
    assert 0.05 < len(late) / statuses[10] < 0.4
    ratings = Counter(r["DanhGia"]["MucDo"] for r in served.values() if "DanhGia" in r)
    assert ratings["3"] > 0
    assert len({r["MaDonViXuLy"] for r in served.values()}) >= 5
    received = [r["NgayTiepNhan"] for r in served.values() if r["NgayTiepNhan"]]
    assert min(received) < "20250310" and max(received) <= "20260302100000"


def test_the_center_moves_forward_with_its_clock() -> None:
    clock = ManualClock()
    center = FakeCenter(seed=2, size=2000, now=FAKE_NOW, clock=clock, speed=60)
    before = center.snapshots()
    clock.advance(minutes=60)  # sixty simulated hours
    after = center.snapshots()
    assert len(after) > len(before)  # new arrivals
    changed = [c for c in before if before[c] != after[c]]
    assert any(int(after[c]["TrangThaiHoSo"]) in (9, 10) for c in changed)  # some finished meanwhile
    assert all(after[c]["NgayCapNhat"] > before[c]["NgayCapNhat"] for c in changed)


def test_pages_follow_tu_ngay_and_the_order_of_center_api() -> None:
    with fake_center(size=500, token="t0k") as center:
        get = requests.Session()
        get.headers["Authorization"] = "Bearer t0k"
        url = center.url + "/api/v1/hoso"
        everything = get.get(url, params={"so_ban_ghi": 10_000}).json()
        rows = everything["data"]
        assert everything["error_code"] == "00" and everything["tong_so"] == len(rows)
        assert rows == sorted(rows, key=lambda r: (r["NgayCapNhat"], r["MaHoSo"]))
        since = rows[len(rows) // 2]["NgayCapNhat"]
        page2 = get.get(url, params={"tu_ngay": since, "trang": 2, "so_ban_ghi": 7}).json()
        newer = [r for r in rows if r["NgayCapNhat"] >= since]
        assert page2["tong_so"] == len(newer) and page2["data"] == newer[7:14]
        refused = requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=5)
        assert refused.status_code == 401 and refused.json()["error_code"] == "01"
        units = get.get(center.url + "/api/v1/donvi").json()["data"]
        procedures = get.get(center.url + "/api/v1/thutuc").json()["data"]
    assert "Phòng Quản lý chuyên ngành" in {u["TenDonVi"] for u in units}
    assert len(procedures) >= 40
    assert {p["DonViTinh"] for p in procedures} == {"Ngày làm việc", "Giờ làm việc", "Ngày"}


def test_the_fakes_working_time_skips_lunch_nights_and_weekends() -> None:
    friday = dt.datetime(2026, 2, 13, 16, 0)
    assert add_working(friday, 3600) == dt.datetime(2026, 2, 13, 17, 0)
    assert add_working(friday, 2 * 3600) == dt.datetime(2026, 2, 16, 8, 0)
    assert add_working(dt.datetime(2026, 2, 16, 11, 0), 3600) == dt.datetime(2026, 2, 16, 14, 0)
    assert add_working(friday, 5 * 8 * 3600 * 3) == dt.datetime(2026, 3, 6, 16, 0)
