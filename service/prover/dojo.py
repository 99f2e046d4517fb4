"""The same best-first search through LeanDojo's `Dojo`, for users with a native toolchain and a
traced repository (`pip install 'lean-equiv[dojo]'`).

`Dojo.run_tac` answers with LeanDojo's own `TacticState` (identified by an id), `ProofFinished`,
`LeanError` or `ProofGivenUp`; `DojoEnvironment` turns them into this package's types, keeping
each Dojo state to run the next tactic on. Results are matched by class name, so nothing here
imports `lean_dojo` (and its many dependencies) until a Dojo is actually opened.

A proof found through a Dojo is LeanDojo's REPL's word, replayed once from the initial state; the
equivalence engine's kernel-checked verdicts always come from its own Lean (`LeanProofEnvironment`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from service.prover.generator import TacticGenerator
from service.prover.search import SearchConfig, SearchResult, best_first_search
from service.prover.states import LeanError, Outcome, ProofFinished, TacticState


class DojoEnvironment:
    """A `ProofEnvironment` on an open `lean_dojo.Dojo`. Its calls block, so they run in a thread."""

    def __init__(self, dojo: Any, initial: Any) -> None:
        self.dojo = dojo
        self.initial = initial
        self._dojo_states: dict[tuple[str, ...], Any] = {(): initial}

    async def initial_state(self) -> Outcome:
        return self._convert((), self.initial)

    async def run_tacs(self, steps: Sequence[tuple[TacticState, str]]) -> list[Outcome]:
        return [await asyncio.to_thread(self._run_tac, state, tactic) for state, tactic in steps]

    async def verify(self, tactics: tuple[str, ...]) -> bool:
        """Replayed from the initial state, tactic by tactic, in a fresh chain of Dojo states."""
        return await asyncio.to_thread(self._replay, tactics)

    def _run_tac(self, state: TacticState, tactic: str) -> Outcome:
        tactics = (*state.tactics, tactic)
        return self._convert(tactics, self.dojo.run_tac(self._dojo_states[state.tactics], tactic))

    def _replay(self, tactics: tuple[str, ...]) -> bool:
        state = self.initial
        for tactic in tactics:
            if type(state).__name__ != "TacticState":
                return False
            state = self.dojo.run_tac(state, tactic)
        return type(state).__name__ == "ProofFinished"

    def _convert(self, tactics: tuple[str, ...], result: Any) -> Outcome:
        kind = type(result).__name__
        if kind == "TacticState":
            self._dojo_states[tactics] = result
            return TacticState(result.pp, tactics)
        if kind == "ProofFinished":
            return ProofFinished(tactics)
        if kind == "ProofGivenUp":
            return LeanError("the proof uses sorry")
        return LeanError(str(getattr(result, "error", result)))


def prove_theorem(
    theorem: Any, generator: TacticGenerator, config: SearchConfig = SearchConfig(), dojo_timeout: int = 600
) -> SearchResult:
    """Best-first search on a `lean_dojo.Theorem` of a traced repository."""
    try:
        from lean_dojo import Dojo
    except ImportError as error:
        raise RuntimeError(
            "LeanDojo is not installed: `pip install 'lean-equiv[dojo]'` (it needs a native Lean "
            "toolchain and traces the repository on first use)"
        ) from error
    with Dojo(theorem, timeout=dojo_timeout) as (dojo, initial):
        return asyncio.run(best_first_search(DojoEnvironment(dojo, initial), generator, config))
