"""The Flask application factory: a short list of init calls, settings passed in."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from monitor.config import Settings
from monitor.db import make_engine, session_factory


def create_app(settings: Settings, overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(_templates()))
    secret = os.environ.get(settings.web.secret_key_env) or os.urandom(32).hex()
    app.config.update(SECRET_KEY=secret, JSON_AS_ASCII=False)
    app.config.update(overrides or {})
    engine = make_engine(settings.database)
    app.extensions["monitor"] = {"settings": settings, "engine": engine, "sessions": session_factory(engine)}

    from monitor.web import health

    app.register_blueprint(health.bp)
    return app


def _templates() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "templates"
