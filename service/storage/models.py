"""The database schema: statements (deduplicated), checks, batches and their items.

A check row is a finished verdict, written once; a batch item points at exactly one check when
it is done. Schema changes go through Alembic (`migrations/`), never `create_all`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class StatementRow(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    """Of the normalized text: the same statement modulo names, comments and spacing."""
    normalized: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    """The text as first submitted."""


class CheckRow(Base):
    __tablename__ = "checks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    cache_key: Mapped[str] = mapped_column(String(64), index=True)
    fs1_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    fs2_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    preamble: Mapped[str] = mapped_column(Text, default="")
    prover: Mapped[str] = mapped_column(String(32))
    prover_config: Mapped[dict[str, Any]]
    mode: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    verdict_strict: Mapped[str] = mapped_column(String(16))
    verdict_logical: Mapped[str] = mapped_column(String(16))
    """Both modes' verdicts, whatever `mode` asked for: batch summaries count them in SQL."""
    equivalent: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    """The graded score (`CheckResult.score`): averaged in SQL for a batch's summary."""
    result: Mapped[dict[str, Any]]
    """The engine's CheckResult: directions with proof scripts, messages, timings."""
    lean_version: Mapped[str] = mapped_column(String(200))
    backend: Mapped[str] = mapped_column(String(32))
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BatchRow(Base):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    """queued → running → done, or cancelled."""
    mode: Mapped[str] = mapped_column(String(16))
    prover: Mapped[str] = mapped_column(String(32))
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class BatchItemRow(Base):
    __tablename__ = "batch_items"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("batches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(200))
    informal: Mapped[str | None] = mapped_column(Text, default=None)
    fs1: Mapped[str] = mapped_column(Text)
    fs2: Mapped[str] = mapped_column(Text)
    preamble: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    """queued → running → done | invalid | error, or cancelled."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    check_id: Mapped[str | None] = mapped_column(ForeignKey("checks.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
