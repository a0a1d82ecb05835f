"""End to end through the real parts: the fake center (issue 3) synced by the scheduler's job, judged by
evaluate (issue 4), digested and mailed over SMTP; a connector that cannot be reached alerts the office."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from connectors.fake import start_fake_center
from monitor.alerts.jobs import connector_watch_job, digest_job
from monitor.config import Settings
from monitor.models import Dossier, Judgement, Violation
from monitor.scheduler import job_table
from tests.alerts_support import at, free_port, smtp_sink
from tests.conftest import build_settings

NOW = at("2026-08-17 07:00")  # a Monday


def test_synced_dossiers_from_the_fake_center_reach_a_unit_head_in_the_morning_digest(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    center = start_fake_center(seed=1, size=1000, now=NOW - dt.timedelta(minutes=5), clock=lambda: NOW)
    unit = "H48.18.06"
    try:
        with smtp_sink() as sink:
            config = build_settings(
                {
                    "database": {"url": settings.database.url},
                    "connectors": [
                        {"name": "fake", "kind": "fake", "base_url": center.url, "interval_minutes": 5}
                    ],
                    "alerts": {
                        "units": {unit: [sink.url("truongphong.pqlcn@so.example.vn")]},
                        "send_empty": True,
                    },
                    "reports": {"enabled": False},
                }
            )
            jobs = {j.id: j for j in job_table(config, sessions, clock=lambda: NOW, env={})}
            jobs["sync:fake"].run(NOW)
            run = digest_job(config, sessions, NOW, env={})
    finally:
        center.stop()
    with sessions() as s:
        stored = s.scalar(select(func.count()).select_from(Dossier).where(Dossier.unit_code == unit))
        overdue = s.scalar(
            select(func.count())
            .select_from(Dossier)
            .join(Judgement)
            .where(
                Dossier.unit_code == unit,
                Dossier.status.in_((2, 4, 5, 6)),
                Judgement.paused.is_not(True),
                Judgement.effective_due_at < NOW,
            )
        )
        opened = s.scalar(select(func.count()).select_from(Violation).where(Violation.unit_code == unit))
    assert stored and overdue and opened  # the seed gives this unit some of each
    assert run.delivery.sent == 1 and len(sink.received) == 1
    mail = sink.received[0]
    subject = str(mail.message["Subject"])
    assert subject.startswith("[Theo dõi hồ sơ] Chi cục Tiêu chuẩn Đo lường Chất lượng 17/08/2026: ")
    assert subject.endswith(f", {overdue} quá hạn, {opened} vi phạm mới")  # all judged this morning
    assert f"Quá hạn chưa trả: {overdue}" in mail.part("plain")


def test_a_connector_that_cannot_be_reached_for_three_intervals_alerts_the_office_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with smtp_sink() as sink:
        config = build_settings(
            {
                "database": {"url": settings.database.url},
                "connectors": [
                    {
                        "name": "center",
                        "kind": "http",
                        "base_url": dead,
                        "interval_minutes": 5,
                        "max_retries": 0,
                    }
                ],
                "alerts": {"office": [sink.url("vanphong@so.example.vn")]},
                "reports": {"enabled": False},
            }
        )
        for minute in range(0, 25, 5):
            now = NOW + dt.timedelta(minutes=minute)
            jobs = {j.id: j for j in job_table(config, sessions, clock=lambda now=now: now, env={})}
            jobs["sync:center"].run(now)
            connector_watch_job(config, sessions, now, env={})
    assert [str(m.message["Subject"]) for m in sink.received] == [
        '[Theo dõi hồ sơ] Đồng bộ "center" bị gián đoạn'
    ]
    assert "127.0.0.1" in sink.received[0].part("plain")  # the last error names the unreachable address
