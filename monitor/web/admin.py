"""The admin page: users, their roles and units, activation, password resets and API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from monitor import users
from monitor.models import ROLES, ApiToken, User
from monitor.web.auth import me, roles_required
from monitor.web.context import db, now
from monitor.web.labels import ROLE_LABELS
from monitor.web.queries import units

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required("admin")
def index() -> ResponseReturnValue:
    session = db()
    people = list(session.scalars(select(User).order_by(User.role, User.email)))
    tokens = list(session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))
    return render_template(
        "admin_users.html",
        people=people,
        tokens=tokens,
        units=units(session),
        roles=ROLES,
        role_labels=ROLE_LABELS,
    )


def _unit(value: str | None) -> str | None:
    return (value or "").strip() or None


@bp.post("/users")
@roles_required("admin")
def create() -> ResponseReturnValue:
    session = db()
    form = request.form
    try:
        user, password = users.create_user(
            session,
            email=form.get("email", ""),
            role=form.get("role", ""),
            unit_code=_unit(form.get("unit_code")),
            password=form.get("password") or None,
            name=(form.get("name") or "").strip() or None,
        )
    except users.UserError as exc:
        session.rollback()
        flash(f"Không tạo được người dùng: {exc}", "error")
        return redirect(url_for("admin.index"))
    session.commit()
    shown = "" if form.get("password") else f" Mật khẩu (chỉ hiện một lần): {password}"
    flash(f"Đã tạo {user.email}.{shown}", "success")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>")
@roles_required("admin")
def update(user_id: int) -> ResponseReturnValue:
    session = db()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    form = request.form
    role, unit_code = form.get("role", user.role), _unit(form.get("unit_code"))
    try:
        users.validate(session, email=user.email, role=role, unit_code=unit_code)
        if user.id == me().id and (role != "admin" or form.get("active") != "1"):
            raise users.UserError("không thể tự bỏ quyền quản trị hoặc tự khóa tài khoản của mình")
        user.role, user.unit_code = role, unit_code
        user.active = form.get("active") == "1"
        if form.get("unlock") == "1":
            user.locked_until, user.failed_logins = None, 0
        if form.get("password"):
            users.set_password(user, form["password"])
    except users.UserError as exc:
        session.rollback()
        flash(f"Không cập nhật được {user.email}: {exc}", "error")
        return redirect(url_for("admin.index"))
    session.commit()
    flash(f"Đã cập nhật {user.email}.", "success")
    return redirect(url_for("admin.index"))


@bp.post("/tokens")
@roles_required("admin")
def issue() -> ResponseReturnValue:
    session = db()
    try:
        token = users.issue_token(
            session,
            email=request.form.get("email", ""),
            name=(request.form.get("name") or "").strip() or None,
        )
    except users.UserError as exc:
        session.rollback()
        flash(f"Không cấp được mã truy cập: {exc}", "error")
        return redirect(url_for("admin.index"))
    session.commit()
    flash(f"Mã truy cập API (chỉ hiện một lần, hãy lưu lại): {token}", "success")
    return redirect(url_for("admin.index"))


@bp.post("/tokens/<int:token_id>/revoke")
@roles_required("admin")
def revoke(token_id: int) -> ResponseReturnValue:
    session = db()
    try:
        users.revoke_token(session, token_id, now())
    except users.UserError:
        abort(404)
    session.commit()
    flash("Đã thu hồi mã truy cập.", "success")
    return redirect(url_for("admin.index"))
