"""A month's satisfaction-risk report over a database of 1,000,000 dossiers (a year of a large department):
load, figures, XLSX, PDF and storing, as the scheduler runs it on the first working day."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, delete, func, insert, select

from bench.report import write_section
from monitor import migrate
from monitor.calendar import LimitUnit, WorkCalendar
from monitor.config import parse_settings
from monitor.db import make_engine, session_factory
from monitor.models import Dossier, Feedback, Procedure, ReportRun, SupplementRequest, Unit, Violation
from monitor.reports.service import compute_report, generate

N = int(os.environ.get("BENCH_REPORT_DOSSIERS", "1000000"))
MONTH = "2026-02"
TARGET_SECONDS = 30.0
CHUNK = 50_000
UNITS = 15
PROCEDURES = 60
UTC = dt.UTC
LOCAL = dt.timezone(dt.timedelta(hours=7))


def _aware(values: np.ndarray) -> list[Any]:
    """Naive local datetime64 → aware datetimes (None for NaT), what the models accept."""
    out: list[Any] = values.astype("datetime64[us]").astype(object).tolist()
    return [None if v is None else v.replace(tzinfo=LOCAL) for v in out]


def populate(engine: Engine, calendar: WorkCalendar) -> dict[str, int]:
    rng = np.random.default_rng(2026)
    limits = rng.choice([5, 7, 10, 15, 20], PROCEDURES).astype(float)
    start = np.datetime64("2025-03-01T00:00:00").astype(np.int64)
    end = np.datetime64("2026-03-01T00:00:00").astype(np.int64)
    day = (start + rng.integers(0, (end - start) // 86_400, N) * 86_400).astype("datetime64[s]")
    received = calendar.add_working_seconds(day, rng.integers(0, 8 * 3600, N))  # within office hours
    received = np.minimum(received, np.datetime64("2026-02-28T16:00:00"))
    procedure = rng.integers(0, PROCEDURES, N)
    due = calendar.statutory_due(received, limits[procedure], np.full(N, int(LimitUnit.WORKING_DAYS)))
    # Most dossiers finish in 30–115% of their limit; a quarter run late.
    took = limits[procedure] * calendar.day_seconds * rng.uniform(0.3, 1.15, N)
    finished = calendar.add_working_seconds(received, took)
    status = rng.choice(
        [10, 9, 4, 5, 6, 7, 8, 3, 1], N, p=[0.7, 0.05, 0.15, 0.03, 0.02, 0.02, 0.01, 0.01, 0.01]
    )
    # Dossiers still open are recent ones; a year-old open dossier is the exception, not 15% of the year.
    old = received < np.datetime64("2026-01-20T00:00:00")
    status = np.where(old & np.isin(status, [4, 5, 6]) & (rng.random(N) < 0.97), 10, status)
    ended = np.isin(status, [7, 8, 9, 10])
    finished = np.where(ended, finished, np.datetime64("NaT"))
    unit = rng.integers(0, UNITS, N)
    with engine.begin() as conn:
        conn.execute(
            insert(Unit),
            [{"code": f"P{u:02d}", "name": f"Phòng chuyên môn số {u + 1}"} for u in range(UNITS)],
        )
        conn.execute(
            insert(Procedure),
            [
                {
                    "code": f"1.{p:06d}",
                    "name": f"Thủ tục hành chính số {p + 1}",
                    "limit_value": limits[p],
                    "limit_unit": 1,
                }
                for p in range(PROCEDURES)
            ],
        )
    received_l, due_l, finished_l = _aware(received), _aware(due), _aware(finished)
    updated_l = [f or r for f, r in zip(finished_l, received_l, strict=True)]
    for lo in range(0, N, CHUNK):
        hi = min(lo + CHUNK, N)
        rows = [
            {
                "id": i + 1,
                "code": f"H48.18-{i:08d}",
                "connector": "bench",
                "procedure_code": f"1.{procedure[i]:06d}",
                "unit_code": f"P{unit[i]:02d}",
                "unit_name": f"Phòng chuyên môn số {unit[i] + 1}",
                "status": int(status[i]),
                "received_at": received_l[i],
                "first_appointed_at": due_l[i],
                "appointed_at": due_l[i],
                "finished_at": finished_l[i],
                "source_updated_at": updated_l[i],
                "snapshot_hash": "0" * 64,
            }
            for i in range(lo, hi)
        ]
        with engine.begin() as conn:
            conn.execute(insert(Dossier), rows)
        print(f"  dossiers {hi:,}/{N:,}", flush=True)
    # 12% asked for a supplement once, 2% twice; status 5 ones still wait on their last request.
    asked = np.flatnonzero(rng.random(N) < 0.14)
    twice = asked[rng.random(len(asked)) < 0.15]
    supplements = []
    for seq, ids in ((1, asked), (2, twice)):
        requested = calendar.add_working_seconds(received[ids], np.full(len(ids), seq * 8 * 3600))
        completed = requested + np.timedelta64(2 * 86_400, "s")
        completed = np.where(status[ids] == 5, np.datetime64("NaT"), completed)
        for i, r, c in zip(ids.tolist(), _aware(requested), _aware(completed), strict=True):
            supplements.append({"dossier_id": i + 1, "seq": seq, "requested_at": r, "completed_at": c})
    rated = np.flatnonzero(rng.random(N) < 0.2)
    ratings = rng.choice([1, 2, 3], len(rated), p=[0.6, 0.35, 0.05])
    complaints = rng.random(len(rated)) < 0.01
    with engine.begin() as conn:
        for lo in range(0, len(supplements), CHUNK):
            conn.execute(insert(SupplementRequest), supplements[lo : lo + CHUNK])
        feedback = [
            {"dossier_id": int(i) + 1, "rating": int(r), "complaint": bool(c)}
            for i, r, c in zip(rated, ratings, complaints, strict=True)
        ]
        for lo in range(0, len(feedback), CHUNK):
            conn.execute(insert(Feedback), feedback[lo : lo + CHUNK])
    late_ids = np.flatnonzero(ended & (finished > due))
    detected = _aware(finished[late_ids])
    with engine.begin() as conn:
        rows = [
            {
                "rule": "overdue_return",
                "dossier_id": int(i) + 1,
                "unit_code": f"P{unit[i]:02d}",
                "detected_at": d,
            }
            for i, d in zip(late_ids, detected, strict=True)
        ]
        for lo in range(0, len(rows), CHUNK):
            conn.execute(insert(Violation), rows[lo : lo + CHUNK])
    return {"supplements": len(supplements), "feedback": len(rated), "violations": len(late_ids)}


def run() -> None:
    folder = Path(os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="bench-report-"))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'report.db'}"
    settings = parse_settings({"database": {"url": url}}, {})
    engine = make_engine(settings.database)
    calendar = WorkCalendar()
    migrate.upgrade(engine)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        present = conn.scalar(select(func.count()).select_from(Dossier))
    if present == N:  # BENCH_DIR kept from an earlier run: the same seeded data, reused
        with engine.connect() as conn:
            counts = {
                "supplements": conn.scalar(select(func.count()).select_from(SupplementRequest)) or 0,
                "feedback": conn.scalar(select(func.count()).select_from(Feedback)) or 0,
                "violations": conn.scalar(select(func.count()).select_from(Violation)) or 0,
            }
            conn.execute(delete(ReportRun))
            conn.commit()
    else:
        counts = populate(engine, calendar)
    setup = time.perf_counter() - t0
    sessions = session_factory(engine)

    t0 = time.perf_counter()
    with sessions() as session:
        report = compute_report(session, settings, calendar, MONTH)
    figures = time.perf_counter() - t0
    now = dt.datetime(2026, 3, 2, 6, 30, tzinfo=LOCAL)
    t0 = time.perf_counter()
    run_ = generate(sessions, settings, calendar, MONTH, now=now, trigger="command")
    total = time.perf_counter() - t0
    engine.dispose()
    in_scope, late = report["total"]["in_scope"], len(report["late_dossiers"])
    size_pdf, size_xlsx = len(run_.pdf or b""), len(run_.xlsx or b"")
    verdict = "meets" if total < TARGET_SECONDS else "MISSES"
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite (file, WAL)"
    extra = ", ".join(f"{counts[k]:,} {k}" for k in ("supplements", "feedback", "violations"))
    body = f"""
| measure | value |
|---|---|
| database | {backend}: {N:,} dossiers received 03/2025–02/2026 in {UNITS} units, {extra} |
| report month | {MONTH}: {in_scope:,} dossiers in scope, {late:,} late (all in the appendix) |
| figures only (load + §6 for the month, the previous one and the 6-month trend) | {figures:.1f} s |
| whole report (`generate`: load, figures, XLSX, PDF, store) | {total:.1f} s |
| files | PDF {size_pdf / 1024:,.0f} KiB, XLSX {size_xlsx / 1024:,.0f} KiB |
| target | < {TARGET_SECONDS:.0f} s: {verdict} it |
| setup (bulk insert, or reuse of `BENCH_DIR`; not timed) | {setup:.0f} s |

Load average during the run: {os.getloadavg()[0]:.1f} on 2 cores (above ~1, other work shared the cores).
"""
    write_section(
        "report_month", "Monthly report over 1,000,000 dossiers", "python -m bench report_month", body
    )
    print(f"report_month: figures {figures:.1f}s, whole {total:.1f}s ({in_scope:,} in scope, {late:,} late)")
