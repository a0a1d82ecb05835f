"""`monitor sync` and `monitor fake-center`."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click
from sqlalchemy.exc import DBAPIError

from monitor.cli import FORMATS, AppContext, _instant, fail, main, pass_app
from monitor.sync import SyncProgress, SyncSummary


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator


def _progress_line(p: SyncProgress) -> None:
    where = f"tệp {p.label}" if p.label else f"trang {p.page}"
    of = f"/{_n(p.total)}" if p.total is not None else ""
    click.echo(
        f"  {p.connector}: {where} — {_n(p.fetched)}{of} bản ghi (mới {_n(p.inserted)}, cập nhật "
        f"{_n(p.updated)}, không đổi {_n(p.unchanged)}, bị loại {_n(p.rejected)})",
        err=True,
    )


def _table_line(s: SyncSummary) -> str:
    head = "thành công" if s.status == "success" else "THẤT BẠI"
    line = (
        f"{s.connector}: {head} — nhận {_n(s.fetched)}, mới {_n(s.inserted)}, cập nhật {_n(s.updated)}, "
        f"không đổi {_n(s.unchanged)}, bị loại {_n(s.rejected)}"
    )
    return line + (f"\n  lỗi / error: {s.error}" if s.error else "")


@main.command()
@click.option("--connector", "name", metavar="NAME", help="only this connector (default: every enabled one)")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@pass_app
def sync(app: AppContext, name: str | None, fmt: str) -> None:
    """Pull every (or one) connector once and store what changed."""
    from monitor.config import ConfigError
    from monitor.db import make_engine, session_factory
    from monitor.sync import sync_all, sync_connector

    settings = app.settings
    if name is not None:
        try:
            settings.connector(name)
        except ConfigError as exc:
            raise click.BadParameter(str(exc), param_hint="--connector") from None
    elif not any(c.enabled for c in settings.connectors):
        fail("no enabled connector in [[connectors]] of the configuration; nothing to sync")
    engine = make_engine(settings.database)
    sessions = session_factory(engine)
    progress = _progress_line if sys.stderr.isatty() else None
    try:
        if name is not None:
            summaries = [sync_connector(settings, sessions, name, progress=progress)]
        else:
            summaries = sync_all(settings, sessions, progress=progress)
    except DBAPIError as exc:  # before a run row can even be written: no schema, server down
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        fail(f"the database cannot record a sync ({first}); is it up, and was `monitor db upgrade` run?")
        return
    finally:
        engine.dispose()
    if fmt == "json":
        click.echo(json.dumps([s.as_json() for s in summaries], ensure_ascii=False))
    else:
        for s in summaries:
            click.echo(_table_line(s))
    if any(s.status != "success" for s in summaries):
        sys.exit(1)


@main.command("fake-center")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="same seed, same department")
@click.option("--size", type=click.IntRange(1), default=3000, show_default=True, help="dossiers in a year")
@click.option("--speed", type=click.FloatRange(0), default=1.0, show_default=True,
              help="simulated seconds per real second")  # fmt: skip
@click.option("--now", "start", callback=_instant, help="the simulated time at start (default: now)")
@click.option("--token-env", metavar="NAME", help="require the token held by this environment variable")
@pass_app
def fake_center(
    app: AppContext,
    host: str,
    port: int,
    seed: int,
    size: int,
    speed: float,
    start: Any,
    token_env: str | None,
) -> None:
    """Serve the reference center API with a simulated Sở Khoa học và Công nghệ, until Ctrl+C."""
    from connectors.fake import FakeCenter, make_server

    token = os.environ.get(token_env) if token_env else None
    if token_env and not token:
        fail(f"environment variable {token_env} (--token-env) is not set")
    click.echo(f"Đang tạo {_n(size)} hồ sơ mô phỏng (seed {seed})…", err=True)
    center = FakeCenter(seed=seed, size=size, now=start, speed=speed, token=token)
    try:
        server, _stop = make_server(center, host, port)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror}")
        return
    click.echo(
        f"Trung tâm giả lập / fake center: http://{host}:{server.server_address[1]}/api/v1/hoso "
        f"(giờ giả lập {center.now():%d/%m/%Y %H:%M}, tốc độ ×{speed:g}). Dừng: Ctrl+C",
        err=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
