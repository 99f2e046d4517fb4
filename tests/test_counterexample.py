"""Counterexamples: which points are tried (no Lean), and what a found one is worth (real Lean)."""

from __future__ import annotations

import pytest

from service.equivalence import counterexample
from service.equivalence.counterexample import MAX_POINTS, search
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.statement import parse_statement
from service.lean.pool import LeanPool

SQUARES = (  # the first holds for every n; the second fails at n = 2
    "theorem a (n : Nat) (h : 2 < n) : 4 < n ^ 2",
    "theorem b (n : Nat) (h : 1 < n) : 4 < n ^ 2",
)


def test_small_variables_are_gridded_smallest_first_and_hypotheses_passed_through() -> None:
    found = search(parse_statement("theorem t (a b : ℤ) {h : a < b} (k : Fin 3) : a + k < b"))
    assert found is not None and found.variables == ("a", "b", "k")
    assert len(found.points) <= MAX_POINTS and found.points[0] == ("(0 : ℤ)", "(0 : ℤ)", "(0 : Fin 3)")
    assert found.assignment(0) == {"a": "0", "b": "0", "k": "0"}
    assert "@h (0 : ℤ) (0 : ℤ) leq_h2 (0 : Fin 3)" in found.proof(found.points[0])
    single = search(parse_statement(SQUARES[1]))
    assert single is not None and [single.assignment(i)["n"] for i in range(3)] == ["0", "1", "2"]
    assert len(single.points) == MAX_POINTS


def test_closed_statements_have_one_point_and_unreadable_binders_none() -> None:
    closed = search(parse_statement("theorem t : 2 + 2 = 5"))
    assert closed is not None and closed.points == ((),) and "absurd (h)" in closed.proof(())
    assert search(parse_statement("theorem t [Inhabited α] (x : α) : x = x")) is None
    assert search(parse_statement("theorem t {x} : x = x")) is None


@pytest.mark.lean
async def test_a_counterexample_refutes_one_statement_and_a_false_reference_is_flagged(
    lean_pool: LeanPool,
) -> None:
    """One statement refuted: `not_equivalent`, replayed; fs1 refuted: `reference_false`; both
    refuted: the verdict is left to the directions (two false statements are equivalent)."""
    false_reference = Pair.parse(SQUARES[1], "theorem c (n : Nat) (h : 5 < n) : 30 < n ^ 2")
    both_false = Pair.parse(SQUARES[1], "theorem d (m : Nat) (h : 0 < m) : 2 < m * m")
    pairs = [Pair.parse(*SQUARES), false_reference, both_false]
    result, first, second = await EquivalenceEngine(lean_pool).check_many(pairs)
    assert (result.verdict, result.verdict_logical, result.replayed) == ("not_equivalent",) * 2 + (True,)
    [found] = result.counterexamples
    assert (found.side, found.assignment, result.reference_false) == ("fs2", {"n": "2"}, False)
    assert "@h (2 : Nat)" in found.proof
    assert (first.verdict, first.reference_false, [c.side for c in first.counterexamples]) == (
        "not_equivalent", True, ["fs1"],
    )  # fmt: skip
    assert second.verdict != "not_equivalent" and second.reference_false
    assert [c.side for c in second.counterexamples] == ["fs1", "fs2"]


@pytest.mark.lean
async def test_a_misread_point_cannot_make_a_verdict(
    lean_pool: LeanPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point is read from a trace; were it misread (here: forced to n = 5, where the body
    holds), the proof at that point fails its replay and the pair is an error, not a 0."""
    monkeypatch.setattr(counterexample.Search, "found", lambda self, texts: 5)
    result = await EquivalenceEngine(lean_pool).check(*(parse_statement(s) for s in SQUARES))
    assert result.verdict == "error" and "clean document" in (result.error or ""), result


@pytest.mark.lean
async def test_contradictory_hypotheses_are_flagged(lean_pool: LeanPool) -> None:
    """fs2 cannot be used (its hypotheses contradict each other), so both directions are vacuous:
    the strict verdict is not a 1, and the flag says why."""
    fs1 = parse_statement("theorem a (n : Nat) (h : 0 < n) : 1 ≤ n")
    fs2 = parse_statement("theorem b (n : Nat) (h : 0 < n) (k : n = 0) : 5 ≤ n")
    result = await EquivalenceEngine(lean_pool).check(fs1, fs2)
    assert result.verdict != "equivalent" and result.contradictory_hypotheses == ["fs2"], result
