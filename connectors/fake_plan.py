"""Drawing dossier lives for the fake center: realistic shares of early, on-day and late results,
supplement requests (some repeated), fee waits, apologies (some missing, late, or rescheduling twice),
late steps, withdrawals and stops, and ratings. Deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random

from connectors.base import LOCAL_TZ
from connectors.fake_catalog import (
    APOLOGY_REASONS,
    COMPANIES,
    FAMILY,
    GIVEN,
    MIDDLE,
    OFFICE,
    ONE_STOP,
    PROCEDURES,
    SUPPLEMENT_REASONS,
)
from connectors.fake_data import _DAY_SECONDS, _HOUR, DueFunction, Plan, add_working, simple_due


def _upto(t: dt.datetime | None, limit: dt.datetime) -> dt.datetime | None:
    return t if t is not None and t <= limit else None


class Planner:
    """Draws dossier lives with realistic shares (early/on-day/late, supplements, apologies...)."""

    def __init__(self, seed: int, due: DueFunction = simple_due) -> None:
        self.rng = random.Random(seed)
        self.due = due
        self.weights = [p[5] for p in PROCEDURES]

    def _due(self, received: dt.datetime, value: float, unit: str) -> dt.datetime:
        due = self.due(received.replace(tzinfo=LOCAL_TZ), value, unit)
        return due.astimezone(LOCAL_TZ).replace(tzinfo=None)

    def _office_instant(self, start: dt.datetime, span_days: float) -> dt.datetime:
        rng = self.rng
        t = start + dt.timedelta(days=rng.random() * span_days)
        hour = rng.choice((7, 8, 9, 10, 13, 14, 15, 16))
        return add_working(t.replace(hour=hour, minute=rng.randrange(60)), 0)

    def plan(self, submitted: dt.datetime, code: str) -> Plan:
        rng = self.rng
        proc_index = rng.choices(range(len(PROCEDURES)), self.weights)[0]
        _field, unit, _name, limit, unit_text, _w = PROCEDURES[proc_index]
        channel = rng.choices((1, 2, 3), (40, 55, 5))[0]
        p = Plan(code=code, procedure=proc_index, channel=channel, submitted=submitted)
        p.person = self._person(code)
        roll = rng.random()
        received = submitted if channel == 1 else add_working(submitted, rng.uniform(0.2, 6) * _HOUR)
        if channel != 1 and roll < 0.01:
            p.seal()
            return p  # never accepted: stays "Mới đăng ký"
        if roll < 0.03:
            p.refused = received
            p.seal()
            return p
        p.received = received
        statutory = self._due(received, limit, unit_text)
        appointed = statutory
        if rng.random() < 0.04:  # the desk promised a later date than the law allows
            appointed = add_working(statutory, rng.choice((1, 2, 3, 5)) * _DAY_SECONDS)
        p.appointed = None if rng.random() < 0.01 else appointed
        span = (appointed - received).total_seconds()
        paused = self._supplements(p, received, span)
        effective = appointed + dt.timedelta(seconds=paused)
        finished = self._finish(received, effective, p)
        self._steps(p, unit, received, effective, finished)
        if rng.random() < 0.1:  # waiting for fees: status 6 shortly before the result
            p.fee = (finished - dt.timedelta(days=rng.uniform(1, 4)), finished - dt.timedelta(hours=1))
            if p.fee[0] <= received:
                p.fee = None
        if finished > effective:
            self._apologies(p, received, effective, finished)
        end_roll = rng.random()
        if end_roll < 0.03:  # withdrawn (7) or stopped (8) part-way
            when = received + (finished - received) * rng.uniform(0.2, 0.9)
            p.ended = (7 if end_roll < 0.02 else 8, when)
            p.steps = [(u, s, d, _upto(h, when)) for u, s, d, h in p.steps if s <= when]
            p.supplements = [(r, _upto(d, when), t) for r, d, t in p.supplements if r <= when]
            p.apologies = [a for a in p.apologies if a[0] <= when]
            p.fee = None
        else:
            p.finished = finished
            if rng.random() < 0.9:
                p.returned = add_working(finished, rng.uniform(0.1, 20) * _HOUR)
                if rng.random() < 0.35:
                    late = finished > effective
                    level = rng.choices((1, 2, 3), (40, 35, 25) if late else (60, 33, 7))[0]
                    complaint = rng.random() < (0.12 if late else 0.02)
                    p.rating = (p.returned + dt.timedelta(hours=rng.uniform(0.5, 48)), level, complaint)
        p.seal()
        return p

    def _person(self, code: str) -> tuple[str, str, str, str]:
        rng = self.rng
        if rng.random() < 0.3:
            name = f"{rng.choice(COMPANIES)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}"
        else:
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        serial = code[-4:] + code[7:13]
        phone = f"09{rng.randrange(10**8):08d}"
        return name, phone, f"nguoinop{serial}@example.vn", f"0{rng.randrange(10**11):011d}"

    def _supplements(self, p: Plan, received: dt.datetime, span: float) -> float:
        rng = self.rng
        if rng.random() >= 0.12:
            return 0.0
        paused = 0.0
        at = received + dt.timedelta(seconds=span * rng.uniform(0.1, 0.5))
        for _ in range(3 if rng.random() < 0.05 else 2 if rng.random() < 0.2 else 1):
            requested = add_working(at, 0)
            done = add_working(requested + dt.timedelta(days=rng.uniform(0.5, 6)), 0)
            p.supplements.append((requested, done, rng.choice(SUPPLEMENT_REASONS)))
            paused += (done - requested).total_seconds()
            at = done + dt.timedelta(days=rng.uniform(0.5, 3))
        return paused

    def _finish(self, received: dt.datetime, effective: dt.datetime, p: Plan) -> dt.datetime:
        rng = self.rng
        floor = (p.supplements[-1][1] if p.supplements else received) or received
        outcome = rng.random()
        if outcome < 0.62:  # early: a day before the due date or more
            t = received + (effective - received) * rng.uniform(0.3, 0.85)
            t = add_working(t, 0)
            if t.date() >= effective.date():
                t = effective - dt.timedelta(days=1)
        elif outcome < 0.86:  # on the due date, before the due time
            opening = effective.replace(hour=7, minute=0, second=0)
            t = effective - (effective - opening) * rng.uniform(0, 0.9) if effective > opening else effective
        else:
            t = add_working(effective, rng.uniform(0.5, 64) * _HOUR)
        return max(t, floor + dt.timedelta(hours=rng.uniform(0.5, 4)))

    def _steps(self, p: Plan, unit: str, received: dt.datetime, due: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        one_stop = min(received + dt.timedelta(minutes=rng.uniform(10, 120)), end)
        sign_start = end - (end - one_stop) * rng.uniform(0.05, 0.2)
        expert_due = received + (due - received) * 0.8
        if (end > due and rng.random() < 0.7) or rng.random() < 0.06:
            sign_start = max(sign_start, expert_due + dt.timedelta(hours=rng.uniform(1, 30)))
            sign_start = min(sign_start, end)
        leader = OFFICE[0] if rng.random() < 0.5 else unit
        p.steps = [
            (ONE_STOP[0], received, add_working(received, 4 * _HOUR), one_stop),
            (unit, one_stop, expert_due, sign_start),
            (leader, sign_start, due, end),
        ]

    def _apologies(self, p: Plan, received: dt.datetime, due: dt.datetime, end: dt.datetime) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            return
        if roll < 0.8:
            issued = due - dt.timedelta(days=rng.uniform(1.2, 3))
            issued = max(issued, received + dt.timedelta(hours=1))
        else:
            issued = due + dt.timedelta(hours=rng.uniform(2, 48))
        new = add_working(end, rng.uniform(0, 16) * _HOUR).replace(hour=16, minute=30, second=0)
        p.overwrite_due = rng.random() < 0.5
        if rng.random() < 0.15:
            first = add_working(due, rng.uniform(4, 16) * _HOUR)
            p.apologies.append((issued, first, rng.choice(APOLOGY_REASONS)))
            issued = max(issued + dt.timedelta(hours=2), first - dt.timedelta(hours=6))
        p.apologies.append((issued, new, rng.choice(APOLOGY_REASONS)))


def plan_department(
    seed: int, now: dt.datetime, size: int, future_days: float = 7.0, due: DueFunction = simple_due
) -> list[Plan]:
    """`size` dossiers submitted over the year before `now` and `future_days` after it (naive local)."""
    planner = Planner(seed, due)
    start = now - dt.timedelta(days=365)
    span = 365 + future_days
    times = sorted(planner._office_instant(start, span) for _ in range(size))
    per_day: dict[dt.date, int] = {}
    plans = []
    for t in times:
        n = per_day[t.date()] = per_day.get(t.date(), 0) + 1
        plans.append(planner.plan(t, f"H48.18-{t:%y%m%d}-{n:04d}"))
    return plans
