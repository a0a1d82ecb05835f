"""Units (phòng, đơn vị) and procedures (thủ tục hành chính) with their statutory limits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from monitor.models.base import Base, created_column


class Unit(Base):
    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_code: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = created_column()


class Procedure(Base):
    __tablename__ = "procedures"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(1000))
    field_code: Mapped[str | None] = mapped_column(String(64))
    field_name: Mapped[str | None] = mapped_column(String(300))
    limit_value: Mapped[float | None] = mapped_column(Float)
    limit_unit: Mapped[int | None] = mapped_column(SmallInteger)  # monitor.calendar.LimitUnit
    updated_at: Mapped[dt.datetime] = created_column()
