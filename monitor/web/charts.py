"""Inline SVG drawn on the server (no scripts, no CDN): the on-time sparkline of the overview and the
dossier timeline of the detail page, where the part after the due is drawn in red."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from monitor.models import Dossier
from monitor.timeutil import fmt_date, fmt_datetime

LATE = "#c62828"
OK = "#2e7d32"
BAR = "#1565c0"
MUTED = "#9e9e9e"


def sparkline(points: list[tuple[str, float | None]], width: int = 120, height: int = 28) -> Markup:
    """On-time rate per month (0..1, None for an empty month) as a small line with the last value dotted."""
    known = [(i, r) for i, (_, r) in enumerate(points) if r is not None]
    if not known:
        return Markup('<span class="muted">—</span>')
    step = width / max(1, len(points) - 1)

    def xy(i: int, r: float) -> tuple[float, float]:
        return round(i * step, 1), round(2 + (1 - r) * (height - 4), 1)

    path = " ".join(f"{'M' if n == 0 else 'L'}{x},{y}" for n, (x, y) in enumerate(xy(i, r) for i, r in known))
    lx, ly = xy(*known[-1])
    colour = OK if known[-1][1] >= 0.9 else LATE
    title = "; ".join(f"{label}: {'—' if r is None else f'{r:.0%}'}" for label, r in points)
    return Markup(  # noqa: S704 (the only text, the title, goes through escape())
        f'<svg class="spark" viewBox="-3 0 {width + 6} {height}" width="{width + 6}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<line x1="0" x2="{width}" y1="{2 + 0.1 * (height - 4):.1f}" y2="{2 + 0.1 * (height - 4):.1f}" '
        f'stroke="#ddd" stroke-dasharray="2,2"/>'
        f'<path d="{path}" fill="none" stroke="{BAR}" stroke-width="1.5"/>'
        f'<circle cx="{lx}" cy="{ly}" r="2.5" fill="{colour}"/></svg>'
    )


@dataclass(frozen=True)
class Lane:
    label: str
    start: dt.datetime | None
    due: dt.datetime | None
    end: dt.datetime | None  # None: still running (drawn up to now)
    note: str


def lanes(dossier: Dossier) -> list[Lane]:
    """The dossier itself, then each processing step with its unit."""
    j = dossier.judgement
    rows = [
        Lane(
            "Toàn hồ sơ", dossier.received_at, j.effective_due_at if j else None, j.end_at if j else None, ""
        )
    ]
    for s in dossier.steps:
        rows.append(
            Lane(
                f"Bước {s.seq}: {s.unit_name or s.unit_code or '?'}",
                s.started_at,
                s.due_at,
                s.handed_over_at,
                s.handler or "",
            )
        )
    return rows


def timeline(dossier: Dossier, now: dt.datetime, width: int = 860) -> Markup:
    """Lanes on one time axis: the on-time part blue, the part past its due red; markers for supplement
    requests (triangles), apologies (diamonds) and the effective due (dashed line)."""
    rows = lanes(dossier)
    instants = [t for r in rows for t in (r.start, r.due, r.end) if t is not None]
    instants += [t for s in dossier.supplements for t in (s.requested_at, s.completed_at) if t is not None]
    instants += [t for a in dossier.apologies for t in (a.issued_at, a.new_due_at) if t is not None]
    if rows[0].end is None:
        instants.append(now)
    if not instants:
        return Markup('<p class="muted">Chưa có mốc thời gian.</p>')
    lo, hi = min(instants), max(instants)
    span = max((hi - lo).total_seconds(), 3600.0)
    left, right, lane_h, top = 190, 44, 26, 34
    plot = width - left - right

    def x(t: dt.datetime) -> float:
        return round(left + (t - lo).total_seconds() / span * plot, 1)

    height = top + lane_h * len(rows) + 40
    out = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Dòng thời gian hồ sơ {escape(dossier.code)}">'
    ]
    out += _axis(lo, hi, x, top, height - 30)
    for n, lane in enumerate(rows):
        y = top + n * lane_h + 6
        out.append(f'<text x="4" y="{y + 11}" class="lane">{escape(lane.label[:30])}</text>')
        if lane.start is None:
            continue
        stop = lane.end or now
        cut = min(max(lane.due, lane.start), stop) if lane.due is not None else stop
        out.append(_bar(x(lane.start), x(cut), y, BAR, f"{fmt_datetime(lane.start)} → {fmt_datetime(cut)}"))
        if lane.due is not None and stop > lane.due:
            until = "kết thúc" if lane.end else "đến nay"
            late = f"Quá hạn: hạn {fmt_datetime(lane.due)}, {until} {fmt_datetime(stop)}"
            out.append(_bar(x(max(lane.due, lane.start)), x(stop), y, LATE, late))
        if lane.due is not None:
            out.append(
                f'<line x1="{x(lane.due)}" x2="{x(lane.due)}" y1="{y - 3}" y2="{y + 17}" '
                f'stroke="#333" stroke-width="2"><title>Hạn {fmt_datetime(lane.due)}</title></line>'
            )
    y0 = top + 6
    for s in dossier.supplements:
        if s.requested_at is not None:
            out.append(
                _marker(
                    x(s.requested_at),
                    y0 - 10,
                    "▼",
                    "#ef6c00",
                    f"Yêu cầu bổ sung lần {s.seq}: {fmt_datetime(s.requested_at)}"
                    f" → {fmt_datetime(s.completed_at)}",
                )
            )
    for a in dossier.apologies:
        if a.issued_at is not None:
            out.append(
                _marker(
                    x(a.issued_at),
                    y0 - 10,
                    "◆",
                    "#6a1b9a",
                    f"Xin lỗi, hẹn lại {fmt_datetime(a.new_due_at)} (lập {fmt_datetime(a.issued_at)})",
                )
            )
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704 (every text piece above went through escape())


def _bar(x1: float, x2: float, y: float, colour: str, title: str) -> str:
    w = max(x2 - x1, 2.0)
    return (
        f'<rect x="{x1}" y="{y}" width="{w:.1f}" height="14" rx="3" fill="{colour}">'
        f"<title>{escape(title)}</title></rect>"
    )


def _marker(x: float, y: float, glyph: str, colour: str, title: str) -> str:
    return (
        f'<text x="{x}" y="{y + 10}" text-anchor="middle" fill="{colour}" class="marker">{glyph}'
        f"<title>{escape(title)}</title></text>"
    )


def _axis(lo: dt.datetime, hi: dt.datetime, x: object, top: int, bottom: int) -> list[str]:
    ticks = 6
    out = []
    for i in range(ticks + 1):
        t = lo + (hi - lo) * i / ticks
        px = x(t)  # type: ignore[operator]
        out.append(f'<line x1="{px}" x2="{px}" y1="{top}" y2="{bottom}" stroke="#eee"/>')
        out.append(f'<text x="{px}" y="{bottom + 14}" text-anchor="middle" class="tick">{fmt_date(t)}</text>')
    return out
