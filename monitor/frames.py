"""Dossiers and their nested rows read from the database into pandas frames, for the vectorised rules.

Public API (relied on by the rules, the indicators, the web overview and the monthly report):

- `Frames`: a dataclass of five DataFrames.
  - `dossiers`, sorted by `id`, one row per dossier: `id` (int64), `code`, `unit_code`, `unit_name`,
    `procedure_code`, `status` (int64), `received_at`, `first_appointed_at` (the base due source),
    `appointed_at` (latest NgayHenTra), `finished_at`, `returned_at`, `source_updated_at`, `changed_at`,
    `limit_value` (float64, NaN when the procedure or its limit is unknown), `limit_unit` (int64
    `LimitUnit` code, 0 unknown), `rating` (float64, NaN without feedback), `complaint` (bool).
  - `supplements`: `dossier_id`, `seq`, `requested_at`, `completed_at`.
  - `steps`: `dossier_id`, `seq` (STT), `unit_code`, `unit_name`, `started_at`, `due_at`, `handed_over_at`.
  - `apologies`: `dossier_id`, `seq`, `issued_at`, `new_due_at`.
  - `procedures`: `code`, `name`, `limit_value`, `limit_unit`.
  Every instant column is naive local time (Asia/Ho_Chi_Minh) `datetime64[s]`, NaT for unknown: the
  currency of `WorkCalendar`. Child frames only hold rows of the loaded dossiers.
- `load_frames(source, *, dossier_ids=None, unit_codes=None, received_until=None, where=None, lean=False)`.
- `Frames.empty()` and `Frames.positions(dossier_ids)` (row positions in `dossiers`).

Reading goes through SQL with instants converted to epoch seconds by the database, never through ORM
objects, so a million dossiers load in seconds. On SQLite the large reads go further (`_read_frame`): the
database joins each column of a range of rows into one text that numpy parses in C, instead of the driver
building a Python object per value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    null,
    or_,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, Null

from monitor.calendar import to_local_naive
from monitor.models import Apology, Dossier, Feedback, Procedure, ProcessingStep, SupplementRequest

LOCAL_OFFSET_SECONDS: Final = 7 * 3600  # Asia/Ho_Chi_Minh, no daylight saving since 1975
_CHUNK: Final = 5_000
_FETCH: Final = 100_000
_BY_ID_LIMIT: Final = 200_000  # ids per IN (...) list, well under SQLite's bound-parameter limit
_MOST: Final = 0.9  # share of all dossiers above which child tables are read whole
_SPAN: Final = 200_000  # key values per aggregated read on SQLite: each column's text far below 1e9 bytes
_NULL_INT: Final = -(2**63)  # NULL in an aggregated integer column: NaT read as datetime64
_FLOATS: Final = frozenset({"limit_value", "rating"})
_TEXTS: Final = frozenset({"code", "unit_code", "unit_name", "procedure_code"})

DOSSIER_TIMES: Final = (
    "received_at",
    "first_appointed_at",
    "appointed_at",
    "finished_at",
    "returned_at",
    "source_updated_at",
    "changed_at",
)


@dataclass(frozen=True)
class Frames:
    dossiers: pd.DataFrame
    supplements: pd.DataFrame
    steps: pd.DataFrame
    apologies: pd.DataFrame
    procedures: pd.DataFrame

    @classmethod
    def empty(cls) -> Frames:
        return cls(
            dossiers=_typed(pd.DataFrame(columns=_DOSSIER_COLUMNS), DOSSIER_TIMES),
            supplements=_typed(pd.DataFrame(columns=_SUPPLEMENT_COLUMNS), ("requested_at", "completed_at")),
            steps=_typed(pd.DataFrame(columns=_STEP_COLUMNS), ("started_at", "due_at", "handed_over_at")),
            apologies=_typed(pd.DataFrame(columns=_APOLOGY_COLUMNS), ("issued_at", "new_due_at")),
            procedures=pd.DataFrame(columns=["code", "name", "limit_value", "limit_unit"]),
        )

    def positions(self, dossier_ids: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Row positions in `dossiers` of these ids (which must be loaded)."""
        ids = self.dossiers["id"].to_numpy(dtype=np.int64)
        return np.searchsorted(ids, np.asarray(dossier_ids, dtype=np.int64)).astype(np.int64)

    def __len__(self) -> int:
        return len(self.dossiers)


