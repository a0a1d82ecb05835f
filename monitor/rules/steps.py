"""`step_overdue`: a processing step handed over after its step due, or still open past it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.rules.base import Context, findings, hours_list, iso_list


def step_overdue(ctx: Context) -> pd.DataFrame:
    """Per step, attributed to the step's unit (the handling unit when the step names none). A step with no
    hand-over on an ended dossier counts as handed over at the dossier's end time."""
    j, s = ctx.judged, ctx.frames.steps
    if not len(s):
        return findings("step_overdue", [], [], [])
    s = s.drop_duplicates(["dossier_id", "seq"])
    pos = ctx.frames.positions(s["dossier_id"].to_numpy())
    in_scope = j["in_scope"].to_numpy()[pos]
    due = s["due_at"].to_numpy(dtype="datetime64[s]")
    handed = s["handed_over_at"].to_numpy(dtype="datetime64[s]")
    ended_at = j["end_at"].to_numpy()[pos]
    in_progress = np.isnat(handed) & np.isnat(ended_at)
    handed = np.where(np.isnat(handed), ended_at, handed)
    now = ctx.now64
    late = np.where(in_progress, now > due, handed > due) & ~np.isnat(due) & in_scope
    until = np.where(in_progress, now, handed)[late]
    seconds = ctx.calendar.working_ordinal(until) - ctx.calendar.working_ordinal(due[late])
    units = s["unit_code"].to_numpy(dtype=object)
    units = np.where(pd.isna(units) | (units == ""), j["unit_code"].to_numpy()[pos], units)
    details = [
        {"step_due": d, "handed_over": h, "in_progress": bool(p), "late_working_hours": lh}
        for d, h, p, lh in zip(
            iso_list(due[late]),
            iso_list(np.where(in_progress[late], np.datetime64("NaT"), until)),
            in_progress[late].tolist(),
            # An open step's lateness grows with `now`: left out so that re-evaluating rewrites nothing.
            [
                None if p else h
                for p, h in zip(in_progress[late].tolist(), hours_list(np.maximum(seconds, 0)), strict=True)
            ],
            strict=True,
        )
    ]
    return findings(
        "step_overdue",
        s["dossier_id"].to_numpy()[late],
        units[late],
        details,
        steps=s["seq"].to_numpy()[late],
    )
