"""The rules of domain.md §5: each a pure function of the frames, the calendar, the settings and `now`.

`detect(frames, calendar, rules, now)` runs every enabled rule over the whole table and returns one row per
violation found, with the columns `FINDING_COLUMNS`: `dossier_id`, `rule`, `step` (the step's STT for
`step_overdue`, else 0), `unit_code` (the unit it is attributed to) and `details` (a JSON-ready dict for a
person: dues, end, lateness, counts). Rules judge only dossiers received into scope (status 2, 4–10).
The `due_soon` warning is not a violation: it is a judged field (`monitor.judge`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

import pandas as pd

from monitor.calendar import WorkCalendar
from monitor.config import RulesSettings
from monitor.frames import Frames
from monitor.judge import judge
from monitor.labels import DUE_SOON_LABEL, RULE_LABELS
from monitor.rules.base import FINDING_COLUMNS, Context, empty_findings
from monitor.rules.counts import repeated_reschedule, repeated_supplement
from monitor.rules.statutory import due_beyond_statutory
from monitor.rules.steps import step_overdue
from monitor.rules.timeliness import missing_apology, overdue_open, overdue_return

Rule = Callable[[Context], pd.DataFrame]
RULES: Final[dict[str, Rule]] = {
    "overdue_return": overdue_return,
    "overdue_open": overdue_open,
    "repeated_supplement": repeated_supplement,
    "missing_apology": missing_apology,
    "repeated_reschedule": repeated_reschedule,
    "step_overdue": step_overdue,
    "due_beyond_statutory": due_beyond_statutory,
}
LABELS: Final = {**RULE_LABELS, "due_soon": DUE_SOON_LABEL}


def detect(
    frames: Frames,
    calendar: WorkCalendar,
    rules: RulesSettings,
    now: dt.datetime,
    judged: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every violation of every enabled rule as of `now` (pass `judged` when already computed)."""
    ctx = Context(
        frames=frames,
        judged=judge(frames, calendar, rules, now) if judged is None else judged,
        calendar=calendar,
        rules=rules,
        now=now,
    )
    found = [RULES[code](ctx) for code in RULES if rules.enabled(code)]
    found = [f for f in found if len(f)]
    if not found:
        return empty_findings()
    return pd.concat(found, ignore_index=True)[FINDING_COLUMNS]


__all__ = ["FINDING_COLUMNS", "LABELS", "RULES", "Context", "detect"]
