"""The web benchmark's data set, written by SQL in PostgreSQL: 20 units, 1,000,000 dossiers received over
the last year (about a tenth late), 100,000 supplement requests and 100,000 violations (every dossier
whose id ends in 3, which puts them all in units U04 and U14: 50,000 each, the worst case for a unit
filter), and two users."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from monitor import migrate
from monitor.db import session_factory
from monitor.users import create_user

DOSSIERS = 1_000_000
VIOLATIONS = 100_000
PASSWORD = "bench-password-1"
OFFICE = "office@bench.vn"
HEAD = "head01@bench.vn"

_FILL = [
    """INSERT INTO units (code, name, updated_at)
       SELECT 'U' || lpad(u::text, 2, '0'), 'Phòng chuyên môn số ' || u, :now
       FROM generate_series(1, 20) u""",
    # received spread over the year before :now; 9 in 10 ended, ~1 in 6 of those after its 7-day due
    """INSERT INTO dossiers (id, code, connector, procedure_code, unit_code, unit_name, status, received_at,
         first_appointed_at, appointed_at, finished_at, source_updated_at, snapshot_hash, first_seen_at,
         changed_at)
       SELECT i, 'H48.18-' || to_char(r, 'YYMMDD') || '-' || lpad(i::text, 7, '0'), 'center', 'P' || (i % 50),
         'U' || lpad((1 + i % 20)::text, 2, '0'), 'Phòng chuyên môn số ' || (1 + i % 20),
         CASE WHEN ended THEN 10 ELSE 4 END, r, r + interval '7 days', r + interval '7 days',
         CASE WHEN ended THEN r + (i % 200) * interval '1 hour' END,
         CASE WHEN ended THEN r + (i % 200) * interval '1 hour' ELSE r END,
         md5(i::text), r, r
       FROM (SELECT i, :start + (i::bigint * 31) * interval '1 second' AS r,
                    (i % 10 <> 9
                     AND :start + (i::bigint * 31) * interval '1 second' < :now - interval '9 days') AS ended
             FROM generate_series(1, :n) i) g""",
    """INSERT INTO judgements (dossier_id, base_due_at, effective_due_at, end_at, paused, due_soon,
         evaluated_at)
       SELECT id, first_appointed_at, first_appointed_at, finished_at, false, status = 4 AND id % 7 = 0, :now
       FROM dossiers""",
    """INSERT INTO supplement_requests (dossier_id, seq, requested_at, completed_at)
       SELECT i, 1, received_at + interval '1 day', received_at + interval '2 days'
       FROM (SELECT id AS i, received_at FROM dossiers WHERE id % 10 = 5) s""",
    """INSERT INTO violations (rule, dossier_id, unit_code, step, status, detected_at, updated_at, details)
       SELECT (ARRAY['overdue_return','overdue_open','repeated_supplement','missing_apology',
                     'repeated_reschedule','step_overdue','due_beyond_statutory'])[1 + (id / 10) % 7],
              id, unit_code, CASE WHEN (id / 10) % 7 = 5 THEN 1 ELSE 0 END,
              (ARRAY['open','open','open','explained','accepted','rejected','resolved'])[1 + (id / 70) % 7],
              received_at + interval '8 days', received_at + interval '8 days', '{}'::jsonb
       FROM dossiers WHERE id % 10 = 3""",
    "SELECT setval(pg_get_serial_sequence('dossiers', 'id'), (SELECT max(id) FROM dossiers))",
    "ANALYZE",
]


def ensure_database(url: str) -> None:
    base = make_url(url)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": base.database}):
            conn.execute(text(f'CREATE DATABASE "{base.database}"'))
    admin.dispose()


def populated(engine: Engine) -> bool:
    with engine.connect() as conn:
        try:
            dossiers = conn.scalar(text("SELECT count(*) FROM dossiers"))
            violations = conn.scalar(text("SELECT count(*) FROM violations"))
        except Exception:  # no schema yet
            return False
    return bool(dossiers == DOSSIERS and violations == VIOLATIONS)


def build(engine: Engine, now: dt.datetime) -> None:
    """Drop everything and write the data set; about a minute on two cores."""
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    start = (now - dt.timedelta(days=365)).astimezone(dt.UTC).replace(tzinfo=None)
    params = {"now": now.astimezone(dt.UTC).replace(tzinfo=None), "start": start, "n": DOSSIERS}
    with engine.begin() as conn:
        for statement in _FILL:
            conn.execute(text(statement), {k: v for k, v in params.items() if f":{k}" in statement})
    with session_factory(engine).begin() as session:
        create_user(session, email=OFFICE, role="office", unit_code=None, password=PASSWORD)
        create_user(session, email=HEAD, role="unit_head", unit_code="U01", password=PASSWORD)
