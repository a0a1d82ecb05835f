"""The report's three charts as PNG bytes, drawn with matplotlib's Agg canvas.

`Figure` objects are built directly (no pyplot), so nothing touches matplotlib's global figure registry and
web workers can draw concurrently. DejaVu Sans, matplotlib's bundled default, has every Vietnamese glyph.
"""

from __future__ import annotations

import io
from typing import Any, Final

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from monitor.reports.labels import DASH, RULE_LABELS, month_label

RISK_COLOURS: Final = {"low": "#2e7d32", "medium": "#f9a825", "high": "#c62828", None: "#9e9e9e"}
LINE_BLUE: Final = "#1565c0"
DPI: Final = 160


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _frame(figure: Figure) -> Any:
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)
    return axes


def on_time_by_unit(report: dict[str, Any], width: float = 7.2, height: float | None = None) -> bytes:
    """Horizontal bars of each unit's on-time rate, coloured by risk band; the 90% line is where 766
    starts giving full points. A unit with no dossiers shows a dash instead of a bar."""
    units = report["units"]
    figure = Figure(figsize=(width, height or max(1.8, 0.32 * len(units) + 0.9)), layout="constrained")
    axes = _frame(figure)
    names = [u["unit_name"] for u in units][::-1]
    rates = [u["on_time_rate"] for u in units][::-1]
    colours = [RISK_COLOURS.get(u["risk_band"], RISK_COLOURS[None]) for u in units][::-1]
    axes.barh(names, [100 * (r or 0) for r in rates], color=colours, height=0.6)
    for y, rate in enumerate(rates):
        label = DASH if rate is None else f"{rate * 100:.1f}%".replace(".", ",")
        axes.text(100 * (rate or 0) + 1, y, label, va="center", fontsize=7.5)
    axes.axvline(90, color="#555555", linestyle="--", linewidth=0.8)
    axes.set_xlim(0, 112)
    axes.set_xlabel("Tỷ lệ hồ sơ giải quyết đúng hạn (%)", fontsize=8)
    axes.set_title(f"Tỷ lệ đúng hạn theo đơn vị, tháng {month_label(report['month'])}", fontsize=9.5)
    return _png(figure)


def six_month_trend(report: dict[str, Any], width: float = 3.6, height: float = 2.4) -> bytes:
    """The department's on-time rate and satisfaction proxy over the last six months; gaps where a month
    had no dossiers."""
    trend = report["trend"]
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = _frame(figure)
    months = list(range(len(trend)))  # positions, so months without dossiers keep their place
    rates = [float("nan") if t["on_time_rate"] is None else 100 * t["on_time_rate"] for t in trend]
    proxy = [
        float("nan") if t["satisfaction_proxy"] is None else 100 * t["satisfaction_proxy"] for t in trend
    ]
    axes.plot(months, rates, marker="o", color=LINE_BLUE, label="Tỷ lệ đúng hạn")
    axes.plot(months, proxy, marker="s", color="#6a1b9a", linestyle="--", label="Chỉ số hài lòng")
    axes.axhline(90, color="#555555", linestyle=":", linewidth=0.8)
    axes.set_ylim(0, 105)
    axes.set_ylabel("%", fontsize=8)
    axes.set_xticks(months, [month_label(t["month"]) for t in trend])
    axes.tick_params(axis="x", labelsize=6.5, rotation=30)
    axes.legend(fontsize=6.5, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, frameon=False)
    axes.set_title("Xu hướng 6 tháng (toàn Sở)", fontsize=9)
    return _png(figure)


def violations_by_rule(report: dict[str, Any], width: float = 3.6, height: float = 2.4) -> bytes:
    """How many violations of each rule were detected in the month, department-wide."""
    counts = report["total"]["violations"]
    codes = [c for c in RULE_LABELS if c in counts][::-1]
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = _frame(figure)
    values = [counts[c] for c in codes]
    axes.barh([RULE_LABELS[c] for c in codes], values, color="#ef6c00", height=0.6)
    top = max(values, default=0)
    for y, value in enumerate(values):
        axes.text(value + max(top, 1) * 0.02, y, f"{value:,}".replace(",", "."), va="center", fontsize=7)
    axes.set_xlim(0, max(top, 1) * 1.2)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.tick_params(axis="y", labelsize=7)
    axes.set_title("Vi phạm phát hiện trong tháng", fontsize=9)
    return _png(figure)
