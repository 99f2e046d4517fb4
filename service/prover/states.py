"""LeanDojo's vocabulary on our runtime: a proof state is a tactic prefix, checked with plain Lean.

`example : GOAL := by` followed by the prefix, one tactic per line. Lean's "unsolved goals" error
carries the remaining goals exactly as Lean pretty-prints them (the text LeanDojo's `TacticState.pp`
holds); no error means the prefix proves the goal; any other error is a `LeanError`. Expansions of
many nodes go into one Lean run, one chunk each.

A search sees only `ProofEnvironment`: this module's `LeanProofEnvironment`, or LeanDojo's `Dojo`
through `service.prover.dojo`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from service.equivalence.attempts import DEFAULT_HEARTBEATS, MAX_STALLS_PER_RUN, example
from service.equivalence.statement import InvalidStatement, check_characters, check_words, lex
from service.lean.document import Document, Message
from service.lean.errors import LeanTimeout
from service.lean.pool import LeanPool, stall_limit_s

UNSOLVED = "unsolved goals\n"
UNSAFE_TACTIC_WORDS = frozenset({"sorry", "admit", "native_decide", "decide!", "ofReduceBool"})


@dataclass(frozen=True)
class TacticState:
    pp: str
    """The goals, as Lean prints them (hypotheses, `⊢ target`; goals separated by blank lines)."""
    tactics: tuple[str, ...] = field(default=(), compare=False)
    """The tactics that reached this state from the goal (LeanDojo identifies it by an id)."""

    @property
    def num_goals(self) -> int:
        return self.pp.count("⊢")


@dataclass(frozen=True)
class ProofFinished:
    tactics: tuple[str, ...]


@dataclass(frozen=True)
class LeanError:
    error: str


Outcome = TacticState | ProofFinished | LeanError


def check_tactic(tactic: str) -> str:
    """An untrusted (model-generated) tactic: one line, balanced, no commands, nothing unsafe."""
    tactic = tactic.strip()
    if not tactic:
        raise InvalidStatement("empty_tactic", "the tactic is empty")
    check_characters(tactic)
    if "\n" in tactic or "\r" in tactic:
        raise InvalidStatement("multi_line_tactic", "a tactic must be one line")
    for word in UNSAFE_TACTIC_WORDS:
        if word in tactic.replace(";", " ").split():
            raise InvalidStatement("unsafe_tactic", f"{word!r} is not allowed in a proof")
    check_words(tactic, lex(tactic))  # no commands, attributes or declaration keywords
    return tactic


def proof_text(goal: str, tactics: tuple[str, ...], heartbeats: int) -> str:
    return example(goal, "\n".join(tactics), heartbeats)


def outcome(tactics: tuple[str, ...], messages: list[Message]) -> Outcome:
    errors = [m for m in messages if m.severity == "error"]
    if not errors:
        if any("sorry" in m.text for m in messages):
            return LeanError("the proof uses sorry")
        return ProofFinished(tactics)
    if len(errors) == 1 and errors[0].text.startswith(UNSOLVED):
        return TacticState(errors[0].text.removeprefix(UNSOLVED), tactics)
    return LeanError("\n".join(e.text for e in errors))


class ProofEnvironment(Protocol):
    """Where a search runs tactics: LeanDojo's `run_tac(state, tactic)`, batched."""

    async def initial_state(self) -> Outcome: ...

    async def run_tacs(self, steps: Sequence[tuple[TacticState, str]]) -> list[Outcome]:
        """`run_tac` for each (state, tactic); the environment may check them together."""
        ...

    async def verify(self, tactics: tuple[str, ...]) -> bool:
        """The whole script again, from the goal: only this makes a found proof count."""
        ...


class LeanProofEnvironment:
    """One goal on our Lean pool: every batch of steps is one Lean run, one chunk per step."""

    def __init__(
        self,
        pool: LeanPool,
        goal: str,
        heartbeats: int = DEFAULT_HEARTBEATS,
        stall_s: float | None = None,
        wrap: Callable[[str], str] = lambda chunk: chunk,
    ) -> None:
        self.pool = pool
        self.goal = goal
        self.heartbeats = heartbeats
        self.stall_s = stall_s
        """CPU-seconds on one tactic before it counts as stalled; default from the heartbeats."""
        self.wrap = wrap
        """Puts each attempt in its pair's preamble section."""

    async def run_scripts(self, scripts: Sequence[tuple[str, ...]]) -> list[Outcome]:
        """Each tactic script from the goal, all in one Lean run. A script on which Lean stalls
        (a model's tactic can outrun its heartbeats) is a `LeanError`, and the rest run again."""
        outcomes: dict[int, Outcome] = {}

        def drop(index: int, stalled: LeanTimeout) -> list[int]:
            outcomes[index] = LeanError(f"Lean stalled on this tactic: {stalled}")
            return [index]

        chunks = [self.wrap(proof_text(self.goal, script, self.heartbeats)) for script in scripts]
        stall_s = self.stall_s or stall_limit_s(self.heartbeats)
        ran, result = await self.pool.run_dropping_stalls(
            Document(chunks=chunks), drop, MAX_STALLS_PER_RUN, stall_s
        )
        outcomes |= {i: outcome(scripts[i], result.for_chunk(i)) for i in ran}
        return [outcomes[i] for i in range(len(scripts))]

    async def initial_state(self) -> Outcome:
        return (await self.run_scripts([()]))[0]

    async def run_tac(self, state: TacticState, tactic: str) -> Outcome:
        return (await self.run_tacs([(state, tactic)]))[0]

    async def run_tacs(self, steps: Sequence[tuple[TacticState, str]]) -> list[Outcome]:
        return await self.run_scripts([(*state.tactics, tactic) for state, tactic in steps])

    async def verify(self, tactics: tuple[str, ...]) -> bool:
        """Alone in its run, so no other chunk can have influenced it."""
        return isinstance((await self.run_scripts([tactics]))[0], ProofFinished)
