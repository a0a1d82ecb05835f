"""`/healthz`: is the database up, and is every connector's last successful sync recent enough."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from monitor.db import ping, utcnow
from monitor.health import connector_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    ext = current_app.extensions["monitor"]
    error = ping(ext["engine"])
    if error:
        return jsonify({"status": "error", "database": error}), 503
    with ext["sessions"]() as session:
        connectors = connector_health(ext["settings"], session, utcnow())
    stale = any(c["stale"] for c in connectors)
    body = {"status": "stale" if stale else "ok", "database": "ok", "connectors": connectors}
    return jsonify(body), 503 if stale else 200
