"""When the monthly report is due, and sending it once: e-mail with the PDF and XLSX attached, other
channels a link to `/reports`.

Each (month, recipient) is one `Delivery` row of kind "report"; its day is the month's first day for the
scheduled send, so the outbox's unique key lets exactly one scheduler send it even when two run at once.
A resend on demand uses the day it was asked. The row is inserted already claimed ("sending") by whoever
inserted it, so the alert worker, which knows nothing of attachments, never picks it up.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apprise
from apprise.attachment.memory import AttachMemory
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts import channels
from monitor.alerts.render import Message, environment
from monitor.calendar import LOCAL_TZ, WorkCalendar
from monitor.config import Settings
from monitor.models import Delivery, ReportRun
from monitor.reports import labels
from monitor.reports.figures import shift_month
from monitor.reports.service import generate

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "reports"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Attachment = tuple[str, bytes, str]  # file name, content, MIME type
Sender = Callable[[channels.Target, Message, Sequence[Attachment]], str | None]


def first_working_day_of_month(calendar: WorkCalendar, year: int, month: int) -> dt.date:
    """The month's first working day: 1 January is a holiday, so January's is the 2nd or later."""
    first = dt.date(year, month, 1)
    return first if calendar.is_working(first) else calendar.next_working_day(first)


def report_due(
    now: dt.datetime, calendar: WorkCalendar, send_at: dt.time, last_built: str | None
) -> str | None:
    """The month whose report the scheduler should build and send now, or None.

    Due from `send_at` on the first working day of the following month; a scheduler that was down then
    catches up later in the month. `last_built` is the newest month already built by the scheduler."""
    local = now.astimezone(LOCAL_TZ)
    first = first_working_day_of_month(calendar, local.year, local.month)
    if local < dt.datetime.combine(first, send_at, tzinfo=LOCAL_TZ):
        return None
    month = shift_month(f"{local.year:04d}-{local.month:02d}", -1)
    if last_built is not None and last_built >= month:
        return None
    return month


def last_scheduled_month(session: Session) -> str | None:
    return session.scalar(
        select(ReportRun.month)
        .where(ReportRun.trigger == "schedule", ReportRun.status == "success")
        .order_by(ReportRun.month.desc())
        .limit(1)
    )


def render_message(report: dict[str, Any], public_url: str) -> Message:
    env = environment(TEMPLATES)
    env.filters.update(
        pct=labels.pct, n=labels.number, risk=labels.risk, points=lambda v: labels.number(v, 2)
    )
    context = {
        "month_label": labels.month_label(report["month"]),
        "total": report["total"],
        "units": report["units"],
        "link": f"{public_url.rstrip('/')}/reports/{report['month']}",
    }
    subject = env.get_template("email.subject.txt").render(context)
    return Message(
        subject=" ".join(subject.split()),
        text=env.get_template("email.txt").render(context),
        html=env.get_template("email.html").render(context),
    )


def attachments(run: ReportRun) -> list[Attachment]:
    name = f"bao-cao-rui-ro-hai-long-{run.month}"
    files: list[Attachment] = []
    if run.pdf:
        files.append((f"{name}.pdf", run.pdf, "application/pdf"))
    if run.xlsx:
        files.append((f"{name}.xlsx", run.xlsx, XLSX_TYPE))
    return files


def send(target: channels.Target, message: Message, files: Sequence[Attachment]) -> str | None:
    """One delivery through apprise: e-mail carries the files and the HTML body, chat the text (with the
    link). None on success, else the reason."""
    notifier = apprise.Apprise()
    if not notifier.add(target.url):
        return f"apprise cannot use {target.label}"
    attach = None
    if target.is_email and files:
        attach = apprise.AppriseAttachment()
        for name, content, mimetype in files:
            attach.add(AttachMemory(content=content, name=name, mimetype=mimetype))  # type: ignore[no-untyped-call]
    body, body_format = (
        (message.html, apprise.NotifyFormat.HTML)
        if target.is_email
        else (message.text, apprise.NotifyFormat.TEXT)
    )
    with apprise.LogCapture(level=apprise.logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        ok = notifier.notify(title=message.subject, body=body, body_format=body_format, attach=attach)
        log = captured.getvalue().strip()
    if ok:
        return None
    return log.splitlines()[-1] if log else f"delivery to {target.label} failed"


@dataclass
class SendResult:
    month: str
    sent: list[str] = field(default_factory=list)  # recipient labels
    failed: dict[str, str] = field(default_factory=dict)  # label → error
    skipped: list[str] = field(default_factory=list)  # already sent for this month


def _claim_by_insert(session: Session, row: dict[str, Any]) -> int | None:
    """Insert the row already claimed; None when (kind, key, day, recipient) exists: someone sent it."""
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(Delivery).values(row)
    stmt = stmt.on_conflict_do_nothing(index_elements=["kind", "key", "day", "recipient"])
    inserted = session.execute(stmt.returning(Delivery.id)).first()
    return None if inserted is None else int(inserted[0])


def send_report(
    sessions: sessionmaker[Session],
    settings: Settings,
    run: ReportRun,
    now: dt.datetime,
    *,
    resend: bool = False,
    env: Mapping[str, str] | None = None,
    sender: Sender = send,
) -> SendResult:
    """Send the run's report to every `[reports].recipients` entry that has not had this month's report;
    with `resend`, send again (once more per day asked)."""
    env = os.environ if env is None else env
    if run.figures is None or run.status != "success":
        raise ValueError(f"report run {run.id} of {run.month} did not succeed; there is nothing to send")
    message = render_message(run.figures, settings.web.public_url)
    day = now.astimezone(LOCAL_TZ).date() if resend else dt.date.fromisoformat(f"{run.month}-01")
    worker = f"{os.uname().nodename}:{os.getpid()}"
    result = SendResult(month=run.month)
    files = attachments(run)
    for recipient in settings.reports.recipients:
        target: channels.Target | None = None
        try:
            resolved = channels.resolve(recipient, settings.alerts, env)
            target, label, error = resolved, resolved.label, None
        except channels.RecipientError as exc:
            target, label, error = None, channels.written(recipient)[: channels.LABEL_LENGTH], str(exc)
        row = {
            "kind": "report",
            "key": run.month,
            "day": day,
            "recipient": label,
            "target_hash": channels.target_hash(recipient),
            "status": "sending" if target else "failed",
            "attempts": 0,
            "claimed_by": worker,
            "claimed_at": now,
            "last_error": error,
            "subject": message.subject[:500],
            "body_text": message.text,
            "body_html": message.html,
            "created_at": now,
        }
        with sessions.begin() as session:
            delivery_id = _claim_by_insert(session, row)
        if delivery_id is None:
            result.skipped.append(label)
            continue
        if target is not None:
            error = sender(target, message, files)
        with sessions.begin() as session:
            session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id)
                .values(
                    attempts=1,
                    status="sent" if error is None else "failed",
                    sent_at=now if error is None else None,
                    last_error=error,
                )
            )
        if error is None:
            result.sent.append(label)
        else:
            result.failed[label] = error
    return result


@dataclass
class MonthlyRun:
    month: str | None  # None: nothing was due
    run_id: int | None = None
    delivery: SendResult | None = None


def monthly_report_job(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    calendar: WorkCalendar,
    env: Mapping[str, str] | None = None,
    sender: Sender = send,
) -> MonthlyRun:
    """The scheduler's job: on the first working day from `[reports].send_at`, build last month's report,
    store it and send it once. Safe to call at any time and as often as wanted."""
    if not settings.reports.enabled:
        return MonthlyRun(month=None)
    with sessions() as session:
        month = report_due(now, calendar, settings.reports.send_at, last_scheduled_month(session))
    if month is None:
        return MonthlyRun(month=None)
    run = generate(sessions, settings, calendar, month, now=now, trigger="schedule")
    delivery = send_report(sessions, settings, run, now, env=env, sender=sender)
    return MonthlyRun(month=month, run_id=run.id, delivery=delivery)
