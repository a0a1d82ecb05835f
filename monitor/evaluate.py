"""Evaluation: judge the dossiers as of `now`, store the judged fields, open and resolve violations.

`evaluate(settings, sessions, now, *, full=False, calendar=None, progress=None) -> EvaluationSummary`.

Incremental by default: only dossiers that are open (status 2, 4, 5, 6), never evaluated, or changed by a
sync since their last evaluation (`changed_at > judgements.evaluated_at`) are judged again; an ended,
unchanged dossier keeps its verdicts. `full=True` judges every dossier (after a change of the rules or of
the calendar).

The violation lifecycle (domain.md §5, decisions in docs/RULES.md):
- found and not stored → inserted `open`, `detected_at = now`, event `opened`;
- found and stored `resolved` → `open` again, `resolved_at` cleared, event `reopened` (the first
  `detected_at` is kept: the history is in the events);
- found and stored in any other status → left in its status; its details are refreshed;
- not found and stored unresolved → `resolved`, `resolved_at = now`, event `resolved`, whatever its
  explanation status;
- a disabled rule's stored violations are left exactly as they are.
Every event has actor "system". Running twice on the same data and `now` changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import exists, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from monitor.calendar import LOCAL_TZ, WorkCalendar
from monitor.config import Settings
from monitor.evaluate_write import (
    Event,
    count_open,
    insert_events,
    insert_violations,
    json_key,
    set_details,
    set_status,
    write_judged,
)
from monitor.frames import Frames, load_frames, read_for_ids
from monitor.judge import OPEN_STATUSES, judge
from monitor.models import Dossier, Judgement, Violation
from monitor.rules import RULES, detect

KEYS = ["dossier_id", "rule", "step"]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class EvaluationSummary:
    now: dt.datetime
    full: bool
    evaluated: int  # dossiers judged this time
    opened: int  # violations opened, reopened ones included
    reopened: int
    resolved: int
    open_total: int  # violations in status "open" after this evaluation

    def as_json(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "resolved": self.resolved,
            "open_total": self.open_total,
            "reopened": self.reopened,
            "evaluated": self.evaluated,
            "full": self.full,
            "now": self.now.astimezone(LOCAL_TZ).isoformat(timespec="seconds"),
        }


def calendar_of(settings: Settings) -> WorkCalendar:
    c = settings.calendar
    return WorkCalendar(c.office_hours, c.extra_holidays, c.extra_workdays)


def needs_evaluation() -> ColumnElement[bool]:
    """Dossiers whose verdict may have changed: open, never evaluated, or changed since evaluated (a
    condition on `dossiers`)."""
    d, j = Dossier.__table__.c, Judgement.__table__.c
    current = select(j.dossier_id).where(j.dossier_id == d.id, j.evaluated_at >= d.changed_at)
    return or_(d.status.in_(OPEN_STATUSES), ~exists(current))


def evaluate(
    settings: Settings,
    sessions: sessionmaker[Session],
    now: dt.datetime,
    *,
    full: bool = False,
    calendar: WorkCalendar | None = None,
    progress: Progress | None = None,
) -> EvaluationSummary:
    """Run the rules as of `now` (an aware instant; a naive one is local time) and store the outcome."""
    now = now.replace(tzinfo=LOCAL_TZ) if now.tzinfo is None else now
    now = now.replace(microsecond=0)
    say = progress or (lambda _message: None)
    cal = calendar or calendar_of(settings)
    rules = settings.rules
    with sessions.begin() as session:
        conn = session.connection()
        frames = load_frames(conn, where=None if full else needs_evaluation(), lean=True)
        say(f"loaded {len(frames):,} dossiers")
        judged = judge(frames, cal, rules, now)
        found = detect(frames, cal, rules, now, judged)
        say(f"judged; {len(found):,} violations hold")
        stored = _stored_violations(conn, frames)
        # Judged fields first: on SQLite that write takes the database's write lock for the whole
        # transaction, which the violation inserts rely on.
        due_soon = judged["due_soon"].to_numpy() & rules.enabled("due_soon")
        write_judged(conn, judged, due_soon, now)
        opened, reopened, resolved = _apply(conn, found, stored, now, settings)
        say("stored")
        open_total = count_open(conn)
    return EvaluationSummary(
        now=now,
        full=full,
        evaluated=len(frames),
        opened=opened + reopened,
        reopened=reopened,
        resolved=resolved,
        open_total=open_total,
    )


def _stored_violations(conn: Connection, frames: Frames) -> pd.DataFrame:
    """The stored violations of the loaded dossiers."""
    t = Violation.__table__
    columns = ["id", "dossier_id", "rule", "step", "status", "unit_code", "details"]
    statement = select(*(t.c[c] for c in columns))
    # The loaded ids, not the "needs evaluation" condition again: a sync may have committed since the
    # dossiers were read, and only the violations of dossiers actually judged may be resolved.
    stored = read_for_ids(conn, statement, t.c.dossier_id, frames.dossiers["id"].to_numpy(), columns)
    for name in ("id", "dossier_id", "step"):
        stored[name] = stored[name].astype(np.int64)
    # SQLite hands back the stored JSON text (written with sorted keys); PostgreSQL a parsed dict.
    stored["key"] = [d if isinstance(d, str) else json_key(d) for d in stored["details"].tolist()]
    return stored.drop(columns="details")


def _apply(
    conn: Connection, found: pd.DataFrame, stored: pd.DataFrame, now: dt.datetime, settings: Settings
) -> tuple[int, int, int]:
    found = found.astype({"dossier_id": np.int64, "step": np.int64})
    found["key"] = [json_key(d) for d in found["details"].tolist()]
    enabled = [code for code in RULES if settings.rules.enabled(code)]
    stored = stored[stored["rule"].isin(enabled)]
    merged = found.merge(stored, on=KEYS, how="outer", suffixes=("", "_old"), indicator=True)
    where = merged["_merge"].to_numpy(dtype=object)
    status = merged["status"].to_numpy(dtype=object)
    both = where == "both"
    reopen = both & (status == "resolved")
    refresh = both & (
        (merged["key"].to_numpy(dtype=object) != merged["key_old"].to_numpy(dtype=object))
        | (merged["unit_code"].to_numpy(dtype=object) != merged["unit_code_old"].to_numpy(dtype=object))
        | reopen
    )
    gone = (where == "right_only") & (status != "resolved")

    new = merged[where == "left_only"]
    ids = insert_violations(conn, new, now)
    events: list[Event] = [(i, "opened", None, "open") for i in ids]
    reopened_ids = merged.loc[reopen, "id"].astype(np.int64).tolist()
    events += [(i, "reopened", "resolved", "open") for i in reopened_ids]
    gone_rows = merged.loc[gone, ["id", "status"]]
    gone_ids = gone_rows["id"].astype(np.int64).tolist()
    events += [
        (i, "resolved", str(before), "resolved")
        for i, before in zip(gone_ids, gone_rows["status"].tolist(), strict=True)
    ]
    changed = merged.loc[refresh, ["id", "details", "key", "unit_code"]]
    set_details(conn, _records(changed.astype({"id": np.int64})), now)
    set_status(conn, [(i, "open", None) for i in reopened_ids], now)
    set_status(conn, [(i, "resolved", now) for i in gone_ids], now)
    insert_events(conn, events, now)
    return len(ids), len(reopened_ids), len(gone_rows)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], frame.to_dict("records"))
