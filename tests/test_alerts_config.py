"""`[alerts]` and `[scheduler]`: bad values stop the program at start with a message naming the key."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.config import ConfigError, RecipientEnv
from tests.conftest import build_settings

MAIL = "mailtos://smtp.so.example.vn?to=truongphong@so.example.vn&from=monitor@so.example.vn"


def test_recipients_are_apprise_urls_or_environment_variables() -> None:
    settings = build_settings(
        {"alerts": {"units": {"H48.18.03": [MAIL, {"url_env": "MONITOR_TELEGRAM_PQLCN"}]}, "office": [MAIL]}}
    )
    assert settings.alerts.units["H48.18.03"] == (MAIL, RecipientEnv(url_env="MONITOR_TELEGRAM_PQLCN"))
    assert settings.alerts.office == (MAIL,)


@pytest.mark.parametrize(
    ("alerts", "message"),
    [
        (
            {"units": {"PKT": ["smtp://nowhere"]}},
            "[alerts].units: unit 'PKT': not a notification URL apprise",
        ),
        ({"office": ["mailto://nowhere"]}, "[alerts].office: not a notification URL apprise understands"),
        ({"units": {"PKT": [MAIL, MAIL]}}, "[alerts].units: unit 'PKT': recipient listed twice"),
        ({"units": {"PKT": [{"url_env": "not a name"}]}}, "expected the name of an environment variable"),
        (
            {"smtp_password_env": "pass word"},
            "[alerts].smtp_password_env: expected the name of an environment variable",
        ),
        ({"max_lines": 0}, "[alerts].max_lines: Input should be greater than or equal to 1"),
        ({"recipients": []}, "[alerts].recipients: unknown key"),
    ],
)
def test_a_bad_alerts_value_is_refused_naming_the_key(alerts: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        build_settings({"alerts": alerts})
    assert message in str(error.value)


def test_the_digest_time_is_hh_mm() -> None:
    assert build_settings({"scheduler": {"digest_at": "07:30"}}).scheduler.digest_at == dt.time(7, 30)
    with pytest.raises(ConfigError) as error:
        build_settings({"scheduler": {"digest_at": "7:30"}})
    assert '[scheduler].digest_at: expected "HH:MM", e.g. "07:00"' in str(error.value)
