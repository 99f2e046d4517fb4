"""Batches as a work queue in the database.

Items move queued → running → done | invalid | error (or cancelled while queued). An item's
check row and its `done` status are committed in one transaction, so a server killed at any
moment leaves each item either finished with exactly one check or still to do;
`requeue_interrupted` at start-up hands the running ones back to the queue.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from evaluation.metrics import METRICS, Confusion, rate
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
    result = session.execute(running.values(status="queued"))
    session.commit()
    return result.rowcount


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


def summarize(session: Session, batch: BatchRow) -> dict[str, Any]:
    """Progress and the numbers a researcher reports: equivalence and type-check rates, and
    precision/recall/accuracy against the labels where items have them. Counted in SQL: a poll
    of a large batch reads a few grouped rows, not every result document."""
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
    verdicts: Counter[str] = Counter()
    pairs: Counter[tuple[int, int]] = Counter()
    strict = logical = 0
    for verdict, verdict_strict, verdict_logical, label, equivalent, count in session.execute(checked):
        verdicts[verdict] += count
        strict += count * (verdict_strict == "equivalent")
        logical += count * (verdict_logical == "equivalent")
        if label is not None:
            pairs[(label, equivalent)] += count
    finished = verdicts.total() + statuses["invalid"]
    ended = sum(statuses[s] for s in ("done", "invalid", "error", "cancelled"))
    return {
        "status": batch.status,
        "total": batch.total,
        "done": sum(statuses[s] for s in ("done", "invalid", "error")),
        "progress": rate(ended, batch.total) or 0.0,
        "items": dict(statuses),
        "verdicts": dict(verdicts) | ({"invalid": statuses["invalid"]} if statuses["invalid"] else {}),
        "equivalence_rate_strict": rate(strict, finished),
        "equivalence_rate_logical": rate(logical, finished),
        "type_check_rate": rate(verdicts.total() - verdicts["ill_typed"], finished),
        **_label_scores(pairs),
    }


def _label_scores(pairs: Counter[tuple[int, int]]) -> dict[str, float | int | None]:
    """`pairs` counts (label, predicted)."""
    if not pairs:
        return {}
    confusion = Confusion.of_counts(pairs)
    scores = {name: METRICS[name](confusion) for name in ("precision", "recall", "accuracy")}
    return {"labelled": pairs.total(), **{k: None if v is None else round(v, 4) for k, v in scores.items()}}
