"""The alert jobs, each a plain function of an injected `now`: the daily digest and the connector
watch. The scheduler and `monitor alerts send` call them; tests call them with any instant."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.digest import Digest, load_digest
from monitor.alerts.outbox import DeliveryReport, deliver_pending, enqueue, rowcount
from monitor.alerts.render import Message, render_connector_alert, render_digest
from monitor.calendar import LOCAL_TZ, WorkCalendar
from monitor.config import Settings
from monitor.health import connector_health
from monitor.models import ConnectorHealth, SyncRun


def work_calendar(settings: Settings) -> WorkCalendar:
    cal = settings.calendar
    return WorkCalendar(cal.office_hours, cal.extra_holidays, cal.extra_workdays)


@dataclass
class DigestRun:
    day: dt.date
    working_day: bool
    queued: int = 0  # new outbox rows (0 when the digest was already queued today)
    empty_units: list[str] = field(default_factory=list)
    messages: dict[str, Message] = field(default_factory=dict)  # per unit, what was (or would be) sent
    delivery: DeliveryReport = field(default_factory=DeliveryReport)


def digest_time(settings: Settings, day: dt.date) -> dt.datetime:
    """The instant of `day`'s digest (the configured local time), aware."""
    return dt.datetime.combine(day, settings.scheduler.digest_at, tzinfo=LOCAL_TZ)


def build_digests(
    settings: Settings, session: Session, now: dt.datetime, calendar: WorkCalendar | None = None
) -> list[Digest]:
    """Every configured unit's digest as of `now`; violations count from the previous working day's digest."""
    calendar = calendar or work_calendar(settings)
    day = now.astimezone(LOCAL_TZ).date()
    since = digest_time(settings, calendar.previous_working_day(day))
    return [
        load_digest(
            session,
            unit_code=unit,
            now=now,
            since=since,
            day=day,
            max_lines=settings.alerts.max_lines,
            public_url=settings.web.public_url,
        )
        for unit in settings.alerts.units
    ]


def digest_job(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    env: Mapping[str, str] | None = None,
    dry_run: bool = False,
    evaluate_first: bool = True,
) -> DigestRun:
    """Queue and send today's digest for every unit with recipients; nothing on a day off.

    Evaluates first so `due_soon` is judged as of `now`, not as of the last sync."""
    env = os.environ if env is None else env
    calendar = work_calendar(settings)
    day = now.astimezone(LOCAL_TZ).date()
    run = DigestRun(day=day, working_day=calendar.is_working(day))
    if not run.working_day or not settings.alerts.enabled:
        return run
    if evaluate_first and not dry_run:
        from monitor.evaluate import evaluate  # type: ignore[import-not-found,unused-ignore]

        evaluate(settings, sessions, now)
    with sessions.begin() as session:
        for digest in build_digests(settings, session, now, calendar):
            if digest.empty and not settings.alerts.send_empty:
                run.empty_units.append(digest.unit_code)
                continue
            message = render_digest(digest)
            run.messages[digest.unit_code] = message
            if not dry_run:
                run.queued += enqueue(
                    session,
                    kind="digest",
                    key=digest.unit_code,
                    day=day,
                    recipients=settings.alerts.units[digest.unit_code],
                    message=message,
                    alerts=settings.alerts,
                    env=env,
                    now=now,
                )
    if not dry_run:
        run.delivery = deliver_pending(sessions, settings.alerts, now, env=env)
    return run


@dataclass
class HealthChange:
    connector: str
    healthy: bool
    queued: int


def _told_healthy(session: Session, connector: str, now: dt.datetime) -> bool:
    row = session.get(ConnectorHealth, connector)
    if row is not None:
        return row.healthy
    try:
        with session.begin_nested():
            session.add(ConnectorHealth(connector=connector, healthy=True, since=now))
    except IntegrityError:  # a concurrent first look inserted it
        pass
    return True


def connector_watch_job(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    env: Mapping[str, str] | None = None,
) -> list[HealthChange]:
    """Tell the office once when a connector goes stale (failing or silent for three intervals) and
    once when it recovers. The conditional update on `connector_health` makes each change fire once."""
    env = os.environ if env is None else env
    changes: list[HealthChange] = []
    with sessions.begin() as session:
        for health in connector_health(settings, session, now):
            name, healthy = health["connector"], not health["stale"]
            if _told_healthy(session, name, now) == healthy:
                continue
            flipped = session.execute(
                update(ConnectorHealth)
                .where(ConnectorHealth.connector == name, ConnectorHealth.healthy.is_(not healthy))
                .values(healthy=healthy, since=now)
            )
            if rowcount(flipped) != 1:
                continue
            last_ok, error = _last_runs(session, name)
            message = render_connector_alert(
                connector=name,
                healthy=healthy,
                since=now,
                last_success=last_ok,
                error=error,
                public_url=settings.web.public_url,
            )
            queued = enqueue(
                session,
                kind="connector_up" if healthy else "connector_down",
                key=f"{name}@{now.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
                day=now.astimezone(LOCAL_TZ).date(),
                recipients=settings.alerts.office,
                message=message,
                alerts=settings.alerts,
                env=env,
                now=now,
            )
            changes.append(HealthChange(name, healthy, queued))
    if changes:
        deliver_pending(sessions, settings.alerts, now, env=env)
    return changes


def _last_runs(session: Session, connector: str) -> tuple[dt.datetime | None, str | None]:
    last_ok = session.scalar(
        select(SyncRun.finished_at)
        .where(SyncRun.connector == connector, SyncRun.status == "success")
        .order_by(SyncRun.finished_at.desc())
        .limit(1)
    )
    error = session.scalar(
        select(SyncRun.error)
        .where(SyncRun.connector == connector, SyncRun.status == "failed")
        .order_by(SyncRun.started_at.desc())
        .limit(1)
    )
    return last_ok, error
