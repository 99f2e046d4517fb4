"""Engine benchmark: per-pair latency on a warm pool, batch throughput, Lean commands per pair,
and the naive baseline (a fresh `lean` process per pair); with `--against REV`, the same
measurements of the engine at each git revision REV, in the same run on the same pairs.

    python -m benchmarks.engine [--pairs 100] [--single 20] [--pool-size 2] [--naive-sample 4]
                                [--against REV ...]

Pairs are the sanity transformations of the public miniF2F statements (a realistic mix of
equivalent, non-equivalent and open pairs). The naive baseline runs only the first of the
engine's Lean runs per pair, so it flatters the baseline; it is measured on a sample, two at a
time like the pool, and scaled. REV is checked out in a temporary git worktree and measured by
this file run against that tree's packages, so the columns differ only in the code measured;
their verdicts are compared pair by pair.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import naive_row, percentile, print_table
from benchmarks.runtime import naive_seconds
from evaluation.sanity import generate_cases, load_statements
from service.config import get_settings
from service.equivalence.engine import EquivalenceEngine, Pair
from service.lean.backend import EmbeddedBackend
from service.lean.document import Document
from service.lean.pool import LeanPool

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "minif2f_core.jsonl"


def benchmark_pairs(count: int) -> list[Pair]:
    statements = load_statements(DATA)
    cases = generate_cases(statements)
    step = max(1, len(cases) // count)  # spread over all statements and transformations
    chosen = cases[::step][:count]
    return [Pair.parse(c.fs1, c.fs2) for c in chosen]


def count_commands(pool: LeanPool) -> list[int]:
    """Wraps `pool.run` to count the chunks (Lean commands) it is sent; works on any revision."""
    counter = [0]
    run = pool.run

    async def counting(document: Document, *args: Any, **kwargs: Any) -> Any:
        counter[0] += len(document.chunks)
        return await run(document, *args, **kwargs)

    pool.run = counting  # type: ignore[method-assign]
    return counter


async def measure(pair_count: int, single: int, pool_size: int, documents: int = 0) -> dict[str, Any]:
    """One engine's figures: single checks on a warm pool, then one batch of every pair; and the
    first Lean document of the first `documents` pairs (for the naive baseline)."""
    pairs = benchmark_pairs(pair_count)
    async with LeanPool(EmbeddedBackend(get_settings()), size=pool_size) as pool:
        await pool.wait_ready()
        engine = EquivalenceEngine(pool)
        commands = count_commands(pool)
        latencies = []
        for pair in pairs[:single]:
            started = time.monotonic()
            await engine.check(pair.fs1, pair.fs2)
            latencies.append(time.monotonic() - started)
        commands[0], runs_before = 0, pool.runs
        started = time.monotonic()
        results = await engine.check_many(pairs)
        batch_s = time.monotonic() - started
        return {
            "p50": statistics.median(latencies),
            "p95": percentile(latencies, 0.95),
            "batch_s": batch_s,
            "commands": commands[0] / len(pairs),
            "runs": (pool.runs - runs_before) / len(pairs),
            "verdicts": [r.verdict for r in results],
            "documents": [engine.first_document([p]).model_dump() for p in pairs[:documents]],
        }


def measure_revision(revision: str, arguments: argparse.Namespace) -> dict[str, Any]:
    """`measure` run by this file in a subprocess against a worktree of `revision`."""
    with tempfile.TemporaryDirectory() as scratch:
        tree, output = Path(scratch) / "tree", Path(scratch) / "figures.json"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
                       check=True, capture_output=True)  # fmt: skip
        try:
            command = [sys.executable, str(Path(__file__).resolve()), "--measure-only", str(output),
                       "--pairs", str(arguments.pairs), "--single", str(arguments.single),
                       "--pool-size", str(arguments.pool_size)]  # fmt: skip
            subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(tree)})
            return json.loads(output.read_text())
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)


def rows_for(
    figures: dict[str, Any], pairs: int, pool_size: int, single: int
) -> list[tuple[str, float, str]]:
    """(measure, value, formatted) for one engine; the value is a time or a count (lower is
    better), or a throughput (its measure says "pairs/s")."""
    verdicts = figures["verdicts"]
    return [
        (f"single check, warm pool: p50 of {single}", figures["p50"], f"{figures['p50']:.2f} s"),
        (f"single check, warm pool: p95 of {single}", figures["p95"], f"{figures['p95']:.2f} s"),
        (f"batch of {pairs} pairs, pool of {pool_size}", figures["batch_s"], f"{figures['batch_s']:.1f} s"),
        ("  throughput (pairs/s)", pairs / figures["batch_s"], f"{pairs / figures['batch_s']:.2f}"),
        ("  Lean commands per pair", figures["commands"], f"{figures['commands']:.1f}"),
        ("  Lean runs per pair", figures["runs"], f"{figures['runs']:.2f}"),
        ("  verdicts", 0.0, ", ".join(f"{v} {verdicts.count(v)}" for v in sorted(set(verdicts)))),
    ]


def comparison(
    baselines: dict[str, dict[str, Any]], figures: dict[str, Any], shape: tuple[int, int, int]
) -> list[tuple[str, ...]]:
    """Rows of (measure, each baseline, this tree, how many times better this tree is than each)."""
    columns = [rows_for(b, *shape) for b in baselines.values()]
    rows: list[tuple[str, ...]] = []
    for k, (name, new, text) in enumerate(rows_for(figures, *shape)):
        olds = [column[k] for column in columns]
        better = [
            (new / old if "pairs/s" in name else old / new) if old and new else None for _, old, _ in olds
        ]
        ratios = [f"{r:.2f}×" if r else "" for r in better]
        rows.append((name, *(old_text for _, _, old_text in olds), text, *ratios))
    differ = []
    for baseline in baselines.values():
        pairs = zip(baseline["verdicts"], figures["verdicts"], strict=True)
        changed = [i for i, (a, b) in enumerate(pairs) if a != b]
        differ.append(f"{len(changed)} {changed[:10]}")
    rows.append(("  verdicts that differ from this tree's (pair indices)", *differ, "", *[""] * len(differ)))
    return rows


async def main(arguments: argparse.Namespace) -> None:
    backend = EmbeddedBackend(get_settings())
    await asyncio.to_thread(backend.prepare)
    baselines = {revision: measure_revision(revision, arguments) for revision in arguments.against}
    figures = await measure(arguments.pairs, arguments.single, arguments.pool_size, arguments.naive_sample)
    documents = [Document(**d) for d in figures["documents"]]
    naive = await naive_seconds(backend, documents, parallel=arguments.pool_size)

    shape = (arguments.pairs, arguments.pool_size, arguments.single)
    naive_name, naive_text = naive_row(
        "pair", naive, arguments.naive_sample, arguments.pool_size, arguments.pairs
    )
    speedup = f"{naive * arguments.pairs / figures['batch_s']:.0f}×"
    title = f"lean-equiv engine benchmark ({backend.version()})"
    rows = comparison(baselines, figures, shape)
    pad = [""] * len(baselines)
    rows += [(naive_name, *pad, naive_text, *pad), ("batch speed-up over naive", *pad, speedup, *pad)]
    columns = ("measure", *baselines, "this tree", *(f"better than {r}" for r in baselines))
    print_table(title, rows, columns=columns)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--single", type=int, default=20)
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--naive-sample", type=int, default=4)
    parser.add_argument("--against", action="append", default=[], metavar="REV",
                        help="a git revision measured too, for comparison (repeatable)")  # fmt: skip
    parser.add_argument("--measure-only", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure_only:
        figures = asyncio.run(measure(arguments.pairs, arguments.single, arguments.pool_size))
        arguments.measure_only.write_text(json.dumps(figures))
    else:
        asyncio.run(main(arguments))
