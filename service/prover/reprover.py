"""ReProver as the engine's second prover: best-first search on the directions tidy left open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from service.lean.pool import LeanPool
from service.prover.generator import TacticGenerator
from service.prover.search import SearchConfig, SearchResult, best_first_search
from service.prover.states import LeanProofEnvironment


@dataclass
class ReProver:
    generator: TacticGenerator
    config: SearchConfig = field(default_factory=SearchConfig)
    name: str = "reprover"

    async def prove(
        self, goal: str, pool: LeanPool, heartbeats: int, wrap: Callable[[str], str] = lambda c: c
    ) -> SearchResult:
        environment = LeanProofEnvironment(pool, goal, heartbeats, wrap=wrap)
        return await best_first_search(environment, self.generator, self.config)

    def fingerprint(self) -> dict[str, Any]:
        """What decides this prover's verdicts, for the cache key: the model and the search budget."""
        generator = self.generator
        return {
            "model": getattr(generator, "model_name", type(generator).__name__),
            "decoding": getattr(generator, "decoding", None),
            "search": asdict(self.config),
        }
