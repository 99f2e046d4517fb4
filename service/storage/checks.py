"""Finished checks in the database, and the cache that finds them again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.equivalence.engine import Pair
from service.equivalence.statement import Statement
from service.equivalence.verdict import CheckResult
from service.storage.models import CheckRow, StatementRow

T = TypeVar("T")


def normalized(statement: Statement) -> str:
    """The statement exactly as Lean sees it: name, comments and proof gone, nothing else changed.
    Spacing is kept: inside a literal it is the literal (`"a  b"` is not `"a b"`), and in code
    Lean reads columns and line breaks (`by` blocks), so collapsing it could give two different
    statements one cache key, and one's verdict to the other."""
    return statement.prop


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class CheckKey:
    """Everything a verdict depends on; requests with equal keys share one stored check."""

    pair: Pair
    mode: str
    prover: str
    prover_config: dict[str, Any]
    lean_version: str
    backend: str

    @property
    def digest(self) -> str:
        parts = {
            "fs1": normalized(self.pair.fs1),
            "fs2": normalized(self.pair.fs2),
            "preamble": self.pair.preamble.text,
            "mode": self.mode,
            "prover": self.prover,
            "config": self.prover_config,
            "lean": self.lean_version,
            "backend": self.backend,
        }
        return _sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False))


@dataclass(frozen=True)
class StoredCheck:
    id: str
    cached: bool
    created_at: datetime
    result: CheckResult


def stored(row: CheckRow, cached: bool) -> StoredCheck:
    return StoredCheck(row.id, cached, row.created_at, CheckResult.model_validate(row.result))


def find_cached(session: Session, key: CheckKey) -> StoredCheck | None:
    row = session.scalars(
        select(CheckRow).where(CheckRow.cache_key == key.digest).order_by(CheckRow.created_at).limit(1)
    ).first()
    return stored(row, cached=True) if row is not None else None


def get_check(session: Session, check_id: str) -> StoredCheck | None:
    row = session.get(CheckRow, check_id)
    return stored(row, cached=False) if row is not None else None


def add_check(session: Session, key: CheckKey, result: CheckResult) -> CheckRow:
    """Stage a finished check (the caller commits, e.g. together with its batch item)."""
    if result.verdict == "error":
        raise ValueError("an infrastructure error is not a finished check")
    row = CheckRow(
        cache_key=key.digest,
        fs1_id=_statement_id(session, key.pair.fs1),
        fs2_id=_statement_id(session, key.pair.fs2),
        preamble=key.pair.preamble.text,
        prover=key.prover,
        prover_config=key.prover_config,
        mode=key.mode,
        verdict=result.verdict,
        verdict_strict=result.verdict_strict,
        verdict_logical=result.verdict_logical,
        equivalent=result.equivalent,
        score=result.score,
        result=result.model_dump(mode="json"),
        lean_version=result.lean_version,
        backend=result.backend,
        seconds=result.seconds,
    )
    session.add(row)
    session.flush()
    return row


def write_retrying(sessions: Callable[[], Session], write: Callable[[Session], T]) -> T:
    """Run `write` and commit, in a fresh session; once more if a concurrent writer inserted one
    of the same statements first (their hash is unique)."""
    for attempt in range(2):
        with sessions() as session:
            try:
                written = write(session)
                session.commit()
                return written
            except IntegrityError:
                session.rollback()
                if attempt:
                    raise
    raise AssertionError("unreachable")


def save_check(sessions: Callable[[], Session], key: CheckKey, result: CheckResult) -> StoredCheck:
    """Store a check in its own transaction."""
    return write_retrying(sessions, lambda session: stored(add_check(session, key, result), cached=False))


def _statement_id(session: Session, statement: Statement) -> int:
    text = normalized(statement)
    digest = _sha256(text)
    found = session.scalar(select(StatementRow.id).where(StatementRow.sha256 == digest))
    if found is not None:
        return found
    row = StatementRow(sha256=digest, normalized=text, text=statement.text)
    session.add(row)
    session.flush()
    return row.id
