"""Scoring a test set: every (reference, candidate) pair through the engine, results stored.

In-process scoring stores each finished check in the database as it comes, and asks the cache
first, so a re-run resumes where an interrupted one stopped. With a server, the set is sent as a
batch and the server does the same.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from evaluation.testset import TestItem
from service.checker import Checker
from service.config import Settings
from service.equivalence.engine import MAX_PAIRS_PER_RUN, EquivalenceEngine, Pair
from service.equivalence.statement import InvalidStatement
from service.equivalence.verdict import CheckResult, Mode
from service.provers import engine_pool
from service.storage.database import Database
from service.summary import VerdictCounts, label_intervals

Progress = Callable[[int], None]
"""Called with the number of items just finished."""


@dataclass
class ScoredItem:
    item: TestItem
    result: CheckResult | None = None
    check_id: str | None = None
    cached: bool = False
    invalid: dict[str, Any] | None = None
    """Why a statement was refused (reason, message, span): the pair is predicted 0."""
    error: str | None = None
    """Why Lean gave no verdict (no prediction at all)."""

    @property
    def verdict(self) -> str:
        return "invalid" if self.invalid else self.result.verdict if self.result else "error"

    @property
    def predicted(self) -> int | None:
        """1/0, or None for an infrastructure error (no prediction at all)."""
        if self.invalid:
            return 0
        return None if self.result is None or self.result.verdict == "error" else self.result.equivalent

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "line": self.item.line,
            "label": self.item.label,
            "equivalent": self.predicted,
            "verdict": self.verdict,
            "cached": self.cached,
            "check_id": self.check_id,
            "invalid": self.invalid,
            "result": self.result.model_dump(mode="json") if self.result else None,
        }


@asynccontextmanager
async def scoring_checker(settings: Settings) -> AsyncIterator[Checker]:
    """A checker on the configured database and a pool of the configured provers. The pool is
    only prepared here: its sessions start on the first pair the cache cannot answer, so a
    fully cached re-run runs no Lean at all."""
    database = Database(settings.sqlalchemy_url())
    database.migrate()
    pool = engine_pool(settings)
    try:
        await pool.prepare()
        yield Checker(EquivalenceEngine(pool), database)
    finally:
        await pool.close()
        database.dispose()


async def score_in_process(
    items: list[TestItem], settings: Settings, mode: Mode, progress: Progress = lambda _: None
) -> list[ScoredItem]:
    async with scoring_checker(settings) as checker:
        return await score_items(checker, items, mode, progress)


async def score_items(
    checker: Checker, items: list[TestItem], mode: Mode, progress: Progress = lambda _: None
) -> list[ScoredItem]:
    """The items in chunks that fill every session's packed runs, each chunk stored as it ends
    (an interrupted run resumes from the cache)."""
    scored: list[ScoredItem] = []
    step = checker.engine.pool.size * MAX_PAIRS_PER_RUN
    for start in range(0, len(items), step):
        scored += await _score_chunk(checker, items[start : start + step], mode)
        progress(len(items[start : start + step]))
    return scored


async def _score_chunk(checker: Checker, items: list[TestItem], mode: Mode) -> list[ScoredItem]:
    """The chunk through the one cache-first path: stored verdicts reused, fresh ones stored."""
    scored = [ScoredItem(item) for item in items]
    todo: list[tuple[ScoredItem, Pair]] = []
    for entry in scored:
        try:
            todo.append((entry, Pair.parse(entry.item.fs1, entry.item.fs2 or "", entry.item.preamble)))
        except InvalidStatement as error:
            entry.invalid = error.as_dict()
    outcomes = await checker.check_many([pair for _, pair in todo], mode)
    for (entry, _), outcome in zip(todo, outcomes, strict=True):
        if outcome.refusal is not None:  # refused by Lean: invalid input, like a validator refusal
            entry.invalid = outcome.refusal.model_dump()
        elif outcome.check is not None:
            entry.result, entry.check_id, entry.cached = (
                outcome.check.result,
                outcome.check.id,
                outcome.check.cached,
            )
        else:  # an infrastructure error: not stored, a re-run tries it again
            entry.error = outcome.error
    return scored


def score_via_server(
    items: list[TestItem], url: str, mode: Mode, progress: Progress = lambda _: None, poll_s: float = 1.0
) -> list[ScoredItem]:
    payload = [
        {
            "id": i.id,
            "informal": i.informal,
            "fs1": i.fs1,
            "fs2": i.fs2,
            "label": i.label,
            "preamble": i.preamble,
        }
        for i in items
    ]
    with httpx.Client(base_url=url, timeout=120) as client:
        created = client.post("/v1/batches", json={"items": payload, "mode": mode})
        created.raise_for_status()
        batch_id, reported = created.json()["batch_id"], 0
        while True:
            summary = client.get(f"/v1/batches/{batch_id}").raise_for_status().json()["summary"]
            progress(summary["done"] - reported)
            reported = summary["done"]
            if summary["status"] in ("done", "cancelled"):
                break
            time.sleep(poll_s)
        rows = client.get(f"/v1/batches/{batch_id}/results", params={"limit": 10_000, "offset": 0})
        results = rows.raise_for_status().json()["items"]
    return [_from_server(item, row) for item, row in zip(items, results, strict=True)]


def _from_server(item: TestItem, row: dict[str, Any]) -> ScoredItem:
    if row["status"] == "invalid":
        return ScoredItem(item, invalid=row["error"])
    result = CheckResult.model_validate(row["result"]) if row.get("result") else None
    return ScoredItem(item, result=result, check_id=row["check_id"])


def summarize(scored: list[ScoredItem]) -> dict[str, Any]:
    """The numbers a paper quotes: rates, verdict counts, time per pair; with labels, agreement
    and intervals. Rates come from the same builder as a batch's status."""
    answered = [s for s in scored if s.predicted is not None]
    counts = VerdictCounts(verdicts=Counter(s.verdict for s in answered))
    for entry in answered:
        counts.strict_equivalent += entry.result is not None and entry.result.verdict_strict == "equivalent"
        counts.logical_equivalent += entry.result is not None and entry.result.verdict_logical == "equivalent"
        if entry.item.label is not None and entry.predicted is not None:
            counts.labels[(entry.item.label, entry.predicted)] += 1
        if entry.result is not None and entry.result.score is not None:
            counts.score_total += entry.result.score
            counts.scored += 1
    fresh = [s.result.seconds for s in answered if s.result is not None and not s.cached]
    summary: dict[str, Any] = {
        "items": len(scored),
        "answered": len(answered),
        "errors": len(scored) - len(answered),
        "cached": sum(1 for s in scored if s.cached),
        "verdicts": dict(Counter(s.verdict for s in scored)),
        **counts.rates(),
        "seconds_per_pair": round(sum(fresh) / len(fresh), 3) if fresh else None,
    }
    if counts.labels:
        summary |= label_intervals(counts.labels)
    return summary
