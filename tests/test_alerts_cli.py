"""`monitor alerts send`: dry run prints, a real run sends once, a day off sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from monitor.cli import main
from monitor.config import Settings
from tests.alerts_support import add_dossier, add_unit, at, smtp_sink


def _config(tmp_path: Path, settings: Settings, recipient: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{settings.database.url}"\n[reports]\nenabled = false\n'
        f'[alerts.units]\nPKT = ["{recipient}"]\n',
        encoding="utf-8",
    )
    return str(path)


def test_alerts_send_dry_run_prints_the_digest_and_sends_nothing(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as s:
        add_unit(s)
        add_dossier(s, code="H48.18-260810-0007", due=at("2026-08-14 16:00"))
    with smtp_sink() as sink:
        config = _config(tmp_path, settings, sink.url("truongphong@so.example.vn"))
        result = CliRunner().invoke(
            main, ["--config", config, "alerts", "send", "--now", "2026-08-17T07:00", "--dry-run"]
        )
        assert result.exit_code == 0, result.output
        assert (
            "=== PKT: [Theo dõi hồ sơ] Phòng Kinh tế 17/08/2026: 0 sắp đến hạn, 1 quá hạn, 0 vi phạm mới"
            in result.output
        )
        assert "- H48.18-260810-0007 · hạn 14/08/2026 16:00" in result.output
        assert sink.received == []

        sent = CliRunner().invoke(
            main, ["--config", config, "alerts", "send", "--now", "2026-08-17T07:00", "--format", "json"]
        )
        again = CliRunner().invoke(
            main, ["--config", config, "alerts", "send", "--now", "2026-08-17T08:00", "--format", "json"]
        )
    first, second = json.loads(sent.output), json.loads(again.output)
    assert (first["queued"], first["sent"], first["units"]) == (1, 1, ["PKT"])
    assert (second["queued"], second["sent"]) == (0, 0)
    assert len(sink.received) == 1


def test_alerts_send_on_a_sunday_says_so_and_sends_nothing(
    settings: Settings, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    config = _config(tmp_path, settings, "json://127.0.0.1:9/hook")
    result = CliRunner().invoke(main, ["--config", config, "alerts", "send", "--now", "2026-08-30T07:00"])
    assert result.exit_code == 0
    assert (
        result.output.strip()
        == "30/08/2026 không phải ngày làm việc: không gửi cảnh báo (not a working day)."
    )


def test_a_bad_recipient_url_stops_the_command_with_a_message_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[alerts.units]\nPKT = ["mailto://nowhere"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--config", str(path), "alerts", "send", "--dry-run"])
    assert result.exit_code == 2
    assert "[alerts].units: unit 'PKT': not a notification URL apprise understands" in result.output
