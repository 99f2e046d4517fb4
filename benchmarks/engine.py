"""Engine benchmark: per-pair latency on a warm pool, batch throughput, Lean's share of the wall
time, and the naive baseline (a fresh `lean` process per pair), all measured in the same run.

    python -m benchmarks.engine [--pairs 100] [--single 20] [--pool-size 2] [--naive-sample 4]

Pairs are the sanity transformations of the public miniF2F statements (a realistic mix of
equivalent, non-equivalent and open pairs). The naive baseline runs only the first of the
engine's (up to three) Lean runs per pair, so it flatters the baseline; it is measured on a
sample, two at a time like the pool, and scaled.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from benchmarks.report import naive_row, percentile, print_table
from benchmarks.runtime import naive_seconds
from evaluation.sanity import generate_cases, load_statements
from service.config import get_settings
from service.equivalence.engine import EquivalenceEngine, Pair
from service.lean.backend import EmbeddedBackend
from service.lean.pool import LeanPool

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "minif2f_core.jsonl"


def benchmark_pairs(count: int) -> list[Pair]:
    statements = load_statements(DATA)
    cases = generate_cases(statements)
    step = max(1, len(cases) // count)  # spread over all statements and transformations
    chosen = cases[::step][:count]
    return [Pair.parse(c.fs1, c.fs2) for c in chosen]


async def main(pair_count: int, single: int, pool_size: int, naive_sample: int) -> None:
    settings = get_settings()
    backend = EmbeddedBackend(settings)
    pairs = benchmark_pairs(pair_count)
    rows: list[tuple[str, str]] = []
    async with LeanPool(backend, size=pool_size) as pool:
        await pool.wait_ready()
        engine = EquivalenceEngine(pool)
        latencies = []
        pool.lean_seconds = 0.0
        for pair in pairs[:single]:
            started = time.monotonic()
            await engine.check(pair.fs1, pair.fs2)
            latencies.append(time.monotonic() - started)
        single_lean_share = pool.lean_seconds / sum(latencies)
        rows.append((f"single check, warm pool (p50 of {single})", f"{statistics.median(latencies):.2f} s"))
        rows.append((f"single check, warm pool (p95 of {single})", f"{percentile(latencies, 0.95):.2f} s"))
        rows.append(("  share of it inside Lean", f"{single_lean_share:.0%}"))

        pool.lean_seconds = 0.0
        started = time.monotonic()
        results = await engine.check_many(pairs)
        batch_s = time.monotonic() - started
        verdicts = {v: sum(1 for r in results if r.verdict == v) for v in {r.verdict for r in results}}
        rows.append((f"batch of {len(pairs)} pairs, pool of {pool_size}", f"{batch_s:.1f} s"))
        rows.append(("  throughput", f"{len(pairs) / batch_s:.2f} pairs/s"))
        rows.append(
            ("  share of session time inside Lean", f"{pool.lean_seconds / (batch_s * pool_size):.0%}")
        )
        rows.append(("  verdicts", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))))
        documents = [engine.first_document([pair]) for pair in pairs[:naive_sample]]

    naive = await naive_seconds(backend, documents, parallel=pool_size)
    rows.append(naive_row("pair", naive, naive_sample, pool_size, len(pairs)))
    rows.append(("batch speed-up over naive", f"{naive * len(pairs) / batch_s:.0f}×"))

    print_table(f"lean-equiv engine benchmark ({backend.version()})", rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--single", type=int, default=20)
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--naive-sample", type=int, default=4)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.pairs, arguments.single, arguments.pool_size, arguments.naive_sample))
