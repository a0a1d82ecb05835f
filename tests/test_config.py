"""Settings: defaults, validation messages that name the key, environment overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from monitor.config import ConfigError, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text), env or {})
    return str(info.value)


def test_the_shipped_config_toml_is_valid_and_matches_the_defaults() -> None:
    settings = load_settings(ROOT / "config.toml", {})
    assert settings.rules.supplement_clock == "pause"
    assert settings.calendar.office_hours[0] == (dt.time(7), dt.time(11, 30))
    assert settings.database.url.endswith("/var/monitor.db")


def test_an_empty_file_gives_the_documented_defaults(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), {})
    assert settings.rules.max_supplement_requests == 1
    assert settings.rules.max_reschedules == 1
    assert settings.rules.warn_within_working_hours == 8
    assert settings.rules.statutory_tolerance_working_days == 0
    assert settings.web.bind == "127.0.0.1:8000"


def test_a_relative_sqlite_path_is_anchored_at_the_config_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[database]\nurl = "sqlite:///var/x.db"\n'), {})
    assert settings.database.url == f"sqlite:///{tmp_path / 'var' / 'x.db'}"


def test_the_environment_overrides_the_database_url(tmp_path: Path) -> None:
    env = {"MONITOR_DATABASE_URL": "postgresql+psycopg://u@h/db"}
    assert load_settings(write(tmp_path, ""), env).database.url == "postgresql+psycopg://u@h/db"


def test_monitor_config_picks_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[rules]\nmax_reschedules = 3\n")
    assert load_settings(None, {"MONITOR_CONFIG": str(path)}).rules.max_reschedules == 3


def test_an_unknown_key_is_named(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[rules]\nmax_suplement_requests = 2\n")
    assert "[rules].max_suplement_requests: unknown key" in message


def test_an_unknown_section_is_named(tmp_path: Path) -> None:
    assert "rulez: unknown key" in error_of(tmp_path, "[rulez]\nx = 1\n")


def test_a_bad_value_names_the_key_and_the_expected_form(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[rules]\nmax_supplement_requests = "two"\n')
    assert "[rules].max_supplement_requests" in message
    assert "integer" in message
    assert "'two'" in message


def test_a_bad_clock_mode_lists_the_choices(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[rules]\nsupplement_clock = "stop"\n')
    assert "[rules].supplement_clock" in message and "'pause'" in message and "'restart'" in message


def test_an_unknown_rule_code_in_disabled_is_refused(tmp_path: Path) -> None:
    assert "[rules].disabled[0]" in error_of(tmp_path, '[rules]\ndisabled = ["late"]\n')


def test_bad_office_hours_are_refused(tmp_path: Path) -> None:
    assert "[calendar].office_hours" in error_of(tmp_path, '[calendar]\noffice_hours = [["7h", "11:30"]]\n')
    overlap = '[calendar]\noffice_hours = [["07:00", "12:00"], ["11:00", "17:00"]]\n'
    assert "overlap" in error_of(tmp_path, overlap)
    backwards = '[calendar]\noffice_hours = [["17:00", "07:00"]]\n'
    assert "must end after it starts" in error_of(tmp_path, backwards)


def test_a_date_in_both_override_lists_is_a_configuration_error(tmp_path: Path) -> None:
    text = '[calendar]\nextra_holidays = ["2026-12-31"]\nextra_workdays = ["2026-12-31"]\n'
    assert "2026-12-31" in error_of(tmp_path, text)


def test_a_bad_override_date_is_named(tmp_path: Path) -> None:
    assert "[calendar].extra_holidays[0]" in error_of(
        tmp_path, '[calendar]\nextra_holidays = ["31/12/2026"]\n'
    )


def test_a_connector_error_names_the_connector(tmp_path: Path) -> None:
    text = '[[connectors]]\nname = "center"\nkind = "http"\nbase_url = "http://x"\npage_size = 0\n'
    assert '[[connectors]] #1 "center".page_size' in error_of(tmp_path, text)


def test_an_unknown_connector_kind_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[connectors]]\nname = "c"\nkind = "ftp"\n')
    assert "[[connectors]] #1" in message and "'http'" in message


def test_connector_names_are_unique(tmp_path: Path) -> None:
    block = '[[connectors]]\nname = "c"\nkind = "http"\nbase_url = "http://x"\n'
    assert "repeated: c" in error_of(tmp_path, block + block)


def test_a_missing_file_and_broken_toml_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml", {})
    assert "not valid TOML" in error_of(tmp_path, "[rules\n")


def test_a_bad_database_url_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"\[database\].url"):
        parse_settings({"database": {"url": "mysql://x"}}, {})
    with pytest.raises(ConfigError, match="MONITOR_DATABASE_URL"):
        parse_settings({}, {"MONITOR_DATABASE_URL": "oracle://x"})


def test_settings_are_immutable() -> None:
    settings = parse_settings({}, {})
    with pytest.raises(Exception, match="frozen"):
        settings.rules.max_reschedules = 5  # type: ignore[misc]
