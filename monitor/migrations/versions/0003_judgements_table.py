"""Judged fields move from `dossiers` to their own table, `judgements`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

A first or full evaluation writes the judged fields of every dossier. As columns of `dossiers` that was
a million UPDATEs of wide rows (SQLite: ~7 s with the commit); as rows of a narrow table of their own it
is a million appends (~2 s). The judged values are copied over, so nothing needs evaluating again; the
downgrade copies them back.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import monitor.models.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMES = ("statutory_due_at", "base_due_at", "effective_due_at", "end_at")
COLUMNS = (*TIMES, "paused", "due_soon", "late_working_hours", "evaluated_at")


def upgrade() -> None:
    op.create_table(
        "judgements",
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        *(sa.Column(name, monitor.models.types.UTCDateTime(), nullable=True) for name in TIMES),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("due_soon", sa.Boolean(), nullable=False),
        sa.Column("late_working_hours", sa.Float(), nullable=True),
        sa.Column("evaluated_at", monitor.models.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossiers.id"], name=op.f("fk_judgements_dossier_id_dossiers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("dossier_id", name=op.f("pk_judgements")),
    )
    names = ", ".join(COLUMNS)
    op.execute(
        f"INSERT INTO judgements (dossier_id, {names})"  # noqa: S608 (fixed column names)
        f" SELECT id, {', '.join(TIMES)}, COALESCE(paused, false), COALESCE(due_soon, false),"
        " late_working_hours, evaluated_at FROM dossiers WHERE evaluated_at IS NOT NULL"
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_status_effective_due")
        for name in COLUMNS:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        for name in TIMES:
            batch_op.add_column(sa.Column(name, monitor.models.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("paused", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("due_soon", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("late_working_hours", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("evaluated_at", monitor.models.types.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_dossiers_status_effective_due", ["status", "effective_due_at"], unique=False)
    sets = ", ".join(
        f"{name} = (SELECT j.{name} FROM judgements j WHERE j.dossier_id = dossiers.id)" for name in COLUMNS
    )
    op.execute(
        f"UPDATE dossiers SET {sets}"  # noqa: S608 (fixed column names)
        " WHERE id IN (SELECT dossier_id FROM judgements)"
    )
    op.drop_table("judgements")
