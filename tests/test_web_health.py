"""`/healthz` reports the database and the age of each connector's last successful sync."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.db import utcnow
from monitor.models import SyncRun
from monitor.web import create_app
from tests.conftest import build_settings

CONNECTOR = {"name": "center", "kind": "http", "base_url": "http://127.0.0.1:9", "interval_minutes": 15}


def with_connector(settings: Settings) -> Settings:
    return build_settings({"database": {"url": settings.database.url}, "connectors": [CONNECTOR]})


def add_run(sessions: sessionmaker[Session], status: str, minutes_ago: int) -> None:
    at = utcnow() - dt.timedelta(minutes=minutes_ago)
    with sessions.begin() as session:
        session.add(SyncRun(connector="center", status=status, started_at=at, finished_at=at))


def test_healthz_is_ok_with_a_reachable_database_and_no_connectors(settings: Settings) -> None:
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "connectors": []}


def test_healthz_reports_the_age_of_the_last_successful_sync(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add_run(sessions, "success", 5)
    add_run(sessions, "failed", 1)
    body = create_app(with_connector(settings)).test_client().get("/healthz").get_json()
    (row,) = body["connectors"]
    assert row["connector"] == "center" and not row["stale"]
    assert 290 <= row["age_seconds"] <= 310
    assert row["last_success"].endswith("+07:00")


def test_healthz_is_503_when_the_last_success_is_older_than_three_intervals(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add_run(sessions, "success", 46)
    response = create_app(with_connector(settings)).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["connectors"][0]["stale"] is True


def test_healthz_is_503_when_runs_have_failed_for_three_intervals(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add_run(sessions, "failed", 50)
    add_run(sessions, "failed", 2)
    assert create_app(with_connector(settings)).test_client().get("/healthz").status_code == 503


def test_healthz_is_503_when_the_database_is_down(tmp_path: object) -> None:
    settings = build_settings({"database": {"url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}})
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
