"""The equivalence engine and its sanity suite, against the real embedded Lean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from evaluation.sanity import (
    BUILTIN_CASES,
    baseline_changes,
    generate_cases,
    load_statements,
    run_suite,
    write_junit,
)
from evaluation.strength import STRENGTH_CASES
from service.config import Settings
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.portfolio import TIDY, Script, first_of
from service.equivalence.statement import parse_statement
from service.lean.document import Document, RunResult
from service.lean.pool import LeanPool
from tests.conftest import MINIF2F_CORE

pytestmark = pytest.mark.lean
STRENGTH_BASELINE = Path(__file__).resolve().parents[1] / ".ci" / "strength-baseline.json"
# Six public statements (the first six rows of MINIF2F_CORE), chosen by id.
SAMPLE_IDS = ("aimeII_2001_p3", "aime_1994_p3", "amc12_2000_p12", "amc12_2001_p2", "amc12a_2002_p6",
              "amc12a_2021_p3")  # fmt: skip


def sample_statements() -> list[tuple[str, str]]:
    by_id = {item_id: text for item_id, text in load_statements(MINIF2F_CORE) if item_id in SAMPLE_IDS}
    assert set(by_id) == set(SAMPLE_IDS), f"{MINIF2F_CORE} lacks {set(SAMPLE_IDS) - set(by_id)}"
    return [(item_id, by_id[item_id]) for item_id in SAMPLE_IDS]


async def test_identical_pair_is_equivalent_with_proofs(lean_pool: LeanPool) -> None:
    text = "theorem t (a b : Nat) (h : a < b) : a + 1 ≤ b"
    result = await EquivalenceEngine(lean_pool).check(parse_statement(text), parse_statement(text))
    assert (result.verdict, result.equivalent, result.definitional) == ("equivalent", 1, True), result.error
    assert result.fs1_to_fs2.proof == result.fs2_to_fs1.proof == "Iff.rfl"
    assert result.lean_version.startswith("Lean (version 4.")


REORDERED_HYPOTHESES = (
    "theorem a (x : Nat) (h : x > 3) (k : x < 10) : x ≥ 4",
    "theorem b (x : Nat) (k : x < 10) (h : x > 3) : x ≥ 4",
)
"""Stage 1's transports prove both directions; `Iff.rfl` does not (the hypotheses' order)."""


def _record_documents(lean_pool: LeanPool, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The chunks of every document the pool is sent from now on, one list per document."""
    sent: list[list[str]] = []
    run = lean_pool.run

    async def recording(document: Document, *args: Any, **kwargs: Any) -> RunResult:
        sent.append(document.chunks)
        return await run(document, *args, **kwargs)

    monkeypatch.setattr(lean_pool, "run", recording)
    return sent


