"""One sync run per connector: pull pages, store each in its own transaction, record the run.

The cursor (the last `NgayCapNhat` fully stored) moves with each stored page, in the same transaction,
so a run that fails part-way leaves everything it stored and a cursor that points no further than that.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from connectors.base import ConnectorError, DossierSource, Page
from connectors.files import FileBatch, FileSource
from connectors.http import HttpConnector, HttpOptions
from monitor.config import FileConnectorSettings, HttpConnectorSettings, Settings, secret
from monitor.db import transaction, utcnow
from monitor.models import ImportedFile, SyncCursor, SyncRun
from monitor.sync.store import Counts, advance_cursor, imported_hashes, store_catalog, store_dossiers
from monitor.timeutil import iso

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncProgress:
    """Sent after each stored page (or file), for a person watching a long run."""

    connector: str
    page: int
    fetched: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    total: int | None  # what the source announced, when it does
    label: str | None = None  # the file name, for file imports


@dataclass(frozen=True)
class SyncSummary:
    connector: str
    status: str  # "success" | "failed"
    fetched: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    error: str | None
    run_id: int | None
    started_at: dt.datetime
    finished_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        """The summary of interfaces.md (`monitor sync --format json`)."""
        out = asdict(self)
        out["started_at"], out["finished_at"] = iso(self.started_at), iso(self.finished_at)
        return out


class _Tally:
    def __init__(self) -> None:
        self.fetched = self.pages = 0
        self.counts = Counts()

    def add(self, fetched: int, counts: Counts) -> None:
        self.pages += 1
        self.fetched += fetched
        for key in ("inserted", "updated", "unchanged", "rejected"):
            setattr(self.counts, key, getattr(self.counts, key) + getattr(counts, key))


def http_options(settings: HttpConnectorSettings, env: Mapping[str, str]) -> HttpOptions:
    token = secret(env, settings.token_env)
    if settings.token_env and not token:
        raise ConnectorError(
            f"environment variable {settings.token_env} (token_env of connector {settings.name!r}) "
            "is not set",
            permanent=True,
        )
    return HttpOptions(
        base_url=settings.base_url,
        token=token,
        page_size=settings.page_size,
        timeout_seconds=settings.timeout_seconds,
        max_retries=settings.max_retries,
        backoff_seconds=settings.backoff_seconds,
        auth_header=settings.auth_header,
        auth_scheme=settings.auth_scheme,
        date_format=settings.date_format,
        paths={str(k): v for k, v in settings.paths.items()},
        params={str(k): v for k, v in settings.params.items()},
        fields=dict(settings.fields),
    )


def sync_connector(
    settings: Settings,
    sessions: sessionmaker[Session],
    name: str,
    *,
    now: Callable[[], dt.datetime] = utcnow,
    env: Mapping[str, str] | None = None,
    progress: Callable[[SyncProgress], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SyncSummary:
    """Pull one connector once and store what it gives; never raises for a source's failure."""
    config = settings.connector(name)
    started = now()
    with transaction(sessions) as session:
        run = SyncRun(connector=name, started_at=started, status="running")
        session.add(run)
        session.flush()
        run_id = run.id
    tally = _Tally()
    error: str | None = None
    cursor_from = cursor_to = None
    try:
        if isinstance(config, FileConnectorSettings):
            _sync_files(config, sessions, run_id, now, tally, progress)
        else:
            source = HttpConnector(http_options(config, os.environ if env is None else env), sleep=sleep)
            try:
                cursor_from = _since(sessions, name, config.overlap_minutes)
                cursor_to = _sync_pages(source, name, cursor_from, sessions, run_id, now, tally, progress)
            finally:
                source.close()
    except ConnectorError as exc:
        error = exc.message
    except Exception as exc:  # a database error, a bug: the run must still end as failed, visibly
        log.exception("sync of connector %s failed", name)
        error = f"{type(exc).__name__}: {exc}"
    finished = now()
    c = tally.counts
    with transaction(sessions) as session:
        row = session.get_one(SyncRun, run_id)
        row.status = "failed" if error else "success"
        row.finished_at, row.error = finished, error
        row.fetched, row.inserted, row.updated = tally.fetched, c.inserted, c.updated
        row.unchanged, row.rejected = c.unchanged, c.rejected
        row.cursor_from, row.cursor_to = cursor_from, cursor_to
    return SyncSummary(
        connector=name,
        status="failed" if error else "success",
        fetched=tally.fetched,
        inserted=c.inserted,
        updated=c.updated,
        unchanged=c.unchanged,
        rejected=c.rejected,
        error=error,
        run_id=run_id,
        started_at=started,
        finished_at=finished,
    )


