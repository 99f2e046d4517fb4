"""Shared fixtures. Lean-heavy fixtures are session-scoped: a warm session costs ~10 s to start."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from service.config import Settings, get_settings
from service.lean.backend import EmbeddedBackend
from service.lean.pool import LeanPool

# Runs for seconds without ever checking heartbeats against a limit: a runaway for time-out tests.
RUNAWAY_CHUNK = (
    "set_option maxHeartbeats 0 in\ntheorem runaway : ∀ a b c : Fin 40, a * b * c = c * b * a := by decide"
)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
async def lean_pool(settings: Settings) -> AsyncIterator[LeanPool]:
    """Two warm embedded sessions: one can be killed while the other serves."""
    pool = LeanPool(EmbeddedBackend(settings), size=2, job_timeout_s=120)
    await pool.start()
    yield pool
    await pool.close()
