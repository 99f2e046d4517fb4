"""ReProver as the engine's second prover: best-first search on the directions tidy left open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from service.lean.pool import LeanPool
from service.prover.generator import TacticGenerator
from service.prover.search import SearchConfig, SearchResult, best_first_search
from service.prover.states import ProofChecker


@dataclass
class ReProver:
    generator: TacticGenerator
    config: SearchConfig = field(default_factory=SearchConfig)
    name: str = "reprover"

    async def prove(
        self, goal: str, pool: LeanPool, heartbeats: int, wrap: Callable[[str], str] = lambda c: c
    ) -> SearchResult:
        checker = ProofChecker(pool, heartbeats, wrap=wrap)
        return await best_first_search(goal, checker, self.generator, self.config)
