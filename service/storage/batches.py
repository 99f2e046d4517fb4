"""Batches as a work queue in the database.

Items move queued → running → done | invalid | error (or cancelled while queued). An item's
check row and its `done` status are committed in one transaction, so a server killed at any
moment leaves each item either finished with exactly one check or still to do;
`requeue_interrupted` at start-up hands the running ones back to the queue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from service.metrics import VerdictCounts
from service.storage.models import BatchItemRow, BatchRow, CheckRow, utcnow

OPEN_ITEM_STATES = ("queued", "running")


def create_batch(
    session: Session, items: list[dict[str, Any]], mode: str, prover: str, name: str
) -> BatchRow:
    batch = BatchRow(name=name, status="queued", mode=mode, prover=prover, total=len(items))
    session.add(batch)
    session.flush()
    session.add_all(
        BatchItemRow(batch_id=batch.id, position=position, status="queued", attempts=0, **item)
        for position, item in enumerate(items)
    )
    session.commit()
    return batch


def requeue_interrupted(session: Session) -> int:
    """Items left running by a server that died: back to the queue (one server per database)."""
    running = update(BatchItemRow).where(BatchItemRow.status == "running")
    result = cast("CursorResult[Any]", session.execute(running.values(status="queued")))
    session.commit()
    return int(result.rowcount)


def requeue_running(session: Session, item_ids: list[int]) -> None:
    """Items a failed worker claimed and did not finish go back to the queue."""
    running = update(BatchItemRow).where(BatchItemRow.id.in_(item_ids), BatchItemRow.status == "running")
    session.execute(running.values(status="queued"))
    session.commit()


def claim_items(session: Session, limit: int) -> list[tuple[BatchItemRow, BatchRow]]:
    """Mark up to `limit` queued items (oldest batch first) running and return them."""
    query = (
        select(BatchItemRow)
        .join(BatchRow, BatchRow.id == BatchItemRow.batch_id)
        .where(BatchItemRow.status == "queued", BatchRow.status.in_(("queued", "running")))
        .order_by(BatchRow.created_at, BatchItemRow.batch_id, BatchItemRow.position)
        .limit(limit)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=BatchItemRow, skip_locked=True)
    items = list(session.scalars(query))
    batches: dict[str, BatchRow] = {}
    for item in items:
        item.status = "running"
        item.attempts += 1
        batch = batches.setdefault(item.batch_id, session.get_one(BatchRow, item.batch_id))
        if batch.status == "queued":
            batch.status = "running"
    session.commit()
    return [(item, batches[item.batch_id]) for item in items]


def finish_item(
    session: Session, item: BatchItemRow, status: str, check_id: str | None = None, error: str | None = None
) -> None:
    """Stage an item's end (the caller commits it with the item's check row)."""
    item = session.merge(item)
    item.status, item.check_id, item.error = status, check_id, error
    session.flush()
    _close_if_finished(session, item.batch_id)


def requeue_item(session: Session, item: BatchItemRow, error: str) -> None:
    item = session.merge(item)
    item.status, item.error = "queued", error
    session.commit()


def _close_if_finished(session: Session, batch_id: str) -> None:
    open_items = session.scalar(
        select(func.count())
        .select_from(BatchItemRow)
        .where(BatchItemRow.batch_id == batch_id, BatchItemRow.status.in_(OPEN_ITEM_STATES))
    )
    batch = session.get_one(BatchRow, batch_id)
    if not open_items and batch.status in ("queued", "running"):
        batch.status, batch.finished_at = "done", utcnow()


def cancel_batch(session: Session, batch: BatchRow) -> None:
    session.execute(
        update(BatchItemRow)
        .where(BatchItemRow.batch_id == batch.id, BatchItemRow.status == "queued")
        .values(status="cancelled")
    )
    if batch.status in ("queued", "running"):
        batch.status, batch.finished_at = "cancelled", utcnow()
    session.commit()


def list_batches(session: Session, offset: int, limit: int) -> list[BatchRow]:
    query = select(BatchRow).order_by(BatchRow.created_at.desc()).offset(offset).limit(limit)
    return list(session.scalars(query))


def item_results(
    session: Session, batch_id: str, offset: int = 0, limit: int | None = None
) -> list[tuple[BatchItemRow, CheckRow | None]]:
    query = (
        select(BatchItemRow, CheckRow)
        .outerjoin(CheckRow, CheckRow.id == BatchItemRow.check_id)
        .where(BatchItemRow.batch_id == batch_id)
        .order_by(BatchItemRow.position)
        .offset(offset)
        .limit(limit)
    )
    return [(item, check) for item, check in session.execute(query)]


def batch_counts(session: Session, batch: BatchRow) -> tuple[Counter[str], VerdictCounts]:
    """Items by status, and the verdicts of the finished ones, counted in SQL: a poll of a large
    batch reads a few grouped rows, not every result document. A refused (`invalid`) item counts
    as answered with 0."""
    of_batch = BatchItemRow.batch_id == batch.id
    by_status = select(BatchItemRow.status, func.count()).where(of_batch).group_by(BatchItemRow.status)
    statuses: Counter[str] = Counter({status: count for status, count in session.execute(by_status)})
    checked = (  # one grouped pass over the batch's checks gives the verdicts and the labels
        select(CheckRow.verdict, CheckRow.verdict_strict, CheckRow.verdict_logical, BatchItemRow.label,
               CheckRow.equivalent, func.count())
        .join(BatchItemRow, BatchItemRow.check_id == CheckRow.id)
        .where(of_batch)
        .group_by(CheckRow.verdict, CheckRow.verdict_strict, CheckRow.verdict_logical, BatchItemRow.label,
                  CheckRow.equivalent)
    )  # fmt: skip
    counts = VerdictCounts()
    for verdict, verdict_strict, verdict_logical, label, equivalent, count in session.execute(checked):
        counts.verdicts[verdict] += count
        counts.strict_equivalent += count * (verdict_strict == "equivalent")
        counts.logical_equivalent += count * (verdict_logical == "equivalent")
        if label is not None:
            counts.labels[(label, equivalent)] += count
    refused = (
        select(BatchItemRow.label, func.count())
        .where(of_batch, BatchItemRow.status == "invalid")
        .group_by(BatchItemRow.label)
    )
    scores = (
        select(func.sum(CheckRow.score), func.count(CheckRow.score))
        .join(BatchItemRow, BatchItemRow.check_id == CheckRow.id)
        .where(of_batch)
    )
    total, scored = session.execute(scores).one()
    counts.score_total, counts.scored = float(total or 0.0), scored
    for label, count in session.execute(refused):
        counts.verdicts["invalid"] += count
        if label is not None:
            counts.labels[(label, 0)] += count
    return statuses, counts
