"""The graded score of a check (`CheckResult.score`) as a column of `checks`, so a batch's mean
score is computed in SQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CHECKS = sa.table(
    "checks", sa.column("id", sa.String), sa.column("result", sa.JSON), sa.column("score", sa.Float)
)


def upgrade() -> None:
    with op.batch_alter_table("checks") as table:  # batch mode: SQLite cannot ALTER in place
        table.add_column(sa.Column("score", sa.Float, nullable=True))
    connection = op.get_bind()
    # Checks stored before scores existed have none in their result: they stay NULL.
    for check_id, result in connection.execute(sa.select(_CHECKS.c.id, _CHECKS.c.result)).all():
        if result.get("score") is not None:
            connection.execute(_CHECKS.update().where(_CHECKS.c.id == check_id).values(score=result["score"]))


def downgrade() -> None:
    with op.batch_alter_table("checks") as table:
        table.drop_column("score")
