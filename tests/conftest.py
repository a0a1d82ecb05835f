"""Shared fixtures: settings builders and a database on SQLite and on PostgreSQL.

PostgreSQL tests use one database per xdist worker, created on demand, at MONITOR_TEST_PG_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/monitor_test). They fail, not skip, when the
server is down: set MONITOR_TEST_SKIP_PG=1 to skip them on purpose. MONITOR_TEST_DB_SUFFIX keeps two
test runs on one machine (two checkouts, say) out of each other's databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from monitor import migrate
from monitor.config import Settings, parse_settings
from monitor.db import make_engine, session_factory
from monitor.models import Base

PG_URL = os.environ.get("MONITOR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/monitor_test")
BACKENDS = ["sqlite", "postgresql"]


def build_settings(data: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> Settings:
    return parse_settings(data or {}, env or {})


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pg_database_url(suffix: str = "") -> str:
    """A PostgreSQL database for this worker (created if missing)."""
    if os.environ.get("MONITOR_TEST_SKIP_PG") == "1":
        pytest.skip("PostgreSQL tests switched off by MONITOR_TEST_SKIP_PG=1")
    base = make_url(PG_URL)
    name = f"{base.database}{os.environ.get('MONITOR_TEST_DB_SUFFIX', '')}_{_worker()}{suffix}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def fresh_database_url(backend: str, tmp_path: Path, suffix: str = "") -> str:
    """An empty database of that backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'monitor{suffix}.db'}"
    url = pg_database_url(suffix)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def _pg_migrated() -> Iterator[str]:
    url = pg_database_url()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'monitor.db'}"
        engine = make_engine(build_settings({"database": {"url": url}}).database)
        migrate.upgrade(engine)
        engine.dispose()
        return url
    pg_url: str = request.getfixturevalue("_pg_migrated")
    engine = create_engine(pg_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        # A connection a previous test leaked in a transaction would make TRUNCATE wait forever:
        # fail loudly instead.
        conn.execute(text("SET LOCAL lock_timeout = '30s'"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return pg_url


@pytest.fixture
def settings(db_url: str) -> Settings:
    return build_settings({"database": {"url": db_url}})


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)
