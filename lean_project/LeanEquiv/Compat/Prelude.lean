/-
LeanEquiv compatibility prelude: Mathlib's names and notations given a core-Lean meaning.

Plain Lean 4 source (core only: Init), loaded by the embedded backend before a statement that was
written for Mathlib (`import Mathlib`, `open BigOperators Real Nat Topology Rat`).

Soundness rule. A verdict obtained under this prelude must be true under real Mathlib, so
* every *definition* below is provably equal / equivalent to Mathlib's (the Mathlib declaration
  or lemma that states it is named in a comment beside it);
* what core cannot define cheaply (ℝ, ℂ, √, π, exp, log, sin, cos, rpow, floor on ℝ) is
  *axiomatized*, and every axiom is a theorem of Mathlib about the corresponding Mathlib object
  (named beside it). Fewer axioms only cost proofs; a false one would prove everything.
* the ordered-field axioms of ℝ are stated with core classes that core instantiates for `Rat`
  (see `Model.lean`), so they have a model inside Lean as well.
Helper declarations that are not Mathlib names live in the namespace `LeanEquiv.Compat`.
-/

-- The embedded (WebAssembly) Lean interprets an imported module's notations from its IR and
-- cannot find the closed terms the compiler extracts (`unknown declaration 'termℕ._closed_4'`):
-- keep them inline. Compiler only: no effect on what any statement means or what is proved.
set_option compiler.extract_closed false

@[expose] public section
noncomputable section

/-! ## Number types -/

notation "ℕ" => Nat -- Mathlib: Mathlib/Data/Nat/Notation.lean
notation "ℤ" => Int -- Mathlib: Mathlib/Data/Int/Notation.lean
notation "ℚ" => Rat -- Mathlib: Mathlib/Data/Rat/Init.lean

-- Namespaces that Mathlib headers open and nothing below declares (`BigOperators`, `Real`,
-- `Finset`, `Set`, `Function`, `NNReal` are declared below; `Nat`, `Int`, `Rat`, `Classical` are core).
namespace Topology end Topology
namespace Filter end Filter
namespace Polynomial end Polynomial
namespace ComplexConjugate end ComplexConjugate
namespace EuclideanGeometry end EuclideanGeometry
namespace Matrix end Matrix
namespace ENNReal end ENNReal

namespace LeanEquiv.Compat

/-- Commutativity and associativity of `+`: what a sum over a finite set needs to be independent of
the order of the elements (Mathlib asks for `AddCommMonoid`). -/
class AddCommAssoc (β : Type u) [Add β] : Prop where
  add_assoc : ∀ a b c : β, a + b + c = a + (b + c)
  add_comm : ∀ a b : β, a + b = b + a

/-- The same for `*` (Mathlib asks for `CommMonoid`). -/
class MulCommAssoc (β : Type u) [Mul β] : Prop where
  mul_assoc : ∀ a b c : β, a * b * c = a * (b * c)
  mul_comm : ∀ a b : β, a * b = b * a

instance : AddCommAssoc Nat := ⟨Nat.add_assoc, Nat.add_comm⟩
instance : AddCommAssoc Int := ⟨Int.add_assoc, Int.add_comm⟩
instance : AddCommAssoc Rat := ⟨Rat.add_assoc, Rat.add_comm⟩
instance : MulCommAssoc Nat := ⟨Nat.mul_assoc, Nat.mul_comm⟩
instance : MulCommAssoc Int := ⟨Int.mul_assoc, Int.mul_comm⟩
instance : MulCommAssoc Rat := ⟨Rat.mul_assoc, Rat.mul_comm⟩

theorem foldr_add_perm {β : Type u} [Add β] [AddCommAssoc β] (z : β) {l₁ l₂ : List β}
    (h : l₁.Perm l₂) : l₁.foldr (· + ·) z = l₂.foldr (· + ·) z := by
  induction h with
  | nil => rfl
  | cons x _ ih => simp only [List.foldr_cons, ih]
  | swap x y l =>
    simp only [List.foldr_cons]
    rw [← AddCommAssoc.add_assoc, AddCommAssoc.add_comm y x, AddCommAssoc.add_assoc]
  | trans _ _ ih₁ ih₂ => exact ih₁.trans ih₂

theorem foldr_mul_perm {β : Type u} [Mul β] [MulCommAssoc β] (z : β) {l₁ l₂ : List β}
    (h : l₁.Perm l₂) : l₁.foldr (· * ·) z = l₂.foldr (· * ·) z := by
  induction h with
  | nil => rfl
  | cons x _ ih => simp only [List.foldr_cons, ih]
  | swap x y l =>
    simp only [List.foldr_cons]
    rw [← MulCommAssoc.mul_assoc, MulCommAssoc.mul_comm y x, MulCommAssoc.mul_assoc]
  | trans _ _ ih₁ ih₂ => exact ih₁.trans ih₂

theorem nodup_map_of_injective {α : Type u} {β : Type v} {f : α → β}
    (hf : ∀ a b, f a = f b → a = b) {l : List α} (h : l.Nodup) : (l.map f).Nodup := by
  unfold List.Nodup at *
  rw [List.pairwise_map]
  exact h.imp fun hab e => hab (hf _ _ e)

/-- `[a, a+1, …, a+n-1]` in ℤ. -/
def intRange (a : Int) : Nat → List Int
  | 0 => []
  | n + 1 => a :: intRange (a + 1) n

theorem mem_intRange {x : Int} : ∀ {a : Int} {n : Nat}, x ∈ intRange a n ↔ a ≤ x ∧ x < a + n
  | a, 0 => by simp only [intRange, List.not_mem_nil, false_iff]; omega
  | a, n + 1 => by
    simp only [intRange, List.mem_cons, mem_intRange (a := a + 1) (n := n)]
    omega

theorem nodup_intRange : ∀ {a : Int} {n : Nat}, (intRange a n).Nodup
  | a, 0 => List.nodup_nil
  | a, n + 1 => by
    rw [intRange, List.nodup_cons]
    refine ⟨fun h => ?_, nodup_intRange⟩
    rw [mem_intRange] at h
    omega

end LeanEquiv.Compat

open LeanEquiv.Compat

/-! ## Multisets and finite sets (Mathlib's definitions: a quotient of lists up to permutation) -/

/-- Mathlib: `Multiset α := Quotient (List.isSetoid α)` (Mathlib/Data/Multiset/Defs.lean). -/
def Multiset (α : Type u) : Type u := Quotient (List.isSetoid α)

namespace Multiset
variable {α : Type u} {β : Type v}

/-- Mathlib: `Multiset.ofList` (the coercion `List α → Multiset α`). -/
def ofList (l : List α) : Multiset α := Quotient.mk _ l

instance : Coe (List α) (Multiset α) := ⟨ofList⟩

/-- Mathlib: `Multiset.Mem` (`a ∈ s` iff `a` is in a representing list). -/
def Mem (s : Multiset α) (a : α) : Prop :=
  Quot.liftOn s (fun l => a ∈ l) (fun _ _ h => propext (List.Perm.mem_iff h))

instance : Membership α (Multiset α) := ⟨Mem⟩

/-- Mathlib: `Multiset.Nodup`. -/
def Nodup (s : Multiset α) : Prop :=
  Quot.liftOn s List.Nodup (fun _ _ h => propext (List.Perm.nodup_iff h))

/-- Mathlib: `Multiset.card` (the length of a representing list). -/
def card (s : Multiset α) : Nat := Quot.liftOn s List.length (fun _ _ h => List.Perm.length_eq h)

/-- Mathlib: `Multiset.map`. -/
def map (f : α → β) (s : Multiset α) : Multiset β :=
  Quot.liftOn s (fun l => ofList (l.map f)) (fun _ _ h => Quot.sound (List.Perm.map f h))

/-- Mathlib: `Multiset.filter`. -/
def filter (p : α → Prop) [DecidablePred p] (s : Multiset α) : Multiset α :=
  Quot.liftOn s (fun l => ofList (l.filter (fun a => decide (p a))))
    (fun _ _ h => Quot.sound (List.Perm.filter _ h))

/-- Mathlib: `Multiset.sum` (`foldr (· + ·) 0`). -/
def sum [Add α] [OfNat α 0] [AddCommAssoc α] (s : Multiset α) : α :=
  Quot.liftOn s (fun l => l.foldr (· + ·) 0) (fun _ _ h => foldr_add_perm 0 h)

/-- Mathlib: `Multiset.prod` (`foldr (· * ·) 1`). -/
def prod [Mul α] [OfNat α 1] [MulCommAssoc α] (s : Multiset α) : α :=
  Quot.liftOn s (fun l => l.foldr (· * ·) 1) (fun _ _ h => foldr_mul_perm 1 h)

instance decidableMem [DecidableEq α] (a : α) (s : Multiset α) : Decidable (a ∈ s) :=
  Quot.recOnSubsingleton s (fun l => inferInstanceAs (Decidable (a ∈ l)))

theorem nodup_filter (p : α → Prop) [DecidablePred p] (s : Multiset α) (h : s.Nodup) :
    (s.filter p).Nodup := by
  induction s using Quot.ind
  exact List.Nodup.sublist List.filter_sublist h

end Multiset

/-- Mathlib: `structure Finset (α) where val : Multiset α; nodup : Nodup val`
(Mathlib/Data/Finset/Defs.lean). Two finsets are equal iff they have the same elements. -/
structure Finset (α : Type u) where
  val : Multiset α
  nodup : Multiset.Nodup val

namespace Finset
variable {α : Type u} {β : Type v}

instance : Membership α (Finset α) := ⟨fun s a => a ∈ s.val⟩ -- Mathlib: Finset.instMembership

instance decidableMem [DecidableEq α] (a : α) (s : Finset α) : Decidable (a ∈ s) :=
  Multiset.decidableMem a s.val

/-- Mathlib: `Finset.card s = Multiset.card s.val`. -/
def card (s : Finset α) : Nat := s.val.card

/-- Mathlib: `Finset.sum s f = (s.val.map f).sum`. -/
protected def sum [Add β] [OfNat β 0] [AddCommAssoc β] (s : Finset α) (f : α → β) : β :=
  (s.val.map f).sum

/-- Mathlib: `Finset.prod s f = (s.val.map f).prod`. -/
protected def prod [Mul β] [OfNat β 1] [MulCommAssoc β] (s : Finset α) (f : α → β) : β :=
  (s.val.map f).prod

/-- Mathlib: `Finset.filter p s = ⟨s.val.filter p, _⟩`. -/
def filter (p : α → Prop) [DecidablePred p] (s : Finset α) : Finset α :=
  ⟨s.val.filter p, Multiset.nodup_filter p s.val s.nodup⟩

