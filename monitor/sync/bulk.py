"""Bulk writes through the driver's executemany, for the sync's hot path.

Going around SQLAlchemy's per-value bind processing makes a full pull several times faster; the price is
converting instants here exactly as `UTCDateTime` and the dialect would (naive UTC, and on SQLite the text
form SQLAlchemy writes), and refusing naive ones the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session


def naive_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} cannot be stored; give it a time zone")
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def sqlite_text(value: dt.datetime | None) -> str | None:
    """SQLAlchemy's SQLite DATETIME storage format, so stored text compares with its bound parameters."""
    u = naive_utc(value)
    if u is None:
        return None
    return u.isoformat(" ", "microseconds")


class Bulk:
    """executemany on the session's own connection, so it shares the session's transaction."""

    def __init__(self, session: Session) -> None:
        connection = session.connection()
        self._dbapi = connection.connection
        sqlite = connection.dialect.name == "sqlite"
        self._mark = "?" if sqlite else "%s"
        self._convert: Callable[[dt.datetime | None], Any] = sqlite_text if sqlite else naive_utc
        self._converted: dict[dt.datetime, Any] = {}

    def instant(self, value: dt.datetime | None) -> Any:
        """An aware instant as the driver wants it. Instants repeat within a page (a step starts when the
        previous one is handed over), and hashing one is cheaper than converting it."""
        if value is None:
            return None
        hit = self._converted.get(value)
        if hit is None:
            hit = self._converted[value] = self._convert(value)
        return hit

    def _run(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        cursor = self._dbapi.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    # Identifiers come from the models (checked against the Table), values always travel as parameters.

    def insert(self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        names = ", ".join(table.c[c].name for c in columns)
        marks = ", ".join([self._mark] * len(columns))
        self._run(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def update(self, table: Table, columns: Sequence[str], key: str, rows: Sequence[Sequence[Any]]) -> None:
        """Each row holds the new values in `columns` order, then the key."""
        sets = ", ".join(f"{table.c[c].name} = {self._mark}" for c in columns)
        self._run(f"UPDATE {table.name} SET {sets} WHERE {table.c[key].name} = {self._mark}", rows)  # noqa: S608
