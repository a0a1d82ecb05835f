"""Evaluation on SQLite and PostgreSQL: lifecycle, audit trail, idempotence, increments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import Settings
from monitor.evaluate import evaluate
from monitor.frames import load_frames
from monitor.indicators import classify_period, month_bounds
from monitor.models import Dossier, Judgement, Violation, ViolationEvent
from tests.conftest import build_settings
from tests.rules_support import CALENDAR, Case, at, case, store

NOW = at("2026-02-10 09:00")
LATER = at("2026-02-11 09:00")


def add(sessions: sessionmaker[Session], *cases: Case) -> None:
    with sessions.begin() as session:
        store(session, *cases, changed=at("2026-02-10 08:00"))


def change(sessions: sessionmaker[Session], dossier_id: int, when: dt.datetime, **fields: Any) -> None:
    """What a sync does when the center sends a different snapshot."""
    with sessions.begin() as session:
        d = session.get_one(Dossier, dossier_id)
        for name, value in fields.items():
            setattr(d, name, value)
        d.changed_at = when


def violations(sessions: sessionmaker[Session]) -> dict[tuple[int, str, int], str]:
    with sessions() as session:
        return {(v.dossier_id, v.rule, v.step): v.status for v in session.scalars(select(Violation))}


def events(sessions: sessionmaker[Session]) -> list[tuple[int, str, str | None, str, str]]:
    with sessions() as session:
        rows = session.scalars(select(ViolationEvent).order_by(ViolationEvent.id))
        return [(e.violation.dossier_id, e.action, e.from_status, e.to_status, e.actor) for e in rows]


def snapshot(sessions: sessionmaker[Session]) -> list[Any]:
    with sessions() as session:
        found = [
            (v.id, v.status, v.details, v.detected_at, v.resolved_at, v.updated_at, v.unit_code)
            for v in session.scalars(select(Violation).order_by(Violation.id))
        ]
        judged = [
            (
                j.dossier_id,
                j.effective_due_at,
                j.end_at,
                j.paused,
                j.due_soon,
                j.late_working_hours,
                j.evaluated_at,
            )
            for j in session.scalars(select(Judgement).order_by(Judgement.dossier_id))
        ]
    return [found, judged, events(sessions)]


def test_evaluation_opens_violations_and_stores_the_judged_fields(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=4), case(2, status=10, finished="2026-02-06 10:00"), case(3, status=1))
    summary = evaluate(settings, sessions, NOW)
    assert summary.as_json()["opened"] == 2
    assert summary.open_total == 2
    assert violations(sessions) == {(1, "overdue_open", 0): "open", (1, "missing_apology", 0): "open"}
    assert [e[1:] for e in events(sessions)] == [("opened", None, "open", "system")] * 2
    with sessions() as session:
        j = session.get_one(Judgement, 1)
        assert j.effective_due_at == at("2026-02-09 08:00")
        assert j.statutory_due_at == j.base_due_at == j.effective_due_at
        assert (j.paused, j.due_soon, j.late_working_hours, j.evaluated_at) == (False, False, 9.0, NOW)
        assert session.get(Judgement, 3) is not None  # out of scope (status 1), judged all the same
        v = session.scalars(select(Violation).where(Violation.rule == "overdue_open")).one()
        assert v.detected_at == NOW
        assert v.details["effective_due"] == "2026-02-09T08:00:00+07:00"


def test_evaluating_twice_on_the_same_data_and_time_changes_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(
        sessions,
        case(1, status=4, steps=[("U2", "2026-02-03 08:00", None)]),
        case(2, status=10, finished="2026-02-09 10:00", supplements=[("2026-02-03 08:00", None)] * 2),
        case(3, status=5, supplements=[("2026-02-05 08:00", None)]),
    )
    evaluate(settings, sessions, NOW)
    before = snapshot(sessions)
    again = evaluate(settings, sessions, NOW)
    assert (again.opened, again.resolved) == (0, 0)
    assert snapshot(sessions) == before
    assert evaluate(settings, sessions, NOW, full=True).opened == 0
    assert snapshot(sessions) == before


def test_a_corrected_record_resolves_its_violation_with_an_audit_entry(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=10, finished="2026-02-09 09:00", apologies=[("2026-02-06 09:00", None)]))
    evaluate(settings, sessions, NOW)
    assert violations(sessions) == {(1, "overdue_return", 0): "open"}
    change(sessions, 1, at("2026-02-10 10:00"), finished_at=at("2026-02-09 07:30"))
    summary = evaluate(settings, sessions, LATER)
    assert (summary.resolved, summary.open_total) == (1, 0)
    assert violations(sessions) == {(1, "overdue_return", 0): "resolved"}
    assert events(sessions)[-1] == (1, "resolved", "open", "resolved", "system")
    with sessions() as session:
        assert session.scalars(select(Violation)).one().resolved_at == LATER


def test_an_open_overdue_dossier_that_finishes_late_turns_into_a_late_return(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=4))
    evaluate(settings, sessions, NOW)
    change(sessions, 1, at("2026-02-10 11:00"), status=10, finished_at=at("2026-02-10 10:00"))
    evaluate(settings, sessions, LATER)
    assert violations(sessions) == {
        (1, "overdue_open", 0): "resolved",
        (1, "overdue_return", 0): "open",
        (1, "missing_apology", 0): "open",
    }


def test_an_explained_violation_keeps_its_status_while_it_holds_and_is_resolved_when_it_stops(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=4, supplements=[("2026-02-03 08:00", "2026-02-03 09:00")] * 2))
    evaluate(settings, sessions, NOW)
    with sessions.begin() as session:
        v = session.scalars(select(Violation).where(Violation.rule == "repeated_supplement")).one()
        v.status, v.explanation = "explained", "Công dân nộp thiếu hai lần"
    evaluate(settings, sessions, LATER)
    assert violations(sessions)[(1, "repeated_supplement", 0)] == "explained"
    with sessions.begin() as session:
        d = session.get_one(Dossier, 1)
        d.supplements.pop()
        d.changed_at = at("2026-02-11 10:00")
    evaluate(settings, sessions, at("2026-02-11 11:00"))
    assert violations(sessions)[(1, "repeated_supplement", 0)] == "resolved"
    assert events(sessions)[-1][1:4] == ("resolved", "explained", "resolved")


def test_a_resolved_violation_whose_condition_returns_is_reopened(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=10, finished="2026-02-09 09:00", apologies=[("2026-02-06 09:00", None)]))
    evaluate(settings, sessions, NOW)
    change(sessions, 1, at("2026-02-10 10:00"), finished_at=at("2026-02-09 07:30"))
    evaluate(settings, sessions, LATER)
    change(sessions, 1, at("2026-02-11 10:00"), finished_at=at("2026-02-09 09:30"))
    summary = evaluate(settings, sessions, at("2026-02-11 11:00"))
    assert (summary.opened, summary.reopened) == (1, 1)
    assert [e[1] for e in events(sessions)] == ["opened", "resolved", "reopened"]
    with sessions() as session:
        v = session.scalars(select(Violation)).one()
        assert (v.status, v.resolved_at, v.detected_at) == ("open", None, NOW)


def test_an_ended_unchanged_dossier_keeps_its_verdict_until_a_full_evaluation(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    add(
        sessions,
        case(
            1,
            status=10,
            finished="2026-02-06 10:00",
            supplements=[("2026-02-03 08:00", "2026-02-03 09:00")] * 2,
        ),
    )
    lenient = build_settings({"database": {"url": db_url}, "rules": {"max_supplement_requests": 2}})
    evaluate(lenient, sessions, NOW)
    strict = build_settings({"database": {"url": db_url}})
    assert evaluate(strict, sessions, LATER).evaluated == 0
    assert violations(sessions) == {}
    summary = evaluate(strict, sessions, LATER, full=True)
    assert (summary.evaluated, summary.opened) == (1, 1)


def test_a_switched_off_rule_leaves_its_stored_violations_alone(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=4))
    evaluate(build_settings({"database": {"url": db_url}}), sessions, NOW)
    off = build_settings({"database": {"url": db_url}, "rules": {"disabled": ["overdue_open", "due_soon"]}})
    evaluate(off, sessions, LATER)
    assert violations(sessions) == {(1, "overdue_open", 0): "open", (1, "missing_apology", 0): "open"}


def test_the_months_late_dossiers_are_those_the_rules_found_late(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    """§6 late = overdue_return or overdue_open, unless only the supplement count made it late."""
    add(
        sessions,
        case(1, status=10, finished="2026-02-06 10:00"),
        case(2, status=10, finished="2026-02-09 09:00"),
        case(
            3,
            status=10,
            finished="2026-02-05 10:00",
            supplements=[("2026-02-03 08:00", "2026-02-03 09:00")] * 2,
        ),
        case(4, status=4),
        case(5, status=4, received="2026-02-26 08:00"),
        case(6, status=9, finished="2026-02-27 10:00", received="2026-02-23 08:00"),
        case(7, status=10, finished="2026-02-13 16:00", appointed="2026-02-13 15:00"),
    )
    end_of_month = at("2026-02-28 23:59:59")
    evaluate(settings, sessions, end_of_month)
    verdicts = classify_period(
        load_frames(sessions.kw["bind"]), CALENDAR, settings.rules, *month_bounds("2026-02")
    )
    late_by_766 = set(verdicts.loc[verdicts["late"], "id"])
    late_by_rules = {d for d, rule, _ in violations(sessions) if rule in ("overdue_return", "overdue_open")}
    only_count = {d for d, rule, _ in violations(sessions) if rule == "repeated_supplement"} - late_by_rules
    assert late_by_766 == late_by_rules | only_count == {2, 3, 4, 7}


def test_a_later_evaluation_does_not_rewrite_a_violation_that_still_holds(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    add(sessions, case(1, status=4, steps=[("U2", "2026-02-03 08:00", None)]))
    evaluate(settings, sessions, NOW)
    with sessions() as session:
        before = {(v.rule, v.updated_at) for v in session.scalars(select(Violation))}
    evaluate(settings, sessions, LATER)
    with sessions() as session:
        assert {(v.rule, v.updated_at) for v in session.scalars(select(Violation))} == before
        assert session.get_one(Judgement, 1).late_working_hours == 17.0


def test_judged_instants_are_stored_exactly_as_sqlalchemy_writes_them(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    # SQLite compares stored instants as text (`evaluated_at >= changed_at`, the digest's `due < now`):
    # the bulk write must produce the very text a bound DateTime produces, not merely an equal instant.
    add(sessions, case(1, status=4), case(2, status=10, finished="2026-02-06 10:00"))
    evaluate(settings, sessions, NOW)
    d = Judgement.__table__.c
    due, finished = at("2026-02-09 08:00"), at("2026-02-06 10:00")
    with sessions() as session:
        matching = session.scalars(
            select(d.dossier_id).where(
                ((d.effective_due_at == due) & (d.base_due_at == due) & (d.statutory_due_at == due))
                | (d.end_at == finished),
                d.evaluated_at == NOW,
            )
        )
        assert sorted(matching) == [1, 2]


@pytest.mark.parametrize("by_ids", [200_000, 0], ids=["id-lists", "whole-table"])
def test_only_the_violations_of_judged_dossiers_are_resolved_however_they_are_read(
    settings: Settings, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, by_ids: int
) -> None:
    import monitor.frames as module

    monkeypatch.setattr(module, "_BY_ID_LIMIT", by_ids)
    monkeypatch.setattr(module, "_CHUNK", 1)  # one id per IN list: every list boundary is crossed
    twice = [("2026-02-03 08:00", "2026-02-03 09:00")] * 2
    add(
        sessions,
        case(1, status=10, finished="2026-02-06 10:00", supplements=twice),
        case(2, status=10, finished="2026-02-06 10:00", supplements=twice),
        case(3, status=10, finished="2026-02-06 10:00", supplements=twice),
    )
    evaluate(settings, sessions, NOW)
    with sessions.begin() as session:
        for dossier_id in (1, 3):  # corrected by the center; dossier 2 is left as it was
            d = session.get_one(Dossier, dossier_id)
            d.supplements.pop()
            d.changed_at = at("2026-02-10 10:00")
    assert evaluate(settings, sessions, LATER).evaluated == 2
    assert violations(sessions) == {
        (1, "repeated_supplement", 0): "resolved",
        (2, "repeated_supplement", 0): "open",
        (3, "repeated_supplement", 0): "resolved",
    }
