"""The Flask application factory: a short list of init calls, settings passed in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, abort, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import Babel
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from monitor.config import Settings
from monitor.db import make_engine, session_factory
from monitor.web.cache import FiguresCache
from monitor.web.context import close_db


def create_app(settings: Settings, overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(_templates()))
    secret = os.environ.get(settings.web.secret_key_env) or os.urandom(32).hex()
    app.config.update(
        SECRET_KEY=secret,
        JSON_AS_ASCII=False,
        BABEL_DEFAULT_LOCALE="vi",
        BABEL_DEFAULT_TIMEZONE="Asia/Ho_Chi_Minh",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; a long form is not refused
        MAX_CONTENT_LENGTH=1_000_000,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.web.secure_cookies,
    )
    app.config.update(overrides or {})
    engine = make_engine(settings.database)
    app.extensions["monitor"] = {
        "settings": settings,
        "engine": engine,
        "sessions": session_factory(engine),
        "cache": FiguresCache(settings.web.overview_cache_seconds),
    }
    app.teardown_appcontext(close_db)
    Babel(app)
    csrf = CSRFProtect(app)

    from monitor.web import admin, api, auth, health, overview, reports, sync_page, templating, violations

    auth.init_app(app)
    templating.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(overview.bp)
    app.register_blueprint(violations.bp)
    app.register_blueprint(sync_page.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reports.bp)
    csrf.exempt(api.bp)  # bearer tokens, never cookies: no cross-site request can carry one
    csrf.exempt(health.bp)
    app.before_request(_refuse_nul)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _refuse_nul() -> None:
    # PostgreSQL cannot store or compare text containing NUL; say so instead of failing in the driver.
    values = [request.path, *request.args.values()]
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        values += list(request.form.values())
    if any("\x00" in v for v in values):
        abort(400, description="the request contains a NUL character")


def _csrf_error(exc: CSRFError) -> ResponseReturnValue:
    message = "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ (CSRF). Hãy tải lại trang và gửi lại."
    return render_template("error.html", code=400, message=message), 400


ERROR_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền xem hoặc thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc dữ liệu bạn cần (hoặc bạn không có quyền xem).",
    405: "Thao tác không được hỗ trợ.",
    413: "Dữ liệu gửi lên quá lớn.",
}


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    code = exc.code or 500
    if request.path.startswith("/api/"):  # routing errors never reach the API blueprint's handler
        return jsonify({"error": exc.description or exc.name}), code
    message = ERROR_MESSAGES.get(code, exc.description or "Đã có lỗi.")
    return render_template("error.html", code=code, message=message), code


def _templates() -> Path:
    return Path(__file__).resolve().parents[2] / "templates"