Epoch = Callable[[Any], ColumnElement[Any]]


def _epoch_of(conn: Connection) -> Epoch:
    """How this database turns a naive-UTC timestamp column into seconds since 1970 (NULL stays NULL):
    a Python int per value costs far less to fetch and convert than SQLite's ISO text."""
    if conn.dialect.name != "sqlite":
        return lambda column: cast(func.extract("epoch", column), BigInteger)
    if tuple(conn.dialect.dbapi.sqlite_version_info) >= (3, 38):  # type: ignore[union-attr]
        return func.unixepoch
    return lambda column: cast(func.strftime("%s", column), BigInteger)


def local_instants(values: Any) -> npt.NDArray[np.datetime64]:
    """Stored instants (epoch seconds or ISO text, UTC; None/NaN for unknown) as naive local
    datetime64[s]."""
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        seconds = array.astype(np.float64)
    else:
        raw = array.astype(object)
        unknown = pd.isna(raw)
        if unknown.all():  # a column left NULL by a lean load
            return np.full(raw.shape, np.datetime64("NaT"), dtype="datetime64[s]")
        raw[unknown] = None
        if isinstance(next((v for v in raw if v is not None), None), str):
            local: npt.NDArray[np.datetime64] = np.array(raw, dtype="datetime64[s]")
            local += np.timedelta64(LOCAL_OFFSET_SECONDS, "s")
            return local
        # float64 holds every epoch second exactly and turns None into NaN in one C pass.
        seconds = np.array(raw.tolist(), dtype=np.float64)
    out = np.full(seconds.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    known = ~np.isnan(seconds)
    out[known] = (seconds[known].astype(np.int64) + LOCAL_OFFSET_SECONDS).astype("datetime64[s]")
    return out


def local_instant(value: dt.datetime) -> np.datetime64:
    """An aware (or naive local) datetime as the calendar's naive local datetime64[s]."""
    return np.datetime64(to_local_naive(value).replace(microsecond=0), "s")


_DOSSIER_COLUMNS: Final = [
    "id",
    "code",
    "unit_code",
    "unit_name",
    "procedure_code",
    "status",
    *DOSSIER_TIMES,
    "limit_value",
    "limit_unit",
    "rating",
    "complaint",
]
_SUPPLEMENT_COLUMNS: Final = ["dossier_id", "seq", "requested_at", "completed_at"]
_STEP_COLUMNS: Final = [
    "dossier_id",
    "seq",
    "unit_code",
    "unit_name",
    "started_at",
    "due_at",
    "handed_over_at",
]
_APOLOGY_COLUMNS: Final = ["dossier_id", "seq", "issued_at", "new_due_at"]


def _typed(frame: pd.DataFrame, times: Iterable[str]) -> pd.DataFrame:
    """Give a read frame its dtypes: instants local datetime64[s], ids and codes integers. Idempotent: a
    typed frame, or a concatenation of typed parts, comes out the same."""
    for name in times:
        if frame[name].dtype != np.dtype("datetime64[s]"):
            frame[name] = (
                local_instants(frame[name].to_numpy()) if len(frame) else frame[name].astype("datetime64[s]")
            )
    for name in ("id", "dossier_id", "seq", "status"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name]).fillna(0).astype(np.int64)
    if "limit_unit" in frame:
        frame["limit_unit"] = pd.to_numeric(frame["limit_unit"]).fillna(0).astype(np.int64)
    for name in ("limit_value", "rating"):
        if name in frame:
            frame[name] = pd.to_numeric(frame[name]).astype(np.float64)
    if "complaint" in frame:
        frame["complaint"] = frame["complaint"].astype("boolean").fillna(False).astype(bool)
    for name in _TEXTS.intersection(frame.columns):
        # Text read in parts, some all NULL (object), takes the dtype pandas infers for the whole column.
        if len(frame) and frame[name].dtype == object:
            frame[name] = pd.Series(frame[name].to_numpy(), index=frame.index)
    return frame


