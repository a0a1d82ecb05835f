"""On SQLite large reads come through one aggregated text per column and range of keys; whatever the
values, the frames are exactly those read row by row (`read_rows`), which PostgreSQL always does."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

import monitor.frames as frames_module
from monitor.frames import Frames, load_frames, read_rows
from monitor.models import Apology, Dossier, Feedback, Procedure, ProcessingStep, SupplementRequest

UTC = dt.UTC
NAMES = ["dossiers", "supplements", "steps", "apologies", "procedures"]
LIMITS = {
    "P-HALF": 0.5,
    "P-QUARTERS": 13.75,
    "P-WHOLE": 8.0,
    "P-TENTH": 0.1,  # not a binary fraction: written as 15 digits, exact
    "P-THIRD": 1 / 3,  # needs 17 digits: its ranges are read row by row
    "P-HUGE": 1e20,  # whole, yet beyond a 64-bit integer
}
UNIT_NAMES = [
    "Phòng Tài nguyên và Môi trường",
    'Sở "Kế hoạch", Đầu tư',
    None,
    "",
    "Ủy ban nhân dân xã Đắk Nông",
    "Bộ phận một cửa; tiếp nhận",
]


def instant(day: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 2, 1, 1, 2, second, tzinfo=UTC) + dt.timedelta(days=day)


def dossier(i: int, **fields: Any) -> Dossier:
    """Dossier `i` with something NULL or unusual in most columns, varying with `i`."""
    values: dict[str, Any] = {
        "id": i,
        "code": f"HS-{i:03d}-Đăng ký, \"hộ\" 'kinh doanh'",
        "connector": "center",
        "procedure_code": [None, *LIMITS, "P-UNKNOWN", "P-NULL"][i % 9],
        "unit_code": f"U{i % 4},Đ",
        "unit_name": UNIT_NAMES[i % len(UNIT_NAMES)],
        "status": [2, 4, 5, 6, 10][i % 5],
        "received_at": None if i % 7 == 0 else instant(i, i % 60),
        "first_appointed_at": None if i % 3 == 0 else instant(i + 10),
        "appointed_at": None if i % 2 == 0 else instant(i + 12, 59),
        "finished_at": None if i % 4 else instant(i + 3),
        "returned_at": None if i % 5 else instant(i + 4),
        "source_updated_at": instant(i + 5, 1),
        "snapshot_hash": "x" * 64,
        "changed_at": instant(i + 6),
    }
    values.update(fields)
    d = Dossier(**values)
    d.supplements = [
        SupplementRequest(seq=k + 1, requested_at=instant(i + k), completed_at=None if k else instant(i + 2))
        for k in range(i % 3)
    ]
    d.steps = [
        ProcessingStep(
            seq=k + 1,
            unit_code=None if (i + k) % 5 == 0 else f'Đơn vị {k}, "số" {i}',
            unit_name=UNIT_NAMES[(i + k) % len(UNIT_NAMES)],
            started_at=None if k % 2 else instant(i + k),
            due_at=instant(i + k + 1, 30),
            handed_over_at=None if (i + k) % 3 == 0 else instant(i + k + 2),
        )
        for k in range(i % 4)
    ]
    d.apologies = [Apology(seq=1, issued_at=instant(i), new_due_at=None)] if i % 6 == 0 else []
    if i % 3:
        d.feedback = Feedback(rating=None if i % 3 == 2 else i % 5 + 1, complaint=i % 2 == 0)
    return d


def store(sessions: sessionmaker[Session], *dossiers: Dossier) -> None:
    with sessions.begin() as session:
        session.add_all(
            Procedure(code=c, name="Thủ tục", limit_value=v, limit_unit=1) for c, v in LIMITS.items()
        )
        session.add(
            Procedure(code="P-NULL", name="Thủ tục chưa rõ thời hạn", limit_value=None, limit_unit=None)
        )
        session.add_all(dossiers)


def row_by_row(conn: Any, statement: Any, columns: Any, times: Any, key: Any) -> pd.DataFrame:
    return read_rows(conn, statement, columns)


def both_ways(monkeypatch: pytest.MonkeyPatch, load: Callable[[], Frames]) -> tuple[Frames, Frames]:
    """The frames as loaded, and as loaded with every large read done row by row."""
    loaded = load()
    with monkeypatch.context() as m:
        m.setattr(frames_module, "_read_frame", row_by_row)
        plain = load()
    return loaded, plain


def assert_same(loaded: Frames, plain: Frames) -> None:
    for name in NAMES:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(plain, name), obj=name)


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames_module, "_SPAN", 4)  # many ranges of keys, some of them empty


@pytest.mark.parametrize("lean", [False, True])
def test_frames_read_through_aggregates_equal_frames_read_row_by_row(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch, lean: bool
) -> None:
    # Ids with gaps wider than a range of keys.
    ids = [*range(1, 31), 45, 46, 90]
    store(sessions, *(dossier(i) for i in ids))
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine, lean=lean))
    assert_same(loaded, plain)
    d = loaded.dossiers
    assert d["id"].tolist() == ids
    assert d["limit_value"].dtype == np.float64 and d["limit_unit"].dtype == np.int64
    assert d["complaint"].dtype == bool and d["received_at"].dtype == np.dtype("datetime64[s]")
    if not lean:
        limits = dict(zip(d["procedure_code"], d["limit_value"], strict=True))
        assert {c: limits[c] for c in LIMITS} == LIMITS  # bit for bit, 1/3 included
        assert np.isnan(limits["P-UNKNOWN"]) and np.isnan(limits["P-NULL"])
        assert d.loc[d["procedure_code"].isna(), "limit_value"].isna().all()
        assert d.loc[d["id"] == 3, "unit_name"].item() == ""
        assert pd.isna(d.loc[d["id"] == 2, "unit_name"].item())
        assert d.loc[d["id"] == 4, "rating"].item() == 5.0 and np.isnan(d.loc[d["id"] == 5, "rating"].item())
        assert d.loc[d["id"] == 1, "code"].item() == "HS-001-Đăng ký, \"hộ\" 'kinh doanh'"
    first = d.loc[d["id"] == 1].iloc[0]
    assert first["received_at"] == np.datetime64("2026-02-02T08:02:01")  # local time
    assert pd.isna(d.loc[d["id"] == 7, "received_at"].item())
    assert len(loaded.steps) == sum(i % 4 for i in ids)
    assert loaded.steps["unit_code"].isna().sum() == sum(
        1 for i in ids for k in range(i % 4) if (i + k) % 5 == 0
    )


def test_values_holding_the_separators_come_through_exactly(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = {
        3: "Phòng\x1eTư pháp",  # the record separator inside a value
        6: "\x1f",  # equal to the NULL stand-in
        9: "a\x1fb",
        13: "\x1e",
    }
    store(
        sessions,
        *(dossier(i, unit_name=odd.get(i, f"Phòng {i}")) for i in range(1, 21)),
        dossier(21, code="HS\x1e021"),
    )
    with sessions.begin() as session:
        first, second = session.scalars(select(ProcessingStep).order_by(ProcessingStep.id).limit(2))
        first.unit_code, second.unit_name = "\x1f", "x\x1ey"
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine))
    assert_same(loaded, plain)
    names = dict(zip(loaded.dossiers["id"], loaded.dossiers["unit_name"], strict=True))
    assert {i: names[i] for i in odd} == odd
    assert loaded.dossiers["code"].iloc[-1] == "HS\x1e021"
    assert "\x1f" in loaded.steps["unit_code"].tolist() and "x\x1ey" in loaded.steps["unit_name"].tolist()


def test_an_integer_equal_to_the_null_stand_in_comes_through(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    lowest = -(2**63) if engine.dialect.name == "sqlite" else -(2**15)  # SQLite ignores SMALLINT's range
    store(sessions, *(dossier(i, procedure_code="P-HALF" if i % 2 else "P-NULL") for i in range(1, 9)))
    with sessions.begin() as session:
        session.get_one(Procedure, "P-HALF").limit_unit = lowest
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine))
    assert_same(loaded, plain)
    assert loaded.dossiers["limit_unit"].tolist() == [lowest, 0] * 4


def test_only_ranges_with_unusual_values_are_read_row_by_row(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reads every row by row")
    store(
        sessions,
        *(
            dossier(i, procedure_code="P-HALF", unit_name="\x1f" if i == 10 else "Phòng")
            for i in range(1, 21)
        ),
    )
    read: list[str] = []

    def counted(conn: Any, statement: Any, columns: Any) -> pd.DataFrame:
        read.append(columns[0])
        return read_rows(conn, statement, columns)

    monkeypatch.setattr(frames_module, "read_rows", counted)
    frames = load_frames(engine)
    # The range of dossiers 9 to 12, then the procedures.
    assert read == ["id", "code"]
    assert frames.dossiers.loc[frames.dossiers["id"] == 10, "unit_name"].item() == "\x1f"


def test_a_text_over_sqlites_length_limit_is_read_row_by_row(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(sessions, *(dossier(i) for i in range(1, 13)))
    monkeypatch.setattr(frames_module, "_SPAN", 1_000)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Each value fits, the text of any column of the twelve dossiers does not.
            conn.connection.driver_connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 300)
        loaded, plain = both_ways(monkeypatch, lambda: load_frames(conn))
    assert_same(loaded, plain)
    assert len(loaded) == 12


@pytest.mark.parametrize(
    "filters",
    [
        {"where": Dossier.status.in_([2, 4, 5, 6])},
        {"where": Dossier.id != 17, "lean": True},
        {"unit_codes": ["U1,Đ", "U3,Đ"]},
        {"received_until": dt.datetime(2026, 2, 12, tzinfo=UTC)},
        {"dossier_ids": [2, 3, 5, 8, 13, 21, 34]},
        {"where": Dossier.id > 1_000},
    ],
    ids=["open", "nearly-all", "units", "received", "ids", "none"],
)
@pytest.mark.parametrize("id_lists_up_to", [200_000, 5], ids=["few", "many"])
def test_filtered_frames_equal_frames_read_row_by_row(
    sessions: sessionmaker[Session],
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    filters: dict[str, Any],
    id_lists_up_to: int,
) -> None:
    # Up to that many dossiers their nested rows are read by lists of ids, beyond it by a scan.
    monkeypatch.setattr(frames_module, "_BY_ID_LIMIT", id_lists_up_to)
    store(sessions, *(dossier(i) for i in range(1, 41)))
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine, **filters))
    assert_same(loaded, plain)
    assert len(loaded) < 40


def test_empty_tables_give_the_same_empty_frames(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine))
    assert_same(loaded, plain)
    assert len(loaded) == 0 and loaded.steps.empty


def test_dossiers_without_nested_rows_give_empty_child_frames(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    store(sessions, *(dossier(i) for i in (4, 8, 12)))
    with sessions.begin() as session:
        session.query(ProcessingStep).delete()
        session.query(SupplementRequest).delete()
    loaded, plain = both_ways(monkeypatch, lambda: load_frames(engine, lean=True))
    assert_same(loaded, plain)
    assert loaded.steps.empty and len(loaded.dossiers) == 3
