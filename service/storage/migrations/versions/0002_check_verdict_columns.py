"""Both modes' verdicts as columns of `checks`, so batch summaries aggregate in SQL instead of
loading every result document.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_CHECKS = sa.table(
    "checks",
    sa.column("id", sa.String),
    sa.column("result", sa.JSON),
    sa.column("verdict_strict", sa.String),
    sa.column("verdict_logical", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("checks") as table:  # batch mode: SQLite cannot ALTER in place
        table.add_column(sa.Column("verdict_strict", sa.String(16), nullable=True))
        table.add_column(sa.Column("verdict_logical", sa.String(16), nullable=True))
    connection = op.get_bind()
    # Backfilled in Python: JSON extraction is spelled differently by each database.
    for check_id, result in connection.execute(sa.select(_CHECKS.c.id, _CHECKS.c.result)).all():
        connection.execute(
            _CHECKS.update()
            .where(_CHECKS.c.id == check_id)
            .values(verdict_strict=result["verdict_strict"], verdict_logical=result["verdict_logical"])
        )
    with op.batch_alter_table("checks") as table:
        table.alter_column("verdict_strict", existing_type=sa.String(16), nullable=False)
        table.alter_column("verdict_logical", existing_type=sa.String(16), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("checks") as table:
        table.drop_column("verdict_logical")
        table.drop_column("verdict_strict")
