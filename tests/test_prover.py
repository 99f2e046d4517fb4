"""ReProver's side: LeanDojo-style states on our runtime, best-first search with a scripted
generator (a test double proposing known tactics: the real weights cannot be downloaded here)
finding a real multi-step proof, the ByT5 generator on tiny models built in the tests, the engine
and the CLI with ReProver, and the LeanDojo adapter."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from service.equivalence.engine import EquivalenceEngine
from service.equivalence.statement import InvalidStatement, parse_statement
from service.lean.pool import LeanPool
from service.prover.dojo import DojoEnvironment
from service.prover.reprover import ReProver
from service.prover.search import SearchConfig, best_first_search
from service.prover.states import LeanError, LeanProofEnvironment, ProofFinished, TacticState, check_tactic
from tests.conftest import LEARNED_TACTIC, RUNAWAY_CHUNK

GOAL = "(∀ n : Nat, n + 0 = n) → ∀ m : Nat, 0 + m = m"
# True, and each needs induction: tidy proves neither direction.
INDUCTION_PAIR = (
    "theorem a : ∀ n : Nat, Nat.repeat (· + 2) n 0 = 2 * n",
    "theorem b : ∀ n : Nat, Nat.repeat (· + 3) n 0 = 3 * n",
)


@pytest.mark.parametrize(
    "tactic",
    ["sorry", "simp; admit", "native_decide", "skip\n#eval 1", "exact (by sorry)", "#print axioms", "(", " "],
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
    environment = LeanProofEnvironment(lean_pool, GOAL)
    root = await environment.initial_state()
    assert root == TacticState("⊢ (∀ (n : Nat), n + 0 = n) → ∀ (m : Nat), 0 + m = m")
    intro, bad, done = await environment.run_scripts(
        [("intro h",), ("exact nope",), ("intro h", "intro m", "exact Nat.zero_add m")]
    )
    assert intro == TacticState("h : ∀ (n : Nat), n + 0 = n\n⊢ ∀ (m : Nat), 0 + m = m")
    assert intro == await environment.run_tac(root, "intro h")  # type: ignore[arg-type]
    assert intro.tactics == ("intro h",)
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
        LeanProofEnvironment(lean_pool, GOAL), generator, SearchConfig(k=4, nodes_per_round=1)
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
        LeanProofEnvironment(lean_pool, GOAL), generator, SearchConfig(k=4, max_expansions=3)
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
    induction = "induction n with | zero => rfl | succ k ih => simp only [Nat.repeat] at *; omega"
    generator = ScriptedGenerator(
        {"⊢ (∀": ["intro _ n"], "⊢ True →": ["intro _ n"], "⊢ Nat.repeat": [induction]}
    )
    fs1, fs2 = parse_statement(INDUCTION_PAIR[0]), parse_statement(INDUCTION_PAIR[1])

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


def test_sampling_scores_each_sample_by_its_log_probability(tiny_model: Path) -> None:
    from service.prover.generator import ByT5TacticGenerator

    generator = ByT5TacticGenerator(str(tiny_model), device="cpu", max_new_tokens=6, decoding="sample")
    (proposals,) = generator.suggest(["⊢ True"], k=4)
    assert 1 <= len(proposals) <= 4
    assert all(float("-inf") < lp < 0 for _, lp in proposals)
    with pytest.raises(ValueError, match="decoding"):
        ByT5TacticGenerator(str(tiny_model), decoding="nucleus")


@pytest.mark.lean
async def test_a_stalling_tactic_is_an_error_and_its_siblings_still_run(lean_pool: LeanPool) -> None:
    """A model may propose a tactic on which Lean ignores its heartbeats: that candidate fails, the
    others of its run get their states."""
    goal = RUNAWAY_CHUNK.split(" : ", 1)[1].removesuffix(" := by decide")
    environment = LeanProofEnvironment(lean_pool, goal, heartbeats=0, stall_s=4)
    stalled, intro = await environment.run_scripts([("decide",), ("intro a b c",)])
    assert isinstance(stalled, LeanError) and "stalled" in stalled.error
    assert isinstance(intro, TacticState) and intro.pp.startswith("a b c : Fin 40")


@pytest.mark.lean
async def test_reprover_alone_gets_no_help_from_the_portfolio(lean_pool: LeanPool) -> None:
    fs1 = parse_statement("theorem a (x y : Nat) (h : x < y) : x + 2 ≤ y + 1")
    fs2 = parse_statement("theorem b (x y : Nat) (h : x < y) : x + 1 ≤ y")
    tidy = await EquivalenceEngine(lean_pool).check(fs1, fs2, mode="logical")
    assert tidy.verdict == "equivalent"

    useless = ReProver(ScriptedGenerator({}), SearchConfig(k=2, max_expansions=2))
    alone = await EquivalenceEngine(lean_pool, reprover=useless, tidy=False).check(fs1, fs2, mode="logical")
    assert (alone.prover, alone.verdict) == ("reprover", "unknown")
    assert not alone.fs1_to_fs2.proved and not alone.fs2_to_fs1.proved
    with pytest.raises(ValueError, match="needs a prover"):
        EquivalenceEngine(lean_pool, tidy=False)


@pytest.mark.lean
def test_cli_check_with_reprover_from_a_local_model_directory(tactic_model: Path) -> None:
    """`lean-equiv check --prover tidy+reprover --reprover-model DIR`, end to end in a fresh
    process: the model loads from DIR, its beam search proposes, Lean checks, and the directions
    tidy cannot prove are proved by the model's tactic."""
    command = [sys.executable, "-m", "service.cli", "check", *INDUCTION_PAIR, "--json", "--mode", "logical",
               "--prover", "tidy+reprover", "--reprover-model", str(tactic_model), "--reprover-k", "4",
               "--reprover-expansions", "4", "--device", "cpu"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert (result["prover"], result["verdict"], result["verdict_strict"]) == (
        "tidy+reprover",
        "equivalent",
        "unknown",  # ReProver proves each statement alone too: vacuous under strict
    )
    for direction in ("fs1_to_fs2", "fs2_to_fs1"):
        assert (result[direction]["script"], result[direction]["proof"]) == ("reprover", LEARNED_TACTIC)


# ---------------------------------------------------------------- LeanDojo


@dataclass(frozen=True)
class _DojoTacticState:  # LeanDojo's result types, as `lean_dojo.interaction.dojo` defines them
    pp: str
    id: int = field(compare=False)


@dataclass(frozen=True)
class _DojoProofFinished:
    tactic_state_id: int


@dataclass(frozen=True)
class _DojoLeanError:
    error: str


_DojoTacticState.__name__, _DojoProofFinished.__name__, _DojoLeanError.__name__ = (
    "TacticState",
    "ProofFinished",
    "LeanError",
)


class StandInDojo:
    """Plays `lean_dojo.Dojo` for one goal: a native toolchain and a traced repository cannot exist
    here. Its `run_tac` is blocking and id-based like LeanDojo's, and answers from real Lean."""

    def __init__(self, environment: LeanProofEnvironment, loop: asyncio.AbstractEventLoop) -> None:
        self.environment = environment
        self.loop = loop
        self.scripts: dict[int, tuple[str, ...]] = {0: ()}
        self.calls = 0

    def initial(self, root: TacticState) -> _DojoTacticState:
        return _DojoTacticState(root.pp, 0)

    def run_tac(self, state: _DojoTacticState, tactic: str) -> object:
        self.calls += 1
        script = (*self.scripts[state.id], tactic)
        future = asyncio.run_coroutine_threadsafe(self.environment.run_scripts([script]), self.loop)
        result = future.result()[0]
        if isinstance(result, TacticState):
            self.scripts[len(self.scripts)] = script
            return _DojoTacticState(result.pp, len(self.scripts) - 1)
        if isinstance(result, ProofFinished):
            return _DojoProofFinished(state.id)
        return _DojoLeanError(result.error)


@pytest.mark.lean
async def test_search_through_a_dojo_finds_the_same_proof(lean_pool: LeanPool) -> None:
    script = {
        "⊢ (∀ (n : Nat), n + 0 = n) →": ["intro h", "intro x"],
        "⊢ ∀ (m : Nat), 0 + m = m": ["intro m"],
        "⊢ 0 + m = m": ["exact Nat.zero_add m"],
    }
    lean = LeanProofEnvironment(lean_pool, GOAL)
    dojo = StandInDojo(lean, asyncio.get_running_loop())
    root = await lean.initial_state()
    assert isinstance(root, TacticState)
    environment = DojoEnvironment(dojo, dojo.initial(root))
    config = SearchConfig(k=4, nodes_per_round=1)
    through_dojo = await best_first_search(environment, ScriptedGenerator(script), config)
    direct = await best_first_search(lean, ScriptedGenerator(script), config)
    assert through_dojo.proof == direct.proof == ("intro h", "intro m", "exact Nat.zero_add m")
    assert through_dojo.expansions == direct.expansions
    assert dojo.calls > len(direct.proof)  # the failing candidates went through run_tac too
    assert not await environment.verify(("intro h", "exact nope"))


def _dojo_theorem() -> tuple[str, str, str, str]:
    """A real LeanDojo run needs the package, a native toolchain and a repository that LeanDojo can
    trace: LEAN_EQUIV_DOJO_THEOREM="URL COMMIT FILE THEOREM" names a theorem that `simp`, `omega`,
    `decide` or `rfl` proves."""
    pytest.importorskip("lean_dojo", reason="LeanDojo is not installed (pip install 'lean-equiv[dojo]')")
    if shutil.which("lake") is None:
        pytest.skip("no native Lean toolchain (lake) on PATH")
    spec = os.environ.get("LEAN_EQUIV_DOJO_THEOREM", "").split()
    if len(spec) != 4:
        pytest.skip('set LEAN_EQUIV_DOJO_THEOREM="URL COMMIT FILE THEOREM" to a traceable theorem')
    return spec[0], spec[1], spec[2], spec[3]


def test_search_through_a_real_dojo() -> None:
    url, commit, path, name = _dojo_theorem()
    from lean_dojo import LeanGitRepo, Theorem

    from service.prover.dojo import prove_theorem

    generator = ScriptedGenerator({"⊢": ["rfl", "simp", "omega", "decide"]})
    found = prove_theorem(Theorem(LeanGitRepo(url, commit), path, name), generator, SearchConfig(k=8))
    assert found.reason == "proved" and found.proof
