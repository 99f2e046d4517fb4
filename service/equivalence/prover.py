"""What the engine needs of a model-guided prover (ReProver's search in `service/prover/`): a small
protocol, so the engine never imports a prover and provers depend only on this layer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from service.lean.pool import LeanPool


class Found(Protocol):
    @property
    def proof(self) -> Sequence[str] | None:
        """The tactics, one a line, of a proof the prover checked once more alone; None: none."""

    @property
    def seconds(self) -> float: ...


class SearchProver(Protocol):
    name: str

    async def prove(
        self, goal: str, pool: LeanPool, heartbeats: int, wrap: Callable[[str], str] = ...
    ) -> Found:
        """Search a proof of `goal`; `wrap` puts each attempt into the pair's preamble section."""
        ...

    def fingerprint(self) -> dict[str, Any]:
        """What decides the prover's verdicts (model, budget): part of the cache key."""
        ...
