"""`sync_connector` against the fake center served on loopback: the whole pull, the increments, the
failures on the way, and what ends up stored. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import LOCAL_TZ
from connectors.fake import Fault
from connectors.fake_data import fmt
from monitor.models import Dossier, Procedure, RejectedRecord, StatusObservation, SyncCursor, SyncRun, Unit
from monitor.sync import SyncProgress, sync_all, sync_connector
from tests.conftest import build_settings
from tests.sync_support import ManualClock, Sleeps, fake_center, sync_settings


def stored_statuses(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return dict(s.execute(select(Dossier.code, Dossier.status)).all())


def served_statuses(served: dict[str, dict]) -> dict[str, int]:
    return {code: int(r["TrangThaiHoSo"]) for code, r in served.items()}


def cursor(sessions: sessionmaker[Session]) -> dt.datetime | None:
    with sessions() as s:
        return s.scalar(select(SyncCursor.updated_until))


def test_a_full_sync_stores_every_served_dossier_units_and_procedures(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center() as center:
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=Sleeps())
        served = center.center.snapshots()
    assert summary.status == "success" and summary.error is None
    assert summary.inserted == len(served) and summary.rejected == 0
    assert stored_statuses(sessions) == served_statuses(served)
    with sessions() as s:
        run = s.get_one(SyncRun, summary.run_id)
        assert (run.status, run.inserted, run.fetched) == ("success", len(served), summary.fetched)
        assert s.scalar(select(func.count()).select_from(Unit)) >= 8
        assert set(s.scalars(select(Procedure.limit_unit))) == {1, 2, 3}
        assert s.scalar(select(func.count()).select_from(StatusObservation)) == len(served)
    assert local_text(cursor(sessions)) == max(r["NgayCapNhat"] for r in served.values())


def local_text(instant: dt.datetime | None) -> str:
    assert instant is not None
    return fmt(instant.astimezone(LOCAL_TZ).replace(tzinfo=None))


def test_a_second_sync_of_unchanged_data_writes_nothing(db_url: str, sessions: sessionmaker[Session]) -> None:
    with fake_center() as center:
        settings = sync_settings(db_url, center.url)
        sync_connector(settings, sessions, "center", sleep=Sleeps())
        with sessions() as s:
            before = dict(s.execute(select(Dossier.code, Dossier.changed_at)).all())
        again = sync_connector(settings, sessions, "center", sleep=Sleeps())
    assert again.status == "success"
    assert (again.inserted, again.updated) == (0, 0) and again.unchanged == again.fetched > 0
    with sessions() as s:
        assert dict(s.execute(select(Dossier.code, Dossier.changed_at)).all()) == before


def test_an_incremental_sync_fetches_only_what_changed_since_the_cursor_minus_the_overlap(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    clock = ManualClock()
    with fake_center(size=2000, clock=clock) as center:
        settings = sync_settings(db_url, center.url, page_size=500)
        first = sync_connector(settings, sessions, "center", sleep=Sleeps())
        start = cursor(sessions)
        assert start is not None
        clock.advance(hours=24)
        served = center.center.snapshots()
        since = local_text(start - dt.timedelta(minutes=10))
        expected = {code for code, r in served.items() if r["NgayCapNhat"] >= since}
        center.center.requests.clear()
        second = sync_connector(settings, sessions, "center", sleep=Sleeps())
        asked = [q for path, q in center.center.requests if path.endswith("/hoso")]
    assert second.status == "success"
    assert asked[0]["tu_ngay"] == since
    assert second.fetched == len(expected) < first.fetched / 10
    assert second.inserted + second.updated > 0
    assert stored_statuses(sessions) == served_statuses(served)


def test_dossiers_changing_during_a_sync_come_again_and_are_stored_once(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    clock = ManualClock()

    def time_passes(p: SyncProgress) -> None:
        if p.page <= 3:
            clock.advance(hours=6)  # the center moves on between our first pages

    with fake_center(size=1500, clock=clock) as center:
        settings = sync_settings(db_url, center.url, page_size=100)
        summary = sync_connector(settings, sessions, "center", sleep=Sleeps(), progress=time_passes)
        served = center.center.snapshots()
    assert summary.status == "success"
    assert summary.fetched > len(served)  # some dossiers came on two pages
    assert stored_statuses(sessions) == served_statuses(served)
    with sessions() as s:
        assert s.scalar(select(func.count(func.distinct(Dossier.code)))) == len(served)


def test_503s_then_success_are_retried_with_exponential_backoff(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    sleeps = Sleeps()
    with fake_center() as center:
        center.center.add_fault(Fault("status", status=503, times=2))
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=sleeps)
        served = center.center.snapshots()
    assert summary.status == "success"
    assert sleeps == [0.5, 1.0]
    assert stored_statuses(sessions) == served_statuses(served)


def test_a_429_waits_as_long_as_retry_after_says(db_url: str, sessions: sessionmaker[Session]) -> None:
    sleeps = Sleeps()
    with fake_center() as center:
        center.center.add_fault(Fault("status", status=429, retry_after=7))
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=sleeps)
    assert summary.status == "success"
    assert sleeps == [7.0]


def test_a_hung_request_times_out_and_is_retried(db_url: str, sessions: sessionmaker[Session]) -> None:
    sleeps = Sleeps()
    with fake_center() as center:
        center.center.add_fault(Fault("delay", seconds=3))
        settings = sync_settings(db_url, center.url, timeout_seconds=0.3)
        summary = sync_connector(settings, sessions, "center", sleep=sleeps)
        served = center.center.snapshots()
    assert summary.status == "success"
    assert len(sleeps) == 1
    assert stored_statuses(sessions) == served_statuses(served)


def test_a_page_of_malformed_json_is_fetched_again(db_url: str, sessions: sessionmaker[Session]) -> None:
    sleeps = Sleeps()
    with fake_center() as center:
        center.center.add_fault(Fault("malformed", skip=1))
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=sleeps)
        served = center.center.snapshots()
    assert summary.status == "success" and len(sleeps) == 1
    assert stored_statuses(sessions) == served_statuses(served)


def test_a_page_failing_after_its_retries_fails_the_run_and_keeps_the_cursor_on_what_was_stored(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center() as center:
        center.center.add_fault(Fault("status", status=503, skip=2, times=100))
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=Sleeps())
    assert summary.status == "failed"
    assert summary.error is not None and "HTTP 503" in summary.error and "3 attempts" in summary.error
    assert summary.fetched == 80  # the two pages before the failure
    with sessions() as s:
        newest = s.scalar(select(func.max(Dossier.source_updated_at)))
        count = s.scalar(select(func.count()).select_from(Dossier))
        run = s.get_one(SyncRun, summary.run_id)
    assert count == summary.inserted > 0
    assert cursor(sessions) == newest
    assert (run.status, run.inserted) == ("failed", count) and run.error == summary.error


def test_a_sync_interrupted_half_way_then_resumed_holds_every_dossier_exactly_once(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center(size=600) as center:
        fault = Fault("status", status=503, skip=4, times=1000)
        center.center.add_fault(fault)
        settings = sync_settings(db_url, center.url, max_retries=0)
        broken = sync_connector(settings, sessions, "center", sleep=Sleeps())
        fault.times = 0
        resumed = sync_connector(settings, sessions, "center", sleep=Sleeps())
        served = center.center.snapshots()
    assert broken.status == "failed" and 0 < broken.inserted < len(served)
    assert resumed.status == "success"
    assert broken.inserted + resumed.inserted == len(served)
    assert stored_statuses(sessions) == served_statuses(served)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == len(served)


def test_malformed_records_are_rejected_one_by_one_and_the_rest_is_stored(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center() as center:
        sample = next(iter(center.center.snapshots().values()))
        no_code = {**sample, "MaHoSo": ""}
        bad_time = {**sample, "MaHoSo": "H48.18-260302-9001", "NgayTiepNhan": "2026-13-45"}
        bad_step = {
            **sample,
            "MaHoSo": "H48.18-260302-9002",
            "QuaTrinhXuLy": [{"STT": 1, "MaPhongBan": "H48.18.02", "ThoiDiemXuLy": "hôm qua"}],
        }
        status_11 = {**sample, "MaHoSo": "H48.18-260302-9003", "TrangThaiHoSo": "11"}
        center.center.add_records([no_code, bad_time, bad_step, status_11])
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=Sleeps())
        served = center.center.snapshots()
    assert summary.status == "success"
    assert summary.rejected == 4 and summary.inserted == len(served)
    assert stored_statuses(sessions) == served_statuses(served)
    with sessions() as s:
        rejects = {r.record_key: r for r in s.scalars(select(RejectedRecord))}
    assert "MaHoSo: required" in rejects[None].reason
    assert "NgayTiepNhan: unparsable time '2026-13-45'" in rejects["H48.18-260302-9001"].reason
    assert "QuaTrinhXuLy[1].ThoiDiemXuLy" in rejects["H48.18-260302-9002"].reason
    assert "1–10, got '11'" in rejects["H48.18-260302-9003"].reason
    for reject in rejects.values():
        assert reject.payload["MaTTHC"] == sample["MaTTHC"]
        assert not {"ChuHoSo", "SoDienThoai", "Email", "SoGiayToChuHoSo"} & set(reject.payload)


def test_progress_is_reported_after_every_stored_page(db_url: str, sessions: sessionmaker[Session]) -> None:
    seen: list[SyncProgress] = []
    with fake_center() as center:
        summary = sync_connector(sync_settings(db_url, center.url), sessions, "center", progress=seen.append)
    assert [p.page for p in seen] == list(range(1, len(seen) + 1)) and len(seen) > 3
    assert seen[0].total is not None and seen[0].total >= summary.inserted
    assert seen[-1].fetched == summary.fetched and seen[-1].inserted == summary.inserted


def test_sync_all_runs_every_enabled_connector_and_one_failure_stops_no_other(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center() as center:
        settings = build_settings(
            {
                "database": {"url": db_url},
                "connectors": [
                    {"name": "down", "kind": "http", "base_url": "http://127.0.0.1:9", "max_retries": 0},
                    {"name": "center", "kind": "http", "base_url": center.url},
                    {"name": "off", "kind": "http", "base_url": center.url, "enabled": False},
                ],
            }
        )
        summaries = sync_all(settings, sessions, sleep=Sleeps())
    assert [(s.connector, s.status) for s in summaries] == [("down", "failed"), ("center", "success")]
    assert "connection failed" in (summaries[0].error or "")
    assert summaries[1].inserted > 0
