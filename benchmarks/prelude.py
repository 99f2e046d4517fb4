"""Compatibility-prelude benchmark: how much Mathlib-style input the embedded Lean reads, how
well it judges it, and what the prelude costs, all measured in the same run.

    python -m benchmarks.prelude [--statements 244] [--pairs-from 40] [--single 12] [--skip-cost]

1. Coverage: every statement of the public miniF2F validation split, verbatim with its header
   (`import Mathlib`, `open … Real Nat …`), confirmed by Lean alone under the prelude:
   how many elaborate, and what the rest lack (Mathlib names, or Lean's first error).
2. Judgement: the sanity rewrites (`evaluation/transform.py`) of the first `--pairs-from`
   statements, checked under the prelude: precision (must be 1.000), recall, time per pair.
3. Cost: one session's start without and with the prelude, and single checks of core pairs on
   each (p50), so the price of turning it on is measured against core in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from pathlib import Path

from benchmarks.report import print_table
from evaluation.sanity import generate_cases, load_statements, run_suite
from service.config import Settings, get_settings
from service.equivalence.confirm import Confirmation
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.errors import InvalidStatement
from service.equivalence.prelude import prelude_library
from service.lean.backend import make_backend
from service.lean.pool import LeanPool
from service.provers import engine_pool

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MATHLIB_DATA = SHARED / "minif2f_valid_mathlib.jsonl"
CORE_DATA = SHARED / "minif2f_core.jsonl"


async def started_pool(settings: Settings) -> tuple[LeanPool, float]:
    pool = engine_pool(settings, size=1)
    started = time.monotonic()
    await pool.start()
    return pool, time.monotonic() - started


def outcome(confirmation: Confirmation) -> str:
    """A statement's coverage class: it elaborates, or what it lacks."""
    if confirmation.status == "confirmed":
        return "elaborates"
    if confirmation.status == "unsupported":
        return "needs Mathlib: " + ", ".join(confirmation.unknown_names[:3])
    if confirmation.status == "refused" and confirmation.refusal is not None:
        return f"refused: {confirmation.refusal.reason}"
    first = (
        confirmation.messages[0].text.splitlines()[0][:70] if confirmation.messages else confirmation.error
    )
    return f"{confirmation.status}: {first}"


async def coverage(engine: EquivalenceEngine, count: int) -> list[tuple[str, str]]:
    outcomes: Counter[str] = Counter()
    items = []
    for _, text in load_statements(MATHLIB_DATA, count):
        try:
            pair = Pair.parse(text, text)
        except InvalidStatement as refusal:
            outcomes[f"refused: {refusal.reason}"] += 1
            continue
        items.append((pair.preamble, pair.fs1))
    confirmations = await engine.confirmer.confirm(items)
    outcomes.update(outcome(c) for c in confirmations.values())
    total = sum(outcomes.values())
    rows = [("statements (miniF2F valid, verbatim)", str(total))]
    rows += [(name, f"{n} ({n / total:.1%})") for name, n in outcomes.most_common()]
    return rows


async def judgement(engine: EquivalenceEngine, statements: int) -> list[tuple[str, str]]:
    cases = generate_cases(load_statements(MATHLIB_DATA, statements))
    started = time.monotonic()
    report = await run_suite(engine, cases)
    seconds = time.monotonic() - started
    verdicts = Counter(r.verdict for r in report.results)
    positives = sum(c.expected == 1 for c in cases)
    return [
        (
            f"pairs (rewrites of {statements} statements)",
            f"{len(cases)} ({positives} equivalent by construction)",
        ),
        ("precision (must be 1.000)", f"{report.precision:.3f}"),
        ("recall", f"{report.recall:.3f}"),
        ("mismatches with the expected verdict", str(len(report.mismatches))),
        ("verdicts", ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))),
        ("time per pair (batch, pool of 1)", f"{seconds / len(cases):.2f} s"),
    ]


async def single_checks(engine: EquivalenceEngine, pairs: list[Pair]) -> float:
    latencies = []
    for pair in pairs:
        started = time.monotonic()
        await engine.check(pair.fs1, pair.fs2, preamble=pair.preamble)
        latencies.append(time.monotonic() - started)
    return statistics.median(latencies)


async def main(statements: int, pairs_from: int, single: int, skip_cost: bool) -> None:
    settings = get_settings()
    core_pairs = [Pair.parse(c.fs1, c.fs2) for c in generate_cases(load_statements(CORE_DATA))[::7][:single]]
    backend = make_backend(settings)
    backend.prepare()
    backend.build(prelude_library())  # once per cache, before any timing: not a session's cost
    prelude_pool, prelude_start = await started_pool(settings.model_copy(update={"compat_prelude": True}))
    engine = EquivalenceEngine(prelude_pool)
    try:
        print_table("coverage under the prelude", await coverage(engine, statements))
        if pairs_from:
            print_table("Mathlib-style pairs under the prelude", await judgement(engine, pairs_from))
        if skip_cost:
            return
        prelude_p50 = await single_checks(engine, core_pairs)
    finally:
        await prelude_pool.close()
    core_pool, core_start = await started_pool(settings.model_copy(update={"compat_prelude": False}))
    try:
        core_p50 = await single_checks(EquivalenceEngine(core_pool), core_pairs)
    finally:
        await core_pool.close()
    print_table(
        "cost of the prelude (one session, same run)",
        [
            ("session start, core only", f"{core_start:.1f} s"),
            ("session start, prelude imported", f"{prelude_start:.1f} s ({prelude_start / core_start:.2f}×)"),
            (f"single check of a core pair, core only (p50 of {single})", f"{core_p50:.2f} s"),
            ("  the same under the prelude", f"{prelude_p50:.2f} s ({prelude_p50 / core_p50:.2f}×)"),
        ],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=244, help="coverage: the first N statements")
    parser.add_argument("--pairs-from", type=int, default=40, help="judgement: rewrites of the first N")
    parser.add_argument("--single", type=int, default=12, help="cost: single checks per configuration")
    parser.add_argument("--skip-cost", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.statements, arguments.pairs_from, arguments.single, arguments.skip_cost))
