"""When alerts go out: working days only, by the calendar; connector down/up notices once each."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.jobs import connector_watch_job, digest_job
from monitor.config import Settings
from monitor.models import ConnectorHealth, Delivery
from tests.alerts_support import add_dossier, add_sync_run, add_unit, at, smtp_sink
from tests.conftest import build_settings

HEAD = "truongphong.pkt@so.example.vn"
OFFICE = "vanphong@so.example.vn"


@pytest.mark.parametrize(
    ("day", "sent"),
    [
        ("2026-08-29", False),  # an ordinary Saturday
        ("2026-08-30", False),  # a Sunday
        ("2026-09-02", False),  # Quốc khánh, a Wednesday
        ("2026-08-22", True),  # the make-up Saturday
        ("2026-08-21", True),  # an ordinary Friday
    ],
)
def test_the_digest_goes_out_on_working_days_only(
    settings: Settings, sessions: sessionmaker[Session], day: str, sent: bool
) -> None:
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(s, due=at("2026-08-01 10:00"))  # overdue whatever the day
    with smtp_sink() as sink:
        config = build_settings(
            {"database": {"url": settings.database.url}, "alerts": {"units": {"PKT": [sink.url(HEAD)]}}}
        )
        run = digest_job(config, sessions, at(f"{day} 07:00"), env={}, evaluate_first=False)
    assert run.working_day is sent
    assert len(sink.received) == (1 if sent else 0)


def _watch_settings(settings: Settings, sink_url: str) -> Settings:
    return build_settings(
        {
            "database": {"url": settings.database.url},
            "connectors": [
                {"name": "center", "kind": "http", "base_url": "http://127.0.0.1:9", "interval_minutes": 10}
            ],
            "alerts": {"office": [sink_url]},
        }
    )


def test_a_stale_connector_is_announced_once_and_its_recovery_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        add_sync_run(s, "center", at("2026-08-17 08:00"), ok=True)
        add_sync_run(s, "center", at("2026-08-17 08:10"), ok=False, error="HTTP 503 Service Unavailable")
    with smtp_sink() as sink:
        config = _watch_settings(settings, sink.url(OFFICE))
        # fresh enough at 08:25; stale past 08:30 (three 10-minute intervals); told once however often we look
        for minute in ("08:25", "08:31", "08:36", "08:41"):
            connector_watch_job(config, sessions, at(f"2026-08-17 {minute}"), env={})
        assert [str(m.message["Subject"]) for m in sink.received] == [
            '[Theo dõi hồ sơ] Đồng bộ "center" bị gián đoạn'
        ]
        assert "Lỗi gần nhất: HTTP 503 Service Unavailable" in sink.received[0].part("plain")
        with sessions.begin() as s:
            add_sync_run(s, "center", at("2026-08-17 08:45"), ok=True)
        for minute in ("08:46", "08:51"):
            connector_watch_job(config, sessions, at(f"2026-08-17 {minute}"), env={})
        assert [str(m.message["Subject"]) for m in sink.received][1:] == [
            '[Theo dõi hồ sơ] Đồng bộ "center" đã hoạt động lại'
        ]
    with sessions() as s:
        health = s.get_one(ConnectorHealth, "center")
        kinds = s.scalars(select(Delivery.kind).order_by(Delivery.id)).all()
    assert health.healthy and health.since == at("2026-08-17 08:46")
    assert kinds == ["connector_down", "connector_up"]


def test_a_connector_that_never_synced_is_not_announced(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    config = _watch_settings(settings, "json://127.0.0.1:9/office")
    assert connector_watch_job(config, sessions, at("2026-08-17 08:00"), env={}) == []
    with sessions() as s:
        assert s.scalars(select(Delivery)).all() == []


def test_a_second_outage_the_same_day_is_announced_again(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        add_sync_run(s, "center", at("2026-08-17 08:00"), ok=True)
    config = _watch_settings(settings, "json://127.0.0.1:9/office")
    down = dt.timedelta(minutes=31)
    connector_watch_job(config, sessions, at("2026-08-17 08:00") + down, env={})
    with sessions.begin() as s:
        add_sync_run(s, "center", at("2026-08-17 09:00"), ok=True)
    connector_watch_job(config, sessions, at("2026-08-17 09:01"), env={})
    connector_watch_job(config, sessions, at("2026-08-17 09:00") + down, env={})
    with sessions() as s:
        kinds = s.scalars(select(Delivery.kind).order_by(Delivery.id)).all()
    assert kinds == ["connector_down", "connector_up", "connector_down"]
