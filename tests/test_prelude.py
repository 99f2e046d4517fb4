"""The Mathlib-compatibility prelude: soundness first (named axioms, a model, a canary), then
what it is for (Mathlib-style statements judged on the embedded Lean)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from evaluation.sanity import generate_cases, load_statements, run_suite
from service.config import Settings
from service.equivalence.confirm import confirmation_document, judge
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.errors import InvalidStatement
from service.equivalence.portfolio import MATHLIB, REFUTE, TIDY
from service.equivalence.preamble import NO_PREAMBLE
from service.equivalence.prelude import COMPAT_DIR, PRELUDE_FILE, compat_prelude, prelude_library
from service.equivalence.statement import parse_statement
from service.lean.backend import EmbeddedBackend
from service.lean.document import Document, Message, Position
from service.lean.pool import LeanPool
from tests.conftest import MINIF2F_VALID_MATHLIB

# Each `axiom` must say which Mathlib theorem makes it true, in the comment or docstring right
# above it (no blank line between) or on its line: one false axiom makes every pair provable.
_AXIOM = re.compile(r"^\s*(?:@\[[^\]]*\]\s*)?(?:noncomputable\s+)?(?:private\s+)?axiom\s+(\S+)", re.MULTILINE)


def axioms_without_mathlib_name(text: str) -> list[str]:
    lines = text.splitlines()
    missing = []
    for number, line in enumerate(lines):
        if (found := _AXIOM.match(line)) is None:
            continue
        start = number
        while start > 0 and lines[start - 1].strip():
            start -= 1
        context = "\n".join(lines[start : number + 1])
        if "Mathlib:" not in context:
            missing.append(found.group(1))
    return missing


def test_every_axiom_names_the_mathlib_theorem_that_makes_it_true() -> None:
    text = compat_prelude()
    assert _AXIOM.search(text), "the prelude axiomatizes ℝ: its axioms must be found here"
    assert axioms_without_mathlib_name(text) == []
    assert "sorry" not in re.sub(r"--.*", "", text)  # nothing proved by sorry


@pytest.fixture(scope="module")
async def prelude_pool(settings: Settings) -> AsyncIterator[LeanPool]:
    library = prelude_library()
    pool = LeanPool(
        EmbeddedBackend(settings), size=1, header=library.import_line, libraries=[library], job_timeout_s=300
    )
    await pool.start()
    yield pool
    await pool.close()


@pytest.mark.lean
async def test_the_prelude_and_its_model_elaborate_without_sorry(prelude_pool: LeanPool) -> None:
    """The header itself reports no error and no sorry; the model (the same classes instantiated
    by core's `Rat`, every law proved by core) elaborates too."""
    model = (COMPAT_DIR / "Model.lean").read_text(encoding="utf-8")
    result = await prelude_pool.run(Document(chunks=[model]))
    assert result.errors() == [] and not [m for m in result.messages if "sorry" in m.text], result.messages
    assert PRELUDE_FILE.exists()


CANARIES = [
    "False",
    "(0 : ℝ) = 1",
    "(0 : ℚ) = 1",
    "(0 : ℤ) = 1",
    "(0 : ℕ) = 1",
    "(1 : ℝ) < 0",
    "Real.sqrt 2 = 1",
]


@pytest.mark.lean
async def test_no_script_of_the_portfolio_proves_a_falsehood_under_the_prelude(
    prelude_pool: LeanPool,
) -> None:
    scripts = [s.tactic for s in TIDY] + [s.tactic for s in REFUTE]
    chunks = [
        f"set_option maxHeartbeats 4000 in\nexample : True → {goal} := by\n  {script}"
        for goal in CANARIES
        for script in scripts
    ]
    result = await prelude_pool.run(Document(chunks=chunks), timeout=600)
    proved = [chunks[i] for i in range(len(chunks)) if not result.errors(i)]
    assert proved == []


MATHLIB_PAIR = (
    "theorem a (x : ℝ) (h₀ : 0 < x) (h₁ : x ^ 2 = 4) : x = 2",
    "theorem b (y : ℝ) (h₁ : y ^ 2 = 4) (h₀ : y > 0) : y = 2",
)


@pytest.mark.lean
async def test_mathlib_style_statements_are_judged_on_the_embedded_lean(prelude_pool: LeanPool) -> None:
    engine = EquivalenceEngine(prelude_pool)
    header = "import Mathlib\nset_option maxHeartbeats 400000\nopen BigOperators Real Nat Topology Rat"
    pairs = [
        Pair.parse(*MATHLIB_PAIR),
        Pair.parse("theorem t (f : Polynomial ℝ) : f = f", "theorem u : True", "import Mathlib"),
        Pair.parse("theorem t (n : ℕ) : foo_undefined n = 2", "theorem u : True"),
        # autoImplicit: `x` is bound as Lean binds it in a theorem's signature
        Pair.parse("theorem t (h : x = 2) : x + 1 = 3", "theorem u (y : ℕ) (h : y = 2) : y + 1 = 3"),
    ]
    pairs.append(Pair.parse(f"{header}\n{MATHLIB_PAIR[0]}", MATHLIB_PAIR[1].replace("= 2", "= 3")))
    equivalent, needs_mathlib, typo, auto_bound, changed = await engine.check_many(pairs)
    assert auto_bound.verdict == "equivalent" and auto_bound.replayed, auto_bound
    assert equivalent.verdict == "equivalent" and equivalent.replayed, equivalent
    assert changed.verdict != "equivalent" and changed.verdict_logical != "equivalent", changed
    assert needs_mathlib.verdict == "unsupported" and needs_mathlib.unsupported is not None
    assert (
        needs_mathlib.unsupported.reason == "needs_mathlib"
        and "Polynomial" in needs_mathlib.unsupported.names
    )
    assert typo.verdict == "ill_typed"  # a name of one's own that does not exist is the statement's fault


@pytest.mark.lean
async def test_a_batch_of_mathlib_style_rewrites_is_judged_as_datasets_send_it(
    prelude_pool: LeanPool,
) -> None:
    """The sanity rewrites of two public statements, verbatim with their `import Mathlib` headers,
    in one batch (so one Lean run holds many attempts: such runs once overflowed Node's stack):
    no error, no 1 where the rewrite changed the meaning, and the equivalent rewrites proved."""
    cases = generate_cases(load_statements(MINIF2F_VALID_MATHLIB, limit=2))
    report = await run_suite(EquivalenceEngine(prelude_pool), cases)
    assert [r.error for r in report.results if r.verdict == "error"] == []
    assert report.precision == 1.0
    assert report.recall >= 0.75, [(c.id, r.verdict) for c, r in report.pairs()]


def test_a_native_mathlib_project_gets_mathlibs_automation_and_no_prelude(settings: Settings) -> None:
    """The native code path's choices, made without running Lean: this machine has no Mathlib, so
    what Mathlib's tactics then prove cannot be shown here (the native backend itself is run in
    tests/test_runtime.py through a wrapper around the embedded Lean)."""
    from service.provers import engine_pool, session_header

    native = settings.model_copy(update={"backend": "native", "lean_header": "import Mathlib"})
    assert session_header(native) == "import Mathlib"
    with_prelude = settings.model_copy(update={"compat_prelude": True})
    assert session_header(with_prelude) == "import LeanEquiv.Compat.Prelude"
    with_mathlib = EquivalenceEngine(engine_pool(native, size=1))
    embedded = EquivalenceEngine(engine_pool(with_prelude, size=1))
    assert with_mathlib.mathlib and not embedded.mathlib
    assert with_mathlib.configuration() != embedded.configuration()  # never one cache entry for both
    names = {script.name for script in with_mathlib._portfolio(2)}
    assert {"linarith", "nlinarith", "positivity", "norm_num", "aesop"} <= names
    mathlib_only = {script.name for script in MATHLIB}
    assert names - {script.name for script in embedded._portfolio(2)} == mathlib_only


def test_dataset_headers_join_the_preamble_and_other_imports_are_refused() -> None:
    header = "import Mathlib\nimport Aesop\n\nset_option maxHeartbeats 400000\n\n"
    header += "open BigOperators Real Nat Topology Rat"
    pair = Pair.parse(f"{header}\n\n{MATHLIB_PAIR[0]}", f"set_option maxHeartbeats 0 in\n{MATHLIB_PAIR[1]}")
    assert pair.preamble.mathlib and pair.preamble.imports == ("Mathlib", "Aesop")
    assert pair.preamble.text == "open BigOperators Real Nat Topology Rat"  # heartbeats are the engine's
    assert pair.fs1.name == "a" and pair.fs2.name == "b"
    with pytest.raises(InvalidStatement) as refused:
        Pair.parse("import Lean.Elab\ntheorem t : True", "theorem u : True")
    assert refused.value.reason == "unsupported_import"
    with pytest.raises(InvalidStatement):
        Pair.parse("set_option trace.Elab.command false in\ntheorem t : True", "theorem u : True")


IMAGE_PAIR = (
    "import Mathlib\ntheorem t (f : ℕ → ℕ) (s : Set ℕ) (h : f '' s = s) (k : f ⁻¹' {')'.toNat} = ∅) :"
    " f 0 = 0",
    "import Mathlib\ntheorem u (g : ℕ → ℕ) (t : Set ℕ) (k : g ⁻¹' {')'.toNat} = ∅) (h : g '' t = t) :"
    " g 0 = 0",
)


@pytest.mark.lean
async def test_mathlibs_apostrophe_tokens_are_read_as_the_reading_lean_reads_them(
    prelude_pool: LeanPool, lean_pool: LeanPool
) -> None:
    """`f '' s` and `f ⁻¹' s` are tokens of Mathlib and of the prelude, not character literals:
    statements whose header imports Mathlib are read with them, and Lean under the prelude
    reads them the same way (the pair is confirmed and proved, with a `')'` literal after the
    token to show where the literal begins). A core Lean lacks the tokens: it never gets such
    a statement (no Lean run at all), and the verdict says what it lacks."""
    pair = Pair.parse(*IMAGE_PAIR)
    on_prelude = await EquivalenceEngine(prelude_pool).check(pair.fs1, pair.fs2, preamble=pair.preamble)
    assert on_prelude.verdict == "equivalent" and on_prelude.replayed, on_prelude
    runs = lean_pool.runs
    on_core = await EquivalenceEngine(lean_pool).check(pair.fs1, pair.fs2, preamble=pair.preamble)
    assert on_core.verdict == "unsupported" and on_core.unsupported is not None
    assert on_core.unsupported.names == ["Mathlib"] and lean_pool.runs == runs
    plain = Pair.parse(
        "import Mathlib\ntheorem t (n : Nat) (h : n > 0) : n ≥ 1", "theorem u (m : Nat) (h : 0 < m) : 1 ≤ m"
    )
    on_core = await EquivalenceEngine(lean_pool).check(plain.fs1, plain.fs2, preamble=plain.preamble)
    assert on_core.verdict == "equivalent"  # no such token: read alike, so core Lean judges it
    with pytest.raises(InvalidStatement):  # without Mathlib's header the same text is refused
        Pair.parse(IMAGE_PAIR[0].removeprefix("import Mathlib\n"), "theorem u : True")


def test_a_statement_that_runs_out_of_heartbeats_is_no_ill_typed_statement() -> None:
    """Elaboration stopped by its budget says nothing about the statement: an `error` carrying
    Lean's message (remembered, since it is deterministic), never `ill_typed`."""
    _, (chunk,) = confirmation_document([(NO_PREAMBLE, parse_statement("theorem t (x : ℝ) : x = x"))], 20000)
    timeout = "(deterministic) timeout at `whnf`, maximum number of heartbeats (20000) has been reached"
    message = Message(severity="error", pos=Position(line=1, column=20), text=timeout)
    confirmation = judge(chunk, 1, [message])
    assert confirmation.status == "error" and confirmation.messages == (message,)
    assert confirmation.error is not None and "maximum number of heartbeats" in confirmation.error
