"""LeanDojo's vocabulary on our runtime: a proof state is a tactic prefix, checked with plain Lean.

`example : GOAL := by` followed by the prefix, one tactic per line. Lean's "unsolved goals" error
carries the remaining goals exactly as Lean pretty-prints them (the text LeanDojo's `TacticState.pp`
holds); no error means the prefix proves the goal; any other error is a `LeanError`. Expansions of
many nodes go into one Lean run, one chunk each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.equivalence.statement import InvalidStatement, check_characters, check_words, lex
from service.lean.document import Document, Message
from service.lean.pool import LeanPool

UNSOLVED = "unsolved goals\n"
UNSAFE_TACTIC_WORDS = frozenset({"sorry", "admit", "native_decide", "decide!", "ofReduceBool"})


@dataclass(frozen=True)
class TacticState:
    pp: str
    """The goals, as Lean prints them (hypotheses, `⊢ target`; goals separated by blank lines)."""

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
    check_characters(tactic)
    if "\n" in tactic or "\r" in tactic:
        raise InvalidStatement("multi_line_tactic", "a tactic must be one line")
    for word in UNSAFE_TACTIC_WORDS:
        if word in tactic.replace(";", " ").split():
            raise InvalidStatement("unsafe_tactic", f"{word!r} is not allowed in a proof")
    check_words(tactic, lex(tactic))  # no commands, attributes or declaration keywords
    return tactic


def proof_text(goal: str, tactics: tuple[str, ...], heartbeats: int) -> str:
    body = "\n".join(f"  {t}" for t in tactics) or "  skip"
    return f"set_option maxHeartbeats {heartbeats} in\nexample : {goal} := by\n{body}"


def outcome(tactics: tuple[str, ...], messages: list[Message]) -> Outcome:
    errors = [m for m in messages if m.severity == "error"]
    if not errors:
        if any("sorry" in m.text for m in messages):
            return LeanError("the proof uses sorry")
        return ProofFinished(tactics)
    if len(errors) == 1 and errors[0].text.startswith(UNSOLVED):
        return TacticState(errors[0].text.removeprefix(UNSOLVED))
    return LeanError("\n".join(e.text for e in errors))


class ProofChecker:
    """Checks tactic prefixes against a goal through the Lean pool, many per run."""

    def __init__(
        self,
        pool: LeanPool,
        heartbeats: int = 4000,
        stall_s: float = 20.0,
        wrap: Callable[[str], str] = lambda chunk: chunk,
    ) -> None:
        self.pool = pool
        self.heartbeats = heartbeats
        self.stall_s = stall_s
        self.wrap = wrap
        """Puts each attempt in its pair's preamble section."""

    async def run_tactics(self, goal: str, prefixes: list[tuple[str, ...]]) -> list[Outcome]:
        if not prefixes:
            return []
        chunks = [self.wrap(proof_text(goal, prefix, self.heartbeats)) for prefix in prefixes]
        result = await self.pool.run(Document(chunks=chunks), stall_s=self.stall_s)
        return [outcome(prefix, result.for_chunk(i)) for i, prefix in enumerate(prefixes)]

    async def initial_state(self, goal: str) -> Outcome:
        return (await self.run_tactics(goal, [()]))[0]

    async def verify(self, goal: str, tactics: tuple[str, ...]) -> bool:
        """The whole script, alone in its run: only this counts as a proof."""
        return isinstance((await self.run_tactics(goal, [tactics]))[0], ProofFinished)
