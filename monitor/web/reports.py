"""`/reports`: the monthly reports with their downloads and history, a report as an HTML page with the
same charts as the PDF, and (for the office) regenerating or resending a month on demand."""

from __future__ import annotations

import base64
import re
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from monitor.calendar import WorkCalendar
from monitor.reports import charts, labels
from monitor.reports.sending import attachments, send_report
from monitor.reports.service import ReportError, current_run, generate, runs
from monitor.web.auth import roles_required
from monitor.web.context import db, ext, now, settings

bp = Blueprint("reports", __name__)
READERS = ("admin", "office", "viewer")
MANAGERS = ("admin", "office")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _month_or_404(month: str) -> str:
    if not _MONTH.match(month):
        abort(404)
    return month


def _png(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


@bp.get("/reports")
@roles_required(*READERS)
def index() -> ResponseReturnValue:
    history = runs(db())
    months = sorted({r.month for r in history}, reverse=True)
    current = {m: current_run(db(), m) for m in months}
    return render_template(
        "reports/list.html",
        months=months,
        current=current,
        history=history,
        month_label=labels.month_label,
        send_at=settings().reports.send_at,
    )


@bp.get("/reports/<month>")
@roles_required(*READERS)
def show(month: str) -> ResponseReturnValue:
    run = current_run(db(), _month_or_404(month))
    if run is None or run.figures is None:
        abort(404)
    report: dict[str, Any] = run.figures
    images = {
        "units": _png(charts.on_time_by_unit(report)),
        "trend": _png(charts.six_month_trend(report)),
        "violations": _png(charts.violations_by_rule(report)),
    }
    return render_template("reports/page.html", run=run, r=report, images=images, L=labels)


@bp.get("/reports/<month>/download/<kind>")
@roles_required(*READERS)
def download(month: str, kind: str) -> ResponseReturnValue:
    run = current_run(db(), _month_or_404(month))
    files = (
        {name.rsplit(".", 1)[1]: (name, data, mime) for name, data, mime in attachments(run)} if run else {}
    )
    if kind not in files:
        abort(404)
    name, data, mime = files[kind]
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/reports/generate")
@roles_required(*MANAGERS)
def regenerate() -> ResponseReturnValue:
    month = (request.form.get("month") or "").strip()
    if not _MONTH.match(month):
        flash(f"Tháng “{month}” không hợp lệ: chọn một tháng dạng YYYY-MM, ví dụ 2026-02.", "error")
        return redirect(url_for("reports.index"))
    cal = settings().calendar
    calendar = WorkCalendar(cal.office_hours, cal.extra_holidays, cal.extra_workdays)
    try:
        generate(ext()["sessions"], settings(), calendar, month, now=now(), trigger="manual")
    except ReportError as exc:
        flash(str(exc), "error")
        return redirect(url_for("reports.index"))
    flash(f"Đã tạo lại báo cáo tháng {labels.month_label(month)}.", "success")
    return redirect(url_for("reports.show", month=month))


@bp.post("/reports/<month>/send")
@roles_required(*MANAGERS)
def resend(month: str) -> ResponseReturnValue:
    run = current_run(db(), _month_or_404(month))
    if run is None:
        abort(404)
    result = send_report(ext()["sessions"], settings(), run, now(), resend=True)
    if not settings().reports.recipients:
        flash("Chưa cấu hình người nhận báo cáo ([reports].recipients).", "error")
    for label, error in result.failed.items():
        flash(f"Gửi tới {label} thất bại: {error}", "error")
    if result.sent:
        flash(
            f"Đã gửi báo cáo tháng {labels.month_label(month)} tới {len(result.sent)} người nhận.", "success"
        )
    if result.skipped:
        flash(f"Hôm nay đã gửi lại cho {len(result.skipped)} người nhận; không gửi thêm.", "error")
    return redirect(url_for("reports.index"))
