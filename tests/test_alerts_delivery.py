"""Delivery through a real SMTP server (aiosmtpd on loopback): once per recipient, retried, recorded."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.jobs import build_digests, digest_job
from monitor.alerts.outbox import deliver_pending, enqueue
from monitor.alerts.render import render_digest
from monitor.config import Settings
from monitor.models import Delivery
from tests.alerts_support import SmtpSink, add_dossier, add_unit, at, free_port, smtp_sink
from tests.conftest import build_settings

MONDAY = at("2026-08-17 07:00")
HEAD = "truongphong.pkt@so.example.vn"
DEPUTY = "phophong.pkt@so.example.vn"


def _settings(settings: Settings, units: dict[str, list[object]], **alerts: object) -> Settings:
    return build_settings(
        {
            "database": {"url": settings.database.url},
            "alerts": {"units": units, **alerts},
            "web": {"public_url": "https://monitor.example.vn"},
        }
    )


def _something_to_report(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(
            s,
            code="H48.18-260810-0042",
            due=at("2026-08-17 15:00"),
            due_soon=True,
            procedure="Cấp giấy chứng nhận đủ điều kiện kinh doanh",
            holder=("Đặng Thị Tuyết", "Phòng Kinh tế"),
        )


def _rows(sessions: sessionmaker[Session]) -> list[Delivery]:
    with sessions() as s:
        return list(s.scalars(select(Delivery).order_by(Delivery.id)))


def test_the_digest_reaches_each_recipient_over_smtp_with_vietnamese_intact_in_both_parts(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    with smtp_sink() as sink:
        config = _settings(settings, {"PKT": [sink.url(HEAD), sink.url(DEPUTY)]})
        run = digest_job(config, sessions, MONDAY, env={}, evaluate_first=False)
    assert run.queued == 2 and run.delivery.sent == 2
    assert sorted(r for m in sink.received for r in m.recipients) == [DEPUTY, HEAD]
    mail = sink.received[0]
    assert mail.sender == "monitor@so.example.vn"
    assert str(mail.message["Subject"]) == (
        "[Theo dõi hồ sơ] Phòng Kinh tế 17/08/2026: 1 sắp đến hạn, 0 quá hạn, 0 vi phạm mới"
    )
    html, text = mail.part("html"), mail.part("plain")
    for body in (html, text):
        assert "H48.18-260810-0042" in body
        assert "Cấp giấy chứng nhận đủ điều kiện kinh doanh" in body
        assert "Đặng Thị Tuyết (Phòng Kinh tế)" in body
        assert "hạn 17/08/2026 15:00" in body
    assert "Xem đầy đủ: https://monitor.example.vn/violations?unit=PKT" in text
    assert '<a href="https://monitor.example.vn/violations?unit=PKT">' in html
    assert [r.status for r in _rows(sessions)] == ["sent", "sent"]


def test_running_the_digest_job_twice_sends_one_message_per_recipient(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    with smtp_sink() as sink:
        config = _settings(settings, {"PKT": [sink.url(HEAD)]})
        first = digest_job(config, sessions, MONDAY, env={}, evaluate_first=False)
        second = digest_job(config, sessions, at("2026-08-17 09:00"), env={}, evaluate_first=False)
    assert (first.queued, second.queued) == (1, 0)
    assert len(sink.received) == 1


def test_two_workers_delivering_at_once_send_each_message_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    with smtp_sink() as sink:
        recipients = [sink.url(f"nguoi{i}@so.example.vn") for i in range(6)]
        config = _settings(settings, {"PKT": recipients})
        with sessions.begin() as s:
            (digest,) = build_digests(config, s, MONDAY)
            enqueue(
                s,
                kind="digest",
                key="PKT",
                day=MONDAY.date(),
                recipients=recipients,
                message=render_digest(digest),
                alerts=config.alerts,
                env={},
                now=MONDAY,
            )
        start = threading.Barrier(2)

        def worker(name: str) -> None:
            start.wait()
            deliver_pending(sessions, config.alerts, MONDAY, env={}, worker=name)

        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(r for m in sink.received for r in m.recipients) == sorted(
        f"nguoi{i}@so.example.vn" for i in range(6)
    )
    assert {r.status for r in _rows(sessions)} == {"sent"}


def test_nothing_is_sent_when_a_unit_has_nothing_to_report_unless_configured(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with smtp_sink() as sink:
        quiet = digest_job(
            _settings(settings, {"PKT": [sink.url(HEAD)]}), sessions, MONDAY, env={}, evaluate_first=False
        )
        assert quiet.empty_units == ["PKT"] and sink.received == []
        told = digest_job(
            _settings(settings, {"PKT": [sink.url(HEAD)]}, send_empty=True),
            sessions,
            MONDAY,
            env={},
            evaluate_first=False,
        )
    assert told.queued == 1
    assert "Không có hồ sơ cần xử lý gấp." in sink.received[0].part("plain")


def test_a_server_that_is_down_is_retried_with_a_doubling_backoff_then_recorded_failed(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    down = SmtpSink(port=free_port())  # nothing listens there
    config = _settings(settings, {"PKT": [down.url(HEAD)]}, max_attempts=3, retry_minutes=5)
    digest_job(config, sessions, MONDAY, env={}, evaluate_first=False)
    (row,) = _rows(sessions)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, at("2026-08-17 07:05"))
    assert "127.0.0.1" in (row.last_error or "")
    early = deliver_pending(sessions, config.alerts, at("2026-08-17 07:04"), env={})
    assert early.sent + early.retrying + early.failed == 0  # not due yet
    deliver_pending(sessions, config.alerts, at("2026-08-17 07:05"), env={})
    (row,) = _rows(sessions)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 2, at("2026-08-17 07:15"))
    deliver_pending(sessions, config.alerts, at("2026-08-17 07:15"), env={})
    (row,) = _rows(sessions)
    assert (row.status, row.attempts) == ("failed", 3)


def test_a_recipient_whose_secret_is_missing_is_recorded_failed_at_once(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    config = _settings(settings, {"PKT": [{"url_env": "MONITOR_PKT_TELEGRAM"}]})
    digest_job(config, sessions, MONDAY, env={}, evaluate_first=False)
    (row,) = _rows(sessions)
    assert row.status == "failed"
    assert row.last_error == "environment variable MONITOR_PKT_TELEGRAM (an alert recipient) is not set"
    assert row.recipient == "env:MONITOR_PKT_TELEGRAM"


def test_smtp_credentials_come_from_the_environment_and_never_reach_the_outbox(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    _something_to_report(sessions)
    env = {"MONITOR_SMTP_USER": "monitor@so.example.vn", "MONITOR_SMTP_PASSWORD": "p@ss:w/rd s3cret"}
    with smtp_sink(with_auth=True) as sink:
        config = _settings(settings, {"PKT": [sink.url(HEAD)]})
        run = digest_job(config, sessions, MONDAY, env=env, evaluate_first=False)
    assert run.delivery.sent == 1
    assert sink.logins == [("monitor@so.example.vn", "p@ss:w/rd s3cret")]
    (row,) = _rows(sessions)
    assert "s3cret" not in row.recipient and "monitor@so.example.vn" not in row.recipient
