"""`due_beyond_statutory`: a receipt that promised more time than the procedure allows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.rules.base import Context, date_list, findings, iso_list


def due_beyond_statutory(ctx: Context) -> pd.DataFrame:
    """date(NgayHenTra as first received) > date(statutory due) + tolerance working days."""
    j, d = ctx.judged, ctx.frames.dossiers
    appointed = d["first_appointed_at"].to_numpy(dtype="datetime64[s]")
    statutory = j["statutory_due"].to_numpy()
    known = j["in_scope"].to_numpy() & ~np.isnat(appointed) & ~np.isnat(statutory)
    tolerance = ctx.rules.statutory_tolerance_working_days
    limit = np.full(len(j), np.datetime64("NaT"), dtype="datetime64[D]")
    limit[known] = ctx.calendar.add_working_days_to_dates(statutory[known].astype("datetime64[D]"), tolerance)
    hit = known & (appointed.astype("datetime64[D]") > limit)
    details = [
        {
            "appointed_due": a,
            "statutory_due": s,
            "latest_allowed_date": lim,
            "tolerance_working_days": tolerance,
        }
        for a, s, lim in zip(
            iso_list(appointed[hit]), iso_list(statutory[hit]), date_list(limit[hit]), strict=True
        )
    ]
    return findings("due_beyond_statutory", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)