def read_rows(conn: Connection, statement: Select[Any], columns: Sequence[str]) -> pd.DataFrame:
    """A SELECT's rows as a DataFrame, fetched from the raw cursor (no Row objects)."""
    result = conn.execute(statement)
    # The raw DBAPI cursor gives plain tuples: building a Row object per row costs more than the query.
    cursor = result.cursor
    blocks = []
    while rows := cursor.fetchmany(_FETCH):
        blocks.append(pd.DataFrame(rows, columns=list(columns)))
    result.close()
    if not blocks:
        return pd.DataFrame(columns=list(columns))
    return blocks[0] if len(blocks) == 1 else pd.concat(blocks, ignore_index=True)


def read_for_ids(
    conn: Connection, statement: Select[Any], column: Any, ids: npt.ArrayLike, columns: Sequence[str]
) -> pd.DataFrame:
    """The statement's rows whose `column` holds one of `ids`. Up to `_BY_ID_LIMIT` ids, through IN lists
    of `_CHUNK` ids (the column's index serves each); beyond, every row read once and filtered here, which
    beats that many index probes."""
    wanted = np.sort(np.asarray(ids, dtype=np.int64))
    if len(wanted) > _BY_ID_LIMIT:
        rows = read_rows(conn, statement, columns)
        return rows[np.isin(rows[column.name].to_numpy(dtype=np.int64), wanted)].reset_index(drop=True)
    listed = wanted.tolist()
    parts = [
        read_rows(conn, statement.where(column.in_(listed[start : start + _CHUNK])), columns)
        for start in range(0, len(listed), _CHUNK)
    ]
    parts = [part for part in parts if len(part)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(columns))


def _read_frame(
    conn: Connection, statement: Select[Any], columns: Sequence[str], times: Sequence[str], key: Any
) -> pd.DataFrame:
    """The rows of a large read, for `_typed`. On SQLite, `_SPAN` values of `key` (the integer primary key
    of the statement's driving table) at a time, each range read as one row of aggregates (`_aggregated`):
    per column its values joined into one text, which numpy parses in C instead of the driver building a
    Python object per value. A range whose text would not carry every value exactly is read row by row."""
    if conn.dialect.name != "sqlite":
        return read_rows(conn, statement, columns)
    ranges, pending = [], []
    start = conn.scalar(select(func.min(key)))
    # One range is parsed while SQLite, which lets go of the GIL, aggregates the next.
    with ThreadPoolExecutor(max_workers=1) as parser:
        while start is not None:
            ranges.append(statement.where(key >= start, key < start + _SPAN))
            pending.append(parser.submit(_parsed, _aggregated(conn, ranges[-1], columns, times, key.table)))
            start = conn.scalar(select(func.min(key)).where(key >= start + _SPAN))  # over any gap
        parsed = [p.result() for p in pending]
    # A range that did not come through is read row by row. Typed parts concatenate to a typed frame.
    parts = [
        _typed(read_rows(conn, r, columns), times) if frame is None else frame
        for r, frame in zip(ranges, parsed, strict=True)
    ]
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(columns))


@dataclass(frozen=True)
class _Aggregate:
    """One row of aggregates over a range: `count(*)`, a flag raised by a REAL its text would not carry
    exactly, then per column read its text and, for `counted` ones, its number of non-NULL values."""

    row: Any
    columns: Sequence[str]
    times: Sequence[str]
    at: dict[str, int]  # column read: the position of its text in `row`
    counted: frozenset[str]


