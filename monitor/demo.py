"""`monitor demo`: the product on the embedded default, for a first look."""

from __future__ import annotations

import click

from monitor import migrate
from monitor.config import Settings
from monitor.db import make_engine
from monitor.web.server import serve


def run_demo(settings: Settings) -> None:
    engine = make_engine(settings.database)
    migrate.upgrade(engine)
    engine.dispose()
    bind = settings.web.bind
    click.echo(
        f"\n  Theo dõi hồ sơ TTHC — dossier monitor\n"
        f"  Mở / open:        http://{bind}/healthz\n"
        f"  Cơ sở dữ liệu:    {settings.database.url}\n"
        f"  Dừng / stop:      Ctrl+C\n"
    )
    serve(settings, bind, 1)
