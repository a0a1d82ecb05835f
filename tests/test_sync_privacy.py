"""No personal data reaches the database: not in dossiers, not in rejects, not anywhere."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.models import Base
from monitor.sync import sync_connector
from tests.conftest import build_settings
from tests.sync_support import Sleeps, fake_center, sync_settings

PERSONAL = ("ChuHoSo", "SoDienThoai", "Email", "SoGiayToChuHoSo")


def everything_stored(sessions: sessionmaker[Session]) -> str:
    cells = []
    with sessions() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                cells.extend(json.dumps(v, ensure_ascii=False, default=str) for v in row)
    return "\n".join(cells)


def test_no_table_holds_a_citizens_name_phone_email_or_identity_number(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center(size=400) as center:
        served = list(center.center.snapshots().values())
        broken = {**served[0], "MaHoSo": "H48.18-260302-9009", "TrangThaiHoSo": "11"}
        center.center.add_records([broken])
        assert (
            sync_connector(sync_settings(db_url, center.url), sessions, "center", sleep=Sleeps()).rejected
            == 1
        )
    exports = tmp_path / "exports"
    exports.mkdir()
    rows = [{**r, "MaHoSo": r["MaHoSo"] + "-F"} for r in served[:20]] + [{**served[1], "NgayCapNhat": "x"}]
    (exports / "hoso.json").write_text(json.dumps({"data": rows}, ensure_ascii=False), encoding="utf-8")
    files = build_settings(
        {
            "database": {"url": db_url},
            "connectors": [{"name": "exports", "kind": "file", "path": str(exports)}],
        }
    )
    assert sync_connector(files, sessions, "exports").inserted == 20

    stored = everything_stored(sessions)
    personal_values = {r[k] for r in served for k in PERSONAL if r.get(k)}
    assert len(personal_values) > 1000
    leaked = sorted(v for v in personal_values if v in stored)
    assert leaked == []
    assert not [k for k in PERSONAL if k in stored]
