/-
A model inside core Lean for the ordered-field part of `Prelude.lean`.

`Prelude.lean` axiomatizes `Real` with these class instances (and nothing else about its
arithmetic and order):
* `Real.instField : Lean.Grind.Field Real`            (a field, `0⁻¹ = 0`, ℤ-powers)
* `Real.le` with `<` *defined* as `a ≤ b ∧ ¬ b ≤ a`     (so `Std.LawfulOrderLT Real` holds by `Iff.rfl`)
* `Real.instIsLinearOrder : Std.IsLinearOrder Real`
* `Real.instOrderedRing : Lean.Grind.OrderedRing Real`
* `Real.instIsCharP : Lean.Grind.IsCharP Real 0`
* `Real.instFloorRing : FloorRing Real`               (`z ≤ ⌊a⌋ ↔ z ≤ a`, `⌈a⌉ ≤ z ↔ a ≤ z`)
Core Lean instantiates every one of these classes for `Rat` (the floor with `Rat.floor`), which is
checked below with core only: the ordered-field axioms are consistent relative to core Lean.
(`Complex` is axiomatized with the same field classes plus `I ^ 2 = -1`, so `Rat` is not a model of
that part, and the axioms about `√`, `π`, `exp`, `log`, `sin`, `cos` and `rpow` need completeness:
their model is Mathlib's `ℝ`/`ℂ`, where each is a named theorem; see the comments in
`Prelude.lean`.)

Check it with the embedded Lean: elaborate this file (no header needed); it must report no error.
-/

namespace LeanEquiv.Compat.Model

/-- The field structure assumed for `Real` exists on `Rat`. -/
noncomputable def ratField : Lean.Grind.Field Rat := inferInstance

/-- The linear order assumed for `Real`. -/
theorem rat_isLinearOrder : Std.IsLinearOrder Rat := inferInstance

/-- `<` on `Real` is defined as `a ≤ b ∧ ¬ b ≤ a`; on `Rat` core's `<` satisfies the same law, so
the class instances below (stated with core's `<`) are instances for that `<` too. -/
theorem rat_lt_iff (a b : Rat) : a < b ↔ a ≤ b ∧ ¬ b ≤ a := Std.LawfulOrderLT.lt_iff a b

/-- The ordered-ring compatibility assumed for `Real`. -/
theorem rat_orderedRing : Lean.Grind.OrderedRing Rat := inferInstance

/-- Characteristic zero, as assumed for `Real`. -/
theorem rat_charZero : Lean.Grind.IsCharP Rat 0 := inferInstance

/-- The two floor/ceiling laws assumed for `Real` (`FloorRing`), with `Rat.floor` and
`ceil q := -Rat.floor (-q)`. -/
theorem rat_floor (z : Int) (q : Rat) : z ≤ Rat.floor q ↔ (z : Rat) ≤ q := Rat.le_floor_iff

theorem rat_ceil (z : Int) (q : Rat) : -Rat.floor (-q) ≤ z ↔ q ≤ (z : Rat) := by
  have h := Rat.le_floor_iff (x := -z) (a := -q)
  grind

/-- The same facts in the shape the prelude's `grind` calls use them: the axioms are usable
together, and nothing absurd follows from them over `Rat`. -/
example (x : Rat) : 2 * x + 3 = 7 → x = 2 := by grind
example (x y z : Rat) : x < y → y < z → x < z := by grind
example (x : Rat) : x / 0 = 0 := by grind
example : ¬ ((0 : Rat) = 1) := by grind

end LeanEquiv.Compat.Model
