"""The Mathlib-compatibility prelude: Lean source that gives Mathlib's names and notations a
core-Lean meaning on the embedded Lean (`lean_project/LeanEquiv/Compat/`). Every definition in
it agrees with Mathlib's and every axiom is a theorem of Mathlib, each named beside it; the
soundness tests (`tests/test_prelude.py`) check a model of the ordered-field part and that no
script proves `False` under it."""

from __future__ import annotations

import functools
from pathlib import Path

from service.lean.library import LeanLibrary

COMPAT_DIR = Path(__file__).resolve().parents[2] / "lean_project" / "LeanEquiv" / "Compat"
PRELUDE_FILE = COMPAT_DIR / "Prelude.lean"


@functools.cache
def compat_prelude() -> str:
    """The prelude's source text."""
    return PRELUDE_FILE.read_text(encoding="utf-8")


@functools.cache
def prelude_library() -> LeanLibrary:
    """The prelude as a library: sessions import it compiled (`import LeanEquiv.Compat.Prelude`),
    which starts a session in a fraction of the time its text takes to elaborate."""
    return LeanLibrary("LeanEquiv.Compat.Prelude", compat_prelude())
