# ruff: noqa: E501  (the cases are Lean statements, one a line)
"""The prover-strength suite: the everyday ways two formalizations of one problem differ.

Each kind pairs meaning-preserving restatements (expected 1) with meaning-changing ones built the
same way (expected 0), labelled by construction. Every statement is a true theorem that the
portfolio can prove on its own, as competition statements are: in strict mode a 1 needs a
transport proof (the hypothesis carried to the goal), so these cases measure exactly the
transports the portfolio can find. Conclusions are about an unknown `f` or `P`, so no direction
holds by arithmetic on the conclusion alone.
"""

from __future__ import annotations

from evaluation.sanity import SanityCase

_F = "(f : Nat → Nat)"
_P = "(P : Nat → Prop)"

STRENGTH_CASES: tuple[SanityCase, ...] = (
    # ---- a bound stated differently, in a hypothesis or under a ∀
    SanityCase("lt_le_hyp", "bound_form",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 5 → P y) (hx : x < 5) : P x",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y ≤ 4 → P y) (hx : x ≤ 4) : P x", 1),
    SanityCase("lt_le_hyp_off_by_one", "bound_form",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 5 → P y) (hx : x < 5) : P x",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y ≤ 5 → P y) (hx : x ≤ 5) : P x", 0),
    SanityCase("pos_ne_zero", "bound_form",
               f"theorem t {_P} (n : Nat) (h : ∀ k, 0 < k → P k) (hn : 0 < n) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ k, k ≠ 0 → P k) (hn : n ≠ 0) : P n", 1),
    SanityCase("pos_one_le", "bound_form",
               f"theorem t {_P} (n : Nat) (h : ∀ k, 0 < k → P k) (hn : 0 < n) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ k, 1 ≤ k → P k) (hn : 1 ≤ n) : P n", 1),
    SanityCase("pos_two_le", "bound_form",
               f"theorem t {_P} (n : Nat) (h : ∀ k, 0 < k → P k) (hn : 0 < n) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ k, 2 ≤ k → P k) (hn : 2 ≤ n) : P n", 0),
    SanityCase("gt_lt_value", "bound_form",
               f"theorem t {_F} (h : ∀ x, x > 2 → f x = 1) : f 3 = 1",
               f"theorem t {_F} (h : ∀ x, 2 < x → f x = 1) : f 3 = 1", 1),
    SanityCase("ge_lt_value", "bound_form",
               f"theorem t {_F} (h : ∀ x, x ≥ 3 → f x = 1) : f 3 = 1",
               f"theorem t {_F} (h : ∀ x, 2 < x → f x = 1) : f 3 = 1", 1),
    SanityCase("ge_gt_value", "bound_form",
               f"theorem t {_F} (h : ∀ x, x ≥ 3 → f x = 1) : f 3 = 1",
               f"theorem t {_F} (h : ∀ x, x > 3 → f x = 1) : f 4 = 1", 0),
    # ---- divisibility
    SanityCase("dvd_mod", "divisibility",
               f"theorem t {_P} (a b : Nat) (h : ∀ d, d ∣ b → P d) (ha : a ∣ b) : P a",
               f"theorem t {_P} (a b : Nat) (h : ∀ d, b % d = 0 → P d) (ha : b % a = 0) : P a", 1),
    SanityCase("dvd_numeral", "divisibility",
               f"theorem t {_P} (n : Nat) (h : ∀ m, 3 ∣ m → P m) (hn : 3 ∣ n) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ m, m % 3 = 0 → P m) (hn : n % 3 = 0) : P n", 1),
    SanityCase("dvd_other_numeral", "divisibility",
               f"theorem t {_P} (n : Nat) (h : ∀ m, 3 ∣ m → P m) (hn : 3 ∣ n) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ m, m % 6 = 0 → P m) (hn : n % 6 = 0) : P n", 0),
    # ---- an arithmetic term written another way
    SanityCase("two_mul_hyp", "arith_form",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (2 * x) = x) : f (2 * a) = a",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (x + x) = x) : f (a + a) = a", 1),
    SanityCase("sq_mul_hyp", "arith_form",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (x ^ 2) = x) : f (a ^ 2) = a",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (x * x) = x) : f (a * a) = a", 1),
    SanityCase("two_mul_other", "arith_form",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (2 * x) = x) : f (2 * a) = a",
               f"theorem t {_F} (a : Nat) (h : ∀ x, f (x + 2) = x) : f (a + 2) = a", 0),
    SanityCase("sum_order_hyp", "arith_form",
               f"theorem t {_P} (a b : Nat) (h : ∀ x y, x + 2 * y = 10 → P x) (hab : a + 2 * b = 10) : P a",
               f"theorem t {_P} (a b : Nat) (h : ∀ x y, y * 2 + x = 10 → P x) (hab : b * 2 + a = 10) : P a", 1),
    # ---- ℕ restated over ℤ with a nonnegativity hypothesis
    SanityCase("nat_int_equation", "nat_int",
               "theorem t (g : Nat → Nat) (h : ∀ n, g n = n + 1) (n : Nat) (hn : g n = 5) : n = 4",
               "theorem t (g : Nat → Nat) (h : ∀ n, g n = n + 1) (n : Nat) (hn : (g n : Int) = 5) : (n : Int) = 4", 1),
    SanityCase("nat_int_bound", "nat_int",
               f"theorem t {_P} (n : Nat) (h : ∀ m : Nat, m < 3 → P m) (hn : n < 3) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ m : Nat, (m : Int) < 3 → P m) (hn : (n : Int) < 3) : P n", 1),
    SanityCase("nat_int_other_bound", "nat_int",
               f"theorem t {_P} (n : Nat) (h : ∀ m : Nat, m < 3 → P m) (hn : n < 3) : P n",
               f"theorem t {_P} (n : Nat) (h : ∀ m : Nat, (m : Int) < 4 → P m) (hn : (n : Int) < 4) : P n", 0),
    # ---- a hypothesis of one side that follows from the other's
    SanityCase("implied_positivity", "implied_hypothesis",
               f"theorem t {_P} (a b : Nat) (h : ∀ x y, 0 < x → 0 < y → x * y = 6 → P x) (hab : a * b = 6) (ha : 0 < a) (hb : 0 < b) : P a",
               f"theorem t {_P} (a b : Nat) (h : ∀ x y, x * y = 6 → P x) (hab : a * b = 6) : P a", 1),
    SanityCase("implied_bound", "implied_hypothesis",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 10 → P y) (hx : x < 5) : P x",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 10 → P y) (hx : x < 5) (hx' : x < 10) : P x", 1),
    SanityCase("not_implied_bound", "implied_hypothesis",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 10 → P y) (hx : x < 10) : P x",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 5 → P y) (hx : x < 5) : P x", 0),
    # ---- vacuous on both sides: a transport that closes the premises from a contradiction
    SanityCase("contradictory_hypotheses", "vacuous_transport",
               f"theorem t {_P} (x : Nat) (h1 : x < 2) (h2 : x > 5) : P x",
               f"theorem t {_P} (x : Nat) (h1 : x < 1) (h2 : x > 7) : P x", 0),
    # ---- binders, ∀/→ and connectives moved around
    SanityCase("binder_to_forall", "binder_shape",
               f"theorem t {_F} (h : ∀ x, f x = x + 1) (n : Nat) : f n = n + 1",
               f"theorem t {_F} (h : ∀ x, f x = x + 1) : ∀ n, f n = n + 1", 1),
    SanityCase("hyp_to_implication", "binder_shape",
               f"theorem t {_P} (n : Nat) (h : ∀ k, k > 1 → P k) (hn : n > 1) : P n",
               f"theorem t {_P} (h : ∀ k, k > 1 → P k) : ∀ n, n > 1 → P n", 1),
    SanityCase("conj_bundled", "binder_shape",
               f"theorem t {_P} (x : Nat) (h : ∀ y, 2 < y ∧ y < 7 → P y) (h1 : 2 < x) (h2 : x < 7) : P x",
               f"theorem t {_P} (x : Nat) (h : ∀ y, 2 < y → y < 7 → P y) (hx : 2 < x ∧ x < 7) : P x", 1),
    SanityCase("conj_conclusion", "binder_shape",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 3 → P y ∧ P (y + 1)) (hx : x < 3) : P x ∧ P (x + 1)",
               f"theorem t {_P} (x : Nat) (h : ∀ y, y < 3 → P y ∧ P (y + 1)) (hx : x < 3) : P (x + 1) ∧ P x", 1),
    SanityCase("iff_split", "binder_shape",
               "theorem t (P Q : Nat → Prop) (h : ∀ n, P n ↔ Q n) (n : Nat) : P n ↔ Q n",
               "theorem t (P Q : Nat → Prop) (h : ∀ n, P n ↔ Q n) (n : Nat) : (P n → Q n) ∧ (Q n → P n)", 1),
    SanityCase("iff_half", "binder_shape",
               "theorem t (P Q : Nat → Prop) (h : ∀ n, P n ↔ Q n) (n : Nat) : P n ↔ Q n",
               "theorem t (P Q : Nat → Prop) (h : ∀ n, P n → Q n) (n : Nat) : P n → Q n", 0),
    SanityCase("exists_witness_bound", "binder_shape",
               f"theorem t {_P} (h : ∀ y, y < 4 → P y) : ∃ x, x < 4 ∧ P x",
               f"theorem t {_P} (h : ∀ y, y ≤ 3 → P y) : ∃ x, x ≤ 3 ∧ P x", 1),
)  # fmt: skip
