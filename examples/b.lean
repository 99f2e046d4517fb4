theorem between' (y : Nat) (h₁ : y < 7) (h₀ : y > 3) : y ≥ 4
