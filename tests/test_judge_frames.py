"""Loading dossiers into frames gives the same frames on SQLite and PostgreSQL as the builders do."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from monitor.frames import load_frames
from monitor.models import Dossier
from tests.rules_support import Case, at, case, frames_of, store

CASES: list[Case] = [
    case(
        1,
        status=10,
        finished="2026-02-09 10:00:05",
        supplements=[("2026-02-03 08:00", "2026-02-04 08:00")],
        rating=3,
    ),
    case(
        2,
        status=5,
        unit="U2",
        appointed="2026-02-06 16:00",
        supplements=[("2026-02-03 08:00", None)],
        apologies=[("2026-02-05 08:00", "2026-03-01 08:00"), ("2026-02-06 08:00", None)],
        steps=[("U2", "2026-02-03 08:00", None), ("U3", "2026-02-04 08:00", "2026-02-04 09:00")],
    ),
    case(3, status=4, limit=None, complaint=True),
]
COMPARED = {
    "dossiers": [
        "id",
        "code",
        "unit_code",
        "status",
        "received_at",
        "first_appointed_at",
        "finished_at",
        "source_updated_at",
        "limit_value",
        "limit_unit",
        "rating",
        "complaint",
    ],
    "supplements": ["dossier_id", "seq", "requested_at", "completed_at"],
    "steps": ["dossier_id", "seq", "unit_code", "due_at", "handed_over_at"],
    "apologies": ["dossier_id", "seq", "issued_at", "new_due_at"],
}


def stored(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        store(session, *CASES)


def test_loaded_frames_hold_local_instants_and_the_nested_rows(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    stored(sessions)
    loaded, built = load_frames(engine), frames_of(*CASES)
    for name, columns in COMPARED.items():
        pd.testing.assert_frame_equal(getattr(loaded, name)[columns], getattr(built, name)[columns])
    assert loaded.dossiers["received_at"].dtype == np.dtype("datetime64[s]")


def test_frames_can_be_limited_by_id_unit_and_received_time(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    stored(sessions)
    with sessions() as session:
        by_id = load_frames(session, dossier_ids=[2, 3])
    assert by_id.dossiers["id"].tolist() == [2, 3]
    assert by_id.supplements["dossier_id"].tolist() == [2]
    by_unit = load_frames(engine, unit_codes=["U2"])
    assert by_unit.dossiers["id"].tolist() == [2]
    assert by_unit.steps["seq"].tolist() == [1, 2]
    assert by_unit.apologies["dossier_id"].tolist() == [2, 2]
    assert load_frames(engine, received_until=at("2026-02-02 07:59")).dossiers.empty
    assert len(load_frames(engine, received_until=at("2026-02-02 08:00"))) == 3


def test_a_condition_keeping_nearly_every_dossier_loads_only_their_nested_rows(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    # Nine of ten dossiers: the child tables are read whole and the tenth dossier's rows dropped.
    cases = [
        case(k, status=4, supplements=[("2026-02-03 08:00", None)], apologies=[("2026-02-05 08:00", None)])
        for k in range(1, 11)
    ]
    with sessions.begin() as session:
        store(session, *cases)
    loaded = load_frames(engine, where=Dossier.id != 4)
    kept = [k for k in range(1, 11) if k != 4]
    assert loaded.dossiers["id"].tolist() == kept
    assert loaded.supplements["dossier_id"].tolist() == kept
    assert loaded.apologies["dossier_id"].tolist() == kept
    built = frames_of(*(c for c in cases if c.id != 4))
    columns = COMPARED["supplements"]
    pd.testing.assert_frame_equal(loaded.supplements[columns], built.supplements[columns])


def test_an_empty_database_gives_empty_frames(engine: Engine) -> None:
    frames = load_frames(engine)
    assert len(frames) == 0
    assert frames.supplements.empty
