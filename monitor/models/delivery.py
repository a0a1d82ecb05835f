"""What the monitor sends: the outbox of alerts and reports, connector health, stored report runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, created_column


class Delivery(Base):
    """One message to one recipient. The unique key makes a rerun or a second scheduler a no-op, and a
    worker claims a row with a conditional update before sending it."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("kind", "key", "day", "recipient"),
        Index("ix_deliveries_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # digest, connector_down, connector_up, report
    key: Mapped[str] = mapped_column(String(120))  # unit code, connector name, month...
    day: Mapped[dt.date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(500))  # a redacted label, never a secret
    target_hash: Mapped[str] = mapped_column(String(64))  # which configured URL, without storing it
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = created_column()
    sent_at: Mapped[dt.datetime | None]


class ConnectorHealth(Base):
    """The last health the office was told about per connector, so down/up alerts fire once each."""

    __tablename__ = "connector_health"

    connector: Mapped[str] = mapped_column(String(40), primary_key=True)
    healthy: Mapped[bool] = mapped_column(Boolean, default=True)
    since: Mapped[dt.datetime] = created_column()


class ReportRun(Base):
    """One generation of a monthly report, with its files; the newest per month is the current one."""

    __tablename__ = "report_runs"
    __table_args__ = (Index("ix_report_runs_month_created", "month", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    trigger: Mapped[str] = mapped_column(String(16))  # schedule, manual, command
    status: Mapped[str] = mapped_column(String(16), default="running")  # running, success, failed
    created_at: Mapped[dt.datetime] = created_column()
    finished_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    figures: Mapped[dict[str, Any] | None]
    xlsx: Mapped[bytes | None] = mapped_column(LargeBinary)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
