"""Filters and globals the templates use: dd/mm/yyyy dates, Vietnamese percentages and labels."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_decimal, format_percent

from monitor.timeutil import fmt_date, fmt_datetime
from monitor.web import labels
from monitor.web.charts import sparkline
from monitor.web.context import now


def pct(value: float | None) -> str:
    return "—" if value is None else format_percent(value, format="#,##0.0%")


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else format_decimal(value, format="#,##0." + "0" * digits)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(date=fmt_date, datetime=fmt_datetime, pct=pct, number=number)
    app.jinja_env.globals.update(
        RULE_LABELS=labels.RULE_LABELS,
        STATUS_LABELS=labels.STATUS_LABELS,
        DOSSIER_STATUS_LABELS=labels.DOSSIER_STATUS_LABELS,
        ROLE_LABELS=labels.ROLE_LABELS,
        ACTION_LABELS=labels.ACTION_LABELS,
        spark=sparkline,
    )
    app.context_processor(lambda: {"now_": now()})
