"""The scheduler: its job table, the digest catch-up, the leader lock, two schedulers at once."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.leader import leader_lock
from monitor.models import Delivery
from monitor.scheduler import SchedulerService, digest_missed, job_table
from tests.alerts_support import SmtpSink, add_dossier, add_unit, at, smtp_sink
from tests.conftest import build_settings


def _config(url: str, **extra: object) -> Settings:
    return build_settings(
        {
            "database": {"url": url},
            "connectors": [
                {"name": "center", "kind": "http", "base_url": "http://127.0.0.1:9", "interval_minutes": 15},
                {"name": "old", "kind": "http", "base_url": "http://127.0.0.1:9", "enabled": False},
            ],
            "scheduler": {"digest_at": "07:00", "lock_poll_seconds": 0.05},
            "reports": {"enabled": False},
            **extra,
        }
    )


def test_the_job_table_syncs_each_enabled_connector_at_its_interval_and_digests_each_morning(
    tmp_path: object,
) -> None:
    settings = _config("sqlite:////tmp/unused.db")
    jobs = {j.id: j for j in job_table(settings, sessionmaker(), env={})}
    assert {"connector-watch", "deliveries", "digest", "sync:center"} <= set(jobs)
    assert "sync:old" not in jobs  # disabled
    sync = jobs["sync:center"]
    assert isinstance(sync.trigger, IntervalTrigger) and sync.trigger.interval == dt.timedelta(minutes=15)
    assert sync.at_start and sync.misfire_grace_seconds == 450
    digest = jobs["digest"]
    assert isinstance(digest.trigger, CronTrigger)
    first = digest.trigger.get_next_fire_time(None, at("2026-08-17 06:00"))
    assert first == at("2026-08-17 07:00")
    assert digest.misfire_grace_seconds == 8 * 3600 and digest.catch_up is not None


@pytest.mark.parametrize(
    ("when", "missed"),
    [
        ("2026-08-17 06:59", False),  # Monday, before the digest time
        ("2026-08-17 07:00", True),
        ("2026-08-17 14:59", True),
        ("2026-08-17 15:01", False),  # past the 8-hour catch-up window
        ("2026-08-22 09:00", True),  # the make-up Saturday
        ("2026-08-29 09:00", False),  # an ordinary Saturday
        ("2026-09-02 09:00", False),  # Quốc khánh
    ],
)
def test_a_digest_is_caught_up_at_start_only_on_a_working_day_within_the_window(
    when: str, missed: bool
) -> None:
    assert digest_missed(_config("sqlite:////tmp/unused.db"), at(when)) is missed


def test_a_second_leader_lock_waits_until_the_first_is_released(settings: Settings) -> None:
    first, second = leader_lock(settings.database), leader_lock(settings.database)
    try:
        assert first.try_acquire()
        assert first.still_held()
        assert not second.try_acquire()
        first.release()
        assert second.try_acquire()
    finally:
        first.release()
        second.release()


@contextmanager
def _running(service: SchedulerService) -> Iterator[threading.Thread]:
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        service.shutdown()
        thread.join(timeout=30)


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    done = threading.Event()
    for _ in range(int(timeout * 20)):
        if condition():
            return
        done.wait(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_two_schedulers_at_once_deliver_one_digest_per_recipient_and_the_second_takes_over(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(s, due=at("2026-08-14 16:00"))  # overdue on Monday 17/08
    heads = [f"truongphong{i}@so.example.vn" for i in range(3)]
    monday = at("2026-08-17 07:30")  # the scheduler (re)starts after the digest time: catch-up
    sink: SmtpSink
    with smtp_sink() as sink:
        config = _config(settings.database.url, alerts={"units": {"PKT": [sink.url(h) for h in heads]}})
        config = config.model_copy(update={"connectors": ()})
        said: list[str] = []
        a = SchedulerService(config, env={}, clock=lambda: monday, say=said.append)
        b = SchedulerService(config, env={}, clock=lambda: monday, say=said.append)
        with _running(a), _running(b):
            _wait(lambda: len(sink.received) >= 3, "the digest")
            _wait(lambda: a.leading.is_set() != b.leading.is_set(), "exactly one leader")
            follower = b if a.leading.is_set() else a
            leader = a if follower is b else b
            leader.shutdown()
            _wait(follower.leading.is_set, "the second scheduler to take over")
            _wait(lambda: sum("catching up digest" in x for x in said) == 2, "the second catch-up")
            _wait(lambda: _statuses(sessions) == ["sent"] * 3, "the outbox to settle")
    assert sorted(r for m in sink.received for r in m.recipients) == sorted(heads)
    assert any("waiting to take over" in x for x in said)


def _statuses(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Delivery.status).order_by(Delivery.id)))