def _aggregated(
    conn: Connection, statement: Select[Any], columns: Sequence[str], times: Sequence[str], table: Any
) -> _Aggregate | None:
    """The statement's columns as one row of SQLite aggregates, or None when a text would be longer than
    SQLite allows.

    Values are joined by commas, text by record separators. NULL is written as a stand-in: NaT's integer
    for instants (no date reaches it), 'nan' for floats (no REAL is NaN), `_NULL_INT` for other integers and
    a unit separator for text, whose non-NULL values are counted to tell a value equal to the stand-in.
    Columns of `table` (the driving one) declared NOT NULL are written as they are. The rows come in the
    order of SQLite's scan, as `read_rows` gets them; `_load` sorts the frames."""
    rows = statement.subquery()
    measures: list[Any] = [func.count(), null()]
    inexact: list[Any] = []
    at, counted = {}, set()
    for name in columns:
        column, value = statement.selected_columns[name], rows.c[name]
        if isinstance(getattr(column, "element", None), Null):  # left out by a lean load
            continue
        required = isinstance(column, Column) and column.table is table and not column.nullable
        at[name] = len(measures)
        if name in _TEXTS:
            measures.append(func.group_concat(value if required else func.ifnull(value, "\x1f"), "\x1e"))
        elif name in _FLOATS:
            # SQLite writes a REAL with 15 significant digits, exact when they read back as the value; a
            # whole value goes as an integer, quicker to write and always exact.
            whole = cast(value, Integer) == value
            measures.append(
                func.group_concat(func.ifnull(case((whole, cast(value, Integer)), else_=value), "nan"))
            )
            inexact.append(case((whole, None), else_=cast(cast(value, String), Float) != value))
        else:
            measures.append(func.group_concat(value if required else func.ifnull(value, _NULL_INT)))
        if not (required or name in times or name in _FLOATS):
            counted.add(name)
            measures.append(func.count(value))
    if inexact:
        measures[1] = func.max(or_(*inexact))
    try:
        row = conn.execute(select(*measures).select_from(rows)).one()
    except DataError:  # a text over SQLite's length limit
        return None
    return _Aggregate(row, columns, times, at, frozenset(counted))


def _parsed(aggregate: _Aggregate | None) -> pd.DataFrame | None:
    """An aggregated range as a typed frame of its columns (`_column`), or None when some value would not
    come through exactly."""
    if aggregate is None or aggregate.row[1]:
        return None
    count, row, times = aggregate.row[0], aggregate.row, aggregate.times
    if count == 0:
        return pd.DataFrame()
    arrays = {}
    for name in aggregate.columns:
        if name not in aggregate.at:  # left out by a lean load: typed NULLs
            blank = np.datetime64("NaT") if name in times else np.nan if name in _FLOATS else None
            arrays[name] = np.full(count, blank, dtype="datetime64[s]" if name in times else None)
            continue
        i = aggregate.at[name]
        values = _column(
            row[i], name, name in times, count, count - row[i + 1] if name in aggregate.counted else None
        )
        if values is None:
            return None
        arrays[name] = values
    return _typed(pd.DataFrame(arrays), times)


def _column(
    joined: str | None, name: str, instant: bool, count: int, nulls: int | None
) -> npt.NDArray[Any] | None:
    """One aggregated column as an array (instants local datetime64[s], an integer column with NULLs
    float64 with NaN, text object with None), or None unless it holds `count` values (a separator inside a
    text, an unparsable number break the count) with `nulls` stand-ins for NULL, when counted."""
    if joined is None:  # only NULLs in a column declared NOT NULL: the database does not enforce it
        return None
    if name in _TEXTS:
        values: npt.NDArray[Any] = np.array(joined.split("\x1e"), dtype=object)
        if len(values) != count or (nulls is not None and joined.count("\x1f") != nulls):
            return None
        if nulls:
            values[values == "\x1f"] = None
        return values
    try:  # numpy raises at a value it cannot parse (older versions warn and stop: the count tells)
        values = np.fromstring(joined, dtype=np.float64 if name in _FLOATS else np.int64, sep=",")
    except (ValueError, DeprecationWarning):
        return None
    if len(values) != count:
        return None
    if instant:  # the stand-in is NaT's own integer
        return values.view("datetime64[s]") + np.timedelta64(LOCAL_OFFSET_SECONDS, "s")
    if values.dtype == np.int64:
        missing = values == _NULL_INT
        if np.count_nonzero(missing) != (nulls or 0):
            return None
        if nulls:
            values = values.astype(np.float64)
            values[missing] = np.nan
    return values


