"""Checks as the application does them, in one place: the cache first, then Lean, then the store.

The HTTP API, the batch workers and `lean-equiv score` all go through `Checker.check_many`.
Database calls are short and synchronous; they run in a worker thread so the event loop keeps
serving while Lean works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.verdict import CheckResult, Mode, Refusal
from service.lean.errors import LeanSessionError
from service.storage.checks import CheckKey, StoredCheck, find_cached, save_check
from service.storage.database import Database

Store = Callable[[int, CheckKey, CheckResult], StoredCheck]
"""Persists pair `index`'s fresh result (in a worker thread); a batch commits it with its item."""


class CheckFailed(RuntimeError):
    """Lean could not give a verdict (crash, time-out, memory): an infrastructure error."""


@dataclass
class Outcome:
    """One pair's answer: a stored check (`cached` when no Lean ran for it), a refusal of its
    input by Lean, or an infrastructure error (nothing stored: a later try runs it again)."""

    key: CheckKey
    check: StoredCheck | None = None
    refusal: Refusal | None = None
    error: str | None = None


class Checker:
    def __init__(self, engine: EquivalenceEngine, database: Database) -> None:
        self.engine = engine
        self.database = database

    @property
    def prover(self) -> str:
        return self.engine.prover

    def key(self, pair: Pair, mode: Mode) -> CheckKey:
        config = self.engine.configuration()
        return CheckKey(
            pair, mode, self.prover, config, self.engine.lean_version(), self.engine.backend_name()
        )

    async def check_many(
        self,
        pairs: list[Pair],
        mode: Mode,
        timeout: float | None = None,
        wait_s: float | None = None,
        store: Store | None = None,
    ) -> list[Outcome]:
        """Every pair answered from the database if it can be; the rest go through the engine
        together (packed Lean runs), and each finished verdict is stored with `store`."""
        outcomes = [Outcome(self.key(pair, mode)) for pair in pairs]
        hits = await asyncio.to_thread(self._find_all, [o.key for o in outcomes])
        for outcome, hit in zip(outcomes, hits, strict=True):
            outcome.check = hit
        todo = [i for i, outcome in enumerate(outcomes) if outcome.check is None]
        try:
            results = await self.engine.check_many([pairs[i] for i in todo], mode, timeout, wait_s)
        except LeanSessionError as error:
            results = [_failed(mode, str(error))] * len(todo)
        save = store or (lambda _, key, result: save_check(self.database.session, key, result))
        for index, result in zip(todo, results, strict=True):
            outcome = outcomes[index]
            if result.refusal is not None:
                outcome.refusal = result.refusal
            elif result.verdict == "error":
                outcome.error = result.error or "Lean infrastructure error"
            else:
                outcome.check = await asyncio.to_thread(save, index, outcome.key, result)
        return outcomes

    async def check(
        self, pair: Pair, mode: Mode, timeout: float | None = None, wait_s: float | None = None
    ) -> StoredCheck:
        """One pair; a refusal raises `InvalidStatement` (a 4xx), an error `CheckFailed` (a 503)."""
        outcome = (await self.check_many([pair], mode, timeout, wait_s))[0]
        if outcome.refusal is not None:
            raise outcome.refusal.error()
        if outcome.check is None:
            raise CheckFailed(outcome.error or "Lean infrastructure error")
        return outcome.check

    def _find_all(self, keys: list[CheckKey]) -> list[StoredCheck | None]:
        with self.database.session() as session:
            return [find_cached(session, key) for key in keys]


def _failed(mode: Mode, error: str) -> CheckResult:
    return CheckResult(
        verdict="error", equivalent=0, mode=mode, verdict_strict="error", verdict_logical="error", error=error
    )
