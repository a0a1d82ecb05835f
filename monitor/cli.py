"""The `monitor` command: every job by hand, for cron or a person."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from monitor.calendar import CalendarRangeError, LimitUnit, WorkCalendar
from monitor.config import DEFAULT_CONFIG, ConfigError, Settings, load_settings, parse_settings
from monitor.timeutil import iso, parse_instant

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = click.Choice(["table", "json"])


class AppContext:
    """What every command gets: the settings, loaded and validated once, on first use."""

    def __init__(self, config_path: str | None) -> None:
        self._path = config_path
        self._settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = self._load()
            except ConfigError as exc:
                click.echo(f"Lỗi cấu hình / configuration error: {exc}", err=True)
                sys.exit(2)
        return self._settings

    def _load(self) -> Settings:
        import os

        explicit = self._path or os.environ.get("MONITOR_CONFIG")
        if explicit is None and not Path(DEFAULT_CONFIG).exists():
            return parse_settings({}, os.environ)  # no file anywhere: the documented defaults
        return load_settings(explicit)

    def calendar(self) -> WorkCalendar:
        cal = self.settings.calendar
        return WorkCalendar(cal.office_hours, cal.extra_holidays, cal.extra_workdays)


pass_app = click.make_pass_decorator(AppContext)


def fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="PATH", help="config.toml to use (default: ./config.toml)")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Theo dõi hồ sơ TTHC đúng hạn — the dossier monitor."""
    ctx.obj = AppContext(config_path)


def _instant(_ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


@main.command()
@click.option(
    "--received", required=True, callback=_instant, help="received time, ISO 8601 (local if no offset)"
)
@click.option("--days", type=click.FloatRange(min=0), help="limit in working days")
@click.option("--hours", type=click.FloatRange(min=0), help="limit in working hours")
@click.option("--calendar-days", type=click.IntRange(min=0), help="limit in calendar days")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@pass_app
def due(
    app: AppContext,
    received: Any,
    days: float | None,
    hours: float | None,
    calendar_days: int | None,
    fmt: str,
) -> None:
    """Print the statutory due instant of a dossier received at RECEIVED (domain.md §3)."""
    given = [
        (v, u)
        for v, u in (
            (days, LimitUnit.WORKING_DAYS),
            (hours, LimitUnit.WORKING_HOURS),
            (calendar_days, LimitUnit.CALENDAR_DAYS),
        )
        if v is not None
    ]
    if len(given) != 1:
        raise click.UsageError("give exactly one of --days, --hours, --calendar-days")
    limit, unit = given[0]
    try:
        result = app.calendar().due(received, limit, unit)
    except CalendarRangeError as exc:
        raise click.BadParameter(str(exc), param_hint="--received") from None
    if fmt == "json":
        payload = {"received": iso(received), "limit": _number(limit), "unit": unit.key, "due": iso(result)}
        click.echo(json.dumps(payload, ensure_ascii=False))
    else:
        click.echo(iso(result))


@main.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="target revision")
@pass_app
def db_upgrade(app: AppContext, revision: str) -> None:
    """Create or migrate the database schema."""
    from monitor import migrate
    from monitor.db import make_engine

    engine = make_engine(app.settings.database)
    before = migrate.current(engine)
    try:
        migrate.upgrade(engine, revision)
    except Exception as exc:
        fail(f"migration failed at revision {before or 'empty'}: {exc}")
    after = migrate.current(engine)
    click.echo(
        f"database at revision {after} (was {before or 'empty'}): {_redact(app.settings.database.url)}"
    )


@db.command("downgrade")
@click.option("--revision", required=True, help="target revision, or 'base' to drop everything")
@pass_app
def db_downgrade(app: AppContext, revision: str) -> None:
    """Migrate the schema down (for rolling back a release)."""
    from monitor import migrate
    from monitor.db import make_engine

    engine = make_engine(app.settings.database)
    migrate.downgrade(engine, revision)
    click.echo(f"database at revision {migrate.current(engine) or 'empty'}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.option("--bind", metavar="HOST:PORT", help="address to listen on (default from [web].bind)")
@click.option("--workers", type=click.IntRange(1, 64), help="gunicorn workers (default from [web].workers)")
@pass_app
def serve(app: AppContext, bind: str | None, workers: int | None) -> None:
    """Run the web application under gunicorn; never runs periodic jobs."""
    from monitor.web.server import serve as run

    run(app.settings, bind or app.settings.web.bind, workers or app.settings.web.workers)


@main.command()
@pass_app
def demo(app: AppContext) -> None:
    """Everything on the embedded default, for a first look."""
    from monitor.demo import run_demo

    run_demo(app.settings)


# Commands that drive a service live beside it; importing the module registers them on `main`.
# -- command modules --
from monitor import cli_alerts, cli_report, cli_rules, cli_sync, cli_users  # noqa: E402, F401, I001
# -- end of command modules --

if __name__ == "__main__":
    main()
