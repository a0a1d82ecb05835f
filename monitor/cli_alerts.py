"""`monitor alerts send` and `monitor scheduler`."""

from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import threading
from types import FrameType
from typing import Any

import click

from monitor.cli import FORMATS, AppContext, _instant, main, pass_app
from monitor.timeutil import fmt_date, iso


@main.group()
def alerts() -> None:
    """Daily digests for unit heads and the office's connector alerts."""


@alerts.command("send")
@click.option("--now", callback=_instant, help="send as of this time, ISO 8601 (default: now)")
@click.option("--dry-run", is_flag=True, help="print the digests instead of sending them")
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@pass_app
def alerts_send(app: AppContext, now: dt.datetime | None, dry_run: bool, fmt: str) -> None:
    """Send today's digests (nothing on a day off, nothing twice) and retry pending deliveries."""
    from monitor.alerts.jobs import digest_job
    from monitor.db import make_engine, session_factory, utcnow

    settings = app.settings
    if not settings.alerts.units:
        click.echo("Chưa cấu hình người nhận: thêm [alerts.units] vào config.toml (no recipients).", err=True)
    engine = make_engine(settings.database)
    try:
        run = digest_job(settings, session_factory(engine), now or utcnow(), dry_run=dry_run)
    finally:
        engine.dispose()
    failed = run.delivery.failed
    if fmt == "json":
        payload: dict[str, Any] = {
            "day": run.day.isoformat(),
            "working_day": run.working_day,
            "dry_run": dry_run,
            "queued": run.queued,
            "units": sorted(run.messages),
            "empty_units": run.empty_units,
            "sent": run.delivery.sent,
            "retrying": run.delivery.retrying,
            "failed": failed,
        }
        if dry_run:
            payload["messages"] = {u: {"subject": m.subject, "text": m.text} for u, m in run.messages.items()}
        click.echo(json.dumps(payload, ensure_ascii=False))
    elif not run.working_day:
        click.echo(f"{fmt_date(run.day)} không phải ngày làm việc: không gửi cảnh báo (not a working day).")
    elif dry_run:
        for unit, message in sorted(run.messages.items()):
            click.echo(f"=== {unit}: {message.subject}\n{message.text}")
        if run.empty_units:
            click.echo(f"Không có gì để báo (nothing to report): {', '.join(run.empty_units)}")
    else:
        click.echo(
            f"{fmt_date(run.day)}: {len(run.messages)} đơn vị có cảnh báo, {run.queued} thư mới xếp hàng; "
            f"đã gửi {run.delivery.sent}, chờ gửi lại {run.delivery.retrying}, lỗi {failed}"
        )
    if failed:
        raise SystemExit(1)


@main.command()
@pass_app
def scheduler(app: AppContext) -> None:
    """The one process that runs periodic jobs (sync, evaluate, digest, connector watch, deliveries).

    A second scheduler against the same database waits until the first stops. SIGTERM stops it after
    the running jobs finish."""
    from monitor.scheduler import SchedulerService

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    service = SchedulerService(app.settings, say=lambda text: click.echo(f"{iso(_now())} scheduler: {text}"))

    received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Only a list append: stopping takes locks, and a handler that takes a lock the interrupted
        # main thread holds deadlocks. The main thread watches the list and stops the service.
        received.append(signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = threading.Thread(target=service.run, name="scheduler")
    worker.start()
    while worker.is_alive() and not received:
        worker.join(timeout=0.2)
    if received:
        click.echo(f"{iso(_now())} scheduler: {signal.Signals(received[0]).name} received; stopping")
        service.shutdown(wait=False)
    worker.join()


def _now() -> dt.datetime:
    from monitor.db import utcnow

    return utcnow()
