"""The `tidy` prover: an ordered portfolio of core-Lean tactic scripts.

A *transport* script only moves the hypothesis to the goal (intros, exact/apply h, simpa using h,
definitional unfolding); no decision procedure closes a goal on its own. Vacuity is judged with
them (see engine.py). Scripts never contain `sorry` or `native_decide`; statements cannot either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Script:
    name: str
    tactic: str
    transport: bool = False
    stage: int = 1
    """Stage 1 runs for every direction; stage 2 only for what stage 1 left open."""


AC_LEMMAS = [
    f"{ring}.{op}_{law}"
    for ring in ("Nat", "Int")
    for op in ("add", "mul")
    for law in ("comm", "left_comm", "assoc")
]

TIDY: tuple[Script, ...] = (
    Script("exact", "intro h; exact h", transport=True),
    Script("apply", "intro h; intros; apply h <;> assumption", transport=True),
    Script(  # `apply And.intro`, not `constructor`: that would also open `∣` and `∃` goals
        "apply_and",
        "intro h; (try simp only [and_imp] at *); intros; "
        "apply h <;> (repeat' apply And.intro) <;> assumption",
        transport=True,
    ),
    Script(  # the hypotheses up to commutativity/associativity of + and * (ordered rewriting)
        "apply_ac",
        f"intro h; intros; (try simp only [{', '.join(AC_LEMMAS)}] at *); apply h <;> assumption",
        transport=True,
    ),
    Script("simpa", "intro h; intros; simpa using h", transport=True),
    Script("omega", "intro h; intros; omega"),
    Script("simp_all", "intro h; intros; simp_all"),
    Script("decide", "intro h; decide"),
    Script("grind", "intro h; intros; grind", stage=2),
    Script("exact?", "intro h; intros; exact?", stage=2),
)

REFUTE: tuple[Script, ...] = (
    Script("decide", "decide", stage=2),
    Script("simp", "simp", stage=2),
    Script("omega", "intro h; omega", stage=2),
    Script("grind", "grind", stage=2),
)


# With real Mathlib (a native Lean whose header imports it): Mathlib's automation, as BEq+ uses it.
# None is a transport script, so strict vacuity treats them as any decision procedure: a
# direction they prove counts only if no transport-free proof of the target alone exists.
# Mathlib's tactics are kernel-checked like any other; `exact?` is already in stage 2.
MATHLIB: tuple[Script, ...] = (
    Script("norm_num", "intro h; intros; norm_num at *", stage=2),
    Script("linarith", "intro h; intros; linarith", stage=2),
    Script("nlinarith", "intro h; intros; nlinarith", stage=2),
    Script("positivity", "intro h; intros; positivity", stage=2),
    Script("ring_nf", "intro h; intros; ring_nf at *; simp_all", stage=2),
    Script("field_simp", "intro h; intros; field_simp at *; simp_all", stage=2),
    Script("aesop", "intro h; intros; aesop", stage=2),
)


def scripts(stage: int, mathlib: bool = False) -> tuple[Script, ...]:
    """The proving scripts of a stage; with Mathlib's automation when the Lean has Mathlib."""
    return tuple(s for s in (*TIDY, *(MATHLIB if mathlib else ())) if s.stage == stage)


def fingerprint(mathlib: bool = False) -> str:
    """Changes whenever a script changes: stored verdicts of an older portfolio are not reused."""
    every = (*TIDY, *REFUTE, *(MATHLIB if mathlib else ()))
    text = "\n".join(f"{s.stage}|{s.transport}|{s.name}|{s.tactic}" for s in every)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
