"""The outbox: one `Delivery` row per (kind, key, day, recipient), inserted once whatever reruns or
second schedulers do, then claimed with a conditional UPDATE before it is sent, so nothing goes twice.

A transient failure is retried with a doubling backoff until `[alerts].max_attempts`; a recipient that
cannot be used at all (missing secret) fails at once. Failed rows are what the sync page shows."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Result, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts import channels
from monitor.alerts.render import Message
from monitor.config import AlertsSettings, Recipient
from monitor.models import Delivery

# A row left in "sending" this long means its sender died mid-send; we cannot know whether the message
# left, so it is marked failed (shown to the office) rather than retried into a possible double send.
SENDING_TIMEOUT = dt.timedelta(minutes=15)

INTERRUPTED = "interrupted while sending; not retried to avoid a double send"

Sender = Callable[[channels.Target, Message], str | None]


@dataclass(frozen=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, object]]) -> int:
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(Delivery).values(rows)
    stmt = stmt.on_conflict_do_nothing(index_elements=["kind", "key", "day", "recipient"])
    # RETURNING lists only the rows really inserted (rowcount is -1 for this form on SQLite).
    return len(session.execute(stmt.returning(Delivery.id)).all())


def rowcount(result: Result[Any]) -> int:
    """Rows an INSERT or UPDATE changed (the conditional update's answer to "is it mine?")."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def enqueue(
    session: Session,
    *,
    kind: str,
    key: str,
    day: dt.date,
    recipients: Sequence[Recipient],
    message: Message,
    alerts: AlertsSettings,
    env: Mapping[str, str],
    now: dt.datetime,
) -> int:
    """Queue `message` for each recipient; returns how many rows are new (0 on a rerun)."""
    rows: list[dict[str, object]] = []
    for recipient in recipients:
        try:
            target = channels.resolve(recipient, alerts, env)
            label, digest, status, error = target.label, target.target_hash, "pending", None
        except channels.RecipientError as exc:
            label = channels.written(recipient)[: channels.LABEL_LENGTH]
            digest = channels.target_hash(recipient)
            status, error = "failed", str(exc)
        rows.append(
            {
                "kind": kind,
                "key": key,
                "day": day,
                "recipient": label,
                "target_hash": digest,
                "status": status,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": error,
                "subject": message.subject[:500],
                "body_text": message.text,
                "body_html": message.html,
                "created_at": now,
            }
        )
    return _insert_ignoring_duplicates(session, rows) if rows else 0


def _targets(alerts: AlertsSettings, env: Mapping[str, str]) -> dict[str, channels.Target]:
    """Every configured recipient by its hash, resolved now (secrets are never read from the table)."""
    found: dict[str, channels.Target] = {}
    for recipient in (*alerts.office, *(r for rs in alerts.units.values() for r in rs)):
        try:
            target = channels.resolve(recipient, alerts, env)
        except channels.RecipientError:
            continue
        found[target.target_hash] = target
    return found


def _claim(session: Session, delivery_id: int, worker: str, now: dt.datetime) -> bool:
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == "pending")
        .values(status="sending", claimed_by=worker, claimed_at=now)
    )
    return rowcount(result) == 1


def deliver_pending(
    sessions: sessionmaker[Session],
    alerts: AlertsSettings,
    now: dt.datetime,
    *,
    env: Mapping[str, str] | None = None,
    sender: Sender = channels.send,
    worker: str | None = None,
) -> DeliveryReport:
    """Send every due pending row this worker manages to claim."""
    env = os.environ if env is None else env
    worker = worker or f"{os.uname().nodename}:{os.getpid()}"
    targets = _targets(alerts, env)
    sent = retrying = failed = 0
    with sessions.begin() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.status == "sending", Delivery.claimed_at < now - SENDING_TIMEOUT)
            .values(status="failed", last_error=INTERRUPTED)
        )
        due = session.scalars(
            select(Delivery.id)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.id)
        ).all()
    for delivery_id in due:
        with sessions.begin() as session:
            if not _claim(session, delivery_id, worker, now):
                continue  # another worker has it
        with sessions.begin() as session:
            row = session.get_one(Delivery, delivery_id)
            target = targets.get(row.target_hash)
            message = Message(row.subject, row.body_text, row.body_html or "")
        error = sender(target, message) if target else "recipient no longer configured"
        with sessions.begin() as session:
            row = session.get_one(Delivery, delivery_id)
            row.attempts += 1
            if error is None:
                row.status, row.sent_at, row.last_error = "sent", now, None
                sent += 1
            elif target is not None and row.attempts < alerts.max_attempts:
                backoff = dt.timedelta(minutes=alerts.retry_minutes * 2 ** (row.attempts - 1))
                row.status, row.next_attempt_at, row.last_error = "pending", now + backoff, error
                retrying += 1
            else:
                row.status, row.last_error = "failed", error
                failed += 1
    return DeliveryReport(sent=sent, retrying=retrying, failed=failed)


__all__ = ["DeliveryReport", "deliver_pending", "enqueue"]
