"""Statutory due dates for 1,000,000 (received, limit) pairs: the working-minute clock at full width."""

from __future__ import annotations

import time

import numpy as np

from bench.report import write_section
from monitor.calendar import LimitUnit, WorkCalendar

N = 1_000_000
TARGET_SECONDS = 2.0


def run() -> None:
    rng = np.random.default_rng(7)
    start = np.datetime64("2024-01-01T00:00:00").astype(np.int64)
    span = 4 * 365 * 86_400
    received = (start + rng.integers(0, span, N)).astype("datetime64[s]")
    units = rng.choice(
        [LimitUnit.WORKING_DAYS, LimitUnit.WORKING_HOURS, LimitUnit.CALENDAR_DAYS], N, p=[0.8, 0.1, 0.1]
    ).astype(np.int64)
    values = np.where(
        units == LimitUnit.WORKING_HOURS, rng.integers(4, 48, N), rng.integers(1, 60, N)
    ).astype(float)

    t0 = time.perf_counter()
    cal = WorkCalendar()
    build = time.perf_counter() - t0
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        due = cal.statutory_due(received, values, units)
        timings.append(time.perf_counter() - t0)
    assert not np.isnat(due).any()
    best, median = min(timings), float(np.median(timings))
    verdict = "meets" if median < TARGET_SECONDS else "MISSES"
    body = f"""
| measure | value |
|---|---|
| pairs | {N:,} (80% working days, 10% working hours, 10% calendar days; received 2024–2027) |
| calendar build (2000–2060, holidays VN) | {build * 1000:.0f} ms |
| statutory due, best of 5 | {best:.3f} s |
| statutory due, median of 5 | {median:.3f} s |
| target | < {TARGET_SECONDS:.0f} s: {verdict} it |
"""
    write_section(
        "calendar_due",
        "Statutory due dates (working calendar)",
        "make bench (python -m bench calendar_due)",
        body,
    )
    print(
        f"calendar_due: best {best:.3f}s median {median:.3f}s for {N:,} pairs (build {build * 1000:.0f} ms)"
    )
