"""ReProver benchmark: tactics generated per second by a model of ByT5-small's size, for batches of
states, on the CPU and (when present) the GPU; then one end-to-end search on the embedded Lean.

    python -m benchmarks.reprover [--k 8] [--batches 1,4,8] [--new-tokens 64] [--search-k 8]

The model is randomly initialized with `google/byt5-small`'s configuration (the architecture of
LeanDojo's `kaiyuy/leandojo-lean4-tacgen-byt5-small`): the same compute as ReProver, no download.
A random model never stops early, so every beam runs the full `--new-tokens`: a worst case. The
baseline is one state per call on the same device, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from benchmarks.report import print_table
from service.config import get_settings
from service.lean.backend import make_backend
from service.lean.pool import LeanPool
from service.prover.generator import ByT5TacticGenerator
from service.prover.search import SearchConfig, best_first_search
from service.prover.states import LeanProofEnvironment

STATE = "a b : ℕ\nh₀ : 0 < a ∧ 0 < b\nh₁ : a * b = 12\n⊢ a + b ≤ 13"
GOAL = "∀ a b : Nat, 0 < a ∧ 0 < b → a * b = 12 → a + b ≤ 13"


def save_random_byt5_small(directory: Path) -> Path:
    import torch
    from transformers import ByT5Tokenizer, T5Config, T5ForConditionalGeneration

    torch.manual_seed(0)
    config = T5Config(vocab_size=384, d_model=1472, d_ff=3584, d_kv=64, num_heads=6, num_layers=12,
                      num_decoder_layers=4, feed_forward_proj="gated-gelu", tie_word_embeddings=False,
                      decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)  # fmt: skip
    T5ForConditionalGeneration(config).save_pretrained(directory)
    ByT5Tokenizer().save_pretrained(directory)
    return directory


def tactics_per_second(generator: ByT5TacticGenerator, batch: int, k: int, repeats: int) -> float:
    generator.suggest([STATE] * batch, k)  # warm-up: kernels, allocator
    started = time.perf_counter()
    for _ in range(repeats):
        generator.suggest([STATE] * batch, k)
    _synchronize(generator.device)
    return batch * k * repeats / (time.perf_counter() - started)


def _synchronize(device: str | None) -> None:
    import torch

    if device and device.startswith("cuda"):
        torch.cuda.synchronize()


def devices() -> list[tuple[str, str]]:
    import torch

    found = [("cpu", "float32")]
    if torch.cuda.is_available():
        found += [("cuda", "float32"), ("cuda", "bfloat16"), ("cuda", "float16")]
    return found


async def one_search(model: Path, k: int, device: str) -> tuple[str, str]:
    generator = ByT5TacticGenerator(str(model), device=device, max_new_tokens=32)
    async with LeanPool(make_backend(get_settings()), size=1) as pool:
        environment = LeanProofEnvironment(pool, GOAL)
        started = time.perf_counter()
        result = await best_first_search(environment, generator, SearchConfig(k=k, max_expansions=4))
        seconds = time.perf_counter() - started
    return (f"search on {device}, k={k}: {result.reason}, {result.expansions} expansions", f"{seconds:.1f} s")


def main(k: int, batches: list[int], new_tokens: int, repeats: int, search_k: int) -> None:
    import torch

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        model = save_random_byt5_small(Path(scratch))
        for device, dtype in devices():
            generator = ByT5TacticGenerator(str(model), device=device, dtype=dtype, max_new_tokens=new_tokens)
            baseline = None
            for batch in batches:
                rate = tactics_per_second(generator, batch, k, repeats)
                baseline = baseline or rate
                label = f"{device} {dtype}: {batch} state(s) × {k} beams"
                rows.append((label, f"{rate:.1f} tactics/s ({rate / baseline:.1f}× one state)"))
            del generator
        rows.append(asyncio.run(one_search(model, search_k, "cuda" if torch.cuda.is_available() else "cpu")))
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    print_table(f"ReProver generator (random ByT5-small, {new_tokens} new bytes); GPU: {gpu}", rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--k", type=int, default=8, help="Beams (tactic candidates) per state.")
    parser.add_argument("--batches", default="1,4,8", help="Batch sizes in states, comma-separated.")
    parser.add_argument("--new-tokens", type=int, default=64, help="Bytes generated per tactic.")
    parser.add_argument("--repeats", type=int, default=2, help="Timed calls per batch size.")
    parser.add_argument("--search-k", type=int, default=8, help="Candidates per expansion in the search.")
    args = parser.parse_args()
    main(args.k, [int(b) for b in args.batches.split(",")], args.new_tokens, args.repeats, args.search_k)
