"""The Mathlib-compatibility prelude: Lean source that gives Mathlib's names and notations a
core-Lean meaning on the embedded Lean (`lean_project/LeanEquiv/Compat/`). Every definition in
it agrees with Mathlib's and every axiom is a theorem of Mathlib, each named beside it; the
soundness tests (`tests/test_prelude.py`) check a model of the ordered-field part and that no
script proves `False` under it."""

from __future__ import annotations

import functools
from pathlib import Path

COMPAT_DIR = Path(__file__).resolve().parents[2] / "lean_project" / "LeanEquiv" / "Compat"
PRELUDE_FILE = COMPAT_DIR / "Prelude.lean"


@functools.cache
def compat_prelude() -> str:
    """The prelude's text, as a session header (no `import`: the embedded Lean has only core)."""
    return PRELUDE_FILE.read_text(encoding="utf-8")
