"""One check as the service does it: the cache first, then Lean, and every finished verdict stored.

Database calls are short and synchronous; they run in a worker thread so the event loop keeps
serving while Lean works.
"""

from __future__ import annotations

import asyncio

from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.verdict import CheckResult, Mode
from service.lean.pool import PoolSaturated
from service.lean.session import LeanSessionError
from service.storage.checks import CheckKey, StoredCheck, find_cached, save_check
from service.storage.database import Database


class CheckFailed(RuntimeError):
    """Lean could not give a verdict (crash, time-out, memory): an infrastructure error."""


class Checker:
    def __init__(self, engine: EquivalenceEngine, database: Database) -> None:
        self.engine = engine
        self.database = database

    @property
    def prover(self) -> str:
        return self.engine.prover

    def key(self, pair: Pair, mode: Mode) -> CheckKey:
        pool = self.engine.pool
        config = self.engine.configuration()
        return CheckKey(pair, mode, self.prover, config, pool.lean_version(), pool.backend.name)

    async def cached(self, key: CheckKey) -> StoredCheck | None:
        return await asyncio.to_thread(self._find, key)

    async def check(self, pair: Pair, mode: Mode, timeout: float | None = None) -> StoredCheck:
        key = self.key(pair, mode)
        if (hit := await self.cached(key)) is not None:
            return hit
        try:
            result = await self.engine.check(pair.fs1, pair.fs2, mode, timeout, pair.preamble)
        except PoolSaturated:
            raise
        except LeanSessionError as error:
            raise CheckFailed(str(error)) from error
        if result.refusal is not None:
            raise result.refusal.error()  # Lean refused a statement: the client's input, a 4xx
        if result.verdict == "error":
            raise CheckFailed(result.error or "Lean infrastructure error")
        return await self.store(key, result)

    async def store(self, key: CheckKey, result: CheckResult) -> StoredCheck:
        return await asyncio.to_thread(self._save, key, result)

    def _find(self, key: CheckKey) -> StoredCheck | None:
        with self.database.session() as session:
            return find_cached(session, key)

    def _save(self, key: CheckKey, result: CheckResult) -> StoredCheck:
        return save_check(self.database.session, key, result)
