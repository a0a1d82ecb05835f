"""Violations (vi phạm) with their explanation workflow, and the audit trail of every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, created_column

STATUSES = ("open", "explained", "accepted", "rejected", "resolved")


class Violation(Base):
    __tablename__ = "violations"
    __table_args__ = (
        UniqueConstraint("dossier_id", "rule", "step"),
        Index("ix_violations_unit_status", "unit_code", "status"),
        Index("ix_violations_rule_status", "rule", "status"),
        Index("ix_violations_status_detected", "status", "detected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    unit_code: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer, default=0)  # the step's STT for step_overdue, else 0
    status: Mapped[str] = mapped_column(String(16), default="open")
    detected_at: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = created_column()
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    explanation: Mapped[str | None] = mapped_column(Text)
    review_comment: Mapped[str | None] = mapped_column(Text)

    events: Mapped[list[ViolationEvent]] = relationship(
        back_populates="violation", cascade="all, delete-orphan", order_by="ViolationEvent.id"
    )


class ViolationEvent(Base):
    """One change of a violation: who, when, from which status to which, and why."""

    __tablename__ = "violation_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violations.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(200))  # a user's e-mail, or "system"
    action: Mapped[str] = mapped_column(
        String(32)
    )  # opened, explained, accepted, rejected, resolved, reopened
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    violation: Mapped[Violation] = relationship(back_populates="events")
