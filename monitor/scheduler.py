"""`monitor scheduler`: the one process that runs periodic jobs.

The job table says what runs when; every job is a plain function of an injected `now`, so tests (and a
person) can run any of them directly. APScheduler fires them with coalescing, `max_instances=1` and a
misfire grace suited to each; on start, a digest missed while the scheduler was down is caught up. A
leader lock (monitor.leader) lets a second scheduler, on another host, start and wait to take over."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.jobs import connector_watch_job, digest_job, digest_time, work_calendar
from monitor.alerts.outbox import deliver_pending
from monitor.calendar import LOCAL_TZ
from monitor.config import Settings
from monitor.db import make_engine, session_factory, utcnow
from monitor.leader import LeaderLock, leader_lock

log = logging.getLogger("monitor.scheduler")
Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class Job:
    id: str
    run: Callable[[dt.datetime], object]  # the job itself, given "now"
    trigger: BaseTrigger
    misfire_grace_seconds: int  # how late a firing may still run (after a pause or a busy pool)
    at_start: bool = False  # also run as soon as the scheduler starts
    catch_up: Callable[[dt.datetime], bool] | None = None  # at start: was a run missed while down?


def sync_and_evaluate(
    settings: Settings,
    sessions: sessionmaker[Session],
    name: str,
    now: dt.datetime,
    *,
    clock: Clock,
    env: Mapping[str, str],
) -> None:
    """Pull one connector, then judge what changed as of the end of the pull."""
    from monitor.evaluate import evaluate
    from monitor.sync import sync_connector

    summary = sync_connector(settings, sessions, name, now=clock, env=env)
    if summary.status != "success":
        log.warning("sync of %s failed: %s", name, summary.error)
    evaluate(settings, sessions, max(now, clock()))


def digest_missed(settings: Settings, now: dt.datetime) -> bool:
    """True on a working day between the digest time and `catch_up_hours` after it."""
    day = now.astimezone(LOCAL_TZ).date()
    due = digest_time(settings, day)
    window = dt.timedelta(hours=settings.scheduler.catch_up_hours)
    return due <= now <= due + window and work_calendar(settings).is_working(day)


def job_table(
    settings: Settings, sessions: sessionmaker[Session], *, clock: Clock = utcnow, env: Mapping[str, str]
) -> list[Job]:
    sched = settings.scheduler
    jobs = [
        Job(
            id=f"sync:{c.name}",
            run=partial(sync_and_evaluate, settings, sessions, c.name, clock=clock, env=env),
            trigger=IntervalTrigger(minutes=c.interval_minutes, timezone=LOCAL_TZ),
            misfire_grace_seconds=c.interval_minutes * 30,  # half an interval; later, the next run is near
            at_start=True,
        )
        for c in settings.connectors
        if c.enabled
    ]
    jobs += [
        Job(
            id="digest",
            run=lambda now: digest_job(settings, sessions, now, env=env),  # skips days off itself
            trigger=CronTrigger(hour=sched.digest_at.hour, minute=sched.digest_at.minute, timezone=LOCAL_TZ),
            misfire_grace_seconds=int(sched.catch_up_hours * 3600),
            catch_up=lambda now: digest_missed(settings, now),
        ),
        Job(
            id="connector-watch",
            run=lambda now: connector_watch_job(settings, sessions, now, env=env),
            trigger=IntervalTrigger(minutes=sched.health_check_minutes, timezone=LOCAL_TZ),
            misfire_grace_seconds=sched.health_check_minutes * 60,
        ),
        Job(
            id="deliveries",
            run=lambda now: deliver_pending(sessions, settings.alerts, now, env=env),
            trigger=IntervalTrigger(minutes=sched.delivery_minutes, timezone=LOCAL_TZ),
            misfire_grace_seconds=sched.delivery_minutes * 60,
        ),
    ]
    if settings.reports.enabled:
        from monitor.reports.sending import monthly_report_job

        calendar = work_calendar(settings)
        send_at = settings.reports.send_at
        # Fires daily; the job itself decides (first working day from send_at, last month not yet built),
        # so running it at start is the catch-up after a scheduler that was down that morning.
        jobs.append(
            Job(
                id="monthly-report",
                run=lambda now: monthly_report_job(settings, sessions, now, calendar=calendar, env=env),
                trigger=CronTrigger(hour=send_at.hour, minute=send_at.minute, timezone=LOCAL_TZ),
                misfire_grace_seconds=12 * 3600,
                at_start=True,
            )
        )
    return jobs


class SchedulerService:
    """Waits for the leader lock, then runs the job table until `shutdown()` (SIGTERM in the CLI)."""

    def __init__(
        self,
        settings: Settings,
        *,
        env: Mapping[str, str] | None = None,
        clock: Clock = utcnow,
        say: Callable[[str], None] = log.info,
    ) -> None:
        self.settings = settings
        self.env = os.environ if env is None else env
        self.clock = clock
        self.say = say
        self.leading = threading.Event()
        self._stop = threading.Event()
        self._guard = threading.Lock()
        self._scheduler: BlockingScheduler | None = None

    def run(self) -> None:
        lock = leader_lock(self.settings.database)
        try:
            if not self._wait_for(lock):
                return
            engine = make_engine(self.settings.database)
            try:
                self._run_jobs(session_factory(engine), lock)
            finally:
                engine.dispose()
        finally:
            lock.release()
            self.leading.clear()

    def _wait_for(self, lock: LeaderLock) -> bool:
        told = False
        while not self._stop.is_set():
            if lock.try_acquire():
                self.say(f"leader ({lock.description}); running jobs")
                self.leading.set()
                return True
            if not told:
                self.say(f"another scheduler holds the {lock.description}; waiting to take over")
                told = True
            self._stop.wait(self.settings.scheduler.lock_poll_seconds)
        return False

    def _run_jobs(self, sessions: sessionmaker[Session], lock: LeaderLock) -> None:
        scheduler = BlockingScheduler(timezone=LOCAL_TZ, job_defaults={"coalesce": True, "max_instances": 1})
        now = self.clock()
        for job in job_table(self.settings, sessions, clock=self.clock, env=self.env):
            start_now = job.at_start or (job.catch_up is not None and job.catch_up(now))
            if job.catch_up is not None and start_now:
                self.say(f"catching up {job.id} missed while the scheduler was down")
            options = {"next_run_time": dt.datetime.now(LOCAL_TZ)} if start_now else {}
            scheduler.add_job(
                self._runner(job),
                job.trigger,
                id=job.id,
                name=job.id,
                misfire_grace_time=job.misfire_grace_seconds,
                **options,
            )
        scheduler.add_job(
            self._keep_leadership,
            IntervalTrigger(seconds=60),
            args=[lock],
            id="leader-check",
            misfire_grace_time=60,
        )
        # A shutdown() that lands between publishing the scheduler and its start() finds it not yet
        # running and cannot stop it: this first job, run once the loop is up, honours it instead.
        scheduler.add_job(
            self._stop_if_asked, args=[scheduler], id="stop-if-asked", next_run_time=dt.datetime.now(LOCAL_TZ)
        )
        with self._guard:
            if self._stop.is_set():
                return
            self._scheduler = scheduler
        scheduler.start()  # blocks until shutdown()

    def _stop_if_asked(self, scheduler: BlockingScheduler) -> None:
        if self._stop.is_set():
            scheduler.shutdown(wait=False)

    def _runner(self, job: Job) -> Callable[[], None]:
        def run() -> None:
            try:
                job.run(self.clock())
                log.info("job %s done", job.id)
            except Exception:  # one failing run must not stop the schedule; the next firing retries
                log.exception("job %s failed", job.id)

        return run

    def _keep_leadership(self, lock: LeaderLock) -> None:
        if not lock.still_held():
            self.say("lost the leader lock (database connection gone); stopping so another scheduler leads")
            self.shutdown(wait=False)

    def shutdown(self, wait: bool = True) -> None:
        """Stop after the running jobs finish (safe from a signal handler or another thread)."""
        with self._guard:
            self._stop.set()
            scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=wait)
