"""ReProver's side: LeanDojo-style states on our runtime, best-first search with a scripted
generator (a test double proposing known tactics: the real weights cannot be downloaded here)
finding a real multi-step proof, and the ByT5 generator on a tiny random model built in the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.equivalence.statement import InvalidStatement
from service.lean.pool import LeanPool
from service.prover.search import SearchConfig, best_first_search
from service.prover.states import LeanError, ProofChecker, ProofFinished, TacticState, check_tactic

GOAL = "(∀ n : Nat, n + 0 = n) → ∀ m : Nat, 0 + m = m"


@pytest.mark.parametrize(
    "tactic",
    ["sorry", "simp; admit", "native_decide", "skip\n#eval 1", "exact (by sorry)", "#print axioms", "("],
)
def test_unsafe_or_malformed_tactics_are_refused(tactic: str) -> None:
    with pytest.raises(InvalidStatement):
        check_tactic(tactic)


def test_ordinary_tactics_pass() -> None:
    for tactic in ("simp [Nat.add_comm] at h ⊢", "omega", "induction n with", "exact fun x => x"):
        assert check_tactic(f"  {tactic} ") == tactic


class ScriptedGenerator:
    """Proposes fixed tactics for states containing a key, plus distractors (an unsafe one, a
    failing one); log-probabilities decrease down the list."""

    def __init__(self, script: dict[str, list[str]]) -> None:
        self.script = script
        self.seen: list[str] = []

    def suggest(self, states: list[str], k: int) -> list[list[tuple[str, float]]]:
        self.seen += states
        proposals = []
        for state in states:
            known = next((tactics for key, tactics in self.script.items() if key in state), [])
            tactics = ["sorry", "exact rfl_nonexistent", *known][:k]
            proposals.append([(t, -0.1 * (i + 1)) for i, t in enumerate(tactics)])
        return proposals


@pytest.mark.lean
async def test_states_are_leans_own_goal_text(lean_pool: LeanPool) -> None:
    checker = ProofChecker(lean_pool)
    assert await checker.initial_state(GOAL) == TacticState(
        "⊢ (∀ (n : Nat), n + 0 = n) → ∀ (m : Nat), 0 + m = m"
    )
    intro, bad, done = await checker.run_tactics(
        GOAL, [("intro h",), ("exact nope",), ("intro h", "intro m", "exact Nat.zero_add m")]
    )
    assert intro == TacticState("h : ∀ (n : Nat), n + 0 = n\n⊢ ∀ (m : Nat), 0 + m = m")
    assert isinstance(bad, LeanError) and "Unknown identifier `nope`" in bad.error
    assert done == ProofFinished(("intro h", "intro m", "exact Nat.zero_add m"))


@pytest.mark.lean
async def test_best_first_search_finds_a_multi_step_proof(lean_pool: LeanPool) -> None:
    generator = ScriptedGenerator(
        {
            "⊢ (∀ (n : Nat), n + 0 = n) →": ["intro h", "intro x"],
            "⊢ ∀ (m : Nat), 0 + m = m": ["intro m"],
            "⊢ 0 + m = m": ["exact Nat.zero_add m"],
        }
    )
    result = await best_first_search(
        GOAL, ProofChecker(lean_pool), generator, SearchConfig(k=4, nodes_per_round=1)
    )
    assert result.reason == "proved"
    assert result.proof == ("intro h", "intro m", "exact Nat.zero_add m")
    # Best first by cumulative log-probability: root (0), `intro h` (-0.3), `intro x` (-0.4) before
    # `intro h; intro m` (-0.6), whose child is the proof. Unsafe `sorry` never reached Lean.
    assert result.expansions == 4


@pytest.mark.lean
async def test_search_stops_at_its_budget(lean_pool: LeanPool) -> None:
    generator = ScriptedGenerator({"⊢": ["skip", "intro h"]})  # never closes the goal
    result = await best_first_search(
        GOAL, ProofChecker(lean_pool), generator, SearchConfig(k=4, max_expansions=3)
    )
    assert (result.proof, result.reason) == (None, "budget") or result.reason == "exhausted"


def test_byt5_generator_batches_beams_over_states(tiny_model: Path) -> None:
    from service.prover.generator import ByT5TacticGenerator

    generator = ByT5TacticGenerator(str(tiny_model), device="cpu", max_new_tokens=6)
    suggestions = generator.suggest(["⊢ True", "n : Nat\n⊢ n + 0 = n"], k=3)
    assert len(suggestions) == 2
    for proposals in suggestions:
        assert 1 <= len(proposals) <= 3
        assert all(isinstance(t, str) and isinstance(lp, float) for t, lp in proposals)
        assert [lp for _, lp in proposals] == sorted((lp for _, lp in proposals), reverse=True)


def test_missing_reprover_weights_say_how_to_get_them(tmp_path: Path) -> None:
    pytest.importorskip("transformers")
    from service.prover.generator import ByT5TacticGenerator

    with pytest.raises(RuntimeError, match="huggingface-cli download"):
        ByT5TacticGenerator(str(tmp_path / "missing"))


@pytest.mark.lean
async def test_tidy_plus_reprover_proves_open_directions_and_judges_their_vacuity(
    lean_pool: LeanPool,
) -> None:
    """Two true statements that need induction (tidy proves neither direction): ReProver proves
    both, and proves each target alone too, so strict says not 1 while logical says 1."""
    from service.equivalence.engine import EquivalenceEngine
    from service.equivalence.statement import parse_statement
    from service.prover.reprover import ReProver

    induction = "induction n with | zero => rfl | succ k ih => simp only [Nat.repeat] at *; omega"
    generator = ScriptedGenerator(
        {"⊢ (∀": ["intro _ n"], "⊢ True →": ["intro _ n"], "⊢ Nat.repeat": [induction]}
    )
    fs1 = parse_statement("theorem a : ∀ n : Nat, Nat.repeat (· + 2) n 0 = 2 * n")
    fs2 = parse_statement("theorem b : ∀ n : Nat, Nat.repeat (· + 3) n 0 = 3 * n")

    tidy_only = await EquivalenceEngine(lean_pool).check(fs1, fs2, mode="logical")
    assert not tidy_only.fs1_to_fs2.proved and not tidy_only.fs2_to_fs1.proved

    engine = EquivalenceEngine(lean_pool, reprover=ReProver(generator, SearchConfig(k=4)))
    result = await engine.check(fs1, fs2)
    assert (result.prover, result.verdict_logical, result.verdict_strict) == (
        "tidy+reprover",
        "equivalent",
        "unknown",
    )
    assert result.fs1_to_fs2.script == "reprover" and result.fs1_to_fs2.proof == f"intro _ n\n{induction}"
    assert result.fs1_to_fs2.vacuous and result.fs2_to_fs1.vacuous
