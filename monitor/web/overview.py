"""The overview (`/`): one row per unit with its active violations by rule, due-soon dossiers, this
month's on-time rate and 766 points and a trend sparkline; a banner when a sync is stale or failing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from monitor.health import connector_health
from monitor.models import SyncRun, Violation
from monitor.web import figures
from monitor.web.auth import login_required, me
from monitor.web.context import db, ext, now, settings
from monitor.web.labels import ACTIVE_STATUSES, VIOLATION_RULES
from monitor.web.queries import units

bp = Blueprint("overview", __name__)


def sync_problems() -> list[str]:
    """Sentences for the banner: stale connectors and connectors whose last run failed."""
    session = db()
    problems = []
    for row in connector_health(settings(), session, now()):
        if row["stale"]:
            problems.append(
                f"Dữ liệu từ nguồn “{row['connector']}” đã cũ: lần đồng bộ thành công gần nhất "
                f"{'chưa có' if row['last_success'] is None else 'cách đây ' + _age(row['age_seconds'])}."
            )
    for connector in settings().connectors:
        last = session.scalar(
            select(SyncRun)
            .where(SyncRun.connector == connector.name)
            .order_by(SyncRun.started_at.desc())
            .limit(1)
        )
        if last is not None and last.status == "failed":
            problems.append(
                f"Lần đồng bộ gần nhất của “{connector.name}” bị lỗi: {last.error or 'không rõ lỗi'}"
            )
    return problems


def _age(seconds: int | None) -> str:
    minutes = (seconds or 0) // 60
    if minutes < 120:
        return f"{minutes} phút"
    hours = minutes // 60
    return f"{hours} giờ" if hours < 48 else f"{hours // 24} ngày"


def overview_figures() -> dict[str, Any]:
    current = now()
    data: dict[str, Any] = ext()["cache"].get(
        "overview", current, lambda: figures.compute(db(), settings(), current)
    )
    return data


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    user = me()
    data = overview_figures()
    visible = [u for u in units(db()) if user.role != "unit_head" or u.code == user.unit_code]
    rows = [(u, data["units"].get(u.code) or figures.UnitFigures()) for u in visible]
    todo: list[Any] = []
    if user.role == "unit_head":
        todo = list(
            db().scalars(
                select(Violation)
                .where(Violation.unit_code == user.unit_code, Violation.status.in_(("open", "rejected")))
                .order_by(Violation.detected_at.desc())
                .limit(10)
            )
        )
    totals = figures.UnitFigures()
    for _, f in rows:
        for rule, n in f.open_by_rule.items():
            totals.open_by_rule[rule] = totals.open_by_rule.get(rule, 0) + n
        totals.due_soon += f.due_soon
    return render_template(
        "overview.html",
        rows=rows,
        totals=totals,
        rules=VIOLATION_RULES,
        problems=sync_problems(),
        todo=todo,
        active=ACTIVE_STATUSES,
        computed_at=data["computed_at"],
    )
