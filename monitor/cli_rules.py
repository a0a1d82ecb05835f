"""`monitor evaluate`, `monitor dossiers` and `monitor violations` (field names per interfaces.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click
from sqlalchemy import func, select

from monitor.calendar import LOCAL_TZ
from monitor.cli import AppContext, _instant, main, pass_app
from monitor.config import RULE_CODES
from monitor.labels import DOSSIER_STATUS_LABELS, VIOLATION_STATUS_LABELS
from monitor.models import STATUSES, Dossier, Judgement, SupplementRequest, Violation
from monitor.rules import LABELS
from monitor.timeutil import fmt_datetime, iso

LISTING_FORMATS = click.Choice(["table", "json", "csv"])
DOSSIER_FIELDS = (
    "code",
    "unit_code",
    "procedure_code",
    "status",
    "received_at",
    "due_at",
    "effective_due_at",
    "statutory_due_at",
    "end_at",
    "supplement_requests",
    "paused",
    "due_soon",
)
VIOLATION_FIELDS = ("id", "rule", "dossier_code", "unit_code", "step", "status", "detected_at", "details")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@main.command()
@click.option("--now", callback=_instant, help="judge as of this time, ISO 8601 (default: now)")
@click.option("--full", is_flag=True, help="judge every dossier again (after a change of rules or calendar)")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def evaluate(app: AppContext, now: dt.datetime | None, full: bool, fmt: str) -> None:
    """Run the rules as of NOW: store the judged fields, open and resolve violations."""
    from monitor.calendar import CalendarRangeError
    from monitor.db import make_engine, session_factory
    from monitor.evaluate import evaluate as run

    settings = app.settings
    when = now or dt.datetime.now(LOCAL_TZ)  # the command line is the boundary that may read the clock
    engine = make_engine(settings.database)

    def progress(message: str) -> None:
        if sys.stderr.isatty():
            click.echo(f"  … {message}", err=True)

    try:
        summary = run(settings, session_factory(engine), when, full=full, progress=progress)
    except CalendarRangeError as exc:
        raise click.ClickException(f"không đánh giá được / cannot evaluate: {exc}") from None
    finally:
        engine.dispose()
    if fmt == "json":
        click.echo(json.dumps(summary.as_json(), ensure_ascii=False))
        return
    scope = "toàn bộ" if full else "đang mở hoặc có thay đổi"
    click.echo(
        f"Đánh giá lúc {fmt_datetime(summary.now)} ({scope}): {_n(summary.evaluated)} hồ sơ; "
        f"phát hiện {_n(summary.opened)} vi phạm (mở lại {_n(summary.reopened)}), "
        f"đã khắc phục {_n(summary.resolved)}; đang mở {_n(summary.open_total)}."
    )


@main.command()
@click.option("--unit", metavar="CODE", help="only this handling unit")
@click.option("--code", metavar="CODE", help="only this dossier code")
@click.option("--due-soon", is_flag=True, help="only dossiers due soon (as of the last evaluation)")
@click.option("--format", "fmt", type=LISTING_FORMATS, default="table", show_default=True)
@pass_app
def dossiers(app: AppContext, unit: str | None, code: str | None, due_soon: bool, fmt: str) -> None:
    """Every stored dossier with its judged fields (null where not computable)."""
    from monitor.db import make_engine

    d, j, s = Dossier.__table__.c, Judgement.__table__.c, SupplementRequest.__table__.c
    counts = select(s.dossier_id, func.count().label("n")).group_by(s.dossier_id).subquery()
    statement = (
        select(
            d.code,
            d.unit_code,
            d.procedure_code,
            d.status,
            d.received_at,
            j.base_due_at,
            j.effective_due_at,
            j.statutory_due_at,
            j.end_at,
            func.coalesce(counts.c.n, 0),
            j.paused,
            j.due_soon,
        )
        .select_from(Dossier.__table__)
        .outerjoin(Judgement.__table__, j.dossier_id == d.id)
        .outerjoin(counts, counts.c.dossier_id == d.id)
        .order_by(d.received_at, d.code)
    )
    if unit:
        statement = statement.where(d.unit_code == unit)
    if code:
        statement = statement.where(d.code == code)
    if due_soon:
        statement = statement.where(j.due_soon.is_(True))
    engine = make_engine(app.settings.database)
    try:
        with engine.connect() as conn:
            rows = [dict(zip(DOSSIER_FIELDS, row, strict=True)) for row in conn.execute(statement)]
    finally:
        engine.dispose()
    for row in rows:
        row["supplement_requests"] = int(row["supplement_requests"])
    headers = {
        "code": "Mã hồ sơ",
        "unit_code": "Đơn vị",
        "status": "Trạng thái",
        "received_at": "Tiếp nhận",
        "effective_due_at": "Hạn xử lý",
        "end_at": "Kết thúc",
        "supplement_requests": "Bổ sung",
        "paused": "Tạm dừng",
        "due_soon": "Sắp đến hạn",
    }
    _emit(rows, DOSSIER_FIELDS, headers, fmt, empty="Không có hồ sơ nào.")


@main.command()
@click.option("--unit", metavar="CODE", help="only violations attributed to this unit")
@click.option("--rule", type=click.Choice([c for c in RULE_CODES if c != "due_soon"]), help="only this rule")
@click.option("--status", type=click.Choice(STATUSES), help="only this status")
@click.option("--format", "fmt", type=LISTING_FORMATS, default="table", show_default=True)
@pass_app
def violations(app: AppContext, unit: str | None, rule: str | None, status: str | None, fmt: str) -> None:
    """Violations found by the rules (warnings such as due_soon are not violations)."""
    from monitor.db import make_engine

    v, d = Violation.__table__.c, Dossier.__table__.c
    statement = (
        select(v.id, v.rule, d.code, v.unit_code, v.step, v.status, v.detected_at, v.details)
        .join(Dossier.__table__, d.id == v.dossier_id)
        .order_by(v.detected_at, v.id)
    )
    if unit:
        statement = statement.where(v.unit_code == unit)
    if rule:
        statement = statement.where(v.rule == rule)
    if status:
        statement = statement.where(v.status == status)
    engine = make_engine(app.settings.database)
    try:
        with engine.connect() as conn:
            rows = [dict(zip(VIOLATION_FIELDS, row, strict=True)) for row in conn.execute(statement)]
    finally:
        engine.dispose()
    for row in rows:
        row["step"] = row["step"] or None  # stored 0 when the rule is not about a step
    headers = {
        "id": "Số",
        "rule": "Vi phạm",
        "dossier_code": "Mã hồ sơ",
        "unit_code": "Đơn vị",
        "step": "Bước",
        "status": "Tình trạng",
        "detected_at": "Phát hiện lúc",
    }
    _emit(rows, VIOLATION_FIELDS, headers, fmt, empty="Không có vi phạm nào.")


def _json_value(value: Any) -> Any:
    return iso(value) if isinstance(value, dt.datetime) else value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso(value) or ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _table_value(name: str, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dt.datetime):
        return fmt_datetime(value)
    if name == "rule":
        return str(LABELS.get(value, value))
    if name == "status" and isinstance(value, str):
        return VIOLATION_STATUS_LABELS.get(value, value)
    if name == "status" and isinstance(value, int):
        return DOSSIER_STATUS_LABELS.get(value, str(value))
    return str(value)


def _emit(
    rows: Sequence[dict[str, Any]], fields: Sequence[str], headers: dict[str, str], fmt: str, empty: str
) -> None:
    if fmt == "json":
        click.echo(json.dumps([{k: _json_value(r[k]) for k in fields} for r in rows], ensure_ascii=False))
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([_csv_value(r[k]) for k in fields] for r in rows)
        click.echo(out.getvalue(), nl=False)
    elif not rows:
        click.echo(empty)
    else:
        click.echo(_table(rows, headers))
        click.echo(f"Tổng: {_n(len(rows))}")


def _table(rows: Iterable[dict[str, Any]], headers: dict[str, str]) -> str:
    cells = [[_table_value(k, r[k]) for k in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers.values())]
    line = "  ".join(h.ljust(w) for h, w in zip(headers.values(), widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join([line.rstrip(), "  ".join("-" * w for w in widths), *body])
