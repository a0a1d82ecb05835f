"""The scheduler's leader lock: only one `monitor scheduler` runs jobs; a second one starts and waits.

PostgreSQL: a session-level advisory lock held on a dedicated connection, released by the server when
that connection ends (a crashed host frees it). SQLite: an fcntl lock on a file beside the database,
released by the kernel when the process ends."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from monitor.config import DatabaseSettings
from monitor.db import make_engine

log = logging.getLogger("monitor.scheduler")
ADVISORY_KEY = 0x6D6F6E69746F72  # "monitor": one key per database, shared by every scheduler host


class LeaderLock(Protocol):
    description: str

    def try_acquire(self) -> bool: ...
    def still_held(self) -> bool: ...
    def release(self) -> None: ...


class PostgresLeaderLock:
    def __init__(self, settings: DatabaseSettings) -> None:
        self._engine: Engine = make_engine(settings)
        self._conn: Connection | None = None
        self.description = "PostgreSQL advisory lock"

    def try_acquire(self) -> bool:
        """False while another scheduler holds it, and while the database cannot be reached (keep waiting)."""
        try:
            if self._conn is None:
                self._conn = self._engine.connect()
            got = bool(self._conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}))
            self._conn.commit()  # end the implicit transaction; the session-level lock stays
        except OperationalError as exc:
            log.warning("leader lock: database unreachable (%s); retrying", str(exc).splitlines()[0])
            self._drop()
            return False
        return got

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OperationalError):
                self._conn.close()
            self._conn = None

    def still_held(self) -> bool:
        """False once the lock's connection is gone (the server dropped the lock with it)."""
        if self._conn is None:
            return False
        try:
            held = self._conn.scalar(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            )
            self._conn.commit()
        except Exception:  # any driver error means the connection, and so the lock, is lost
            return False
        return bool(held)

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                self._conn.commit()
            finally:
                self._conn.close()
                self._conn = None
        self._engine.dispose()


class FileLeaderLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self.description = f"lock file {path}"

    def try_acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def leader_lock(settings: DatabaseSettings) -> LeaderLock:
    url = make_url(settings.url)
    if url.get_backend_name() == "postgresql":
        return PostgresLeaderLock(settings)
    database = url.database or ""
    if not database or database == ":memory:":
        raise ValueError("the scheduler needs a file or PostgreSQL database, not an in-memory one")
    return FileLeaderLock(Path(database + ".scheduler.lock"))
