"""The `tidy` prover: an ordered portfolio of core-Lean tactic scripts.

A *transport* script only moves the hypothesis to the goal (intros, exact/apply h, simpa using h,
definitional unfolding); no decision procedure closes a goal on its own. Vacuity is judged with
them (see engine.py). Scripts never contain `sorry` or `native_decide`; statements cannot either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from service.equivalence.attempts import first_traced, traced_index


@dataclass(frozen=True)
class Script:
    name: str
    tactic: str
    transport: bool = False
    stage: int = 1
    """Stage 1 runs for every direction; stage 2 for what stage 1 left open, and its transports
    also for directions proved so far only vacuously in pairs whose both directions are proved
    (the only place a transport can still change a verdict)."""
    probe: str | None = None
    """The vacuity probe's tactic (run on `True → B`); default: the script itself. A transport
    script whose use of the hypothesis fails at once on `h : True` names here the part of it
    that could prove B without the hypothesis, so the probe still tests that part."""

    alternatives: tuple[Script, ...] = ()
    """For a script made by `first_of`: the scripts it tries, in order."""

    @property
    def probe_tactic(self) -> str:
        return self.probe or self.tactic

    def held(self, texts: list[str]) -> Script | None:
        """For a `first_of` script that succeeded: the alternative that closed the goal, named by
        the one trace `first` kept (it drops the messages of the alternatives that failed)."""
        index = traced_index(texts, _HELD)
        return self.alternatives[index] if index is not None and index < len(self.alternatives) else None


_HELD = "leq-script"


def first_of(scripts: tuple[Script, ...]) -> Script:
    """One command for several scripts: `first`, each alternative ending in `done` (it must
    close the goal, or `first` would commit to it) and a trace of its index (`held`).

    Why this proves nothing the scripts do not: the alternative that held is a script of its
    own, and that script alone is what a verdict records and replays in a clean document. What
    `first` changes is the budget: the command's heartbeats are shared by the alternatives tried
    before the one that holds, and one that runs out of heartbeats ends the whole `first` (Lean
    does not catch that), so only cheap scripts (stage 1's transports) are combined: that can only
    ever lose a proof, never make one. A trace the statement itself prints (a `by trace …` inside
    a statement in text form) can only name another alternative, whose proof then fails its
    replay in the clean document: an error, never a verdict."""
    tactic = first_traced([f"({script.tactic}); done" for script in scripts], _HELD)
    name = "first(" + ",".join(script.name for script in scripts) + ")"
    return Script(name, tactic, transport=True, alternatives=scripts)


AC_LEMMAS = [
    f"{ring}.{op}_{law}"
    for ring in ("Nat", "Int")
    for op in ("add", "mul")
    for law in ("comm", "left_comm", "assoc")
]

# What closes the side goals `apply h` leaves (the source's hypotheses, in the target's context).
# `assumption` comes first, before `intros`: a premise that mentions a variable the conclusion
# does not fix (a metavariable after `apply`) is matched whole against a hypothesis.
SIDE_GOALS = "(first | assumption | (intros; first | assumption | omega | grind))"

# Rewrites that both directions share before `apply h`: each is an equivalence (an `↔` or an `=`
# between the same values), so a hypothesis or goal rewritten with them means what it meant.
NORMAL_FORM = [
    "gt_iff_lt", "ge_iff_le", "Nat.pos_iff_ne_zero", "Nat.one_le_iff_ne_zero",
    "Nat.dvd_iff_mod_eq_zero", "Nat.two_mul", "Nat.pow_two", "Int.two_mul",
    "iff_iff_implies_and_implies", "and_comm", "and_left_comm", "and_assoc",
]  # fmt: skip
"""Every name must exist in the Lean: one unknown name fails the whole `simp only` (and `try`
hides that). `and_comm`/`and_left_comm` are permutations, which simp applies by ordered
rewriting, so both sides reach the same order."""


def _carried_script(name: str, prefix: str) -> Script:
    """A stage-2 transport that ends in `apply h <;> SIDE_GOALS`, with its own probe.

    Why it cannot make a vacuous direction look like transport: the target's conclusion is closed
    by `apply h` alone (A's conclusion unified with B's); automation only closes A's premises from
    B's hypotheses. The only way that stays true while proving nothing about A is a context in
    which the automation proves anything: B's hypotheses contradictory. The probe asks exactly
    that (`exfalso` after the same rewriting, with `h : True`), and a probe that succeeds takes
    the transport away (see `_vacuous` in engine.py). A rewrite that closes the goal by itself
    leaves `apply h` no goal, so the script fails rather than prove B without the hypothesis."""
    tactic = f"intro h; intros; {prefix}apply h <;> {SIDE_GOALS}"
    probe = f"intro _; intros; {prefix}exfalso; {SIDE_GOALS}"
    return Script(name, tactic, transport=True, stage=2, probe=probe)


# Stage-2 transports: the everyday restatements (a bound or a divisibility written another way,
# ℕ against ℤ with casts, a premise implied by the other side's).
CARRIED: tuple[Script, ...] = (
    _carried_script("apply_auto", ""),
    _carried_script("apply_cast", "(try norm_cast at *); "),
    _carried_script("apply_normal", f"(try simp only [{', '.join(NORMAL_FORM)}] at *); "),
)

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
    *CARRIED,
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


def proving_scripts(mathlib: bool = False) -> tuple[Script, ...]:
    """Every proving script, stage 1 then stage 2."""
    return scripts(1, mathlib) + scripts(2, mathlib)


def fingerprint(mathlib: bool = False) -> str:
    """Changes whenever a script changes: stored verdicts of an older portfolio are not reused."""
    every = (*TIDY, *REFUTE, *(MATHLIB if mathlib else ()))
    text = "\n".join(f"{s.stage}|{s.transport}|{s.name}|{s.tactic}|{s.probe}" for s in every)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
