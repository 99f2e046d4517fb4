"""Answers benchmark: how many meaning-changing rewrites get a certified `not_equivalent`, how
often the blocking obligation names the rewrite, the graded score, and what the explanation run
costs.

    python -m benchmarks.answers [--pool-size 2] [--label-one 40]

Pairs are the public miniF2F statements against each label-0 rewrite of `evaluation/transform`
(a changed constant, `<` for `≤` and `≤` for `<`, a dropped hypothesis, `∀` for `∃`, `∨` for
`∧`, a wrong variable), plus a sample of label-1 rewrites for precision. "Before" is what the
proving plan alone certifies (a refuted direction): the explanation run comes after it and only
adds counterexamples, so one batch gives both columns. Its cost is the time inside Lean of the
explanation runs themselves, in the same batch (a second batch would differ by its `grind`
stalls, 30 CPU-s each, more than by the explanations).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from collections import Counter
from typing import Any

from benchmarks.engine import DATA
from benchmarks.report import print_table
from evaluation.sanity import SanityCase, generate_cases, load_statements
from evaluation.transform import TRANSFORMATIONS, split_binders
from service.config import get_settings
from service.equivalence import obligations
from service.equivalence.counterexample import CONTRADICTION_SCRIPT
from service.equivalence.engine import EquivalenceEngine, Pair
from service.equivalence.statement import parse_statement
from service.equivalence.verdict import CheckResult
from service.lean.backend import EmbeddedBackend
from service.lean.document import Document
from service.lean.pool import LeanPool

LABEL_ZERO = [kind for kind, (_, expected) in TRANSFORMATIONS.items() if expected == 0]
_EXPLAINING = (obligations.SCRIPT.splitlines()[2], "leq-point", CONTRADICTION_SCRIPT.splitlines()[-1])
"""Text only an explanation attempt holds: `trace_state`, a counterexample's traces, the
contradiction check's closer."""


def cases(label_one: int) -> list[SanityCase]:
    statements = load_statements(DATA)
    zero = generate_cases(statements, LABEL_ZERO)
    one = generate_cases(statements, [k for k in TRANSFORMATIONS if k not in LABEL_ZERO])
    step = max(1, len(one) // max(1, label_one))
    return zero + one[::step][:label_one]


def _loose(text: str) -> str:
    """A proposition compared across spellings: no spaces, brackets or inaccessible marks."""
    return re.sub(r"[\s()✝]", "", text)


def rewritten_hypotheses(case: SanityCase) -> set[str]:
    """The hypothesis texts the rewrite touched, either side's (empty: only the conclusion)."""
    first, second = parse_statement(case.fs1), parse_statement(case.fs2)
    types = [{_loose(b.type) for b in split_binders(s.binders) or []} for s in (first, second)]
    return types[0] ^ types[1]


def names_rewrite(case: SanityCase, result: CheckResult) -> bool:
    """A blocking obligation is the touched hypothesis, or the conclusion when that was touched."""
    found = [o for d in (result.fs1_to_fs2, result.fs2_to_fs1) for o in d.obligations]
    touched = rewritten_hypotheses(case)
    if not touched:
        return any(o.kind == "conclusion" for o in found)
    return any(o.kind == "hypothesis" and _loose(o.target) in touched for o in found)


def refuted(result: CheckResult) -> bool:
    """Certified by the proving plan alone: a direction refuted."""
    return any(d.refuted for d in (result.fs1_to_fs2, result.fs2_to_fs1))


def timing_explanations(pool: LeanPool) -> dict[str, float]:
    """Wraps the pool to add up the time inside Lean of the documents that hold explanation
    attempts (time inside Lean, not wall time: a run also waits for a free session)."""
    spent = {"seconds": 0.0, "commands": 0.0, "all": 0.0}
    run = pool.run_dropping_stalls

    async def timed(document: Document, *args: Any, **kwargs: Any) -> Any:
        ran, result = await run(document, *args, **kwargs)
        spent["all"] += result.elapsed_s
        if any(marker in chunk for chunk in document.chunks for marker in _EXPLAINING):
            spent["seconds"] += result.elapsed_s
            spent["commands"] += len(ran)
        return ran, result

    pool.run_dropping_stalls = timed  # type: ignore[method-assign]
    return spent


def _mean_score(results: list[CheckResult], ks: list[int]) -> str:
    scores = [s for k in ks if (s := results[k].score) is not None]
    return f"{sum(scores) / len(scores):.2f}" if scores else ""


def rows(chosen: list[SanityCase], results: list[CheckResult]) -> list[tuple[str, ...]]:
    zero = [k for k, c in enumerate(chosen) if c.expected == 0]
    table: list[tuple[str, ...]] = []
    for kind in [*LABEL_ZERO, "all label-0"]:
        ks = [k for k in zero if kind == "all label-0" or chosen[k].kind == kind]
        if not ks:
            continue
        explained = [k for k in ks if results[k].verdict not in ("equivalent", "error")]
        certified = [k for k in ks if results[k].verdict == "not_equivalent"]
        table.append((
            f"{kind} ({len(ks)})",
            f"{sum(refuted(results[k]) for k in ks)}",
            f"{len(certified)} ({len(certified) / len(ks):.0%})",
            f"{sum(names_rewrite(chosen[k], results[k]) for k in explained)}/{len(explained)}",
            _mean_score(results, ks),
        ))  # fmt: skip
    one = [k for k, c in enumerate(chosen) if c.expected == 1]
    wrong = [k for k in one if results[k].verdict == "not_equivalent"]
    table.append(
        (f"label-1 sample ({len(one)})", "", f"{len(wrong)} not_equivalent", "", _mean_score(results, one))
    )
    return table


async def main(arguments: argparse.Namespace) -> None:
    chosen = cases(arguments.label_one)
    pairs = [Pair.parse(c.fs1, c.fs2) for c in chosen]
    async with LeanPool(EmbeddedBackend(get_settings()), size=arguments.pool_size) as pool:
        await pool.wait_ready()
        engine = EquivalenceEngine(pool)
        spent = timing_explanations(pool)
        started = time.monotonic()
        results = await engine.check_many(pairs)
        batch_s = time.monotonic() - started
    columns = ("rewrite (pairs)", "not_equivalent: plan alone", "with explanations",
               "obligation names the rewrite (of pairs explained)", "mean score")  # fmt: skip
    print_table("lean-equiv answers benchmark", rows(chosen, results), columns=columns)
    explained = sum(r.verdict not in ("equivalent", "error") for r in results)
    reasons = Counter(_reason(r) for r in results)
    summary: list[tuple[str, str]] = [
        (f"batch of {len(pairs)} pairs, pool of {arguments.pool_size}", f"{batch_s:.0f} s"),
        (
            "  time inside Lean: attempt runs / of them, explanation runs",
            f"{spent['all']:.0f} s / {spent['seconds']:.0f} s ({spent['seconds'] / spent['all']:.0%})",
        ),
        (
            f"  per pair explained ({explained})",
            f"{spent['seconds'] / max(1, explained):.2f} s, "
            f"{spent['commands'] / max(1, explained):.1f} commands",
        ),
        *((f"reason: {name}", str(count)) for name, count in sorted(reasons.items())),
    ]
    print_table("cost and reasons", summary)


def _reason(result: CheckResult) -> str:
    if result.verdict != "not_equivalent":
        return result.verdict
    return "not_equivalent: a direction refuted" if refuted(result) else "not_equivalent: counterexample"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--label-one", type=int, default=40, help="label-1 pairs sampled for precision")
    asyncio.run(main(parser.parse_args()))
