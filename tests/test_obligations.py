"""What blocks a direction (real Lean): the hypothesis a dropped-hypothesis candidate no longer
gives, the conclusion a changed constant no longer matches, and the graded score from them."""

from __future__ import annotations

import pytest

from service.equivalence import obligations
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.verdict import DirectionResult
from service.lean.document import Message, Position
from service.lean.pool import LeanPool

DROPPED = (  # both true, so both directions are proved, fs1 → fs2 only vacuously (strict: unknown)
    "theorem a (n : Nat) (h₀ : 0 < n) (h₁ : n < 5) : n * 2 < 10",
    "theorem b (n : Nat) (h₁ : n < 5) : n * 2 < 10",
)
CHANGED = (  # fs2's conclusion is fs1's with another constant: `apply` cannot match them, and
    # fs2 fails at x = 3
    "theorem a (x : Nat) (h : 3 ≤ x) : 9 ≤ x * x",
    "theorem b (x : Nat) (h : 3 ≤ x) : 10 ≤ x * x",
)


@pytest.mark.lean
async def test_a_dropped_hypothesis_and_a_changed_conclusion_name_their_obligations(
    lean_pool: LeanPool,
) -> None:
    dropped, changed, same = await EquivalenceEngine(lean_pool).check_many(
        [Pair.parse(*DROPPED), Pair.parse(*CHANGED), Pair.parse(DROPPED[0], DROPPED[0])]
    )
    assert dropped.verdict == "unknown" and dropped.fs1_to_fs2.vacuous
    [missing] = dropped.fs1_to_fs2.obligations
    assert (missing.kind, missing.target) == ("hypothesis", "0 < n✝")
    assert missing.summary == "hypothesis `0 < n` of fs1 is not derived from fs2's hypotheses"
    assert "h₁✝ : n✝ < 5" in missing.goal  # the context, as Lean prints it
    assert (dropped.fs1_to_fs2.discharged, dropped.fs1_to_fs2.obligation_count) == (2, 3)
    assert dropped.fs2_to_fs1.obligations == [] and dropped.score == pytest.approx((2 / 3 + 1) / 2, abs=1e-3)

    [conclusion] = changed.fs1_to_fs2.obligations
    assert conclusion.kind == "conclusion" and conclusion.target == "10 ≤ x✝ * x✝"
    assert "fs1's conclusion `9 ≤ ?x * ?x`" in conclusion.summary
    assert changed.score == 0.5 and changed.fs2_to_fs1.counts("strict")  # 10 ≤ x * x gives 9 ≤ x * x
    assert [(c.side, c.assignment) for c in changed.counterexamples] == [("fs2", {"x": "3"})]

    assert same.verdict == "equivalent" and same.score == 1.0
    assert same.fs1_to_fs2.obligations == same.fs2_to_fs1.obligations == []


def _message(severity: str, text: str) -> Message:
    return Message(severity=severity, pos=Position(line=1, column=0), text=text)  # type: ignore[arg-type]


def test_messages_lean_did_not_explain_leave_what_is_known() -> None:
    """An `apply` failure in words other than unification's still names the conclusion; an
    attempt that never printed a goal, or that ran out of its budget on the way, reports nothing."""
    direction = DirectionResult()
    goal = "x : Nat\n⊢ 0 < x"
    obligations.read(direction, "fs2_to_fs1", [_message("information", goal), _message("error", "failed")])
    [conclusion] = direction.obligations
    assert conclusion.summary == "conclusion `0 < x` of fs1 does not follow from fs2"
    assert (direction.discharged, direction.obligation_count, direction.score("strict")) == (0, 1, 0.0)
    silent = DirectionResult()
    obligations.read(silent, "fs1_to_fs2", [_message("error", "maximum recursion depth")])
    assert silent.obligations == [] and silent.score("strict") is None
    timeout = "(deterministic) timeout at `whnf`, maximum number of heartbeats (4000) has been reached"
    stopped = DirectionResult()  # `apply h` itself ran out of heartbeats: no conclusion is blamed
    obligations.read(stopped, "fs1_to_fs2", [_message("information", goal), _message("error", timeout)])
    assert stopped.obligations == [] and stopped.score("strict") is None
