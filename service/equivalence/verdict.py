"""The result of a check, as users see it (CLI `--json`, HTTP API, database)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from service.equivalence.errors import InvalidStatement
from service.lean.document import Message


class Refusal(BaseModel):
    """Why a statement was refused: the same fields as an HTTP 422's body."""

    reason: str
    message: str
    span: tuple[int, int] | None = None

    @classmethod
    def of(cls, error: InvalidStatement) -> Refusal:
        return cls(reason=error.reason, message=error.message, span=error.span)

    def error(self) -> InvalidStatement:
        return InvalidStatement(self.reason, self.message, self.span)


class Unsupported(BaseModel):
    """A statement this Lean cannot read, though Lean with Mathlib could."""

    reason: str = "needs_mathlib"
    names: list[str]
    """The Mathlib names it uses that this Lean lacks."""
    message: str = (
        "the statement uses Mathlib names the embedded Lean's compatibility prelude lacks; the native "
        "backend with a Mathlib project (LEAN_EQUIV_BACKEND=native) can judge it"
    )


VerdictName = Literal[
    "equivalent", "not_equivalent", "unknown", "ill_typed", "unsupported", "invalid", "error"
]
"""`invalid`: Lean refused a statement before any attempt (see `refusal`); never stored as a check.
`unsupported`: a statement uses Mathlib names this Lean lacks (see `unsupported`): not a fault of
the statement, unlike `ill_typed`."""
Mode = Literal["strict", "logical"]


class Obligation(BaseModel):
    """A goal left open on a direction no script proved (see obligations.py)."""

    kind: Literal["hypothesis", "conclusion"]
    """"hypothesis": one of the source's hypotheses that the target's do not give; "conclusion":
    the source's conclusion does not match the target's."""
    target: str
    """The goal's proposition, as Lean prints it."""
    goal: str
    """The whole goal, context included, as Lean prints it."""
    summary: str
    """One sentence, e.g. "hypothesis `0 < n` of fs1 is not derived from fs2's hypotheses"."""


class DirectionResult(BaseModel):
    proved: bool = False
    """Some script proved it (logical sense)."""
    vacuous: bool = False
    """The target is provable on its own and no transport script used the hypothesis."""
    script: str | None = None
    proof: str | None = None
    refuted: bool = False
    refutation: str | None = None
    seconds: float = 0.0
    obligations: list[Obligation] = Field(default_factory=list)
    """On a direction that does not count in strict mode (not proved, or proved only vacuously):
    what no automation discharged after applying the source."""
    obligation_count: int | None = None
    """How many obligations applying the source left (its hypotheses, and the conclusion)."""
    discharged: int | None = None

    def counts(self, mode: Mode) -> bool:
        return self.proved and (mode == "logical" or not self.vacuous)

    def score(self, mode: Mode) -> float | None:
        """1 when the direction counts; else the share of obligations discharged (None: not
        known)."""
        if self.counts(mode):
            return 1.0
        if not self.obligation_count or self.discharged is None:
            return None
        return self.discharged / self.obligation_count


class Counterexample(BaseModel):
    """A point at which one statement's body fails, with the kernel-checked proof of its negation
    (see counterexample.py)."""

    side: Literal["fs1", "fs2"]
    assignment: dict[str, str]
    """Each variable's value, as Lean reads it."""
    proof: str
    """A tactic script proving `¬ S` for that statement."""


class CheckResult(BaseModel):
    verdict: VerdictName
    equivalent: int
    """1 when both directions count in the requested mode, else 0 (also for errors: see verdict)."""
    mode: Mode
    verdict_strict: VerdictName
    verdict_logical: VerdictName
    fs1_to_fs2: DirectionResult = Field(default_factory=DirectionResult)
    fs2_to_fs1: DirectionResult = Field(default_factory=DirectionResult)
    definitional: bool = False
    score: float | None = None
    """Graded: the mean of the two directions' `score` in the requested mode, 1.0 for an
    `equivalent` pair; None where a direction's obligations are not known (an ill-typed statement, a
    direction whose obligation attempt stalled)."""
    counterexamples: list[Counterexample] = Field(default_factory=list)
    """Statements refuted at a small point. Exactly one refuted makes the pair `not_equivalent`
    (they cannot both hold); both refuted leaves the verdict as the directions say (two false
    statements are logically equivalent)."""
    reference_false: bool = False
    """fs1, the reference when a test set is scored, has a counterexample: a broken item."""
    contradictory_hypotheses: list[Literal["fs1", "fs2"]] = Field(default_factory=list)
    """Statements whose hypotheses Lean proved contradictory (`∀ binders, False`): vacuously
    true. Looked for on pairs that are not equivalent."""
    replayed: bool = False
    """The proofs behind this verdict were checked again in a clean document of their own."""
    messages: list[Message] = Field(default_factory=list)
    """Lean's messages explaining an ill_typed or error verdict."""
    error: str | None = None
    refusal: Refusal | None = None
    """For `invalid`: what Lean refused in a statement."""
    unsupported: Unsupported | None = None
    """For `unsupported`: which Mathlib names were missing."""
    lean_version: str = ""
    backend: str = ""
    prover: str = "tidy"
    seconds: float = 0.0