# What the rules do not read: left NULL when loading for an evaluation (`lean=True`), which saves building
# millions of Python strings.
LEAN_SKIPPED: Final = frozenset(
    {
        "code",
        "unit_name",
        "procedure_code",
        "appointed_at",
        "changed_at",
        "started_at",
        "rating",
        "complaint",
    }
)


def _pick(c: Any, name: str, times: Iterable[str], epoch: Epoch, skip: frozenset[str]) -> Any:
    if name in skip:
        return null().label(name)
    return epoch(c[name]).label(name) if name in times else c[name]


def _dossier_select(epoch: Epoch, skip: frozenset[str]) -> Select[Any]:
    d, p, f = Dossier.__table__.c, Procedure.__table__.c, Feedback.__table__.c
    own = [_pick(d, n, DOSSIER_TIMES, epoch, skip) for n in _DOSSIER_COLUMNS[: 6 + len(DOSSIER_TIMES)]]
    feedback = [null().label(n) if n in skip else f[n] for n in ("rating", "complaint")]
    statement = (
        select(*own, p.limit_value, p.limit_unit, *feedback)
        .select_from(Dossier.__table__)
        .outerjoin(Procedure.__table__, p.code == d.procedure_code)
    )
    if "rating" not in skip:
        statement = statement.outerjoin(Feedback.__table__, f.dossier_id == d.id)
    return statement


def _child_select(
    table: Any, columns: Sequence[str], times: Sequence[str], epoch: Epoch, skip: frozenset[str]
) -> Select[Any]:
    return select(*(_pick(table.c, n, times, epoch, skip) for n in columns))


def _chosen(conn: Connection, conditions: list[ColumnElement[bool]], found: int) -> Select[Any] | None:
    """The ids of the loaded dossiers as a subquery, or None when they are (nearly) the whole table."""
    if not conditions:
        return None
    d = Dossier.__table__.c
    # Count no further than the bound: a small increment must not pay for counting the whole table.
    bound = int(found / _MOST)
    total = conn.scalar(select(func.count()).select_from(select(d.id).limit(bound + 1).subquery()))
    return None if int(total or 0) <= bound else select(d.id).where(and_(*conditions))


def _in_order(frame: pd.DataFrame, keys: Sequence[str]) -> bool:
    """Whether the rows already follow these integer keys (as they mostly come): no need to sort."""
    tied = np.ones(max(len(frame) - 1, 0), dtype=bool)  # adjacent rows equal in the keys so far
    for name in keys:
        step = np.diff(frame[name].to_numpy())
        if (tied & (step < 0)).any():
            return False
        tied &= step == 0
    return True


def load_frames(
    source: Session | Engine | Connection,
    *,
    dossier_ids: Iterable[int] | None = None,
    unit_codes: Iterable[str] | None = None,
    received_until: dt.datetime | None = None,
    where: ColumnElement[bool] | None = None,
    lean: bool = False,
) -> Frames:
    """Dossiers matching every filter given (all of them when none), with their nested rows.

    `received_until` keeps dossiers received at or before that instant; `where` is any extra condition on
    the `dossiers` table (the evaluator passes "open, never evaluated or changed since"). `lean` leaves the
    columns in `LEAN_SKIPPED` null (NaT, NaN, False): all the rules need, at a fraction of the cost."""
    if isinstance(source, Engine):
        with source.connect() as conn:
            return _load(conn, dossier_ids, unit_codes, received_until, where, lean)
    if isinstance(source, Session):
        return _load(source.connection(), dossier_ids, unit_codes, received_until, where, lean)
    return _load(source, dossier_ids, unit_codes, received_until, where, lean)


