"""The data store keeps instants unambiguous and enforces its keys on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from monitor.calendar import LOCAL_TZ
from monitor.models import Dossier, SupplementRequest, Violation


def dossier(**overrides: object) -> Dossier:
    fields: dict[str, object] = {
        "code": "H48.18-260213-0007",
        "connector": "center",
        "unit_code": "H48.18.03",
        "status": 4,
        "source_updated_at": dt.datetime(2026, 2, 13, 16, 0, tzinfo=LOCAL_TZ),
        "snapshot_hash": "x" * 64,
    }
    fields.update(overrides)
    return Dossier(**fields)


def test_instants_round_trip_as_the_same_instant(sessions: sessionmaker[Session]) -> None:
    received = dt.datetime(2026, 2, 13, 16, 0, 5, tzinfo=LOCAL_TZ)
    with sessions.begin() as session:
        session.add(dossier(received_at=received))
    with sessions() as session:
        stored = session.scalars(select(Dossier)).one()
        assert stored.received_at == received
        assert stored.received_at is not None and stored.received_at.utcoffset() == dt.timedelta(0)


def test_a_naive_instant_is_refused(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(StatementError, match="naive datetime"), sessions.begin() as session:
        session.add(dossier(received_at=dt.datetime(2026, 2, 13, 16, 0)))


def test_a_dossier_code_is_stored_once(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add(dossier())
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(dossier())


def test_nested_rows_need_their_dossier(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(SupplementRequest(dossier_id=999, seq=1))
        session.flush()


def test_one_violation_per_dossier_rule_and_step(sessions: sessionmaker[Session]) -> None:
    now = dt.datetime(2026, 3, 1, tzinfo=LOCAL_TZ)
    with sessions.begin() as session:
        d = dossier()
        session.add(d)
        session.flush()
        session.add(Violation(rule="step_overdue", dossier_id=d.id, unit_code="A", step=1, detected_at=now))
        session.add(Violation(rule="step_overdue", dossier_id=d.id, unit_code="B", step=2, detected_at=now))
        dossier_id = d.id
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(
            Violation(rule="step_overdue", dossier_id=dossier_id, unit_code="A", step=1, detected_at=now)
        )


def test_deleting_a_dossier_removes_its_nested_rows(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        d = dossier()
        d.supplements.append(SupplementRequest(seq=1))
        session.add(d)
    with sessions.begin() as session:
        session.delete(session.scalars(select(Dossier)).one())
    with sessions() as session:
        assert session.scalars(select(SupplementRequest)).all() == []
