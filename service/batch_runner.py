"""Background workers that drain the batch queue inside the server process.

Each worker claims a few queued items and sends them through their batch's prover's
`Checker.check_many` (the cache, then packed Lean runs), committing each item with its check as
soon as that exists. Batch work waits its turn for a Lean session (no queue-wait limit). Workers
are as many as the Lean pool has sessions, so batches never starve the pool of more than it can
run; single checks still queue fairly (FIFO) beside them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from service.checker import Checker
from service.equivalence.engine import Pair
from service.equivalence.statement import InvalidStatement
from service.equivalence.verdict import CheckResult, Mode
from service.storage import batches
from service.storage.checks import CheckKey, StoredCheck, add_check, stored, write_retrying
from service.storage.models import BatchItemRow, BatchRow

log = logging.getLogger(__name__)
T = TypeVar("T")


class BatchRunner:
    def __init__(
        self,
        checkers: dict[str, Checker],
        workers: int,
        claim_size: int = 10,
        max_attempts: int = 3,
        idle_s: float = 1.0,
    ) -> None:
        self.checkers = checkers
        """By prover name, as the server offers them."""
        self.database = checkers["tidy"].database
        self.workers = workers
        self.claim_size = claim_size
        self.max_attempts = max_attempts
        self.idle_s = idle_s
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        requeued = await asyncio.to_thread(self._in_session, batches.requeue_interrupted)
        if requeued:
            log.info("resuming: %d interrupted batch items are queued again", requeued)
        self._tasks = [asyncio.create_task(self._work(n)) for n in range(self.workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """New items were queued: stop idling."""
        self._wake.set()

    def _in_session(self, action: Callable[..., T], *args: object) -> T:
        with self.database.session() as session:
            return action(session, *args)

    async def _work(self, worker: int) -> None:
        while True:
            try:
                claimed = await asyncio.to_thread(self._in_session, batches.claim_items, self.claim_size)
                if not claimed:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.idle_s)
                    continue
            except Exception:
                log.exception("batch worker %d could not claim work; retrying", worker)
                await asyncio.sleep(self.idle_s)
                continue
            try:
                await self._run(claimed)
            except Exception:  # never let one bad item stop the worker, nor strand its items
                log.exception("batch worker %d failed; its unfinished items are queued again", worker)
                ids = [item.id for item, _ in claimed]
                await asyncio.to_thread(self._in_session, batches.requeue_running, ids)
                await asyncio.sleep(self.idle_s)

    async def _run(self, claimed: list[tuple[BatchItemRow, BatchRow]]) -> None:
        groups: dict[tuple[str, str], list[tuple[BatchItemRow, Pair]]] = {}
        for item, batch in claimed:
            if batch.prover not in self.checkers:
                missing = f"this server does not offer the prover {batch.prover!r}"
                await self._finish(item, "error", error=missing)
                continue
            try:
                pair = Pair.parse(item.fs1, item.fs2, item.preamble)
            except InvalidStatement as error:
                await self._finish(item, "invalid", error=json.dumps(error.as_dict(), ensure_ascii=False))
                continue
            groups.setdefault((batch.prover, batch.mode), []).append((item, pair))
        for (prover, mode), group in groups.items():
            await self._check_group(self.checkers[prover], group, mode)  # type: ignore[arg-type]

    async def _check_group(
        self, checker: Checker, group: list[tuple[BatchItemRow, Pair]], mode: Mode
    ) -> None:
        """The group through the one cache-first path; each fresh check is committed together
        with its item's end, never one without the other."""
        items = [item for item, _ in group]

        def commit(index: int, key: CheckKey, result: CheckResult) -> StoredCheck:
            return write_retrying(
                self.database.session, lambda session: _finish_with_check(session, items[index], key, result)
            )

        outcomes = await checker.check_many([pair for _, pair in group], mode, store=commit)
        for item, outcome in zip(items, outcomes, strict=True):
            if outcome.refusal is not None:
                await self._finish(item, "invalid", error=outcome.refusal.model_dump_json())
            elif outcome.error is not None:
                if item.attempts >= self.max_attempts:
                    await self._finish(item, "error", error=outcome.error)
                else:
                    await asyncio.to_thread(self._in_session, batches.requeue_item, item, outcome.error)
            elif outcome.check is not None and outcome.check.cached:
                await self._finish(item, "done", check_id=outcome.check.id)
            else:
                log.info("batch %s item %s: done", item.batch_id, item.item_id)

    async def _finish(
        self, item: BatchItemRow, status: str, check_id: str | None = None, error: str | None = None
    ) -> None:
        def finish(session: Session) -> None:
            batches.finish_item(session, item, status, check_id=check_id, error=error)
            session.commit()

        await asyncio.to_thread(self._in_session, finish)
        log.info("batch %s item %s: %s", item.batch_id, item.item_id, status)


def _finish_with_check(
    session: Session, item: BatchItemRow, key: CheckKey, result: CheckResult
) -> StoredCheck:
    row = add_check(session, key, result)
    batches.finish_item(session, item, "done", check_id=row.id)
    return stored(row, cached=False)
