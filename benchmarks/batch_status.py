"""Batch status benchmark: one poll of `GET /v1/batches/{id}` on a large finished batch.

    python -m benchmarks.batch_status [--items 5000] [--database-url URL]

The summary is counted in SQL (grouped rows); the baseline, measured in the same run on the same
rows, is what it did before: load every item with its check and read each result document.
The checks are written by the benchmark itself, with result documents of a realistic size (two
directions with proofs and a few messages); no Lean runs.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.report import print_table
from service.equivalence.engine import Pair
from service.equivalence.verdict import CheckResult, DirectionResult
from service.lean.document import Message, Position
from service.storage import batches
from service.storage.checks import CheckKey, add_check
from service.storage.database import Database
from service.storage.models import BatchItemRow, BatchRow
from service.summary import batch_summary

VERDICTS = ("equivalent", "unknown", "not_equivalent", "ill_typed")


def _result(k: int) -> CheckResult:
    verdict = VERDICTS[k % len(VERDICTS)]
    proof = DirectionResult(proved=True, script="omega", proof="intro h; intros; omega " * 8)
    message = Message(
        severity="error", pos=Position(line=3, column=2), text="unsolved goals\n" + "x : Nat\n" * 20
    )
    return CheckResult(verdict=verdict, equivalent=int(verdict == "equivalent"), mode="strict",
                       verdict_strict=verdict, verdict_logical=verdict, fs1_to_fs2=proof, fs2_to_fs1=proof,
                       messages=[message] * 3)  # fmt: skip


def fill(database: Database, count: int) -> BatchRow:
    items = [{"item_id": str(k), "fs1": "x", "fs2": "y", "label": k % 2} for k in range(count)]
    with database.session() as session:
        batch = batches.create_batch(session, items, "strict", "tidy", "benchmark")
        rows = session.query(BatchItemRow).filter_by(batch_id=batch.id).order_by(BatchItemRow.position).all()
        for k, row in enumerate(rows):
            pair = Pair.parse(f"theorem a : {k} = {k}", f"theorem b : {k} + 0 = {k}")
            check = add_check(session, CheckKey(pair, "strict", "tidy", {}, "bench", "embedded"), _result(k))
            row.status, row.check_id = "done", check.id
        session.commit()
    return batch


def load_everything(database: Database, batch: BatchRow) -> dict[str, Any]:
    """The baseline: every item and its whole result document, counted in Python."""
    with database.session() as session:
        rows = batches.item_results(session, batch.id)
        return {"strict": sum(1 for _, c in rows if c and c.result["verdict_strict"] == "equivalent")}


def summarize(database: Database, batch: BatchRow) -> dict[str, Any]:
    with database.session() as session:
        return batch_summary(batch.status, batch.total, *batches.batch_counts(session, batch)).model_dump()


def median_ms(poll: Callable[[Database, BatchRow], object], database: Database, batch: BatchRow) -> float:
    times = []
    for _ in range(7):
        started = time.perf_counter()
        poll(database, batch)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(count: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        database = Database(url or f"sqlite:///{Path(directory) / 'bench.db'}")
        database.migrate()
        batch = fill(database, count)
        summary_ms = median_ms(summarize, database, batch)
        baseline_ms = median_ms(load_everything, database, batch)
        database.dispose()
    print_table(
        f"batch status poll, {count} finished items ({database.dialect})",
        [
            ("summary counted in SQL (median of 7)", f"{summary_ms:.1f} ms"),
            ("baseline: load every result document (median of 7)", f"{baseline_ms:.1f} ms"),
            ("speed-up", f"{baseline_ms / summary_ms:.0f}×"),
        ],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    arguments = parser.parse_args()
    main(arguments.items, arguments.database_url)
