"""Best-first proof search as in ReProver's evaluation.

Nodes are ordered by the cumulative log-probability of their tactics; each round pops the best
few nodes, asks the generator for K tactics per node in one batch, and hands every child to the
environment at once (one Lean run on our runtime). States already seen are not expanded twice;
unsafe or malformed tactics never reach Lean. A finished proof counts only after the environment
has checked the whole script again on its own.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from dataclasses import dataclass, field

from service.equivalence.statement import InvalidStatement
from service.prover.generator import TacticGenerator
from service.prover.states import LeanError, ProofEnvironment, ProofFinished, TacticState, check_tactic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchConfig:
    k: int = 16
    """Tactic candidates per expansion."""
    max_expansions: int = 64
    timeout_s: float = 300.0
    nodes_per_round: int = 4
    """Nodes expanded together: their children share one generator batch and one Lean run."""
    max_depth: int = 16


@dataclass
class SearchResult:
    proof: tuple[str, ...] | None
    expansions: int
    seconds: float
    reason: str
    """proved, exhausted (no node left), budget (expansions or time), or the goal's error."""


@dataclass(order=True)
class _Node:
    priority: float
    order: int
    state: TacticState = field(compare=False)
    tactics: tuple[str, ...] = field(compare=False)
    logprob: float = field(compare=False)


async def best_first_search(
    environment: ProofEnvironment, generator: TacticGenerator, config: SearchConfig = SearchConfig()
) -> SearchResult:
    started = time.monotonic()
    root = await environment.initial_state()
    if isinstance(root, ProofFinished):
        return SearchResult((), 0, time.monotonic() - started, "proved")
    if isinstance(root, LeanError):
        return SearchResult(None, 0, time.monotonic() - started, f"goal does not elaborate: {root.error}")
    order = itertools.count()
    frontier = [_Node(0.0, next(order), root, (), 0.0)]
    seen = {root.pp}
    expansions = 0
    while frontier:
        if expansions >= config.max_expansions or time.monotonic() - started > config.timeout_s:
            return SearchResult(None, expansions, time.monotonic() - started, "budget")
        nodes = [heapq.heappop(frontier) for _ in range(min(config.nodes_per_round, len(frontier)))]
        expansions += len(nodes)
        # In a thread: a model's forward passes release the GIL, so a server keeps answering.
        suggestions = await asyncio.to_thread(generator.suggest, [node.state.pp for node in nodes], config.k)
        children = [
            (node, tactic, logprob)
            for node, proposed in zip(nodes, suggestions, strict=True)
            for tactic, logprob in _safe(proposed)
        ]
        outcomes = await environment.run_tacs([(node.state, tactic) for node, tactic, _ in children])
        for (node, tactic, logprob), result in zip(children, outcomes, strict=True):
            tactics = (*node.tactics, tactic)
            if isinstance(result, ProofFinished) and await environment.verify(tactics):
                return SearchResult(tactics, expansions, time.monotonic() - started, "proved")
            if isinstance(result, TacticState) and result.pp not in seen and len(tactics) < config.max_depth:
                seen.add(result.pp)
                total = node.logprob + logprob
                heapq.heappush(frontier, _Node(-total, next(order), result, tactics, total))
    return SearchResult(None, expansions, time.monotonic() - started, "exhausted")


def _safe(proposed: list[tuple[str, float]]) -> list[tuple[str, float]]:
    safe = []
    for tactic, logprob in proposed:
        try:
            safe.append((check_tactic(tactic), logprob))
        except InvalidStatement as refused:
            log.debug("tactic %r refused: %s", tactic, refused.message)
    return safe
