"""What the rules rely on: first and latest appointed due, change times, status history, nested lists
replaced by the latest snapshot, and older snapshots never overwriting newer ones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import LOCAL_TZ
from monitor.models import Dossier, StatusObservation
from monitor.sync import sync_connector
from tests.test_sync_files import file_settings, raw

T1 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)


def local(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=LOCAL_TZ)


def drop(folder: Path, name: str, records: list[dict]) -> None:
    (folder / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def test_later_snapshots_replace_the_latest_values_but_never_the_first_appointed_due(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    folder = tmp_path / "in"
    settings = file_settings(db_url, folder)
    open_one = raw(
        TrangThaiHoSo="4",
        NgayKetThucXuLy="",
        NgayTra="",
        NgayCapNhat="20260224100000",
        DanhSachXinLoi=[],
        DanhGia=None,
    )
    drop(folder, "1.json", [open_one])
    sync_connector(settings, sessions, "exports", now=lambda: T1)
    finished = raw(NgayHenTra="20260303160000", DanhSachHoSoBoSung=[])  # the apology's date overwrote it
    drop(folder, "2.json", [finished])
    second = sync_connector(settings, sessions, "exports", now=lambda: T2)
    assert second.updated == 1
    with sessions() as s:
        d = s.scalars(select(Dossier)).one()
        assert d.first_appointed_at == local("20260227160000")
        assert d.appointed_at == local("20260303160000")
        assert (d.status, d.changed_at, d.first_seen_at) == (10, T2, T1)
        assert d.supplements == [] and len(d.apologies) == 1
        history = s.execute(
            select(StatusObservation.status, StatusObservation.observed_at).order_by(StatusObservation.id)
        ).all()
        assert [tuple(h) for h in history] == [(4, T1), (10, T2)]


def test_a_first_snapshot_without_appointed_due_takes_the_first_one_that_arrives(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    folder = tmp_path / "in"
    settings = file_settings(db_url, folder)
    drop(folder, "1.json", [raw(NgayHenTra="", TrangThaiHoSo="2", NgayCapNhat="20260213160000")])
    sync_connector(settings, sessions, "exports", now=lambda: T1)
    drop(
        folder, "2.json", [raw(NgayHenTra="20260227160000", NgayCapNhat="20260214160000", TrangThaiHoSo="4")]
    )
    sync_connector(settings, sessions, "exports", now=lambda: T2)
    drop(folder, "3.json", [raw(NgayHenTra="20260310160000")])
    sync_connector(settings, sessions, "exports", now=lambda: T3)
    with sessions() as s:
        d = s.scalars(select(Dossier)).one()
        assert d.first_appointed_at == local("20260227160000")
        assert d.appointed_at == local("20260310160000")


def test_an_identical_snapshot_changes_nothing_and_an_older_one_is_ignored(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    folder = tmp_path / "in"
    settings = file_settings(db_url, folder)
    drop(folder, "1.json", [raw()])
    sync_connector(settings, sessions, "exports", now=lambda: T1)
    (folder / "2.json").write_text(json.dumps([raw()], indent=2))  # same snapshot, another file
    drop(folder, "3.json", [raw(TrangThaiHoSo="4", NgayCapNhat="20260220100000")])  # older than stored
    summary = sync_connector(settings, sessions, "exports", now=lambda: T2)
    assert (summary.fetched, summary.unchanged, summary.updated) == (2, 2, 0)
    with sessions() as s:
        d = s.scalars(select(Dossier)).one()
        assert (d.status, d.changed_at) == (10, T1)
        assert len(s.scalars(select(StatusObservation)).all()) == 1


def test_bulk_written_instants_are_the_text_sqlalchemy_itself_writes_on_sqlite() -> None:
    from sqlalchemy.dialects import sqlite

    from monitor.sync.bulk import sqlite_text

    bind = sqlite.DATETIME().bind_processor(sqlite.dialect())
    assert bind is not None
    for instant in (T1, local("20260213160005"), T2.replace(microsecond=123)):
        assert sqlite_text(instant) == bind(instant.astimezone(dt.UTC).replace(tzinfo=None))