def sync_all(
    settings: Settings,
    sessions: sessionmaker[Session],
    *,
    now: Callable[[], dt.datetime] = utcnow,
    env: Mapping[str, str] | None = None,
    progress: Callable[[SyncProgress], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[SyncSummary]:
    """Every enabled connector once, in configuration order; one failing does not stop the others."""
    return [
        sync_connector(settings, sessions, c.name, now=now, env=env, progress=progress, sleep=sleep)
        for c in settings.connectors
        if c.enabled
    ]


def _since(sessions: sessionmaker[Session], name: str, overlap_minutes: int) -> dt.datetime | None:
    with sessions() as session:
        until = session.scalar(select(SyncCursor.updated_until).where(SyncCursor.connector == name))
    return None if until is None else until - dt.timedelta(minutes=overlap_minutes)


def _sync_pages(
    source: DossierSource,
    name: str,
    since: dt.datetime | None,
    sessions: sessionmaker[Session],
    run_id: int,
    now: Callable[[], dt.datetime],
    tally: _Tally,
    progress: Callable[[SyncProgress], None] | None,
) -> dt.datetime | None:
    units, procedures = source.units(), source.procedures()
    with transaction(sessions) as session:
        store_catalog(session, units, procedures, now())
    cursor = None
    for page in source.dossier_pages(since):
        cursor = _store(page, name, sessions, run_id, now, tally) or cursor
        if progress is not None:
            _report(progress, name, tally, page.total)
    return cursor


def _store(
    page: Page,
    name: str,
    sessions: sessionmaker[Session],
    run_id: int,
    now: Callable[[], dt.datetime],
    tally: _Tally,
    file: FileBatch | None = None,
) -> dt.datetime | None:
    at = now()
    with transaction(sessions) as session:
        counts = store_dossiers(session, name, page.records, page.rejected, at, run_id)
        if file is not None:
            session.add(ImportedFile(connector=name, sha256=file.sha256, filename=file.filename,
                                     records=len(page.records), imported_at=at))  # fmt: skip
        else:
            advance_cursor(session, name, page.last_updated, at)
    tally.add(len(page.records) + len(page.rejected), counts)
    return page.last_updated


def _report(progress: Callable[[SyncProgress], None], name: str, tally: _Tally, total: int | None,
            label: str | None = None) -> None:  # fmt: skip
    c = tally.counts
    progress(SyncProgress(name, tally.pages, tally.fetched, c.inserted, c.updated, c.unchanged, c.rejected,
                          total, label))  # fmt: skip


def _sync_files(
    config: FileConnectorSettings,
    sessions: sessionmaker[Session],
    run_id: int,
    now: Callable[[], dt.datetime],
    tally: _Tally,
    progress: Callable[[SyncProgress], None] | None,
) -> None:
    with sessions() as session:
        seen = imported_hashes(session, config.name)
    batches: Iterator[FileBatch] = FileSource(config.path).batches(seen)
    for batch in batches:
        _store(batch.page, config.name, sessions, run_id, now, tally, batch)
        if progress is not None:
            _report(progress, config.name, tally, None, batch.filename)
