"""Settings: `config.toml` plus the environment, validated once at start into one typed object.

The object is built by `load_settings` and passed to whatever needs it; nothing reads it as a global.
Secrets never live in the file: a key ending in `_env` names the environment variable that holds one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

RuleCode = Literal[
    "overdue_return",
    "overdue_open",
    "repeated_supplement",
    "missing_apology",
    "repeated_reschedule",
    "step_overdue",
    "due_beyond_statutory",
    "due_soon",
]
RULE_CODES: tuple[str, ...] = get_args(RuleCode)

DEFAULT_CONFIG = "config.toml"
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file, the key and the expected form."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseSettings(_Section):
    url: str = "sqlite:///var/monitor.db"

    @field_validator("url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("expected a sqlite:///PATH or postgresql+psycopg://USER@HOST/DB URL")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:")


class CalendarSettings(_Section):
    office_hours: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(7, 0), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17, 0)),
    )
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()

    @field_validator("office_hours", mode="before")
    @classmethod
    def _parse_hours(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple) or not value:
            raise ValueError('expected a non-empty list of ["HH:MM", "HH:MM"] pairs')
        parsed = []
        for pair in value:
            if isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                if not all(_HHMM.match(p) for p in pair):
                    raise ValueError(f'expected "HH:MM" times, got {list(pair)}')
                parsed.append(tuple(dt.time.fromisoformat(p) for p in pair))
            elif isinstance(pair, list | tuple) and len(pair) == 2:
                parsed.append(tuple(pair))
            else:
                raise ValueError(f'expected a ["HH:MM", "HH:MM"] pair, got {pair!r}')
        return tuple(parsed)

    @field_validator("office_hours")
    @classmethod
    def _ordered(cls, value: tuple[tuple[dt.time, dt.time], ...]) -> tuple[tuple[dt.time, dt.time], ...]:
        previous_end = dt.time(0, 0)
        for start, end in value:
            if not start < end:
                raise ValueError(f"interval {start:%H:%M}–{end:%H:%M} must end after it starts")
            if start < previous_end:
                raise ValueError("intervals must be in order and must not overlap")
            previous_end = end
        return value

    @model_validator(mode="after")
    def _no_conflict(self) -> CalendarSettings:
        clash = sorted(set(self.extra_holidays) & set(self.extra_workdays))
        if clash:
            days = ", ".join(d.isoformat() for d in clash)
            raise ValueError(f"a date cannot be in both extra_holidays and extra_workdays: {days}")
        return self


class RulesSettings(_Section):
    supplement_clock: Literal["pause", "restart"] = "pause"
    max_supplement_requests: Annotated[int, Field(ge=0)] = 1
    max_reschedules: Annotated[int, Field(ge=0)] = 1
    warn_within_working_hours: Annotated[float, Field(gt=0, le=400)] = 8
    statutory_tolerance_working_days: Annotated[int, Field(ge=0)] = 0
    disabled: tuple[RuleCode, ...] = ()

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled


class _ConnectorBase(_Section):
    name: str
    interval_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    enabled: bool = True

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("expected lower-case letters, digits, '-' or '_' (at most 40)")
        return value


class HttpConnectorSettings(_ConnectorBase):
    """The reference center API (center-api.md); dialects are reached by the mapping keys."""

    kind: Literal["http"] = "http"
    base_url: str
    token_env: str | None = None
    page_size: Annotated[int, Field(ge=1, le=10_000)] = 500
    timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30
    max_retries: Annotated[int, Field(ge=0, le=20)] = 5
    backoff_seconds: Annotated[float, Field(ge=0, le=300)] = 1.0
    overlap_minutes: Annotated[int, Field(ge=0, le=1440)] = 10
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    date_format: str = "%Y%m%d%H%M%S"
    paths: dict[Literal["dossiers", "units", "procedures"], str] = {}
    params: dict[Literal["since", "page", "page_size"], str] = {}
    fields: dict[str, str] = {}

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV.match(value):
            raise ValueError("expected the name of an environment variable")
        return value


class FakeConnectorSettings(HttpConnectorSettings):
    """The bundled fake center, reached over HTTP like a real one; `monitor demo` starts it."""

    kind: Literal["fake"] = "fake"  # type: ignore[assignment]
    base_url: str = "http://127.0.0.1:8765"
    seed: int = 1


class FileConnectorSettings(_ConnectorBase):
    kind: Literal["file"] = "file"
    path: Path


ConnectorSettings = Annotated[
    HttpConnectorSettings | FakeConnectorSettings | FileConnectorSettings, Field(discriminator="kind")
]


class WebSettings(_Section):
    bind: str = "127.0.0.1:8000"
    workers: Annotated[int, Field(ge=1, le=64)] = 2
    secret_key_env: str = "MONITOR_SECRET_KEY"  # noqa: S105 (a variable name, not a secret)
    public_url: str = "http://127.0.0.1:8000"
    secure_cookies: bool = False
    login_max_failures: Annotated[int, Field(ge=1, le=100)] = 5
    login_lock_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    overview_cache_seconds: Annotated[float, Field(ge=0, le=3600)] = 60

    @field_validator("bind")
    @classmethod
    def _host_port(cls, value: str) -> str:
        if not re.match(r"^[\w.\-\[\]:]+:\d{1,5}$", value):
            raise ValueError('expected "HOST:PORT", e.g. "127.0.0.1:8000"')
        return value


class RecipientEnv(_Section):
    """A recipient whose whole apprise URL is a secret (a Telegram bot token, a Teams webhook): the URL
    lives in the named environment variable."""

    url_env: str

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not _ENV.match(value):
            raise ValueError("expected the name of an environment variable")
        return value


Recipient = str | RecipientEnv


def _check_apprise_url(url: str) -> str:
    import apprise  # imported here: only configurations with recipients pay for it

    if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
        scheme = url.split("://", 1)[0] if "://" in url else url
        raise ValueError(
            f"not a notification URL apprise understands (scheme {scheme!r}); e.g. "
            '"mailtos://smtp.example.gov.vn?to=truongphong@example.gov.vn&from=monitor@example.gov.vn"'
        )
    return url


class AlertsSettings(_Section):
    """`[alerts]`: who receives the daily digest per unit and the office's connector alerts, and how
    deliveries are retried. Recipients are apprise URLs, checked here so a typo stops the program at start."""

    enabled: bool = True
    max_lines: Annotated[int, Field(ge=1, le=200)] = 10
    send_empty: bool = False
    smtp_user_env: str | None = "MONITOR_SMTP_USER"
    smtp_password_env: str | None = "MONITOR_SMTP_PASSWORD"  # noqa: S105 (a variable name)
    max_attempts: Annotated[int, Field(ge=1, le=50)] = 6
    retry_minutes: Annotated[float, Field(gt=0, le=1440)] = 5
    office: tuple[Recipient, ...] = ()
    units: dict[str, tuple[Recipient, ...]] = {}

    @field_validator("smtp_user_env", "smtp_password_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV.match(value):
            raise ValueError("expected the name of an environment variable")
        return value

    @field_validator("office", "units", mode="after")
    @classmethod
    def _valid_urls(cls, value: Any) -> Any:
        groups = value.items() if isinstance(value, dict) else [(None, value)]
        for unit, recipients in groups:
            where = f"unit {unit!r}: " if unit else ""
            for recipient in recipients:
                if isinstance(recipient, str):
                    try:
                        _check_apprise_url(recipient)
                    except ValueError as exc:
                        raise ValueError(f"{where}{exc}") from None
            written = [r if isinstance(r, str) else r.url_env for r in recipients]
            repeated = sorted({r for r in written if written.count(r) > 1})
            if repeated:
                raise ValueError(f"{where}recipient listed twice: {repeated[0]}")
        return value


class SchedulerSettings(_Section):
    """`[scheduler]`: when `monitor scheduler` runs the digest and its housekeeping jobs."""

    digest_at: dt.time = dt.time(7, 0)
    catch_up_hours: Annotated[float, Field(ge=0, le=24)] = 8
    health_check_minutes: Annotated[int, Field(ge=1, le=1440)] = 5
    delivery_minutes: Annotated[int, Field(ge=1, le=1440)] = 1
    lock_poll_seconds: Annotated[float, Field(gt=0, le=3600)] = 10

    @field_validator("digest_at", mode="before")
    @classmethod
    def _hhmm(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not _HHMM.match(value):
                raise ValueError('expected "HH:MM", e.g. "07:00"')
            return dt.time.fromisoformat(value)
        return value


class ReportsSettings(_Section):
    """`[reports]`: who receives the monthly satisfaction-risk report, and when the scheduler builds it (on
    the first working day of the month). E-mail recipients get the PDF and XLSX attached, others a link."""

    enabled: bool = True
    send_at: dt.time = dt.time(6, 30)
    recipients: tuple[Recipient, ...] = ()

    @field_validator("send_at", mode="before")
    @classmethod
    def _hhmm(cls, value: Any) -> Any:
        if isinstance(value, str):
            if not _HHMM.match(value):
                raise ValueError('expected "HH:MM", e.g. "06:30"')
            return dt.time.fromisoformat(value)
        return value

    @field_validator("recipients", mode="after")
    @classmethod
    def _valid_urls(cls, value: tuple[Recipient, ...]) -> tuple[Recipient, ...]:
        for recipient in value:
            if isinstance(recipient, str):
                _check_apprise_url(recipient)
        written = [r if isinstance(r, str) else r.url_env for r in value]
        repeated = sorted({r for r in written if written.count(r) > 1})
        if repeated:
            raise ValueError(f"recipient listed twice: {repeated[0]}")
        return value


class Settings(_Section):
    database: DatabaseSettings = DatabaseSettings()
    calendar: CalendarSettings = CalendarSettings()
    rules: RulesSettings = RulesSettings()
    connectors: tuple[ConnectorSettings, ...] = ()
    web: WebSettings = WebSettings()
    alerts: AlertsSettings = AlertsSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    reports: ReportsSettings = ReportsSettings()
    source: Path | None = None  # the file these settings came from, for messages

    @model_validator(mode="after")
    def _unique_connectors(self) -> Settings:
        names = [c.name for c in self.connectors]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"connector names must be unique; repeated: {', '.join(dupes)}")
        return self

    def connector(self, name: str) -> HttpConnectorSettings | FakeConnectorSettings | FileConnectorSettings:
        for c in self.connectors:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.connectors) or "none configured"
        raise ConfigError(f"no connector named {name!r} (known: {known})")


def secret(env: Mapping[str, str], name: str | None) -> str | None:
    """The secret held by the environment variable `name` (a `*_env` setting), or None."""
    return env.get(name) if name else None


def _location(loc: tuple[int | str, ...], data: Mapping[str, Any]) -> str:
    """Turn a pydantic error location into the key a person wrote: `[rules].max_reschedules`,
    `[[connectors]] "center".page_size`."""
    parts = [p for p in loc if not (isinstance(p, str) and p in {"http", "fake", "file"})]
    if not parts:
        return "(top level)"
    head, *rest = parts
    first = rest[0] if rest else None
    if head == "connectors" and isinstance(first, int):
        index = first
        rest = rest[1:]
        items = data.get("connectors") or []
        entry = items[index] if isinstance(items, list) and index < len(items) else {}
        name = entry.get("name") if isinstance(entry, dict) else None
        prefix = f"[[connectors]] #{index + 1}" + (f' "{name}"' if name else "")
    else:
        prefix = f"[{head}]" if rest else str(head)
    tail = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)
    return prefix + tail


def _describe(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    where = _location(tuple(error["loc"]), data)
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown key (check its spelling against docs/CONFIGURATION.md)"
    if error["type"] == "missing":
        return f"{where}: required key is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    got = error.get("input")
    shown = "" if isinstance(got, dict) else f" (got {got!r})"
    return f"{where}: {message}{shown}"


def parse_settings(data: Mapping[str, Any], env: Mapping[str, str], source: Path | None = None) -> Settings:
    """Validate a parsed TOML document and apply the environment overrides."""
    try:
        settings = Settings.model_validate({**data, "source": source})
    except ValidationError as exc:
        where = str(source) if source else "configuration"
        lines = "\n".join(f"  - {_describe(e, data)}" for e in exc.errors())
        raise ConfigError(f"invalid configuration in {where}:\n{lines}") from None
    url = env.get("MONITOR_DATABASE_URL") or settings.database.url
    try:
        database = DatabaseSettings(url=_anchor_sqlite(url, source))
    except ValidationError as exc:
        raise ConfigError(f"MONITOR_DATABASE_URL / [database].url: {exc.errors()[0]['msg']}") from None
    return settings.model_copy(update={"database": database})


def _anchor_sqlite(url: str, source: Path | None) -> str:
    """A relative SQLite path is relative to the config file's folder, not to wherever we were started."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == "sqlite:///:memory:" or source is None:
        return url
    path = Path(url.removeprefix(prefix))
    if path.is_absolute():
        return url
    return prefix + str((source.parent / path).resolve())


def load_settings(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings from `path`, else `MONITOR_CONFIG`, else ./config.toml."""
    env = os.environ if env is None else env
    chosen = Path(path or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = chosen.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {chosen}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {chosen}: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen} is not valid TOML: {exc}") from None
    return parse_settings(data, env, chosen.resolve())
