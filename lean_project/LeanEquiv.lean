-- The library root for native users: real Mathlib. It must not import `LeanEquiv.Compat.Prelude`,
-- which gives Mathlib's names a core-only meaning for the embedded Lean.
import Mathlib
