"""Hostile statements: each is refused with a reason, or judged without a false 1.

Three layers are tested one at a time. The validator refuses the known forgeries in Python.
Then, to show that Lean's confirmation holds on its own, statements are built directly (as a
validator bug would let them through) and must be refused by Lean before they share a document.
Last, with confirmation also bypassed (a stand-in confirmer that trusts everything, standing in
for a bug there), the replay in a clean document must still refuse the forged 1.
"""

from __future__ import annotations

import pytest

from service.equivalence.confirm import Confirmation, key
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.preamble import Preamble
from service.equivalence.statement import InvalidStatement, Statement, parse_statement
from service.lean.pool import LeanPool

# The audit's forgery: a true and a false proposition that came back `equivalent`.
CHAR_FORGERY = ("'\"'.toNat = 34) --'\"'", "'\"'.toNat = 35)\n ↔ ('\"'.toNat = 34")
# The same trick injecting a simp axiom that makes `2 = 3` provable in every later chunk.
AXIOM_INJECTION = "'\"' = '\"' ∧ True)\n@[simp] axiom leq_evil : (2 = 3) = True\nexample : ('\"' = '\"'"
SMUGGLED = {
    "simp axiom": "1 = 1)\n@[simp] axiom leq_evil : (2 = 3) = True\nexample : (True",
    "eval with IO": '1 = 1)\n#eval IO.FS.writeFile "leq-evil" "x"\nexample : (True',
    "recovery into simproc": "1 = 1 simproc leq_evil",
    "plain axiom": "1 = 1)\naxiom leq_false : False\nexample : (True",
}


def smuggling(type_text: str) -> Statement:
    """A statement the validator would refuse, built directly: what a validator bug would pass."""
    return Statement(text=type_text, name=None, binders="", type=type_text)


def targets() -> list[Pair]:
    """Pairs an injected `(2 = 3) = True` axiom would flip to 1, and an honest equivalence."""
    return [
        Pair.parse("theorem b : 2 = 3", "theorem c : True"),
        Pair.parse(
            "theorem b (n : Nat) (h : n = 2) : n + 1 = 3", "theorem c (n : Nat) (h : 2 = 3) : n + 1 = 3"
        ),
        Pair.parse("theorem a (x : Nat) (h : x > 3) : x ≥ 4", "theorem b (y : Nat) (h : 3 < y) : 4 ≤ y"),
    ]


def test_the_validator_refuses_every_known_forgery() -> None:
    for text in (*CHAR_FORGERY, AXIOM_INJECTION, *SMUGGLED.values()):
        with pytest.raises(InvalidStatement) as refused:
            Pair.parse(text, "theorem t : True")
        assert refused.value.reason in ("unbalanced_brackets", "forbidden_word", "command", "attribute")
    for preamble in (
        "variable (x : '\"') axiom evil : False --'\"')",
        "open Nat\n#eval 1",
        "open Nat simproc",
    ):
        with pytest.raises(InvalidStatement):
            Pair.parse("theorem t : True", "theorem u : True", preamble)


@pytest.mark.lean
async def test_lean_refuses_a_smuggled_command_before_it_shares_a_document(lean_pool: LeanPool) -> None:
    engine = EquivalenceEngine(lean_pool)
    honest = targets()
    restarts = lean_pool.restarts
    hostile = [Pair(smuggling(text), parse_statement("theorem t : True")) for text in SMUGGLED.values()]
    results = await engine.check_many([*hostile, *honest])  # one group: hostile and honest share runs
    for name, result in zip(SMUGGLED, results, strict=False):
        assert result.verdict == "invalid", (name, result)
        assert result.refusal is not None and result.refusal.reason in ("extra_command", "parse_error"), name
    verdicts = [r.verdict for r in results[len(hostile) :]]
    assert verdicts == ["not_equivalent", "unknown", "equivalent"], verdicts
    assert all(r.replayed for r in results[len(hostile) :] if r.verdict != "unknown")
    assert lean_pool.restarts > restarts  # a session that ran a smuggled command is replaced
    await lean_pool.wait_ready()


@pytest.mark.lean
async def test_a_preamble_cannot_smuggle_a_command_either(lean_pool: LeanPool) -> None:
    preamble = Preamble("variable (x : Nat) axiom leq_false : False")  # as a validator bug would pass it
    pair = Pair(parse_statement("theorem a : 1 = 2"), parse_statement("theorem b : False"), preamble)
    result = (await EquivalenceEngine(lean_pool).check_many([pair]))[0]
    assert result.verdict in ("invalid", "ill_typed"), result
    assert result.verdict_logical != "equivalent"
    await lean_pool.wait_ready()


class TrustingConfirmer:
    """Stands in for a confirmation bug: every statement confirmed, nothing run."""

    async def confirm(self, items: list, timeout: float | None = None, wait_s: float | None = None) -> dict:
        return {key(*item): Confirmation("confirmed") for item in items}


@pytest.mark.lean
async def test_replay_refuses_a_1_that_another_item_forged(lean_pool: LeanPool) -> None:
    engine = EquivalenceEngine(lean_pool)
    engine.confirmer = TrustingConfirmer()  # type: ignore[assignment]
    poisoned = Pair(smuggling(SMUGGLED["simp axiom"]), parse_statement("theorem t : True"))
    results = await engine.check_many([poisoned, *targets()])
    forged = results[1]
    assert forged.verdict != "equivalent" and forged.verdict_logical != "equivalent", forged
    assert forged.verdict == "error" and "clean document" in (forged.error or "")
    assert results[3].verdict == "equivalent" and results[3].replayed


@pytest.mark.lean
async def test_a_parse_error_leaves_no_message_behind_for_later_requests(lean_pool: LeanPool) -> None:
    engine = EquivalenceEngine(lean_pool)
    broken = Pair(smuggling("(1 = 1 simproc foo)"), parse_statement("theorem t : 1 = 1"))
    assert (await engine.check_many([broken]))[0].verdict == "invalid"
    honest = targets()[2]
    for _ in range(4):
        later = await engine.check(honest.fs1, honest.fs2)
        assert later.verdict == "equivalent" and later.messages == [], later


@pytest.mark.lean
async def test_a_statement_cannot_name_another_pairs_declared_statement(lean_pool: LeanPool) -> None:
    """A run declares each pair's statements as `leq_pairK_fsN : Prop` (engine.py, `_Spelling`).
    A statement that names one of them, to borrow another pair's meaning, is confirmed alone
    first, where no such name exists: it is ill-typed and never shares a run."""
    honest = Pair.parse("theorem a (x : Nat) (h : x > 3) : x ≥ 4", "theorem b (x : Nat) (h : 3 < x) : 4 ≤ x")
    borrowing = Pair.parse("theorem c : leq_pair0_fs1", "theorem d : ∀ (x : Nat) (h : x > 3), x ≥ 4")
    results = await EquivalenceEngine(lean_pool).check_many([honest, borrowing])
    assert results[0].verdict == "equivalent"
    assert results[1].verdict == "ill_typed" and any("leq_pair0_fs1" in m.text for m in results[1].messages)
