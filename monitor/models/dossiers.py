"""Dossiers (hồ sơ) as last seen at the center, their nested lists, and what evaluation judged.

No personal data: the citizen's name, phone, e-mail and identity numbers are dropped at the connector."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.models.base import Base, created_column


class Dossier(Base):
    __tablename__ = "dossiers"
    __table_args__ = (
        Index("ix_dossiers_unit_status", "unit_code", "status"),
        Index("ix_dossiers_received_at", "received_at"),
        Index("ix_dossiers_procedure_code", "procedure_code"),
        Index("ix_dossiers_source_updated_at", "source_updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    connector: Mapped[str] = mapped_column(String(40))
    procedure_code: Mapped[str | None] = mapped_column(String(80))
    procedure_name: Mapped[str | None] = mapped_column(String(1000))
    unit_code: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[int] = mapped_column(SmallInteger)
    submitted_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime | None]
    first_appointed_at: Mapped[dt.datetime | None]  # NgayHenTra as first received: the base due
    appointed_at: Mapped[dt.datetime | None]  # NgayHenTra as last received, for display
    finished_at: Mapped[dt.datetime | None]  # NgayKetThucXuLy
    returned_at: Mapped[dt.datetime | None]  # NgayTra
    source_updated_at: Mapped[dt.datetime]  # NgayCapNhat
    snapshot_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[dt.datetime] = created_column()
    changed_at: Mapped[dt.datetime] = created_column()  # last time a sync stored a different snapshot

    supplements: Mapped[list[SupplementRequest]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="SupplementRequest.seq"
    )
    steps: Mapped[list[ProcessingStep]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="ProcessingStep.seq"
    )
    apologies: Mapped[list[Apology]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", order_by="Apology.seq"
    )
    feedback: Mapped[Feedback | None] = relationship(back_populates="dossier", cascade="all, delete-orphan")
    judgement: Mapped[Judgement | None] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", lazy="selectin"
    )


class Judgement(Base):
    """What the last evaluation judged of one dossier (null where not computable); no row until the
    dossier is first evaluated.

    A table of its own rather than columns of `dossiers`: a first or full evaluation writes a million of
    these rows, and appending narrow rows costs SQLite a fraction of rewriting a million wide ones."""

    __tablename__ = "judgements"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    statutory_due_at: Mapped[dt.datetime | None]
    base_due_at: Mapped[dt.datetime | None]
    effective_due_at: Mapped[dt.datetime | None]
    end_at: Mapped[dt.datetime | None]
    paused: Mapped[bool] = mapped_column(Boolean)
    due_soon: Mapped[bool] = mapped_column(Boolean)
    late_working_hours: Mapped[float | None] = mapped_column(Float)
    evaluated_at: Mapped[dt.datetime]
    dossier: Mapped[Dossier] = relationship(back_populates="judgement")


class SupplementRequest(Base):
    __tablename__ = "supplement_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(SmallInteger)
    requested_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    content: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(String(200))
    dossier: Mapped[Dossier] = relationship(back_populates="supplements")


class ProcessingStep(Base):
    __tablename__ = "processing_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # STT
    unit_code: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_name: Mapped[str | None] = mapped_column(String(300))
    handler: Mapped[str | None] = mapped_column(String(200))
    started_at: Mapped[dt.datetime | None]
    due_at: Mapped[dt.datetime | None]
    handed_over_at: Mapped[dt.datetime | None]
    content: Mapped[str | None] = mapped_column(Text)
    dossier: Mapped[Dossier] = relationship(back_populates="steps")


class Apology(Base):
    __tablename__ = "apologies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(SmallInteger)
    issued_at: Mapped[dt.datetime | None]
    new_due_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    dossier: Mapped[Dossier] = relationship(back_populates="apologies")


class Feedback(Base):
    __tablename__ = "feedback"

    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger)  # 1 very satisfied, 2 satisfied, 3 dissatisfied
    complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    dossier: Mapped[Dossier] = relationship(back_populates="feedback")


class StatusObservation(Base):
    """Each status change as we observed it: the center keeps no history we can pull."""

    __tablename__ = "status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    status: Mapped[int] = mapped_column(SmallInteger)
    observed_at: Mapped[dt.datetime]
    source_updated_at: Mapped[dt.datetime | None]
    sync_run_id: Mapped[int | None] = mapped_column(ForeignKey("sync_runs.id", ondelete="SET NULL"))
