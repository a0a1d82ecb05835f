"""The violations list with filters, sorting, paging and exports, the violation detail with the dossier
timeline, and the explanation workflow's forms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from monitor import workflow
from monitor.models import Dossier, Violation
from monitor.web import exports
from monitor.web.auth import login_required, me
from monitor.web.charts import timeline
from monitor.web.context import db, ext, now
from monitor.web.labels import RULE_EXPLANATIONS, VIOLATION_RULES
from monitor.web.queries import (
    MAX_ID,
    PAGE_SIZES,
    SORTS,
    FilterError,
    NotVisibleError,
    page,
    parse_filter,
    scope,
    units,
)

bp = Blueprint("violations", __name__)


def _filter() -> Any:
    """The request's filter scoped to the user; a bad value renders the page with a message (400), a
    unit the user may not see is 404."""
    f = parse_filter(request.args)
    try:
        f = scope(f, me())
    except NotVisibleError:
        abort(404)
    if f.unit is not None and f.unit not in {u.code for u in units(db())}:
        raise FilterError(f"'unit' = {f.unit!r}: không có đơn vị mã này")
    return f


@bp.get("/violations")
@login_required
def index() -> ResponseReturnValue:
    visible_units = [u for u in units(db()) if me().role != "unit_head" or u.code == me().unit_code]
    try:
        f = _filter()
    except FilterError as exc:
        return render_template(
            "violations.html",
            error=str(exc),
            units=visible_units,
            result=None,
            f=parse_filter({}),
            rules=VIOLATION_RULES,
            sorts=SORTS,
            sizes=PAGE_SIZES,
        ), 400
    result = page(db(), f)
    return render_template(
        "violations.html",
        error=None,
        units=visible_units,
        result=result,
        f=f,
        rules=VIOLATION_RULES,
        sorts=SORTS,
        sizes=PAGE_SIZES,
    )


@bp.get("/violations.<fmt>")
@login_required
def export(fmt: str) -> ResponseReturnValue:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    try:
        f = _filter()
    except FilterError as exc:
        return {"error": str(exc)}, 400
    if fmt == "csv":
        return exports.csv_response(ext()["sessions"], f)
    return exports.xlsx_response(db(), f)


def _visible_violation(violation_id: int) -> Violation:
    violation = db().get(Violation, violation_id) if violation_id <= MAX_ID else None
    if violation is None or not workflow.can_view(me(), violation):
        abort(404)
    return violation


@bp.get("/violations/<int:violation_id>")
@login_required
def detail(violation_id: int) -> ResponseReturnValue:
    violation = _visible_violation(violation_id)
    dossier = db().get(Dossier, violation.dossier_id)
    if dossier is None:
        abort(404)
    siblings = [
        v
        for v in db().scalars(
            select(Violation).where(Violation.dossier_id == dossier.id).order_by(Violation.id)
        )
        if v.id != violation.id and workflow.can_view(me(), v)
    ]
    return render_template(
        "violation.html",
        v=violation,
        d=dossier,
        siblings=siblings,
        chart=timeline(dossier, now()),
        explanation=RULE_EXPLANATIONS.get(violation.rule, ""),
        can_explain=workflow.can_explain(me(), violation) and violation.status in workflow.EXPLAINABLE,
        can_review=workflow.can_review(me()) and violation.status in workflow.REVIEWABLE,
    )


@bp.post("/violations/<int:violation_id>/<action>")
@login_required
def act(violation_id: int, action: str) -> ResponseReturnValue:
    if action not in ("explain", "accept", "reject"):
        abort(404)
    violation = _visible_violation(violation_id)
    session = db()
    try:
        if action == "explain":
            workflow.explain(session, violation, me(), request.form.get("text", ""), now())
        else:
            workflow.review(session, violation, me(), action == "accept", request.form.get("comment"), now())
    except workflow.WorkflowError as exc:
        session.rollback()
        if exc.forbidden:
            abort(403)
        flash(str(exc), "error")
        return redirect(url_for("violations.detail", violation_id=violation_id))
    session.commit()
    ext()["cache"].clear()
    done = {
        "explain": "Đã gửi giải trình.",
        "accept": "Đã chấp nhận giải trình.",
        "reject": "Đã không chấp nhận giải trình.",
    }
    flash(done[action], "success")
    return redirect(url_for("violations.detail", violation_id=violation_id))


@bp.get("/dossiers/<path:code>")
@login_required
def dossier(code: str) -> ResponseReturnValue:
    d = db().scalar(select(Dossier).where(Dossier.code == code))
    if d is None:
        abort(404)
    found = [
        v for v in db().scalars(select(Violation).where(Violation.dossier_id == d.id).order_by(Violation.id))
    ]
    visible = [v for v in found if workflow.can_view(me(), v)]
    if me().role == "unit_head" and d.unit_code != me().unit_code and not visible:
        abort(404)
    return render_template("dossier.html", d=d, violations=visible, chart=timeline(d, now()))
