"""`monitor report`: JSON, files, storing a new run and sending, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.cli import main
from monitor.models import ReportRun
from tests.test_report_schedule import december


def invoke(tmp_path: Path, db_url: str, *args: str) -> tuple[int, bytes, str]:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(config), "report", *args])
    return result.exit_code, result.stdout_bytes, result.stderr


def test_the_json_report_has_every_unit_and_the_total(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    code, out, err = invoke(tmp_path, db_url, "--month", "2026-12", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["month"] == "2026-12"
    assert [u["unit_code"] for u in report["units"]] == ["U1", "U2"]
    assert (report["total"]["in_scope"], report["total"]["late"]) == (2, 1)
    assert report["units"][1]["on_time_rate"] is None
    assert "đang tính chỉ số" in err  # progress goes to standard error


def test_the_table_shows_dashes_for_an_empty_unit(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    code, out, _ = invoke(tmp_path, db_url, "--month", "2026-12")
    assert code == 0
    text = out.decode()
    assert "Báo cáo rủi ro mức độ hài lòng tháng 12/2026" in text
    land = next(line for line in text.splitlines() if line.startswith("Phòng Quản lý đất đai"))
    assert land.split()[-3:] == ["—", "—", "—"]
    assert "50,0%" in next(line for line in text.splitlines() if line.startswith("Toàn Sở"))


def test_store_keeps_a_record_and_only_the_newest_files(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        december(session)
    pdf = tmp_path / "report.pdf"
    assert invoke(tmp_path, db_url, "--month", "2026-12", "--store")[0] == 0
    code, _, err = invoke(
        tmp_path, db_url, "--month", "2026-12", "--store", "--format", "pdf", "--out", str(pdf)
    )
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    with sessions() as session:
        runs = session.scalars(select(ReportRun).order_by(ReportRun.id)).all()
        assert [(r.trigger, r.status, r.pdf is None, r.figures is None) for r in runs] == [
            ("command", "success", True, False),
            ("command", "success", False, False),
        ]
        assert runs[1].pdf == pdf.read_bytes()


def test_a_malformed_month_is_a_usage_error_naming_it(tmp_path: Path, db_url: str) -> None:
    code, _, err = invoke(tmp_path, db_url, "--month", "2026-13")
    assert code == 2
    assert "'2026-13' is not a month written YYYY-MM" in err


def test_resend_without_send_is_refused(tmp_path: Path, db_url: str) -> None:
    code, _, err = invoke(tmp_path, db_url, "--month", "2026-12", "--resend")
    assert code == 2
    assert "--resend only makes sense with --send" in err


def test_an_unmigrated_database_is_named_without_a_traceback(tmp_path: Path) -> None:
    code, _, err = invoke(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}", "--month", "2026-12")
    assert code == 1
    assert "no such table: dossiers (has `monitor db upgrade` been run?)" in err
    assert "Traceback" not in err