async def test_a_transport_proof_ends_its_directions_plan(
    lean_pool: LeanPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stage 1's transports prove both directions (hypotheses in another order, so not `Iff.rfl`):
    no decision procedure, stage-2 script or refutation runs, and each direction gets one
    vacuity probe, its transport's own (see `_needed_probes`). Three Lean runs: the
    confirmation, the attempts, and the replay of the proofs with the probes after them."""
    documents = _record_documents(lean_pool, monkeypatch)
    fs1, fs2 = (parse_statement(text) for text in REORDERED_HYPOTHESES)
    result = await EquivalenceEngine(lean_pool).check(fs1, fs2)
    sent = [chunk for chunks in documents for chunk in chunks]
    assert (result.verdict, result.definitional, result.replayed) == ("equivalent", False, True)
    assert len(documents) == 3
    attempts = [chunk for chunk in sent if "example :" in chunk]
    assert sum("example : True →" in chunk for chunk in attempts) == 2
    proving = [chunk for chunk in attempts if "example : True →" not in chunk and "Iff.rfl" not in chunk]
    assert sum('trace "leq-script' in chunk for chunk in proving) == 2  # stage 1: one `first` per direction
    assert result.fs1_to_fs2.script in {s.name for s in TIDY if s.transport and s.stage == 1}
    later = ("omega", "simp_all", "decide", "grind", "exact?", "example : ¬")
    assert [chunk for chunk in attempts if any(word in chunk for word in later)] == []


async def test_attempts_name_statements_a_run_declares_and_a_failed_declaration_is_an_error(
    lean_pool: LeanPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run declares each statement of a pair once (`def … : Prop`) and its attempts name them,
    so Lean elaborates a statement once per run instead of once per attempt; the replay behind a
    verdict keeps the text, and comes first in its document, before the declarations and the
    probes that share it. A declaration that fails (a confirmed statement cannot; forced here)
    makes the pair an error: its attempts failed for want of a name, so no failed vacuity probe
    may count as one."""
    from service.equivalence import engine

    sent = _record_documents(lean_pool, monkeypatch)
    fs1, fs2 = (parse_statement(text) for text in REORDERED_HYPOTHESES)
    result = await EquivalenceEngine(lean_pool).check(fs1, fs2)
    assert (result.verdict, result.replayed) == ("equivalent", True)
    runs = [chunks for chunks in sent if any("example :" in c for c in chunks)]
    declared = [next(i for i, c in enumerate(chunks) if "def leq_pair0_fs1 : Prop" in c) for chunks in runs]
    for chunks, at in zip(runs, declared, strict=True):
        assert sum("def leq_pair0_fs1 : Prop" in c for c in chunks) == 1
        assert all("delta leq_pair0_fs1 leq_pair0_fs2" in c for c in chunks[at:] if ":= by" in c)
    replayed = runs[-1][: declared[-1]]
    assert len(replayed) == 2 and all("example : (∀ (x : Nat)" in c for c in replayed)
    assert not any("leq_pair" in c for c in replayed)

    typed = Pair.parse("theorem a (α : Type) (x : α) : x = x", "theorem b (α : Type) (y : α) : y = y")
    assert "leq_pair" not in "".join(EquivalenceEngine(lean_pool).first_document([typed]).chunks)

    monkeypatch.setattr(engine, "_declarations", lambda *_: "def leq_broken : Prop := undefined_name")
    broken = await EquivalenceEngine(lean_pool).check(fs1, fs2)
    assert broken.verdict == "error" and "declaring the statements" in (broken.error or "")


async def test_vacuous_direction_counts_only_in_logical_mode(lean_pool: LeanPool) -> None:
    fs1 = parse_statement("theorem a (n : Nat) (h : n > 0) : 1 ≤ n")
    fs2 = parse_statement("theorem b (n : Nat) (h : n > 0) : 0 ≤ n")
    strict = await EquivalenceEngine(lean_pool).check(fs1, fs2, mode="strict")
    assert (strict.verdict, strict.equivalent, strict.verdict_logical) == ("unknown", 0, "equivalent")
    assert strict.fs1_to_fs2.proved and strict.fs1_to_fs2.vacuous
    logical = await EquivalenceEngine(lean_pool).check(fs1, fs2, mode="logical")
    assert (logical.verdict, logical.equivalent) == ("equivalent", 1)


async def test_false_mutation_is_refuted(lean_pool: LeanPool) -> None:
    result = await EquivalenceEngine(lean_pool).check(
        parse_statement("theorem a : 2 + 2 = 4"), parse_statement("theorem a : 2 + 2 = 5")
    )
    assert (result.verdict, result.equivalent) == ("not_equivalent", 0)
    assert result.fs1_to_fs2.refuted and result.fs1_to_fs2.refutation


async def test_ill_typed_statement_reports_lean_error(lean_pool: LeanPool) -> None:
    result = await EquivalenceEngine(lean_pool).check(
        parse_statement("theorem a : foo_undefined 3 = 2"), parse_statement("theorem b : 1 = 1")
    )
    assert result.verdict == "ill_typed" and result.equivalent == 0
    assert any("foo_undefined" in m.text for m in result.messages)


async def test_sanity_suite_has_full_precision(lean_pool: LeanPool, tmp_path: Path) -> None:
    cases = [*BUILTIN_CASES, *generate_cases(sample_statements())]
    report = await run_suite(EquivalenceEngine(lean_pool), cases)
    wrong_ones = [(c.id, r.verdict) for c, r in report.pairs() if c.expected == 0 and r.equivalent == 1]
    assert wrong_ones == [] and report.precision == 1.0
    ill_typed = [(c.id, r.verdict) for c, r in report.pairs() if c.expected == "ill_typed"]
    assert all(verdict == "ill_typed" for _, verdict in ill_typed)
    # Measured 1.000 since the apply_ac and apply_and transports (2026-11-22); the floor leaves
    # room for a slower machine's stall watchdog dropping an honest attempt (that only removes 1s).
    assert report.recall >= 0.95, [(c.id, r.verdict) for c, r in report.pairs() if c.expected == 1]
    write_junit(report, tmp_path / "sanity.xml")
    assert f'tests="{len(cases)}"' in (tmp_path / "sanity.xml").read_text()


async def test_strength_suite_meets_its_targets_and_keeps_its_baseline(lean_pool: LeanPool) -> None:
    """The everyday restatements (evaluation/strength.py): every meaning-changing case 0, at least
    90 % of the meaning-preserving ones 1, and no verdict different from the CI baseline."""
    report = await run_suite(EquivalenceEngine(lean_pool), list(STRENGTH_CASES))
    verdicts = [(c.id, r.verdict) for c, r in report.pairs()]
    assert report.precision == 1.0, verdicts
    assert report.recall >= 0.9, verdicts
    changes = baseline_changes(report, json.loads(STRENGTH_BASELINE.read_text()))
    assert {STRENGTH_CASES[i].id: change for i, change in changes.items()} == {}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "service.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_cli_check_exit_codes() -> None:
    refused = _cli("check", "theorem a : 1 = 1\n#eval 1", "theorem b : 1 = 1", "--json")
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["reason"] == "command"
    fs1, fs2 = "theorem a (n : Nat) (h : 2 < n) : 4 < n ^ 2", "theorem b (n : Nat) (h : 1 < n) : 4 < n ^ 2"
    refuted = _cli("check", fs1, fs2, "--json")
    assert refuted.returncode == 1, refuted.stderr
    body = json.loads(refuted.stdout)
    assert (body["equivalent"], body["verdict"]) == (0, "not_equivalent")
    assert [(c["side"], c["assignment"]) for c in body["counterexamples"]] == [("fs2", {"n": "2"})]


def test_sessions_warm_up_with_every_script_unless_turned_off(settings: Settings) -> None:
    """The pool's sessions run the whole portfolio (proofs and refutations) as they start, unless
    the settings turn it off; a one-shot check never does."""
    from service.equivalence.portfolio import REFUTE, proving_scripts
    from service.provers import engine_pool

    warm = engine_pool(settings, size=1).warm_up or []
    assert len(warm) == len(proving_scripts()) + len(REFUTE)
    assert all(any(s.tactic in chunk for chunk in warm) for s in proving_scripts())
    assert engine_pool(settings.model_copy(update={"warm_up": False}), size=1).warm_up is None
    assert engine_pool(settings, size=1, warm_up=False).warm_up is None


def test_first_of_names_the_alternative_that_held() -> None:
    """`first` keeps the messages of the alternative that held only: its trace names it."""
    transports = tuple(s for s in TIDY if s.transport and s.stage == 1)
    combined = first_of(transports)
    assert combined.transport and combined.alternatives == transports
    assert combined.tactic.count('); done); trace "leq-script') == len(transports)
    assert combined.held(["unused simp argument", "leq-script 2"]) == transports[2]
    assert combined.held(["leq-script 9"]) is None and combined.held([]) is None


async def test_a_misread_alternative_cannot_make_a_verdict(
    lean_pool: LeanPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which stage-1 transport held is read from a trace; were it misread (here: forced to
    `exact h`, which cannot prove a pair whose hypotheses are reordered), the proof recorded fails
    its replay in the clean document and the pair is an error, never a 1."""
    monkeypatch.setattr(Script, "held", lambda self, texts: self.alternatives[0])
    fs1, fs2 = (parse_statement(text) for text in REORDERED_HYPOTHESES)
    result = await EquivalenceEngine(lean_pool).check(fs1, fs2)
    assert result.fs1_to_fs2.script == "exact"
    assert result.verdict == "error" and "clean document" in (result.error or ""), result
