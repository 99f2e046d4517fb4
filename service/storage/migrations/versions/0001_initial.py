"""Statements, checks, batches and batch items.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("normalized", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_table(
        "checks",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("cache_key", sa.String(64), nullable=False, index=True),
        sa.Column("fs1_id", sa.Integer, sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("fs2_id", sa.Integer, sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("preamble", sa.Text, nullable=False),
        sa.Column("prover", sa.String(32), nullable=False),
        sa.Column("prover_config", sa.JSON, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False, index=True),
        sa.Column("equivalent", sa.Integer, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("lean_version", sa.String(200), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
    )
    op.create_table(
        "batches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("prover", sa.String(32), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("finished_at", _TIME, nullable=True),
    )
    op.create_table(
        "batch_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batches.id"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("item_id", sa.String(200), nullable=False),
        sa.Column("informal", sa.Text, nullable=True),
        sa.Column("fs1", sa.Text, nullable=False),
        sa.Column("fs2", sa.Text, nullable=False),
        sa.Column("preamble", sa.Text, nullable=False),
        sa.Column("label", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("check_id", sa.String(32), sa.ForeignKey("checks.id"), nullable=True),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.UniqueConstraint("batch_id", "position"),
    )


def downgrade() -> None:
    for table in ("batch_items", "batches", "checks", "statements"):
        op.drop_table(table)
