"""Shared fixtures. Lean-heavy fixtures are session-scoped: a warm session costs ~10 s to start."""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from pathlib import Path
from types import FrameType

import pytest

from service.config import Settings, get_settings
from service.lean.backend import EmbeddedBackend
from service.lean.pool import LeanPool

# Public statements are not copied into the repository: tests read them from the shared data folder
# beside the checkout (each row names its public source).
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
MINIF2F_CORE = SHARED_DATA / "minif2f_core.jsonl"
MINIF2F_VALID_MATHLIB = SHARED_DATA / "minif2f_valid_mathlib.jsonl"
"""miniF2F's validation split verbatim, as written for Mathlib (headers and all)."""

# Runs for seconds without ever checking heartbeats against a limit: a runaway for time-out tests.
RUNAWAY_CHUNK = (
    "set_option maxHeartbeats 0 in\ntheorem runaway : ∀ a b c : Fin 40, a * b * c = c * b * a := by decide"
)


def _interrupt(signum: int, _: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure() -> None:
    """SIGTERM (a CI job cancelled, `timeout`) interrupts the run like Ctrl-C, so fixtures tear
    down: servers are stopped and temporary databases dropped instead of left running."""
    signal.signal(signal.SIGTERM, _interrupt)


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


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialized T5 with ByT5's byte tokenizer, saved like a hub checkpoint."""
    torch = pytest.importorskip("torch")
    from transformers import ByT5Tokenizer, T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    config = T5Config(vocab_size=384, d_model=32, d_ff=64, d_kv=8, num_layers=1, num_decoder_layers=1,
                      num_heads=2, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)  # fmt: skip
    directory = tmp_path_factory.mktemp("tiny-t5")
    T5ForConditionalGeneration(config).save_pretrained(directory)
    ByT5Tokenizer().save_pretrained(directory)
    return directory


# The one tactic `tactic_model` learns: it proves both directions of the induction pair in
# tests/test_prover.py (and the vacuity probes), which tidy's portfolio cannot.
LEARNED_TACTIC = "intro _ n; induction n <;> grind [Nat.repeat]"


@pytest.fixture(scope="session")
def tactic_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny T5 trained here (about 20 s on a CPU) to answer every state with LEARNED_TACTIC, saved
    like a hub checkpoint: it stands in for ReProver's weights, which cannot be downloaded here."""
    torch = pytest.importorskip("torch")
    from transformers import ByT5Tokenizer, T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    config = T5Config(vocab_size=384, d_model=64, d_ff=128, d_kv=16, num_layers=2, num_decoder_layers=2,
                      num_heads=4, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)  # fmt: skip
    model, tokenizer = T5ForConditionalGeneration(config), ByT5Tokenizer()
    states = ["⊢ True", "n : Nat\n⊢ n + 0 = n", "⊢ (∀ (n : Nat), Nat.repeat (fun x => x + 2) n 0 = 2 * n)"]
    inputs = tokenizer(states, return_tensors="pt", padding=True)
    labels = tokenizer([LEARNED_TACTIC] * len(states), return_tensors="pt").input_ids
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(400):
        optimizer.zero_grad()
        model(**inputs, labels=labels).loss.backward()
        optimizer.step()
    directory = tmp_path_factory.mktemp("tactic-t5")
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory
