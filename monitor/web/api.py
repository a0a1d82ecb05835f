"""The JSON API under /api/v1/: violations, dossiers, units and indicators, for bearer tokens issued by an
admin. The same objects as the command line and the same role rules as the pages; errors are JSON
`{"error": message}` with 400, 401, 403 or 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, g, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from monitor import users, workflow
from monitor.models import Dossier, Judgement, User, Violation
from monitor.web import serialize
from monitor.web.context import db, ext, now, settings
from monitor.web.queries import (
    MAX_ID,
    FilterError,
    NotVisibleError,
    ViolationFilter,
    count,
    filtered,
    ordered,
    parse_filter,
    scope,
    units,
)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])
MAX_LIMIT = 1000


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return jsonify({"error": str(exc)}), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return jsonify({"error": exc.description or exc.name}), exc.code or 500


def token_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        match = re.fullmatch(r"Bearer\s+(\S+)", header.strip())
        user = users.user_for_token(db(), match.group(1), now()) if match else None
        if user is None:
            response = jsonify({"error": "a valid bearer token is required (Authorization: Bearer TOKEN)"})
            response.headers["WWW-Authenticate"] = 'Bearer realm="monitor"'
            return response, 401
        db().commit()  # last_used_at
        g.api_user = user
        return view(*args, **kwargs)

    return cast(F, wrapper)


def api_user() -> User:
    user: User = g.api_user
    return user


def _limit_offset() -> tuple[int, int]:
    values = []
    for name, default, high in (("limit", 100, MAX_LIMIT), ("offset", 0, 10_000_000)):
        raw = request.args.get(name, str(default)).strip()
        if not raw.isdigit() or not (0 if name == "offset" else 1) <= int(raw) <= high:
            raise ApiError(
                400, f"'{name}' = {raw!r} must be an integer from {0 if name == 'offset' else 1} to {high}"
            )
        values.append(int(raw))
    return values[0], values[1]


def _violation_filter() -> ViolationFilter:
    try:
        args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
        f = parse_filter(args, reversed_range_ok=True)
        return scope(f, api_user())
    except FilterError as exc:
        raise ApiError(400, str(exc)) from None
    except NotVisibleError:
        raise ApiError(403, "this token may only read its own unit") from None


@bp.get("/violations")
@token_required
def violations() -> ResponseReturnValue:
    f = _violation_filter()
    limit, offset = _limit_offset()
    total = count(db(), f)
    rows = db().execute(ordered(f, filtered(f)).limit(limit).offset(offset))
    return jsonify(
        {
            "total": total,
            "limit": limit,
            "offset": offset,
            "items": [serialize.violation(v, code) for v, code in rows],
        }
    )


def _visible(violation_id: int) -> Violation:
    v = db().get(Violation, violation_id) if violation_id <= MAX_ID else None
    if v is None or not workflow.can_view(api_user(), v):
        raise ApiError(404, f"no violation #{violation_id}")
    return v


@bp.get("/violations/<int:violation_id>")
@token_required
def violation(violation_id: int) -> ResponseReturnValue:
    v = _visible(violation_id)
    code = db().scalar(select(Dossier.code).where(Dossier.id == v.dossier_id)) or ""
    return jsonify(serialize.violation_full(v, code))


@bp.post("/violations/<int:violation_id>/<action>")
@token_required
def act(violation_id: int, action: str) -> ResponseReturnValue:
    if action not in ("explain", "accept", "reject"):
        raise ApiError(404, f"unknown action {action!r}; expected explain, accept or reject")
    v = _visible(violation_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, 'expected a JSON object body, e.g. {"text": "..."} or {"comment": "..."}')
    text = body.get("text" if action == "explain" else "comment")
    if text is not None and not isinstance(text, str):
        raise ApiError(400, "'text' and 'comment' must be strings")
    session = db()
    try:
        if action == "explain":
            workflow.explain(session, v, api_user(), text or "", now())
        else:
            workflow.review(session, v, api_user(), action == "accept", text, now())
    except workflow.WorkflowError as exc:
        session.rollback()
        raise ApiError(403 if exc.forbidden else 409, str(exc)) from None
    session.commit()
    ext()["cache"].clear()
    code = session.scalar(select(Dossier.code).where(Dossier.id == v.dossier_id)) or ""
    return jsonify(serialize.violation_full(v, code))


def _dossier_query() -> Any:
    query = select(Dossier).options(selectinload(Dossier.supplements)).order_by(Dossier.id)
    unit = (request.args.get("unit") or "").strip() or None
    user = api_user()
    if user.role == "unit_head":
        if unit is not None and unit != user.unit_code:
            raise ApiError(403, "this token may only read its own unit")
        unit = user.unit_code
    if unit is not None:
        query = query.where(Dossier.unit_code == unit)
    code = (request.args.get("code") or "").strip()
    if code:
        query = query.where(Dossier.code == code)
    due_soon = (request.args.get("due_soon") or "").strip().lower()
    if due_soon:
        if due_soon not in ("true", "false", "1", "0"):
            raise ApiError(400, f"'due_soon' = {due_soon!r} must be true or false")
        query = query.where(Dossier.judgement.has(Judgement.due_soon.is_(due_soon in ("true", "1"))))
    return query


@bp.get("/dossiers")
@token_required
def dossiers() -> ResponseReturnValue:
    query = _dossier_query()
    limit, offset = _limit_offset()
    total = db().scalar(select(func.count()).select_from(query.order_by(None).options().subquery())) or 0
    items = [serialize.dossier(d) for d in db().scalars(query.limit(limit).offset(offset))]
    return jsonify({"total": total, "limit": limit, "offset": offset, "items": items})


@bp.get("/dossiers/<path:code>")
@token_required
def dossier(code: str) -> ResponseReturnValue:
    d = db().scalar(select(Dossier).options(selectinload(Dossier.supplements)).where(Dossier.code == code))
    user = api_user()
    if d is None:
        raise ApiError(404, f"no dossier {code!r}")
    if user.role == "unit_head" and d.unit_code != user.unit_code:
        mine = db().scalar(
            select(func.count()).where(Violation.dossier_id == d.id, Violation.unit_code == user.unit_code)
        )
        if not mine:
            raise ApiError(404, f"no dossier {code!r}")
    return jsonify(serialize.dossier(d))


@bp.get("/units")
@token_required
def unit_list() -> ResponseReturnValue:
    user = api_user()
    items = [serialize.unit(u) for u in units(db()) if user.role != "unit_head" or u.code == user.unit_code]
    return jsonify({"items": items})


@bp.get("/indicators")
@token_required
def indicators() -> ResponseReturnValue:
    from monitor.web.indicators_api import month_figures

    month = (request.args.get("month") or "").strip() or None
    try:
        body = month_figures(db(), settings(), now(), month, api_user())
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return jsonify(body)


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    from monitor.web.openapi import document

    return jsonify(document())
