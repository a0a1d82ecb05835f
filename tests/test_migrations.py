"""Migrations run up from empty and down again on both backends, and match the models."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, MetaData, Table, create_engine, inspect, select, text

from monitor import migrate
from monitor.config import DatabaseSettings
from monitor.db import make_engine
from monitor.models import Base
from tests.conftest import BACKENDS, fresh_database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_run_up_from_empty_and_down_again(backend: str, tmp_path: Path) -> None:
    engine = create_engine(fresh_database_url(backend, tmp_path, "_mig"))
    assert migrate.current(engine) is None
    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate.upgrade(engine)  # a second upgrade is a no-op
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migrated_schema_matches_the_models(backend: str, tmp_path: Path) -> None:
    engine = create_engine(fresh_database_url(backend, tmp_path, "_cmp"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": migrate.include_object}
            ),
            Base.metadata,
        )
    assert diff == []
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(engine_sqlite_path: Path) -> None:
    from monitor.config import DatabaseSettings
    from monitor.db import make_engine

    engine = make_engine(DatabaseSettings(url=f"sqlite:///{engine_sqlite_path}"))
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
    engine.dispose()


@pytest.fixture
def engine_sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "folder" / "monitor.db"


def test_postgresql_gets_a_trigram_index_for_the_code_search(tmp_path: Path) -> None:
    engine = create_engine(fresh_database_url("postgresql", tmp_path, "_trgm"))
    migrate.upgrade(engine)
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("dossiers")}
    assert "ix_dossiers_code_trgm" in indexes
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            r[0] for r in conn.execute(text("EXPLAIN SELECT id FROM dossiers WHERE code LIKE '%260315%'"))
        )
    assert "ix_dossiers_code_trgm" in plan
    migrate.downgrade(engine, "0001")
    assert "ix_dossiers_code_trgm" not in {ix["name"] for ix in inspect(engine).get_indexes("dossiers")}
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_judged_fields_move_to_their_own_table_and_back_without_loss(backend: str, tmp_path: Path) -> None:
    # The product's own engine: on SQLite it turns foreign keys on, under which rebuilding `dossiers`
    # would cascade-delete every child row unless the migration switches them off.
    engine = make_engine(DatabaseSettings(url=fresh_database_url(backend, tmp_path, "_jdg")))
    migrate.upgrade(engine, "0002")
    meta = MetaData()
    old = Table("dossiers", meta, autoload_with=engine)
    due = dt.datetime(2026, 2, 9, 1, 0)  # naive UTC, as stored
    common = {
        "connector": "center",
        "unit_code": "U1",
        "status": 10,
        "source_updated_at": due,
        "snapshot_hash": "h",
        "first_seen_at": due,
        "changed_at": due,
    }
    judged = {
        "statutory_due_at": due,
        "base_due_at": due,
        "effective_due_at": due + dt.timedelta(days=3),
        "end_at": due + dt.timedelta(days=4),
        "paused": False,
        "due_soon": True,
        "late_working_hours": 7.5,
        "evaluated_at": due + dt.timedelta(days=5),
    }
    with engine.begin() as conn:
        conn.execute(old.insert(), [{"id": 1, "code": "JUDGED", **common, **judged}])
        conn.execute(old.insert(), [{"id": 2, "code": "NEVER", **common}])  # never evaluated
        for table in ("supplement_requests", "processing_steps", "violations"):
            child = Table(table, meta, autoload_with=conn)
            row = {"dossier_id": 1, "seq": 1} if table != "violations" else VIOLATION
            conn.execute(child.insert(), [row])
    children = counts(engine)
    migrate.upgrade(engine)
    assert counts(engine) == children == [1, 1, 1]
    if backend == "sqlite":  # the pooled connection the migration used enforces foreign keys again
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA foreign_keys")) == 1
    assert "effective_due_at" not in {c["name"] for c in inspect(engine).get_columns("dossiers")}
    moved = rows(engine, "judgements", "dossier_id")
    assert [r["dossier_id"] for r in moved] == [1]
    assert {k: moved[0][k] for k in judged} == judged
    migrate.downgrade(engine, "0002")
    assert "judgements" not in inspect(engine).get_table_names()
    back = rows(engine, "dossiers", "id")
    assert {k: back[0][k] for k in judged} == judged
    assert all(back[1][k] is None for k in judged)
    assert counts(engine) == children
    engine.dispose()


VIOLATION = {
    "rule": "overdue_return",
    "dossier_id": 1,
    "unit_code": "U1",
    "step": 0,
    "status": "open",
    "detected_at": dt.datetime(2026, 2, 14),
    "updated_at": dt.datetime(2026, 2, 14),
    "details": {},
}


def counts(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [
            int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0)
            for t in ("supplement_requests", "processing_steps", "violations")
        ]


def rows(engine: Engine, table: str, key: str) -> list[dict[str, object]]:
    """A table's rows read through its reflected types (SQLite's stored text comes back as datetimes)."""
    reflected = Table(table, MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(reflected).order_by(reflected.c[key])).mappings()]
