"""Bulk writes of an evaluation: judged fields into `judgements`, violation changes with their audit events.

Kept apart from the decisions in `monitor.evaluate`: this module only turns frames into few, large
statements (executemany), because a million row-by-row ORM updates would take minutes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, Final, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from monitor.frames import LOCAL_OFFSET_SECONDS
from monitor.models import Judgement, Violation, ViolationEvent

_JUDGED_TIMES: Final = (
    ("statutory_due_at", "statutory_due"),
    ("base_due_at", "base_due"),
    ("effective_due_at", "effective_due"),
    ("end_at", "end_at"),
)
_BATCH: Final = 50_000
JUDGEMENTS: Final = cast(Table, Judgement.__table__)
VIOLATIONS: Final = cast(Table, Violation.__table__)
EVENTS: Final = cast(Table, ViolationEvent.__table__)
# One encoder for every key: `json.dumps` with options builds a new one per call, a third of its cost.
_JSON: Final = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _utc_seconds(values: npt.NDArray[np.datetime64]) -> list[int | None]:
    """Naive local instants as UTC seconds since 1970 (None for NaT), for `_SQLITE_TEXT` to format."""
    local = np.asarray(values, dtype="datetime64[s]")
    seconds = (local.astype(np.int64) - LOCAL_OFFSET_SECONDS).astype(object)
    seconds[np.isnat(local)] = None
    return cast(list[int | None], seconds.tolist())


# SQLite formats the seconds into the text SQLAlchemy's DateTime stores ("YYYY-MM-DD HH:MM:SS.000000";
# NULL stays NULL), in C rather than one Python string per value; datetime() is twice as fast as strftime().
_SQLITE_TEXT: Final = "datetime(?, 'unixepoch') || '.000000'"


def _utc_datetimes(values: npt.NDArray[np.datetime64]) -> list[dt.datetime | None]:
    series = pd.Series(np.asarray(values, dtype="datetime64[s]")).dt.tz_localize("Asia/Ho_Chi_Minh")
    return [None if pd.isna(v) else v.to_pydatetime().astimezone(dt.UTC) for v in series]


def write_judged(
    conn: Connection, judged: pd.DataFrame, due_soon: npt.NDArray[np.bool_], now: dt.datetime
) -> None:
    """Store every judged field and `evaluated_at = now` of the judged dossiers in `judgements`: an
    insert, or an update where the dossier was judged before."""
    if not len(judged):
        return
    sqlite = conn.dialect.name == "sqlite"
    convert = _utc_seconds if sqlite else _utc_datetimes
    times = [convert(judged[source].to_numpy()) for _, source in _JUDGED_TIMES]
    late = judged["late_working_hours"].to_numpy(dtype=np.float64)
    late_objects = late.astype(object)
    late_objects[np.isnan(late)] = None
    late_values = late_objects.tolist()
    paused = judged["paused"].to_numpy(dtype=bool).tolist()
    soon = np.asarray(due_soon, dtype=bool).tolist()
    ids = judged["id"].to_numpy(dtype=np.int64).tolist()
    columns = [name for name, _ in _JUDGED_TIMES]
    columns += ["paused", "due_soon", "late_working_hours", "evaluated_at"]
    if sqlite:
        stamp = _sqlite_stamp(now)
        rows = list(zip(ids, *times, paused, soon, late_values, [stamp] * len(ids), strict=True))
        values = ", ".join([_SQLITE_TEXT] * len(times) + ["?"] * (len(columns) - len(times)))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
        sql = (
            f"INSERT INTO judgements (dossier_id, {', '.join(columns)}) VALUES (?, {values})"  # noqa: S608
            f" ON CONFLICT (dossier_id) DO UPDATE SET {updates}"
        )
        for batch in _batches(rows):
            conn.exec_driver_sql(sql, batch)
        return
    statement = postgresql.insert(JUDGEMENTS)
    statement = statement.on_conflict_do_update(
        index_elements=[JUDGEMENTS.c.dossier_id], set_={c: statement.excluded[c] for c in columns}
    )
    params = [
        {"dossier_id": i, **dict(zip(columns, values, strict=True))}
        for i, *values in zip(ids, *times, paused, soon, late_values, [now] * len(ids), strict=True)
    ]
    for batch in _batches(params):
        conn.execute(statement, batch)


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    """Slices of at most _BATCH items: one executemany each keeps the driver's parameter lists bounded."""
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _sqlite_stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_violations(conn: Connection, rows: pd.DataFrame, now: dt.datetime) -> list[int]:
    """Insert open violations from a frame of `rule`, `dossier_id`, `unit_code`, `step`, `details` and
    `key` (its `json_key`); their ids in the frame's order."""
    if not len(rows):
        return []
    # Parameters are built column by column: a dict per row costs more than the insert itself.
    rules = rows["rule"].tolist()
    dossier_ids = rows["dossier_id"].to_numpy(dtype=np.int64).tolist()
    units = rows["unit_code"].tolist()
    steps = rows["step"].to_numpy(dtype=np.int64).tolist()
    if conn.dialect.name == "sqlite":
        # The transaction already wrote (judged fields), so it holds SQLite's single write lock: nobody
        # else can take these ids, and plain executemany is an order of magnitude faster than RETURNING.
        first = int(conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) + 1 FROM violations").scalar_one())
        stamps = [_sqlite_stamp(now)] * len(rows)
        ids = list(range(first, first + len(rows)))
        keys = rows["key"].tolist()
        conn.exec_driver_sql(
            "INSERT INTO violations (id, rule, dossier_id, unit_code, step, status, detected_at, updated_at,"
            " details) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
            list(zip(ids, rules, dossier_ids, units, steps, stamps, stamps, keys, strict=True)),
        )
        return ids
    t = VIOLATIONS
    values = [
        {
            "rule": rule,
            "dossier_id": dossier_id,
            "unit_code": unit,
            "step": step,
            "status": "open",
            "detected_at": now,
            "updated_at": now,
            "details": details,
        }
        for rule, dossier_id, unit, step, details in zip(
            rules, dossier_ids, units, steps, rows["details"].tolist(), strict=True
        )
    ]
    out: list[int] = []
    for batch in _batches(values):
        result = conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True), batch)
        out.extend(int(row[0]) for row in result)
    return out


