"""`monitor sync` as a person or a script runs it: summaries, exit status, a refused token."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.cli import main
from monitor.models import Dossier, SyncCursor, SyncRun
from tests.sync_support import fake_center


def write_config(tmp_path: Path, db_url: str, base_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{db_url}"\n\n[[connectors]]\nname = "center"\nkind = "http"\n'
        f'base_url = "{base_url}"\ntoken_env = "CENTER_TOKEN"\npage_size = 100\nbackoff_seconds = 0\n',
        encoding="utf-8",
    )
    return path


def test_sync_prints_the_interfaces_summary_as_json(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center(token="right-token") as center:
        config = write_config(tmp_path, db_url, center.url)
        result = CliRunner(env={"CENTER_TOKEN": "right-token"}).invoke(
            main, ["--config", str(config), "sync", "--format", "json"]
        )
        served = len(center.center.snapshots())
    assert result.exit_code == 0, result.output
    (summary,) = json.loads(result.stdout)
    assert summary["connector"] == "center" and summary["status"] == "success"
    assert summary["inserted"] == served and summary["fetched"] == served + summary["unchanged"]
    assert {"fetched", "inserted", "updated", "unchanged", "rejected", "error"} <= set(summary)
    assert summary["error"] is None


def test_a_wrong_token_fails_clearly_with_exit_1_and_loses_nothing(
    tmp_path: Path, db_url: str, sessions: sessionmaker[Session]
) -> None:
    with fake_center(token="right-token") as center:
        config = write_config(tmp_path, db_url, center.url)
        ok = CliRunner(env={"CENTER_TOKEN": "right-token"}).invoke(main, ["--config", str(config), "sync"])
        with sessions() as s:
            before = (
                s.scalar(select(func.count()).select_from(Dossier)),
                s.scalar(select(SyncCursor.updated_until)),
            )
        refused = CliRunner(env={"CENTER_TOKEN": "wrong-token"}).invoke(
            main, ["--config", str(config), "sync", "--connector", "center"]
        )
    assert ok.exit_code == 0, ok.output
    assert refused.exit_code == 1
    assert "THẤT BẠI" in refused.stdout and "refused the token (HTTP 401)" in refused.stdout
    with sessions() as s:
        after = (
            s.scalar(select(func.count()).select_from(Dossier)),
            s.scalar(select(SyncCursor.updated_until)),
        )
        last = s.scalars(select(SyncRun).order_by(SyncRun.id.desc())).first()
    assert after == before and before[0] > 0
    assert last is not None and last.status == "failed" and "token" in (last.error or "")


def test_a_missing_token_variable_is_named(tmp_path: Path, db_url: str) -> None:
    config = write_config(tmp_path, db_url, "http://127.0.0.1:9")
    result = CliRunner(env={"CENTER_TOKEN": ""}).invoke(main, ["--config", str(config), "sync"])
    assert result.exit_code == 1
    assert "environment variable CENTER_TOKEN" in result.stdout


def test_an_unknown_connector_is_bad_usage(tmp_path: Path, db_url: str) -> None:
    config = write_config(tmp_path, db_url, "http://127.0.0.1:9")
    result = CliRunner().invoke(main, ["--config", str(config), "sync", "--connector", "nope"])
    assert result.exit_code == 2
    assert "no connector named 'nope'" in result.output


def test_an_unmigrated_database_is_reported_not_a_traceback(tmp_path: Path) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'empty.db'}", "http://127.0.0.1:9")
    result = CliRunner(env={"CENTER_TOKEN": "x"}).invoke(main, ["--config", str(config), "sync"])
    assert result.exit_code == 1
    assert "monitor db upgrade" in result.output and "no such table: sync_runs" in result.output