def _load(
    conn: Connection,
    dossier_ids: Iterable[int] | None,
    unit_codes: Iterable[str] | None,
    received_until: dt.datetime | None,
    where: ColumnElement[bool] | None,
    lean: bool,
) -> Frames:
    epoch = _epoch_of(conn)
    d = Dossier.__table__.c
    conditions: list[ColumnElement[bool]] = []
    if unit_codes is not None:
        conditions.append(d.unit_code.in_(list(unit_codes)))
    if received_until is not None:
        conditions.append(d.received_at <= received_until.astimezone(dt.UTC))
    if where is not None:
        conditions.append(where)
    skip = LEAN_SKIPPED if lean else frozenset()
    base = _dossier_select(epoch, skip)
    if conditions:
        base = base.where(and_(*conditions))

    children = (
        (SupplementRequest.__table__, _SUPPLEMENT_COLUMNS, ("requested_at", "completed_at")),
        (ProcessingStep.__table__, _STEP_COLUMNS, ("started_at", "due_at", "handed_over_at")),
        (Apology.__table__, _APOLOGY_COLUMNS, ("issued_at", "new_due_at")),
    )
    parts: list[list[pd.DataFrame]] = [[], [], [], []]
    if dossier_ids is None:
        parts[0].append(_read_frame(conn, base, _DOSSIER_COLUMNS, DOSSIER_TIMES, d.id))
        found = parts[0][0]["id"].to_numpy(dtype=np.int64)
        # Nearly all of the table (a first evaluation): read every child row and drop the few extra ones
        # here, cheaper than having the database filter them through the dossier condition. A few
        # dossiers: fetch their rows through the dossier_id index, in id lists. Many: one scan of each
        # child table filtered by the condition, which beats a million index probes; on SQLite the whole
        # table, as SQLite would compute the condition again for every range `_read_frame` aggregates.
        chosen = _chosen(conn, conditions, len(found))
        by_ids = chosen is not None and len(found) <= _BY_ID_LIMIT
        if conn.dialect.name == "sqlite":
            chosen = None
        for i, (table, cols, times) in enumerate(children, start=1):
            stmt = _child_select(table, cols, times, epoch, skip)
            if by_ids:
                parts[i].append(read_for_ids(conn, stmt, table.c.dossier_id, found, cols))
                continue
            if chosen is not None:
                stmt = stmt.where(table.c.dossier_id.in_(chosen))
            rows = _read_frame(conn, stmt, cols, times, table.c.id)
            if conditions and chosen is None:
                rows = rows[np.isin(rows["dossier_id"].to_numpy(dtype=np.int64), found)]
            parts[i].append(rows)
    else:
        ids = sorted(set(dossier_ids))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            parts[0].append(read_rows(conn, base.where(d.id.in_(chunk)), _DOSSIER_COLUMNS))
            for i, (table, cols, times) in enumerate(children, start=1):
                stmt = _child_select(table, cols, times, epoch, skip).where(table.c.dossier_id.in_(chunk))
                parts[i].append(read_rows(conn, stmt, cols))

    def combined(i: int, columns: Sequence[str], times: Sequence[str], keys: list[str]) -> pd.DataFrame:
        frames = [p for p in parts[i] if len(p)]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(columns))
        frame = _typed(frame, times)
        return frame if _in_order(frame, keys) else frame.sort_values(keys, kind="stable", ignore_index=True)

    dossiers = combined(0, _DOSSIER_COLUMNS, DOSSIER_TIMES, ["id"])
    p = Procedure.__table__.c
    procedures = read_rows(
        conn,
        select(p.code, p.name, p.limit_value, p.limit_unit),
        ["code", "name", "limit_value", "limit_unit"],
    )
    procedures["limit_unit"] = pd.to_numeric(procedures["limit_unit"]).fillna(0).astype(np.int64)
    procedures["limit_value"] = pd.to_numeric(procedures["limit_value"]).astype(np.float64)
    return Frames(
        dossiers=dossiers,
        supplements=combined(1, _SUPPLEMENT_COLUMNS, ("requested_at", "completed_at"), ["dossier_id", "seq"]),
        steps=combined(2, _STEP_COLUMNS, ("started_at", "due_at", "handed_over_at"), ["dossier_id", "seq"]),
        apologies=combined(3, _APOLOGY_COLUMNS, ("issued_at", "new_due_at"), ["dossier_id", "seq"]),
        procedures=procedures,
    )


__all__ = [
    "DOSSIER_TIMES",
    "Frames",
    "load_frames",
    "local_instant",
    "local_instants",
    "read_for_ids",
    "read_rows",
]