/-- Mathlib: `Finset.range n = ⟨Multiset.range n, _⟩`, `Multiset.range n = List.range n`. -/
def range (n : Nat) : Finset Nat := ⟨Multiset.ofList (List.range n), List.nodup_range⟩

/-- Mathlib: `Finset.empty` (`∅`). -/
instance : EmptyCollection (Finset α) := ⟨⟨Multiset.ofList [], List.nodup_nil⟩⟩

/-- Mathlib: `Finset.instSingleton` (`{a}`). -/
instance : Singleton α (Finset α) := ⟨fun a => ⟨Multiset.ofList [a], List.nodup_cons.2 ⟨by simp, List.nodup_nil⟩⟩⟩

theorem nodup_insert_aux [DecidableEq α] (a : α) (s : Multiset α) (h : s.Nodup) (ha : ¬ a ∈ s) :
    (Quot.liftOn s (fun l => Multiset.ofList (a :: l))
      (fun _ _ p => Quot.sound (List.Perm.cons a p)) : Multiset α).Nodup := by
  induction s using Quot.ind
  exact List.nodup_cons.2 ⟨ha, h⟩

/-- Mathlib: `Finset.instInsert` (`insert a s = ⟨Multiset.ndinsert a s.val, _⟩`: `a` is added when
it is not already there). -/
instance [DecidableEq α] : Insert α (Finset α) :=
  ⟨fun a s => if h : a ∈ s then s else
    ⟨Quot.liftOn s.val (fun l => Multiset.ofList (a :: l))
      (fun _ _ p => Quot.sound (List.Perm.cons a p)), nodup_insert_aux a s.val s.nodup h⟩⟩

end Finset

