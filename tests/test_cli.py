"""The `monitor` command line: `due`, `db upgrade`, configuration errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, inspect

from monitor.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_due_prints_the_iso_instant_alone() -> None:
    code, out, _ = run("due", "--received", "2026-02-13T16:00", "--days", "5")
    assert code == 0
    assert out == "2026-02-27T16:00:00+07:00\n"


def test_due_as_json_echoes_the_inputs() -> None:
    code, out, _ = run("due", "--received", "2026-02-13T16:00", "--days", "5", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "received": "2026-02-13T16:00:00+07:00",
        "limit": 5,
        "unit": "working_days",
        "due": "2026-02-27T16:00:00+07:00",
    }


def test_due_with_hours_and_calendar_days() -> None:
    assert run("due", "--received", "2026-03-02T12:00", "--hours", "1")[1] == "2026-03-02T14:30:00+07:00\n"
    out = run("due", "--received", "2026-02-10T08:00", "--calendar-days", "6", "--format", "json")[1]
    assert json.loads(out)["unit"] == "calendar_days"
    assert json.loads(out)["due"] == "2026-02-23T17:00:00+07:00"


def test_due_reads_an_offset_when_given() -> None:
    code, out, _ = run("due", "--received", "2026-02-13T09:00:00+00:00", "--days", "5")
    assert (code, out) == (0, "2026-02-27T16:00:00+07:00\n")


def test_due_uses_the_configured_overrides(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[calendar]\nextra_holidays = ["2026-03-03"]\n', encoding="utf-8")
    code, out, _ = run("--config", str(config), "due", "--received", "2026-03-02T16:00", "--hours", "2")
    assert (code, out) == (0, "2026-03-04T08:00:00+07:00\n")


def test_due_bad_usage_exits_2_with_a_message() -> None:
    code, _, err = run("due", "--received", "13/02/2026", "--days", "5")
    assert code == 2 and "ISO 8601" in err
    code, _, err = run("due", "--received", "2026-02-13T16:00", "--days", "5", "--hours", "1")
    assert code == 2 and "exactly one" in err
    code, _, err = run("due", "--received", "2026-02-13T16:00")
    assert code == 2


def test_a_bad_config_stops_with_the_key_named(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[rules]\nmax_reschedule = 2\n", encoding="utf-8")
    code, _, err = run("--config", str(config), "due", "--received", "2026-02-13T16:00", "--days", "1")
    assert code == 2
    assert "[rules].max_reschedule: unknown key" in err


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\nurl = "sqlite:///var/m.db"\n', encoding="utf-8")
    code, out, err = run("--config", str(config), "db", "upgrade")
    assert code == 0, err
    assert "database at revision" in out
    engine = create_engine(f"sqlite:///{tmp_path / 'var' / 'm.db'}")
    assert "dossiers" in inspect(engine).get_table_names()
    engine.dispose()
    assert run("--config", str(config), "db", "upgrade")[0] == 0  # again: nothing to do, still fine
