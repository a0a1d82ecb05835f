"""Migrations run up from empty and down again on both backends, and match the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from monitor import migrate
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
