"""Lateness: `overdue_return`, `overdue_open` and the duty to apologise before the due (`missing_apology`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.rules.base import Context, date_list, days_list, findings, hours_list, iso_list


def _lateness(ctx: Context, hit: np.ndarray, until: np.ndarray) -> tuple[list[float], list[float]]:
    due_ord = ctx.calendar.working_ordinal(ctx.judged["effective_due"].to_numpy()[hit])
    late = np.maximum(ctx.calendar.working_ordinal(until) - due_ord, 0)
    return hours_list(late), days_list(late, ctx.calendar)


def overdue_return(ctx: Context) -> pd.DataFrame:
    """Ended as finished or returned (9, 10) after the effective due."""
    j = ctx.judged
    hit = j["overdue_return"].to_numpy()
    end = j["end_at"].to_numpy()[hit]
    hours, days = _lateness(ctx, hit, end)
    details = [
        {"effective_due": due, "end": e, "late_working_hours": h, "late_working_days": d, "supplements": n}
        for due, e, h, d, n in zip(
            iso_list(j["effective_due"].to_numpy()[hit]),
            iso_list(end),
            hours,
            days,
            j["supplement_count"].to_numpy()[hit].tolist(),
            strict=True,
        )
    ]
    return findings("overdue_return", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)


def overdue_open(ctx: Context) -> pd.DataFrame:
    """Open, running (not paused) and past the effective due at `now`.

    The details hold no lateness: it grows with every evaluation and would rewrite every open violation
    each time; the current lateness is the dossier's `late_working_hours`."""
    j = ctx.judged
    hit = j["overdue_open"].to_numpy()
    details = [{"effective_due": due} for due in iso_list(j["effective_due"].to_numpy()[hit])]
    return findings("overdue_open", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)


def missing_apology(ctx: Context) -> pd.DataFrame:
    """Late (either overdue condition) with no apology dated on or before the last working day strictly
    before the effective due's date. `kind` is "late" when apologies exist but all came after, else "none"."""
    j, a = ctx.judged, ctx.frames.apologies
    late = j["overdue_return"].to_numpy() | j["overdue_open"].to_numpy()
    due = j["effective_due"].to_numpy()
    deadline = np.full(len(j), np.datetime64("NaT"), dtype="datetime64[D]")
    deadline[late] = ctx.calendar.previous_working_days(due[late].astype("datetime64[D]"))

    first = np.full(len(j), np.datetime64("NaT"), dtype="datetime64[D]")
    issued = a["issued_at"].to_numpy(dtype="datetime64[s]").astype("datetime64[D]")
    dated = ~np.isnat(issued)
    if dated.any():
        pos = ctx.frames.positions(a["dossier_id"].to_numpy())[dated]
        earliest = pd.Series(issued[dated]).groupby(pos).min()
        first[earliest.index.to_numpy()] = earliest.to_numpy(dtype="datetime64[D]")
    timely = ~np.isnat(first) & (first <= deadline)
    hit = late & ~timely
    count = j["apology_count"].to_numpy()[hit]
    details = [
        {
            "kind": "late" if n else "none",
            "effective_due": due_at,
            "apology_deadline": dl,
            "first_apology": fa,
            "apologies": n,
        }
        for due_at, dl, fa, n in zip(
            iso_list(due[hit]), date_list(deadline[hit]), date_list(first[hit]), count.tolist(), strict=True
        )
    ]
    return findings("missing_apology", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)