def json_key(details: dict[str, Any]) -> str:
    """The canonical JSON text of a details dict: what SQLite stores, and what comparisons use."""
    return _JSON.encode(details)


def set_details(conn: Connection, rows: Sequence[dict[str, Any]], now: dt.datetime) -> None:
    """Refresh `details` (and `unit_code`) of violations that still hold; rows hold `id`, `details`,
    `key` (its `json_key`) and `unit_code`."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        stamp = _sqlite_stamp(now)
        conn.exec_driver_sql(
            "UPDATE violations SET details = ?, unit_code = ?, updated_at = ? WHERE id = ?",
            [(r["key"], r["unit_code"], stamp, int(r["id"])) for r in rows],
        )
        return
    t = VIOLATIONS
    statement = (
        update(t)
        .where(t.c.id == bindparam("_id"))
        .values(details=bindparam("_details"), unit_code=bindparam("_unit"), updated_at=bindparam("_at"))
    )
    params = [
        {"_id": int(r["id"]), "_details": r["details"], "_unit": r["unit_code"], "_at": now} for r in rows
    ]
    for batch in _batches(params):
        conn.execute(statement, batch)


def set_status(
    conn: Connection, rows: Sequence[tuple[int, str, dt.datetime | None]], now: dt.datetime
) -> None:
    """Move violations to a status: (id, status, resolved_at)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        stamp = _sqlite_stamp(now)
        conn.exec_driver_sql(
            "UPDATE violations SET status = ?, resolved_at = ?, updated_at = ? WHERE id = ?",
            [(s, None if r is None else _sqlite_stamp(r), stamp, i) for i, s, r in rows],
        )
        return
    t = VIOLATIONS
    statement = (
        update(t)
        .where(t.c.id == bindparam("_id"))
        .values(status=bindparam("_status"), resolved_at=bindparam("_resolved"), updated_at=bindparam("_at"))
    )
    params = [{"_id": i, "_status": s, "_resolved": r, "_at": now} for i, s, r in rows]
    for batch in _batches(params):
        conn.execute(statement, batch)


Event = tuple[int, str, str | None, str]  # violation id, action, from status, to status


def insert_events(conn: Connection, events: Sequence[Event], now: dt.datetime) -> None:
    """Audit events of the evaluation: actor "system", at `now`, no comment."""
    if not events:
        return
    if conn.dialect.name == "sqlite":
        stamp = _sqlite_stamp(now)
        conn.exec_driver_sql(
            "INSERT INTO violation_events (violation_id, at, actor, action, from_status, to_status, comment)"
            " VALUES (?, ?, 'system', ?, ?, ?, NULL)",
            [(i, stamp, action, before, after) for i, action, before, after in events],
        )
        return
    rows = [
        {
            "violation_id": i,
            "at": now,
            "actor": "system",
            "action": action,
            "from_status": before,
            "to_status": after,
            "comment": None,
        }
        for i, action, before, after in events
    ]
    for batch in _batches(rows):
        conn.execute(insert(EVENTS), batch)


def count_open(conn: Connection) -> int:
    t = VIOLATIONS
    return int(conn.scalar(select(func.count()).select_from(t).where(t.c.status == "open")) or 0)
