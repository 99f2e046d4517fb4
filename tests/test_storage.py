"""The database layer on SQLite and PostgreSQL, without Lean: migrations and batch summaries.

Verdicts here are written by the test itself (the layer under test stores whatever the engine
says); the engine's own verdicts are tested against real Lean elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from service.equivalence.engine import Pair
from service.equivalence.verdict import CheckResult, VerdictName
from service.storage import batches
from service.storage.checks import CheckKey, add_check
from service.storage.database import Database, migrate
from service.storage.models import BatchItemRow, BatchRow
from service.summary import batch_summary
from tests.service_harness import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with database_url(request.param, tmp_path) as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.dispose()


def _result(
    strict: VerdictName, logical: VerdictName, mode: str = "strict", score: float | None = None
) -> CheckResult:
    chosen = strict if mode == "strict" else logical
    return CheckResult(verdict=chosen, equivalent=int(chosen == "equivalent"), mode=mode,  # type: ignore[arg-type]
                       verdict_strict=strict, verdict_logical=logical, score=score)  # fmt: skip


def _summary(session: sa.orm.Session, batch: BatchRow) -> dict:
    return batch_summary(batch.status, batch.total, *batches.batch_counts(session, batch)).model_dump()


def _key(k: int, mode: str = "strict") -> CheckKey:
    pair = Pair.parse(f"theorem a : {k} = {k}", f"theorem b : {k} + 0 = {k}")
    return CheckKey(pair, mode, "tidy", {}, "test", "embedded")


def test_verdict_and_score_columns_are_backfilled_from_stored_results(database: Database) -> None:
    migrate(database.engine, "0001")
    old = sa.MetaData()  # the schema a server still at revision 0001 wrote
    statements, checks = (
        sa.Table(name, old, autoload_with=database.engine) for name in ("statements", "checks")
    )
    result = _result("unknown", "equivalent", "logical", score=0.75)
    with database.engine.begin() as connection:
        connection.execute(statements.insert().values(id=1, sha256="h", normalized="p", text="p"))
        connection.execute(
            checks.insert().values(
                id="c1", cache_key="k", fs1_id=1, fs2_id=1, preamble="", prover="tidy", prover_config={},
                mode="logical", verdict="equivalent", equivalent=1, result=result.model_dump(mode="json"),
                lean_version="v", backend="embedded", seconds=1.0, created_at=datetime.now(UTC),
            )
        )  # fmt: skip
    database.migrate()
    with database.session() as session:
        row = session.execute(sa.text("SELECT verdict_strict, verdict_logical, score FROM checks")).one()
    assert tuple(row) == ("unknown", "equivalent", 0.75)


def test_batch_summary_counts_in_sql_what_its_items_hold(database: Database) -> None:
    database.migrate()
    stored = [  # (label, strict, logical) per finished item
        (1, "equivalent", "equivalent"),
        (0, "unknown", "equivalent"),
        (0, "not_equivalent", "not_equivalent"),
        (1, "unknown", "unknown"),
        (None, "ill_typed", "ill_typed"),
    ]
    items = [
        {"item_id": str(k), "fs1": "x", "fs2": "y", "label": label} for k, (label, *_) in enumerate(stored)
    ]
    items += [
        {"item_id": "refused", "fs1": "x", "fs2": "y", "label": 0},
        {"item_id": "open", "fs1": "x", "fs2": "y"},
    ]
    with database.session() as session:
        batch = batches.create_batch(session, items, "strict", "tidy", "summary")
        rows = session.scalars(sa.select(BatchItemRow).order_by(BatchItemRow.position)).all()
        for k, (label, strict, logical) in enumerate(stored):
            score = 1.0 if strict == "equivalent" else 0.5 if label is not None else None
            check = add_check(session, _key(k), _result(strict, logical, score=score))  # type: ignore[arg-type]
            batches.finish_item(session, rows[k], "done", check.id)
        batches.finish_item(session, rows[len(stored)], "invalid", error='{"reason": "test"}')
        session.commit()
        summary = _summary(session, batch)

    assert summary["items"] == {"done": 5, "invalid": 1, "queued": 1}
    assert (summary["total"], summary["done"], summary["progress"]) == (7, 6, round(6 / 7, 4))
    assert summary["verdicts"] == {
        "equivalent": 1,
        "unknown": 2,
        "not_equivalent": 1,
        "ill_typed": 1,
        "invalid": 1,
    }
    # Rates over the six finished items; the invalid one is neither equivalent nor type-correct.
    assert summary["equivalence_rate_strict"] == round(1 / 6, 4)
    assert summary["equivalence_rate_logical"] == round(2 / 6, 4)
    assert summary["type_check_rate"] == round(4 / 6, 4)
    assert summary["mean_score"] == round((1.0 + 0.5 + 0.5 + 0.5) / 4, 4)  # the checks with a score
    # Labelled: (1,1) (0,0) (0,0) (1,0), and the refused item predicted 0 against its label 0
    # (as `lean-equiv score` counts it) → precision 1, recall 1/2, accuracy 4/5.
    assert (summary["labelled"], summary["precision"], summary["recall"], summary["accuracy"]) == (
        5,
        1.0,
        0.5,
        0.8,
    )


def test_cancel_stops_queued_items_and_lets_running_ones_finish(database: Database) -> None:
    database.migrate()
    items = [{"item_id": str(k), "fs1": "x", "fs2": "y"} for k in range(4)]
    with database.session() as session:
        batch = batches.create_batch(session, items, "strict", "tidy", "cancelled")
        (running, _), *_ = batches.claim_items(session, limit=1)
        batches.cancel_batch(session, batch)
        statuses = session.scalars(sa.select(BatchItemRow.status).order_by(BatchItemRow.position)).all()
        assert (batch.status, statuses) == ("cancelled", ["running", "cancelled", "cancelled", "cancelled"])
        batches.finish_item(
            session, running, "done", add_check(session, _key(0), _result("equivalent", "equivalent")).id
        )
        session.commit()
        summary = _summary(session, batch)
    assert (summary["status"], summary["items"], summary["progress"]) == (
        "cancelled",
        {"done": 1, "cancelled": 3},
        1.0,
    )


def test_cache_keys_keep_every_difference_lean_can_see() -> None:
    """Spacing inside a literal, and line structure in code, change what Lean reads: two such
    statements must never share a cache key (one's verdict would answer the other)."""

    def digest(fs1: str) -> str:
        return CheckKey(Pair.parse(fs1, "theorem u : True"), "logical", "tidy", {}, "test", "embedded").digest

    assert digest('theorem t : "a  b".length = 4') != digest('theorem t : "a b".length = 4')
    by_block = "theorem t : (by{}trivial : True) = trivial"
    assert digest(by_block.format("\n  ")) != digest(by_block.format(" "))
    same = ("theorem t (x : Nat) : x = x -- a comment", "theorem other (x : Nat) : x = x := rfl")
    assert digest(same[0]) == digest(same[1])
