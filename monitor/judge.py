"""The judged fields of domain.md §4 for every dossier at once: dues, end time, paused, lateness.

Public API:

- `judge(frames, calendar, rules, now) -> DataFrame`, one row per row of `frames.dossiers` (same order and
  index) with: `id`, `unit_code`, `status`, `in_scope` (status 2, 4–10), `open` (2, 4, 5, 6), `ended`
  (7–10), `finished` (9, 10), `statutory_due`, `base_due`, `effective_due`, `end_at`, `paused`,
  `supplement_count`, `pending_supplements`, `reschedule_count`, `apology_count`, `overdue_return`,
  `overdue_open` (the two lateness conditions, whatever `rules.disabled` says), `late_working_hours`
  (NaN where no due or not judged), `due_soon`. Instants are naive local `datetime64[s]`.
- `supplement_summary(frames, until=None)` and `effective_due(...)`: the pieces the indicators reuse to
  reconstruct the state at the end of a period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from monitor.calendar import Instants, WorkCalendar
from monitor.config import RulesSettings
from monitor.frames import Frames, local_instant

OPEN_STATUSES: Final = (2, 4, 5, 6)
ENDED_STATUSES: Final = (7, 8, 9, 10)
FINISHED_STATUSES: Final = (9, 10)
NAT: Final = np.datetime64("NaT", "s")

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class SupplementSummary:
    """Per dossier row: how many requests, how many pending, the wall-clock pause of the completed ones
    and the latest completion (NaT when none)."""

    count: Ints
    pending: Ints
    pause_seconds: Ints
    last_completed: Instants


def supplement_summary(frames: Frames, until: np.datetime64 | None = None) -> SupplementSummary:
    """Supplement requests per dossier, as they stood at `until` when given (a request made after it does
    not exist yet; one completed after it is still pending)."""
    n = len(frames.dossiers)
    s = frames.supplements
    pos = frames.positions(s["dossier_id"].to_numpy())
    requested = s["requested_at"].to_numpy(dtype="datetime64[s]")
    completed = s["completed_at"].to_numpy(dtype="datetime64[s]")
    exists = np.ones(len(s), dtype=bool)
    if until is not None:
        exists = np.isnat(requested) | (requested <= until)
        completed = np.where(~np.isnat(completed) & (completed <= until), completed, NAT)
    done = exists & ~np.isnat(completed)
    timed = done & ~np.isnat(requested)
    pause = np.zeros(len(s), dtype=np.int64)
    # A completion recorded before its request is bad data: it pauses nothing rather than shortening.
    pause[timed] = np.maximum((completed[timed] - requested[timed]).astype(np.int64), 0)
    last = np.full(n, NAT)
    if done.any():
        order = np.lexsort((completed[done].astype(np.int64), pos[done]))
        done_pos, done_at = pos[done][order], completed[done][order]
        last_of = np.r_[done_pos[1:] != done_pos[:-1], True]
        last[done_pos[last_of]] = done_at[last_of]
    return SupplementSummary(
        count=np.bincount(pos[exists], minlength=n).astype(np.int64),
        pending=np.bincount(pos[exists & ~done], minlength=n).astype(np.int64),
        pause_seconds=np.bincount(pos, weights=pause, minlength=n).astype(np.int64),
        last_completed=last,
    )


def base_due(frames: Frames, statutory: Instants) -> Instants:
    """§4: the first NgayHenTra received, else the statutory due, else NaT."""
    first = frames.dossiers["first_appointed_at"].to_numpy(dtype="datetime64[s]")
    return np.where(np.isnat(first), statutory, first)


def effective_due(
    frames: Frames,
    calendar: WorkCalendar,
    rules: RulesSettings,
    base: Instants,
    supplements: SupplementSummary,
) -> Instants:
    """§4 effective due: base + completed pauses (`pause`), or the statutory due from the latest
    completion (`restart`; as `pause` when the limit is unknown, the base when nothing completed)."""
    paused: Instants = base + supplements.pause_seconds.astype("timedelta64[s]")
    if rules.supplement_clock == "pause":
        return paused
    d = frames.dossiers
    restarted = calendar.statutory_due(
        supplements.last_completed, d["limit_value"].to_numpy(), d["limit_unit"].to_numpy()
    )
    use = ~np.isnat(restarted) & ~np.isnat(base)
    return np.where(use, restarted, paused)


def end_time(frames: Frames) -> Instants:
    """§4 end time of ended dossiers (NgayKetThucXuLy, else NgayTra, else NgayCapNhat); NaT when open."""
    d = frames.dossiers
    finished = d["finished_at"].to_numpy(dtype="datetime64[s]")
    returned = d["returned_at"].to_numpy(dtype="datetime64[s]")
    updated = d["source_updated_at"].to_numpy(dtype="datetime64[s]")
    end = np.where(~np.isnat(finished), finished, np.where(~np.isnat(returned), returned, updated))
    ended = d["status"].isin(ENDED_STATUSES).to_numpy()
    return np.where(ended, end, NAT)


def judge(frames: Frames, calendar: WorkCalendar, rules: RulesSettings, now: dt.datetime) -> pd.DataFrame:
    """Every judged field of §4 (and the `due_soon` warning of §5) as of `now`."""
    d = frames.dossiers
    t_now = local_instant(now)
    status = d["status"].to_numpy(dtype=np.int64)
    is_open = np.isin(status, OPEN_STATUSES)
    ended = np.isin(status, ENDED_STATUSES)
    finished = np.isin(status, FINISHED_STATUSES)
    in_scope = is_open | ended

    statutory = calendar.statutory_due(
        d["received_at"].to_numpy(dtype="datetime64[s]"),
        d["limit_value"].to_numpy(),
        d["limit_unit"].to_numpy(),
    )
    base = base_due(frames, statutory)
    sup = supplement_summary(frames)
    due = effective_due(frames, calendar, rules, base, sup)
    end = end_time(frames)
    paused = ((status == 5) & (sup.pending > 0)) | (status == 6)
    has_due = ~np.isnat(due)

    overdue_return = in_scope & finished & has_due & ~np.isnat(end) & (end > due)
    running = in_scope & is_open & ~paused & has_due
    overdue_open = running & (t_now > due)
    horizon = calendar.add_working_seconds(np.array([t_now]), rules.warn_within_working_hours * 3600)[0]
    due_soon = running & (t_now < due) & (due <= horizon)

    late = np.full(len(d), np.nan)
    due_ord = calendar.working_ordinal(due)
    judged_finish = in_scope & finished & has_due & ~np.isnat(end)
    late[judged_finish] = 0.0
    late[in_scope & is_open & has_due] = 0.0  # paused or not yet due: judged, not late
    end_ord = calendar.working_ordinal(end)
    now_ord = int(calendar.working_ordinal(np.array([t_now]))[0])
    late[overdue_return] = np.maximum(end_ord[overdue_return] - due_ord[overdue_return], 0) / 3600
    late[overdue_open] = np.maximum(now_ord - due_ord[overdue_open], 0) / 3600

    apologies = frames.apologies
    a_pos = frames.positions(apologies["dossier_id"].to_numpy())
    rescheduled = ~np.isnat(apologies["new_due_at"].to_numpy(dtype="datetime64[s]"))

    return pd.DataFrame(
        {
            "id": d["id"].to_numpy(),
            "unit_code": d["unit_code"].to_numpy(),
            "status": status,
            "in_scope": in_scope,
            "open": is_open,
            "ended": ended,
            "finished": finished,
            "statutory_due": statutory,
            "base_due": base,
            "effective_due": due,
            "end_at": end,
            "paused": in_scope & paused,
            "supplement_count": sup.count,
            "pending_supplements": sup.pending,
            "reschedule_count": np.bincount(a_pos[rescheduled], minlength=len(d)).astype(np.int64),
            "apology_count": np.bincount(a_pos, minlength=len(d)).astype(np.int64),
            "overdue_return": overdue_return,
            "overdue_open": overdue_open,
            "late_working_hours": late,
            "due_soon": due_soon,
        },
        index=d.index,
    )
