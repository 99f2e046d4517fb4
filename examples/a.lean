theorem between (x : Nat) (h₀ : 3 < x) (h₁ : x < 7) : 4 ≤ x
