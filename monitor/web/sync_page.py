"""The sync page: recent runs per connector with their counts and errors, records the center sent that
could not be stored (with the reason), and alert deliveries that failed."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from monitor.health import connector_health
from monitor.models import Delivery, RejectedRecord, SyncRun
from monitor.web.auth import roles_required
from monitor.web.context import db, now, settings

bp = Blueprint("sync", __name__)
RECENT_RUNS = 20
RECENT_ROWS = 100


@bp.get("/sync")
@roles_required("admin", "office", "viewer")
def index() -> ResponseReturnValue:
    session = db()
    names = [c.name for c in settings().connectors]
    names += [n for n in session.scalars(select(SyncRun.connector).distinct()) if n not in names]
    runs = {
        name: list(
            session.scalars(
                select(SyncRun)
                .where(SyncRun.connector == name)
                .order_by(SyncRun.started_at.desc())
                .limit(RECENT_RUNS)
            )
        )
        for name in names
    }
    health = {row["connector"]: row for row in connector_health(settings(), session, now())}
    rejected = list(
        session.scalars(select(RejectedRecord).order_by(RejectedRecord.id.desc()).limit(RECENT_ROWS))
    )
    # Alert deliveries that gave up (helper D's outbox); shown here so nobody has to read a log.
    failed = list(
        session.scalars(
            select(Delivery)
            .where(Delivery.status == "failed")
            .order_by(Delivery.id.desc())
            .limit(RECENT_ROWS)
        )
    )
    return render_template("sync.html", runs=runs, health=health, rejected=rejected, failed=failed)
