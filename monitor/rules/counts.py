"""Repetition: more supplement requests, or more apologies with a new appointment, than allowed."""

from __future__ import annotations

import pandas as pd

from monitor.rules.base import Context, findings


def repeated_supplement(ctx: Context) -> pd.DataFrame:
    """More supplement requests than `rules.max_supplement_requests`."""
    j, limit = ctx.judged, ctx.rules.max_supplement_requests
    hit = (j["in_scope"] & (j["supplement_count"] > limit)).to_numpy()
    details = [{"supplements": int(n), "max": limit} for n in j["supplement_count"].to_numpy()[hit]]
    return findings("repeated_supplement", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)


def repeated_reschedule(ctx: Context) -> pd.DataFrame:
    """More apologies with a new appointment than `rules.max_reschedules`."""
    j, limit = ctx.judged, ctx.rules.max_reschedules
    hit = (j["in_scope"] & (j["reschedule_count"] > limit)).to_numpy()
    details = [{"reschedules": int(n), "max": limit} for n in j["reschedule_count"].to_numpy()[hit]]
    return findings("repeated_reschedule", j["id"].to_numpy()[hit], j["unit_code"].to_numpy()[hit], details)
