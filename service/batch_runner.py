"""Background workers that drain the batch queue inside the server process.

Each worker claims a few queued items, answers what the cache knows, sends the rest through their
batch's prover's engine in one `check_many` (packed Lean runs), and commits each item with its
check as soon as that exists. Workers are as many as the Lean pool has sessions, so batches never starve the
pool of more than it can run; single checks still queue fairly (FIFO) beside them.
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
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.statement import InvalidStatement
from service.equivalence.verdict import CheckResult, Mode
from service.lean.session import LeanSessionError
from service.storage import batches
from service.storage.checks import CheckKey, add_check, write_retrying
from service.storage.models import BatchItemRow, BatchRow

log = logging.getLogger(__name__)
T = TypeVar("T")


class BatchRunner:
    def __init__(
        self,
        checkers: dict[str, Checker],
        engines: dict[str, EquivalenceEngine],
        workers: int,
        claim_size: int = 10,
        max_attempts: int = 3,
        idle_s: float = 1.0,
    ) -> None:
        self.checkers = checkers
        """By prover name, as the server offers them."""
        self.engines = engines
        """The same provers without a queue-wait limit: batch work waits its turn rather than failing."""
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
        todo: list[tuple[BatchItemRow, CheckKey]] = []
        for item, batch in claimed:
            if (checker := self.checkers.get(batch.prover)) is None:
                missing = f"this server does not offer the prover {batch.prover!r}"
                await self._finish(item, "error", error=missing)
                continue
            try:
                pair = Pair.parse(item.fs1, item.fs2, item.preamble)
            except InvalidStatement as error:
                await self._finish(item, "invalid", error=json.dumps(error.as_dict(), ensure_ascii=False))
                continue
            key = checker.key(pair, batch.mode)  # type: ignore[arg-type]
            if (hit := await checker.cached(key)) is not None:
                await self._finish(item, "done", check_id=hit.id)
            else:
                todo.append((item, key))
        for prover, mode in {(key.prover, key.mode) for _, key in todo}:
            group = [(item, key) for item, key in todo if (key.prover, key.mode) == (prover, mode)]
            await self._check_group(self.engines[prover], group, mode)  # type: ignore[arg-type]

    async def _check_group(
        self, engine: EquivalenceEngine, group: list[tuple[BatchItemRow, CheckKey]], mode: Mode
    ) -> None:
        try:
            results = await engine.check_many([key.pair for _, key in group], mode)
        except LeanSessionError as error:
            results = [
                CheckResult(
                    verdict="error",
                    equivalent=0,
                    mode=mode,
                    verdict_strict="error",
                    verdict_logical="error",
                    error=str(error),
                )
            ] * len(group)
        for (item, key), result in zip(group, results, strict=True):
            if result.refusal is not None:
                await self._finish(item, "invalid", error=result.refusal.model_dump_json())
            elif result.verdict != "error":
                await asyncio.to_thread(self._commit_result, item, key, result)
            elif item.attempts >= self.max_attempts:
                await self._finish(item, "error", error=result.error)
            else:
                await asyncio.to_thread(self._in_session, batches.requeue_item, item, result.error or "error")

    def _commit_result(self, item: BatchItemRow, key: CheckKey, result: CheckResult) -> None:
        """The check and the item's end in one transaction: never one without the other."""

        def write(session: Session) -> None:
            batches.finish_item(session, item, "done", check_id=add_check(session, key, result).id)

        write_retrying(self.database.session, write)
        log.info("batch %s item %s: %s", item.batch_id, item.item_id, result.verdict)

    async def _finish(
        self, item: BatchItemRow, status: str, check_id: str | None = None, error: str | None = None
    ) -> None:
        def finish(session: Session) -> None:
            batches.finish_item(session, item, status, check_id=check_id, error=error)
            session.commit()

        await asyncio.to_thread(self._in_session, finish)
        log.info("batch %s item %s: %s", item.batch_id, item.item_id, status)
