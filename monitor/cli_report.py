"""`monitor report`: the monthly satisfaction-risk report by hand: print it, write its files, store a new
run (regenerate) or send it to the `[reports]` recipients."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from monitor.cli import AppContext, fail, main, pass_app
from monitor.reports import labels

REPORT_FORMATS = click.Choice(["table", "json", "xlsx", "pdf"])


def _month(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    from monitor.indicators import month_bounds

    try:
        month_bounds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param=param) from None
    return value.strip()


def _progress(text: str) -> None:
    click.echo(f"  … {text}", err=True)


def _table(report: dict[str, Any]) -> str:
    head = f"Báo cáo rủi ro mức độ hài lòng tháng {labels.month_label(report['month'])}"
    rows = [("Đơn vị", "Hồ sơ", "Trước hạn", "Đúng ngày", "Quá hạn", "Tỷ lệ đúng hạn", "Chỉ số HL", "Rủi ro")]
    for f in [*report["units"], {**report["total"], "unit_name": labels.TOTAL_NAME}]:
        rows.append(
            (
                f["unit_name"],
                labels.number(f["in_scope"]),
                labels.number(f["early"]),
                labels.number(f["on_day"]),
                labels.number(f["late"]),
                labels.pct(f["on_time_rate"]),
                labels.pct(f["satisfaction_proxy"]),
                labels.risk(f["risk_band"]),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [head, ""]
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def _write(data: bytes, out: str | None, fmt: str) -> None:
    if out is not None:
        Path(out).write_bytes(data)
        click.echo(f"đã ghi {out}", err=True)
    elif sys.stdout.isatty() and fmt in {"xlsx", "pdf"}:
        fail(f"--format {fmt} writes a binary file: give --out PATH (or redirect the output)", 2)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@main.command()
@click.option("--month", required=True, callback=_month, metavar="YYYY-MM", help="the month to report on")
@click.option("--format", "fmt", type=REPORT_FORMATS, default="table", show_default=True)
@click.option("--out", metavar="PATH", help="write to this file instead of standard output")
@click.option("--store", is_flag=True, help="store a new report run (replaces the month's current files)")
@click.option("--send", is_flag=True, help="store it and send it to [reports].recipients (once per month)")
@click.option("--resend", is_flag=True, help="with --send: send again even if this month's report went out")
@pass_app
def report(
    app: AppContext, month: str, fmt: str, out: str | None, store: bool, send: bool, resend: bool
) -> None:
    """The monthly satisfaction-risk report (domain.md §6) for MONTH."""
    from sqlalchemy.exc import SQLAlchemyError

    from monitor.db import make_engine, session_factory
    from monitor.reports.pdf import render_pdf
    from monitor.reports.sending import send_report
    from monitor.reports.service import ReportError, compute_report, generate
    from monitor.reports.xlsx import render_xlsx

    if resend and not send:
        raise click.UsageError("--resend only makes sense with --send")
    settings = app.settings
    calendar = app.calendar()
    engine = make_engine(settings.database)
    sessions = session_factory(engine)
    now = dt.datetime.now(dt.UTC)
    xlsx = pdf = None
    try:
        if store or send:
            run = generate(
                sessions, settings, calendar, month, now=now, trigger="command", progress=_progress
            )
            figures, xlsx, pdf = run.figures or {}, run.xlsx, run.pdf
            click.echo(f"đã lưu báo cáo tháng {labels.month_label(month)} (lần tạo #{run.id})", err=True)
            if send:
                result = send_report(sessions, settings, run, now, resend=resend)
                for label in result.sent:
                    click.echo(f"đã gửi: {label}", err=True)
                for label in result.skipped:
                    click.echo(f"đã gửi trước đó, bỏ qua (dùng --resend để gửi lại): {label}", err=True)
                for label, error in result.failed.items():
                    click.echo(f"GỬI THẤT BẠI: {label}: {error}", err=True)
                if not settings.reports.recipients:
                    click.echo("chưa cấu hình người nhận ([reports].recipients)", err=True)
                if result.failed:
                    sys.exit(1)
        else:
            with sessions() as session:
                figures = compute_report(session, settings, calendar, month, _progress)
    except ReportError as exc:
        fail(f"Lỗi: {exc}")
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        fail(f"Lỗi cơ sở dữ liệu / database error: {first} (has `monitor db upgrade` been run?)")
    finally:
        engine.dispose()
    if fmt == "table":
        _write((_table(figures) + "\n").encode(), out, fmt)
    elif fmt == "json":
        _write((json.dumps(figures, ensure_ascii=False, indent=2) + "\n").encode(), out, fmt)
    elif fmt == "xlsx":
        _write(xlsx or render_xlsx(figures), out, fmt)
    else:
        _write(pdf or render_pdf(figures), out, fmt)