namespace LeanEquiv.Compat
theorem nodup_map_val {α : Type u} {p : α → Prop} (s : Multiset {x // p x}) (h : s.Nodup) :
    (s.map Subtype.val).Nodup := by
  induction s using Quot.ind
  exact nodup_map_of_injective (fun a b e => Subtype.ext e) h
end LeanEquiv.Compat

namespace Finset
variable {α : Type u}
/-- Mathlib: `Finset.instHasSubset` (`s ⊆ t ↔ ∀ ⦃a⦄, a ∈ s → a ∈ t`). -/
instance : HasSubset (Finset α) := ⟨fun s t => ∀ ⦃a⦄, a ∈ s → a ∈ t⟩
/-- Mathlib: `Finset.instHasSSubset` (`s ⊂ t ↔ s ⊆ t ∧ ¬t ⊆ s`). -/
instance : HasSSubset (Finset α) := ⟨fun s t => s ⊆ t ∧ ¬ t ⊆ s⟩
/-- Mathlib: `Finset.instInter` (members: `Finset.mem_inter`; a finset is determined by its
members, `Finset.ext`). -/
instance [DecidableEq α] : Inter (Finset α) := ⟨fun s t => Finset.filter (fun a => a ∈ t) s⟩
/-- Mathlib: `Finset.instSDiff` (members: `Finset.mem_sdiff`). -/
instance [DecidableEq α] : SDiff (Finset α) := ⟨fun s t => Finset.filter (fun a => ¬ a ∈ t) s⟩

theorem union_perm_aux [DecidableEq α] {l₁ l₂ t₁ t₂ : List α} (p₁ : l₁.Perm t₁) (p₂ : l₂.Perm t₂) :
    (l₁.filter (fun a => decide ¬ a ∈ l₂) ++ l₂).Perm (t₁.filter (fun a => decide ¬ a ∈ t₂) ++ t₂) := by
  have e : (fun a => decide ¬ a ∈ l₂) = (fun a => decide ¬ a ∈ t₂) :=
    funext fun a => decide_eq_decide.2 (not_congr p₂.mem_iff)
  rw [e]
  exact (p₁.filter _).append p₂

/-- The elements of `s` not in `t`, then those of `t`. -/
def unionVal [DecidableEq α] (s t : Multiset α) : Multiset α :=
  Quotient.liftOn₂ s t (fun l₁ l₂ => Multiset.ofList (l₁.filter (fun a => decide ¬ a ∈ l₂) ++ l₂))
    (fun _ _ _ _ p₁ p₂ => Quot.sound (union_perm_aux p₁ p₂))

theorem nodup_unionVal [DecidableEq α] (s t : Multiset α) (hs : s.Nodup) (ht : t.Nodup) :
    (unionVal s t).Nodup := by
  induction s using Quot.ind
  induction t using Quot.ind
  refine List.nodup_append.2 ⟨List.Nodup.sublist List.filter_sublist hs, ht, ?_⟩
  intro a ha b hb hab
  subst hab
  simp only [List.mem_filter, decide_eq_true_eq] at ha
  exact ha.2 hb

/-- Mathlib: `Finset.instUnion` (members: `Finset.mem_union`). -/
instance [DecidableEq α] : Union (Finset α) :=
  ⟨fun s t => ⟨unionVal s.val t.val, nodup_unionVal s.val t.val s.nodup t.nodup⟩⟩

/-- Mathlib: `Finset.decidableDforallFinset`. -/
instance decidableBAll (s : Finset α) (p : α → Prop) [DecidablePred p] :
    Decidable (∀ a, a ∈ s → p a) :=
  Quot.recOnSubsingleton (motive := fun m : Multiset α => Decidable (∀ a, a ∈ m → p a)) s.val
    (fun l => inferInstanceAs (Decidable (∀ a, a ∈ l → p a)))
/-- Mathlib: `Finset.decidableDexistsFinset`. -/
instance decidableBEx (s : Finset α) (p : α → Prop) [DecidablePred p] :
    Decidable (∃ a, a ∈ s ∧ p a) :=
  Quot.recOnSubsingleton (motive := fun m : Multiset α => Decidable (∃ a, a ∈ m ∧ p a)) s.val
    (fun l => inferInstanceAs (Decidable (∃ a, a ∈ l ∧ p a)))
instance decidableSubset [DecidableEq α] (s t : Finset α) : Decidable (s ⊆ t) :=
  inferInstanceAs (Decidable (∀ a, a ∈ s → a ∈ t))
instance decidableSSubset [DecidableEq α] (s t : Finset α) : Decidable (s ⊂ t) :=
  inferInstanceAs (Decidable (s ⊆ t ∧ ¬ t ⊆ s))
end Finset

/-- Mathlib: `class LocallyFiniteOrder` (Mathlib/Order/Interval/Finset/Defs.lean), with the same
fields: the interval finsets and their membership laws (which determine them). -/
class LocallyFiniteOrder (α : Type u) [LE α] [LT α] where
  finsetIcc : α → α → Finset α
  finsetIco : α → α → Finset α
  finsetIoc : α → α → Finset α
  finsetIoo : α → α → Finset α
  finset_mem_Icc : ∀ a b x : α, x ∈ finsetIcc a b ↔ a ≤ x ∧ x ≤ b
  finset_mem_Ico : ∀ a b x : α, x ∈ finsetIco a b ↔ a ≤ x ∧ x < b
  finset_mem_Ioc : ∀ a b x : α, x ∈ finsetIoc a b ↔ a < x ∧ x ≤ b
  finset_mem_Ioo : ∀ a b x : α, x ∈ finsetIoo a b ↔ a < x ∧ x < b

/-- Mathlib: `class LocallyFiniteOrderBot` (the finsets `Iio b`, `Iic b`). -/
class LocallyFiniteOrderBot (α : Type u) [LE α] [LT α] where
  finsetIio : α → Finset α
  finsetIic : α → Finset α
  finset_mem_Iic : ∀ a x : α, x ∈ finsetIic a ↔ x ≤ a
  finset_mem_Iio : ∀ a x : α, x ∈ finsetIio a ↔ x < a

namespace LeanEquiv.Compat
/-- The naturals `a, …, a+n-1` as a finset. -/
def natInterval (a n : Nat) : Finset Nat := ⟨Multiset.ofList (List.range' a n), List.nodup_range' ..⟩
theorem mem_natInterval {a n x : Nat} : x ∈ natInterval a n ↔ a ≤ x ∧ x < a + n :=
  List.mem_range'_1
/-- The integers `a, …, a+n-1` as a finset. -/
def intInterval (a : Int) (n : Nat) : Finset Int := ⟨Multiset.ofList (intRange a n), nodup_intRange⟩
theorem mem_intInterval {a : Int} {n : Nat} {x : Int} :
    x ∈ intInterval a n ↔ a ≤ x ∧ x < a + n := mem_intRange
end LeanEquiv.Compat

/-- Mathlib: `Nat.instLocallyFiniteOrder` (`Icc a b = ⟨List.range' a (b + 1 - a), _⟩`, …). -/
instance : LocallyFiniteOrder Nat where
  finsetIcc a b := natInterval a (b + 1 - a)
  finsetIco a b := natInterval a (b - a)
  finsetIoc a b := natInterval (a + 1) (b - a)
  finsetIoo a b := natInterval (a + 1) (b - a - 1)
  finset_mem_Icc a b x := by rw [mem_natInterval]; omega
  finset_mem_Ico a b x := by rw [mem_natInterval]; omega
  finset_mem_Ioc a b x := by rw [mem_natInterval]; omega
  finset_mem_Ioo a b x := by rw [mem_natInterval]; omega

instance : LocallyFiniteOrderBot Nat where
  finsetIio b := natInterval 0 b
  finsetIic b := natInterval 0 (b + 1)
  finset_mem_Iic a x := by rw [mem_natInterval]; omega
  finset_mem_Iio a x := by rw [mem_natInterval]; omega

/-- Mathlib: `Int.instLocallyFiniteOrder` (`Icc a b = (range (b + 1 - a).toNat).map (a + ·)`, …). -/
instance : LocallyFiniteOrder Int where
  finsetIcc a b := intInterval a (b + 1 - a).toNat
  finsetIco a b := intInterval a (b - a).toNat
  finsetIoc a b := intInterval (a + 1) (b - a).toNat
  finsetIoo a b := intInterval (a + 1) (b - a - 1).toNat
  finset_mem_Icc a b x := by rw [mem_intInterval]; omega
  finset_mem_Ico a b x := by rw [mem_intInterval]; omega
  finset_mem_Ioc a b x := by rw [mem_intInterval]; omega
  finset_mem_Ioo a b x := by rw [mem_intInterval]; omega

namespace Finset
variable {α : Type u}
/-- Mathlib: `Finset.Icc a b = LocallyFiniteOrder.finsetIcc a b`. -/
def Icc [LE α] [LT α] [LocallyFiniteOrder α] (a b : α) : Finset α := LocallyFiniteOrder.finsetIcc a b
/-- Mathlib: `Finset.Ico`. -/
def Ico [LE α] [LT α] [LocallyFiniteOrder α] (a b : α) : Finset α := LocallyFiniteOrder.finsetIco a b
/-- Mathlib: `Finset.Ioc`. -/
def Ioc [LE α] [LT α] [LocallyFiniteOrder α] (a b : α) : Finset α := LocallyFiniteOrder.finsetIoc a b
/-- Mathlib: `Finset.Ioo`. -/
def Ioo [LE α] [LT α] [LocallyFiniteOrder α] (a b : α) : Finset α := LocallyFiniteOrder.finsetIoo a b
/-- Mathlib: `Finset.Iic`. -/
def Iic [LE α] [LT α] [LocallyFiniteOrderBot α] (b : α) : Finset α := LocallyFiniteOrderBot.finsetIic b
/-- Mathlib: `Finset.Iio`. -/
def Iio [LE α] [LT α] [LocallyFiniteOrderBot α] (b : α) : Finset α := LocallyFiniteOrderBot.finsetIio b
end Finset

/-- Mathlib: `class Fintype (α) where elems : Finset α; complete : ∀ x, x ∈ elems`. -/
class Fintype (α : Type u) where
  elems : Finset α
  complete : ∀ x : α, x ∈ elems

theorem LeanEquiv.Compat.nodup_finRange (n : Nat) : (List.finRange n).Nodup := by
  have h : (List.finRange n).map Fin.val = List.range n := by
    apply List.ext_getElem <;> simp
  have hr : ((List.finRange n).map Fin.val).Nodup := h ▸ List.nodup_range
  unfold List.Nodup at *
  rw [List.pairwise_map] at hr
  exact hr.imp fun hab e => hab (congrArg Fin.val e)

/-- Mathlib: `Fin.fintype n` (all of `Fin n`). -/
instance (n : Nat) : Fintype (Fin n) :=
  ⟨⟨Multiset.ofList (List.finRange n), LeanEquiv.Compat.nodup_finRange n⟩, List.mem_finRange⟩

/-- Mathlib: `Bool.fintype`. -/
instance : Fintype Bool :=
  ⟨⟨Multiset.ofList [false, true], List.nodup_cons.2 ⟨by simp, List.nodup_cons.2 ⟨by simp, List.nodup_nil⟩⟩⟩,
    fun b => by cases b <;> decide⟩

/-- Mathlib: `Finset.univ = Fintype.elems`. -/
def Finset.univ {α : Type u} [Fintype α] : Finset α := Fintype.elems

/-! ### Big operators (Mathlib/Algebra/BigOperators/Group/Finset/Defs.lean, `namespace BigOperators`)
The body is parsed at precedence 67, as in Mathlib: `∑ i ∈ s, f i + 1` is `(∑ i ∈ s, f i) + 1`. -/
namespace BigOperators
syntax (name := bigsum) "∑ " term:max " ∈ " term ", " term:67 : term
syntax (name := bigsumwith) "∑ " term:max " ∈ " term " with " term ", " term:67 : term
syntax (name := bigsumin) "∑ " ident " in " term ", " term:67 : term
syntax (name := bigsumlt) "∑ " ident " < " term ", " term:67 : term
syntax (name := bigsumle) "∑ " ident " ≤ " term ", " term:67 : term
syntax (name := bigsumuniv) "∑ " ident ", " term:67 : term
syntax (name := bigsumunivty) "∑ " ident " : " term ", " term:67 : term
syntax (name := bigprod) "∏ " term:max " ∈ " term ", " term:67 : term
syntax (name := bigprodwith) "∏ " term:max " ∈ " term " with " term ", " term:67 : term
syntax (name := bigprodin) "∏ " ident " in " term ", " term:67 : term
syntax (name := bigprodlt) "∏ " ident " < " term ", " term:67 : term
syntax (name := bigprodle) "∏ " ident " ≤ " term ", " term:67 : term
syntax (name := bigproduniv) "∏ " ident ", " term:67 : term
syntax (name := bigprodunivty) "∏ " ident " : " term ", " term:67 : term
macro_rules (kind := bigsum) | `(∑ $x ∈ $s, $v) => `(Finset.sum $s (fun $x => $v))
macro_rules (kind := bigsumwith)
  | `(∑ $x ∈ $s with $p, $v) => `(Finset.sum (Finset.filter (fun $x => $p) $s) (fun $x => $v))
macro_rules (kind := bigsumin) | `(∑ $x:ident in $s, $v) => `(Finset.sum $s (fun $x => $v))
macro_rules (kind := bigsumlt) | `(∑ $x:ident < $n, $v) => `(Finset.sum (Finset.Iio $n) (fun $x => $v))
macro_rules (kind := bigsumle) | `(∑ $x:ident ≤ $n, $v) => `(Finset.sum (Finset.Iic $n) (fun $x => $v))
macro_rules (kind := bigsumuniv) | `(∑ $x:ident, $v) => `(Finset.sum Finset.univ (fun $x => $v))
macro_rules (kind := bigsumunivty)
  | `(∑ $x:ident : $t, $v) => `(Finset.sum (Finset.univ : Finset $t) (fun $x => $v))
macro_rules (kind := bigprod) | `(∏ $x ∈ $s, $v) => `(Finset.prod $s (fun $x => $v))
macro_rules (kind := bigprodwith)
  | `(∏ $x ∈ $s with $p, $v) => `(Finset.prod (Finset.filter (fun $x => $p) $s) (fun $x => $v))
macro_rules (kind := bigprodin) | `(∏ $x:ident in $s, $v) => `(Finset.prod $s (fun $x => $v))
macro_rules (kind := bigprodlt) | `(∏ $x:ident < $n, $v) => `(Finset.prod (Finset.Iio $n) (fun $x => $v))
macro_rules (kind := bigprodle) | `(∏ $x:ident ≤ $n, $v) => `(Finset.prod (Finset.Iic $n) (fun $x => $v))
macro_rules (kind := bigproduniv) | `(∏ $x:ident, $v) => `(Finset.prod Finset.univ (fun $x => $v))
macro_rules (kind := bigprodunivty)
  | `(∏ $x:ident : $t, $v) => `(Finset.prod (Finset.univ : Finset $t) (fun $x => $v))
end BigOperators

/-! ## Sets (Mathlib/Data/Set/Defs.lean, Mathlib/Order/Bounds/Defs.lean) -/

/-- Mathlib: `def Set (α : Type u) := α → Prop`. -/
def Set (α : Type u) : Type u := α → Prop

/-- Mathlib: `setOf p = p`, written `{x | p x}`. -/
def setOf {α : Type u} (p : α → Prop) : Set α := p

namespace Set
variable {α : Type u} {β : Type v}

/-- Mathlib: `Set.Mem s a = s a`. -/
protected def Mem (s : Set α) (a : α) : Prop := s a

instance : Membership α (Set α) := ⟨Set.Mem⟩

instance decidableSetOf (p : α → Prop) [DecidablePred p] (a : α) : Decidable (a ∈ setOf p) :=
  inferInstanceAs (Decidable (p a))

/-- Mathlib: `Set.univ = {_a | True}`. -/
def univ : Set α := setOf fun _ => True
/-- Mathlib: `Set.instEmptyCollection` (`∅ = {_a | False}`). -/
instance : EmptyCollection (Set α) := ⟨setOf fun _ => False⟩
/-- Mathlib: `Set.instSingletonSet` (`{a} = {b | b = a}`). -/
instance : Singleton α (Set α) := ⟨fun a => setOf fun b => b = a⟩
/-- Mathlib: `Set.instInsert` (`insert a s = {b | b = a ∨ b ∈ s}`). -/
instance : Insert α (Set α) := ⟨fun a s => setOf fun b => b = a ∨ b ∈ s⟩
/-- Mathlib: `Set.instUnion` (`s ∪ t = {a | a ∈ s ∨ a ∈ t}`). -/
instance : Union (Set α) := ⟨fun s t => setOf fun a => a ∈ s ∨ a ∈ t⟩
/-- Mathlib: `Set.instInter` (`s ∩ t = {a | a ∈ s ∧ a ∈ t}`). -/
instance : Inter (Set α) := ⟨fun s t => setOf fun a => a ∈ s ∧ a ∈ t⟩
/-- Mathlib: `Set.instSDiff` (`s \ t = {a | a ∈ s ∧ a ∉ t}`). -/
instance : SDiff (Set α) := ⟨fun s t => setOf fun a => a ∈ s ∧ ¬ a ∈ t⟩
/-- Mathlib: `Set.instHasSubset` (`s ⊆ t ↔ ∀ ⦃a⦄, a ∈ s → a ∈ t`). -/
instance : HasSubset (Set α) := ⟨fun s t => ∀ ⦃a⦄, a ∈ s → a ∈ t⟩
/-- Mathlib: `Set.image f s = {f a | a ∈ s}` (`= {b | ∃ a, a ∈ s ∧ f a = b}`). -/
def image (f : α → β) (s : Set α) : Set β := setOf fun b => ∃ a, a ∈ s ∧ f a = b
/-- Mathlib: `Set.preimage f s = {x | f x ∈ s}`. -/
def preimage (f : α → β) (s : Set β) : Set α := setOf fun x => f x ∈ s
/-- Mathlib: `Set.range f = {x | ∃ y, f y = x}`. -/
def range {ι : Sort w} (f : ι → α) : Set α := setOf fun x => ∃ y, f y = x
/-- Mathlib: `Set.Nonempty s = ∃ x, x ∈ s`. -/
protected def Nonempty (s : Set α) : Prop := ∃ x, x ∈ s
/-- Mathlib: `Set.Icc a b = {x | a ≤ x ∧ x ≤ b}` (and the other intervals likewise). -/
def Icc [LE α] (a b : α) : Set α := setOf fun x => a ≤ x ∧ x ≤ b
def Ico [LE α] [LT α] (a b : α) : Set α := setOf fun x => a ≤ x ∧ x < b
def Ioc [LE α] [LT α] (a b : α) : Set α := setOf fun x => a < x ∧ x ≤ b
def Ioo [LT α] (a b : α) : Set α := setOf fun x => a < x ∧ x < b
def Ici [LE α] (a : α) : Set α := setOf fun x => a ≤ x
def Iic [LE α] (b : α) : Set α := setOf fun x => x ≤ b
def Ioi [LT α] (a : α) : Set α := setOf fun x => a < x
def Iio [LT α] (b : α) : Set α := setOf fun x => x < b

/-- Mathlib: `Set.Elem s = {x // x ∈ s}` (the coercion of a set to a type). -/
abbrev Elem (s : Set α) : Type u := {x // x ∈ s}
instance : CoeSort (Set α) (Type u) := ⟨Elem⟩

/-- Mathlib: `Set.toFinset s = (Finset.univ : Finset s).map (Embedding.subtype _)`. -/
def toFinset (s : Set α) [inst : Fintype s] : Finset α :=
  ⟨inst.elems.val.map Subtype.val, LeanEquiv.Compat.nodup_map_val _ inst.elems.nodup⟩
end Set

namespace LeanEquiv.Compat
/-- `{ x | p x }` and `{ x : T | p x }` (Mathlib: Mathlib/Data/Set/Defs.lean). -/
syntax (name := setBuilder) "{" ident " | " term "}" : term
syntax (name := setBuilderTy) "{" ident " : " term " | " term "}" : term
/-- `{ (x, y) : T | p x y }`: Mathlib's pattern-matching set builder. -/
syntax (name := setBuilderPat) "{" "(" term ", " term ")" " : " term " | " term "}" : term
macro_rules (kind := setBuilder) | `({ $x:ident | $p }) => `(setOf fun $x:ident => $p)
macro_rules (kind := setBuilderTy) | `({ $x:ident : $t | $p }) => `(setOf fun $x:ident : $t => $p)
macro_rules (kind := setBuilderPat)
  | `({ ($x, $y) : $t | $p }) => `(setOf fun (z : $t) => match z with | ($x, $y) => $p)
end LeanEquiv.Compat

/-- Mathlib: `f '' s` (`infixl:80`). -/
infixl:80 " '' " => Set.image
/-- Mathlib: `f ⁻¹' s` (`infixl:80`). -/
infixl:80 " ⁻¹' " => Set.preimage

section Bounds
variable {α : Type u} [LE α]
/-- Mathlib: `upperBounds s = {x | ∀ ⦃a⦄, a ∈ s → a ≤ x}`. -/
def upperBounds (s : Set α) : Set α := setOf fun x => ∀ ⦃a⦄, a ∈ s → a ≤ x
/-- Mathlib: `lowerBounds s = {x | ∀ ⦃a⦄, a ∈ s → x ≤ a}`. -/
def lowerBounds (s : Set α) : Set α := setOf fun x => ∀ ⦃a⦄, a ∈ s → x ≤ a
/-- Mathlib: `IsLeast s a = a ∈ s ∧ a ∈ lowerBounds s`. -/
def IsLeast (s : Set α) (a : α) : Prop := a ∈ s ∧ a ∈ lowerBounds s
/-- Mathlib: `IsGreatest s a = a ∈ s ∧ a ∈ upperBounds s`. -/
def IsGreatest (s : Set α) (a : α) : Prop := a ∈ s ∧ a ∈ upperBounds s
/-- Mathlib: `IsLUB s = IsLeast (upperBounds s)`. -/
def IsLUB (s : Set α) : α → Prop := IsLeast (upperBounds s)
/-- Mathlib: `IsGLB s = IsGreatest (lowerBounds s)`. -/
def IsGLB (s : Set α) : α → Prop := IsGreatest (lowerBounds s)
/-- Mathlib: `BddAbove s = (upperBounds s).Nonempty`. -/
def BddAbove (s : Set α) : Prop := (upperBounds s).Nonempty
/-- Mathlib: `BddBelow s = (lowerBounds s).Nonempty`. -/
def BddBelow (s : Set α) : Prop := (lowerBounds s).Nonempty
end Bounds

/-! ## Logic and functions -/

/-- Mathlib: `ExistsUnique p = ∃ x, p x ∧ ∀ y, p y → y = x` (Mathlib/Logic/ExistsUnique.lean). -/
def ExistsUnique {α : Sort u} (p : α → Prop) : Prop := ∃ x, p x ∧ ∀ y, p y → y = x

namespace LeanEquiv.Compat
syntax (name := existsUnique) "∃! " ident ", " term : term
syntax (name := existsUniqueTy) "∃! " ident " : " term ", " term : term
syntax (name := existsUniqueMany) "∃! " ident ident+ " : " term ", " term : term
syntax (name := existsUniqueManyU) "∃! " ident ident+ ", " term : term
macro_rules (kind := existsUnique) | `(∃! $x:ident, $p) => `(ExistsUnique fun $x:ident => $p)
macro_rules (kind := existsUniqueTy)
  | `(∃! $x:ident : $t, $p) => `(ExistsUnique fun ($x:ident : $t) => $p)
macro_rules (kind := existsUniqueMany)
  | `(∃! $x:ident $y:ident : $t, $p) => `(∃! $x:ident : $t, ∃! $y:ident : $t, $p)
  | `(∃! $x:ident $y:ident $z:ident : $t, $p) =>
    `(∃! $x:ident : $t, ∃! $y:ident : $t, ∃! $z:ident : $t, $p)
macro_rules (kind := existsUniqueManyU)
  | `(∃! $x:ident $y:ident, $p) => `(∃! $x:ident, ∃! $y:ident, $p)
  | `(∃! $x:ident $y:ident $z:ident, $p) => `(∃! $x:ident, ∃! $y:ident, ∃! $z:ident, $p)
end LeanEquiv.Compat

/-- Mathlib: `Function.Bijective f = Injective f ∧ Surjective f`. -/
def Function.Bijective {α : Sort u} {β : Sort v} (f : α → β) : Prop :=
  Function.Injective f ∧ Function.Surjective f

/-- Mathlib: `structure Equiv (α β) where toFun; invFun; left_inv; right_inv`
(Mathlib/Logic/Equiv/Defs.lean), same fields in the same order (`σ.1`, `σ.2`). -/
structure Equiv (α : Sort u) (β : Sort v) where
  toFun : α → β
  invFun : β → α
  left_inv : Function.LeftInverse invFun toFun
  right_inv : Function.RightInverse invFun toFun

/-- Mathlib: `α ≃ β` (`infixl:25`). -/
infixl:25 " ≃ " => Equiv

instance {α : Sort u} {β : Sort v} : CoeFun (Equiv α β) (fun _ => α → β) := ⟨Equiv.toFun⟩

/-- Mathlib: `Equiv.symm e = ⟨e.invFun, e.toFun, e.right_inv, e.left_inv⟩`. -/
def Equiv.symm {α : Sort u} {β : Sort v} (e : Equiv α β) : Equiv β α :=
  ⟨e.invFun, e.toFun, e.right_inv, e.left_inv⟩

/-! ## Natural numbers and integers -/

namespace Nat

/-- Mathlib: `Nat.factorial` (`0! = 1`, `(n+1)! = (n+1) * n!`). -/
def factorial : Nat → Nat
  | 0 => 1
  | succ n => succ n * factorial n

/-- Mathlib: `scoped notation:10000 n "!" => Nat.factorial n` (in `namespace Nat`). -/
scoped notation:10000 n "!" => Nat.factorial n

/-- Mathlib: `Nat.choose` (same three equations). -/
def choose : Nat → Nat → Nat
  | _, 0 => 1
  | 0, _ + 1 => 0
  | n + 1, k + 1 => choose n k + choose n (k + 1)

/-- Mathlib: `Nat.Prime p ↔ 2 ≤ p ∧ ∀ m, m ∣ p → m = 1 ∨ m = p` is `Nat.prime_def`. -/
def Prime (p : Nat) : Prop := 2 ≤ p ∧ ∀ m, m ∣ p → m = 1 ∨ m = p

theorem prime_iff_bounded (p : Nat) :
    Nat.Prime p ↔ 2 ≤ p ∧ ∀ m, m < p + 1 → m ∣ p → m = 1 ∨ m = p :=
  ⟨fun ⟨h₁, h₂⟩ => ⟨h₁, fun m _ hm => h₂ m hm⟩,
   fun ⟨h₁, h₂⟩ => ⟨h₁, fun m hm => h₂ m (Nat.lt_succ_of_le (Nat.le_of_dvd (by omega) hm)) hm⟩⟩

/-- Mathlib: `Nat.decidablePrime` (any two `Decidable` instances agree). -/
instance decidablePrime (p : Nat) : Decidable (Nat.Prime p) :=
  decidable_of_iff _ (prime_iff_bounded p).symm

/-- Mathlib: `Nat.ModEq n a b = (a % n = b % n)` (Mathlib/Data/Nat/ModEq.lean). -/
def ModEq (n a b : Nat) : Prop := a % n = b % n

instance (n a b : Nat) : Decidable (Nat.ModEq n a b) := inferInstanceAs (Decidable (a % n = b % n))

/-- Mathlib: `notation:50 a " ≡ " b " [MOD " n "]" => Nat.ModEq n a b`. -/
notation:50 a " ≡ " b " [MOD " n "]" => Nat.ModEq n a b

/-- The greatest `m ≤ k` with `m * m ≤ n`. -/
def sqrtAux (n : Nat) : Nat → Nat
  | 0 => 0
  | k + 1 => if (k + 1) * (k + 1) ≤ n then k + 1 else sqrtAux n k

/-- Mathlib: `Nat.sqrt n` is the greatest `m` with `m * m ≤ n` (`Nat.le_sqrt : m ≤ sqrt n ↔ m * m ≤ n`,
which determines it; here: the greatest such `m ≤ n`, and `m * m ≤ n → m ≤ n`). -/
def sqrt (n : Nat) : Nat := sqrtAux n n

/-- Mathlib: `Nat.divisors n = {d ∈ Ico 1 (n + 1) | d ∣ n}`. -/
def divisors (n : Nat) : Finset Nat := Finset.filter (fun d => d ∣ n) (Finset.Ico 1 (n + 1))

/-- Mathlib: `Nat.properDivisors n = {d ∈ Ico 1 n | d ∣ n}`. -/
def properDivisors (n : Nat) : Finset Nat := Finset.filter (fun d => d ∣ n) (Finset.Ico 1 n)

/-- Mathlib: `Nat.totient n = {m ∈ range n | n.Coprime m}.card`. -/
def totient (n : Nat) : Nat := (Finset.filter (fun m => Nat.Coprime n m) (Finset.range n)).card

/-- Mathlib: `scoped notation "φ" => Nat.totient`. -/
scoped notation "φ" => Nat.totient

/-- `digitsAux` with explicit fuel (structural, so `decide` can evaluate it). -/
def digitsAuxF (b : Nat) : Nat → Nat → List Nat
  | 0, _ => []
  | _ + 1, 0 => []
  | f + 1, n + 1 => ((n + 1) % b) :: digitsAuxF b f ((n + 1) / b)

theorem digitsAuxF_indep (b : Nat) (h : 2 ≤ b) :
    ∀ f g n : Nat, n ≤ f → n ≤ g → digitsAuxF b f n = digitsAuxF b g n
  | 0, 0, _, _, _ => rfl
  | 0, _ + 1, 0, _, _ => rfl
  | _ + 1, 0, 0, _, _ => rfl
  | _ + 1, _ + 1, 0, _, _ => rfl
  | 0, _, _ + 1, hf, _ => absurd hf (by omega)
  | _ + 1, 0, _ + 1, _, hg => absurd hg (by omega)
  | f + 1, g + 1, n + 1, hf, hg => by
    have hd : (n + 1) / b < n + 1 := Nat.div_lt_self (Nat.succ_pos n) (by omega)
    simp only [digitsAuxF]
    rw [digitsAuxF_indep b h f g ((n + 1) / b) (by omega) (by omega)]

/-- Mathlib: `Nat.digitsAux` (least significant digit first); it is determined by the two
equations `Nat.digitsAux_zero` and `Nat.digitsAux_def`, proved below. -/
def digitsAux (b : Nat) (_h : 2 ≤ b) (n : Nat) : List Nat := digitsAuxF b n n

/-- Mathlib: `Nat.digitsAux_zero`. -/
theorem digitsAux_zero (b : Nat) (h : 2 ≤ b) : digitsAux b h 0 = [] := rfl

/-- Mathlib: `Nat.digitsAux_def`. -/
theorem digitsAux_def (b : Nat) (h : 2 ≤ b) (n : Nat) (w : 0 < n) :
    digitsAux b h n = (n % b) :: digitsAux b h (n / b) := by
  obtain ⟨m, rfl⟩ : ∃ m, n = m + 1 := ⟨n - 1, by omega⟩
  have hd : (m + 1) / b < m + 1 := Nat.div_lt_self (Nat.succ_pos m) (by omega)
  show digitsAuxF b (m + 1) (m + 1) = _
  simp only [digitsAuxF, digitsAux]
  rw [digitsAuxF_indep b h m ((m + 1) / b) ((m + 1) / b) (by omega) (Nat.le_refl _)]

/-- Mathlib: `Nat.digits : ℕ → ℕ → List ℕ`, same three cases: base 0 (`digitsAux0`: `[n]` for
`n ≠ 0`), base 1 (`digitsAux1`: `List.replicate n 1`), base `b + 2` (`digitsAux`). -/
def digits : Nat → Nat → List Nat
  | 0 => fun n => match n with | 0 => [] | n + 1 => [n + 1]
  | 1 => fun n => List.replicate n 1
  | b + 2 => digitsAux (b + 2) (by omega)

/-- Mathlib: `Nat.ofDigits b (h :: t) = h + b * ofDigits b t`, `ofDigits b [] = 0`. -/
def ofDigits {α : Type u} [Add α] [Mul α] [OfNat α 0] [NatCast α] (b : α) : List Nat → α
  | [] => 0
  | h :: t => (h : α) + b * ofDigits b t

end Nat

namespace Int
/-- Mathlib: `Int.ModEq n a b = (a % n = b % n)` (Mathlib/Data/Int/ModEq.lean). -/
def ModEq (n a b : Int) : Prop := a % n = b % n

instance (n a b : Int) : Decidable (Int.ModEq n a b) := inferInstanceAs (Decidable (a % n = b % n))

/-- Mathlib: `notation:50 a " ≡ " b " [ZMOD " n "]" => Int.ModEq n a b`. -/
notation:50 a " ≡ " b " [ZMOD " n "]" => Int.ModEq n a b
end Int

/-- Mathlib: `Even a ↔ ∃ r, a = r + r` (the definition of `Even`, Mathlib/Algebra/Group/Even.lean). -/
def Even {α : Type u} [Add α] (a : α) : Prop := ∃ r, a = r + r

/-- Mathlib: `Odd a ↔ ∃ m, a = 2 * m + 1` (the definition of `Odd`, Mathlib/Algebra/Ring/Parity.lean;
Mathlib states it for a semiring, hence the `0` asked for here, which keeps out `ℕ+`). -/
def Odd {α : Type u} [Add α] [Mul α] [OfNat α 0] [OfNat α 1] [OfNat α 2] (a : α) : Prop :=
  ∃ m, a = 2 * m + 1

instance Nat.decEven : DecidablePred (Even : Nat → Prop) := fun n =>
  decidable_of_iff (n % 2 = 0) ⟨fun h => ⟨n / 2, by omega⟩, fun ⟨r, h⟩ => by omega⟩
instance Nat.decOdd : DecidablePred (Odd : Nat → Prop) := fun n =>
  decidable_of_iff (n % 2 = 1) ⟨fun h => ⟨n / 2, by omega⟩, fun ⟨r, h⟩ => by omega⟩
instance Int.decEven : DecidablePred (Even : Int → Prop) := fun n =>
  decidable_of_iff (n % 2 = 0) ⟨fun h => ⟨n / 2, by omega⟩, fun ⟨r, h⟩ => by omega⟩
instance Int.decOdd : DecidablePred (Odd : Int → Prop) := fun n =>
  decidable_of_iff (n % 2 = 1) ⟨fun h => ⟨n / 2, by omega⟩, fun ⟨r, h⟩ => by omega⟩

/-- Mathlib: `IsUnit a ↔ ∃ b, a * b = 1 ∧ b * a = 1` (`isUnit_iff_exists`). -/
def IsUnit {α : Type u} [Mul α] [OfNat α 1] (a : α) : Prop := ∃ b, a * b = 1 ∧ b * a = 1

/-- Mathlib: `Prime p = p ≠ 0 ∧ ¬IsUnit p ∧ ∀ a b, p ∣ a * b → p ∣ a ∨ p ∣ b`
(Mathlib/Algebra/Prime/Defs.lean; stated there for a `CommMonoidWithZero`). -/
def Prime {α : Type u} [Mul α] [OfNat α 0] [OfNat α 1] [Dvd α] (p : α) : Prop :=
  p ≠ 0 ∧ ¬IsUnit p ∧ ∀ a b, p ∣ a * b → p ∣ a ∨ p ∣ b

/-! ## Positive naturals -/

/-- Mathlib: `def PNat := { n : ℕ // 0 < n }`, `notation "ℕ+" => PNat`. -/
def PNat : Type := { n : Nat // 0 < n }
notation "ℕ+" => PNat

namespace PNat
/-- Mathlib: `PNat.val` (the coercion `ℕ+ → ℕ`). -/
@[coe] def val : PNat → Nat := Subtype.val
instance : Coe PNat Nat := ⟨val⟩
instance : DecidableEq PNat := inferInstanceAs (DecidableEq {n : Nat // 0 < n})
/-- Mathlib: `instOfNatPNatOfNeZeroNat` (`((n : ℕ+) : ℕ) = n`). -/
instance (n : Nat) [NeZero n] : OfNat PNat n := ⟨⟨n, Nat.pos_of_ne_zero (NeZero.ne n)⟩⟩
/-- Mathlib: `PNat.add_coe`. -/
instance : Add PNat := ⟨fun a b => ⟨a.1 + b.1, by have := a.2; omega⟩⟩
/-- Mathlib: `PNat.mul_coe`. -/
instance : Mul PNat := ⟨fun a b => ⟨a.1 * b.1, Nat.mul_pos a.2 b.2⟩⟩
/-- Mathlib: `PNat.pow_coe`. -/
instance : Pow PNat Nat := ⟨fun a n => ⟨a.1 ^ n, Nat.pow_pos a.2⟩⟩
/-- Mathlib: `PNat.sub_coe` (`((a - b : ℕ+) : ℕ) = if b < a then a - b else 1`). -/
instance : Sub PNat := ⟨fun a b => ⟨if b.1 < a.1 then a.1 - b.1 else 1, by split <;> omega⟩⟩
/-- Mathlib: `PNat.coe_le_coe`. -/
instance : LE PNat := ⟨fun a b => a.1 ≤ b.1⟩
/-- Mathlib: `PNat.coe_lt_coe`. -/
instance : LT PNat := ⟨fun a b => a.1 < b.1⟩
instance (a b : PNat) : Decidable (a ≤ b) := inferInstanceAs (Decidable (a.1 ≤ b.1))
instance (a b : PNat) : Decidable (a < b) := inferInstanceAs (Decidable (a.1 < b.1))
end PNat

/-! ## Integers modulo `n` (Mathlib/Data/ZMod/Defs.lean, Basic.lean; Mathlib/Data/Int/GCD.lean) -/

namespace Nat
/-- Mathlib: `Nat.xgcdAux` (same equations). -/
def xgcdAux : Nat → Int → Int → Nat → Int → Int → Nat × Int × Int
  | 0, _, _, r', s', t' => (r', s', t')
  | k + 1, s, t, r', s', t' =>
    have : r' % (k + 1) < k + 1 := Nat.mod_lt _ (Nat.succ_pos k)
    let q := r' / (k + 1)
    xgcdAux (r' % (k + 1)) (s' - q * s) (t' - q * t) (k + 1) s t
/-- Mathlib: `Nat.xgcd x y = (xgcdAux x 1 0 y 0 1).2`. -/
def xgcd (x y : Nat) : Int × Int := (xgcdAux x 1 0 y 0 1).2
/-- Mathlib: `Nat.gcdA x y = (xgcd x y).1`. -/
def gcdA (x y : Nat) : Int := (xgcd x y).1
/-- Mathlib: `Nat.gcdB x y = (xgcd x y).2`. -/
def gcdB (x y : Nat) : Int := (xgcd x y).2
end Nat

/-- Mathlib: `def ZMod : ℕ → Type | 0 => ℤ | n + 1 => Fin (n + 1)`. Its ring operations are those
of `ℤ` and of `Fin (n + 1)` (core's modular `+`, `*`, `-`; Mathlib: `ZMod.commRing`). -/
def ZMod : Nat → Type
  | 0 => Int
  | n + 1 => Fin (n + 1)

namespace ZMod
instance decEq : (n : Nat) → DecidableEq (ZMod n)
  | 0 => inferInstanceAs (DecidableEq Int)
  | n + 1 => inferInstanceAs (DecidableEq (Fin (n + 1)))
instance instAdd : (n : Nat) → Add (ZMod n)
  | 0 => inferInstanceAs (Add Int)
  | n + 1 => inferInstanceAs (Add (Fin (n + 1)))
instance instMul : (n : Nat) → Mul (ZMod n)
  | 0 => inferInstanceAs (Mul Int)
  | n + 1 => inferInstanceAs (Mul (Fin (n + 1)))
instance instNeg : (n : Nat) → Neg (ZMod n)
  | 0 => inferInstanceAs (Neg Int)
  | n + 1 => inferInstanceAs (Neg (Fin (n + 1)))
instance instSub : (n : Nat) → Sub (ZMod n)
  | 0 => inferInstanceAs (Sub Int)
  | n + 1 => inferInstanceAs (Sub (Fin (n + 1)))
/-- Mathlib: `Nat.cast` into `ZMod n` (`ZMod.val_natCast : (a : ZMod n).val = a % n`). -/
instance instNatCast : (n : Nat) → NatCast (ZMod n)
  | 0 => ⟨fun k => (k : Int)⟩
  | n + 1 => ⟨fun k => (⟨k % (n + 1), Nat.mod_lt _ (Nat.succ_pos n)⟩ : Fin (n + 1))⟩
/-- Mathlib: `Int.cast` into `ZMod n` (`ZMod.intCast_cast`, `ZMod.intCast_mod`: the residue of `i`). -/
instance instIntCast : (n : Nat) → IntCast (ZMod n)
  | 0 => ⟨fun i => i⟩
  | n + 1 => ⟨fun i => (⟨(i % ((n + 1 : Nat) : Int)).toNat, by
      have h₁ := Int.emod_nonneg i (b := ((n + 1 : Nat) : Int)) (by omega)
      have h₂ := Int.emod_lt_of_pos i (b := ((n + 1 : Nat) : Int)) (by omega)
      omega⟩ : Fin (n + 1))⟩
/-- Numerals: Mathlib's `OfNat (ZMod n) k` is `(k : ℕ)` cast (`Nat.cast_ofNat`; `0`, `1` likewise). -/
instance instOfNat (n k : Nat) : OfNat (ZMod n) k := ⟨(k : ZMod n)⟩
/-- Mathlib: `Monoid.npow` (`a ^ 0 = 1`, `a ^ (k + 1) = a ^ k * a`). -/
def npow (n : Nat) : Nat → ZMod n → ZMod n
  | 0, _ => 1
  | k + 1, a => npow n k a * a
instance (n : Nat) : Pow (ZMod n) Nat := ⟨fun a k => npow n k a⟩
/-- Mathlib: `ZMod.val` (`ZMod 0 → ℕ` is `Int.natAbs`, otherwise `Fin.val`). -/
def val : (n : Nat) → ZMod n → Nat
  | 0 => Int.natAbs
  | n + 1 => fun a => Fin.val (n := n + 1) a
/-- Mathlib: `ZMod.inv` (`| 0, i => Int.sign i | n + 1, i => Nat.gcdA i.val (n + 1)`). -/
def inv : (n : Nat) → ZMod n → ZMod n
  | 0, i => Int.sign i
  | n + 1, i => ((Nat.gcdA (val (n + 1) i) (n + 1) : Int) : ZMod (n + 1))
instance (n : Nat) : Inv (ZMod n) := ⟨inv n⟩
-- No `Div (ZMod n)`: Mathlib has division on `ZMod p` only through `Field (ZMod p)`, which needs
-- `Fact p.Prime`; a statement dividing in `ZMod n` is left to Mathlib.
instance addCommAssoc : (n : Nat) → AddCommAssoc (ZMod n)
  | 0 => ⟨Int.add_assoc, Int.add_comm⟩
  | n + 1 => ⟨fun a b c => Fin.ext (by
        show ((a.val + b.val) % (n + 1) + c.val) % (n + 1) = (a.val + (b.val + c.val) % (n + 1)) % (n + 1)
        rw [Nat.mod_add_mod, Nat.add_mod_mod, Nat.add_assoc]),
      fun a b => Fin.ext (by
        show (a.val + b.val) % (n + 1) = (b.val + a.val) % (n + 1)
        rw [Nat.add_comm])⟩
instance mulCommAssoc : (n : Nat) → MulCommAssoc (ZMod n)
  | 0 => ⟨Int.mul_assoc, Int.mul_comm⟩
  | n + 1 => ⟨fun a b c => Fin.ext (by
        show ((a.val * b.val) % (n + 1) * c.val) % (n + 1) = (a.val * ((b.val * c.val) % (n + 1))) % (n + 1)
        rw [Nat.mod_mul_mod, Nat.mul_mod_mod, Nat.mul_assoc]),
      fun a b => Fin.ext (by
        show (a.val * b.val) % (n + 1) = (b.val * a.val) % (n + 1)
        rw [Nat.mul_comm])⟩
end ZMod

/-! ## Absolute value -/

/-- Mathlib: `|a| = a ⊔ -a`, which is `max a (-a)` in a linear order (`abs_eq_max_neg`). -/
def abs {α : Type u} [Max α] [Neg α] (a : α) : α := max a (-a)

/-- Mathlib: `macro:max atomic("|" noWs) a:term noWs "|" : term => `(abs $a)`. -/
macro:max atomic("|" noWs) a:term noWs "|" : term => `(abs $a)

/-- Mathlib: `abs_eq_max_neg`. -/
@[grind =] theorem abs_eq_max_neg {α : Type u} [Max α] [Neg α] (a : α) : abs a = max a (-a) := rfl

/-! ## Real numbers (axiomatized) -/

/-- Mathlib: `Real` (Mathlib/Data/Real/Basic.lean: the Cauchy reals). Axiomatized here. -/
axiom Real : Type
notation "ℝ" => Real -- Mathlib: `notation "ℝ" => Real`

namespace Real
/-- Mathlib: `Field ℝ` (Mathlib/Data/Real/Basic.lean). Each field of `Lean.Grind.Field` is a Mathlib
theorem for ℝ: `add_zero`, `add_comm`, `add_assoc`, `mul_assoc`, `mul_one`, `one_mul`, `left_distrib`,
`right_distrib`, `zero_mul`, `mul_zero`, `pow_zero`, `pow_succ`, `Nat.cast_ofNat`, `Nat.cast_succ`,
`nsmul_eq_mul`, `neg_add_cancel`, `sub_eq_add_neg`, `zsmul_eq_mul`, `Int.cast_natCast`,
`Int.cast_neg`, `mul_comm`, `div_eq_mul_inv`, `zero_ne_one`, `inv_zero` (so `x / 0 = 0`),
`mul_inv_cancel₀`, `zpow_zero`, `zpow_natCast` with `pow_succ`, `zpow_neg`. -/
@[instance] axiom instField : Lean.Grind.Field Real
noncomputable instance instNatCast : NatCast Real := Lean.Grind.Semiring.natCast
noncomputable instance instIntCast : IntCast Real := Lean.Grind.Ring.intCast
/-- Mathlib: the order `≤` of ℝ (`Real.instLE`). -/
axiom le : Real → Real → Prop
instance instLE : LE Real := ⟨le⟩
/-- Mathlib: `lt_iff_le_not_ge` (`a < b ↔ a ≤ b ∧ ¬b ≤ a`, any preorder). -/
instance instLT : LT Real := ⟨fun a b => a ≤ b ∧ ¬ b ≤ a⟩
instance : Std.LawfulOrderLT Real := ⟨fun _ _ => Iff.rfl⟩
/-- Mathlib: `LinearOrder ℝ` (`le_refl`, `le_trans`, `le_antisymm`, `le_total`). -/
@[instance] axiom instIsLinearOrder : Std.IsLinearOrder Real
/-- Mathlib: `IsStrictOrderedRing ℝ` (`add_le_add_iff_right`, `zero_lt_one`,
`mul_lt_mul_of_pos_left`, `mul_lt_mul_of_pos_right`). -/
@[instance] axiom instOrderedRing : Lean.Grind.OrderedRing Real
/-- Mathlib: `CharZero ℝ` (`Nat.cast_inj`; `OfNat.ofNat x = OfNat.ofNat y ↔ x = y` in ℝ). -/
@[instance] axiom instIsCharP : Lean.Grind.IsCharP Real 0

noncomputable instance : DecidableEq Real := fun a b => Classical.propDecidable (a = b)
noncomputable instance (a b : Real) : Decidable (a ≤ b) := Classical.propDecidable _
noncomputable instance (a b : Real) : Decidable (a < b) := Classical.propDecidable _
/-- Mathlib: `max_def` (`max a b = if a ≤ b then b else a`). -/
noncomputable instance : Max Real := ⟨fun a b => if a ≤ b then b else a⟩
/-- Mathlib: `min_def` (`min a b = if a ≤ b then a else b`). -/
noncomputable instance : Min Real := ⟨fun a b => if a ≤ b then a else b⟩
noncomputable instance : Inhabited Real := ⟨0⟩
/-- Mathlib: `max_def`. -/
@[grind =] theorem max_def (a b : Real) : max a b = if a ≤ b then b else a := rfl
/-- Mathlib: `min_def`. -/
@[grind =] theorem min_def (a b : Real) : min a b = if a ≤ b then a else b := rfl
instance : Std.LawfulOrderLeftLeaningMax Real :=
  ⟨fun a b h => by rw [max_def]; split <;> grind, fun a b h => by rw [max_def]; split <;> grind⟩
instance : Std.LawfulOrderLeftLeaningMin Real :=
  ⟨fun a b h => by rw [min_def]; split <;> grind, fun a b h => by rw [min_def]; split <;> grind⟩
noncomputable instance : AddCommAssoc Real :=
  ⟨Lean.Grind.Semiring.add_assoc, Lean.Grind.Semiring.add_comm⟩
noncomputable instance : MulCommAssoc Real :=
  ⟨Lean.Grind.Semiring.mul_assoc, Lean.Grind.CommSemiring.mul_comm⟩
end Real

/-- Mathlib: `class RatCast (K) where ratCast : ℚ → K` (Mathlib/Data/Rat/Init.lean). -/
class RatCast (K : Type u) where
  protected ratCast : Rat → K

/-- Mathlib: `Rat.cast`, the coercion `ℚ → K`. -/
@[coe, reducible] protected def Rat.cast {K : Type u} [RatCast K] : Rat → K := RatCast.ratCast
instance {K : Type u} [RatCast K] : CoeTail Rat K := ⟨Rat.cast⟩
instance {K : Type u} [RatCast K] : CoeHTCT Rat K := ⟨Rat.cast⟩

namespace Real
/-- Mathlib: `Rat.cast_def : (q : K) = q.num / q.den` (any division ring of characteristic 0). -/
noncomputable instance : RatCast Real := ⟨fun q => (q.num : Real) / (q.den : Real)⟩
/-- Decimal literals: Mathlib's `(m.e : ℝ)` is the cast of the rational `Rat.ofScientific m s e`,
i.e. `m / 10 ^ e` (`s = true`) or `m * 10 ^ e` (`s = false`) (`Rat.cast_ofScientific`). -/
noncomputable instance : OfScientific Real :=
  ⟨fun m s e => if s then (m : Real) / 10 ^ e else (m : Real) * 10 ^ e⟩
end Real

/-! ### Floor and ceiling (Mathlib/Algebra/Order/Floor/Defs.lean) -/

/-- Mathlib: `class FloorRing` (the Galois connections `gc_coe_floor`, `gc_ceil_coe`, stated as
`Int.le_floor : z ≤ ⌊a⌋ ↔ (z : α) ≤ a` and `Int.ceil_le : ⌈a⌉ ≤ z ↔ a ≤ z`). -/
class FloorRing (α : Type u) [LE α] [IntCast α] where
  floor : α → Int
  ceil : α → Int
  le_floor : ∀ (z : Int) (a : α), z ≤ floor a ↔ (z : α) ≤ a
  ceil_le : ∀ (z : Int) (a : α), ceil a ≤ z ↔ a ≤ (z : α)

/-- Mathlib: `FloorRing ℝ` (Mathlib/Data/Real/Archimedean.lean; its laws are `Int.le_floor`, `Int.ceil_le`). -/
@[instance] axiom Real.instFloorRing : FloorRing Real

/-- Mathlib: `Rat.instFloorRing` (floor = `Rat.floor`; determined by `Int.le_floor`). -/
instance : FloorRing Rat where
  floor := Rat.floor
  ceil q := -Rat.floor (-q)
  le_floor _ _ := Rat.le_floor_iff
  ceil_le z q := by
    have h := Rat.le_floor_iff (x := -z) (a := -q)
    grind

/-- Mathlib: `Int.instFloorRing` (floor = ceil = id). -/
instance : FloorRing Int where
  floor := id
  ceil := id
  le_floor _ _ := by simp
  ceil_le _ _ := by simp

namespace Int
variable {α : Type u} [LE α] [IntCast α] [FloorRing α]
/-- Mathlib: `Int.floor = FloorRing.floor`. -/
def floor : α → Int := FloorRing.floor
/-- Mathlib: `Int.ceil = FloorRing.ceil`. -/
def ceil : α → Int := FloorRing.ceil
/-- Mathlib: `Int.fract a = a - ⌊a⌋`. -/
def fract [Sub α] (a : α) : α := a - (floor a : α)
end Int

/-- Mathlib: `Nat.floor a = ⌊a⌋.toNat` in a floor ring (`Int.floor_toNat`). -/
def Nat.floor {α : Type u} [LE α] [IntCast α] [FloorRing α] (a : α) : Nat := (Int.floor a).toNat
/-- Mathlib: `Nat.ceil a = ⌈a⌉.toNat` in a floor ring (`Int.ceil_toNat`). -/
def Nat.ceil {α : Type u} [LE α] [IntCast α] [FloorRing α] (a : α) : Nat := (Int.ceil a).toNat

notation "⌊" a "⌋" => Int.floor a -- Mathlib: same notation
notation "⌈" a "⌉" => Int.ceil a -- Mathlib: same notation
notation "⌊" a "⌋₊" => Nat.floor a -- Mathlib: same notation
notation "⌈" a "⌉₊" => Nat.ceil a -- Mathlib: same notation

/-! ### Functions on ℝ (axiomatized constants; every axiom is a Mathlib theorem) -/

namespace Real

/-- Mathlib: `Real.sqrt` (0 on negative inputs). -/
axiom sqrt : Real → Real
/-- Mathlib: `prefix:max "√" => Real.sqrt` (Mathlib/Data/Real/Sqrt.lean). -/
prefix:max "√" => Real.sqrt

/-- Mathlib: `Real.sqrt_nonneg`. -/
axiom sqrt_nonneg (x : Real) : 0 ≤ √x
/-- Mathlib: `Real.sq_sqrt`. -/
axiom sq_sqrt {x : Real} (h : 0 ≤ x) : √x ^ 2 = x
/-- Mathlib: `Real.sqrt_sq`. -/
axiom sqrt_sq {x : Real} (h : 0 ≤ x) : √(x ^ 2) = x
/-- Mathlib: `Real.mul_self_sqrt`. -/
axiom mul_self_sqrt {x : Real} (h : 0 ≤ x) : √x * √x = x
/-- Mathlib: `Real.sqrt_mul_self`. -/
axiom sqrt_mul_self {x : Real} (h : 0 ≤ x) : √(x * x) = x
/-- Mathlib: `Real.sqrt_eq_zero'`. -/
axiom sqrt_eq_zero' {x : Real} : √x = 0 ↔ x ≤ 0
/-- Mathlib: `Real.sqrt_mul`. -/
axiom sqrt_mul {x : Real} (hx : 0 ≤ x) (y : Real) : √(x * y) = √x * √y
/-- Mathlib: `Real.sqrt_le_sqrt`. -/
axiom sqrt_le_sqrt {x y : Real} (h : x ≤ y) : √x ≤ √y
/-- Mathlib: `Real.sqrt_lt_sqrt`. -/
axiom sqrt_lt_sqrt {x y : Real} (hx : 0 ≤ x) (h : x < y) : √x < √y

/-- Mathlib: `Real.pi`. -/
axiom pi : Real
/-- Mathlib: `scoped notation "π" => Real.pi` (in `namespace Real`). -/
scoped notation "π" => Real.pi
/-- Mathlib: `Real.pi_pos`. -/
axiom pi_pos : 0 < pi
/-- Mathlib: `Real.pi_gt_three`. -/
axiom pi_gt_three : 3 < pi
/-- Mathlib: `Real.pi_le_four`. -/
axiom pi_le_four : pi ≤ 4

/-- Mathlib: `Real.exp`. -/
axiom exp : Real → Real
/-- Mathlib: `Real.log` (`log 0 = 0`, `log (-x) = log x`). -/
axiom log : Real → Real
/-- Mathlib: `Real.exp_pos`. -/
axiom exp_pos (x : Real) : 0 < exp x
/-- Mathlib: `Real.exp_zero`. -/
axiom exp_zero : exp 0 = 1
/-- Mathlib: `Real.exp_add`. -/
axiom exp_add (x y : Real) : exp (x + y) = exp x * exp y
/-- Mathlib: `Real.exp_log`. -/
axiom exp_log {x : Real} (hx : 0 < x) : exp (log x) = x
/-- Mathlib: `Real.log_exp`. -/
axiom log_exp (x : Real) : log (exp x) = x
/-- Mathlib: `Real.log_zero`. -/
axiom log_zero : log 0 = 0
/-- Mathlib: `Real.log_one`. -/
axiom log_one : log 1 = 0
/-- Mathlib: `Real.log_mul`. -/
axiom log_mul {x y : Real} (hx : x ≠ 0) (hy : y ≠ 0) : log (x * y) = log x + log y
/-- Mathlib: `Real.log_neg_eq_log`. -/
axiom log_neg_eq_log (x : Real) : log (-x) = log x

/-- Mathlib: `Real.logb b x = log x / log b` (the definition of `Real.logb`). -/
noncomputable def logb (b x : Real) : Real := log x / log b

/-- Mathlib: `Real.sin`. -/
axiom sin : Real → Real
/-- Mathlib: `Real.cos`. -/
axiom cos : Real → Real
/-- Mathlib: `Real.sin_sq_add_cos_sq`. -/
axiom sin_sq_add_cos_sq (x : Real) : sin x ^ 2 + cos x ^ 2 = 1
/-- Mathlib: `Real.sin_le_one`. -/
axiom sin_le_one (x : Real) : sin x ≤ 1
/-- Mathlib: `Real.neg_one_le_sin`. -/
axiom neg_one_le_sin (x : Real) : -1 ≤ sin x
/-- Mathlib: `Real.cos_le_one`. -/
axiom cos_le_one (x : Real) : cos x ≤ 1
/-- Mathlib: `Real.neg_one_le_cos`. -/
axiom neg_one_le_cos (x : Real) : -1 ≤ cos x
/-- Mathlib: `Real.sin_zero`. -/
axiom sin_zero : sin 0 = 0
/-- Mathlib: `Real.cos_zero`. -/
axiom cos_zero : cos 0 = 1
/-- Mathlib: `Real.sin_pi`. -/
axiom sin_pi : sin pi = 0
/-- Mathlib: `Real.cos_pi`. -/
axiom cos_pi : cos pi = -1
/-- Mathlib: `Real.sin_neg`. -/
axiom sin_neg (x : Real) : sin (-x) = -sin x
/-- Mathlib: `Real.cos_neg`. -/
axiom cos_neg (x : Real) : cos (-x) = cos x
/-- Mathlib: `Real.sin_add`. -/
axiom sin_add (x y : Real) : sin (x + y) = sin x * cos y + cos x * sin y
/-- Mathlib: `Real.cos_add`. -/
axiom cos_add (x y : Real) : cos (x + y) = cos x * cos y - sin x * sin y

/-- Mathlib: `Real.tan x = sin x / cos x` (`Real.tan_eq_sin_div_cos`). -/
noncomputable def tan (x : Real) : Real := sin x / cos x
/-- Mathlib: `Real.cot x = cos x / sin x` (`Real.cot_eq_cos_div_sin`). -/
noncomputable def cot (x : Real) : Real := cos x / sin x

/-- Mathlib: `Real.rpow` (`x ^ y` for real `y`). -/
axiom rpow : Real → Real → Real
/-- Mathlib: `noncomputable instance : Pow ℝ ℝ := ⟨rpow⟩`. -/
noncomputable instance : Pow Real Real := ⟨rpow⟩
/-- Mathlib: `Real.rpow_natCast`. -/
axiom rpow_natCast (x : Real) (n : Nat) : x ^ (n : Real) = x ^ n
/-- Mathlib: `Real.rpow_def_of_pos`. -/
axiom rpow_def_of_pos {x : Real} (hx : 0 < x) (y : Real) : x ^ y = exp (log x * y)

end Real

namespace Real
/-- Mathlib: `Real.rpow_nonneg`. -/
axiom rpow_nonneg {x : Real} (hx : 0 ≤ x) (y : Real) : 0 ≤ x ^ y

theorem inv_nonneg_of_nonneg {b : Real} (hb : 0 ≤ b) : 0 ≤ b⁻¹ := by
  -- Mathlib: `inv_nonneg`
  by_cases h : b = 0
  · subst h; rw [Lean.Grind.Field.inv_zero]; grind
  · have h1 : b * b⁻¹ = 1 := Lean.Grind.Field.mul_inv_cancel h
    have hb' : 0 < b := by grind
    apply Classical.byContradiction
    intro hneg
    have : 0 < b * (-b⁻¹) := Lean.Grind.OrderedRing.mul_pos hb' (by grind)
    grind

theorem pow_nonneg_of_nonneg {a : Real} (ha : 0 ≤ a) : ∀ n : Nat, 0 ≤ a ^ n
  -- Mathlib: `pow_nonneg`
  | 0 => by rw [Lean.Grind.Semiring.pow_zero]; grind
  | n + 1 => by
    rw [Lean.Grind.Semiring.pow_succ]
    exact Lean.Grind.OrderedRing.mul_nonneg (pow_nonneg_of_nonneg ha n) ha
end Real

/-- Mathlib: `def NNReal := { r : ℝ // 0 ≤ r }` (Mathlib/Data/NNReal/Defs.lean). Its operations are
those of ℝ on the nonnegative reals (Mathlib: `NNReal.coe_add`, `coe_mul`, `coe_div`, `coe_inv`,
`coe_pow`, `coe_natCast`, `coe_ofNat`, `coe_sub_def`, `coe_le_coe`, `coe_lt_coe`, `coe_rpow`). -/
def NNReal : Type := { r : Real // 0 ≤ r }

namespace NNReal
/-- Mathlib: `scoped notation "ℝ≥0" => NNReal`. -/
scoped notation "ℝ≥0" => NNReal
/-- Mathlib: `NNReal.toReal` (the coercion `ℝ≥0 → ℝ`). -/
@[coe] def toReal : NNReal → Real := Subtype.val
instance : Coe NNReal Real := ⟨toReal⟩
noncomputable instance : DecidableEq NNReal := fun a b => Classical.propDecidable (a = b)
noncomputable instance (n : Nat) : OfNat NNReal n :=
  ⟨⟨(OfNat.ofNat n : Real), by
    have h : (OfNat.ofNat n : Real) = ((n : Nat) : Real) := Lean.Grind.Semiring.ofNat_eq_natCast n
    rw [h]; exact Lean.Grind.OrderedRing.natCast_nonneg (R := Real)⟩⟩
noncomputable instance : NatCast NNReal := ⟨fun n => ⟨(n : Real), Lean.Grind.OrderedRing.natCast_nonneg⟩⟩
noncomputable instance : Add NNReal := ⟨fun a b => ⟨a.1 + b.1, by have := a.2; have := b.2; grind⟩⟩
noncomputable instance : Mul NNReal :=
  ⟨fun a b => ⟨a.1 * b.1, Lean.Grind.OrderedRing.mul_nonneg a.2 b.2⟩⟩
noncomputable instance : Inv NNReal := ⟨fun a => ⟨a.1⁻¹, Real.inv_nonneg_of_nonneg a.2⟩⟩
noncomputable instance : Div NNReal := ⟨fun a b => ⟨a.1 / b.1, by
  rw [Lean.Grind.Field.div_eq_mul_inv]
  exact Lean.Grind.OrderedRing.mul_nonneg a.2 (Real.inv_nonneg_of_nonneg b.2)⟩⟩
noncomputable instance : Sub NNReal :=
  ⟨fun a b => ⟨max (a.1 - b.1) 0, by rw [Real.max_def]; split <;> grind⟩⟩
noncomputable instance : Pow NNReal Nat := ⟨fun a n => ⟨a.1 ^ n, Real.pow_nonneg_of_nonneg a.2 n⟩⟩
noncomputable instance : Pow NNReal Real := ⟨fun a y => ⟨a.1 ^ y, Real.rpow_nonneg a.2 y⟩⟩
instance : LE NNReal := ⟨fun a b => a.1 ≤ b.1⟩
instance : LT NNReal := ⟨fun a b => a.1 < b.1⟩
noncomputable instance (a b : NNReal) : Decidable (a ≤ b) := Classical.propDecidable _
noncomputable instance (a b : NNReal) : Decidable (a < b) := Classical.propDecidable _
noncomputable instance : Max NNReal := ⟨fun a b => if a ≤ b then b else a⟩
noncomputable instance : Min NNReal := ⟨fun a b => if a ≤ b then a else b⟩
instance : AddCommAssoc NNReal :=
  ⟨fun a b c => Subtype.ext (Lean.Grind.Semiring.add_assoc a.1 b.1 c.1),
   fun a b => Subtype.ext (Lean.Grind.Semiring.add_comm a.1 b.1)⟩
instance : MulCommAssoc NNReal :=
  ⟨fun a b c => Subtype.ext (Lean.Grind.Semiring.mul_assoc a.1 b.1 c.1),
   fun a b => Subtype.ext (Lean.Grind.CommSemiring.mul_comm a.1 b.1)⟩
/-- Mathlib: `NNReal.sqrt` (`NNReal.coe_sqrt : (NNReal.sqrt x : ℝ) = √(x : ℝ)`). -/
noncomputable def sqrt (x : NNReal) : NNReal := ⟨√x.1, Real.sqrt_nonneg _⟩
end NNReal

/-- Mathlib: `Irrational x = x ∉ Set.range ((↑) : ℚ → ℝ)`. -/
def Irrational (x : Real) : Prop := ¬ x ∈ Set.range (fun q : Rat => (q : Real))

/-! ## Complex numbers (axiomatized as a field of characteristic 0 containing ℝ and `I`) -/

/-- Mathlib: `Complex` (Mathlib/Data/Complex/Basic.lean). Axiomatized here. -/
axiom Complex : Type
notation "ℂ" => Complex -- Mathlib: `notation "ℂ" => Complex`

namespace Complex
/-- Mathlib: `Field ℂ` (the same field laws as for ℝ, see `Real.instField`). -/
@[instance] axiom instField : Lean.Grind.Field Complex
noncomputable instance instNatCast : NatCast Complex := Lean.Grind.Semiring.natCast
noncomputable instance instIntCast : IntCast Complex := Lean.Grind.Ring.intCast
/-- Mathlib: `CharZero ℂ` (`Complex.ofReal_natCast`, `Nat.cast_inj`). -/
@[instance] axiom instIsCharP : Lean.Grind.IsCharP Complex 0
noncomputable instance : DecidableEq Complex := fun a b => Classical.propDecidable (a = b)
noncomputable instance : Inhabited Complex := ⟨0⟩
noncomputable instance : AddCommAssoc Complex :=
  ⟨Lean.Grind.Semiring.add_assoc, Lean.Grind.Semiring.add_comm⟩
noncomputable instance : MulCommAssoc Complex :=
  ⟨Lean.Grind.Semiring.mul_assoc, Lean.Grind.CommSemiring.mul_comm⟩
/-- Mathlib: `Rat.cast_def` (as for ℝ). -/
noncomputable instance : RatCast Complex := ⟨fun q => (q.num : Complex) / (q.den : Complex)⟩
noncomputable instance : OfScientific Complex :=
  ⟨fun m s e => if s then (m : Complex) / 10 ^ e else (m : Complex) * 10 ^ e⟩

/-- Mathlib: `Complex.I`. -/
axiom I : Complex
/-- Mathlib: `Complex.I_sq`. -/
axiom I_sq : I ^ 2 = -1

/-- Mathlib: `Complex.ofReal` (the coercion `ℝ → ℂ`). -/
axiom ofReal : Real → Complex
noncomputable instance : Coe Real Complex := ⟨ofReal⟩
/-- Mathlib: `Complex.ofReal_zero`. -/
axiom ofReal_zero : ofReal 0 = 0
/-- Mathlib: `Complex.ofReal_one`. -/
axiom ofReal_one : ofReal 1 = 1
/-- Mathlib: `Complex.ofReal_add`. -/
axiom ofReal_add (r s : Real) : ofReal (r + s) = ofReal r + ofReal s
/-- Mathlib: `Complex.ofReal_mul`. -/
axiom ofReal_mul (r s : Real) : ofReal (r * s) = ofReal r * ofReal s
/-- Mathlib: `Complex.ofReal_neg`. -/
axiom ofReal_neg (r : Real) : ofReal (-r) = -ofReal r
/-- Mathlib: `Complex.ofReal_inj`. -/
axiom ofReal_inj {z w : Real} : ofReal z = ofReal w ↔ z = w

/-- Mathlib: `Complex.re`. -/
axiom re : Complex → Real
/-- Mathlib: `Complex.im`. -/
axiom im : Complex → Real
/-- Mathlib: `Complex.ext`. -/
axiom ext {z w : Complex} (hre : z.re = w.re) (him : z.im = w.im) : z = w
/-- Mathlib: `Complex.ofReal_re`. -/
axiom ofReal_re (r : Real) : (ofReal r).re = r
/-- Mathlib: `Complex.ofReal_im`. -/
axiom ofReal_im (r : Real) : (ofReal r).im = 0
/-- Mathlib: `Complex.I_re`. -/
axiom I_re : I.re = 0
/-- Mathlib: `Complex.I_im`. -/
axiom I_im : I.im = 1
/-- Mathlib: `Complex.add_re`. -/
axiom add_re (z w : Complex) : (z + w).re = z.re + w.re
/-- Mathlib: `Complex.add_im`. -/
axiom add_im (z w : Complex) : (z + w).im = z.im + w.im
/-- Mathlib: `Complex.mul_re`. -/
axiom mul_re (z w : Complex) : (z * w).re = z.re * w.re - z.im * w.im
/-- Mathlib: `Complex.mul_im`. -/
axiom mul_im (z w : Complex) : (z * w).im = z.re * w.im + z.im * w.re
end Complex

/-- Mathlib: `Complex.normSq z = z.re * z.re + z.im * z.im` (`Complex.normSq_apply`). -/
noncomputable def Complex.normSq (z : Complex) : Real := z.re * z.re + z.im * z.im

/-- Mathlib: `Complex.abs z = √(normSq z)` (`Complex.abs_apply`; `Complex.abs` is deprecated in
recent Mathlib in favour of `‖z‖`, which is the same number: `Complex.norm_def`). -/
noncomputable def Complex.abs (z : Complex) : Real := √(Complex.normSq z)

/-- Mathlib: `class Norm (E) where norm : E → ℝ`, notation `‖e‖`. -/
class Norm (E : Type u) where
  norm : E → Real
export Norm (norm)
notation "‖" e "‖" => norm e -- Mathlib: same notation

/-- Mathlib: `Real.norm_eq_abs`. -/
noncomputable instance : Norm Real := ⟨fun r => abs r⟩
/-- Mathlib: `Complex.norm_def` (`‖z‖ = √(normSq z)`). -/
noncomputable instance : Norm Complex := ⟨fun z => √(Complex.normSq z)⟩
/-- Mathlib: `Int.norm_eq_abs` (`‖n‖ = |(n : ℝ)|`). -/
noncomputable instance : Norm Int := ⟨fun n => abs (n : Real)⟩
/-- Mathlib: `Rat.norm_cast_real` (`‖(q : ℝ)‖ = ‖q‖`). -/
noncomputable instance : Norm Rat := ⟨fun q => abs (q : Real)⟩


end
end
