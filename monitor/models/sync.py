"""Sync bookkeeping: runs, cursors, rejected records and imported files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, created_column


class SyncRun(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_connector_started", "connector", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connector: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[dt.datetime] = created_column()
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | success | failed
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    cursor_from: Mapped[dt.datetime | None]
    cursor_to: Mapped[dt.datetime | None]


class SyncCursor(Base):
    """The last `NgayCapNhat` fully stored per connector; incremental pulls start from it."""

    __tablename__ = "sync_cursors"

    connector: Mapped[str] = mapped_column(String(40), primary_key=True)
    updated_until: Mapped[dt.datetime]
    saved_at: Mapped[dt.datetime] = created_column()


class RejectedRecord(Base):
    __tablename__ = "rejected_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="SET NULL"), index=True
    )
    connector: Mapped[str] = mapped_column(String(40), index=True)
    record_key: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]  # personal fields removed
    rejected_at: Mapped[dt.datetime] = created_column()


class ImportedFile(Base):
    __tablename__ = "imported_files"
    __table_args__ = (UniqueConstraint("connector", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connector: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(500))
    records: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = created_column()
