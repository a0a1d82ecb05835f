"""Signing in and out, who may do what, and the headers every response carries.

Sessions are Flask-Login's; the session id embeds part of the password hash, so changing a password
signs out every other session. Roles: admin, office (all units), unit_head (own unit only), viewer
(read-only, all units)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from monitor import users
from monitor.models import User
from monitor.timeutil import fmt_datetime
from monitor.web.context import db, now, settings

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class Account(UserMixin):  # type: ignore[misc]
    """The signed-in person as Flask-Login sees it, wrapping the `User` row."""

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.password_hash[-16:]}"

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def unit_code(self) -> str | None:
        return self.user.unit_code

    @property
    def email(self) -> str:
        return self.user.email


def me() -> User:
    """The signed-in user's row (only inside views that require a sign-in)."""
    return cast(Account, current_user).user


def _load(session_id: str) -> Account | None:
    user_id, _, fingerprint = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db().get(User, int(user_id))
    if user is None or not user.active or user.password_hash[-16:] != fingerprint:
        return None
    return Account(user)


def init_app(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "auth.login"
    manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(_load)
    manager.init_app(app)
    app.after_request(_security_headers)
    app.register_blueprint(bp)


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


def roles_required(*roles: str) -> Callable[[F], F]:
    """Signed in, and one of these roles; otherwise the sign-in page or 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return cast(Any, current_app_login_manager()).unauthorized()
            if roles and me().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def current_app_login_manager() -> LoginManager:
    from flask import current_app

    return cast(LoginManager, current_app.login_manager)  # type: ignore[attr-defined]


ANY_ROLE = ("admin", "office", "unit_head", "viewer")
login_required = roles_required(*ANY_ROLE)


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Thư điện tử", validators=[DataRequired("Nhập địa chỉ thư điện tử")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu")])


def _safe_next(target: str | None) -> str:
    # Only local paths: an absolute URL here would turn the sign-in page into an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("overview.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session = db()
        web = settings().web
        result = users.authenticate(
            session,
            form.email.data or "",
            form.password.data or "",
            now(),
            max_failures=web.login_max_failures,
            lock_minutes=web.login_lock_minutes,
        )
        session.commit()
        if result.user is not None:
            login_user(Account(result.user))
            return redirect(_safe_next(request.args.get("next")))
        status = 401
        if result.locked_until is not None:
            flash(
                "Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau "
                f"{fmt_datetime(result.locked_until)}.",
                "error",
            )
        else:
            flash("Thư điện tử hoặc mật khẩu không đúng.", "error")
    elif request.method == "POST":
        status = 400
    return render_template("login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    logout_user()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
